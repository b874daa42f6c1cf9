// Where an attendee is now, apart from how far they have got: the page their class stream opened on, the
// step they pressed a button on (the page's background re-checks move the chapter, never the step), and
// the step after it once that one is finished. Through the real routes: the card's `where` and the place a
// help request is logged at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chapterAt, pagePath, placeOf, Whereabouts } from './whereabouts.ts';
import { startHarness, sse, type Harness } from './test-support.ts';
import type { ChapterInfo } from '../../protocol/instructor.ts';

const chapters: ChapterInfo[] = [
  { id: '01-a', title: 'A', url: '/tutorial/a/', steps: [{ id: 's1', title: 'One', checked: true }] },
  { id: '02-b', title: 'B', url: '/tutorial/b/', steps: ['s1', 's2', 's3'].map((id) => ({ id, title: `Step ${id}`, checked: true })) },
];

test('a page maps to its chapter with or without the trailing slash; other paths are pages only', () => {
  assert.equal(chapterAt(chapters, '/tutorial/b')?.id, '02-b');
  assert.equal(chapterAt(chapters, '/tutorial/b/')?.id, '02-b');
  assert.equal(chapterAt(chapters, '/join/'), undefined);
  assert.equal(pagePath('/tutorial/b/'), '/tutorial/b/');
  for (const bad of [null, '', 'tutorial/b', 'https://evil.example/', '/a<b>', `/${'x'.repeat(300)}`]) assert.equal(pagePath(bad), undefined, String(bad));
});

test('background re-checks move the chapter but never pick the step; a pressed button does', () => {
  const w = new Whereabouts();
  assert.equal(w.page('a', '/tutorial/b/', chapters[1]), true);
  assert.equal(w.step('a', chapters[1], 's3', false), false, 'a re-check of a step on screen changes nothing');
  assert.equal(w.get('a')?.step, null);
  assert.equal(w.step('a', chapters[1], 's2', true), true);
  assert.equal(w.step('a', chapters[1], 's3', false), false, 'nor does it move them off the step they work on');
  assert.equal(w.get('a')?.step, 's2');
  assert.equal(w.page('a', '/tutorial/b/', chapters[1]), false, 'a reload of the same page keeps the step');
  assert.equal(w.step('a', chapters[0], 's1', false), true, 'another chapter\'s page is another place');
  assert.deepEqual(w.get('a'), { page: '/tutorial/a/', chapter: '01-a', step: null });
  assert.equal(w.page('a', '/sandbox/', undefined), true);
  assert.deepEqual(w.get('a'), { page: '/sandbox/', chapter: null, step: null });
});

test('the step shown: the one acted on while unfinished, then the next unfinished after it, else the first unfinished', () => {
  const seen: { page: string; chapter: string; step: string | null } = { page: '/tutorial/b/', chapter: '02-b', step: 's2' };
  const at = (records: { step: string; status: 'passed' | 'failing' }[], s = seen) =>
    placeOf(chapters, records.map((r) => ({ chapter: '02-b', at: 1, ...r })), s);
  assert.deepEqual([at([])?.step, at([])?.stepIndex, at([])?.stepCount, at([])?.chapterIndex], ['s2', 2, 3, 2]);
  assert.equal(at([{ step: 's2', status: 'failing' }])?.step, 's2', 'a failing step is still the one they work on');
  assert.equal(at([{ step: 's2', status: 'passed' }])?.step, 's3', 'done: on to the next');
  assert.equal(at([{ step: 's2', status: 'passed' }, { step: 's3', status: 'passed' }])?.step, 's1', 'the rest done: back to what is left');
  const all = at(['s1', 's2', 's3'].map((step) => ({ step, status: 'passed' as const })));
  assert.deepEqual([all?.chapter, all?.step, all?.stepIndex], ['02-b', null, null], 'a finished chapter has no step');
  assert.equal(at([], { ...seen, step: null })?.stepTitle, 'Step s1');
  assert.deepEqual(placeOf(chapters, [], { page: '/join/', chapter: null, step: null }), {
    page: '/join/', chapter: null, chapterIndex: null, chapterTitle: null, step: null, stepIndex: null, stepTitle: null, stepCount: 0,
  });
  assert.equal(placeOf(chapters, [], undefined), null);
});

test('a step without checks (reading) does not keep someone who finished the chapter "on" it', () => {
  const reading: ChapterInfo[] = [{ id: '05-r', title: 'R', url: '/tutorial/r/', steps: [
    { id: 'deploy', title: 'Deploy', checked: true }, { id: 'read', title: 'Find the header', checked: false },
    { id: 'route', title: 'Route', checked: true }, { id: 'clean', title: 'Clean up', checked: true },
  ] }];
  const passed = (...steps: string[]) => steps.map((step) => ({ chapter: '05-r', at: 1, step, status: 'passed' as const }));
  const seen = (step: string | null) => ({ page: '/tutorial/r/', chapter: '05-r', step });
  const all = placeOf(reading, passed('deploy', 'route', 'clean'), seen('clean'));
  assert.deepEqual([all?.step, all?.stepIndex], [null, null], 'all checked steps done: the chapter is done');
  assert.equal(placeOf(reading, passed('deploy'), seen('deploy'))?.step, 'route', 'from deploy, on to the next checked step');
  assert.equal(placeOf(reading, passed('deploy'), seen('read'))?.step, 'read', 'a reading step they act on is shown until it is done');
});

let h: Harness;
let wid: string;
before(async () => {
  h = await startHarness();
  wid = (await (await h.as('/api/workshops', { method: 'POST', json: { title: 'Where', accessCode: 'WHERE-1' } })).json()).value.id;
});
after(() => h.close());

const join = async (name: string) =>
  (await (await fetch(`${h.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'WHERE-1', name }) })).json()).value;

test('the card shows the page the attendee opened and the step they work on, not just their next step', async () => {
  const a = await join('Wes');
  const dash = await sse(`${h.url}/api/workshops/${wid}/events`, { cookie: h.cookie });
  const snap = await dash.next((e) => e.event === 'snapshot');
  assert.equal(snap.data.rows.find((r: { id: string }) => r.id === a.attendee.id).where, null, 'no page open yet');
  const lab = h.instructor.core.ports.labs.chapters('travels')!;
  const routing = lab.findIndex((c) => c.id === '05-request-routing');
  const me = await sse(`${h.url}/api/join/events?token=${a.session.token}&page=${encodeURIComponent(lab[routing].url)}`);
  const row = await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.where !== null);
  assert.deepEqual([row.data.where.chapter, row.data.where.chapterIndex, row.data.where.stepIndex], ['05-request-routing', routing + 1, 1]);
  assert.equal(row.data.progress.chapter, lab[0].id, 'how far they have got is told apart');

  // Checking a step on that page (the labs module reports it) names the step on the card.
  const second = lab[routing].steps[1];
  h.instructor.labActivity(a.session.id, 'travels', { chapter: '05-request-routing', step: second.id, acted: true });
  const stepped = await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.where?.step === second.id);
  assert.equal(stepped.data.where.stepTitle, second.title);
  // Another lab, or someone not in a class: nothing moves.
  h.instructor.labActivity(a.session.id, 'other-lab', { chapter: '01-prerequisites', acted: false });
  h.instructor.labActivity('no-such-session', 'travels', { chapter: '01-prerequisites', acted: false });
  assert.equal(h.instructor.core.whereabouts.get(a.attendee.id)?.step, second.id);

  // A help request is logged at that step.
  await fetch(`${h.url}/api/join/hand`, { method: 'POST', headers: { authorization: `Bearer ${a.session.token}` }, body: JSON.stringify({ raised: true }) });
  const [logged] = h.instructor.core.store.help.list(a.attendee.id);
  assert.deepEqual([logged.chapter, logged.step], ['05-request-routing', second.id]);
  me.close();
  dash.close();
});
