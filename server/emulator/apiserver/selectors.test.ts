import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.ts';
import type { KObject } from '../store/types.ts';

const pod = (name: string, labels: Record<string, string>, phase = 'Running', node = 'n1'): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: name, resourceVersion: '1', creationTimestamp: '', labels },
  spec: { nodeName: node },
  status: { phase },
});

const pods = [pod('a', { app: 'web', version: 'v1' }), pod('b', { app: 'web', version: 'v2' }, 'Pending'), pod('c', { app: 'db' })];
const names = (pred: ((o: KObject) => boolean) | undefined) => pods.filter((p) => !pred || pred(p)).map((p) => p.metadata.name);

test('label selectors: equality, inequality, sets, existence', () => {
  assert.deepEqual(names(parseLabelSelector('app=web')), ['a', 'b']);
  assert.deepEqual(names(parseLabelSelector('app==web,version!=v1')), ['b']);
  assert.deepEqual(names(parseLabelSelector('version in (v1, v2)')), ['a', 'b']);
  assert.deepEqual(names(parseLabelSelector('version notin (v1)')), ['b', 'c']);
  assert.deepEqual(names(parseLabelSelector('version')), ['a', 'b']);
  assert.deepEqual(names(parseLabelSelector('!version')), ['c']);
  assert.equal(parseLabelSelector(''), undefined);
  assert.throws(() => parseLabelSelector('a b c'), SelectorError);
});

test('field selectors: supported fields per resource', () => {
  assert.deepEqual(names(parseFieldSelector('metadata.name=b', '', 'pods')), ['b']);
  assert.deepEqual(names(parseFieldSelector('status.phase!=Running', '', 'pods')), ['b']);
  assert.deepEqual(names(parseFieldSelector('spec.nodeName=n1,metadata.namespace=ns', '', 'pods')), ['a', 'b', 'c']);
  assert.throws(() => parseFieldSelector('status.phase=Running', 'apps', 'deployments'), /field label not supported: status.phase/);
});
