// Rules of the dashboard's progress line and of the mesh badges' traffic maths, and CSV escaping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from './progress-summary.ts';
import { trafficFromGraph } from './mesh-badges.ts';
import { csvField } from './report.ts';
import type { ChapterInfo } from '../../protocol/instructor.ts';

const chapters: ChapterInfo[] = [
  { id: '01-a', title: 'A', url: '/a/', steps: [{ id: 's1', title: '', checked: false }, { id: 's2', title: '', checked: true }] },
  { id: '02-b', title: 'B', url: '/b/', steps: [{ id: 's1', title: '', checked: true }, { id: 's2', title: '', checked: true }] },
];

test('no records: first chapter, first step', () => {
  const s = summarize(chapters, []);
  assert.deepEqual([s.chapter, s.chapterIndex, s.step, s.checksPassed, s.totalSteps, s.failingCheck], ['01-a', 1, 's1', 0, 3, null]);
});

test('current step is the first unfinished one of the chapter last touched', () => {
  const s = summarize(chapters, [
    { chapter: '01-a', step: 's1', status: 'skipped', at: 1 },
    { chapter: '02-b', step: 's1', status: 'solved', at: 2 },
  ]);
  assert.deepEqual([s.chapter, s.step, s.checksPassed], ['02-b', 's2', 1]);
});

test('fast-forwarded steps finish a chapter and are counted apart from skips and passes', () => {
  const s = summarize(chapters, [
    { chapter: '01-a', step: 's1', status: 'forwarded', at: 4 },
    { chapter: '01-a', step: 's2', status: 'forwarded', at: 4 },
    { chapter: '02-b', step: 's1', status: 'skipped', at: 5 },
  ]);
  // 01-a/s1 has no check: it finishes the chapter but is not counted against the checks.
  assert.deepEqual([s.chapter, s.step, s.checksPassed, s.stepsSkipped, s.stepsForwarded], ['02-b', 's2', 0, 1, 1]);
});

test('steps passed by Solve are told from the attendee\'s own; every count is over checked steps and adds up', () => {
  const s = summarize(chapters, [
    { chapter: '01-a', step: 's1', status: 'passed', at: 1 }, // a reading step's "Mark as done": not a check
    { chapter: '01-a', step: 's2', status: 'passed', at: 2 },
    { chapter: '02-b', step: 's1', status: 'solved', at: 3 },
    { chapter: '02-b', step: 's2', status: 'forwarded', at: 4 },
  ]);
  assert.deepEqual([s.stepsDone, s.stepsOwn, s.stepsSolved, s.checksPassed, s.stepsSkipped, s.stepsForwarded, s.totalSteps], [3, 1, 1, 2, 0, 1, 3]);
});

test('a finished chapter moves on; a finished lab stays on the last chapter', () => {
  assert.equal(summarize(chapters, [{ chapter: '01-a', step: 's1', status: 'passed', at: 1 }, { chapter: '01-a', step: 's2', status: 'passed', at: 2 }]).chapter, '02-b');
  const done = summarize(chapters, [{ chapter: '02-b', step: 's1', status: 'passed', at: 1 }, { chapter: '02-b', step: 's2', status: 'passed', at: 2 }]);
  assert.deepEqual([done.chapter, done.step], ['02-b', null]);
});

test('equal timestamps resolve to the furthest chapter; failing check is reported', () => {
  const s = summarize(chapters, [
    { chapter: '01-a', step: 's2', status: 'passed', at: 5 },
    { chapter: '02-b', step: 's1', status: 'failing', at: 5 },
  ]);
  assert.deepEqual([s.chapter, s.step, s.failingCheck], ['02-b', 's1', '02-b/s1']);
});

test('the failing check carries its attempts and what failed; the most recent failure wins', () => {
  const s = summarize(chapters, [
    { chapter: '01-a', step: 's2', status: 'failing', at: 3, attempts: 1, detail: 'old' },
    { chapter: '02-b', step: 's1', status: 'failing', at: 7, attempts: 3, detail: 'Namespace travel-agency exists: not found' },
  ]);
  assert.deepEqual([s.failingCheck, s.failingAttempts, s.failingDetail], ['02-b/s1', 3, 'Namespace travel-agency exists: not found']);
  const none = summarize(chapters, [{ chapter: '01-a', step: 's2', status: 'passed', at: 3 }]);
  assert.deepEqual([none.failingCheck, none.failingAttempts, none.failingDetail], [null, null, null]);
});

test('traffic badges weight response codes by edge rate', () => {
  const graph = {
    elements: {
      edges: [
        { data: { traffic: { protocol: 'http', rates: { http: '9' }, responses: { '200': { flags: { '-': '100' } } } } } },
        { data: { traffic: { protocol: 'http', rates: { http: '1' }, responses: { '403': { flags: { '-': '100' } } } } } },
        { data: { traffic: { protocol: 'tcp', rates: { tcp: '500' } } } },
      ],
    },
  };
  const t = trafficFromGraph(graph);
  assert.equal(t.rps, 10);
  assert.deepEqual(t.errors, { http4xx: 10, http5xx: 0, http403: 10 });
  assert.deepEqual(trafficFromGraph({}), { rps: 0, errors: { http4xx: 0, http5xx: 0, http403: 0 } });
});

test('CSV fields are quoted and never formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=SUM(A1)'), "'=SUM(A1)");
  assert.equal(csvField(null), '');
});
