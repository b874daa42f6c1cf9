// The learner's home is written by the server (root, in production) but belongs to the learner, links
// included: these tests plant the links a hostile learner would and check that no file outside the home
// is written or changes owner, and that a full home gives a clear error instead of a half-written kubeconfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../log.ts';
import { HomeVolumes } from './home-volume.ts';
import { HomeWriteError, prepareHome, writeShellEnv, type HomeOwner } from './home-dir.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';

const access: ClusterAccess = { server: 'http://127.0.0.1:1234/k/secret', token: 'tok-123' };

/** The learner account when this runs as root (as the server does in production); else none. */
function learner(): HomeOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'learner'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'learner'], { encoding: 'utf8' })) };
  } catch {
    return undefined;
  }
}

function scratch(): { root: string; home: string; victim: string } {
  const root = mkdtempSync(join(tmpdir(), 'home-dir-'));
  const home = join(root, 'homes', 'session-a');
  const victim = join(root, 'victim');
  mkdirSync(home, { recursive: true });
  mkdirSync(join(victim, 'dir'), { recursive: true });
  for (const f of ['file', 'file2', 'file3']) writeFileSync(join(victim, f), 'precious\n', { mode: 0o600 });
  return { root, home, victim };
}

test('a new home gets the kubeconfig (0600), .bashrc and .profile, owned by the learner; the learner\'s own .bashrc is kept', async () => {
  const owner = learner();
  const { root, home } = scratch();
  await prepareHome(home, access, owner);
  const cfg = join(home, '.kube', 'config');
  assert.match(readFileSync(cfg, 'utf8'), /server: http:\/\/127\.0\.0\.1:1234\/k\/secret/);
  assert.equal(statSync(cfg).mode & 0o777, 0o600);
  assert.equal(statSync(home).mode & 0o777, 0o700);
  assert.ok(statSync(join(home, '.kube', 'cache')).isDirectory());
  assert.match(readFileSync(join(home, '.bashrc'), 'utf8'), /Travels Labs learner shell/);
  if (owner) for (const p of [home, cfg, join(home, '.kube'), join(home, '.bashrc'), join(home, '.profile')]) assert.equal(statSync(p).uid, owner.uid, p);
  writeFileSync(join(home, '.bashrc'), 'alias mine=true\n');
  await prepareHome(home, { ...access, token: 'tok-456' }, owner);
  assert.equal(readFileSync(join(home, '.bashrc'), 'utf8'), 'alias mine=true\n');
  assert.match(readFileSync(cfg, 'utf8'), /tok-456/);
  await writeShellEnv(home, { TRAVELS_INGRESS_IP: "10.0.0.1'x" }, owner);
  assert.equal(readFileSync(join(home, '.travels', 'env'), 'utf8'), "export TRAVELS_INGRESS_IP='10.0.0.1'\\''x'\n");
  rmSync(root, { recursive: true, force: true });
});

test('links planted in the home never make the server write or chown a file outside it', async (t) => {
  const owner = learner();
  if (!owner) return t.skip('needs root and the learner account (the server\'s production setup)');
  const { root, home, victim } = scratch();
  const untouched = () => {
    for (const f of ['file', 'file2', 'file3']) {
      const st = statSync(join(victim, f));
      assert.equal(readFileSync(join(victim, f), 'utf8'), 'precious\n', `${f} was written`);
      assert.equal(st.uid, 0, `${f} changed owner`);
    }
    assert.equal(statSync(join(victim, 'dir')).uid, 0);
    assert.deepEqual(execFileSync('ls', ['-A', join(victim, 'dir')], { encoding: 'utf8' }), '', 'nothing was created in the linked directory');
  };
  // ~/.kube and ~/.travels are links to a root directory; .bashrc and .profile link to root files.
  symlinkSync(join(victim, 'dir'), join(home, '.kube'));
  symlinkSync(join(victim, 'dir'), join(home, '.travels'));
  symlinkSync(join(victim, 'file'), join(home, '.bashrc'));
  symlinkSync(join(victim, 'file2'), join(home, '.profile'));
  await prepareHome(home, access, owner);
  await writeShellEnv(home, { TRAVELS_INGRESS_IP: '10.0.0.1' }, owner);
  untouched();
  // The directories are put back; the kubeconfig is written into the home itself.
  assert.ok(lstatSync(join(home, '.kube')).isDirectory());
  assert.match(readFileSync(join(home, '.kube', 'config'), 'utf8'), /tok-123/);
  assert.match(readFileSync(join(home, '.travels', 'env'), 'utf8'), /10\.0\.0\.1/);
  // The kubeconfig itself a link to a root file (0600): replaced, not written through.
  rmSync(join(home, '.kube', 'config'));
  symlinkSync(join(victim, 'file3'), join(home, '.kube', 'config'));
  await prepareHome(home, access, owner);
  untouched();
  assert.ok(lstatSync(join(home, '.kube', 'config')).isFile());
  rmSync(root, { recursive: true, force: true });
});

test('a full home: the kubeconfig still fits where the old one was; without one, a HOME_FULL error', async (t) => {
  const owner = learner();
  const dir = mkdtempSync(join(tmpdir(), 'home-full-'));
  const homesDir = join(dir, 'homes');
  const volumes = await HomeVolumes.create({ homesDir, sizeMb: 8, log: memoryLogger(), spares: 0 });
  if (!volumes.enabled || !owner) {
    await volumes.close();
    rmSync(dir, { recursive: true, force: true });
    return t.skip('needs root, loop devices and the learner account');
  }
  const home = join(homesDir, 'session-a');
  try {
    await volumes.mount(home);
    await prepareHome(home, access, owner);
    // Filled to the last block, as the learner could (dd stops at ENOSPC).
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(home, 'fill')}`, 'bs=64k'], { stdio: 'ignore', uid: owner.uid, gid: owner.gid });
    } catch { /* ENOSPC is the point */ }
    for (let i = 0; i < 5000; i++) {
      try { writeFileSync(join(home, `f${i}`), 'x'); } catch { break; }
    }
    await prepareHome(home, { ...access, token: 'tok-after-full' }, owner);
    assert.match(readFileSync(join(home, '.kube', 'config'), 'utf8'), /tok-after-full/);
    rmSync(join(home, '.kube', 'config'));
    // Room taken back by anything small once the old file is gone.
    for (let i = 5000; i < 10000; i++) {
      try { writeFileSync(join(home, `f${i}`), 'x'.repeat(1024)); } catch { break; }
    }
    await assert.rejects(prepareHome(home, access, owner), (err: unknown) => err instanceof HomeWriteError && err.code === 'HOME_FULL' && /full/.test(err.message));
  } finally {
    await volumes.remove(home).catch(() => undefined);
    await volumes.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
