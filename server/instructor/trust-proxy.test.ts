// Behind a reverse proxy (TRUST_PROXY=true) the guessing limits count each client's X-Forwarded-For
// address, not the proxy's: one classroom's typos do not throttle everybody else on the site.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './test-support.ts';

const h = await startHarness({ env: { TRUST_PROXY: 'true' } });
after(() => h.close());

const joinFrom = (addr: string, code: string) =>
  fetch(`${h.url}/api/join`, { method: 'POST', headers: { 'x-forwarded-for': addr }, body: JSON.stringify({ code, name: `n-${addr}-${code}` }) });

test('wrong codes from one forwarded address throttle that address only', async () => {
  await h.as('/api/workshops', { method: 'POST', json: { title: 'Proxied', accessCode: 'PROXY-1' } });
  let status = 0;
  for (let i = 0; i < 25 && status !== 429; i++) status = (await joinFrom('203.0.113.7', `NOPE-${i}`)).status;
  assert.equal(status, 429, 'the guesser is throttled');
  const t0 = Date.now();
  const other = await joinFrom('198.51.100.20', 'PROXY-1');
  assert.equal(other.status, 200, 'a classmate behind the same proxy joins');
  assert.ok(Date.now() - t0 < 1_500, 'at once: not in the guesser\'s slow lane');
});
