import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { memoryLogger } from '../log.ts';
import { ShellLauncher } from './shell-launcher.ts';

function launcher(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'launch-'));
  const c = loadConfig({ DATA_DIR: dataDir, ...env });
  assert.ok(c.ok);
  const log = memoryLogger();
  const l = ShellLauncher.detect(c.config, log);
  rmSync(dataDir, { recursive: true, force: true });
  return { l, log };
}

test('without a sandbox, terminals stay on loopback and the refusal is loud', () => {
  const local = launcher({ SANDBOX: 'none', HOST: '127.0.0.1' });
  assert.equal(local.l.mode, 'none');
  assert.equal(local.l.terminals, 'loopback-only');
  assert.ok(local.log.lines.some((l) => l.level === 'warn' && String(l.msg).includes('NOT FULLY SANDBOXED')));

  const exposed = launcher({ SANDBOX: 'none', HOST: '0.0.0.0' });
  assert.equal(exposed.l.terminals, 'disabled');
  assert.ok(exposed.log.lines.some((l) => String(l.msg).includes('DISABLED')));
  assert.throws(() => exposed.l.spawn({ sessionId: 'x', homeDir: '/nonexistent' }, 80, 24), /disabled/);
});

test('as root with bubblewrap the sandbox is full and terminals may be exposed', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  const { l } = launcher({ SANDBOX: 'auto', HOST: '0.0.0.0' });
  assert.equal(l.mode, 'bwrap');
  assert.ok(l.cgroups, 'per-session cgroups available');
  assert.equal(l.terminals, 'enabled');
});
