import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../log.ts';
import { HomeVolumes } from './home-volume.ts';

/** Mount points under `dir`, from the kernel's own table. */
const mountsUnder = (dir: string) => execFileSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' }).split('\n').filter((t) => t.startsWith(dir));

test('close() leaves no volume mounted, and no spare is made after it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'home-volumes-'));
  const homesDir = join(dir, 'homes');
  const volumes = await HomeVolumes.create({ homesDir, sizeMb: 8, log: memoryLogger(), spares: 1 });
  if (!volumes.enabled) {
    rmSync(dir, { recursive: true, force: true });
    return t.skip('needs root and loop devices');
  }
  // A session home (which schedules a spare refill a moment later), then shutdown before that refill.
  await volumes.mount(join(homesDir, 'session-a'));
  assert.ok(mountsUnder(dir).length >= 1, 'the home is a mounted volume');
  await volumes.close();
  assert.deepEqual(mountsUnder(dir), []);
  await new Promise((r) => setTimeout(r, 2500)); // past the refill delay
  assert.deepEqual(mountsUnder(dir), [], 'a refill scheduled before close() made nothing');
  rmSync(dir, { recursive: true, force: true }); // EBUSY if anything were still mounted
});
