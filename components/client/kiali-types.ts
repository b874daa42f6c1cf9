/**
 * The subset of Kiali's REST JSON that the mesh views read (graph, metrics dashboards, traces), typed
 * after Kiali's own shapes (graph/config/cytoscape, models/dashboards.go, Jaeger's trace JSON) so the
 * views work unchanged against the embedded emulator and a real Kiali.
 */

export type GraphType = 'app' | 'versionedApp' | 'workload' | 'service';
export type Rates = Record<string, string>;

export interface ProtocolTraffic {
  protocol: 'http' | 'grpc' | 'tcp';
  rates?: Rates;
  /** code → { flags: {flag: pct}, hosts: {host: pct} }; percentages relative to the edge total. */
  responses?: Record<string, { flags?: Record<string, string>; hosts?: Record<string, string> }>;
}

export interface DestService {
  cluster?: string;
  namespace: string;
  name: string;
}

export interface NodeData {
  id: string;
  parent?: string;
  nodeType: 'app' | 'workload' | 'service' | 'box' | 'unknown' | 'aggregate' | string;
  cluster?: string;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
  destServices?: DestService[];
  labels?: Record<string, string>;
  traffic?: ProtocolTraffic[];
  healthData?: unknown;
  isBox?: 'app' | 'namespace' | 'cluster' | string;
  isRoot?: boolean;
  isOutside?: boolean;
  isInaccessible?: boolean;
  isIdle?: boolean;
  isDead?: boolean;
  isGateway?: { ingressInfo?: { hostnames?: string[] }; egressInfo?: { hostnames?: string[] } } | boolean;
  isServiceEntry?: unknown;
  hasVS?: { hostnames?: string[] } | boolean;
  hasCB?: boolean;
  hasRequestRouting?: boolean;
  hasFaultInjection?: boolean;
  hasTrafficShifting?: boolean;
  hasTCPTrafficShifting?: boolean;
  hasRequestTimeout?: boolean;
  hasMirroring?: boolean;
  /** Missing sidecar: `hasMissingSC` up to Kiali 1.71, `isOutOfMesh` from 1.72. */
  hasMissingSC?: boolean;
  isOutOfMesh?: boolean;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  traffic?: ProtocolTraffic;
  /** Percentage of the traffic on mTLS, e.g. "100". */
  isMTLS?: string;
  responseTime?: string;
  throughput?: string;
  sourcePrincipal?: string;
  destPrincipal?: string;
  healthStatus?: string;
}

export interface KialiGraph {
  timestamp: number;
  duration: number;
  graphType: GraphType;
  elements: { nodes?: { data: NodeData }[]; edges?: { data: EdgeData }[] };
}

/** Metrics dashboard (models/dashboards.go). */
export interface DashboardMetric {
  labels: Record<string, string>;
  datapoints: [number, string][];
  stat?: string;
  name: string;
}
export interface DashboardChart {
  name: string;
  unit: string;
  spans: number;
  chartType?: string;
  metrics: DashboardMetric[];
  error?: string;
}
export interface KialiDashboard {
  name?: string;
  title: string;
  charts: DashboardChart[];
  aggregations: { label: string; displayName: string; singleSelection?: boolean }[];
  externalLinks?: unknown[];
  rows?: number;
}

/** Jaeger trace JSON as Kiali relays it (`{ data: JaegerTrace[] }`). */
export interface JaegerTag {
  key: string;
  type?: string;
  value: string | number | boolean;
}
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: { refType: 'CHILD_OF' | 'FOLLOWS_FROM' | string; traceID: string; spanID: string }[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: JaegerTag[];
  processID: string;
  warnings?: string[] | null;
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags?: JaegerTag[] }>;
  warnings?: string[] | null;
}
export interface KialiTraces {
  data: JaegerTrace[] | null;
  errors?: unknown[] | null;
}
