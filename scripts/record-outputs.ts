/**
 * Records what every command of the tutorial prints, by walking the whole lab (page commands, then
 * solutions, then checks) against a fresh embedded cluster with real kubectl. Writes
 * labs/travels/recorded/<chapter>.json, which <Run> shows on the static site so docs never drift from
 * the product. Run: `npm run record` (also fine before `npm run build`). Exits non-zero if a step's checks
 * do not pass after its solution.
 *   --time-scale <x>  simulated time speed (default 20)   --only <chapter-id>  walk up to and including it
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmulatorHost } from '../server/emulator/host.ts';
import { loadLab } from '../labs/load.ts';
import { walkChapter } from '../server/labs/lab-walker.ts';

const { values } = parseArgs({ options: { 'time-scale': { type: 'string', default: '20' }, only: { type: 'string' } } });
const lab = loadLab('travels');
const outDir = join(lab.dir, 'recorded');
mkdirSync(outDir, { recursive: true });

const host = await EmulatorHost.start({ timeScale: Number(values['time-scale']) });
const { token } = host.createCluster({ seed: 7 });
// Plain http with the token in the path for kubectl (client-go sends bearer tokens only over TLS); the
// API client sends the bearer header.
const access = { server: host.serverUrlFor(token), token };
let failures = 0;
const t0 = Date.now();
try {
  for (const chapter of lab.chapters) {
    const recorded: Record<string, { command: string; output: string; exitCode: number }[]> = {};
    await walkChapter(lab, chapter, access, (w) => {
      recorded[w.step] = w.commands.map((c) => ({ command: c.command, output: c.output, exitCode: c.exitCode }));
      const bad = w.after.filter((r) => !r.ok);
      failures += bad.length;
      const mark = bad.length ? '✘' : '✔';
      console.log(`${mark} ${chapter.id}/${w.step} (${((Date.now() - t0) / 1000).toFixed(0)}s)`);
      for (const b of bad) console.log(`    ${b.title}: ${b.detail}`);
    });
    writeFileSync(join(outDir, `${chapter.id}.json`), JSON.stringify(recorded, null, 2) + '\n');
    if (values.only === chapter.id) break;
  }
} finally {
  await host.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
process.exit(failures ? 1 : 0);
