/**
 * Structural view of the registry used by the OpenAPI builder (EA's Registry satisfies it), so this module does
 * not depend on the registry implementation.
 */
import type { KObject } from '../store/types.ts';

export interface SchemaResourceInfo {
  group: string;
  version: string;
  versions: string[];
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  subresources?: string[];
  crd?: boolean;
}

export interface SchemaRegistry {
  all(): SchemaResourceInfo[];
  byKind(apiVersion: string, kind: string): SchemaResourceInfo | undefined;
  /** Bumped on every change (documents are cached per generation). */
  readonly generation?: number;
  /** The openAPIV3Schema of a registered CRD version, when the registry keeps it (else Istio's or an open schema). */
  crdSchema?(group: string, version: string, kind: string): unknown;
}

export interface ValidationResult {
  /** Paths of fields the schema does not know (`spec.foo`, `spec.template.spec.containers[0].imagee`). */
  unknownFields: string[];
  /** Schema violations of custom resources, as the apiserver words them (field + message after `field: `). */
  invalid: { field: string; message: string }[];
  /**
   * Built-in kinds: the first JSON type error, worded as the apiserver's decoder reports it
   * (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`). The real
   * server answers 400 BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: <decodeError>`.
   */
  decodeError?: string;
}

export type { KObject };
