/**
 * Emulator benchmark (issue 3): what the embedded cluster adds to each kubectl command, and how dense
 * clusters are: memory per idle cluster holding the full Travels application (target ≤ 5 MB) and how
 * many such clusters fit in 2 GB.
 *
 * Each command is timed three ways, interleaved so drift hits all alike: kubectl's client-only floor
 * (`kubectl version --client`), the command against the emulator (with the Travels mesh running in the
 * same event loop, as in the sandbox server), and the same command against a replay server that answers
 * with the emulator's recorded bytes and does no work. kubectl's own cost for a command (discovery
 * cache, OpenAPI parsing for apply, decoding, printing) is the same against any server, so
 * emulator − replay is what the emulator adds (target ≤ 10 ms); emulator ÷ floor is printed beside it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../server/emulator/host.ts';
import { renderKubeconfig } from '../server/emulator/kubeconfig.ts';
import { createTlsCredentials } from '../server/emulator/tls.ts';
import { startReplayServer } from './lib/replay-server.ts';

// Heap figures need a full GC between measurements: re-run this file with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const gc = globalThis.gc as () => void;

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const MANIFESTS = join(import.meta.dirname, '..', 'labs', 'travels', 'manifests');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DENSITY_CLUSTERS = 40;

const host = await EmulatorHost.start({ port: 0 });
const work = mkdtempSync(join(tmpdir(), 'bench-emulator-'));
const { token, cluster } = host.createCluster({ withMesh: true });
const kubeconfig = join(work, 'kubeconfig');
writeFileSync(kubeconfig, renderKubeconfig(host.accessFor(token)));
const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(work, 'cache') };

// Asynchronous on purpose: the emulator answers from this very process's event loop.
const run = promisify(execFile);
const kubectlWith = (environment: NodeJS.ProcessEnv) => async (args: string[]) => (await run(KUBECTL, args, { env: environment })).stdout;
const kubectl = kubectlWith(env);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

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

// The do-nothing reference: record each command once through the replay server, then replay it.
const replay = await startReplayServer(await createTlsCredentials());
const replayConfig = join(work, 'kubeconfig-replay');
writeFileSync(replayConfig, renderKubeconfig({ server: replay.url, token, caData: Buffer.from(replay.caCert).toString('base64') }));
const replayKubectl = kubectlWith({ ...process.env, KUBECONFIG: replayConfig, KUBECACHEDIR: join(work, 'cache-replay') });
const COMMANDS: { label: string; args: string[]; runs: number }[] = [
  { label: 'kubectl get pods -A', args: ['get', 'pods', '-A'], runs: RUNS },
  { label: 'kubectl get virtualservices,destinationrules -A', args: ['get', 'virtualservices,destinationrules', '-A'], runs: RUNS },
  { label: 'kubectl describe deployment travels-v1', args: ['describe', 'deployment', 'travels-v1', '-n', 'travel-agency'], runs: RUNS },
  { label: 'kubectl apply -f travel-agency manifests (unchanged re-apply)', args: applyArgs[0], runs: Number(process.env.BENCH_APPLY_RUNS ?? 10) },
];
replay.record(`${host.url}/k/${token}`);
for (const c of COMMANDS) await replayKubectl(c.args);
replay.replay();

const floor: number[] = [];
for (const c of COMMANDS) {
  const emulated: number[] = [];
  const replayed: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    floor.push(await timed(() => kubectl(['version', '--client'])));
    emulated.push(await timed(() => kubectl(c.args)));
    replayed.push(await timed(() => replayKubectl(c.args)));
  }
  const e = pct(emulated, 50);
  const r = pct(replayed, 50);
  console.log(
    `${c.label}: p50 ${e.toFixed(1)} ms (p95 ${pct(emulated, 95).toFixed(1)}) vs replay ${r.toFixed(1)} ms → ` +
      `emulator adds ${(e - r).toFixed(1)} ms (target ≤ 10 ms); ${(e / pct(floor, 50)).toFixed(2)}× the client-only floor`,
  );
}
if (replay.misses) console.log(`warning: ${replay.misses} replayed requests were not recorded; the replay figures are not comparable: ${replay.missed.join(', ')}`);
console.log(
  `kubectl 1.32 client-only floor (version --client): p50 ${pct(floor, 50).toFixed(1)} ms, p95 ${pct(floor, 95).toFixed(1)} ms; ` +
    `first apply of all Travels manifests: ${firstApplyMs.toFixed(0)} ms`,
);
await replay.close();

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
rmSync(work, { recursive: true, force: true });
process.exit(0);
