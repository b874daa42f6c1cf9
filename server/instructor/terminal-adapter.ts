/**
 * TerminalPort over SP's TerminalManager: a read-only tap on a learner's terminal for the instructor's
 * peek, through TerminalProcess.observe, which hands out output and size changes but no way to write:
 * nothing the instructor's page sends can reach the learner's shell.
 */
import type { TerminalManager } from '../terminal/terminal-manager.ts';
import type { TerminalPort } from './ports.ts';

/** Decodes pty output (bytes, or a string if the pty was opened with an encoding), UTF-8 safe across chunks. */
const decode = (d: TextDecoder, b: Uint8Array | string): string => (typeof b === 'string' ? b : d.decode(b, { stream: true }));

export function terminalPortFor(terminals: TerminalManager): TerminalPort & { endSession(sessionId: string): void } {
  const watches = new Map<string, Set<() => void>>();
  return {
    watch(sessionId, name, onData, onEnd, onResize) {
      const list = terminals.list(sessionId);
      const t = (name ? list.find((x) => x.name === name) : undefined) ?? list[0];
      if (!t || (name && t.name !== name)) return undefined;
      const decoder = new TextDecoder();
      const replay = t.scrollback().map((p) => ({ data: decode(decoder, p.bytes), cols: p.cols, rows: p.rows }));
      const off = t.observe({ data: (bytes) => onData(decode(decoder, bytes)), resize: onResize });
      let set = watches.get(sessionId);
      if (!set) watches.set(sessionId, (set = new Set()));
      const end = () => {
        off();
        set.delete(end);
        onEnd();
      };
      set.add(end);
      return {
        replay,
        ...t.size,
        close: () => {
          off();
          set.delete(end);
        },
      };
    },
    list: (sessionId) => terminals.list(sessionId).map((t) => t.name),
    connected: (sessionId) => terminals.list(sessionId).some((t) => t.attached),
    endSession(sessionId) {
      for (const end of [...(watches.get(sessionId) ?? [])]) end();
      watches.delete(sessionId);
    },
  };
}

/** Until the composition root passes the TerminalManager: no terminals known, connection unknown. */
export function noTerminals(): TerminalPort {
  return { watch: () => undefined, list: () => [], connected: () => undefined };
}
