/**
 * Adapts one ws WebSocket to a terminal's TerminalSink: binary data frames with the seq header, JSON
 * control frames. Sends are skipped once the socket is closing; ws's own buffer is bounded by the
 * terminal's flow-control window — by the client's acks, and by `backlog` for a client that acks
 * what it does not read — so nothing here grows without limit.
 */
import type { WebSocket } from 'ws';
import { DATA_HEADER_BYTES, type ServerMessage } from '../../protocol/terminal-protocol.ts';
import type { TerminalSink } from '../terminal/terminal-process.ts';

export class SocketSink implements TerminalSink {
  private readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
  }

  sendData(seq: number, bytes: Uint8Array, prebuilt?: Uint8Array, sent?: () => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return sent?.();
    let frame = prebuilt;
    if (!frame) {
      const built = Buffer.allocUnsafe(DATA_HEADER_BYTES + bytes.byteLength);
      built.writeDoubleBE(seq, 0);
      built.set(bytes, DATA_HEADER_BYTES);
      frame = built;
    }
    // ws calls back once the frame is handed to the kernel (or dropped with the socket).
    this.ws.send(frame, { binary: true, compress: false }, sent);
  }

  backlog(): number {
    return this.ws.bufferedAmount;
  }

  sendControl(msg: ServerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(msg), { binary: false, compress: false });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }
}
