/**
 * TerminalPort over SP's TerminalManager: a read-only tap on a learner's terminal output for the
 * instructor's peek. The tap only ever reads (output bytes and the replay buffer); it holds no reference
 * that can write to the pty, so nothing the instructor's page sends can reach the learner's shell.
 *
 * ADAPTER: TerminalProcess has a single attached sink and no observer API yet, so the tap wraps the
 * instance's output path (`onOutput`) and reads `buffer` / `sink` by name. Asked of SP: a public
 * `tap(onData): { replay: Uint8Array; close(): void }` and `attached: boolean` on TerminalProcess, and
 * the TerminalManager in ServerDeps. With those, this file shrinks to a few lines.
 */
import type { TerminalManager } from '../terminal/terminal-manager.ts';
import type { TerminalProcess } from '../terminal/terminal-process.ts';
import type { Chunk } from '../terminal/replay-buffer.ts';
import type { TerminalPort, TerminalWatch } from './ports.ts';

interface ProcessInternals {
  onOutput(bytes: Uint8Array): void;
  buffer: { since(seq: number): { chunks: Chunk[] } };
  sink: unknown;
}

type Observer = (bytes: Uint8Array) => void;
const observers = new WeakMap<TerminalProcess, Set<Observer>>();

function observe(t: TerminalProcess, fn: Observer): () => void {
  let set = observers.get(t);
  if (!set) {
    const inner = t as unknown as ProcessInternals;
    const original = inner.onOutput.bind(t);
    const fresh = new Set<Observer>();
    inner.onOutput = (bytes: Uint8Array) => {
      original(bytes);
      for (const o of fresh) o(bytes);
    };
    observers.set(t, (set = fresh));
  }
  set.add(fn);
  return () => set.delete(fn);
}

/** Decodes pty output (bytes, or a string if the pty was opened with an encoding), UTF-8 safe across chunks. */
const decode = (d: TextDecoder, b: Uint8Array | string): string => (typeof b === 'string' ? b : d.decode(b, { stream: true }));

export function terminalPortFor(terminals: TerminalManager): TerminalPort & { endSession(sessionId: string): void } {
  const watches = new Map<string, Set<() => void>>();
  return {
    watch(sessionId, name, onData, onEnd): TerminalWatch | undefined {
      const list = terminals.list(sessionId);
      const t = (name ? list.find((x) => x.name === name) : undefined) ?? list[0];
      if (!t || (name && t.name !== name)) return undefined;
      const decoder = new TextDecoder();
      const replay = (t as unknown as ProcessInternals).buffer.since(0).chunks
        .map((c) => decode(decoder, c.bytes)).join('');
      const off = observe(t, (bytes) => onData(decode(decoder, bytes)));
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
        close: () => {
          off();
          set.delete(end);
        },
      };
    },
    list: (sessionId) => terminals.list(sessionId).map((t) => t.name),
    connected: (sessionId) => terminals.list(sessionId).some((t) => (t as unknown as ProcessInternals).sink !== undefined),
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
