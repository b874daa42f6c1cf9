// The fast-forward job registry: one job per session (Start here follows an instructor's job already on its
// way), instructor jobs queued a few at a time, and a queued job dropped when its session left. The steps
// are real bash commands (a short sleep and a marker file), so a lane's concurrency shows in the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../labs/load.ts';
import type { Session } from '../sessions/session-manager.ts';
import { memoryLogger } from '../log.ts';
import { JobRegistry } from './jobs.ts';
import type { ShellEnv } from './shell-runner.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobs-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Two chapters of one step each; a step records when it starts and ends in `dir`. */
function lab(): Lab {
  const step = (id: string) => ({
    id, title: id, checks: [], waitSeconds: 1,
    solution: { commands: [`touch "${dir}/$RUN.${id}.start"; sleep 0.3; touch "${dir}/$RUN.${id}.end"`], manifests: [] },
  });
  return { id: 'test', chapters: [{ id: 'c1', steps: [step('a')] }, { id: 'c2', steps: [step('b')] }, { id: 'c3', steps: [] }] } as unknown as Lab;
}

const session = (id: string) => ({ id, cluster: {} }) as unknown as Session;

/** A shell on this machine, with RUN naming the session in the marker files. */
const shellFor = (run: string) => (): ShellEnv => ({
  launch: (file, args) => ({ file, args, env: { PATH: '/usr/bin:/bin', RUN: run }, cwd: dir }),
  dispose: () => undefined,
});

const log = memoryLogger();

test('a session has one job at a time: Start here during the instructor\'s fast-forward gets that job', async () => {
  const jobs = new JobRegistry(log);
  const first = jobs.startFastForward(lab(), 'c3', session('s1'), shellFor('s1'), { by: 'instructor' });
  assert.equal(first.job.total, 2);
  const again = jobs.startFastForward(lab(), 'c2', session('s1'), shellFor('s1'));
  assert.equal(again.job.id, first.job.id);
  assert.equal(again.job.by, 'instructor');
  assert.equal(jobs.current('s1')?.id, first.job.id);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(first.job.current, { chapter: 'c1', step: 'a', title: 'a' }, 'the step being applied is named while it runs');
  const done = await again.finished;
  assert.equal(done.state, 'done');
  assert.equal(done.current, undefined);
  assert.deepEqual(done.steps.map((p) => p.step), ['a', 'b']);
  assert.equal(jobs.current('s1'), undefined, 'a finished job is no longer current');
  assert.equal(jobs.get(first.job.id, 's1')?.state, 'done', 'but can still be read');
  assert.equal(jobs.get(first.job.id, 'other'), undefined, 'by its own session only');
});

test('instructor fast-forwards run two at a time; the others wait as queued; a learner\'s Start here does not wait', async () => {
  const jobs = new JobRegistry(log);
  const started = ['q1', 'q2', 'q3'].map((id) => jobs.startFastForward(lab(), 'c2', session(id), shellFor(id), { by: 'instructor' }));
  assert.deepEqual(started.map((s) => s.job.state), ['running', 'running', 'queued']);
  const own = jobs.startFastForward(lab(), 'c2', session('learner'), shellFor('learner'));
  assert.equal(own.job.state, 'running');
  await Promise.all([...started.map((s) => s.finished), own.finished]);
  assert.ok(existsSync(join(dir, 'q3.a.end')), 'the queued job ran in the end');
  // q3 started only after one of q1/q2 ended: its start marker is newer than the first end marker.
  const at = (f: string) => statSync(join(dir, f)).mtimeMs;
  assert.ok(at('q3.a.start') >= Math.min(at('q1.a.end'), at('q2.a.end')), 'the third waited for a free lane');
  assert.ok(at('learner.a.start') < at('q1.a.end'), 'the learner\'s own job ran alongside');
});

test('a queued job whose session left meanwhile is dropped, not run', async () => {
  const jobs = new JobRegistry(log);
  const busy = ['w1', 'w2'].map((id) => jobs.startFastForward(lab(), 'c2', session(id), shellFor(id), { by: 'instructor' }));
  let here = true;
  const gone = jobs.startFastForward(lab(), 'c2', session('gone'), shellFor('gone'), { by: 'instructor', stillWanted: () => here });
  here = false;
  const job = await gone.finished;
  await Promise.all(busy.map((b) => b.finished));
  assert.equal(job.state, 'failed');
  assert.match(job.error ?? '', /left before its turn/);
  assert.deepEqual(job.steps, []);
  assert.ok(!readdirSync(dir).some((f) => f.startsWith('gone.')), 'nothing ran for it');
});

test('the latest job of a session is the one on its way, else one that ended within the window', async () => {
  const jobs = new JobRegistry(log);
  const { job, finished } = jobs.startFastForward(lab(), 'c2', session('r1'), shellFor('r1'));
  assert.equal(jobs.latest('r1', 60_000)?.id, job.id, 'running');
  await finished;
  assert.equal(jobs.latest('r1', 60_000)?.id, job.id, 'just ended');
  assert.equal(jobs.latest('r1', 60_000, job.endedAt! + 60_001), undefined, 'ended long ago');
  assert.equal(jobs.latest('other', 60_000), undefined);
});

test('the instructor\'s fast-forward during the learner\'s own Start here runs after it, so the cluster ends where the class is', async () => {
  const jobs = new JobRegistry(log);
  const own = jobs.startFastForward(lab(), 'c2', session('m1'), shellFor('m1own'));
  const instructor = jobs.startFastForward(lab(), 'c3', session('m1'), shellFor('m1ins'), { by: 'instructor' });
  assert.notEqual(instructor.job.id, own.job.id);
  assert.equal(instructor.job.state, 'queued');
  assert.equal(jobs.current('m1')?.id, own.job.id, 'the page follows the running one first');
  // The same move asked again (a second "Everyone to") is the same job.
  assert.equal(jobs.startFastForward(lab(), 'c3', session('m1'), shellFor('m1ins'), { by: 'instructor' }).job.id, instructor.job.id);
  const [a, b] = await Promise.all([own.finished, instructor.finished]);
  assert.deepEqual([a.state, b.state], ['done', 'done']);
  assert.deepEqual(b.steps.map((p) => p.step), ['a', 'b']);
  const at = (f: string) => statSync(join(dir, f)).mtimeMs;
  assert.ok(at('m1ins.a.start') >= at('m1own.a.end'), 'not at the same time on one cluster');
});
