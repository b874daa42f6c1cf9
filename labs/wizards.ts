/**
 * The Istio YAML that Kiali's wizards generate (travels-facts §4), as templates for the YAML editor:
 * a DestinationRule with one subset per version plus a VirtualService, labelled kiali_wizard like Kiali
 * does; a Gateway; and the namespace "traffic policies" skeleton. Pure functions (browser and Node).
 */

export const WIZARDS = [
  'request-routing', 'fault-injection', 'traffic-shifting', 'tcp-traffic-shifting', 'request-timeouts',
  'circuit-breaker', 'mirroring', 'gateway', 'traffic-policies',
] as const;
export type Wizard = (typeof WIZARDS)[number];

export interface WizardTarget {
  namespace: string;
  service: string;
  versions: string[];
}

const WIZARD_LABEL: Record<Wizard, string> = {
  'request-routing': 'request_routing',
  'fault-injection': 'fault_injection',
  'traffic-shifting': 'traffic_shifting',
  'tcp-traffic-shifting': 'tcp_traffic_shifting',
  'request-timeouts': 'request_timeouts',
  'circuit-breaker': 'traffic_shifting',
  mirroring: 'traffic_shifting',
  gateway: 'request_routing',
  'traffic-policies': 'AuthorizationPolicy',
};

/** Kiali's default split: floor(100/n) each, the remainder to the last one. */
export function evenWeights(n: number): number[] {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? 100 - base * (n - 1) : base));
}

function fqdn(t: WizardTarget): string {
  return `${t.service}.${t.namespace}.svc.cluster.local`;
}

function meta(kind: string, name: string, t: WizardTarget, label: string, apiVersion = 'networking.istio.io/v1'): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${t.namespace}\n  labels:\n    kiali_wizard: ${label}\n`;
}

function destinationRule(t: WizardTarget, label: string, trafficPolicy = ''): string {
  const subsets = t.versions.map((v) => `    - name: ${v}\n      labels:\n        version: ${v}\n`).join('');
  return `${meta('DestinationRule', t.service, t, label)}spec:\n  host: ${fqdn(t)}\n${trafficPolicy}  subsets:\n${subsets}`;
}

function routeTo(t: WizardTarget, versions: string[], weights: number[], indent: string): string {
  return versions.map((v, i) =>
    `${indent}- destination:\n${indent}    host: ${fqdn(t)}\n${indent}    subset: ${v}\n${indent}  weight: ${weights[i]}\n`).join('');
}

function virtualService(t: WizardTarget, label: string, protocol: 'http' | 'tcp', rules: string, extraSpec = ''): string {
  return `${meta('VirtualService', t.service, t, label)}spec:\n  hosts:\n    - ${fqdn(t)}\n${extraSpec}  ${protocol}:\n${rules}`;
}

const CIRCUIT_BREAKER = `  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
    outlierDetection:
      consecutiveErrors: 1
`;

/** YAML text for one wizard, prefilled for a service. */
export function wizardTemplate(w: Wizard, t: WizardTarget): string {
  const label = WIZARD_LABEL[w];
  const even = routeTo(t, t.versions, evenWeights(t.versions.length), '        ');
  const dr = (policy = '') => destinationRule(t, label, policy);
  switch (w) {
    case 'request-routing':
      return `${dr()}---\n${virtualService(t, label, 'http',
        `    - match:\n        - headers:\n            portal:\n              exact: travels.uk\n      route:\n${routeTo(t, [t.versions[0]], [100], '        ')}` +
        `    - route:\n${even}`)}`;
    case 'fault-injection':
      return `${dr()}---\n${virtualService(t, label, 'http',
        `    - fault:\n        delay:\n          percentage:\n            value: 100\n          fixedDelay: 5s\n      route:\n${even}`)}`;
    case 'traffic-shifting':
      return `${dr()}---\n${virtualService(t, label, 'http', `    - route:\n${even}`)}`;
    case 'tcp-traffic-shifting':
      return `${dr()}---\n${virtualService(t, label, 'tcp', `    - route:\n${even}`)}`;
    case 'request-timeouts':
      return `${dr()}---\n${virtualService(t, label, 'http',
        `    - route:\n${even}      timeout: 2s\n      retries:\n        attempts: 3\n        perTryTimeout: 2s\n        retryOn: gateway-error,connect-failure,refused-stream\n`)}`;
    case 'circuit-breaker':
      return `${dr(CIRCUIT_BREAKER)}---\n${virtualService(t, label, 'http', `    - route:\n${even}`)}`;
    case 'mirroring': {
      const kept = t.versions.length > 1 ? t.versions.slice(0, -1) : t.versions;
      const mirror = t.versions[t.versions.length - 1];
      return `${dr()}---\n${virtualService(t, label, 'http',
        `    - route:\n${routeTo(t, kept, evenWeights(kept.length), '        ')}      mirror:\n        host: ${fqdn(t)}\n        subset: ${mirror}\n      mirrorPercentage:\n        value: 50\n`)}`;
    }
    case 'gateway': {
      const host = `${t.service}.${t.namespace}.istio-cluster.org`;
      const gw = `${meta('Gateway', `${t.service}-gateway`, t, label)}spec:\n  selector:\n    istio: ingressgateway\n  servers:\n    - port:\n        number: 80\n        name: http\n        protocol: HTTP\n      hosts:\n        - ${host}\n`;
      const vs = `${meta('VirtualService', t.service, t, label)}spec:\n  hosts:\n    - ${host}\n  gateways:\n    - ${t.namespace}/${t.service}-gateway\n  http:\n    - route:\n${even}`;
      return `${gw}---\n${dr()}---\n${vs}`;
    }
    case 'traffic-policies': {
      const deny = `${meta('AuthorizationPolicy', `deny-all-${t.namespace}`, t, 'AuthorizationPolicy', 'security.istio.io/v1')}spec: {}\n`;
      const allow = t.versions.map((v) =>
        `${meta('AuthorizationPolicy', `${t.service}-${v}`, t, 'AuthorizationPolicy', 'security.istio.io/v1')}spec:\n  selector:\n    matchLabels:\n      app: ${t.service}\n      version: ${v}\n  rules:\n    - from:\n        - source:\n            principals:\n              - cluster.local/ns/${t.namespace}/sa/default\n`);
      const sidecars = t.versions.map((v) =>
        `${meta('Sidecar', `${t.service}-${v}`, t, 'Sidecar')}spec:\n  workloadSelector:\n    labels:\n      app: ${t.service}\n      version: ${v}\n  egress:\n    - hosts:\n        - istio-system/*\n`);
      return [deny, ...allow, ...sidecars].join('---\n');
    }
  }
}

/** Versions of the Travels services (what Kiali would find as workloads with a version label). */
export function travelsTarget(ref: string): WizardTarget {
  const [namespace, service] = ref.includes('/') ? ref.split('/') : ['travel-agency', ref];
  const versions = ['travels', 'mysqldb'].includes(service) && namespace === 'travel-agency' ? ['v1', 'v2', 'v3'] : ['v1'];
  return { namespace, service, versions };
}
