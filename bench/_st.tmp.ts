import { startTravels } from './lib/servers.ts';
import { openTravels, waitOutput } from './lib/clients.ts';
const srv = await startTravels({ LOG_LEVEL: 'debug' });
await new Promise((r) => setTimeout(r, 5000));
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const r = await fetch(srv.url + '/api/sessions', { method: 'POST' });
  const { token } = await r.json() as { token: string };
  const t1 = performance.now();
  const t = await openTravels(srv.url, token);
  await waitOutput(t, /\$ $/);
  console.log('post', (t1 - t0).toFixed(0), 'prompt', (performance.now() - t1).toFixed(0));
  t.close();
  await new Promise((r) => setTimeout(r, 4000));
}
await srv.stop();
