/**
 * Kiali's default traffic-health rules (travels-facts §2.4, Kiali config.go): one 5xx already degrades,
 * 10 % 5xx fails; 4xx degrade at 10 % and fail at 20 %; "no response" counts with the 5xx.
 */
import type { ProtocolTraffic, Rates } from './kiali-types.ts';

export type Health = 'healthy' | 'degraded' | 'failure' | 'idle' | 'na';

export const THRESHOLDS = { err5xxDegraded: 0, err5xxFailure: 10, err4xxDegraded: 10, err4xxFailure: 20 } as const;

export function healthOfPercentages(pct4xx: number, pct5xx: number): Health {
  if (pct5xx >= THRESHOLDS.err5xxFailure || pct4xx >= THRESHOLDS.err4xxFailure) return 'failure';
  if (pct5xx > THRESHOLDS.err5xxDegraded || pct4xx >= THRESHOLDS.err4xxDegraded) return 'degraded';
  return 'healthy';
}

const num = (r: Rates | undefined, k: string): number => Number(r?.[k] ?? 0) || 0;

/** Edge health from its rates (HTTP/gRPC); TCP edges carry no error information. */
export function edgeHealth(t: ProtocolTraffic | undefined): Health {
  if (!t) return 'idle';
  const r = t.rates;
  if (t.protocol === 'tcp') return num(r, 'tcp') > 0 ? 'healthy' : 'idle';
  if (t.protocol === 'grpc') {
    const total = num(r, 'grpc');
    if (total <= 0) return 'idle';
    return healthOfPercentages(0, ((num(r, 'grpcErr') + num(r, 'grpcNoResponse')) / total) * 100);
  }
  const total = num(r, 'http');
  if (total <= 0) return 'idle';
  return healthOfPercentages((num(r, 'http4xx') / total) * 100, ((num(r, 'http5xx') + num(r, 'httpNoResponse')) / total) * 100);
}

/** Inbound health of a node from its own rates (httpIn, httpIn4xx, httpIn5xx, httpInNoResponse). */
export function inboundHealth(traffic: ProtocolTraffic[] | undefined): Health {
  const http = traffic?.find((t) => t.protocol === 'http')?.rates;
  const total = num(http, 'httpIn');
  if (total <= 0) return 'na';
  return healthOfPercentages((num(http, 'httpIn4xx') / total) * 100, ((num(http, 'httpIn5xx') + num(http, 'httpInNoResponse')) / total) * 100);
}

const RANK: Record<Health, number> = { na: 0, idle: 0, healthy: 1, degraded: 2, failure: 3 };
export function worst(...hs: Health[]): Health {
  return hs.reduce<Health>((a, b) => (RANK[b] > RANK[a] ? b : a), 'na');
}
