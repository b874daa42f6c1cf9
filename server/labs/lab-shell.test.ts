// Lab commands (Solve, Start here, Apply, Diff) run in the learner's own sandbox, never with the server's
// rights: they handle data the learner controls. Against the real server stack (bubblewrap when this
// machine has it, as CI does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { createLogger } from '../log.ts';
import { startServer, type RunningServer } from '../main.ts';
import type { ShellLauncher } from '../terminal/shell-launcher.ts';
import type { Provisioner } from '../provisioners/provisioner.ts';
import type { Session } from '../sessions/session-manager.ts';
import { labShellFor } from './lab-shell.ts';
import { runCommands } from './shell-runner.ts';

const REPO = resolve(import.meta.dirname, '../..');
let server: RunningServer;
let config: Config;
let dataDir: string;
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lab-shell-'));
  const loaded = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  config = loaded.config;
  server = await startServer(config, { log: createLogger({ level: 'error', base: {} }), serveStatic: false });
});
after(async () => {
  await server.close('test done');
  rmSync(dataDir, { recursive: true, force: true });
});

test('with a sandbox, lab commands run as the learner, see none of the server, and reach the learner\'s cluster', async (t) => {
  if (server.launcher.mode !== 'bwrap') return t.skip(`no sandbox on this machine (${server.launcher.reason})`);
  const res = await fetch(`${server.url}/api/sessions`, { method: 'POST' });
  assert.equal(res.status, 201);
  const session = server.deps.sessions.get((await res.json()).id)!;
  const open = server.deps.labShell(session);
  assert.ok(open);
  const shell = open();
  try {
    const [uid, repo, data, ns] = await runCommands(
      ['id -u', `ls ${REPO}/package.json`, `ls ${dataDir}`, 'kubectl get namespace default -o name'],
      shell,
    );
    const expectedUid = process.getuid?.() === 0 ? config.LEARNER_UID : process.getuid?.();
    assert.equal(uid.output.trim(), String(expectedUid));
    assert.notEqual(repo.exitCode, 0, `the repository is visible: ${repo.output}`);
    assert.notEqual(data.exitCode, 0, `the data dir is visible: ${data.output}`);
    assert.equal(ns.output.trim(), 'namespace/default', ns.output);
  } finally {
    shell.dispose();
  }
});

test('without a sandbox, lab commands run only on a loopback-only server; an exposed one refuses them', () => {
  const provisioner = {} as Provisioner;
  const session = { id: 's', homeDir: '/nonexistent', cluster: { server: 'https://127.0.0.1:1', token: 't' } } as unknown as Session;
  const exposed = { mode: 'none', terminals: 'disabled' } as ShellLauncher;
  assert.equal(labShellFor(exposed, provisioner)(session), undefined);
  const local = { mode: 'none', terminals: 'loopback-only' } as ShellLauncher;
  assert.equal(typeof labShellFor(local, provisioner)(session), 'function');
});
