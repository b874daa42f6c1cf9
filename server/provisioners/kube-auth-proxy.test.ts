import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { KubeAuthProxy } from './kube-auth-proxy.ts';
import { createTlsCredentials } from '../emulator/tls.ts';

/** An upstream that echoes what it received: path and bearer header. */
async function upstream() {
  const seen: { url?: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    res.end(JSON.stringify({ url: req.url, auth: req.headers.authorization }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

function get(opts: { port?: number; socketPath?: string; path: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', ...opts }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the token in the path becomes a bearer header, on the loopback port and on the unix socket alike', async () => {
  const up = await upstream();
  const dir = mkdtempSync(join(tmpdir(), 'kap-'));
  const socketPath = join(dir, 'run', 'kube.sock');
  const proxy = await KubeAuthProxy.start(up.url, 0, socketPath);
  try {
    assert.equal(proxy.socketPath, socketPath);
    assert.equal(statSync(socketPath).mode & 0o777, 0o666, 'learner shells (another uid) may connect');
    for (const via of [{ port: proxy.port }, { socketPath }]) {
      const r = await get({ ...via, path: '/k/tok%2Fen/api/v1/namespaces?limit=1' });
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.body), { url: '/api/v1/namespaces?limit=1', auth: 'Bearer tok/en' });
    }
    assert.equal((await get({ socketPath, path: '/k/' })).status, 404, 'a token path without a token is not forwarded');
    // Any other path goes as it came, with the client's own header (none here: the host answers 401).
    assert.deepEqual(JSON.parse((await get({ socketPath, path: '/api' })).body), { url: '/api' });
  } finally {
    await proxy.close();
    up.server.close();
  }
  assert.equal(existsSync(socketPath), false, 'close() removes the socket');
  rmSync(dir, { recursive: true, force: true });
});

test('a socket left by a killed server is replaced, not an error', async () => {
  const up = await upstream();
  const dir = mkdtempSync(join(tmpdir(), 'kap-'));
  const socketPath = join(dir, 'kube.sock');
  const first = await KubeAuthProxy.start(up.url, 0, socketPath);
  // Simulate a crash: something stays at the path while nothing listens on it.
  await new Promise((r) => (first as unknown as { socketServer: { close(cb: () => void): void } }).socketServer.close(() => r(undefined)));
  if (!existsSync(socketPath)) writeFileSync(socketPath, '');
  const second = await KubeAuthProxy.start(up.url, 0, socketPath);
  try {
    assert.equal((await get({ socketPath, path: '/k/t/version' })).status, 200);
  } finally {
    await second.close();
    await first.close();
    up.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('upgrades (kubectl exec, attach, port-forward) are relayed with the token as a header; refusals too', async () => {
  const up = createServer((_req, res) => res.end('plain'));
  up.on('upgrade', (req, socket) => {
    if (req.headers.authorization !== 'Bearer tok') {
      const body = '{"kind":"Status","code":403}';
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: SPDY/3.1\r\nconnection: Upgrade\r\nx-path: ${req.url}\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), d])));
  });
  await new Promise<void>((r) => up.listen(0, '127.0.0.1', () => r()));
  const proxy = await KubeAuthProxy.start(`http://127.0.0.1:${(up.address() as { port: number }).port}`);
  const upgrade = (path: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; socket?: Socket; body?: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, path, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' } });
      req.on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, headers: res.headers, socket }));
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    const ok = await upgrade('/k/tok/api/v1/namespaces/a/pods/p/exec?command=echo');
    assert.equal(ok.status, 101);
    assert.equal(ok.headers['x-path'], '/api/v1/namespaces/a/pods/p/exec?command=echo');
    const echoed = await new Promise<string>((resolve) => {
      ok.socket!.once('data', (d: Buffer) => resolve(d.toString()));
      ok.socket!.write('stdin-bytes');
    });
    assert.equal(echoed, 'echo:stdin-bytes', 'bytes flow both ways after the handshake');
    ok.socket!.destroy();
    const refused = await upgrade('/k/wrong/api/v1/namespaces/a/pods/p/exec');
    assert.equal(refused.status, 403);
    assert.equal(refused.body, '{"kind":"Status","code":403}');
    assert.equal((await upgrade('/k//api/v1/x')).status, 404, 'an empty token in the path');
    assert.equal((await upgrade('/api/v1/x')).status, 403, 'no token at all: the upstream refuses it');
  } finally {
    await proxy.close();
    up.close();
  }
});

test('with TLS the proxy is an https API server to kubectl: the kubeconfig names it, trusts its CA and sends the token as a header', async () => {
  const up = await upstream();
  const tls = await createTlsCredentials();
  const proxy = await KubeAuthProxy.start(up.url, 0, undefined, tls);
  try {
    assert.equal(proxy.serverFor('tok'), `https://127.0.0.1:${proxy.port}`);
    assert.equal(proxy.caData, Buffer.from(tls.cert).toString('base64'));
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: proxy.port, path: '/readyz?verbose', ca: tls.cert, headers: { authorization: 'Bearer tok' } }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(JSON.parse(body), { url: '/readyz?verbose', auth: 'Bearer tok' });
  } finally {
    await proxy.close();
    up.server.close();
  }
});
