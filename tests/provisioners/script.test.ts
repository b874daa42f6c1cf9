/**
 * The script adapter: a real create command that starts a standalone emulator cluster (`npm run cluster`)
 * and prints its kubeconfig path, failures with a clear error and nothing leaked (destroy after every
 * failed attempt, timeouts kill the command's process group), destroy retried after a restart, and the
 * warm pool (Start takes a prepared cluster without running the create command).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScriptProvisioner, type ScriptOptions } from '../../server/provisioners/script.ts';
import { ProvisionError } from '../../server/provisioners/provision-events.ts';
import { createLogger } from '../../server/log.ts';
import { startClusters } from './rbac-host.ts';
import { kubectl, kubeconfigFile } from './kubectl.ts';

const log = createLogger({ level: 'error', write: () => undefined });
const ROOT = new URL('../..', import.meta.url).pathname;
let env: Awaited<ReturnType<typeof startClusters>>;
before(async () => {
  env = await startClusters(2);
});
after(() => env.close());

function setup(create: string, destroy: string, extra: Partial<ScriptOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'travels-script-'));
  const db = new DatabaseSync(join(dir, 'server.db'));
  const opts: ScriptOptions = { db, create, destroy, workDir: join(dir, 'clusters'), log, env: { MARK: join(dir, 'marks') }, ...extra };
  const marks = () => (existsSync(join(dir, 'marks')) ? readFileSync(join(dir, 'marks'), 'utf8').trim().split('\n') : []);
  const rows = () => db.prepare("SELECT state FROM provisioner_clusters WHERE adapter = 'script'").all().map((r) => ({ ...r }));
  return { dir, db, opts, marks, rows };
}

test('a failing create command gives a clear error, streams its progress and destroys every attempt', async () => {
  const t = setup('echo "pulling node image" >&2; echo "ERROR: failed to create cluster: docker not running" >&2; exit 3', 'echo "destroy $TRAVELS_CLUSTER_ID" >> "$MARK"', { retries: 1 });
  const p = await ScriptProvisioner.start(t.opts);
  const lines: string[] = [];
  p.onProgress((sid, line) => lines.push(`${sid}: ${line}`));
  await assert.rejects(p.acquire('s1'), (err: unknown) => {
    assert.ok(err instanceof ProvisionError);
    assert.equal(err.code, 'SCRIPT_CREATE_FAILED');
    assert.match(err.message, /^creating your cluster failed after 2 attempts: the create command exited with 3\npulling node image\nERROR: failed to create cluster: docker not running$/);
    return true;
  });
  assert.ok(lines.includes('s1: ERROR: failed to create cluster: docker not running'), lines.join('\n'));
  assert.ok(lines.includes('s1: Retrying (attempt 2 of 2)…'));
  assert.equal(t.marks().length, 2, 'each failed attempt was destroyed');
  assert.match(t.marks()[0], /^destroy travels-[0-9a-f]{8}$/);
  assert.deepEqual(t.rows(), [], 'nothing left behind');
  await p.close();
});

test('a create command past its deadline is killed with its children, then destroyed', async () => {
  const t = setup('echo $$ > "$MARK.pid"; echo starting >&2; sleep 30 & wait', 'echo destroyed >> "$MARK"', { retries: 0, createTimeoutMs: 800 });
  const p = await ScriptProvisioner.start({ ...t.opts });
  await assert.rejects(p.acquire('s1'), /failed after 1 attempt: the create command did not finish within 1 s\nstarting$/);
  const pid = Number(readFileSync(`${join(t.dir, 'marks')}.pid`, 'utf8'));
  assert.throws(() => process.kill(pid, 0), 'the create shell is gone');
  assert.deepEqual(t.marks(), ['destroyed']);
  assert.deepEqual(t.rows(), []);
  await p.close();
});

test('output that is no kubeconfig, or a cluster that cannot be set up, fails cleanly', async () => {
  const garbage = setup('echo "done!"', 'echo d >> "$MARK"', { retries: 0 });
  const p1 = await ScriptProvisioner.start(garbage.opts);
  await assert.rejects(p1.acquire('s'), /printed "done!", which is neither a kubeconfig nor an existing file/);
  assert.deepEqual(garbage.marks(), ['d']);
  await p1.close();

  const unreachable = setup(
    "printf 'apiVersion: v1\\nkind: Config\\nclusters:\\n- name: c\\n  cluster:\\n    server: https://127.0.0.1:9\\nusers:\\n- name: u\\n  user:\\n    token: t\\ncontexts:\\n- name: c\\n  context:\\n    cluster: c\\n    user: u\\ncurrent-context: c\\n'",
    'echo d >> "$MARK"',
    { retries: 0 },
  );
  const p2 = await ScriptProvisioner.start(unreachable.opts);
  await assert.rejects(p2.acquire('s'), /setting up the learner's permissions failed: .*ECONNREFUSED/);
  assert.deepEqual(unreachable.marks(), ['d']);
  assert.deepEqual(unreachable.rows(), []);
  await p2.close();
});

test('a destroy that fails is retried at the next start', async () => {
  const seat = env.clusters[0];
  const t = setup(`cat ${seat.kubeconfig}`, 'test -f "$MARK.ok" && echo ok >> "$MARK"', { retries: 0 });
  let p = await ScriptProvisioner.start(t.opts);
  await p.acquire('s1');
  await p.release('s1');
  await p.idle();
  assert.deepEqual(t.rows(), [{ state: 'broken' }], 'kept for a retry');
  await p.close();
  writeFileSync(`${join(t.dir, 'marks')}.ok`, '');
  p = await ScriptProvisioner.start(t.opts);
  await p.idle();
  assert.deepEqual(t.marks(), ['ok']);
  assert.deepEqual(t.rows(), []);
  await p.close();
});

test('warm pool: Start takes a prepared cluster without running the create command', async () => {
  // Each create hands out the next emulated cluster (seat-0, seat-1), as a real script makes a new one.
  const t = setup(`n=$(cat "$MARK" 2>/dev/null | wc -l); echo create >> "$MARK"; cat ${env.dir}/seat-$n.yaml`, 'echo destroy >> "$MARK"', { warm: 1 });
  const p = await ScriptProvisioner.start(t.opts);
  await p.idle();
  assert.deepEqual(p.stats(), { ready: 1 });
  assert.deepEqual(t.marks(), ['create']);
  const started = Date.now();
  const access = await p.acquire('s1');
  assert.ok(Date.now() - started < 500, 'instant');
  const ns = await kubectl(kubeconfigFile(access), ['get', 'namespace', 'travels-sandbox', '-o', 'name']);
  assert.equal(ns.stdout.trim(), 'namespace/travels-sandbox', ns.stderr);
  assert.match((await kubectl(kubeconfigFile(access), ['get', 'secrets', '-A'])).stderr, /cannot list resource "secrets"/);
  await p.idle();
  assert.deepEqual(p.stats(), { leased: 1, ready: 1 }, 'refilled');
  assert.deepEqual(t.marks(), ['create', 'create']);
  await p.release('s1');
  await p.idle();
  assert.deepEqual(t.marks(), ['create', 'create', 'destroy']);
  await p.close();
});

test('a real create script: a standalone emulator cluster (npm run cluster) per session', { timeout: 120_000 }, async () => {
  const cli = join(ROOT, 'server/emulator/cli.ts');
  const create = [
    `"${process.execPath}" "${cli}" --kubeconfig "$TRAVELS_KUBECONFIG" > cluster.log 2>&1 &`,
    'echo $! > cluster.pid',
    'echo "starting emulator for $TRAVELS_CLUSTER_ID" >&2',
    'i=0; until grep -q ready cluster.log; do i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 0.1; done',
    'echo "cluster is up" >&2',
    'echo "$TRAVELS_KUBECONFIG"',
  ].join('\n');
  const destroy = 'pid=$(cat cluster.pid); kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.1; done; echo "$TRAVELS_CLUSTER_ID" >> "$MARK"';
  const t = setup(create, destroy, { retries: 0, createTimeoutMs: 90_000 });
  const p = await ScriptProvisioner.start(t.opts);
  const lines: string[] = [];
  p.onProgress((_sid, line) => lines.push(line));
  const access = await p.acquire('s1');
  assert.deepEqual(lines.filter((l) => !l.startsWith('starting')), ['Creating your cluster…', 'cluster is up', 'Setting up your permissions…', 'Cluster ready.']);
  assert.match(access.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  const row = t.db.prepare("SELECT cluster_id, kubeconfig FROM provisioner_clusters WHERE adapter = 'script'").get() as { cluster_id: string; kubeconfig: string };
  const admin = row.kubeconfig;
  const sa = await kubectl(admin, ['get', 'serviceaccount', 'learner', '-n', 'travels-sandbox', '-o', 'name']);
  assert.equal(sa.stdout.trim(), 'serviceaccount/learner', sa.stderr);
  const crb = await kubectl(admin, ['get', 'clusterrolebinding', 'travels-learner', '-o', 'jsonpath={.subjects[0].name}']);
  assert.equal(crb.stdout, 'learner');
  const pid = Number(readFileSync(join(t.opts.workDir, row.cluster_id, 'cluster.pid'), 'utf8'));
  await p.release('s1');
  await p.idle();
  assert.deepEqual(t.marks(), [row.cluster_id]);
  assert.throws(() => process.kill(pid, 0), 'the cluster process is gone');
  assert.deepEqual(t.rows(), []);
  await p.close();
});
