/**
 * The vocabulary of the pure reconcilers: they read the cluster through a Reader and return
 * Actions; the shell (shell.ts) applies them. Keeping writes as data lets golden tests pin a
 * reconciler's output without a running cluster.
 */
import type { KObject, NewObject, ResourceKey } from '../store/types.ts';
import type { ListOptions } from '../store/object-store.ts';

/** The read side of the store, all a reconciler may touch. */
export interface Reader {
  get(key: ResourceKey, namespace: string | undefined, name: string): KObject | undefined;
  list(key: ResourceKey, opts?: ListOptions): { items: KObject[]; resourceVersion: string };
  keys(): ResourceKey[];
}

/** Injected time and randomness. */
export interface Env {
  now: number;
  rng: () => number;
}

export interface EventInput {
  /** The object the event is about (kind, name, namespace, uid, resourceVersion are used). */
  involved: Pick<KObject, 'apiVersion' | 'kind' | 'metadata'>;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  /** The reporting controller: deployment-controller, replicaset-controller, kubelet, default-scheduler… */
  component: string;
  /** Node name for kubelet and scheduler events. */
  host?: string;
  fieldPath?: string;
  /** The scheduler reports through events.k8s.io: eventTime set, first/lastTimestamp empty. */
  series?: boolean;
  action?: string;
}

export type Action =
  | { op: 'create'; key: ResourceKey; obj: NewObject; admit?: boolean }
  | { op: 'update'; key: ResourceKey; obj: KObject }
  | { op: 'delete'; key: ResourceKey; namespace?: string; name: string; uid?: string; graceSeconds?: number }
  | { op: 'event'; event: EventInput }
  /** Every object of a collection in a namespace (Events, which the controllers' cache does not hold). */
  | { op: 'deleteAll'; key: ResourceKey; namespace: string }
  | { op: 'log'; namespace: string; pod: string; container: string; lines: string[]; restarted?: boolean };

export interface Result {
  actions: Action[];
  /** Simulated time (ms) at which this item wants another look, if work is pending. */
  wakeAt?: number;
}

export const NOTHING: Result = { actions: [] };

// Typed views of the fields the controllers read: objects stay schemaless in the store.
export type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
export const asArr = <T = Obj>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export function controllerOf(obj: KObject): { kind: string; name: string; uid: string; apiVersion: string } | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export const isTerminating = (obj: KObject): boolean => Boolean(obj.metadata.deletionTimestamp);
