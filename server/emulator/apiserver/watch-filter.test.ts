import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchFilter } from './watch-filter.ts';
import type { KObject, WatchEvent } from '../store/types.ts';

const cm = (tier: string): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'ns', uid: 'u', resourceVersion: '1', creationTimestamp: '', labels: { tier } },
});
const ev = (type: WatchEvent['type'], o: KObject): WatchEvent => ({ type, key: { group: '', resource: 'configmaps' }, object: o });

test('objects entering and leaving the selector become ADDED and DELETED', () => {
  const f = new WatchFilter((o) => o.metadata.labels?.tier === 'web');
  assert.equal(f.translate(ev('ADDED', cm('db'))), undefined);
  assert.equal(f.translate(ev('MODIFIED', cm('web'))), 'ADDED');
  assert.equal(f.translate(ev('MODIFIED', cm('web'))), 'MODIFIED');
  assert.equal(f.translate(ev('MODIFIED', cm('db'))), 'DELETED');
  assert.equal(f.translate(ev('MODIFIED', cm('db'))), undefined);
  assert.equal(f.translate(ev('DELETED', cm('db'))), undefined);
});

test('seeded objects modify and delete normally', () => {
  const f = new WatchFilter(() => true);
  f.seed([cm('web')]);
  assert.equal(f.translate(ev('MODIFIED', cm('web'))), 'MODIFIED');
  assert.equal(f.translate(ev('DELETED', cm('web'))), 'DELETED');
});
