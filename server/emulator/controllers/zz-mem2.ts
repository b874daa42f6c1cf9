import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Cluster } from '../cluster.ts';
import { admit } from '../admission/index.ts';
const files = ['travel_agency.yaml', 'travel_portal.yaml', 'travel_control.yaml'];
const nsOf: Record<string, string> = { 'travel_agency.yaml': 'travel-agency', 'travel_portal.yaml': 'travel-portal', 'travel_control.yaml': 'travel-control' };
const c = Cluster.create({ withMesh: false, seed: 1, timeScale: 50 });
const put = (obj: any) => { const info = c.ctx.registry.byKind(obj.apiVersion, obj.kind)!; c.ctx.store.create({ group: info.group, resource: info.resource }, admit(c.ctx, 'CREATE', info, obj)); };
for (const f of files) {
  put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsOf[f], labels: { 'istio-injection': 'enabled' } } });
  for (const d of parseAllDocuments(readFileSync('labs/travels/manifests/' + f, 'utf8'))) { const o = d.toJSON(); if (!o) continue; o.metadata.namespace = nsOf[f]; put(o); }
}
await new Promise((r) => setTimeout(r, 3000));
const s: any = c.ctx.store;
const hist = JSON.stringify(s.history.map((h: any) => h.event.object)).length;
let coll = 0; const per: Record<string, number> = {};
for (const [id, m] of s.collections) { const n = JSON.stringify([...m.values()]).length; coll += n; per[id] = n; }
console.log('history events', s.history.length, 'JSON KB', (hist / 1024).toFixed(0), 'collections KB', (coll / 1024).toFixed(0));
console.log(Object.entries(per).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}KB`).join('\n'));
const lb: any = c.ctx.logs; console.log('logs KB', (JSON.stringify([...lb.logs.values()].map((l: any) => l.current.lines)).length / 1024).toFixed(0));
c.dispose();
