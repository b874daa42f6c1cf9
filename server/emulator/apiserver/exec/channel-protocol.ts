/**
 * The Kubernetes remote-command WebSocket protocol (`v5.channel.k8s.io` / `v4.channel.k8s.io`) that
 * kubectl 1.30+ uses for exec: binary frames whose first byte names the stream (0 stdin, 1 stdout,
 * 2 stderr, 3 error/status, 4 resize, 255 close in v5), and a final Status on stream 3.
 */
import type { WebSocket } from 'ws';

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface ExecIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Registers the stdin consumer; `onEnd` fires when the client closes stdin. */
  onStdin(onData: (text: string) => void, onEnd?: () => void): void;
  /** Ends the session with the command's exit code (0 = Success). */
  exit(code: number, failure?: string): void;
  /** Called once the client has gone. */
  onClose(cb: () => void): void;
}

/**
 * client-go registers its stdout/stderr/error streams in a goroutine that runs after the upgrade,
 * while its read loop already drops frames for streams it does not know yet ("Unknown stream id 1,
 * discarding message"). A real runtime needs milliseconds to start the process, so this never
 * shows; an emulated command answers at once. Frames are held back this long after the upgrade.
 */
export const STREAM_SETUP_MS = 25;

export function channelIO(ws: WebSocket, command: string[]): ExecIO {
  let onData: ((text: string) => void) | undefined;
  let onEnd: (() => void) | undefined;
  let done = false;
  let held: Buffer[] | undefined = [];
  let closeAfterRelease = false;
  const release = setTimeout(() => {
    const frames = held ?? [];
    held = undefined;
    for (const frame of frames) if (ws.readyState === ws.OPEN) ws.send(frame);
    if (closeAfterRelease && ws.readyState === ws.OPEN) ws.close(1000);
  }, STREAM_SETUP_MS);
  const send = (stream: number, text: string) => {
    if (done || ws.readyState !== ws.OPEN) return;
    const frame = Buffer.concat([Buffer.from([stream]), Buffer.from(text, 'utf8')]);
    if (held) held.push(frame);
    else ws.send(frame);
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!buf.length) return;
    const stream = isBinary ? buf[0] : buf[0];
    if (stream === STDIN) onData?.(buf.subarray(1).toString('utf8'));
    else if (stream === CLOSE && buf[1] === STDIN) onEnd?.();
    else if (stream === RESIZE) return;
  });
  ws.on('close', () => {
    done = true;
    clearTimeout(release);
  });
  return {
    stdout: (t) => send(STDOUT, t),
    stderr: (t) => send(STDERR, t),
    onStdin(d, e) {
      onData = d;
      onEnd = e;
    },
    onClose(cb) {
      ws.on('close', cb);
    },
    exit(code, failure) {
      if (done) return;
      const status =
        failure !== undefined
          ? { metadata: {}, status: 'Failure', message: failure, reason: 'InternalError', details: { causes: [{ message: failure }] }, code: 500 }
          : code === 0
            ? { metadata: {}, status: 'Success' }
            : {
                metadata: {},
                status: 'Failure',
                message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
                reason: 'NonZeroExitCode',
                details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
              };
      send(ERROR, JSON.stringify(status));
      done = true;
      if (held) closeAfterRelease = true;
      else ws.close(1000);
    },
  };
}
