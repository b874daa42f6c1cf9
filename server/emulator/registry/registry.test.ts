import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.ts';
import { compareKubeVersions } from './version-order.ts';
import type { KObject } from '../store/types.ts';

const crd = (versions: string[]): KObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'virtualservices.networking.istio.io', uid: 'u', resourceVersion: '1', creationTimestamp: '' },
  spec: {
    group: 'networking.istio.io',
    scope: 'Namespaced',
    names: { plural: 'virtualservices', singular: 'virtualservice', kind: 'VirtualService', shortNames: ['vs'], categories: ['istio-io', 'networking-istio-io'] },
    versions: versions.map((name) => ({
      name,
      served: true,
      storage: name === 'v1',
      subresources: { status: {} },
      additionalPrinterColumns: [{ name: 'Hosts', type: 'string', jsonPath: '.spec.hosts' }],
    })),
  },
});

test('category "all" resolves in upstream order (get all section order)', () => {
  const reg = Registry.builtIn();
  const seen = new Set<string>();
  const all = reg
    .all()
    .filter((i) => i.categories?.includes('all'))
    .filter((i) => !seen.has(`${i.group}/${i.resource}`) && seen.add(`${i.group}/${i.resource}`));
  assert.deepEqual(
    all.map((i) => i.resource),
    ['pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'cronjobs', 'jobs'],
  );
  assert.equal(reg.preferred('autoscaling', 'horizontalpodautoscalers')?.version, 'v2');
});

test('lookup and byKind', () => {
  const reg = Registry.builtIn();
  assert.equal(reg.lookup('apps', 'v1', 'deployments')?.kind, 'Deployment');
  assert.equal(reg.byKind('v1', 'Namespace')?.namespaced, false);
  assert.equal(reg.lookup('apps', 'v1', 'nope'), undefined);
  assert.deepEqual(reg.lookup('', 'v1', 'pods')?.shortNames, ['po']);
});

test('CRDs register every served version, preferred first, after the built-in groups', () => {
  const reg = Registry.builtIn();
  const gen = reg.generation;
  reg.addCrd(crd(['v1alpha3', 'v1beta1', 'v1']));
  assert.ok(reg.generation > gen);
  const vs = reg.lookup('networking.istio.io', 'v1alpha3', 'virtualservices');
  assert.deepEqual(vs?.versions, ['v1', 'v1beta1', 'v1alpha3']);
  assert.equal(vs?.crd, true);
  assert.deepEqual(vs?.subresources, ['status']);
  assert.equal(vs?.printerColumns?.[0].jsonPath, '.spec.hosts');
  const groups = reg.groupVersions().map((g) => g.group);
  assert.equal(groups[groups.length - 1], 'networking.istio.io');
  assert.deepEqual(reg.groupVersions().at(-1)?.versions, ['v1', 'v1beta1', 'v1alpha3']);
  reg.removeCrd('virtualservices.networking.istio.io');
  assert.equal(reg.lookup('networking.istio.io', 'v1', 'virtualservices'), undefined);
  assert.ok(!reg.groupVersions().some((g) => g.group === 'networking.istio.io'));
});

test('kube-aware version order', () => {
  assert.deepEqual(['v1alpha1', 'v2', 'v1beta2', 'v1', 'v1beta1', 'foo'].sort(compareKubeVersions), ['v2', 'v1', 'v1beta2', 'v1beta1', 'v1alpha1', 'foo']);
});
