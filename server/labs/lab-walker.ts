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
      const commands = await runCommands(step.commands, shell);
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
      const w = { step: step.id, before, commands, solution, after };
      walks.push(w);
      onStep(w);
    }
    return walks;
  } finally {
    shell.dispose();
  }
}
