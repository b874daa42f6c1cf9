import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, isLoopbackHost } from './config.ts';

test('defaults', () => {
  const c = loadConfig({});
  assert.ok(c.ok);
  assert.equal(c.config.PORT, 4321);
  assert.equal(c.config.HOST, '127.0.0.1');
  assert.equal(c.config.PROVISIONER, 'embedded');
  assert.ok(c.config.dataDir.endsWith('/.data'));
});

test('friendly errors name the variable and its value', () => {
  const c = loadConfig({ PORT: 'eighty', SANDBOX: 'docker', MAX_SESSIONS: '0' });
  assert.equal(c.ok, false);
  const text = !c.ok ? c.errors.join('\n') : '';
  assert.match(text, /PORT="eighty"/);
  assert.match(text, /SANDBOX="docker"/);
  assert.match(text, /MAX_SESSIONS="0"/);
});

test('empty values mean unset; loopback detection', () => {
  const c = loadConfig({ PORT: '' });
  assert.ok(c.ok && c.config.PORT === 4321);
  assert.equal(isLoopbackHost('127.0.0.1'), true);
  assert.equal(isLoopbackHost('::1'), true);
  assert.equal(isLoopbackHost('0.0.0.0'), false);
});
