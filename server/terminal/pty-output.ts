/**
 * A pty's output, read into one reused buffer. node-pty reads its master fd through a tty.ReadStream
 * that hands out a newly allocated Buffer for every read — and a pty yields at most 4 KB per read, so
 * a flood means thousands of off-heap allocations a second. On a server whose heap holds the
 * clusters, V8 answers that with back-to-back full garbage collections (measured: ~30 mark-compacts
 * per 100 MB of output, more server CPU than the terminal work itself).
 *
 * Node's sockets can instead read into a caller's buffer (`onread`: no allocation, a synchronous
 * callback per read). node-pty creates its stream with `new tty.ReadStream(fd)` inside spawn(), so
 * for the duration of that synchronous call tty.ReadStream is swapped for a subclass that passes
 * `onread`. Everything else (exit after the last output, pause/resume, EIO at the end) stays
 * node-pty's. Should a node-pty version create its stream differently, the swap goes unused and the
 * output arrives through onData as before — slower, never wrong.
 */
import tty from 'node:tty';
import type { IPty } from 'node-pty';

/** One read buffer for every pty: each callback copies what it needs before returning. */
const READ_BUFFER = Buffer.allocUnsafeSlow(64 * 1024);

type ReadStreamOptions = ConstructorParameters<typeof tty.ReadStream>[1];
const mutableTty = tty as { ReadStream: typeof tty.ReadStream };
const OriginalReadStream = mutableTty.ReadStream;

/** The output callback of the spawn in progress; the next stream created takes it. */
let claimant: ((bytes: Uint8Array) => void) | undefined;

/** tty.ReadStream that reads into READ_BUFFER when created inside spawnWithOutput. */
class DirectReadStream extends OriginalReadStream {
  constructor(fd: number, options?: ReadStreamOptions) {
    const onOutput = claimant;
    claimant = undefined;
    if (!onOutput) {
      super(fd, options);
      return;
    }
    const callback = (n: number, buf: Uint8Array): boolean => {
      onOutput(buf.subarray(0, n));
      return true; // keep reading: flow control pauses through pty.pause()
    };
    super(fd, { ...options, onread: { buffer: READ_BUFFER, callback } });
  }
}

/**
 * Runs `spawn` (which must create one node-pty terminal, synchronously) so that the new pty's output
 * goes to `onOutput`, as a view valid only during the call. Returns the pty and whether the
 * reused-buffer path took effect.
 */
export function spawnWithOutput(spawn: () => IPty, onOutput: (bytes: Uint8Array) => void): { pty: IPty; direct: boolean } {
  claimant = onOutput;
  mutableTty.ReadStream = DirectReadStream;
  let pty: IPty;
  let direct = false;
  try {
    pty = spawn();
  } finally {
    mutableTty.ReadStream = OriginalReadStream;
    direct = claimant === undefined; // a DirectReadStream took the callback
    claimant = undefined;
  }
  if (!direct) pty.onData((d) => onOutput(d as unknown as Uint8Array));
  return { pty, direct };
}
