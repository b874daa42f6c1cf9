/**
 * A headless learner terminal over the real WebSocket protocol (protocol/terminal-protocol.ts), for the
 * instructor integration test and the benchmark: hello, binary output frames with acks, input, and a
 * `waitFor` on the decoded output. The same handshake a browser makes (no compression offered).
 */
import WebSocket from 'ws';
import { ACK_EVERY, PROTOCOL_VERSION, decodeData } from '../../protocol/terminal-protocol.ts';

export interface WsTerminal {
  output(): string;
  type(data: string): void;
  /** Resolves when the output (from `since` on) matches. */
  waitFor(re: RegExp, timeoutMs?: number, since?: number): Promise<void>;
  /** Resolves at the first output after now (keystroke echo). */
  nextOutput(timeoutMs?: number): Promise<number>;
  close(): void;
  readonly ws: WebSocket;
}

export async function openTerminal(baseUrl: string, token: string, name = 'main'): Promise<WsTerminal> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/terminal`, { perMessageDeflate: false });
  const decoder = new TextDecoder();
  let text = '';
  let acked = 0;
  const listeners = new Set<() => void>();
  let onReady: ((err?: Error) => void) | undefined;
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const msg = JSON.parse(String(data)) as { type: string; message?: string };
      if (msg.type === 'ready') onReady?.();
      if (msg.type === 'error') onReady?.(new Error(msg.message));
      return;
    }
    const frame = decodeData(new Uint8Array(data as Buffer));
    if (!frame) return;
    text += decoder.decode(frame.bytes, { stream: true });
    const end = frame.seq + frame.bytes.byteLength;
    if (end - acked >= ACK_EVERY / 4) {
      acked = end;
      ws.send(JSON.stringify({ type: 'ack', seq: end }));
    }
    for (const l of [...listeners]) l();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // Input is accepted only once the gateway answered the hello with `ready`, as in the browser.
  await new Promise<void>((resolve, reject) => {
    onReady = (err) => (err ? reject(err) : resolve());
    ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token, terminal: name, cols: 100, rows: 30, lastSeq: 0 }));
  });
  const t: WsTerminal = {
    ws,
    output: () => text,
    type: (data) => ws.send(JSON.stringify({ type: 'input', data })),
    waitFor(re, timeoutMs = 10_000, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (re.test(text.slice(since))) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`terminal never showed ${re}; last output: ${JSON.stringify(text.slice(-300))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    nextOutput(timeoutMs = 5000) {
      const start = performance.now();
      return new Promise((resolve, reject) => {
        const once = () => {
          listeners.delete(once);
          clearTimeout(timer);
          resolve(performance.now() - start);
        };
        const timer = setTimeout(() => {
          listeners.delete(once);
          reject(new Error('no output'));
        }, timeoutMs);
        listeners.add(once);
      });
    },
    close: () => ws.close(),
  };
  return t;
}
