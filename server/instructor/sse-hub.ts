/**
 * Server-Sent Events fan-out for live dashboards, attendee banners and read-only terminal peeks.
 * Why SSE rather than a WebSocket: every one of these streams is server→client only (instructor and
 * attendee actions are plain REST calls), EventSource sends the HttpOnly cookie and reconnects by
 * itself, it rides the ordinary Route table (no upgrade hook in the gateway needed), and a peek stream
 * has no upstream channel at all, so "read-only" holds by construction rather than by filtering.
 */
import type { ServerResponse } from 'node:http';
import { HEARTBEAT_MS } from '../../protocol/instructor.ts';

/** A client this far behind is dropped; EventSource reconnects and gets a fresh snapshot. */
const MAX_BUFFERED = 1024 * 1024;

export interface SseClient {
  send(event: string, data: unknown): void;
  close(): void;
  readonly closed: boolean;
}

export function openSse(res: ServerResponse, onClose: () => void): SseClient {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  let closed = false;
  // A named event, not a comment: pages see it (EventSource hides comments), so a stream silent for much
  // longer is known to be dead even when the browser has not noticed (protocol/instructor.ts, Heartbeat).
  const beat = setInterval(() => res.write('event: ping\ndata: {}\n\n'), HEARTBEAT_MS);
  beat.unref();
  const client: SseClient = {
    get closed() {
      return closed;
    },
    send(event, data) {
      if (closed) return;
      if (res.writableLength > MAX_BUFFERED) return client.close();
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(beat);
      res.end();
      onClose();
    },
  };
  res.on('close', () => client.close());
  return client;
}

/** Named channels ('dash:<workshop>', 'class:<workshop>', 'attendee:<id>') of SSE clients. */
export class SseHub {
  private readonly channels = new Map<string, Set<SseClient>>();

  /** One stream on several channels (an attendee hears the class and their own). */
  subscribe(channels: string[], res: ServerResponse, onClose?: () => void): SseClient {
    const client = openSse(res, () => {
      for (const ch of channels) {
        const set = this.channels.get(ch);
        set?.delete(client);
        if (set && !set.size) this.channels.delete(ch);
      }
      onClose?.();
    });
    for (const ch of channels) {
      let set = this.channels.get(ch);
      if (!set) this.channels.set(ch, (set = new Set()));
      set.add(client);
    }
    return client;
  }

  publish(channel: string, event: string, data: unknown): void {
    for (const c of this.channels.get(channel) ?? []) c.send(event, data);
  }

  count(channel: string): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  /** Ends every stream of a channel (workshop ended, attendee removed). */
  closeChannel(channel: string): void {
    for (const c of [...(this.channels.get(channel) ?? [])]) c.close();
  }

  closeAll(): void {
    for (const ch of [...this.channels.keys()]) this.closeChannel(ch);
  }
}
