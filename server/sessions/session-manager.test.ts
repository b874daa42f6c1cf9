import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { openDatabase } from '../store/db.ts';
import { SessionManager, tokenOf } from './session-manager.ts';
import { memoryLogger } from '../log.ts';
import type { Provisioner, ClusterAccess } from '../provisioners/provisioner.ts';

class FakeProvisioner implements Provisioner {
  readonly kind = 'embedded' as const;
  acquired: string[] = [];
  released: string[] = [];
  fail = false;
  async acquire(id: string): Promise<ClusterAccess> {
    if (this.fail) throw new Error('no capacity');
    this.acquired.push(id);
    return { server: 'http://127.0.0.1:1', token: 'tok-' + id };
  }
  async release(id: string): Promise<void> {
    this.released.push(id);
  }
  async close(): Promise<void> {}
}

function setup(opts: { maxSessions?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sm-'));
  const dbPath = join(dir, 'db.sqlite');
  let now = 1_000_000;
  const provisioner = new FakeProvisioner();
  const make = () =>
    new SessionManager({
      db: openDatabase(dbPath),
      provisioner,
      log: memoryLogger(),
      dataDir: dir,
      idleMinutes: 10,
      maxMinutes: 60,
      maxSessions: opts.maxSessions ?? 3,
      now: () => now,
    });
  return { dir, provisioner, make, advance: (ms: number) => (now += ms), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const reqWith = (headers: Record<string, string>, url = '/') => ({ headers, url }) as unknown as IncomingMessage;

test('create provisions a cluster and a home with the kubeconfig; token finds it', async () => {
  const t = setup();
  const sm = t.make();
  const r = await sm.create();
  assert.ok(r.ok);
  const s = r.session;
  assert.deepEqual(t.provisioner.acquired, [s.id]);
  assert.match(readFileSync(join(s.homeDir, '.kube', 'config'), 'utf8'), new RegExp(`token: tok-${s.id}`));
  assert.equal(sm.fromRequest(reqWith({ authorization: `Bearer ${s.token}` })), s);
  assert.equal(sm.fromRequest(reqWith({}, `/api/x?token=${s.token}`)), s);
  assert.equal(sm.fromRequest(reqWith({ authorization: 'Bearer nope' })), undefined);
  assert.equal(tokenOf(reqWith({ authorization: 'Basic x' })), undefined);
  t.cleanup();
});

test('the cap refuses with 503 SESSIONS_FULL', async () => {
  const t = setup({ maxSessions: 2 });
  const sm = t.make();
  assert.ok((await sm.create()).ok);
  assert.ok((await sm.create()).ok);
  const third = await sm.create();
  assert.equal(third.ok, false);
  assert.equal(!third.ok && third.status, 503);
  assert.equal(!third.ok && third.code, 'SESSIONS_FULL');
  t.cleanup();
});

test('idle sessions are reaped: listeners run, cluster released, home deleted, token refused', async () => {
  const t = setup();
  const sm = t.make();
  const r = await sm.create();
  assert.ok(r.ok);
  const disposed: string[] = [];
  sm.onDispose((s) => void disposed.push(s.id));
  t.advance(9 * 60_000);
  assert.equal(await sm.reap(), 0);
  t.advance(2 * 60_000);
  assert.equal(await sm.reap(), 1);
  assert.deepEqual(disposed, [r.session.id]);
  assert.deepEqual(t.provisioner.released, [r.session.id]);
  assert.equal(existsSync(r.session.homeDir), false);
  const again = await sm.byTokenAsync(r.session.token);
  assert.equal(!again.ok && again.code, 'SESSION_EXPIRED');
  assert.equal(sm.count(), 0);
  t.cleanup();
});

test('extend moves the deadline, never past the maximum', async () => {
  const t = setup();
  const sm = t.make();
  const r = await sm.create();
  assert.ok(r.ok);
  const first = r.session.expiresAt;
  t.advance(5 * 60_000);
  sm.extend(r.session);
  assert.equal(r.session.expiresAt, first + 5 * 60_000);
  t.advance(58 * 60_000);
  sm.extend(r.session);
  assert.equal(r.session.expiresAt, r.session.maxExpiresAt);
  t.cleanup();
});

test('a keep-alive (an open class page) moves the idle deadline but is not activity; a keystroke is', async () => {
  const t = setup();
  const sm = t.make();
  const r = await sm.create();
  assert.ok(r.ok);
  const s = r.session;
  t.advance(60_000);
  sm.touch(s); // a keystroke
  const active = s.lastActiveAt;
  assert.equal(active, 1_000_000 + 60_000);
  t.advance(4 * 60_000);
  sm.keepAlive(s);
  assert.equal(s.lastActiveAt, active, 'keeping the sandbox alive is not the attendee doing something');
  assert.equal(s.expiresAt, 1_000_000 + 5 * 60_000 + 10 * 60_000, 'but the idle deadline moved');
  t.cleanup();
});

test('a moved hard deadline (workshop length, extension) holds and survives a restart', async () => {
  const t = setup();
  const sm = t.make();
  const r = await sm.create();
  assert.ok(r.ok);
  const later = r.session.maxExpiresAt + 90 * 60_000;
  sm.setDeadline(r.session, later);
  t.advance(65 * 60_000); // past the server-wide 60 min maximum
  sm.extend(r.session);
  assert.ok(r.session.expiresAt > r.session.createdAt + 60 * 60_000, 'extends past the server-wide maximum');
  const back = await t.make().byTokenAsync(r.session.token);
  assert.ok(back.ok);
  assert.equal(back.session.maxExpiresAt, later, 'the restarted server keeps the moved deadline');
  assert.equal(back.session.expiresAt, r.session.expiresAt);
  const shorter = t.make();
  const again = await shorter.byTokenAsync(r.session.token);
  assert.ok(again.ok);
  shorter.setDeadline(again.session, again.session.createdAt + 70 * 60_000);
  assert.ok(again.session.expiresAt <= again.session.maxExpiresAt, 'the idle deadline never passes the hard one');
  t.cleanup();
});

test('a restart loses no session: the token re-attaches, the cluster is re-acquired, the home kept', async () => {
  const t = setup();
  const before = t.make();
  const r = await before.create();
  assert.ok(r.ok);
  const after = t.make(); // new process, same database file
  assert.equal(after.get(r.session.id), undefined);
  const back = await after.byTokenAsync(r.session.token);
  assert.ok(back.ok);
  assert.equal(back.session.id, r.session.id);
  assert.equal(back.session.homeDir, r.session.homeDir);
  assert.deepEqual(t.provisioner.acquired, [r.session.id, r.session.id]);
  // Concurrent lookups share one re-attach.
  const third = t.make();
  const [x, y] = await Promise.all([third.byTokenAsync(r.session.token), third.byTokenAsync(r.session.token)]);
  assert.ok(x.ok && y.ok && x.session === y.session);
  t.cleanup();
});

test('after a restart, a session nobody re-attached can still be ended by id (a workshop ending) and re-paced', async () => {
  const t = setup();
  const r = await t.make().create();
  assert.ok(r.ok);
  const after = t.make();
  assert.equal(after.get(r.session.id), undefined, 'not attached after the restart');
  const deadline = r.session.createdAt + 30 * 60_000;
  after.setDeadlineById(r.session.id, deadline);
  assert.equal(after.liveRows().find((x) => x.id === r.session.id)?.maxExpiresAt, deadline, 'the new deadline is stored');
  let disposed = '';
  after.onDispose((s) => void (disposed = s.id));
  assert.equal(await after.endById(r.session.id, 'workshop-ended'), true);
  assert.equal(disposed, r.session.id, 'dispose listeners run');
  assert.ok(t.provisioner.released.includes(r.session.id), 'its cluster is released');
  assert.equal(existsSync(r.session.homeDir), false, 'its home is removed');
  assert.equal((await after.byTokenAsync(r.session.token)).ok, false, 'its token no longer works');
  assert.equal(await after.endById(r.session.id, 'again'), false, 'ending twice is a no-op');
  t.cleanup();
});

test('provisioning failure is a clear 500 and leaves nothing behind', async () => {
  const t = setup();
  const sm = t.make();
  t.provisioner.fail = true;
  const r = await sm.create();
  assert.equal(!r.ok && r.code, 'PROVISION_FAILED');
  assert.equal(sm.count(), 0);
  t.cleanup();
});
