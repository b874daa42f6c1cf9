/**
 * The first lines each container writes when the simulated kubelet starts it: Envoy and
 * pilot-agent for istio-proxy, iptables for istio-init, and short start-up banners for the Travels
 * services and the istio-system add-ons, so `kubectl logs` shows something believable at once.
 */
import type { KObject } from '../store/types.ts';
import { ISTIO_VERSION } from '../istio-version.ts';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** Istio's zap format: `2026-01-01T00:00:00.123456Z\tinfo\tscope\tmessage`. */
const istioTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const goTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');

function containerSpec(pod: KObject, name: string): Obj {
  const spec = asObj(pod.spec);
  const all = [...((spec.containers as Obj[]) ?? []), ...((spec.initContainers as Obj[]) ?? [])];
  return all.find((c) => c.name === name) ?? {};
}

export function startupLines(pod: KObject, container: string, now: number): string[] {
  const c = containerSpec(pod, container);
  const image = String(c.image ?? '');
  const labels = pod.metadata.labels ?? {};
  const app = labels.app ?? labels['app.kubernetes.io/name'] ?? pod.metadata.name;
  const version = labels.version ?? 'v1';
  if (container === 'istio-init' || container === 'istio-validation') return istioInit(now);
  if (container === 'istio-proxy' || image.includes('proxyv2')) return istioProxy(pod, now);
  if (image.includes('pilot')) return istiod(now);
  if (image.includes('mysqldb')) return mysql(now);
  if (image.includes('demo_travels_portal')) return [`${goTime(now)} Starting portal [${env(c, 'PORTAL_NAME') ?? app}] on ${env(c, 'LISTEN_ADDRESS') ?? ':8000'}`];
  if (image.includes('demo_travels_control')) return [`${goTime(now)} Starting Travel Control on :8080`, `${goTime(now)} Portals [${env(c, 'PORTAL_SERVICES') ?? ''}]`];
  if (image.includes('demo_travels_loadtester')) return [`Fortio 1.11.4 running at 0 queries per second, 2->2 procs, for 20 calls: http://travels.travel-agency:8000/travels`];
  if (image.includes('demo_travels_')) return [`${goTime(now)} [${app}/${version}] Starting ${app} service on ${env(c, 'LISTEN_ADDRESS') ?? ':8000'}`];
  if (image.includes('kiali')) return kiali(now);
  if (image.includes('prometheus')) return [`ts=${new Date(now).toISOString()} caller=main.go level=info msg="Server is ready to receive web requests."`];
  if (image.includes('grafana')) return [`logger=http.server t=${new Date(now).toISOString()} level=info msg="HTTP Server Listen" address=[::]:3000 protocol=http`];
  if (image.includes('jaeger')) return [`{"level":"info","ts":${(now / 1000).toFixed(6)},"caller":"app/server.go","msg":"Starting HTTP server","port":16686}`];
  if (image.includes('coredns')) return ['.:53', 'CoreDNS-1.11.3', 'linux/amd64, go1.21.11, a6338e9'];
  return [];
}

function env(c: Obj, name: string): string | undefined {
  const found = ((c.env as Obj[]) ?? []).find((e) => e.name === name);
  return found && typeof found.value === 'string' ? found.value : undefined;
}

function istioInit(now: number): string[] {
  const t = istioTime(now);
  return [
    `${t}\tinfo\tIstio iptables environment:`,
    `${t}\tinfo\tIstio iptables variables:`,
    `${t}\tinfo\tRunning iptables-restore with the following input:`,
    '* nat',
    '-N ISTIO_INBOUND',
    '-N ISTIO_REDIRECT',
    '-N ISTIO_IN_REDIRECT',
    '-N ISTIO_OUTPUT',
    '-A ISTIO_INBOUND -p tcp --dport 15008 -j RETURN',
    '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
    '-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006',
    '-A PREROUTING -p tcp -j ISTIO_INBOUND',
    '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
    '-A OUTPUT -p tcp -j ISTIO_OUTPUT',
    'COMMIT',
    `${t}\tinfo\tRunning command (without lock): iptables-restore --noflush`,
  ];
}

function istioProxy(pod: KObject, now: number): string[] {
  const t = (d: number) => istioTime(now + d);
  const ns = pod.metadata.namespace;
  const node = `${pod.metadata.name}.${ns}`;
  const role = pod.metadata.labels?.istio === 'ingressgateway' || pod.metadata.labels?.istio === 'egressgateway' ? 'router' : 'sidecar';
  return [
    `${t(0)}\tinfo\tFLAG: --concurrency="2"`,
    `${t(1)}\tinfo\tFLAG: --domain="${ns}.svc.cluster.local"`,
    `${t(2)}\tinfo\tVersion ${ISTIO_VERSION}-0b2ff7f6d0c5d1e2f2b0c9a7d7b2c1e3f4a5b6c7-Clean`,
    `${t(3)}\tinfo\tProxy role\tips=[${String(asObj(pod.status).podIP ?? '')}] type=${role} id=${node} domain=${ns}.svc.cluster.local`,
    `${t(5)}\tinfo\tcache\tgenerated new workload certificate\tresourceName=default latency=21.4ms ttl=23h59m59s`,
    `${t(6)}\tinfo\tcache\tRoot cert has changed, start rotating root cert`,
    `${t(8)}\tinfo\tStarting proxy agent`,
    `${t(9)}\tinfo\tEnvoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning --component-log-level misc:error --concurrency 2]`,
    `${t(60)}\tinfo\txdsproxy\tconnected to delta upstream XDS server: istiod.istio-system.svc:15012\tid=1`,
    `${t(80)}\tinfo\tads\tADS: new connection for node:${node}-1`,
    `${t(82)}\tinfo\tads\tSDS: PUSH request for node:${node} resources:1 size:4.0kB resource:default`,
    `${t(83)}\tinfo\tads\tSDS: PUSH request for node:${node} resources:1 size:1.1kB resource:ROOTCA`,
    `${t(900)}\tinfo\tReadiness succeeded in 912.37ms`,
    `${t(901)}\tinfo\tEnvoy proxy is ready`,
  ];
}

function istiod(now: number): string[] {
  const t = istioTime(now);
  return [
    `${t}\tinfo\tFLAG: --clusterID="Kubernetes"`,
    `${t}\tinfo\tmesh configuration: defaultConfig: discoveryAddress: istiod.istio-system.svc:15012`,
    `${t}\tinfo\tserver\tinitializing Istiod DNS certificates host: istiod.istio-system.svc, custom host: `,
    `${t}\tinfo\tserver\tStarting Istiod`,
    `${t}\tinfo\tserver\tstarting gRPC discovery service at [::]:15010`,
    `${t}\tinfo\tserver\tstarting HTTP service at [::]:8080`,
    `${t}\tinfo\tserver\tstarting webhook service at [::]:15017`,
    `${t}\tinfo\tkube\tstarting injection webhook patcher`,
    `${t}\tinfo\tads\tAll caches have been synced up in 1.82s, marking server ready`,
  ];
}

function mysql(now: number): string[] {
  const t = new Date(now).toISOString().replace('Z', '000Z');
  return [
    `${t} 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.20) starting as process 1`,
    `${t} 1 [System] [MY-013576] [InnoDB] InnoDB initialization has started.`,
    `${t} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.`,
    `${t} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.20'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
  ];
}

function kiali(now: number): string[] {
  const t = new Date(now).toISOString().slice(0, 19) + 'Z';
  return [
    `${t} INF Adding a RegistryRefreshHandler`,
    `${t} INF Kiali: Version: v2.5.0, Commit: 4d3b3d4c2e5f`,
    `${t} INF Kiali: Console version: 2.5.0`,
    `${t} INF Server endpoint will start at [:20001/kiali]`,
    `${t} INF Server endpoint will serve static content from [/opt/kiali/console]`,
    `${t} INF Kiali: Started`,
  ];
}
