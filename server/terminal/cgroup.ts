/**
 * Per-session cgroups (v1 hierarchy: pids, memory, cpu) under /sys/fs/cgroup/<ctrl>/travels/<session>:
 * the hard limits that contain a fork bomb, a memory hog or a busy loop to its own session. All
 * terminals of a session share its group. Only usable as root; callers check `available()`.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupLimits {
  pidsMax: number;
  memoryBytes: number;
  /** CPU quota as a fraction of one core (1 = one full core). */
  cpuCores: number;
}

const ROOT = '/sys/fs/cgroup';
const CONTROLLERS = ['pids', 'memory', 'cpu'] as const;

export class SessionCgroups {
  private readonly root: string;
  private readonly parent: string;

  constructor(opts: { root?: string; parent?: string } = {}) {
    this.root = opts.root ?? ROOT;
    this.parent = opts.parent ?? 'travels';
  }

  /** True when the v1 pids and memory controllers are writable here. */
  available(): boolean {
    try {
      for (const c of ['pids', 'memory'] as const) {
        const dir = join(this.root, c, this.parent);
        mkdirSync(dir, { recursive: true });
      }
      return process.getuid?.() === 0;
    } catch {
      return false;
    }
  }

  dir(controller: (typeof CONTROLLERS)[number], sessionId: string): string {
    return join(this.root, controller, this.parent, sessionId);
  }

  /** Creates the session's groups with their limits; returns the cgroup.procs files to join. */
  ensure(sessionId: string, limits: CgroupLimits): string[] {
    const procs: string[] = [];
    for (const c of CONTROLLERS) {
      const dir = this.dir(c, sessionId);
      if (!existsSync(join(this.root, c))) continue;
      mkdirSync(dir, { recursive: true });
      if (c === 'pids') writeFileSync(join(dir, 'pids.max'), String(limits.pidsMax));
      if (c === 'memory') {
        writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        // Without swap accounting a process could swap past the limit; not every kernel has it.
        tryWrite(join(dir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
      }
      if (c === 'cpu') {
        tryWrite(join(dir, 'cpu.cfs_period_us'), '100000');
        tryWrite(join(dir, 'cpu.cfs_quota_us'), String(Math.round(100000 * limits.cpuCores)));
      }
      procs.push(join(dir, 'cgroup.procs'));
    }
    return procs;
  }

  /**
   * How many processes the kernel has killed in the session for going over its memory limit, and that
   * limit in bytes (to tell the learner why a shell died with SIGKILL).
   */
  memoryKills(sessionId: string): { kills: number; limitBytes: number } {
    const dir = this.dir('memory', sessionId);
    try {
      const kills = Number(/^oom_kill (\d+)$/m.exec(readFileSync(join(dir, 'memory.oom_control'), 'utf8'))?.[1] ?? 0);
      return { kills, limitBytes: Number(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8').trim()) };
    } catch {
      return { kills: 0, limitBytes: 0 };
    }
  }

  pids(sessionId: string): number[] {
    try {
      return readFileSync(join(this.dir('pids', sessionId), 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** Times the session hit pids.max (the fork-bomb signal). */
  pidsMaxEvents(sessionId: string): number {
    try {
      const m = /max (\d+)/.exec(readFileSync(join(this.dir('pids', sessionId), 'pids.events'), 'utf8'));
      return m ? Number(m[1]) : 0;
    } catch {
      return 0;
    }
  }

  /** SIGKILLs every process of the session except `keep`, until none is left (forks race kills). */
  killAll(sessionId: string, keep: ReadonlySet<number> = new Set()): number {
    let killed = 0;
    for (let round = 0; round < 50; round++) {
      const victims = this.pids(sessionId).filter((p) => !keep.has(p));
      if (victims.length === 0) break;
      for (const pid of victims) {
        try {
          process.kill(pid, 'SIGKILL');
          killed++;
        } catch {
          // Exited meanwhile.
        }
      }
    }
    return killed;
  }

  /** Kills what is left and removes the groups. */
  remove(sessionId: string): void {
    this.killAll(sessionId);
    for (const c of CONTROLLERS) {
      const dir = this.dir(c, sessionId);
      for (let i = 0; i < 20 && existsSync(dir); i++) {
        try {
          rmdirSync(dir);
        } catch {
          // Zombies may still be counted for a moment; retry briefly.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
      }
    }
  }
}

function tryWrite(file: string, value: string): void {
  try {
    writeFileSync(file, value);
  } catch {
    // Optional knob missing on this kernel.
  }
}
