/**
 * The smaller objects a curious learner finds on a fresh kind + Istio cluster: priority classes,
 * the default StorageClass, the node's Lease, CoreDNS and kube-proxy configuration, and Istio's
 * CA secret and webhook configurations. None of them is read by a controller.
 */
import type { KObject } from '../store/types.ts';
import { configMapOf } from './builders.ts';
import { NODE_NAME } from './system.ts';

const obj = (apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown>, labels?: Record<string, string>): KObject =>
  ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) }, ...rest }) as unknown as KObject;

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

export function clusterExtras(): KObject[] {
  return [
    obj('scheduling.k8s.io/v1', 'PriorityClass', 'system-cluster-critical', undefined, { value: 2000000000, preemptionPolicy: 'PreemptLowerPriority', description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' }),
    obj('scheduling.k8s.io/v1', 'PriorityClass', 'system-node-critical', undefined, { value: 2000001000, preemptionPolicy: 'PreemptLowerPriority', description: 'Used for system critical pods that must not be moved from their current node.' }),
    {
      ...obj('storage.k8s.io/v1', 'StorageClass', 'standard', undefined, { provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' }),
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    } as unknown as KObject,
    obj('coordination.k8s.io/v1', 'Lease', NODE_NAME, 'kube-node-lease', { spec: { holderIdentity: NODE_NAME, leaseDurationSeconds: 40 } }),
    configMapOf('kube-system', 'coredns', { Corefile: COREFILE }),
    configMapOf('kube-system', 'kube-proxy', { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: iptables\n' }, { app: 'kube-proxy' }),
  ];
}

export function istioExtras(): KObject[] {
  const webhook = (name: string) => ({
    name, admissionReviewVersions: ['v1'], failurePolicy: 'Fail', matchPolicy: 'Equivalent', sideEffects: 'None', timeoutSeconds: 10,
    clientConfig: { service: { name: 'istiod', namespace: 'istio-system', path: '/inject', port: 443 } },
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
    reinvocationPolicy: 'Never',
  });
  const labels = { app: 'sidecar-injector', 'istio.io/rev': 'default', 'operator.istio.io/component': 'Pilot' };
  return [
    obj('v1', 'Secret', 'istio-ca-secret', 'istio-system', { type: 'istio.io/ca-root', data: { 'ca-cert.pem': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==', 'ca-key.pem': 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=', 'cert-chain.pem': '', 'key.pem': '', 'root-cert.pem': '' } }),
    obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'istio-sidecar-injector', undefined, {
      webhooks: [
        { ...webhook('rev.namespace.sidecar-injector.istio.io'), namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['default'] }, { key: 'istio-injection', operator: 'DoesNotExist' }] }, objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] } },
        { ...webhook('namespace.sidecar-injector.istio.io'), namespaceSelector: { matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }] }, objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] } },
        { ...webhook('object.sidecar-injector.istio.io'), namespaceSelector: { matchExpressions: [{ key: 'istio-injection', operator: 'DoesNotExist' }, { key: 'istio.io/rev', operator: 'DoesNotExist' }] }, objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] }, { key: 'istio.io/rev', operator: 'DoesNotExist' }] } },
      ],
    }, labels),
    obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'istio-validator-istio-system', undefined, {
      webhooks: [{
        name: 'rev.validation.istio.io', admissionReviewVersions: ['v1'], failurePolicy: 'Ignore', matchPolicy: 'Equivalent', sideEffects: 'None', timeoutSeconds: 10,
        clientConfig: { service: { name: 'istiod', namespace: 'istio-system', path: '/validate', port: 443 } },
        objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['default'] }] },
        rules: [{ apiGroups: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'], scope: '*' }],
      }],
    }, { app: 'istiod', istio: 'istiod', 'istio.io/rev': 'default' }),
    // The default revision's validator (istioctl install creates it): no object selector, so it is the
    // one that judges learners' objects (admission/istio-validation.ts).
    obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'istiod-default-validator', undefined, {
      webhooks: [{
        name: 'validation.istio.io', admissionReviewVersions: ['v1'], failurePolicy: 'Ignore', matchPolicy: 'Equivalent', sideEffects: 'None', timeoutSeconds: 10,
        clientConfig: { service: { name: 'istiod', namespace: 'istio-system', path: '/validate', port: 443 } },
        objectSelector: {}, namespaceSelector: {},
        rules: [{ apiGroups: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'], scope: '*' }],
      }],
    }, { app: 'istiod', istio: 'istiod', 'istio.io/rev': 'default', 'istio.io/tag': 'default' }),
  ];
}
