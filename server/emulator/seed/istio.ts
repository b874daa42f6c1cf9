/**
 * The istio-system namespace of a demo-profile Istio install with the sample add-ons: istiod,
 * the ingress gateway (LoadBalancer: status-port 15021, http2 80, https 443, tcp 31400, tls 15443)
 * and egress gateway, kiali (20001), prometheus (9090), grafana (3000) and jaeger with its
 * tracing and zipkin (9411) Services.
 */
import { ISTIO_VERSION } from '../istio-version.ts';
import type { KObject } from '../store/types.ts';
import { configMapOf, container, deploymentOf, serviceAccountOf, serviceOf } from './builders.ts';
import type { PortSpec } from './builders.ts';

const NS = 'istio-system';
const PROXY = `docker.io/istio/proxyv2:${ISTIO_VERSION}`;
const installLabels = { 'install.operator.istio.io/owning-resource': 'unknown', 'istio.io/rev': 'default', 'operator.istio.io/component': '' };

function gateway(name: string, istio: string, component: string, ports: { containerPort: number; name?: string; protocol?: string }[]): KObject[] {
  const labels = { app: name, istio, 'app.kubernetes.io/name': name, 'service.istio.io/canonical-name': name, 'service.istio.io/canonical-revision': 'latest', 'sidecar.istio.io/inject': 'false', 'istio.io/rev': 'default', 'install.operator.istio.io/owning-resource': 'unknown', 'operator.istio.io/component': component };
  const sa = `${name}-service-account`;
  const deploy = deploymentOf({
    namespace: NS, name, labels, selector: { app: name, istio }, serviceAccount: sa,
    objectLabels: { app: name, istio, ...installLabels, 'operator.istio.io/component': component },
    annotations: { 'istio.io/rev': 'default', 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
    containers: [container('istio-proxy', PROXY, [...ports, { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }], {
      args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
      readinessProbe: { failureThreshold: 30, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, initialDelaySeconds: 1, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1 },
      resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true },
    })],
  });
  return [serviceAccountOf(NS, sa, { app: name, istio, ...installLabels }), deploy];
}

export function istioSystem(): KObject[] {
  const out: KObject[] = [];
  const istiodLabels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default', 'install.operator.istio.io/owning-resource': 'unknown', 'operator.istio.io/component': 'Pilot', 'sidecar.istio.io/inject': 'false' };
  out.push(serviceAccountOf(NS, 'istiod', { app: 'istiod', ...installLabels }));
  out.push(configMapOf(NS, 'istio', { mesh: 'defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n  tracing:\n    zipkin:\n      address: zipkin.istio-system:9411\ndefaultProviders:\n  metrics:\n  - prometheus\nenablePrometheusMerge: true\nrootNamespace: istio-system\ntrustDomain: cluster.local', meshNetworks: 'networks: {}' }, { app: 'istiod', ...installLabels }));
  out.push(deploymentOf({
    namespace: NS, name: 'istiod', labels: istiodLabels, selector: { istio: 'pilot' }, serviceAccount: 'istiod',
    objectLabels: { app: 'istiod', istio: 'pilot', ...installLabels, 'operator.istio.io/component': 'Pilot' },
    annotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
    containers: [container('discovery', `docker.io/istio/pilot:${ISTIO_VERSION}`,
      [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 15010, protocol: 'TCP' }, { containerPort: 15017, protocol: 'TCP' }],
      { args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
        readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
        resources: { requests: { cpu: '10m', memory: '100Mi' } } })],
  }));
  out.push(serviceOf(NS, 'istiod', {
    selector: { app: 'istiod', istio: 'pilot' }, labels: { app: 'istiod', istio: 'pilot', ...installLabels },
    ports: [{ name: 'grpc-xds', port: 15010 }, { name: 'https-dns', port: 15012 }, { name: 'https-webhook', port: 443, targetPort: 15017 }, { name: 'http-monitoring', port: 15014 }],
  }));
  out.push(...gateway('istio-ingressgateway', 'ingressgateway', 'IngressGateways', [
    { containerPort: 15021, protocol: 'TCP' }, { containerPort: 8080, protocol: 'TCP' }, { containerPort: 8443, protocol: 'TCP' },
    { containerPort: 31400, protocol: 'TCP' }, { containerPort: 15443, protocol: 'TCP' },
  ]));
  const ingressPorts: PortSpec[] = [
    { name: 'status-port', port: 15021, targetPort: 15021 }, { name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 },
    { name: 'tcp', port: 31400, targetPort: 31400 }, { name: 'tls', port: 15443, targetPort: 15443 },
  ];
  out.push(serviceOf(NS, 'istio-ingressgateway', {
    type: 'LoadBalancer', selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway', ...installLabels, 'operator.istio.io/component': 'IngressGateways' }, ports: ingressPorts,
  }));
  out.push(...gateway('istio-egressgateway', 'egressgateway', 'EgressGateways', [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 8443, protocol: 'TCP' }]));
  out.push(serviceOf(NS, 'istio-egressgateway', {
    selector: { app: 'istio-egressgateway', istio: 'egressgateway' },
    labels: { app: 'istio-egressgateway', istio: 'egressgateway', ...installLabels, 'operator.istio.io/component': 'EgressGateways' },
    ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }],
  }));
  out.push(...addons());
  return out;
}

function addon(name: string, labels: Record<string, string>, image: string, ports: { containerPort: number; name?: string; protocol?: string }[], extra: Record<string, unknown> = {}): KObject {
  return deploymentOf({
    namespace: NS, name, labels: { ...labels, 'sidecar.istio.io/inject': 'false' }, selector: labels, objectLabels: labels,
    serviceAccount: extra.serviceAccount as string | undefined,
    containers: [container(extra.containerName as string ?? name, image, ports, extra.container as Record<string, unknown> ?? {})],
  });
}

function addons(): KObject[] {
  const kialiLabels = { 'app.kubernetes.io/instance': 'kiali', 'app.kubernetes.io/name': 'kiali' };
  const kiali = addon('kiali', { ...kialiLabels, app: 'kiali', version: 'v2.5.0' }, 'quay.io/kiali/kiali:v2.5.0',
    [{ containerPort: 20001, name: 'api-port', protocol: 'TCP' }, { containerPort: 9090, name: 'http-metrics', protocol: 'TCP' }],
    { serviceAccount: 'kiali', container: { command: ['/opt/kiali/kiali', '-config', '/kiali-configuration/config.yaml'], readinessProbe: { httpGet: { path: '/kiali/healthz', port: 'api-port', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 30 } } });
  (kiali.spec as { selector: unknown }).selector = { matchLabels: kialiLabels };
  const prometheusLabels = { app: 'prometheus', component: 'server', release: 'prometheus' };
  const grafanaLabels = { 'app.kubernetes.io/instance': 'grafana', 'app.kubernetes.io/name': 'grafana' };
  const jaegerLabels = { app: 'jaeger' };
  return [
    serviceAccountOf(NS, 'kiali', { ...kialiLabels, app: 'kiali', version: 'v2.5.0' }),
    kiali,
    serviceOf(NS, 'kiali', { selector: kialiLabels, labels: { ...kialiLabels, app: 'kiali', version: 'v2.5.0' }, ports: [{ name: 'http', port: 20001, targetPort: 20001, protocol: 'TCP' }, { name: 'http-metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }] }),
    serviceAccountOf(NS, 'prometheus', prometheusLabels),
    addon('prometheus', prometheusLabels, 'prom/prometheus:v3.2.1', [{ containerPort: 9090, protocol: 'TCP' }], { containerName: 'prometheus-server', serviceAccount: 'prometheus', container: { args: ['--storage.tsdb.retention.time=15d', '--config.file=/etc/config/prometheus.yml', '--storage.tsdb.path=/data', '--web.enable-lifecycle'] } }),
    serviceOf(NS, 'prometheus', { selector: prometheusLabels, labels: prometheusLabels, ports: [{ name: 'http', port: 9090, targetPort: 9090, protocol: 'TCP' }] }),
    serviceAccountOf(NS, 'grafana', grafanaLabels),
    addon('grafana', grafanaLabels, 'docker.io/grafana/grafana:11.3.1', [{ containerPort: 3000, name: 'grafana', protocol: 'TCP' }], { serviceAccount: 'grafana' }),
    serviceOf(NS, 'grafana', { selector: grafanaLabels, labels: grafanaLabels, ports: [{ name: 'service', port: 3000, targetPort: 3000, protocol: 'TCP' }] }),
    addon('jaeger', jaegerLabels, 'docker.io/jaegertracing/all-in-one:1.63.0', [{ containerPort: 16686, protocol: 'TCP' }, { containerPort: 9411, protocol: 'TCP' }, { containerPort: 14268, protocol: 'TCP' }], { container: { env: [{ name: 'BADGER_EPHEMERAL', value: 'false' }, { name: 'SPAN_STORAGE_TYPE', value: 'badger' }, { name: 'COLLECTOR_ZIPKIN_HOST_PORT', value: ':9411' }] } }),
    serviceOf(NS, 'tracing', { selector: jaegerLabels, labels: jaegerLabels, ports: [{ name: 'http-query', port: 80, targetPort: 16686, protocol: 'TCP' }, { name: 'grpc-query', port: 16685, targetPort: 16685, protocol: 'TCP' }] }),
    serviceOf(NS, 'zipkin', { selector: jaegerLabels, labels: { name: 'zipkin' }, ports: [{ name: 'http-query', port: 9411, targetPort: 9411, protocol: 'TCP' }] }),
    serviceOf(NS, 'jaeger-collector', { selector: jaegerLabels, labels: jaegerLabels, ports: [
      { name: 'jaeger-collector-http', port: 14268, targetPort: 14268, protocol: 'TCP' }, { name: 'jaeger-collector-grpc', port: 14250, targetPort: 14250, protocol: 'TCP' },
      { name: 'http-zipkin', port: 9411, targetPort: 9411, protocol: 'TCP' }, { name: 'grpc-otel', port: 4317, protocol: 'TCP' }, { name: 'http-otel', port: 4318, protocol: 'TCP' },
    ] }),
  ];
}
