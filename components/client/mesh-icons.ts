/**
 * Small inline SVG icons standing in for the FontAwesome/PatternFly glyphs Kiali uses on graph badges
 * (code-branch, bolt, ban, share, clock, migration, blueprint, arrow-circle, globe, lock, topology, key).
 * Hand-drawn here because pulling an icon font for a dozen glyphs would outweigh the whole graph view.
 */
import type { Badge } from './mesh-graph-model.ts';

const svg = (body: string, title: string): string =>
  `<svg viewBox="0 0 16 16" width="1em" height="1em" fill="currentColor" aria-hidden="true" focusable="false"><title>${title}</title>${body}</svg>`;

export const ICONS = {
  root: svg('<circle cx="8" cy="8" r="7"/><path d="M4 7h4.5V4.5L12 8l-3.5 3.5V9H4z" fill="var(--mesh-badge-bg,#8476d1)"/>', 'Traffic source'),
  gateway: svg('<path d="M8 1a7 7 0 100 14A7 7 0 008 1zm5 6.2h-2.2a11 11 0 00-.9-4A5.6 5.6 0 0113 7.2zM8 2.5c.7.9 1.3 2.6 1.4 4.7H6.6C6.7 5.1 7.3 3.4 8 2.5zM6.1 3.2a11 11 0 00-.9 4H3a5.6 5.6 0 013.1-4zM3 8.8h2.2a11 11 0 00.9 4A5.6 5.6 0 013 8.8zm5 4.7c-.7-.9-1.3-2.6-1.4-4.7h2.8c-.1 2.1-.7 3.8-1.4 4.7zm1.9-.7a11 11 0 00.9-4H13a5.6 5.6 0 01-3.1 4z"/>', 'Gateway'),
  missingSidecar: svg('<path d="M1 2h14v12H1zm1.5 1.5v9h11v-9zM4 5h3v2H4zm5 0h3v2H9zM4 9h8v1.5H4z"/>', 'Missing sidecar'),
  vs: svg('<path d="M4 1.5a2 2 0 011 3.7v1.6c.6-.4 1.3-.6 2-.6h2a1.5 1.5 0 001.5-1.5v-.5a2 2 0 112 0v.5A3.5 3.5 0 019 8.2H7a2 2 0 00-2 2v.6a2 2 0 11-2 0V5.2a2 2 0 011-3.7z"/>', 'Virtual service'),
  requestRouting: svg('<path d="M4 1.5a2 2 0 011 3.7v1.6c.6-.4 1.3-.6 2-.6h2a1.5 1.5 0 001.5-1.5v-.5a2 2 0 112 0v.5A3.5 3.5 0 019 8.2H7a2 2 0 00-2 2v.6a2 2 0 11-2 0V5.2a2 2 0 011-3.7z"/>', 'Request routing'),
  faultInjection: svg('<path d="M8 1a7 7 0 100 14A7 7 0 008 1zM3 8a5 5 0 017.9-4.1L3.9 10.9A5 5 0 013 8zm5 5a5 5 0 01-2.9-.9l7-7A5 5 0 018 13z"/>', 'Fault injection'),
  trafficShifting: svg('<circle cx="12.5" cy="3.5" r="2.3"/><circle cx="3.5" cy="8" r="2.3"/><circle cx="12.5" cy="12.5" r="2.3"/><path d="M3.5 8l9-4.5M3.5 8l9 4.5" stroke="currentColor" stroke-width="1.4"/>', 'Traffic shifting'),
  tcpTrafficShifting: svg('<circle cx="12.5" cy="3.5" r="2.3"/><circle cx="3.5" cy="8" r="2.3"/><circle cx="12.5" cy="12.5" r="2.3"/><path d="M3.5 8l9-4.5M3.5 8l9 4.5" stroke="currentColor" stroke-width="1.4"/>', 'TCP traffic shifting'),
  timeout: svg('<path d="M8 1a7 7 0 100 14A7 7 0 008 1zm0 1.8a5.2 5.2 0 110 10.4A5.2 5.2 0 018 2.8zM7.2 4h1.5v3.7l2.6 1.6-.8 1.3-3.3-2z"/>', 'Request timeout'),
  mirroring: svg('<path d="M2 3h5v2H4v6h3v2H2zm12 0H9v2h3v6H9v2h5zM6.5 7h3V5.5L12 8l-2.5 2.5V9h-3z"/>', 'Mirroring'),
  cb: svg('<path d="M9.5 1L3 9h4l-1 6 7-8.5H9z"/>', 'Circuit breaker'),
  lock: svg('<path d="M4.5 7V5a3.5 3.5 0 017 0v2H13v8H3V7zm1.7 0h3.6V5a1.8 1.8 0 00-3.6 0z"/>', 'mTLS'),
  topology: svg('<circle cx="8" cy="8" r="2"/><circle cx="3" cy="3" r="1.5"/><circle cx="13" cy="3" r="1.5"/><circle cx="3" cy="13" r="1.5"/><circle cx="13" cy="13" r="1.5"/><circle cx="8" cy="1.8" r="1.1"/><circle cx="8" cy="14.2" r="1.1"/><path d="M3 3l10 10M13 3L3 13M8 2v12" stroke="currentColor" stroke-width="1"/>', 'Outside the selected namespaces'),
  key: svg('<path d="M10.5 1a4.5 4.5 0 00-4.3 5.8L1 12v3h3v-1.5h1.5V12H7l1.2-1.2A4.5 4.5 0 1010.5 1zm1 2.3a1.2 1.2 0 110 2.4 1.2 1.2 0 010-2.4z"/>', 'Restricted'),
} satisfies Record<Badge | 'lock' | 'topology' | 'key', string>;

export const BADGE_TITLES: Record<Badge, string> = {
  root: 'Traffic source', gateway: 'Gateway', missingSidecar: 'Missing sidecar', vs: 'Has virtual service',
  requestRouting: 'Has request routing', faultInjection: 'Has fault injection', trafficShifting: 'Has traffic shifting',
  tcpTrafficShifting: 'Has TCP traffic shifting', timeout: 'Has request timeout', mirroring: 'Has mirroring', cb: 'Has circuit breaker',
};

/** A data-URI version for cytoscape `background-image` (icons drawn inside a node). */
export function iconDataUri(name: 'topology' | 'key', color: string): string {
  const body = ICONS[name].replace('fill="currentColor"', `fill="${color}"`).replaceAll('stroke="currentColor"', `stroke="${color}"`).replace(/<title>.*?<\/title>/, '');
  return `data:image/svg+xml;utf8,${encodeURIComponent(body.replace('width="1em" height="1em"', 'width="16" height="16" xmlns="http://www.w3.org/2000/svg"'))}`;
}
