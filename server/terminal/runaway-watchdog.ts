/**
 * Ends fork bombs. The session's pids cgroup already caps them (the machine stays fine), but a capped
 * bomb keeps every slot taken and burns its CPU quota forever, so the learner's shells can no longer
 * start anything. Once a second, for each session with terminals: if it hit pids.max since the last
 * look and is still near the cap, every process of the session is killed and its terminals exit
 * with the reason; Restart shell gives a fresh one.
 */
import type { Logger } from '../log.ts';
import type { SessionCgroups } from './cgroup.ts';
import type { TerminalManager } from './terminal-manager.ts';

export interface RunawayWatchdogOptions {
  cgroups: SessionCgroups;
  terminals: TerminalManager;
  pidsMax: number;
  log: Logger;
  intervalMs?: number;
}

/** Near the cap: normal work never holds this many processes, a capped bomb always does. */
const NEAR_CAP = 0.9;

export function runawayReason(pidsMax: number): string {
  return `Stopped: this session reached its limit of ${pidsMax} processes (a fork bomb?), so everything it was running has been ended.`;
}

export class RunawayWatchdog {
  private readonly opts: RunawayWatchdogOptions;
  private readonly lastEvents = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: RunawayWatchdogOptions) {
    this.opts = opts;
  }

  start(): this {
    this.timer ??= setInterval(() => this.check(), this.opts.intervalMs ?? 1000).unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at every session with terminals; returns the sessions it stopped. */
  check(): string[] {
    const { cgroups, terminals, pidsMax, log } = this.opts;
    const stopped: string[] = [];
    const live = new Set(terminals.sessionIds());
    for (const id of this.lastEvents.keys()) if (!live.has(id)) this.lastEvents.delete(id);
    for (const id of live) {
      const events = cgroups.pidsMaxEvents(id);
      const before = this.lastEvents.get(id) ?? 0;
      this.lastEvents.set(id, events);
      if (events <= before || cgroups.pids(id).length < pidsMax * NEAR_CAP) continue;
      const reason = runawayReason(pidsMax);
      for (const t of terminals.list(id)) t.markStopped(reason);
      const killed = cgroups.killAll(id);
      log.warn('runaway processes stopped', { session: id, killed, pidsMax });
      stopped.push(id);
    }
    return stopped;
  }
}
