// The dashboard's live feed knows when it is not live: the browser retrying (onerror), a stream gone
// silent with no error at all (no ping for 2.5 heartbeats: reopened), a stream the server refused.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { LiveFeed, type FeedState } from '../../components/client/live-feed.ts';
import { HEARTBEAT_MS } from '../../protocol/instructor.ts';

/** Stands in for the browser's EventSource: the test opens, fails and feeds it. */
class FakeSource extends EventTarget {
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  opened(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  failed(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.();
  }
  emit(name: string, data: unknown): void {
    this.dispatchEvent(Object.assign(new Event(name), { data: JSON.stringify(data) }));
  }
}

function feed() {
  const sources: FakeSource[] = [];
  const states: FeedState[] = [];
  const f = new LiveFeed<{ attendee: { id: string } }>('/events', {
    onState: (s) => states.push(s),
    open: () => {
      const s = new FakeSource();
      sources.push(s);
      return s as unknown as EventSource;
    },
  });
  const got: string[] = [];
  f.on('attendee', (a) => got.push(a.id));
  return { f, sources, states, got };
}

test('the browser retrying is "lost" until it is open again; events reach their handlers', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const { f, sources, states, got } = feed();
    sources[0].opened();
    sources[0].emit('attendee', { id: 'a1' });
    sources[0].failed(0);
    sources[0].opened();
    assert.deepEqual(states, ['live', 'lost', 'live']);
    assert.deepEqual(got, ['a1']);
    f.close();
  } finally {
    mock.timers.reset();
  }
});

test('a stream silent for 2.5 heartbeats is lost and reopened, its handlers on the new one; pings keep it live', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const { f, sources, states, got } = feed();
    sources[0].opened();
    for (let i = 0; i < 4; i++) {
      mock.timers.tick(HEARTBEAT_MS);
      sources[0].emit('ping', {});
    }
    assert.deepEqual(states, ['live'], 'pings every heartbeat: live');
    mock.timers.tick(HEARTBEAT_MS * 2.5 + 1000);
    assert.deepEqual(states, ['live', 'lost']);
    assert.equal(sources[0].closed, true, 'the silent stream is closed');
    assert.equal(sources.length, 2, 'and a new one opened');
    sources[1].opened();
    sources[1].emit('attendee', { id: 'a2' });
    sources[0].emit('attendee', { id: 'stale' });
    assert.deepEqual(states, ['live', 'lost', 'live']);
    assert.ok(got.includes('a2'));
    f.close();
  } finally {
    mock.timers.reset();
  }
});

test('a stream the server refused is "closed": the page finds out why, and may reopen it', () => {
  const { f, sources, states } = feed();
  sources[0].failed(2);
  assert.deepEqual(states, ['closed']);
  f.reopen();
  sources[1].opened();
  assert.deepEqual(states, ['closed', 'live']);
  f.close();
});
