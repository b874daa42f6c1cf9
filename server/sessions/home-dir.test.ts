// The learner's home is written by the server (root, in production) but belongs to the learner, links
// included: these tests plant the links a hostile learner would and check that no file outside the home
// is written or changes owner, and that a full home gives a clear error instead of a half-written kubeconfig.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../log.ts';
import { HomeVolumes } from './home-volume.ts';
import { HomeWriteError, prepareHome, writeShellEnv, type HomeOwner, type HomeWriterTarget } from './home-dir.ts';
import { loadConfig } from '../config.ts';
import { ShellLauncher } from '../terminal/shell-launcher.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';

const access: ClusterAccess = { server: 'http://127.0.0.1:1234/k/secret', token: 'tok-123' };

/** The learner account when this runs as root (as the server does in production); else none. */
function learnerAccount(): HomeOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: Number(execFileSync('id', ['-u', 'learner'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'learner'], { encoding: 'utf8' })) };
  } catch {
    return undefined;
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'home-dir-launcher-'));
chmodSync(dataDir, 0o711); // as the server makes DATA_DIR: the sandbox reaches its files as the learner
const config = loadConfig({ DATA_DIR: dataDir });
const launcher = config.ok ? ShellLauncher.detect(config.config, memoryLogger()) : undefined;

/**
 * Where the server writes a home in production: as the learner, in the learner's sandbox (main.ts's
 * homeWriter). Undefined without root, bubblewrap and the learner account.
 */
function learner(home: string): (HomeWriterTarget & { owner: HomeOwner }) | undefined {
  const owner = learnerAccount();
  if (!owner || launcher?.mode !== 'bwrap') return undefined;
  return { owner, sandbox: (argv, env) => launcher.sandboxedCommand({ sessionId: 'home-dir-test', homeDir: home, env }, argv)! };
}

function scratch(): { root: string; home: string; victim: string } {
  const root = mkdtempSync(join(tmpdir(), 'home-dir-'));
  const home = join(root, 'homes', 'session-a');
  const victim = join(root, 'victim');
  mkdirSync(home, { recursive: true });
  // As DATA_DIR/homes is: the sandbox binds the home as the learner, who may pass through but not list.
  for (const d of [root, join(root, 'homes')]) chmodSync(d, 0o711);
  mkdirSync(join(victim, 'dir'), { recursive: true });
  for (const f of ['file', 'file2', 'file3']) writeFileSync(join(victim, f), 'precious\n', { mode: 0o600 });
  return { root, home, victim };
}

/** A scratch home with the production writer, or undefined (the test skipped) where it cannot run. */
function sandboxedScratch(t: TestContext): (ReturnType<typeof scratch> & { owner: HomeWriterTarget & { owner: HomeOwner } }) | undefined {
  const made = scratch();
  const owner = learner(made.home);
  if (owner) return { ...made, owner };
  rmSync(made.root, { recursive: true, force: true });
  t.skip('needs root, bubblewrap and the learner account (the server\'s production setup)');
  return undefined;
}

test('a new home gets the kubeconfig (0600), .bashrc and .profile, owned by the learner; the learner\'s own .bashrc is kept', async () => {
  const { root, home } = scratch();
  const owner = learner(home);
  await prepareHome(home, access, owner);
  const cfg = join(home, '.kube', 'config');
  assert.match(readFileSync(cfg, 'utf8'), /server: http:\/\/127\.0\.0\.1:1234\/k\/secret/);
  assert.equal(statSync(cfg).mode & 0o777, 0o600);
  assert.equal(statSync(home).mode & 0o777, 0o700);
  assert.ok(statSync(join(home, '.kube', 'cache')).isDirectory());
  assert.match(readFileSync(join(home, '.bashrc'), 'utf8'), /Travels Labs learner shell/);
  if (owner) for (const p of [home, cfg, join(home, '.kube'), join(home, '.bashrc'), join(home, '.profile')]) assert.equal(statSync(p).uid, owner.owner.uid, p);
  writeFileSync(join(home, '.bashrc'), 'alias mine=true\n');
  await prepareHome(home, { ...access, token: 'tok-456' }, owner);
  assert.equal(readFileSync(join(home, '.bashrc'), 'utf8'), 'alias mine=true\n');
  assert.match(readFileSync(cfg, 'utf8'), /tok-456/);
  await writeShellEnv(home, { TRAVELS_INGRESS_IP: "10.0.0.1'x" }, owner);
  assert.equal(readFileSync(join(home, '.travels', 'env'), 'utf8'), "export TRAVELS_INGRESS_IP='10.0.0.1'\\''x'\n");
  rmSync(root, { recursive: true, force: true });
});

test('links planted in the home never make the server write or chown a file outside it', async (t) => {
  const made = sandboxedScratch(t);
  if (!made) return;
  const { root, home, victim, owner } = made;
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

test('a link swapped in while the server writes (a race) still lands nowhere outside the home: the writer runs in the sandbox', async (t) => {
  const made = sandboxedScratch(t);
  if (!made) return;
  const { root, home, victim, owner } = made;
  // A directory anyone may write to, as the host's /tmp is: what a writer running on the host as the
  // learner would have filled.
  const open = join(victim, 'open');
  mkdirSync(open, { mode: 0o777 });
  chmodSync(open, 0o777);
  chmodSync(victim, 0o755);
  await prepareHome(home, access, owner);
  // The learner's loop: whenever ~/.kube is a real directory again, swap a link to `open` in.
  const swapper = spawn('/bin/sh', ['-c', `cd '${home}' && while :; do if [ -d .kube ] && [ ! -L .kube ]; then mv .kube .kx 2>/dev/null; ln -s '${open}' .kube; rm -rf .kx; fi; done`],
    { uid: owner.owner.uid, gid: owner.owner.gid, stdio: 'ignore' });
  try {
    for (let i = 0; i < 25; i++) await prepareHome(home, access, owner).catch(() => undefined);
  } finally {
    swapper.kill('SIGKILL');
  }
  assert.deepEqual(readdirSync(open), [], 'nothing was written through the swapped link');
  rmSync(root, { recursive: true, force: true });
});

test('a full home: the kubeconfig still fits where the old one was; without one, a HOME_FULL error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'home-full-'));
  chmodSync(dir, 0o711);
  const homesDir = join(dir, 'homes');
  const home = join(homesDir, 'session-a');
  const owner = learner(home);
  const volumes = await HomeVolumes.create({ homesDir, sizeMb: 8, log: memoryLogger(), spares: 0 });
  if (!volumes.enabled || !owner) {
    await volumes.close();
    rmSync(dir, { recursive: true, force: true });
    return t.skip('needs root, loop devices, bubblewrap and the learner account');
  }
  try {
    await volumes.mount(home);
    await prepareHome(home, access, owner);
    // Filled to the last block, as the learner could (dd stops at ENOSPC).
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(home, 'fill')}`, 'bs=64k'], { stdio: 'ignore', uid: owner.owner.uid, gid: owner.owner.gid });
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
