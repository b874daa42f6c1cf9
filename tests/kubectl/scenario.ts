/**
 * The scripted learner session behind the golden transcripts: the Travels tutorial's kubectl commands
 * in order, plus the everyday extras and mistakes a curious learner makes. Paths are relative to the
 * repository root (the working directory kubectl runs in).
 */

export type Step = { kubectl: string[] } | { settle: true };

const k = (...args: string[]): Step => ({ kubectl: args });
const settle: Step = { settle: true };
const M = 'labs/travels/manifests';
const F = 'tests/kubectl/fixtures';

export const SCENARIO: Step[] = [
  // A fresh cluster: what is there?
  k('version', '--output=yaml', '--client=false'),
  k('get', 'nodes'),
  k('get', 'namespaces'),
  k('get', 'pods', '-n', 'istio-system'),
  k('get', 'services/istio-ingressgateway', '-n', 'istio-system'),
  k('get', 'svc', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}{"\\n"}'),
  k('get', 'crd', 'virtualservices.networking.istio.io'),
  k('api-resources', '--api-group=networking.istio.io'),
  // Install the Travels application.
  k('create', 'namespace', 'travel-agency'),
  k('create', 'namespace', 'travel-portal'),
  k('create', 'namespace', 'travel-control'),
  k('apply', '-f', `${M}/travel_agency.yaml`, '-n', 'travel-agency'),
  k('apply', '-f', `${M}/travel_portal.yaml`, '-n', 'travel-portal'),
  k('apply', '-f', `${M}/travel_control.yaml`, '-n', 'travel-control'),
  k('wait', '--for=condition=available', 'deployment', '--all', '-n', 'travel-agency', '--timeout=60s'),
  settle,
  k('get', 'deployments', '-n', 'travel-control'),
  k('get', 'deployments', '-n', 'travel-portal'),
  k('get', 'deployments', '-n', 'travel-agency', '-o', 'wide'),
  k('get', 'pods', '-n', 'travel-agency', '--show-labels'),
  k('apply', '-f', `${M}/travel_agency.yaml`, '-n', 'travel-agency'),
  // Join the mesh: label, restart, watch the rollout.
  k('label', 'namespace', 'travel-agency', 'istio-injection=enabled'),
  k('label', 'namespace', 'travel-portal', 'istio-injection=enabled'),
  k('label', 'namespace', 'travel-agency', 'istio-injection=disabled'),
  k('get', 'namespaces', '-L', 'istio-injection'),
  k('rollout', 'restart', 'deploy', '-n', 'travel-portal'),
  k('rollout', 'restart', 'deploy', '-n', 'travel-agency'),
  settle,
  k('rollout', 'status', 'deployment/travels-v1', '-n', 'travel-agency', '--timeout=60s'),
  k('wait', '--for=condition=available', 'deployment', '--all', '-n', 'travel-portal', '--timeout=60s'),
  settle,
  k('get', 'pods', '-n', 'travel-agency'),
  k('get', 'all', '-n', 'travel-control'),
  k('get', 'pods', '-A', '-l', 'app=travels'),
  k('get', 'pods', '-n', 'travel-agency', '-l', 'app=cars', '-o', 'wide'),
  k('get', 'endpoints', 'travels', '-n', 'travel-agency'),
  k('get', 'namespace', 'travel-agency', '--show-labels'),
  k('get', 'pods', '-n', 'travel-agency', '--field-selector', 'status.phase=Running', '-o', 'name'),
  k('get', 'deploy', 'travels-v1', '-n', 'travel-agency', '-o', 'jsonpath={.spec.template.spec.containers[*].name}{"\\n"}'),
  k('get', 'svc', 'travels', '-n', 'travel-agency', '-o', 'yaml'),
  k('logs', 'deploy/travels-v1', '-n', 'travel-agency', '-c', 'no-such-container'),
  k('logs', 'deploy/cars-v1', '-n', 'travel-agency', '-c', 'cars', '--tail=3'),
  k('describe', 'deployment', 'travels-v1', '-n', 'travel-agency'),
  // Istio configuration.
  k('apply', '-f', `${F}/travels-routing.yaml`, '-n', 'travel-agency'),
  k('apply', '-f', `${F}/control-gateway.yaml`, '-n', 'travel-control'),
  k('get', 'vs,dr', '-n', 'travel-agency'),
  k('get', 'gw,vs', '-n', 'travel-control'),
  k('get', 'istio-io', '-A'),
  k('patch', 'vs', 'travels', '-n', 'travel-agency', '-p', '{"spec":{"hosts":["travels","travels.travel-agency"]}}'),
  k('patch', 'vs', 'travels', '-n', 'travel-agency', '--type', 'merge', '-p', '{"spec":{"hosts":["travels","travels.travel-agency"]}}'),
  k('patch', 'dr', 'travels', '-n', 'travel-agency', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/subsets/1"}]'),
  k('get', 'dr', 'travels', '-n', 'travel-agency', '-o', 'jsonpath={.spec.subsets[*].name}{"\\n"}'),
  k('apply', '--server-side', '-f', `${F}/travels-routing.yaml`, '-n', 'travel-agency'),
  k('apply', '-f', `${F}/travels-routing.yaml`, '-n', 'travel-agency', '--dry-run=server'),
  k('delete', '-f', `${F}/travels-routing.yaml`, '-n', 'travel-agency'),
  k('get', 'vs', '-n', 'travel-agency'),
  // Everyday extras.
  k('scale', 'deployment/discounts-v1', '--replicas=2', '-n', 'travel-agency'),
  k('wait', '--for=jsonpath={.status.readyReplicas}=2', 'deployment/discounts-v1', '-n', 'travel-agency', '--timeout=60s'),
  k('set', 'image', 'deployment/discounts-v1', 'discounts=quay.io/kiali/demo_travels_discounts:v2', '-n', 'travel-agency'),
  settle,
  k('rollout', 'status', 'deployment/discounts-v1', '-n', 'travel-agency', '--timeout=60s'),
  k('rollout', 'history', 'deployment/discounts-v1', '-n', 'travel-agency'),
  k('rollout', 'undo', 'deployment/discounts-v1', '-n', 'travel-agency'),
  settle,
  k('rollout', 'status', 'deployment/discounts-v1', '-n', 'travel-agency', '--timeout=60s'),
  settle,
  k('get', 'deploy', 'discounts-v1', '-n', 'travel-agency'),
  k('create', 'deployment', 'web', '--image=quay.io/kiali/demo_travels_cars:v1', '--port=8000', '-n', 'travel-control'),
  k('create', 'configmap', 'settings', '--from-literal=mode=demo', '-n', 'travel-control'),
  k('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret', '-n', 'travel-control'),
  k('create', 'service', 'clusterip', 'web', '--tcp=8000:8000', '-n', 'travel-control'),
  k('get', 'cm,secret', '-n', 'travel-control'),
  k('annotate', 'deployment', 'web', 'owner=learner', '-n', 'travel-control'),
  k('delete', 'deployment', 'web', '-n', 'travel-control'),
  k('exec', 'deploy/control', '-n', 'travel-control', '--', 'hostname'),
  k('exec', 'deploy/control', '-n', 'travel-control', '--', 'printenv', 'PORTAL_SERVICES'),
  k('exec', 'deploy/control', '-n', 'travel-control', '--', 'sh', '-c', 'exit 3'),
  k('auth', 'can-i', 'create', 'deployments', '-n', 'travel-control'),
  k('create', 'token', 'default', '-n', 'travel-control'),
  k('explain', 'deployment.spec.replicas'),
  k('explain', 'virtualservice.spec.hosts'),
  // Mistakes.
  k('get', 'svc', 'nosuch', '-n', 'travel-agency'),
  k('get', 'svc', 'istio-ingressgateway', '-n', 'nope'),
  k('get', 'pods', '-n', 'nope'),
  k('create', 'namespace', 'travel-agency'),
  k('apply', '-f', `${M}/travel_control.yaml`, '-n', 'nope'),
  k('apply', '-f', `${F}/bad-deployment.yaml`, '-n', 'travel-control'),
  k('apply', '-f', `${F}/bad-vs.yaml`, '-n', 'travel-control'),
  k('get', 'widgets'),
  k('delete', 'pod', 'nosuch', '-n', 'travel-agency'),
  // Uninstall.
  k('delete', 'namespace', 'travel-control', '--timeout=60s'),
  k('get', 'namespace', 'travel-control'),
];
