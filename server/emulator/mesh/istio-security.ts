/**
 * Istio security and scoping objects normalised for the data plane: AuthorizationPolicy (selector,
 * action, source rules), Sidecar (egress hosts) and PeerAuthentication (mTLS mode).
 */
import type { KObject } from '../store/types.ts';

type Raw = Record<string, unknown>;
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);

export interface AuthzRule {
  /** Each `from` entry: principals/namespaces; empty list = any source. */
  from: { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[] }[];
  /** Presence of to/when we cannot evaluate precisely is treated as matching. */
}

export interface AuthorizationPolicyView {
  name: string;
  namespace: string;
  selector?: Record<string, string>;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** undefined = no rules (matches nothing for ALLOW). */
  rules?: AuthzRule[];
  raw: KObject;
}

export interface SidecarView {
  name: string;
  namespace: string;
  selector?: Record<string, string>;
  /** `ns/host` entries as written. */
  egressHosts: string[];
  raw: KObject;
}

export interface PeerAuthenticationView {
  name: string;
  namespace: string;
  selector?: Record<string, string>;
  mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';
  raw: KObject;
}

function selectorOf(spec: Raw, field: 'selector' | 'workloadSelector'): Record<string, string> | undefined {
  const s = spec[field] as Raw | undefined;
  const labels = (field === 'selector' ? s?.matchLabels : s?.labels) as Record<string, string> | undefined;
  return labels && Object.keys(labels).length ? labels : undefined;
}

export function parseAp(o: KObject): AuthorizationPolicyView {
  const spec = (o.spec ?? {}) as Raw;
  const action = String(spec.action ?? 'ALLOW') as AuthorizationPolicyView['action'];
  const rules = Array.isArray(spec.rules)
    ? arr(spec.rules).map((r) => ({
        from: arr(r.from).map((f) => {
          const s = (f.source ?? {}) as Raw;
          const list = (k: string) => (Array.isArray(s[k]) ? (s[k] as string[]) : undefined);
          return { principals: list('principals'), notPrincipals: list('notPrincipals'), namespaces: list('namespaces'), notNamespaces: list('notNamespaces') };
        }),
      }))
    : undefined;
  return { name: o.metadata.name, namespace: o.metadata.namespace ?? '', selector: selectorOf(spec, 'selector'), action, rules, raw: o };
}

export function parseSidecar(o: KObject): SidecarView {
  const spec = (o.spec ?? {}) as Raw;
  const hosts = arr(spec.egress).flatMap((e) => (Array.isArray(e.hosts) ? (e.hosts as string[]) : []));
  return { name: o.metadata.name, namespace: o.metadata.namespace ?? '', selector: selectorOf(spec, 'workloadSelector'), egressHosts: hosts, raw: o };
}

export function parsePa(o: KObject): PeerAuthenticationView {
  const spec = (o.spec ?? {}) as Raw;
  const mode = String(((spec.mtls ?? {}) as Raw).mode ?? 'UNSET') as PeerAuthenticationView['mode'];
  return { name: o.metadata.name, namespace: o.metadata.namespace ?? '', selector: selectorOf(spec, 'selector'), mode, raw: o };
}

