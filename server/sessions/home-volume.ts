/**
 * Disk quota for learner homes: each home is its own small ext4 image, loop-mounted (nosuid, nodev),
 * so filling it fails with "No space left on device" inside that session and never fills the
 * server's disk. Needs root and loop devices; without them homes are plain directories (RLIMIT_FSIZE
 * still caps single files) and the server says so at start-up.
 *
 * Volumes live in homes/.vol/<vid> (mount point) + <vid>.img; a session's home homes/<id> is a
 * symlink to one. Formatting and mounting cost 0.2–0.4 s on a busy machine, so a couple of volumes
 * are kept formatted and mounted ahead of time: Start only creates a symlink (no process spawned).
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
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
  private readonly volDir: string;
  private refilling: Promise<void> | undefined;
  private refillTimer: NodeJS.Timeout | undefined;
  /** Set at shutdown: no spare may be made after it, or its mount would outlive the server. */
  private closed = false;

  private constructor(opts: HomeVolumesOptions, enabled: boolean) {
    this.opts = opts;
    this.enabled = enabled;
    this.volDir = join(opts.homesDir, '.vol');
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

  /** Gives `dir` (a session home) its volume: a ready spare, or a volume made now. Idempotent. */
  async mount(dir: string): Promise<void> {
    if (!this.enabled) return;
    const target = linkTarget(dir);
    if (target) {
      // Re-attach after a restart: the volume may need mounting again.
      if (!isMountPoint(target)) await mountImage(target);
      return;
    }
    if (existsSync(dir)) return; // a plain directory from before quotas were available
    let vol = this.takeSpare();
    // Later, not now: spawning mkfs/mount forks this (big) process, which would slow this Start.
    clearTimeout(this.refillTimer);
    this.refillTimer = setTimeout(() => void this.refill(), 2000).unref();
    if (!vol) vol = await this.makeVolume();
    symlinkSync(vol, dir);
  }

  /** Unmounts and deletes the session's volume (and the link). */
  async remove(dir: string): Promise<void> {
    const target = linkTarget(dir);
    if (!target) return;
    if (isMountPoint(target)) {
      await run('umount', ['-l', target]).catch((err: unknown) => this.opts.log.warn('home umount failed', { dir, err: String(err) }));
    }
    rmSync(target + '.img', { force: true });
    rmSync(target, { recursive: true, force: true });
    rmSync(dir, { force: true });
  }

  /** Unmounts (keeps images) at shutdown; a restart mounts them again on re-attach. */
  async unmount(dir: string): Promise<void> {
    const target = linkTarget(dir);
    if (target && isMountPoint(target)) await run('umount', ['-l', target]).catch(() => undefined);
  }

  /**
   * Shutdown: deletes the spares (cheap to make again) and unmounts whatever volume is still mounted
   * (session homes keep their images and are mounted again on re-attach). Nothing is made after this.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refillTimer);
    await this.refilling?.catch(() => undefined);
    for (const vol of this.readySpares()) {
      await run('umount', ['-l', vol]).catch(() => undefined);
      rmSync(vol + '.ready', { force: true });
      rmSync(vol + '.img', { force: true });
      rmSync(vol, { recursive: true, force: true });
    }
    for (const vol of this.mountedVolumes()) await run('umount', ['-l', vol]).catch(() => undefined);
  }

  private mountedVolumes(): string[] {
    try {
      return readdirSync(this.volDir).map((n) => join(this.volDir, n)).filter((p) => isMountPoint(p));
    } catch {
      return [];
    }
  }

  private async makeVolume(): Promise<string> {
    mkdirSync(this.volDir, { recursive: true, mode: 0o711 });
    const vol = join(this.volDir, randomBytes(8).toString('hex'));
    await format(vol + '.img', this.opts.sizeMb);
    await mountImage(vol);
    return vol;
  }

  private takeSpare(): string | undefined {
    const vol = this.readySpares()[0];
    if (!vol) return undefined;
    // Claim it at once (rename is atomic) so two concurrent Starts never share one volume.
    try {
      renameSync(vol + '.ready', vol + '.taken');
      rmSync(vol + '.taken', { force: true });
      return isMountPoint(vol) ? vol : undefined;
    } catch {
      return undefined;
    }
  }

  private readySpares(): string[] {
    try {
      return readdirSync(this.volDir)
        .filter((n) => n.endsWith('.ready'))
        .map((n) => join(this.volDir, n.slice(0, -'.ready'.length)));
    } catch {
      return [];
    }
  }

  private refill(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.refilling ??= (async () => {
      const want = this.opts.spares ?? 2;
      for (let i = 0; i < 10 && !this.closed && this.readySpares().length < want; i++) {
        try {
          const vol = await this.makeVolume();
          writeFileSync(vol + '.ready', '');
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

async function mountImage(vol: string): Promise<void> {
  mkdirSync(vol, { recursive: true });
  await run('mount', ['-o', 'loop,nosuid,nodev,noatime', vol + '.img', vol]);
  rmSync(join(vol, 'lost+found'), { recursive: true, force: true });
}

function linkTarget(dir: string): string | undefined {
  try {
    return lstatSync(dir).isSymbolicLink() ? resolve(dirname(dir), readlinkSync(dir)) : undefined;
  } catch {
    return undefined;
  }
}

function isMountPoint(dir: string): boolean {
  try {
    return statSync(dir).dev !== statSync(dirname(dir)).dev;
  } catch {
    return false;
  }
}
