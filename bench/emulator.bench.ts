/**
 * Emulator benchmark (issue 3): what the embedded cluster adds to each kubectl command, against
 * kubectl's own client-only floor (`kubectl version --client`) measured in the same run, and how
 * dense clusters are: memory per idle cluster holding the full Travels application (target ≤ 5 MB)
 * and how many such clusters fit in 2 GB.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../server/emulator/host.ts';
import { renderKubeconfig } from '../server/emulator/kubeconfig.ts';

// Heap figures need a full GC between measurements: re-run this file with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const gc = globalThis.gc as () => void;

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const MANIFESTS = join(import.meta.dirname, '..', 'labs', 'travels', 'manifests');
const RUNS = 30;
const DENSITY_CLUSTERS = 40;

const host = await EmulatorHost.start({ port: 0 });
const work = mkdtempSync(join(tmpdir(), 'bench-emulator-'));
const { token, cluster } = host.createCluster({ withMesh: true });
const kubeconfig = join(work, 'kubeconfig');
writeFileSync(kubeconfig, renderKubeconfig(host.accessFor(token)));
const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(work, 'cache') };

// Asynchronous on purpose: the emulator answers from this very process's event loop.
const run = promisify(execFile);
const kubectl = async (args: string[]) => (await run(KUBECTL, args, { env })).stdout;

/** Wall-clock ms of each of `runs` invocations. */
async function timeCommand(args: string[], runs = RUNS): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await kubectl(args);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

// The full Travels application, as the Install chapter deploys it.
const files: Record<string, string[]> = {
  'travel-agency': ['travel_agency.yaml', 'travels-v2.yaml', 'travels-v3.yaml', 'mysql-v2.yaml', 'mysql-v3.yaml'],
  'travel-portal': ['travel_portal.yaml', 'travel_loadtester.yaml'],
  'travel-control': ['travel_control.yaml'],
};
const available = new Set(readdirSync(MANIFESTS));
await kubectl(['version']); // warms the discovery cache, as any learner's shell is warm after its first command
const applyArgs = Object.entries(files).map(([ns, names]) => [
  'apply', '-n', ns, ...names.filter((n) => available.has(n)).flatMap((n) => ['-f', join(MANIFESTS, n)]),
]);
for (const ns of Object.keys(files)) await kubectl(['create', 'namespace', ns]);
const firstApply = performance.now();
for (const args of applyArgs) await kubectl(args);
const firstApplyMs = performance.now() - firstApply;
await kubectl(['wait', '--for=condition=available', 'deployment', '--all', '-n', 'travel-agency', '--timeout=120s']);

const floor = await timeCommand(['version', '--client']);
const getPods = await timeCommand(['get', 'pods', '-A']);
const reapply = await timeCommand(applyArgs[0], 10);
const floorP50 = pct(floor, 50);
console.log(`kubectl 1.32 client-only floor (version --client): p50 ${floorP50.toFixed(1)} ms, p95 ${pct(floor, 95).toFixed(1)} ms`);
console.log(
  `kubectl get pods -A: p50 ${pct(getPods, 50).toFixed(1)} ms, p95 ${pct(getPods, 95).toFixed(1)} ms → ` +
    `emulator adds ${(pct(getPods, 50) - floorP50).toFixed(1)} ms (target ≤ 10 ms), ratio ${(pct(getPods, 50) / floorP50).toFixed(2)}×`,
);
console.log(
  `kubectl apply -f travel-agency manifests (unchanged re-apply): p50 ${pct(reapply, 50).toFixed(1)} ms → ` +
    `${(pct(reapply, 50) / floorP50).toFixed(2)}× the floor; first apply of all Travels manifests: ${firstApplyMs.toFixed(0)} ms`,
);

// Density: clones of the populated cluster, each with its own store, controllers and mesh.
const snapshot = cluster.snapshot();
gc();
const before = process.memoryUsage();
const clones = Array.from({ length: DENSITY_CLUSTERS }, () => host.createCluster({ snapshot, withMesh: true }));
await new Promise((r) => setTimeout(r, 3000)); // let controllers and the mesh settle into idle
gc();
const after = process.memoryUsage();
const perClusterHeap = (after.heapUsed + after.external - before.heapUsed - before.external) / DENSITY_CLUSTERS;
const perClusterRss = (after.rss - before.rss) / DENSITY_CLUSTERS;
const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
console.log(
  `memory per idle cluster with the Travels app (${DENSITY_CLUSTERS} clusters): heap ${mb(perClusterHeap)} MB, ` +
    `RSS ${mb(perClusterRss)} MB (target ≤ 5 MB) → ${Math.floor((2 * 1024 ** 3) / Math.max(perClusterHeap, perClusterRss))} clusters in 2 GB`,
);

for (const c of clones) host.deleteCluster(c.id);
await host.close();
process.exit(0);
