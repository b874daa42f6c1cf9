import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Cluster } from '../cluster.ts';
import { admit } from '../admission/index.ts';
const files = ['travel_agency.yaml', 'travel_portal.yaml', 'travel_control.yaml'];
const nsOf = { 'travel_agency.yaml': 'travel-agency', 'travel_portal.yaml': 'travel-portal', 'travel_control.yaml': 'travel-control' } as Record<string,string>;
function put(c: Cluster, obj: any) {
  const info = c.ctx.registry.byKind(obj.apiVersion, obj.kind)!;
  const a = admit(c.ctx, 'CREATE', info, obj);
  c.ctx.store.create({ group: info.group, resource: info.resource }, a);
}
const N = Number(process.argv[2] ?? 10);
const withApp = process.argv[3] === 'app';
global.gc!(); const before = process.memoryUsage().heapUsed;
const clusters: Cluster[] = [];
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const c = Cluster.create({ withMesh: process.argv[4] === 'mesh' ? undefined : false, seed: i, timeScale: 50 });
  if (withApp) {
    for (const f of files) {
      put(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsOf[f], labels: { 'istio-injection': 'enabled' } } });
      for (const d of parseAllDocuments(readFileSync('/work/main/labs/travels/manifests/' + f, 'utf8'))) {
        const o = d.toJSON(); if (!o) continue; o.metadata.namespace = nsOf[f]; put(c, o);
      }
    }
  }
  clusters.push(c);
}
const t1 = performance.now();
await new Promise((r) => setTimeout(r, 8000));
global.gc!(); const after = process.memoryUsage().heapUsed;
console.log(`create ${((t1 - t0) / N).toFixed(0)} ms/cluster; heap per cluster ${((after - before) / N / 1e6).toFixed(2)} MB`);
const c0 = clusters[0]!;
const pods = c0.ctx.store.list({ group: '', resource: 'pods' }).items;
console.log(pods.length, 'pods', pods.filter((p: any) => p.status.phase === 'Running').length, 'running; rv', c0.ctx.store.resourceVersion);
// idle CPU
const cpu0 = process.cpuUsage(); await new Promise((r) => setTimeout(r, 2000)); const cpu1 = process.cpuUsage(cpu0);
console.log('idle cpu ms over 2s for', N, 'clusters:', ((cpu1.user + cpu1.system) / 1000).toFixed(0));
for (const c of clusters) c.dispose();
