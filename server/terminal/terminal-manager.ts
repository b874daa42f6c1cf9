/**
 * All live terminals, grouped by session: opens a named terminal (or finds the running one), caps how
 * many a session may have, and tears a session's terminals and processes down when it ends.
 */
import type { Logger } from '../log.ts';
import type { Session } from '../sessions/session-manager.ts';
import { TerminalProcess } from './terminal-process.ts';
import type { ShellLauncher } from './shell-launcher.ts';
import { FLOW_WINDOW } from '../../protocol/terminal-protocol.ts';

export interface TerminalManagerOptions {
  launcher: ShellLauncher;
  log: Logger;
  maxPerSession: number;
  replayBytes: number;
  window?: number;
}

export type OpenResult = { ok: true; terminal: TerminalProcess; created: boolean } | { ok: false; code: string; message: string };

export class TerminalManager {
  private readonly bySession = new Map<string, Map<string, TerminalProcess>>();
  private readonly opts: TerminalManagerOptions;

  constructor(opts: TerminalManagerOptions) {
    this.opts = opts;
  }

  count(): number {
    let n = 0;
    for (const m of this.bySession.values()) n += m.size;
    return n;
  }

  get(sessionId: string, name: string): TerminalProcess | undefined {
    return this.bySession.get(sessionId)?.get(name);
  }

  /** Sessions that have at least one terminal. */
  sessionIds(): string[] {
    return [...this.bySession.keys()];
  }

  list(sessionId: string): TerminalProcess[] {
    return [...(this.bySession.get(sessionId)?.values() ?? [])];
  }

  open(session: Session, name: string, cols: number, rows: number): OpenResult {
    const existing = this.get(session.id, name);
    if (existing) return { ok: true, terminal: existing, created: false };
    const terms = this.bySession.get(session.id) ?? new Map<string, TerminalProcess>();
    if (terms.size >= this.opts.maxPerSession) {
      return { ok: false, code: 'TERMINAL_LIMIT', message: `A session can have at most ${this.opts.maxPerSession} terminals.` };
    }
    const log = this.opts.log;
    const cgroups = this.opts.launcher.cgroups;
    // Memory kills in the session so far, counted again at each shell start: a later SIGKILL with more
    // of them means the kernel ended the shell for going over the session's memory limit.
    let memoryKillsAtStart = 0;
    const terminal = new TerminalProcess({
      name,
      cols,
      rows,
      replayBytes: this.opts.replayBytes,
      window: this.opts.window ?? FLOW_WINDOW,
      spawn: (c, r) => {
        memoryKillsAtStart = cgroups?.memoryKills(session.id).kills ?? 0;
        return this.opts.launcher.spawn({ sessionId: session.id, homeDir: session.homeDir }, c, r);
      },
      exitReason: (code, signal) => {
        if (!cgroups || (signal !== 9 && code !== 137)) return undefined;
        const { kills, limitBytes } = cgroups.memoryKills(session.id);
        if (kills <= memoryKillsAtStart) return undefined;
        return `Stopped: the lab went over its memory limit of ${Math.round(limitBytes / 2 ** 20)} MB, so the system ended the shell's biggest process.`;
      },
      onExit: (t) => log.info('shell exited', { session: session.id, terminal: t.name }),
      onInputDropped: (bytes, reason) => log.warn('terminal input dropped', { session: session.id, terminal: name, bytes, reason }),
    });
    terms.set(name, terminal);
    this.bySession.set(session.id, terms);
    log.info('terminal started', { session: session.id, terminal: name, pid: terminal.pid });
    return { ok: true, terminal, created: true };
  }

  /** Kills a session's shells (closing their sockets with `notice`) and its leftover processes. */
  disposeSession(sessionId: string, notice?: { code: string; message: string; closeCode: number }): void {
    const terms = this.bySession.get(sessionId);
    this.bySession.delete(sessionId);
    for (const t of terms?.values() ?? []) t.dispose(notice);
    this.opts.launcher.releaseSession(sessionId);
  }

  /** Server shutdown: every socket gets `notice`, every shell and cgroup goes. */
  closeAll(notice: { code: string; message: string; closeCode: number }): void {
    for (const id of [...this.bySession.keys()]) this.disposeSession(id, notice);
  }
}
