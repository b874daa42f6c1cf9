/** The graph legend (Kiali's Legend button): node shapes, colours, edges and badges, as static HTML. */
import { BADGE_TITLES, ICONS } from './mesh-icons.ts';
import type { Badge } from './mesh-graph-model.ts';

const shape = (cls: string, label: string): string => `<li><span class="mg-lg-shape ${cls}"></span>${label}</li>`;
const edge = (cls: string, label: string): string => `<li><span class="mg-lg-edge ${cls}"></span>${label}</li>`;
/** Kiali's legend names are in title case ("Circuit Breaker"), unlike its tooltips ("Has circuit breaker"). */
const titleCase = (s: string): string => s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
const LEGEND_BADGES: Badge[] = ['root', 'gateway', 'missingSidecar', 'vs', 'cb', 'faultInjection', 'trafficShifting', 'timeout', 'mirroring'];

export function legendHtml(): string {
  return `<div class="mg-legend-head"><strong>Legend</strong><button type="button" data-act="legend" aria-label="Close legend">✕</button></div>
<h5>Node Shapes</h5><ul>${shape('workload', 'Workload')}${shape('app', 'App')}${shape('service', 'Service')}</ul>
<h5>Node Colors</h5><ul>${shape('app ok', 'Normal')}${shape('app warn', 'Warn')}${shape('app danger', 'Unhealthy')}${shape('app idle', 'Idle')}</ul>
<h5>Edges</h5><ul>${edge('danger', 'Failure')}${edge('warn', 'Degraded')}${edge('ok', 'Healthy')}${edge('tcp', 'TCP Connection')}${edge('idle', 'Idle')}<li><span class="mg-lg-icon">${ICONS.lock}</span>mTLS (badge)</li></ul>
<h5>Node Badges</h5><ul>${LEGEND_BADGES.map((b) => `<li><span class="mg-lg-badge">${ICONS[b]}</span>${titleCase(BADGE_TITLES[b].replace(/^Has /, ''))}</li>`).join('')}</ul>`;
}
