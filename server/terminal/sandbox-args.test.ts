import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, chownSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSandboxArgv, ETC_ALLOW, sandboxEnv, JOIN_SCRIPT, type SandboxSpec } from './sandbox-args.ts';

const spec = (over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  bwrap: '/usr/bin/bwrap',
  uid: 2001,
  gid: 2001,
  dropPrivileges: true,
  paths: { homeDir: '/data/homes/abc', toolsDir: '/repo/server/lab-tools', manifestsDir: '/repo/labs/travels/manifests' },
  limits: { nproc: 100, addressSpace: 1 << 30, fileSize: 1 << 20, cpuSeconds: 60, tmpBytes: 1 << 24 },
  cgroupProcs: [],
  symlinks: { '/bin': 'usr/bin', '/lib': 'usr/lib' },
  etcAllow: ETC_ALLOW,
  env: {},
  ...over,
});

test('binds only what a shell needs, read-only, and never secrets', () => {
  const argv = buildSandboxArgv(spec());
  const s = argv.join(' ');
  assert.equal(argv[0], '/usr/bin/setpriv');
  assert.match(s, /--reuid=2001 --regid=2001 --clear-groups/);
  assert.match(s, /--ro-bind \/usr \/usr/);
  assert.match(s, /--bind \/data\/homes\/abc \/home\/learner/);
  assert.match(s, /--ro-bind \/repo\/server\/lab-tools \/opt\/travels\/bin/);
  assert.match(s, /--ro-bind \/repo\/labs\/travels\/manifests \/opt\/travels\/manifests/);
  assert.match(s, /--unshare-all --share-net --die-with-parent --hostname travels-lab/);
  assert.match(s, /--size 16777216 --tmpfs \/tmp/);
  assert.match(s, /--symlink usr\/bin \/bin/);
  assert.ok(!s.includes('--ro-bind / /'), 'the host root is never bound');
  assert.ok(!/\/etc\/shadow|\/etc\/npmrc|\/etc\/gitconfig|\/root|\/work/.test(s));
  assert.ok(!s.includes('--new-session'), 'setsid would drop job control');
  assert.match(s, /\/usr\/bin\/prlimit --nproc=100 --as=1073741824 --fsize=1048576 --cpu=60/);
  assert.deepEqual(argv.slice(-2), ['/bin/bash', '-i']);
});

test('cgroups are joined before privileges drop; argv stays argv', () => {
  const argv = buildSandboxArgv(spec({ cgroupProcs: ['/cg/pids/x/cgroup.procs', '/cg/memory/x/cgroup.procs'] }));
  assert.deepEqual(argv.slice(0, 7), ['/bin/sh', '-c', JOIN_SCRIPT, 'travels-join', '/cg/pids/x/cgroup.procs', '/cg/memory/x/cgroup.procs', '--']);
  assert.equal(argv[7], '/usr/bin/setpriv');
  const noDrop = buildSandboxArgv(spec({ dropPrivileges: false }));
  assert.equal(noDrop[0], '/usr/bin/bwrap');
});

test('environment has the lab variables and nothing of the server', () => {
  const env = sandboxEnv({ TRAVELS_INGRESS_IP: '10.0.0.1' });
  assert.equal(env.KUBECONFIG, '/home/learner/.kube/config');
  assert.equal(env.HOME, '/home/learner');
  assert.ok(env.PATH.startsWith('/opt/travels/bin:'));
  assert.equal(env.TRAVELS_INGRESS_IP, '10.0.0.1');
  assert.equal(Object.keys(env).some((k) => k.startsWith('npm_') || k === 'DATA_DIR'), false);
});

const canSandbox = process.getuid?.() === 0 && existsSync('/usr/bin/bwrap');
test('inside the real sandbox: learner uid, no repo, private /tmp, limits hold', { skip: !canSandbox && 'needs root + bwrap' }, () => {
  const home = mkdtempSync(join(tmpdir(), 'sbx-home-'));
  chownSync(home, 2001, 2001);
  try {
    const argv = buildSandboxArgv(spec({ paths: { homeDir: home }, symlinks: { '/bin': 'usr/bin', '/lib': 'usr/lib', '/lib64': 'usr/lib64', '/sbin': 'usr/sbin' } }), [
      '/bin/bash',
      '-c',
      `id -u; hostname; test -e ${process.cwd()}/package.json && echo REPO-VISIBLE; test -e /etc/shadow && echo SHADOW; ls /tmp | wc -l; head -c 2M /dev/zero > ~/big 2>/dev/null; stat -c %s ~/big`,
    ]);
    const r = spawnSync(argv[0], argv.slice(1), { env: sandboxEnv({}), encoding: 'utf8' });
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '2001', r.stderr);
    assert.equal(lines[1], 'travels-lab');
    assert.ok(!r.stdout.includes('REPO-VISIBLE'));
    assert.ok(!r.stdout.includes('SHADOW'));
    assert.equal(lines.at(-2), '0');
    assert.equal(lines.at(-1), String(1 << 20), 'RLIMIT_FSIZE caps file size');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
