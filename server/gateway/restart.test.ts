/**
 * A server restart loses no session: sockets are told "restarting" (4005, retry), and the same token
 * works on the new process — a fresh shell, the same home (files kept), the same cluster token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, createSession, TestTerminal } from '../http/test-server.ts';
import { CLOSE } from '../../protocol/terminal-protocol.ts';

test('sessions, homes and cluster tokens survive a graceful restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'restart-'));
  const one = await startTestServer({}, { dataDir });
  const s = await createSession(one.url);
  const t = await TestTerminal.open(one.url, s.token);
  t.input('echo kept > ~/note.txt; echo wrote-$((1+1))\r');
  await t.waitText('wrote-2');
  const kubeconfig = readFileSync(join(dataDir, 'homes', s.id, '.kube', 'config'), 'utf8');
  await one.stop();
  assert.equal(await t.closed, CLOSE.restarting);
  assert.equal(t.controls.find((c) => c.type === 'error' && c.code === 'SERVER_RESTARTING')?.type, 'error');

  const two = await startTestServer({}, { dataDir });
  const cur = await fetch(two.url + '/api/sessions/current', { headers: { authorization: `Bearer ${s.token}` } });
  assert.equal(cur.status, 200);
  assert.equal(((await cur.json()) as { id: string }).id, s.id);
  const t2 = await TestTerminal.open(two.url, s.token, 'main', { lastSeq: t.seq, epoch: t.control('ready')!.epoch });
  await t2.waitFor(() => !!t2.control('ready'));
  assert.equal(t2.control('ready')!.reset, true, 'a new shell: the page clears its screen');
  t2.input('cat ~/note.txt\r');
  await t2.waitText('kept\r\n');
  const token = /token: (\S+)/.exec(kubeconfig)![1];
  assert.match(readFileSync(join(dataDir, 'homes', s.id, '.kube', 'config'), 'utf8'), new RegExp(`token: ${token}`));
  t2.close();
  await two.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a killed server\'s session cgroups are removed when the next server starts on its DATA_DIR', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'restart-cg-'));
  const one = await startTestServer({}, { dataDir });
  let two: Awaited<ReturnType<typeof startTestServer>> | undefined;
  try {
    if (!one.launcher.cgroups) return t.skip('no cgroups here (not root)');
    const s = await createSession(one.url);
    const term = await TestTerminal.open(one.url, s.token);
    await term.waitFor(() => !!term.control('ready'));
    const group = `/sys/fs/cgroup/pids/travels/${s.id}`;
    assert.ok(existsSync(group), 'the session has its cgroup');
    // As after kill -9: the shells die (bwrap --die-with-parent), the groups stay behind.
    for (const x of one.terminals.list(s.id)) x.kill();
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(existsSync(group), 'still there without a graceful close');
    two = await startTestServer({}, { dataDir });
    assert.equal(existsSync(group), false, 'removed at start-up');
  } finally {
    await two?.stop();
    await one.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
