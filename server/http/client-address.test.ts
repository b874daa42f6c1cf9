import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { addressKey, clientAddress } from './client-address.ts';

const req = (xff?: string | string[]) => ({ socket: { remoteAddress: '10.0.0.9' }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

test('the socket address unless a trusted proxy says otherwise; then the hop the proxy appended', () => {
  assert.equal(clientAddress(req('1.2.3.4'), false), '10.0.0.9', 'a client cannot name its own address');
  assert.equal(clientAddress(req('6.6.6.6, 1.2.3.4'), true), '1.2.3.4', 'what the client wrote before the proxy does not count');
  assert.equal(clientAddress(req(['6.6.6.6', '1.2.3.4']), true), '1.2.3.4');
  assert.equal(clientAddress(req(), true), '10.0.0.9', 'no header: the socket');
});

test('an IPv6 client is its /64 (it can use any address in it); IPv4 and IPv4-mapped addresses are themselves', () => {
  assert.equal(addressKey('2001:db8:1:1::1'), '2001:db8:1:1::/64');
  assert.equal(addressKey('2001:db8:1:1::2'), '2001:db8:1:1::/64');
  assert.equal(addressKey('2001:0db8:0001:0001:dead:beef:0:7'), '2001:db8:1:1::/64');
  assert.equal(addressKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
  assert.equal(addressKey('::ffff:10.0.0.7'), '10.0.0.7');
  assert.equal(addressKey('192.168.1.9'), '192.168.1.9');
});
