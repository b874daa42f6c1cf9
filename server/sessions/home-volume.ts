/**
 * Disk quota for learner homes: each home is its own small ext4 image, loop-mounted (nosuid, nodev)
 * on DATA_DIR/homes/<id>, so filling it fails with "No space left on device" inside that session
 * and never fills the server's disk. Formatting costs ~150 ms, so a couple of spare images are kept
 * formatted ahead of time. Needs root and loop devices; without them homes are plain directories
 * (RLIMIT_FSIZE still caps single files) and the server says so at start-up.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log.ts';

const run = promisify(execFile);

export interface HomeVolumesOptions {
  homesDir: string;
  sizeMb: number;
  log: Logger;
  spares?: number;
}

export class HomeVolumes {
  readonly enabled: boolean;
  private readonly opts: HomeVolumesOptions;
  private refilling: Promise<void> | undefined;

  private constructor(opts: HomeVolumesOptions, enabled: boolean) {
    this.opts = opts;
    this.enabled = enabled;
  }

  /** Probes root + loop support; never throws. */
  static async create(opts: HomeVolumesOptions): Promise<HomeVolumes> {
    mkdirSync(opts.homesDir, { recursive: true });
    const canTry = process.getuid?.() === 0 && existsSync('/dev/loop-control') && existsSync('/usr/sbin/mkfs.ext4');
    let enabled = false;
    if (canTry) {
      const probeImg = join(opts.homesDir, '.probe.img');
      const probeDir = join(opts.homesDir, '.probe');
      try {
        await format(probeImg, 8);
        mkdirSync(probeDir, { recursive: true });
        await run('mount', ['-o', 'loop,nosuid,nodev', probeImg, probeDir]);
        await run('umount', [probeDir]);
        enabled = true;
      } catch (err) {
        opts.log.warn('home quotas unavailable (loop mount failed): homes are plain directories', { err: String(err) });
      } finally {
        rmSync(probeImg, { force: true });
        rmSync(probeDir, { recursive: true, force: true });
      }
    } else {
      opts.log.warn('home quotas unavailable (needs root and loop devices): homes are plain directories');
    }
    const v = new HomeVolumes(opts, enabled);
    if (enabled) void v.refill();
    return v;
  }

  /** Mounts the session's home volume on `dir` (creating the image on first use). Idempotent. */
  async mount(dir: string): Promise<void> {
    if (!this.enabled) return;
    mkdirSync(dir, { recursive: true });
    if (isMountPoint(dir)) return;
    const img = dir + '.img';
    if (!existsSync(img)) {
      const spare = this.takeSpare();
      if (spare) renameSync(spare, img);
      else await format(img, this.opts.sizeMb);
      void this.refill();
    }
    await run('mount', ['-o', 'loop,nosuid,nodev,noatime', img, dir]);
    rmSync(join(dir, 'lost+found'), { recursive: true, force: true });
  }

  /** Unmounts and deletes the session's volume. */
  async remove(dir: string): Promise<void> {
    if (this.enabled && isMountPoint(dir)) {
      await run('umount', ['-l', dir]).catch((err: unknown) => this.opts.log.warn('home umount failed', { dir, err: String(err) }));
    }
    rmSync(dir + '.img', { force: true });
  }

  /** Unmounts (keeps images) at shutdown; a restart mounts them again on re-attach. */
  async unmount(dir: string): Promise<void> {
    if (this.enabled && isMountPoint(dir)) await run('umount', ['-l', dir]).catch(() => undefined);
  }

  private spareDir(): string {
    return join(this.opts.homesDir, '.spares');
  }

  private takeSpare(): string | undefined {
    try {
      const f = readdirSync(this.spareDir()).find((n) => n.endsWith('.img'));
      return f ? join(this.spareDir(), f) : undefined;
    } catch {
      return undefined;
    }
  }

  private refill(): Promise<void> {
    this.refilling ??= (async () => {
      mkdirSync(this.spareDir(), { recursive: true, mode: 0o700 });
      const want = this.opts.spares ?? 2;
      for (let i = 0; i < 10; i++) {
        const have = readdirSync(this.spareDir()).filter((n) => n.endsWith('.img')).length;
        if (have >= want) break;
        const name = join(this.spareDir(), `${Date.now()}-${i}`);
        try {
          await format(name + '.tmp', this.opts.sizeMb);
          renameSync(name + '.tmp', name + '.img');
        } catch (err) {
          this.opts.log.warn('spare home volume failed', { err: String(err) });
          break;
        }
      }
    })().finally(() => (this.refilling = undefined));
    return this.refilling;
  }
}

async function format(img: string, sizeMb: number): Promise<void> {
  rmSync(img, { force: true });
  await run('truncate', ['-s', `${sizeMb}M`, img]);
  // No journal, no reserved blocks: a small scratch volume, formatted fast.
  await run('/usr/sbin/mkfs.ext4', ['-q', '-F', '-m', '0', '-O', '^has_journal', '-E', 'lazy_itable_init=1', img]);
}

function isMountPoint(dir: string): boolean {
  try {
    return statSync(dir).dev !== statSync(dirname(dir)).dev;
  } catch {
    return false;
  }
}
