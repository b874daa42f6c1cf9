/**
 * The Kubernetes part of a fresh cluster: the node of a one-node kind-like cluster, the system
 * namespaces, the `kubernetes` Service, CoreDNS, kube-proxy and kindnet, and the control-plane
 * static pods, as `kubectl get pods -A` shows them on a new cluster.
 */
import type { KObject } from '../store/types.ts';
import { container, daemonSetOf, deploymentOf, serviceOf } from './builders.ts';

export const NODE_NAME = 'travels-lab-control-plane';
export const NODE_IP = '172.18.0.2';
export const KUBE_VERSION = 'v1.32.5';

export function node(): KObject {
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '',
        'node.kubernetes.io/exclude-from-external-load-balancers': '',
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/travels-lab/${NODE_NAME}` },
    status: {
      addresses: [{ address: NODE_IP, type: 'InternalIP' }, { address: NODE_NAME, type: 'Hostname' }],
      allocatable: { cpu: '8', 'ephemeral-storage': '102625208Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16331308Ki', pods: '110' },
      capacity: { cpu: '8', 'ephemeral-storage': '102625208Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16331308Ki', pods: '110' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64', bootID: '6f1f4a0e-8c1b-4c52-9d3e-2b7a4f0c9e11', containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.8.0-49-generic', kubeProxyVersion: KUBE_VERSION, kubeletVersion: KUBE_VERSION,
        machineID: '3b8d2f6c0a9e4e5f8d1c7b6a5e4d3c2b', operatingSystem: 'linux', osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: '3b8d2f6c-0a9e-4e5f-8d1c-7b6a5e4d3c2b',
      },
    },
  } as unknown as KObject;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function defaultServices(): KObject[] {
  const kubernetes = serviceOf('default', 'kubernetes', {
    ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }], clusterIP: '10.96.0.1',
    labels: { component: 'apiserver', provider: 'kubernetes' },
  });
  const endpoints = {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: NODE_IP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  } as unknown as KObject;
  const slice = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [NODE_IP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  } as unknown as KObject;
  return [kubernetes, endpoints, slice];
}

export function kubeSystemWorkloads(): KObject[] {
  const dnsLabels = { 'k8s-app': 'kube-dns' };
  const coredns = deploymentOf({
    namespace: 'kube-system', name: 'coredns', labels: dnsLabels, replicas: 2, serviceAccount: 'coredns',
    containers: [container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3',
      [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics', protocol: 'TCP' }],
      { args: ['-conf', '/etc/coredns/Corefile'], resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } } })],
  });
  const kubeDns = serviceOf('kube-system', 'kube-dns', {
    selector: dnsLabels, clusterIP: '10.96.0.10',
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    ports: [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' }],
  });
  const kubeProxy = daemonSetOf({
    namespace: 'kube-system', name: 'kube-proxy', labels: { 'k8s-app': 'kube-proxy' }, serviceAccount: 'kube-proxy',
    podSpec: { hostNetwork: true, priorityClassName: 'system-node-critical' },
    containers: [container('kube-proxy', `registry.k8s.io/kube-proxy:${KUBE_VERSION}`, [], { command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'] })],
  });
  const kindnet = daemonSetOf({
    namespace: 'kube-system', name: 'kindnet', labels: { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' }, serviceAccount: 'kindnet',
    podSpec: { hostNetwork: true },
    containers: [container('kindnet-cni', 'docker.io/kindest/kindnetd:v20241212-9f82dd49', [], { resources: { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } } })],
  });
  return [coredns, kubeDns, kubeProxy, kindnet];
}

/** The control plane's static pods (mirror pods owned by the Node), `<component>-<node>`. */
export function staticPods(nodeUid: string): KObject[] {
  const pod = (component: string, image: string, command: string[], port?: number) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `${component}-${NODE_NAME}`, namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': '5d8c1c3f3a2b4e6f7a8b9c0d1e2f3a4b', 'kubernetes.io/config.seen': '' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: NODE_NAME, uid: nodeUid, controller: true }],
    },
    spec: {
      hostNetwork: true, nodeName: NODE_NAME, priority: 2000001000, priorityClassName: 'system-node-critical',
      containers: [{ name: component, image, command, resources: { requests: { cpu: '100m' } }, ...(port ? { ports: [] } : {}) }],
    },
  }) as unknown as KObject;
  return [
    pod('etcd', 'registry.k8s.io/etcd:3.5.16-0', ['etcd', `--advertise-client-urls=https://${NODE_IP}:2379`, '--data-dir=/var/lib/etcd']),
    pod('kube-apiserver', `registry.k8s.io/kube-apiserver:${KUBE_VERSION}`, ['kube-apiserver', `--advertise-address=${NODE_IP}`, '--service-cluster-ip-range=10.96.0.0/16']),
    pod('kube-controller-manager', `registry.k8s.io/kube-controller-manager:${KUBE_VERSION}`, ['kube-controller-manager', '--cluster-cidr=10.244.0.0/16']),
    pod('kube-scheduler', `registry.k8s.io/kube-scheduler:${KUBE_VERSION}`, ['kube-scheduler', '--leader-elect=true']),
  ];
}
