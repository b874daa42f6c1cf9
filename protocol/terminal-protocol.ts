/**
 * The terminal socket protocol (/api/terminal), version 1. One WebSocket per named terminal.
 *
 * Client → server: JSON text frames for control (hello first, then resize/ack/ping/restart) and BINARY
 * frames for keystrokes: the input's raw UTF-8, nothing else — no JSON to build or parse on a path
 * every keystroke takes. (A JSON `input` frame is accepted too.)
 * Server → client: JSON text frames for control, and BINARY frames for output:
 *   [8 bytes: float64 big-endian seq of the first byte][raw pty bytes]
 * `seq` counts output bytes since the shell started (per shell epoch), so resume is exact: the client
 * says how many bytes it has (hello.lastSeq) and the server replays from there — nothing lost,
 * nothing twice. Flow control: the client acks the seq it has rendered; the server pauses the pty
 * when sent-but-unacked bytes exceed a window, and resumes once acks catch up.
 *
 * No DOM or Node types here: both sides import this file.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** Largest client frame the server accepts (bytes). */
export const MAX_CLIENT_FRAME = 64 * 1024;
/** Bytes of output the server may have in flight before it pauses the shell. */
export const FLOW_WINDOW = 1024 * 1024;
/** The client acks at least every this many bytes. */
export const ACK_EVERY = 64 * 1024;
/**
 * …and whatever it rendered below that within this many ms. Acks only keep the server under
 * FLOW_WINDOW, which small output never nears, so a trailing ack can wait: sooner, every echo of a
 * keystroke typed at human speed would cost the server a second frame.
 */
export const ACK_DELAY_MS = 1000;
/** Header length of a binary data frame. */
export const DATA_HEADER_BYTES = 8;

const TerminalName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i)
  .describe('terminal name within the session, e.g. "main"');

export const HelloSchema = z.object({
  type: z.literal('hello'),
  v: z.number().int().describe('protocol version the client speaks'),
  token: z.string().min(1).max(200),
  terminal: TerminalName,
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(2).max(500),
  lastSeq: z.number().int().min(0).describe('output bytes the client already has for `epoch`'),
  epoch: z.string().max(64).optional().describe('shell epoch lastSeq refers to; mismatch = full replay'),
});
export const InputSchema = z.object({ type: z.literal('input'), data: z.string().max(MAX_CLIENT_FRAME) });
export const ResizeSchema = z.object({
  type: z.literal('resize'),
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(2).max(500),
});
export const AckSchema = z.object({ type: z.literal('ack'), seq: z.number().int().min(0) });
export const PingSchema = z.object({ type: z.literal('ping'), t: z.number() });
/** Asks for a fresh shell after the old one exited. */
export const RestartSchema = z.object({ type: z.literal('restart') });

export const ClientMessageSchema = z.discriminatedUnion('type', [
  HelloSchema,
  InputSchema,
  ResizeSchema,
  AckSchema,
  PingSchema,
  RestartSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type Hello = z.infer<typeof HelloSchema>;

export const ReadySchema = z.object({
  type: z.literal('ready'),
  v: z.number(),
  terminal: z.string(),
  epoch: z.string().describe('identifies this shell; changes when a new shell starts'),
  /** Seq of the first byte that will follow (the replay starts here). */
  fromSeq: z.number(),
  /** True when the client's terminal must be cleared first (new shell or replay gap). */
  reset: z.boolean(),
  /** The shell already exited (the client may send restart). */
  exited: z.boolean(),
  /**
   * The size the replayed output was written at, and the seq where the replay ends: the shell's line
   * editing draws for that width, so the client replays at it and reflows to its own size afterwards.
   */
  cols: z.number().int().positive().optional(),
  rows: z.number().int().positive().optional(),
  /** Where the shell's size changed inside the replay: from `seq` on, output was written at that size. */
  resizes: z.array(z.object({ seq: z.number(), cols: z.number().int().positive(), rows: z.number().int().positive() })).max(1000).optional(),
  replayEnd: z.number().optional(),
});
export const ExitSchema = z.object({
  type: z.literal('exit'),
  code: z.number().nullable(),
  signal: z.number().nullable(),
  /** Why the server ended the shell, when it did (e.g. a fork bomb stopped); absent for a normal exit. */
  reason: z.string().optional(),
});
export const ErrorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  /** True when the server closes the socket after this frame and the client should not retry. */
  fatal: z.boolean(),
});
export const PongSchema = z.object({ type: z.literal('pong'), t: z.number() });
export const NoticeSchema = z.object({
  type: z.literal('notice'),
  message: z.string(),
  /** e.g. 'paused' | 'resumed' (flow control), 'restarting' (server going down). */
  kind: z.string(),
});
export const ServerMessageSchema = z.discriminatedUnion('type', [
  ReadySchema,
  ExitSchema,
  ErrorFrameSchema,
  PongSchema,
  NoticeSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/** WebSocket close codes used by the gateway (4000–4999 are application codes). */
export const CLOSE = {
  /** Another browser took this terminal over: do not reconnect automatically. */
  takenOver: 4001,
  /** Token unknown/expired: ask for a new session. */
  unauthorized: 4003,
  /** Protocol violation (bad hello, bad frame). */
  protocol: 4002,
  /** Session ended (expired or disposed). */
  sessionEnded: 4004,
  /** Server restart: reconnect with backoff. */
  restarting: 4005,
  /** Terminals are refused (sandbox missing on a non-loopback bind). */
  unavailable: 4006,
} as const;

/** Encodes an output chunk for the wire (both sides use it; tests too). */
export function encodeData(seq: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(DATA_HEADER_BYTES + bytes.byteLength);
  new DataView(out.buffer).setFloat64(0, seq, false);
  out.set(bytes, DATA_HEADER_BYTES);
  return out;
}

/** Decodes a binary data frame; undefined when it is too short to hold a header. */
export function decodeData(frame: Uint8Array): { seq: number; bytes: Uint8Array } | undefined {
  if (frame.byteLength < DATA_HEADER_BYTES) return undefined;
  const seq = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getFloat64(0, false);
  return { seq, bytes: frame.subarray(DATA_HEADER_BYTES) };
}
