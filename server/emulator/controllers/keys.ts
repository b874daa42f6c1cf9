/**
 * The collections the controllers read and write, as store keys. Group + plural resource is the
 * store's identity of a collection; kinds map here once so reconcilers stay free of registry lookups.
 */
import type { ResourceKey } from '../store/types.ts';

export const PODS: ResourceKey = { group: '', resource: 'pods' };
export const SERVICES: ResourceKey = { group: '', resource: 'services' };
export const ENDPOINTS: ResourceKey = { group: '', resource: 'endpoints' };
export const NAMESPACES: ResourceKey = { group: '', resource: 'namespaces' };
export const NODES: ResourceKey = { group: '', resource: 'nodes' };
export const EVENTS: ResourceKey = { group: '', resource: 'events' };
export const CONFIGMAPS: ResourceKey = { group: '', resource: 'configmaps' };
export const SECRETS: ResourceKey = { group: '', resource: 'secrets' };
export const SERVICEACCOUNTS: ResourceKey = { group: '', resource: 'serviceaccounts' };
export const DEPLOYMENTS: ResourceKey = { group: 'apps', resource: 'deployments' };
export const REPLICASETS: ResourceKey = { group: 'apps', resource: 'replicasets' };
export const DAEMONSETS: ResourceKey = { group: 'apps', resource: 'daemonsets' };
export const JOBS: ResourceKey = { group: 'batch', resource: 'jobs' };
export const ENDPOINTSLICES: ResourceKey = { group: 'discovery.k8s.io', resource: 'endpointslices' };
export const CRDS: ResourceKey = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };
export const EVENTS_V1: ResourceKey = { group: 'events.k8s.io', resource: 'events' };

export const sameKey = (a: ResourceKey, b: ResourceKey): boolean => a.group === b.group && a.resource === b.resource;

/** Kind → key for the owners and dependents the controllers handle themselves. */
export function keyForKind(apiVersion: string, kind: string): ResourceKey | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const table: Record<string, ResourceKey> = {
    Pod: PODS, Service: SERVICES, Endpoints: ENDPOINTS, Namespace: NAMESPACES, Node: NODES,
    ConfigMap: CONFIGMAPS, Secret: SECRETS, ServiceAccount: SERVICEACCOUNTS, Deployment: DEPLOYMENTS,
    ReplicaSet: REPLICASETS, DaemonSet: DAEMONSETS, Job: JOBS, EndpointSlice: ENDPOINTSLICES,
  };
  const key = table[kind];
  return key && key.group === group ? key : undefined;
}
