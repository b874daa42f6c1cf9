/**
 * Runs lab commands and kubectl for the server side of the labs (Solve, Start here, Apply, Diff, and the
 * build-time recorder) exactly as a learner would: real bash, real kubectl, the lab shell tools first on
 * PATH, and a kubeconfig for the learner's cluster. Output is what kubectl prints, unaltered.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kubeconfigFor, type ClusterAccess } from '../provisioners/provisioner.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const LAB_TOOLS_DIR = join(ROOT, 'server/lab-tools');
export const MANIFESTS_DIR = join(ROOT, 'labs/travels/manifests');

export interface CommandResult {
  command: string;
  /** stdout and stderr interleaved as a terminal shows them. */
  output: string;
  exitCode: number;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Where lab commands run: how to start a program there (for child_process.spawn), and clean-up. */
export interface ShellEnv {
  launch(file: string, args: string[]): Launch;
  dispose(): void;
}

export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * Lab commands in a learner's sandbox (ShellLauncher.sandboxedCommand): what the server runs for a
 * learner then has the learner's rights, limits and network, never the server's.
 */
export function sandboxedShellEnv(wrap: (argv: string[]) => Launch): ShellEnv {
  return { launch: (file, args) => wrap([file, ...args]), dispose: () => undefined };
}

/**
 * A scratch environment (kubeconfig, kubectl cache, HOME) for one cluster, running with the server's
 * own rights: for the build-time recorder, tests, and an unsandboxed server on loopback (where the
 * learner's terminal is an unsandboxed shell anyway). dispose() removes it.
 */
export function shellEnvFor(access: ClusterAccess): ShellEnv {
  const dir = mkdtempSync(join(tmpdir(), 'travels-lab-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigFor(access), { mode: 0o600 });
  const env: Record<string, string> = {
    PATH: `${LAB_TOOLS_DIR}:/usr/local/bin:/usr/bin:/bin`,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    // kubectl's discovery cache is keyed by host:port; a private one per run avoids stale types.
    KUBECACHEDIR: join(dir, 'cache'),
    TRAVELS_MANIFESTS_DIR: MANIFESTS_DIR,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
  };
  return {
    launch: (file, args) => ({ file, args, env, cwd: dir }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs one program in `shell` with optional stdin; never throws (a spawn failure is exit code 127). */
export function runProcess(shell: ShellEnv, program: string, programArgs: string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<ProcessResult> {
  const { file, args, env, cwd } = shell.launch(program, programArgs);
  return new Promise((done) => {
    const child = spawn(file, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ stdout: '', stderr: `${file}: ${e.message}\n`, exitCode: 127 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8') + (signal ? `\n(killed: ${signal})\n` : '');
      done({ stdout: Buffer.concat(out).toString('utf8'), stderr, exitCode: code ?? 137 });
    });
    child.stdin.on('error', () => undefined); // the program may exit before reading all of stdin
    child.stdin.end(opts.stdin ?? '');
  });
}

const MARK = '\u0001TRAVELS-MARK:';

/**
 * Runs commands one after the other in ONE bash (so `X=$(…)` carries over, as in a terminal) and returns
 * each command's own output and exit code. A failing command does not stop the next one.
 */
export async function runCommands(commands: string[], shell: ShellEnv, timeoutMs = 180_000): Promise<CommandResult[]> {
  if (commands.length === 0) return [];
  const script = commands
    .map((c, i) => `printf '${MARK}start:${i}\\n'\n{ ${c}\n} 2>&1\nprintf '\\n${MARK}rc:${i}:%d\\n' "$?"`)
    .join('\n');
  const res = await runProcess(shell, '/bin/bash', ['--norc', '--noprofile', '-c', script], { timeoutMs });
  return splitMarked(commands, res.stdout + (res.stderr ? res.stderr : ''));
}

function splitMarked(commands: string[], text: string): CommandResult[] {
  const results: CommandResult[] = commands.map((command) => ({ command, output: '', exitCode: -1 }));
  const re = new RegExp(`${MARK}start:(\\d+)\\n([\\s\\S]*?)\\n?${MARK}rc:\\1:(\\d+)\\n`, 'g');
  for (const m of text.matchAll(re)) {
    const r = results[Number(m[1])];
    r.output = m[2];
    r.exitCode = Number(m[3]);
  }
  return results;
}

/** `kubectl <args>` with stdin, stdout and stderr kept apart (Apply and Diff show them as kubectl does). */
export function kubectl(args: string[], shell: ShellEnv, stdin?: string): Promise<ProcessResult> {
  return runProcess(shell, 'kubectl', args, { stdin, timeoutMs: 60_000 });
}
