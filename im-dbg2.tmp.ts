import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startFullServer } from './server/instructor/full-server.ts';
const s = await startFullServer({ instructor: { secret: 'x' }, env: { MAX_SESSIONS: '80' } });
const measure = async (label: string) => {
  const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
  const e0 = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, 5000));
  h.disable();
  const e = performance.eventLoopUtilization(e0);
  console.log(label, 'ELU', e.utilization.toFixed(2), 'delay p50/p99 ms', (h.percentile(50) / 1e6).toFixed(1), (h.percentile(99) / 1e6).toFixed(1));
};
await measure('idle 0 clusters');
for (let i = 0; i < 25; i++) await s.deps.sessions.create();
await measure('25 sessions');
for (let i = 0; i < 25; i++) await s.deps.sessions.create();
await measure('50 sessions');
await s.close();
