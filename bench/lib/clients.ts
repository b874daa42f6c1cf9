/**
 * Terminal clients for the benchmark, one per system, with the same small interface: send keystrokes,
 * get output chunks, and keep flow control going as a browser would (acks / wetty's commits).
 */
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { ACK_DELAY_MS, ACK_EVERY, decodeData, PROTOCOL_VERSION } from '../../protocol/terminal-protocol.ts';

export interface BenchTerminal {
  send(data: string): void;
  /** Called for every output chunk (byte length and text). */
  onOutput(cb: (bytes: number, text: string) => void): void;
  close(): void;
}

/** An open WebSocket to `url` (http: or ws:), offering permessage-deflate like a browser does. */
async function connect(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: true });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** Our protocol over a WebSocket. */
export async function openTravels(url: string, token: string, name = 'main'): Promise<BenchTerminal> {
  const ws = await connect(url + '/api/terminal');
  ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token, terminal: name, cols: 120, rows: 40, lastSeq: 0 }));
  const listeners: ((n: number, t: string) => void)[] = [];
  // Acks as the page does (components/client/connection.ts): at once every ACK_EVERY bytes, else
  // within ACK_DELAY_MS.
  let acked = 0;
  let received = 0;
  let ackTimer: ReturnType<typeof setTimeout> | undefined;
  const sendAck = () => {
    clearTimeout(ackTimer);
    ackTimer = undefined;
    if (received <= acked || ws.readyState !== ws.OPEN) return;
    acked = received;
    ws.send(JSON.stringify({ type: 'ack', seq: acked }));
  };
  const decoder = new TextDecoder();
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const d = decodeData(new Uint8Array(data as Buffer));
    if (!d) return;
    received = d.seq + d.bytes.byteLength;
    if (received - acked >= ACK_EVERY) sendAck();
    else ackTimer ??= setTimeout(sendAck, ACK_DELAY_MS);
    const text = decoder.decode(d.bytes, { stream: true });
    for (const l of listeners) l(d.bytes.byteLength, text);
  });
  return {
    send: (data) => ws.send(Buffer.from(data, 'utf8')), // keystrokes are binary frames, as the browser sends them
    onOutput: (cb) => listeners.push(cb),
    close: () => {
      clearTimeout(ackTimer);
      ws.close();
    },
  };
}

/** bare-terminal.ts: raw bytes both ways. */
export async function openBare(url: string): Promise<BenchTerminal> {
  const ws = await connect(url);
  const listeners: ((n: number, t: string) => void)[] = [];
  const decoder = new TextDecoder();
  ws.on('message', (data: Buffer) => {
    const text = decoder.decode(data, { stream: true });
    for (const l of listeners) l(data.byteLength, text);
  });
  return {
    send: (data) => ws.send(Buffer.from(data, 'utf8')),
    onOutput: (cb) => listeners.push(cb),
    close: () => ws.close(),
  };
}

/** wetty's socket.io protocol: 'input' up, 'data' down, 'commit' for its flow control. */
export async function openWetty(url: string): Promise<BenchTerminal> {
  const socket: Socket = io(url, {
    path: '/wetty/socket.io',
    transports: ['websocket'],
    extraHeaders: { referer: url + '/wetty' },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('login', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.emit('resize', { cols: 120, rows: 40 });
  const listeners: ((n: number, t: string) => void)[] = [];
  socket.on('data', (text: string) => {
    const n = Buffer.byteLength(text);
    socket.emit('commit', text.length);
    for (const l of listeners) l(n, text);
  });
  return {
    send: (data) => socket.emit('input', data),
    onOutput: (cb) => listeners.push(cb),
    close: () => socket.close(),
  };
}

/** Resolves when the accumulated output matches `re` (output after the call only). */
export function waitOutput(t: BenchTerminal, re: RegExp, timeoutMs = 30_000): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    let buf = '';
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`timeout waiting for ${re}; tail: ${JSON.stringify(buf.slice(-300))}`));
    }, timeoutMs);
    t.onOutput((_n, text) => {
      if (done) return;
      buf = (buf + text).slice(-4096);
      if (re.test(buf)) {
        done = true;
        clearTimeout(timer);
        resolve(performance.now() - start);
      }
    });
  });
}
