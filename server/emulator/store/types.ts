/**
 * The object model shared by every part of the emulator: the API server, the controllers, the mesh
 * simulator and the Kiali API all read and write Kubernetes objects through these types.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any Kubernetes object as stored: apiVersion/kind plus arbitrary spec/status/data. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Objects are schemaless JSON to the store; typed views live with the code that reads them.
  [field: string]: unknown;
}

/** An object on its way in: the store fills uid, resourceVersion, creationTimestamp and generation. */
export type NewObject = Omit<KObject, 'metadata'> & {
  metadata: Omit<ObjectMeta, 'uid' | 'resourceVersion' | 'creationTimestamp'> &
    Partial<Pick<ObjectMeta, 'uid' | 'resourceVersion' | 'creationTimestamp'>>;
};

/** Identifies a collection independent of version: Istio's v1/v1beta1/v1alpha3 share one collection. */
export interface ResourceKey {
  group: string; // '' for the core group
  resource: string; // plural, lower case: 'pods', 'virtualservices'
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  key: ResourceKey;
  object: KObject;
}
