/**
 * Walks a chapter as a learner would — the commands shown on the page, then the step's solution, then the
 * checks until they pass — recording each command's terminal output. Used by the build-time recorder
 * (scripts/record-outputs.ts, whose outputs the static pages show) and by tests/labs.
 */
import type { Lab } from '../../labs/load.ts';
import type { Chapter } from '../../labs/schema.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { runChecks, waitForChecks, type CheckResult } from './checks.ts';
import { applySolution } from './solver.ts';
import { runCommands, shellEnvFor, type CommandResult } from './shell-runner.ts';

export interface StepWalk {
  step: string;
  /** Checks before anything of the step ran. */
  before: CheckResult[];
  /** The page's commands, with the output a learner would see. */
  commands: CommandResult[];
  /** What Solve ran on top of the commands (editor YAML, or nothing when the commands are the solution). */
  solution: CommandResult[];
  after: CheckResult[];
}

/** Commands that only look (get, logs, describe, proxy-config…): safe to show after the step settled. */
const READ_ONLY = /^(kubectl (get|logs|describe|top|rollout status)|istioctl (proxy-config|pc|proxy-status|ps|analyze|version))\b/;

/** Splits a step's commands into those that change things and the trailing look-arounds. */
function splitTail(commands: string[]): [string[], string[]] {
  let cut = commands.length;
  while (cut > 0 && READ_ONLY.test(commands[cut - 1])) cut--;
  // A step made only of look-arounds runs them all up front (nothing to settle first).
  return cut === 0 ? [commands, []] : [commands.slice(0, cut), commands.slice(cut)];
}

export async function walkChapter(
  lab: Lab,
  chapter: Chapter,
  access: ClusterAccess,
  onStep: (w: StepWalk) => void = () => undefined,
): Promise<StepWalk[]> {
  const shell = shellEnvFor(access);
  const walks: StepWalk[] = [];
  try {
    for (const step of chapter.steps) {
      const before = await runChecks(access, step);
      const wait = () => (step.checks.length ? waitForChecks(access, step, step.waitSeconds * 1000) : Promise.resolve([]));
      // The page's commands first, as the learner types them; then the solution only where the commands
      // are not enough (editor steps, or commands that only look around).
      const [lead, tail] = splitTail(step.commands);
      const commands = await runCommands(lead, shell);
      let solution: CommandResult[] = [];
      let after: CheckResult[];
      if (step.solution.manifests.length > 0 || step.commands.length === 0) {
        solution = await applySolution(lab, chapter.id, step, shell);
        after = await wait();
      } else {
        after = await wait();
        if (!after.every((r) => r.ok) && step.solution.commands.length > 0) {
          solution = await applySolution(lab, chapter.id, step, shell);
          after = await wait();
        }
      }
      // Look-arounds at the end of a step show the settled state, as they would a moment later.
      commands.push(...(await runCommands(tail, shell)));
      const w = { step: step.id, before, commands, solution, after };
      walks.push(w);
      onStep(w);
    }
    return walks;
  } finally {
    shell.dispose();
  }
}
