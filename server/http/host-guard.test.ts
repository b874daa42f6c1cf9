import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostName, hostPolicy, refusal } from './host-guard.ts';

const loopback = hostPolicy({}, true);

test('host names: ports and IPv6 brackets are stripped, case folded', () => {
  assert.equal(hostName('LocalHost:4321'), 'localhost');
  assert.equal(hostName('[::1]:4321'), '::1');
  assert.equal(hostName('127.0.0.1'), '127.0.0.1');
  assert.equal(hostName('labs.example.org:443'), 'labs.example.org');
});

test('a loopback server answers loopback names only: a rebinding page under another name is refused', () => {
  for (const host of ['localhost:4321', '127.0.0.1:4321', '[::1]:4321', 'app.localhost']) assert.equal(refusal({ host }, loopback, true), undefined, host);
  const why = refusal({ host: 'attacker.example:4321', origin: 'http://attacker.example:4321' }, loopback, true);
  assert.match(why ?? '', /localhost only.*ALLOWED_HOSTS=attacker.example/);
  assert.ok(refusal({ host: 'attacker.example' }, loopback, false), 'static pages too: a rebinding page must not read the site as ours');
  assert.ok(refusal({ host: '127.0.0.1.attacker.example' }, loopback, false));
  assert.equal(refusal({}, loopback, true), undefined, 'no Host header (HTTP/1.0 tools): not a browser');
});

test('ALLOWED_HOSTS adds names (behind a proxy); an exposed server without it answers any name', () => {
  const proxied = hostPolicy({ ALLOWED_HOSTS: 'Labs.Example.org, other.example' }, true);
  assert.equal(refusal({ host: 'labs.example.org', origin: 'https://labs.example.org' }, proxied, true), undefined);
  assert.ok(refusal({ host: 'evil.example' }, proxied, true));
  const exposed = hostPolicy({}, false);
  assert.equal(refusal({ host: '10.0.0.5:4321', origin: 'http://10.0.0.5:4321' }, exposed, true), undefined);
});

test('API calls and WebSockets from another site are refused; loopback names count as one site', () => {
  assert.match(refusal({ host: 'localhost:4321', origin: 'https://evil.example' }, loopback, true) ?? '', /evil.example are refused/);
  assert.equal(refusal({ host: 'localhost:4321', origin: 'https://evil.example' }, loopback, false), undefined, 'a static page may be linked from anywhere');
  assert.equal(refusal({ host: '127.0.0.1:4322', origin: 'http://localhost:4321' }, { ...loopback, pagesElsewhere: true }, true), undefined, 'npm run dev: the page on 4321, the API on 4322');
  assert.equal(refusal({ host: '127.0.0.1:4321', origin: 'http://localhost:4321' }, loopback, true), undefined, 'loopback names are one site');
  assert.match(refusal({ host: 'localhost:4321', origin: 'http://localhost:8080' }, loopback, true) ?? '', /localhost:8080 are refused/, 'another local app\'s page is another site');
  assert.match(refusal({ host: 'localhost', origin: 'http://localhost:3000' }, loopback, true) ?? '', /are refused/);
  assert.equal(refusal({ host: 'localhost', origin: 'http://localhost' }, loopback, true), undefined, 'port 80 either way');
  assert.ok(refusal({ host: 'localhost:4321', origin: 'null' }, loopback, true), 'an opaque origin (sandboxed frame, file://)');
  const exposed = hostPolicy({}, false);
  assert.ok(refusal({ host: 'labs.example.org', origin: 'https://evil.example' }, exposed, true));
});
