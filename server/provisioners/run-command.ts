/**
 * Runs one user-supplied shell command (the script adapter's create/destroy) with a deadline: its
 * stderr is streamed line by line (progress for the learner), its stdout collected (the result), and on
 * timeout the whole process group is stopped — TERM, then KILL — so no `kind create` keeps running.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  /** The last stderr lines, for the error message. */
  stderrTail: string[];
}

export interface RunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  onLine?: (line: string) => void;
  /** Grace between TERM and KILL. */
  killAfterMs?: number;
}

const MAX_STDOUT = 1 << 20;
const TAIL = 8;

export function runCommand(command: string, opts: RunOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let pending = '';
    const tail: string[] = [];
    let timedOut = false;
    const line = (l: string) => {
      const text = l.replace(/\r$/, '');
      if (!text.trim()) return;
      tail.push(text);
      if (tail.length > TAIL) tail.shift();
      opts.onLine?.(text);
    };
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < MAX_STDOUT) stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      pending += c.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const p of parts) line(p);
    });
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // Already gone: nothing to stop.
      }
    };
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), opts.killAfterMs ?? 5000);
    }, opts.timeoutMs);
    child.on('error', (err) => {
      tail.push(err.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      if (pending) line(pending);
      // Children the command left behind in its group (a backgrounded helper) die with it.
      if (timedOut) killGroup('SIGKILL');
      resolve({ code, signal, timedOut, stdout, stderrTail: tail });
    });
  });
}
