/**
 * Solve and Start here: applies step solutions to a learner's cluster with real bash + kubectl (the same
 * commands a learner would type), then waits for the step's checks so the next step starts from a settled
 * cluster. Start here replays every earlier chapter this way.
 */
import type { Lab } from '../../labs/load.ts';
import { manifestText } from '../../labs/load.ts';
import type { Step } from '../../labs/schema.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { waitForChecks, type CheckResult } from './checks.ts';
import { kubectl, runCommands, type CommandResult, type ShellEnv } from './shell-runner.ts';

export interface SolveResult {
  ok: boolean;
  transcript: CommandResult[];
  results: CheckResult[];
}

/** Applies a step's solution (commands, then manifests) in an existing shell environment. */
export async function applySolution(lab: Lab, chapterId: string, step: Step, shell: ShellEnv): Promise<CommandResult[]> {
  const transcript = await runCommands(step.solution.commands, shell);
  for (const m of step.solution.manifests) {
    const args = ['apply', '-f', '-', ...(m.namespace ? ['-n', m.namespace] : [])];
    const r = await kubectl(args, shell, manifestText(lab, chapterId, m));
    transcript.push({ command: `kubectl ${args.join(' ')}  # ${m.file ?? 'inline YAML'}`, output: r.stdout + r.stderr, exitCode: r.exitCode });
  }
  return transcript;
}

/**
 * `access` is for the API calls of the checks; `openShell` gives where the solution's commands run: the
 * learner's sandbox on a server (see ShellLauncher.sandboxedCommand), a scratch kubeconfig in tests.
 */
export async function solveStep(lab: Lab, chapterId: string, step: Step, access: ClusterAccess, openShell: () => ShellEnv): Promise<SolveResult> {
  const shell = openShell();
  try {
    const transcript = await applySolution(lab, chapterId, step, shell);
    const results = step.checks.length
      ? await waitForChecks(access, step, step.waitSeconds * 1000)
      : [];
    return { ok: results.every((r) => r.ok), transcript, results };
  } finally {
    shell.dispose();
  }
}

export interface FastForwardProgress {
  chapter: string;
  step: string;
  ok: boolean;
  detail?: string;
}

/**
 * The checks a fast-forward waits for: the cluster's state, not its telemetry. A traffic check waits for
 * the graph to see (or forget) a minute of requests, which the chapters after it never build on — waiting
 * for one cost Start here half a minute. Solve, and the lab tests, still wait for every check.
 */
function stateChecksOf(step: Step): Step {
  return { ...step, checks: step.checks.filter((c) => c.type !== 'meshTraffic') };
}

/** Runs the solutions of every chapter before `chapterId`, in order; stops at the first step that fails. */
export async function fastForward(
  lab: Lab,
  chapterId: string,
  access: ClusterAccess,
  onStep: (p: FastForwardProgress) => void,
  openShell: () => ShellEnv,
  onBegin?: (chapter: string, step: Step) => void,
): Promise<{ ok: boolean; failed?: FastForwardProgress }> {
  const idx = lab.chapters.findIndex((c) => c.id === chapterId);
  const shell = openShell();
  try {
    for (const chapter of lab.chapters.slice(0, Math.max(idx, 0))) {
      for (const step of chapter.steps) {
        onBegin?.(chapter.id, step);
        await applySolution(lab, chapter.id, step, shell);
        const settled = stateChecksOf(step);
        const results = settled.checks.length ? await waitForChecks(access, settled, step.waitSeconds * 1000) : [];
        const bad = results.find((r) => !r.ok);
        const p = { chapter: chapter.id, step: step.id, ok: !bad, ...(bad ? { detail: `${bad.title}: ${bad.detail}` } : {}) };
        onStep(p);
        if (bad) return { ok: false, failed: p };
      }
    }
    return { ok: true };
  } finally {
    shell.dispose();
  }
}
