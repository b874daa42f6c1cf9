/**
 * The graph as a table of edges: the screen-reader and no-JavaScript fallback of <MeshGraph>, also
 * rendered at build time from the snapshot so the static page carries the same facts as the picture.
 * Pure string building (no DOM), usable in Astro frontmatter and in the browser.
 */
import type { GraphView, ViewNode } from './mesh-graph-model.ts';
import { escapeHtml as h, fmtMs, fmtPct, fmtRate, fmtTcpRate } from './mesh-format.ts';

function name(n: ViewNode | undefined): string {
  if (!n) return '?';
  const d = n.data;
  const base = n.kind === 'service' ? `${d.service} (service)` : n.kind === 'workload' ? d.workload : [d.app, d.version].filter(Boolean).join(' ');
  return `${base ?? d.id} · ${d.namespace}`;
}

/**
 * Kiali's isMTLS is the share of the edge's traffic on mutual TLS, absent when there is none. The live
 * graph always asks for it (the securityPolicy appender) and the snapshots record it, so "no" is a fact.
 */
function mtls(isMTLS: string | undefined): string {
  const pct = Number(isMTLS ?? 0);
  return pct >= 99.95 ? 'yes' : pct > 0 ? `partly (${fmtPct(pct)})` : 'no';
}

export function edgesTableHtml(view: GraphView): string {
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const rows = view.edges.map((e) => {
    const r = e.data.traffic?.rates ?? {};
    const rate = e.protocol === 'tcp' ? fmtTcpRate(Number(r.tcp ?? 0)) : `${fmtRate(Number(r.http ?? r.grpc ?? 0))} rps`;
    const err = r.httpPercentErr ?? r.grpcPercentErr;
    const codes = Object.entries(e.data.traffic?.responses ?? {})
      .map(([code, x]) => `${code}${Object.keys(x.flags ?? {}).filter((f) => f !== '-').map((f) => ` ${f}`).join('')}`).join(', ');
    return `<tr data-edge="${h(e.id)}" class="health-${e.health}"><td>${h(name(byId.get(e.source)))}</td><td>${h(name(byId.get(e.target)))}</td><td>${h(e.protocol)}</td><td>${h(rate)}</td><td>${err ? h(fmtPct(Number(err))) : '0%'}</td><td>${e.data.responseTime ? h(fmtMs(Number(e.data.responseTime))) : ''}</td><td>${h(codes)}</td><td>${h(mtls(e.data.isMTLS))}</td></tr>`;
  });
  // The wrapper scrolls sideways on a phone instead of widening the page.
  return `<div class="mg-edges-wrap"><table class="mg-edges"><caption class="sr-only">Traffic between workloads and services</caption><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Protocol</th><th scope="col">Rate</th><th scope="col">Errors</th><th scope="col">Response time</th><th scope="col">Codes / flags</th><th scope="col">mTLS</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="8">No traffic in this time window.</td></tr>'}</tbody></table></div>`;
}
