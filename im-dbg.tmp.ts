import { startFullServer } from './server/instructor/full-server.ts';
const s = await startFullServer({ instructor: { secret: 'x' }, env: { MAX_SESSIONS: '80' } });
const login = await fetch(`${s.url}/api/instructor/session`, { method: 'POST', body: JSON.stringify({ secret: 'x' }) });
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
const headers = { cookie };
const w = await (await fetch(`${s.url}/api/workshops`, { method: 'POST', headers, body: JSON.stringify({ title: 'B', capacity: 50, accessCode: 'B-50' }) })).json();
const t0 = Date.now();
await fetch(`${s.url}/api/workshops/${w.value.id}/warm`, { method: 'POST', headers, body: JSON.stringify({ count: 50 }) });
for (;;) {
  try {
    const r = await (await fetch(`${s.url}/api/workshops/${w.value.id}`, { headers })).json();
    if (r.value.workshop.warm >= 50) break;
  } catch (e) { console.log('poll failed', (e as Error).message, (e as any).cause?.code, Date.now() - t0); }
  await new Promise((r) => setTimeout(r, 200));
}
console.log('warm', Date.now() - t0);
const res = await Promise.allSettled(Array.from({ length: 50 }, async (_, i) => {
  const st = performance.now();
  const r = await fetch(`${s.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'B-50', name: `a${i}` }) });
  await r.json();
  return performance.now() - st;
}));
console.log(res.filter((r) => r.status === 'rejected').map((r) => String((r as any).reason?.cause?.code ?? (r as any).reason)).slice(0, 5));
console.log(res.filter((r) => r.status === 'fulfilled').map((r) => Math.round((r as any).value)).sort((a, b) => a - b).join(' '));
await s.close();
