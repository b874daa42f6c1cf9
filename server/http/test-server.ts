/**
 * Starts the whole sandbox server in-process for integration tests and the benchmark: a throw-away
 * DATA_DIR, port 0, a FakeHost-backed embedded provisioner (or the real emulator with realCluster),
 * and a WebSocket client that speaks the terminal protocol.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { loadConfig } from '../config.ts';
import { startServer, type RunningServer } from '../main.ts';
import { EmbeddedProvisioner } from '../provisioners/embedded.ts';
import { FakeHost } from '../provisioners/fake-host.ts';
import { createLogger, memoryLogger, type Logger } from '../log.ts';
import { decodeData, PROTOCOL_VERSION, type ServerMessage } from '../../protocol/terminal-protocol.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  log: Logger & { lines?: Record<string, unknown>[] };
  stop(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  opts: { realCluster?: boolean; quiet?: boolean; serveStatic?: boolean; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'travels-test-'));
  // Many sessions come from 127.0.0.1 in one test file: the per-address share is a test of its own.
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SESSIONS_PER_ADDRESS: '1000', ...env });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const log = opts.quiet === false ? createLogger({ level: 'info' }) : memoryLogger();
  const provisioner = await EmbeddedProvisioner.start({
    dataDir: loaded.config.dataDir,
    log,
    host: opts.realCluster ? undefined : await FakeHost.start(),
  });
  const running = await startServer(loaded.config, { provisioner, log, featureRoutes: false, serveStatic: opts.serveStatic ?? false });
  return {
    ...running,
    dataDir,
    log,
    async stop() {
      await running.close('test');
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createSession(url: string): Promise<{ token: string; id: string; expiresAt: number }> {
  const r = await fetch(url + '/api/sessions', { method: 'POST' });
  if (r.status !== 201) throw new Error(`session: ${r.status} ${await r.text()}`);
  return (await r.json()) as { token: string; id: string; expiresAt: number };
}

/** A terminal protocol client for tests: collects output text and control frames. */
export class TestTerminal {
  readonly ws: WebSocket;
  readonly controls: ServerMessage[] = [];
  text = '';
  seq = 0;
  closeCode: number | undefined;
  private readonly waiters = new Set<() => void>();
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string, opts: { autoAck?: boolean; perMessageDeflate?: boolean; headers?: Record<string, string> } = {}) {
    this.ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/terminal', { perMessageDeflate: opts.perMessageDeflate ?? false, headers: opts.headers });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => { this.closeCode = code; this.notify(); resolve(code); }));
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) {
        const d = decodeData(new Uint8Array(data as Buffer));
        if (!d) return;
        this.text = (this.text + Buffer.from(d.bytes).toString("utf8")).slice(-65536);
        this.seq = d.seq + d.bytes.byteLength;
        if (opts.autoAck !== false) this.ws.send(JSON.stringify({ type: 'ack', seq: this.seq }));
      } else {
        this.controls.push(JSON.parse(data.toString()) as ServerMessage);
      }
      this.notify();
    });
  }

  static async open(url: string, token: string, name = 'main', extra: { lastSeq?: number; epoch?: string; autoAck?: boolean; headers?: Record<string, string> } = {}): Promise<TestTerminal> {
    const t = new TestTerminal(url, { autoAck: extra.autoAck, headers: extra.headers });
    await t.opened;
    t.send({ type: 'hello', v: PROTOCOL_VERSION, token, terminal: name, cols: 80, rows: 24, lastSeq: extra.lastSeq ?? 0, epoch: extra.epoch });
    return t;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  input(data: string): void {
    this.send({ type: 'input', data });
  }

  control<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }> | undefined {
    return this.controls.find((c) => c.type === type) as Extract<ServerMessage, { type: T }> | undefined;
  }

  async waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timeout waiting for ${what}; output so far: ${JSON.stringify(this.text.slice(-400))} controls: ${JSON.stringify(this.controls)}`);
      await new Promise<void>((resolve) => {
        const done = () => { this.waiters.delete(done); clearTimeout(t); resolve(); };
        const t = setTimeout(done, 100);
        this.waiters.add(done);
      });
    }
  }

  waitText(s: string | RegExp, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => (typeof s === 'string' ? this.text.includes(s) : s.test(this.text)), timeoutMs, String(s));
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}
