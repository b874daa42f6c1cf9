/**
 * Plays the scenario against a fresh emulated cluster with one kubectl version and returns the
 * normalised transcript: each command, its stdout, its stderr and a non-zero exit code.
 */
import { fileURLToPath } from 'node:url';
import { KubectlSession } from './harness.ts';
import { normalise } from './normalise.ts';
import type { Step } from './scenario.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export async function transcript(version: string, steps: Step[]): Promise<string> {
  const session = await KubectlSession.start();
  const out: string[] = [];
  try {
    for (const step of steps) {
      if ('settle' in step) {
        await session.settle();
        continue;
      }
      const res = await session.run(version, step.kubectl, { cwd: REPO });
      out.push(`$ kubectl ${step.kubectl.map(quote).join(' ')}`);
      if (res.stdout.trim()) out.push(res.stdout.trimEnd());
      if (res.stderr.trim()) out.push(...res.stderr.trimEnd().split('\n').map((l) => `[stderr] ${l}`));
      if (res.code !== 0) out.push(`[exit ${res.code}]`);
      out.push('');
    }
  } finally {
    await session.close();
  }
  return normalise(out.join('\n'));
}

function quote(arg: string): string {
  return /^[\w./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
