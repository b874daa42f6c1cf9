// The end-of-class report keeps every help request — who asked, when, on which step, what they wrote, how
// long until the hand came down and how (answered, taken back, left), the instructor's written reply —
// and tells steps the attendee passed themselves from those Solve or the instructor's fast-forward did.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { startHarness, type Harness } from './test-support.ts';
import { WorkshopStore } from './workshop-store.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

let clock = Date.parse('2030-01-01T09:00:00Z');
const tick = (seconds: number) => (clock += seconds * 1000);

test('the report lists each help request with its step, wait, outcome and reply', async () => {
  const w = (await (await h.as('/api/workshops', { method: 'POST', json: { title: 'Help log', accessCode: 'HELP-LOG' } })).json()).value;
  const join = async (name: string) => (await (await fetch(`${h.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'HELP-LOG', name }) })).json()).value;
  const [ana, ben, cy] = [await join('Ana'), await join('Ben'), await join('=Cy')];
  const core = h.instructor.core;
  core.now = () => clock; // the report's times, from a clock the test moves
  const hand = (a: { session: { token: string } }, raised: boolean, note?: string) =>
    fetch(`${h.url}/api/join/hand`, { method: 'POST', headers: { authorization: `Bearer ${a.session.token}` }, body: JSON.stringify({ raised, note }) });
  const answer = (a: { attendee: { id: string } }, reply?: string) =>
    h.as(`/api/workshops/${w.id}/attendees/${a.attendee.id}/hand-down`, { method: 'POST', json: reply ? { reply } : {} });

  // Ana is on chapter 2's deploy step when she asks; answered in writing 3 minutes later.
  h.instructor.labActivity(ana.session.id, 'travels', { chapter: '02-install', step: 'deploy', acted: true });
  await hand(ana, true, 'pods stay Pending');
  tick(90);
  await hand(ana, true, 'pods stay Pending, events say ImagePull'); // from another tab: same request, newer note
  tick(90);
  await answer(ana, 'Check the image name in your Deployment');
  // Ben asks without a note and takes it back; later asks again and is answered without a reply.
  tick(10);
  await hand(ben, true);
  tick(20);
  await hand(ben, false);
  tick(60);
  await hand(ben, true);
  tick(45);
  await answer(ben);
  // Cy asks and is removed before anyone answers; Ana asks again and is still waiting at the end.
  await hand(cy, true, '=HYPERLINK("x")');
  tick(5);
  await h.as(`/api/workshops/${w.id}/attendees/${cy.attendee.id}`, { method: 'DELETE' });
  await hand(ana, true, 'still stuck');
  tick(10);
  const during = await (await h.as(`/api/workshops/${w.id}/report.json`)).json();
  assert.deepEqual([during.helpRequests.at(-1).outcome, during.helpRequests.at(-1).waitSeconds, during.helpRequests.at(-1).closedAt], ['open', 10, null]);
  tick(20);
  await h.as(`/api/workshops/${w.id}/end`, { method: 'POST' });
  tick(600); // the report is read later: the hand waited until the class ended, not until now

  h.labs.progress.set(ana.session.id, []);
  const report = await (await h.as(`/api/workshops/${w.id}/report.json`)).json();
  const rows = report.helpRequests.map((r: Record<string, unknown>) => [r.displayName, r.chapter, r.step, r.note, r.outcome, r.waitSeconds, r.reply]);
  assert.deepEqual(rows, [
    ['Ana', '02-install', 'deploy', 'pods stay Pending, events say ImagePull', 'answered', 180, 'Check the image name in your Deployment'],
    ['Ben', '01-prerequisites', 'control-plane', null, 'withdrawn', 20, null],
    ['Ben', '01-prerequisites', 'control-plane', null, 'answered', 45, null],
    ['=Cy', '01-prerequisites', 'control-plane', '=HYPERLINK("x")', 'left', 5, null],
    ['Ana', '02-install', 'deploy', 'still stuck', 'unanswered', 30, null],
  ]);
  const first = report.helpRequests[0];
  assert.equal(first.raisedAt, '2030-01-01T09:00:00.000Z');
  assert.equal(first.closedAt, '2030-01-01T09:03:00.000Z');
  assert.ok(first.stepTitle, 'the step is named as the page names it');
  assert.equal(report.helpRequests[4].closedAt, '2030-01-01T09:05:50.000Z');
  assert.deepEqual(report.attendees.map((a: { displayName: string; helpRequests: number }) => [a.displayName, a.helpRequests]), [['Ana', 2], ['Ben', 2], ['=Cy', 1]]);

  const csv = await (await h.as(`/api/workshops/${w.id}/report-help.csv`)).text();
  const [head, ...lines] = csv.trim().split('\r\n');
  assert.equal(head, 'attendee_id,display_name,raised_at,chapter,step,step_title,note,outcome,closed_at,wait_seconds,reply');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /,"pods stay Pending, events say ImagePull",answered,2030-01-01T09:03:00.000Z,180,Check the image name in your Deployment$/);
  assert.ok(lines[3].includes(`,"'=HYPERLINK(""x"")",left,`), 'a formula-looking note stays text');
  assert.match(await (await h.as(`/api/workshops/${w.id}/report.csv`)).text(), /,resets,help_requests,/);
});

test('solved and fast-forwarded steps are counted apart from the attendee\'s own in the report', async () => {
  const w = (await (await h.as('/api/workshops', { method: 'POST', json: { title: 'Solved', accessCode: 'SOLVED-1' } })).json()).value;
  const a = (await (await fetch(`${h.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'SOLVED-1', name: 'Dee' }) })).json()).value;
  h.labs.progress.set(a.session.id, [
    { chapter: '02-install', step: 'namespaces', status: 'passed', at: 1 },
    { chapter: '02-install', step: 'deploy', status: 'solved', at: 2 },
    { chapter: '02-install', step: 'rollout', status: 'forwarded', at: 3 },
  ]);
  const [dee] = (await (await h.as(`/api/workshops/${w.id}/report.json`)).json()).attendees;
  assert.deepEqual([dee.stepsDone, dee.stepsOwn, dee.stepsSolved, dee.checksPassed, dee.stepsForwarded], [3, 1, 1, 2, 1]);
  const [head, row] = (await (await h.as(`/api/workshops/${w.id}/report.csv`)).text()).split('\r\n');
  const cell = (name: string) => row.split(',')[head.split(',').indexOf(name)];
  assert.deepEqual(['steps_done', 'steps_own', 'steps_solved'].map(cell), ['3', '1', '1']);
});

test('a hand raised before the help log existed is carried over as an open request', () => {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE workshop_hands (attendee_id TEXT PRIMARY KEY, raised_at INTEGER NOT NULL, note TEXT)');
  db.prepare('INSERT INTO workshop_hands VALUES (?, ?, ?)').run('a-old', 1234, 'from before');
  const store = new WorkshopStore(db);
  assert.deepEqual(store.help.open('a-old'), { raisedAt: 1234, note: 'from before' });
  assert.equal(store.help.close('a-old', 2000, 'instructor'), true);
  assert.equal(new WorkshopStore(db).help.list('a-old').length, 1, 'migrated once');
});
