import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { memoryLogger } from '../log.ts';
import type { Session } from '../sessions/session-manager.ts';
import type { ServerMessage } from '../../protocol/terminal-protocol.ts';
import { ShellLauncher } from './shell-launcher.ts';
import { TerminalManager } from './terminal-manager.ts';
import { RunawayWatchdog, runawayReason } from './runaway-watchdog.ts';
import type { TerminalSink } from './terminal-process.ts';

const PIDS = 48;

/** A sink that keeps what a browser would receive. */
function recordingSink() {
  let text = '';
  const controls: ServerMessage[] = [];
  const sink: TerminalSink = {
    sendData: (_seq, bytes) => (text += Buffer.from(bytes).toString('utf8')),
    sendControl: (m) => controls.push(m),
    close: () => undefined,
  };
  return { sink, controls, text: () => text };
}

async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A real sandboxed shell (bubblewrap + cgroups) for one session, attached to a recording sink and showing
 * a prompt; undefined (after cleaning up) where this machine cannot sandbox.
 */
async function sandboxedShell(env: Record<string, string>, sessionId: string) {
  const dataDir = mkdtempSync(join(tmpdir(), `${sessionId}-`));
  const loaded = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env });
  assert.ok(loaded.ok);
  const config = loaded.config;
  const log = memoryLogger();
  const launcher = ShellLauncher.detect(config, log);
  if (!launcher.cgroups || launcher.mode !== 'bwrap') {
    rmSync(dataDir, { recursive: true, force: true });
    return undefined;
  }
  chmodSync(dataDir, 0o711);
  const home = join(dataDir, 'home');
  mkdirSync(home);
  chownSync(home, config.LEARNER_UID, config.LEARNER_GID);
  const session = { id: sessionId, homeDir: home } as Session;
  const terminals = new TerminalManager({ launcher, log, maxPerSession: 4, replayBytes: 64 * 1024 });
  const cleanup = () => {
    terminals.disposeSession(session.id);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const opened = terminals.open(session, 'main', 80, 24);
    assert.ok(opened.ok);
    const term = opened.terminal;
    const browser = recordingSink();
    term.attach(browser.sink, 0, undefined, 80, 24);
    term.write('echo ready-$((2+2))\r');
    await until('a prompt', () => browser.text().includes('ready-4'));
    return { cgroups: launcher.cgroups, log, terminals, session, term, browser, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

test('a fork bomb is stopped, the learner is told why, and Restart gives a working shell', { skip: process.getuid?.() !== 0 && 'needs root (cgroups, bubblewrap)' }, async (t) => {
  const shell = await sandboxedShell({ SANDBOX_PIDS: String(PIDS) }, 'runaway-test');
  if (!shell) return t.skip('no bubblewrap + cgroups here');
  const { cgroups, log, terminals, session, term, browser } = shell;
  const watchdog = new RunawayWatchdog({ cgroups, terminals, pidsMax: PIDS, log });
  try {
    assert.deepEqual(watchdog.check(), [], 'a quiet session is left alone');

    term.write('bomb() { bomb | bomb & }; bomb\r');
    const stopped = await until('the watchdog to act', () => {
      const s = watchdog.check();
      return s.length ? s : undefined;
    });
    assert.deepEqual(stopped, [session.id]);
    const exit = await until('the exit frame', () => browser.controls.find((m) => m.type === 'exit'));
    assert.equal(exit.type === 'exit' && exit.reason, runawayReason(PIDS));
    await until('every process of the session to be gone', () => cgroups.pids(session.id).length === 0);
    assert.ok(log.lines.some((l) => l.msg === 'runaway processes stopped'));

    term.restart();
    term.write('echo back-$((3*3))\r');
    await until('the fresh shell', () => browser.text().includes('back-9'));
    assert.deepEqual(watchdog.check(), [], 'the fresh shell is not taken for a bomb');
  } finally {
    shell.cleanup();
  }
});

test('a shell the kernel kills for going over the memory limit says so', { skip: process.getuid?.() !== 0 && 'needs root (cgroups, bubblewrap)' }, async (t) => {
  const shell = await sandboxedShell({ SANDBOX_MEMORY_MB: '64' }, 'oom-test');
  if (!shell) return t.skip('no bubblewrap + cgroups here');
  const { term, browser } = shell;
  try {
    term.write(`exec perl -e '$x = "a" x (256 * 1024 * 1024)'\r`);
    const exit = await until('the exit frame', () => browser.controls.find((m) => m.type === 'exit'), 30_000);
    assert.equal(exit.type === 'exit' && exit.reason, 'Stopped: the lab went over its memory limit of 64 MB, so the system ended the shell\'s biggest process.');
    term.restart();
    term.write('exit 3\r');
    const second = await until('the second exit', () => browser.controls.filter((m) => m.type === 'exit')[1]);
    assert.equal(second.type === 'exit' && second.reason, undefined, 'a plain exit has no reason');
  } finally {
    shell.cleanup();
  }
});
