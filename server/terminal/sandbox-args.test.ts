import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, chownSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { buildSandboxArgv, ETC_ALLOW, sandboxEnv, JOIN_SCRIPT, FORWARD_SCRIPT, SANDBOX_KUBE_SOCKET, type SandboxSpec } from './sandbox-args.ts';

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

test('with a network spec the host network is not shared: socat forwards the kube port to the socket', () => {
  const argv = buildSandboxArgv(spec({ network: { socketPath: '/data/run/kube.sock', port: 43210, socat: '/usr/bin/socat' } }));
  const s = argv.join(' ');
  assert.ok(!s.includes('--share-net'));
  assert.match(s, /--unshare-all --die-with-parent/);
  assert.match(s, new RegExp(`--ro-bind /data/run/kube.sock ${SANDBOX_KUBE_SOCKET}`));
  const at = argv.indexOf(FORWARD_SCRIPT);
  assert.deepEqual(argv.slice(at - 2, at + 4), ['/bin/sh', '-c', FORWARD_SCRIPT, 'travels-net', '/usr/bin/socat', '43210']);
  assert.equal(argv[at + 4], '/usr/bin/prlimit', 'the shell (under prlimit) follows the forwarder');
  assert.deepEqual(argv.slice(-2), ['/bin/bash', '-i']);
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

const canIsolate = canSandbox && existsSync('/usr/bin/socat');
test('inside the real sandbox with an isolated network: only the kube port answers, via the socket', { skip: !canIsolate && 'needs root + bwrap + socat' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-net-'));
  chownSync(dir, 2001, 2001);
  // A host service the shell must not reach, and the "kube proxy" it must reach, on a unix socket.
  const hostService = createHttpServer((_q, r) => r.end('host-service')).listen(0, '127.0.0.1');
  const proxy = createHttpServer((_q, r) => r.end('kube-proxy-answered'));
  const socketPath = join(dir, 'kube.sock');
  const unix = createNetServer((c) => proxy.emit('connection', c)).listen(socketPath);
  try {
    await Promise.all([new Promise((r) => hostService.once('listening', r)), new Promise((r) => unix.once('listening', r))]);
    spawnSync('chmod', ['666', socketPath]);
    const hostPort = (hostService.address() as { port: number }).port;
    const kubePort = 43000 + Math.floor(Math.random() * 2000);
    const argv = buildSandboxArgv(
      spec({ paths: { homeDir: dir }, symlinks: { '/bin': 'usr/bin', '/lib': 'usr/lib', '/lib64': 'usr/lib64', '/sbin': 'usr/sbin' }, network: { socketPath, port: kubePort, socat: '/usr/bin/socat' } }),
      ['/bin/bash', '-c', `sleep 0.3; curl -sS -m 3 http://127.0.0.1:${kubePort}/; echo; curl -sS -m 3 http://127.0.0.1:${hostPort}/ 2>&1 | head -c 60; echo " rc=\${PIPESTATUS[0]}"`],
    );
    const r = await run(argv);
    assert.match(r, /^kube-proxy-answered$/m, r);
    assert.match(r, /rc=7/, `the host's loopback service is unreachable: ${r}`);
    assert.ok(!r.includes('host-service'));
  } finally {
    hostService.close();
    unix.close();
    proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs argv to completion without blocking the event loop (the test's servers must keep answering). */
function run(argv: string[]): Promise<string> {
  return new Promise((resolve) => execFile(argv[0], argv.slice(1), { env: sandboxEnv({}), timeout: 20_000 }, (_e, out, err) => resolve(String(out) + String(err))));
}
