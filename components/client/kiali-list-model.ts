/**
 * Kiali's Applications / Workloads / Services list pages, reduced to rows: health from pod status and
 * request error rates (Kiali's default thresholds), the "Missing Sidecar" flag and Istio references.
 */
import { healthOfPercentages, worst, type Health } from './mesh-health.ts';

export type ListKind = 'workloads' | 'apps' | 'services';

interface WorkloadStatus { name?: string; desiredReplicas: number; currentReplicas?: number; availableReplicas: number; syncedProxies?: number }
interface HealthJson {
  workloadStatus?: WorkloadStatus;
  workloadStatuses?: WorkloadStatus[];
  requests?: { inbound?: Record<string, Record<string, number>>; outbound?: Record<string, Record<string, number>> };
}
export interface ListItemJson {
  name: string;
  namespace: string;
  type?: string;
  istioSidecar?: boolean;
  labels?: Record<string, string>;
  istioReferences?: { objectType: string; name: string; namespace?: string }[];
  health?: HealthJson;
}
/** `/api/clusters/{kind}` (`applications` for apps) or `/api/namespaces/{ns}/{kind}` answers. */
export type ListJson = Partial<Record<'workloads' | 'applications' | 'services', ListItemJson[]>>;

export interface ListRow {
  name: string;
  namespace: string;
  type: string;
  health: Health;
  healthText: string;
  labels: [string, string][];
  missingSidecar: boolean;
  refs: string[];
}

const REF_BADGE: Record<string, string> = { VirtualService: 'VS', DestinationRule: 'DR', Gateway: 'G', ServiceEntry: 'SE', AuthorizationPolicy: 'AP', PeerAuthentication: 'PA', Sidecar: 'S' };

function requestHealth(req: Record<string, Record<string, number>> | undefined): Health {
  let total = 0, e4 = 0, e5 = 0;
  for (const codes of Object.values(req ?? {})) {
    for (const [code, v] of Object.entries(codes)) {
      total += v;
      if (code.startsWith('4')) e4 += v;
      else if (code.startsWith('5') || code === '-') e5 += v;
    }
  }
  return total > 0 ? healthOfPercentages((e4 / total) * 100, (e5 / total) * 100) : 'na';
}

function podHealth(statuses: WorkloadStatus[]): Health {
  if (!statuses.length) return 'na';
  if (statuses.some((s) => s.desiredReplicas > 0 && s.availableReplicas === 0)) return 'failure';
  if (statuses.some((s) => s.availableReplicas < s.desiredReplicas)) return 'degraded';
  return 'healthy';
}

const TEXT: Record<Health, string> = { healthy: 'Healthy', degraded: 'Degraded', failure: 'Failure', idle: 'Idle', na: 'No health information' };

export function listRows(json: ListJson, kind: ListKind): ListRow[] {
  const items = (kind === 'apps' ? json.applications : json[kind]) ?? [];
  return items.map((it) => {
    const h = it.health ?? {};
    const pods = podHealth(h.workloadStatus ? [h.workloadStatus] : h.workloadStatuses ?? []);
    const health = worst(pods, requestHealth(h.requests?.inbound), requestHealth(h.requests?.outbound));
    return {
      name: it.name, namespace: it.namespace, type: it.type ?? '', health, healthText: TEXT[health],
      labels: Object.entries(it.labels ?? {}).filter(([, v]) => v !== ''),
      missingSidecar: it.istioSidecar === false,
      refs: (it.istioReferences ?? []).map((r) => `${REF_BADGE[r.objectType] ?? r.objectType} ${r.name}`),
    };
  }).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
