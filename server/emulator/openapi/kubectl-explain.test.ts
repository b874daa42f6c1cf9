/**
 * Real kubectl against the emulator: `explain` output must equal what kubectl prints for upstream's own schemas.
 * The oracle is served by a proxy in front of the same emulator that swaps `/openapi/v3` for documents converted
 * from the upstream 1.28 OpenAPI (test-only use of ../shared). Also checks `apply` strictness end to end.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../host.ts';
import { parseAllDocuments } from 'yaml';
import { openapiDocument } from './index.ts';
import type { SchemaRegistry } from './types.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const ORACLE = new URL('../../../../shared/reference/upstream/kubernetes-1.28-openapi-v2.json', import.meta.url);
const ISTIO_ORACLE = new URL('../../../../shared/reference/upstream/istio-crds.gen.yaml', import.meta.url);
const skip = !existsSync(KUBECTL) || !existsSync(ORACLE) || !existsSync(ISTIO_ORACLE) ? 'kubectl 1.32 or the upstream oracles are missing' : undefined;

let host: EmulatorHost;
let proxy: Server;
let dir: string;
let emulatorConfig: string;
let oracleConfig: string;
let token: string;

/** v2 definitions → v3 components: refs re-pointed, and a ref with siblings wrapped in allOf as v3 publishes it. */
function toV3(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toV3);
  if (!node || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = k === '$ref' ? String(v).replace('#/definitions/', '#/components/schemas/') : toV3(v);
  if (out.$ref && Object.keys(out).length > 1) {
    const ref = out.$ref;
    delete out.$ref;
    out.allOf = [{ $ref: ref }];
  }
  return out;
}

/** The emulator's registry, answering CRD schemas from Istio's own CRD file instead of the generated data. */
function istioOracleRegistry(): SchemaRegistry {
  const registry = host.getCluster('explain')!.ctx.registry;
  const schemas = new Map<string, unknown>();
  for (const doc of parseAllDocuments(readFileSync(ISTIO_ORACLE, 'utf8'))) {
    const crd = doc.toJS() as { spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } } | null;
    for (const v of crd?.spec.versions ?? []) schemas.set(`${crd!.spec.group}/${v.name}/${crd!.spec.names.kind}`, v.schema.openAPIV3Schema);
  }
  return {
    all: () => registry.all(),
    byKind: (apiVersion, kind) => registry.byKind(apiVersion, kind),
    crdSchema: (group, version, kind) => schemas.get(`${group}/${version}/${kind}`),
  };
}

function oracleDocs(): Map<string, string> {
  const v2 = JSON.parse(readFileSync(ORACLE, 'utf8')) as { definitions: Record<string, unknown> };
  const schemas = toV3(v2.definitions);
  const docs = new Map<string, string>();
  for (const gv of ['api/v1', 'apis/apps/v1']) {
    // Paths come from the emulator (explain needs only the schemas; they carry the GVKs).
    const paths = (openapiDocument(host.getCluster('explain')!.ctx.registry, gv) as { paths: unknown }).paths;
    docs.set(gv, JSON.stringify({ openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.28.0' }, paths, components: { schemas } }));
  }
  const istio = istioOracleRegistry();
  for (const gv of ['apis/networking.istio.io/v1', 'apis/security.istio.io/v1']) docs.set(gv, JSON.stringify(openapiDocument(istio, gv)));
  return docs;
}

function startProxy(target: URL, docs: Map<string, string>): Promise<Server> {
  const hash = (s: string) => createHash('sha512').update(s).digest('hex').toUpperCase();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rest = url.pathname.replace(/^\/k\/[^/]+/, '');
    if (rest === '/openapi/v3') {
      const paths = Object.fromEntries([...docs].map(([gv, d]) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash(d)}` }]));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ paths }));
      return;
    }
    if (rest.startsWith('/openapi/v3/')) {
      const doc = docs.get(rest.slice('/openapi/v3/'.length));
      if (doc) res.writeHead(200, { 'Content-Type': 'application/json' }).end(doc);
      else res.writeHead(404).end();
      return;
    }
    const up = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function kubeconfig(server: string): string {
  return `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: "${token}"}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
current-context: c
`;
}

function kubectl(config: string, args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL, args, { env: { ...process.env, KUBECONFIG: config, KUBECACHEDIR: mkdtempSync(join(dir, 'cache-')) } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'es-explain-'));
  host = await EmulatorHost.start({ port: 0 });
  token = host.createCluster({ id: 'explain' }).token;
  emulatorConfig = join(dir, 'emulator.yaml');
  writeFileSync(emulatorConfig, kubeconfig(host.serverUrlFor(token)));
  proxy = await startProxy(new URL(host.url), oracleDocs());
  const { port } = proxy.address() as AddressInfo;
  oracleConfig = join(dir, 'oracle.yaml');
  writeFileSync(oracleConfig, kubeconfig(`http://127.0.0.1:${port}/k/${encodeURIComponent(token)}`));
});

after(async () => {
  if (skip) return;
  proxy.closeAllConnections();
  await new Promise<void>((r) => proxy.close(() => r()));
  await host.close();
});

const TARGETS = [
  'deployment',
  'deployment.spec.replicas',
  'deployment.spec.strategy',
  'deployment.spec.strategy.rollingUpdate.maxSurge',
  'pod.spec.restartPolicy',
  'pod.spec.containers.ports',
  'pod.metadata.labels',
  'service.spec.ports.targetPort',
  'namespace.spec',
  'configmap',
];

test('kubectl explain prints what it prints for upstream schemas', { skip }, async () => {
  for (const target of TARGETS) {
    const ours = await kubectl(emulatorConfig, ['explain', target]);
    const theirs = await kubectl(oracleConfig, ['explain', target]);
    assert.equal(theirs.code, 0, `${target} (oracle): ${theirs.stderr}`);
    assert.equal(ours.stdout, theirs.stdout, target);
  }
});

const ISTIO_TARGETS = [
  'virtualservice.spec',
  'virtualservice.spec.http.route.destination',
  'virtualservice.spec.http.match.uri',
  'destinationrule.spec.subsets',
  'gateway.spec.servers.tls.mode',
  'serviceentry.spec.resolution',
  'peerauthentication.spec.mtls',
  'authorizationpolicy.spec.action',
];

test('kubectl explain of Istio kinds prints what it prints for the Istio CRD schemas', { skip }, async () => {
  for (const target of ISTIO_TARGETS) {
    const ours = await kubectl(emulatorConfig, ['explain', target]);
    const theirs = await kubectl(oracleConfig, ['explain', target]);
    assert.equal(theirs.code, 0, `${target} (oracle): ${theirs.stderr}`);
    assert.equal(ours.stdout, theirs.stdout, target);
  }
});

test('kubectl explain of an Istio kind shows its fields with descriptions', { skip }, async () => {
  const out = await kubectl(emulatorConfig, ['explain', 'virtualservice.spec']);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^GROUP: {6}networking\.istio\.io\nKIND: {7}VirtualService\nVERSION: {4}v1\n\nFIELD: spec <Object>/);
  assert.match(out.stdout, /\n {2}hosts\t<\[\]string>\n {4}The destination hosts to which traffic is being sent\.\n/);
  assert.match(out.stdout, /\n {2}http\t<\[\]Object>\n/);
});

test('apply is strict about unknown fields for built-ins and Istio kinds', { skip }, async () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        imagee: typo
`;
  const bad = await kubectl(emulatorConfig, ['apply', '-f', '-'], deployment);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Error from server \(BadRequest\): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagee"/);
  const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: default}
spec:
  hosts: [web]
  htp: []
`;
  const badVs = await kubectl(emulatorConfig, ['apply', '-f', '-'], vs);
  assert.notEqual(badVs.code, 0);
  assert.match(badVs.stderr, /unknown field "spec\.htp"/);
  const ok = await kubectl(emulatorConfig, ['apply', '-f', '-'], vs.replace('  htp: []\n', '  http: [{route: [{destination: {host: web}}]}]\n'));
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'virtualservice.networking.istio.io/web created');
});
