import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { EmulatorHost } from '../../host.ts';
import type { Cluster } from '../../cluster.ts';
import { STREAM_SETUP_MS } from './channel-protocol.ts';

let host: EmulatorHost;
let token: string;
let cluster: Cluster;

before(async () => {
  host = await EmulatorHost.start();
  const c = host.createCluster({ withMesh: false, seed: 4 });
  token = c.token;
  cluster = c.cluster;
  cluster.ctx.store.create({ group: '', resource: 'pods' }, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'x', env: [{ name: 'MODE', value: 'demo' }] }] },
    status: { phase: 'Succeeded' },
  });
});
after(() => host.close());

/** Runs one exec over the channel protocol and collects stdout, stderr and the final Status. */
function exec(command: string[]): Promise<{ stdout: string; stderr: string; status: { status: string; reason?: string } }> {
  const q = new URLSearchParams([...command.map((c) => ['command', c]), ['container', 'app'], ['stdout', 'true'], ['stderr', 'true']]);
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/k/${token}/api/v1/namespaces/default/pods/web/exec?${q}`, ['v5.channel.k8s.io']);
  let stdout = '';
  let stderr = '';
  let status = { status: '' };
  return new Promise((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const text = data.subarray(1).toString('utf8');
      if (data[0] === 1) stdout += text;
      if (data[0] === 2) stderr += text;
      if (data[0] === 3) status = JSON.parse(text);
    });
    ws.on('close', () => resolve({ stdout, stderr, status }));
    ws.on('error', reject);
  });
}

test('exec runs simple commands and reports success', async () => {
  const r = await exec(['printenv', 'MODE']);
  assert.equal(r.stdout, 'demo\n');
  assert.equal(r.status.status, 'Success');
  assert.equal((await exec(['hostname'])).stdout, 'web\n');
});

test('non-zero exit codes and missing binaries come back as the runtime reports them', async () => {
  const f = await exec(['sh', '-c', 'false']);
  assert.equal(f.status.reason, 'NonZeroExitCode');
  const missing = await exec(['nosuch']);
  assert.equal(missing.status.reason, 'InternalError');
});

test('output waits until kubectl has had time to register its streams', async () => {
  const q = new URLSearchParams([['command', 'hostname'], ['container', 'app'], ['stdout', 'true']]);
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/k/${token}/api/v1/namespaces/default/pods/web/exec?${q}`, ['v5.channel.k8s.io']);
  const opened = new Promise<number>((resolve) => ws.once('open', () => resolve(performance.now())));
  const firstFrame = new Promise<number>((resolve) => ws.once('message', () => resolve(performance.now())));
  const [openAt, frameAt] = await Promise.all([opened, firstFrame]);
  ws.close();
  // Frames sent right after the upgrade are dropped by client-go ("Unknown stream id 1").
  assert.ok(frameAt - openAt >= STREAM_SETUP_MS - 5, `first frame ${frameAt - openAt} ms after the upgrade`);
});

test('grep patterns are RE2: a catastrophic-backtracking pattern answers at once instead of stalling the server', async () => {
  const t0 = performance.now();
  const r = await exec(['sh', '-c', `echo ${'a'.repeat(40)}! | grep -cE '^(a+)+$'; echo ${'a'.repeat(40)} | grep -cE '^(a+)+$'; echo Hello | grep -i hello`]);
  assert.equal(r.stdout, '0\n1\nHello\n');
  assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
});

test('sh -c runs one-liners: ; && || pipes into grep/head/wc, $VAR from the container, 2>&1 and /dev/null', async () => {
  const r = await exec(['sh', '-c', 'echo "mode=$MODE"; hostname && printenv MODE | grep -c dem; false || echo fell-back']);
  assert.equal(r.stdout, 'mode=demo\nweb\n1\nfell-back\n');
  assert.equal(r.status.status, 'Success');
  const skipped = await exec(['sh', '-c', 'false && echo never; echo ${MODE}-end']);
  assert.equal(skipped.stdout, 'demo-end\n');
  const quiet = await exec(['sh', '-c', 'cat /nope 2>/dev/null; cat /nope 2>&1 | head -n 1']);
  assert.equal(quiet.stdout, 'cat: /nope: No such file or directory\n');
  const single = await exec(['sh', '-c', "echo '$MODE'"]);
  assert.equal(single.stdout, '$MODE\n', 'no expansion inside single quotes');
  const unknown = await exec(['sh', '-c', 'nosuch --flag']);
  assert.equal(unknown.stderr, 'sh: 1: nosuch: not found\n');
  assert.equal(unknown.status.reason, 'NonZeroExitCode');
  const sub = await exec(['sh', '-c', 'echo $(hostname)']);
  assert.match(sub.stderr, /command substitution are not supported here/);
});

test('ls lists the root, a directory and files; a missing path is an error', async () => {
  assert.match((await exec(['ls'])).stdout, /^bin\ndev\netc\n/);
  assert.equal((await exec(['ls', '/etc'])).stdout, 'hostname\nhosts\nos-release\npasswd\nresolv.conf\n');
  assert.equal((await exec(['ls', '/etc/hosts'])).stdout, '/etc/hosts\n');
  const missing = await exec(['ls', '/nope']);
  assert.equal(missing.stderr, "ls: cannot access '/nope': No such file or directory\n");
  assert.match((await exec(['cat', '/etc/passwd'])).stdout, /^root:x:0:0:root:\/root:\/bin\/bash\n/);
});

test('sh -c keeps a backslash that escapes nothing inside double quotes, and says loops are not supported', async () => {
  const r = await exec(['sh', '-c', 'echo "a\\nb" "\\$MODE" "q\\"x"']);
  assert.equal(r.stdout, 'a\\nb $MODE q"x\n');
  const loop = await exec(['sh', '-c', 'for i in 1 2; do echo $i; done']);
  assert.match(loop.stderr, /^sh: 1: for: loops and conditionals are not supported here/);
  assert.equal(loop.status.reason, 'NonZeroExitCode');
  assert.equal((await exec(['sh', '-c', 'echo for done'])).stdout, 'for done\n', 'only in command position');
});
