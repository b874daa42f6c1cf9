/**
 * The Istio objects each tutorial chapter creates (in the shape Kiali's wizards write them), for the
 * scenario tests and benchmarks.
 */
import type { KObject } from '../../store/types.ts';
import { istioObject } from './travels-fixture.ts';

const fq = (svc: string, ns = 'travel-agency') => `${svc}.${ns}.svc.cluster.local`;
const subsets = (versions: string[]) => versions.map((v) => ({ name: v, labels: { version: v } }));
const dest = (svc: string, v: string, weight?: number) => ({ destination: { host: fq(svc), subset: v }, ...(weight === undefined ? {} : { weight }) });

export function dr(svc: string, versions: string[], trafficPolicy?: unknown): KObject {
  return istioObject('DestinationRule', 'travel-agency', svc, { host: fq(svc), subsets: subsets(versions), ...(trafficPolicy ? { trafficPolicy } : {}) });
}

export function vs(svc: string, spec: Record<string, unknown>): KObject {
  return istioObject('VirtualService', 'travel-agency', svc, { hosts: [fq(svc)], ...spec });
}

const V3 = ['v1', 'v2', 'v3'];

export const requestRouting = (): KObject[] => [
  dr('travels', V3),
  vs('travels', {
    http: [
      { match: [{ headers: { portal: { exact: 'travels.uk' } } }], route: [dest('travels', 'v1')] },
      { match: [{ headers: { portal: { exact: 'viaggi.it' } } }], route: [dest('travels', 'v2')] },
      { match: [{ headers: { portal: { exact: 'voyages.fr' } } }], route: [dest('travels', 'v3')] },
    ],
  }),
];

export const faultInjection = (): KObject[] => [
  dr('hotels', ['v1']),
  vs('hotels', { http: [{ fault: { delay: { percentage: { value: 100 }, fixedDelay: '5s' } }, route: [dest('hotels', 'v1', 100)] }] }),
];

export const trafficShifting = (): KObject[] => [
  dr('travels', V3),
  vs('travels', { http: [{ route: [dest('travels', 'v1', 80), dest('travels', 'v2', 10), dest('travels', 'v3', 10)] }] }),
];

export const tcpShifting = (): KObject[] => [
  dr('mysqldb', V3),
  vs('mysqldb', { tcp: [{ route: [dest('mysqldb', 'v1', 80), dest('mysqldb', 'v2', 10), dest('mysqldb', 'v3', 10)] }] }),
];

export const timeouts = (): KObject[] => [
  dr('travels', V3),
  vs('travels', {
    http: [
      { match: [{ headers: { portal: { exact: 'voyages.fr' } } }], timeout: '2s', route: [dest('travels', 'v1', 33), dest('travels', 'v2', 33), dest('travels', 'v3', 34)] },
      { route: [dest('travels', 'v1', 33), dest('travels', 'v2', 33), dest('travels', 'v3', 34)] },
    ],
  }),
];

export const circuitBreaker = (): KObject[] => [
  dr('travels', V3, { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } }, outlierDetection: { consecutiveErrors: 1 } }),
  vs('travels', { http: [{ route: [dest('travels', 'v1', 33), dest('travels', 'v2', 33), dest('travels', 'v3', 34)] }] }),
];

export const mirroring = (): KObject[] => [
  dr('travels', V3),
  vs('travels', { http: [{ route: [dest('travels', 'v1', 80), dest('travels', 'v2', 20)], mirror: { host: fq('travels'), subset: 'v3' }, mirrorPercentage: { value: 50 } }] }),
];

const ALL_AGENCY = ['cars-v1', 'discounts-v1', 'flights-v1', 'hotels-v1', 'insurances-v1', 'mysqldb-v1', 'travels-v1', 'travels-v2', 'travels-v3'];

/** Kiali's "Create Traffic Policies" for travel-agency: deny-all plus one ALLOW and one Sidecar per workload. */
export function securePolicies(extraV1Principal = false): KObject[] {
  const out: KObject[] = [istioObject('AuthorizationPolicy', 'travel-agency', 'deny-all-travel-agency', {})];
  const calls: Record<string, string[]> = {
    'travels-v1': ['hotels', 'cars', 'flights', 'insurances'], 'travels-v2': ['hotels', 'cars', 'flights', 'insurances'], 'travels-v3': ['hotels', 'cars', 'flights', 'insurances'],
    'hotels-v1': ['discounts', 'mysqldb'], 'cars-v1': ['discounts', 'mysqldb'], 'flights-v1': ['discounts', 'mysqldb'], 'insurances-v1': ['discounts', 'mysqldb'],
    'discounts-v1': [], 'mysqldb-v1': [],
  };
  for (const w of ALL_AGENCY) {
    const [app, version] = [w.replace(/-v\d$/, ''), w.slice(-2)];
    const principals = app === 'travels' ? ['cluster.local/ns/travel-portal/sa/default'] : ['cluster.local/ns/travel-agency/sa/default'];
    if (extraV1Principal && w === 'travels-v1') principals.push('cluster.local/ns/travel-portal/sa/loadtester');
    out.push(istioObject('AuthorizationPolicy', 'travel-agency', w, { selector: { matchLabels: { app, version } }, rules: [{ from: [{ source: { principals } }] }] }));
    out.push(istioObject('Sidecar', 'travel-agency', w, {
      workloadSelector: { labels: { app, version } },
      egress: [{ hosts: ['istio-system/*', ...calls[w].map((s) => `travel-agency/${fq(s)}`)] }],
    }));
  }
  return out;
}

export const controlGateway = (): KObject[] => [
  istioObject('Gateway', 'travel-control', 'control-gateway', {
    selector: { istio: 'ingressgateway' },
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['control.travel-control.istio-cluster.org'] }],
  }),
  istioObject('DestinationRule', 'travel-control', 'control', { host: 'control.travel-control.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
  istioObject('VirtualService', 'travel-control', 'control', {
    hosts: ['control.travel-control.istio-cluster.org'],
    gateways: ['travel-control/control-gateway'],
    http: [{ route: [{ destination: { host: 'control.travel-control.svc.cluster.local', subset: 'v1' }, weight: 100 }] }],
  }),
];
