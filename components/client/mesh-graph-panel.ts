/**
 * The graph's side panel, after Kiali's summary panels: "Current Graph" counts with inbound/outbound
 * rates when nothing is selected, a node's flags, rates and response-code bar, or an edge's source and
 * destination, mTLS principals, rates, flags and hosts. Returns HTML strings (all data escaped).
 */
import type { EdgeData, ProtocolTraffic } from './kiali-types.ts';
import { graphCounts, type GraphView, type ViewEdge, type ViewNode } from './mesh-graph-model.ts';
import { escapeHtml as h, fmtMs, fmtRate, fmtTcpRate } from './mesh-format.ts';
import { BADGE_TITLES, ICONS } from './mesh-icons.ts';

const HEALTH_TEXT = { healthy: 'Healthy', degraded: 'Degraded', failure: 'Failure', idle: 'Idle', na: 'No traffic' } as const;

function letter(n: ViewNode): string {
  if (n.kind === 'box') return n.box === 'namespace' ? 'NS' : 'A';
  return n.kind === 'service' ? 'S' : n.kind === 'workload' ? 'W' : n.kind === 'app' ? 'A' : '?';
}

export function nodeTitle(n: ViewNode): string {
  const d = n.data;
  if (n.kind === 'service') return d.service ?? '';
  if (n.kind === 'workload') return d.workload ?? '';
  if (n.kind === 'box') return n.box === 'namespace' ? d.namespace : d.app ?? '';
  return [d.app, d.version].filter(Boolean).join(' ');
}

const chip = (n: ViewNode): string => `<span class="mg-chip mg-chip-${letter(n)}">${letter(n)}</span>`;

interface Http { total: number; e4: number; e5: number; e3: number; nr: number }
const sumHttp = (a: Http, r: Record<string, string>, pre: string): Http => ({
  total: a.total + Number(r[pre] ?? 0),
  e3: a.e3 + Number(r[`${pre}3xx`] ?? 0),
  e4: a.e4 + Number(r[`${pre}4xx`] ?? 0),
  e5: a.e5 + Number(r[`${pre}5xx`] ?? 0),
  nr: a.nr + Number(r[`${pre}NoResponse`] ?? 0),
});
const ZERO: Http = { total: 0, e3: 0, e4: 0, e5: 0, nr: 0 };

function rateRow(label: string, x: Http): string {
  const err = x.total > 0 ? ((x.e4 + x.e5 + x.nr) / x.total) * 100 : 0;
  return `<tr><th scope="row">${label}</th><td>${fmtRate(x.total)}</td><td>${x.total > 0 ? (100 - err).toFixed(2) : '-'}</td><td>${x.total > 0 ? err.toFixed(2) : '-'}</td></tr>`;
}

function httpTable(rows: [string, Http][]): string {
  if (!rows.some(([, x]) => x.total > 0)) return '';
  return `<h4>HTTP (requests per second):</h4><table class="mg-rates"><thead><tr><th><span class="sr-only">Direction</span></th><th>Total</th><th>%Success</th><th>%Error</th></tr></thead><tbody>${rows.map(([l, x]) => rateRow(l, x)).join('')}</tbody></table>`;
}

/** Kiali's horizontal 100 % stacked bar of response classes. */
function codeBar(title: string, x: Http): string {
  if (x.total <= 0) return '';
  const ok = Math.max(0, x.total - x.e3 - x.e4 - x.e5 - x.nr);
  const parts: [string, number, string][] = [['OK', ok, 'ok'], ['3xx', x.e3, 'c3'], ['4xx', x.e4, 'c4'], ['5xx', x.e5, 'c5'], ['NR', x.nr, 'nr']];
  const segs = parts.filter(([, v]) => v > 0).map(([l, v, c]) => `<span class="mg-bar-${c}" style="width:${((v / x.total) * 100).toFixed(2)}%" title="${l}: ${((v / x.total) * 100).toFixed(1)}%"></span>`).join('');
  const legend = parts.map(([l, , c]) => `<span><i class="mg-bar-${c}"></i>${l}</span>`).join('');
  return `<div class="mg-codes"><div class="mg-codes-title">${title}</div><div class="mg-bar" role="img" aria-label="${title} by response class">${segs}</div><div class="mg-bar-legend">${legend}</div></div>`;
}

function tcpRows(inB: number, outB: number): string {
  if (inB <= 0 && outB <= 0) return '';
  return `<h4>TCP (bytes per second):</h4><table class="mg-rates"><thead><tr><th><span class="sr-only">Direction</span></th><th>Total</th></tr></thead><tbody><tr><th scope="row">In</th><td>${fmtTcpRate(inB)}</td></tr><tr><th scope="row">Out</th><td>${fmtTcpRate(outB)}</td></tr></tbody></table>`;
}

export function graphPanel(view: GraphView, selected: string[] = []): string {
  const c = graphCounts(view);
  if (selected.length) c.namespaces = selected;
  let inb = ZERO, outb = ZERO;
  const ids = new Set(view.nodes.filter((n) => !n.outside).map((n) => n.id));
  for (const e of view.edges) {
    const r = e.data.traffic?.protocol === 'http' ? e.data.traffic.rates ?? {} : undefined;
    if (!r) continue;
    if (ids.has(e.target) && !ids.has(e.source)) inb = sumHttp(inb, r, 'http');
    if (ids.has(e.source) && !ids.has(e.target)) outb = sumHttp(outb, r, 'http');
  }
  let total = ZERO;
  for (const e of view.edges) if (e.data.traffic?.protocol === 'http') total = sumHttp(total, e.data.traffic.rates ?? {}, 'http');
  return `<div class="mg-panel-head"><strong>Current Graph:</strong><div>${c.namespaces.map((ns) => `<span class="mg-chip mg-chip-NS">NS</span> ${h(ns)}`).join('<br>')}</div></div>
<section>${countsHtml(c)}</section>
<section>${httpTable([['Inbound', inb], ['Outbound', outb], ['Total', total]])}${codeBar('Total', total)}</section>`;
}

function flagsList(n: ViewNode): string {
  const d = n.data;
  const items: string[] = n.badges.filter((b) => b !== 'root').map((b) => `<li>${ICONS[b]} ${BADGE_TITLES[b]}</li>`);
  if (d.hasVS && !n.badges.includes('vs')) items.push(`<li>${ICONS.vs} ${BADGE_TITLES.vs}</li>`);
  if (n.outside) items.push(`<li>${ICONS.topology} Outside the selected namespaces</li>`);
  if (d.isDead) items.push('<li>Has no running pods</li>');
  if (n.hosts) {
    const hosts = typeof d.isGateway === 'object' ? d.isGateway.ingressInfo?.hostnames : typeof d.hasVS === 'object' ? d.hasVS.hostnames : [];
    items.push(`<li>Hosts: ${(hosts ?? []).map((x) => `<code>${h(x)}</code>`).join(', ')}</li>`);
  }
  return items.length ? `<ul class="mg-flags">${items.join('')}</ul>` : '';
}

export function nodePanel(n: ViewNode, view: GraphView): string {
  const d = n.data;
  const http = d.traffic?.find((t) => t.protocol === 'http')?.rates ?? {};
  const tcp = d.traffic?.find((t) => t.protocol === 'tcp')?.rates ?? {};
  let out = ZERO;
  for (const e of view.edges) if (e.source === n.id && e.data.traffic?.protocol === 'http') out = sumHttp(out, e.data.traffic.rates ?? {}, 'http');
  const inb = sumHttp(ZERO, http, 'httpIn');
  const sub = [d.namespace && `<span class="mg-chip mg-chip-NS">NS</span> ${h(d.namespace)}`, n.kind !== 'workload' && d.workload && `<span class="mg-chip mg-chip-W">W</span> ${h(d.workload)}`].filter(Boolean).join('<br>');
  return `<div class="mg-panel-head"><div>${chip(n)} <strong>${h(nodeTitle(n))}</strong></div><div class="mg-sub">${sub}</div>
<span class="mg-health mg-health-${n.health}">${HEALTH_TEXT[n.health]}</span></div><section>${flagsList(n)}${tcpRows(Number(tcp.tcpIn ?? 0), Number(tcp.tcpOut ?? 0))}</section>
<section>${httpTable([['In', inb], ['Out', out]])}${codeBar('HTTP Inbound', inb)}${codeBar('HTTP Outbound', out)}</section>`;
}

function responsesTable(t: ProtocolTraffic | undefined, what: 'flags' | 'hosts'): string {
  const rows: string[] = [];
  for (const [code, r] of Object.entries(t?.responses ?? {})) {
    for (const [k, pct] of Object.entries(r[what] ?? {})) rows.push(`<tr><td>${h(code)}</td><td>${h(k)}</td><td>${h(pct)}</td></tr>`);
  }
  if (!rows.length) return '';
  const title = what === 'flags' ? 'Response flags by code' : 'Hosts by code';
  return `<h4>${title}:</h4><table class="mg-rates"><thead><tr><th>Code</th><th>${what === 'flags' ? 'Flags' : 'Host'}</th><th>% Req</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function mtlsBlock(e: EdgeData): string {
  if (!e.isMTLS || Number(e.isMTLS) <= 0) return '';
  const partial = Number(e.isMTLS) < 100 ? ` [${h(e.isMTLS)}% of request traffic]` : '';
  const pr = [e.sourcePrincipal && `<div>Source principal: <code>${h(e.sourcePrincipal)}</code></div>`, e.destPrincipal && `<div>Destination principal: <code>${h(e.destPrincipal)}</code></div>`].filter(Boolean).join('');
  return `<div class="mg-mtls">${ICONS.lock} mTLS Enabled${partial}${pr}</div>`;
}

export function edgePanel(e: ViewEdge, view: GraphView): string {
  const src = view.nodes.find((n) => n.id === e.source);
  const dst = view.nodes.find((n) => n.id === e.target);
  const t = e.data.traffic;
  const rates = t?.rates ?? {};
  const traffic = e.protocol === 'tcp'
    ? `<h4>TCP (bytes per second):</h4><p>${fmtTcpRate(Number(rates.tcp ?? 0))}</p>`
    : httpTable([['Total', sumHttp(ZERO, rates, 'http')]]) + codeBar('Responses', sumHttp(ZERO, rates, 'http'));
  const rt = e.data.responseTime ? `<p>Response time: <strong>${fmtMs(Number(e.data.responseTime))}</strong></p>` : '';
  return `<div class="mg-panel-head"><div>From: ${src ? `${chip(src)} ${h(nodeTitle(src))}` : ''}</div><div>To: ${dst ? `${chip(dst)} ${h(nodeTitle(dst))}` : ''}</div>
<span class="mg-proto">${h(e.protocol)}</span> <span class="mg-health mg-health-${e.health}">${HEALTH_TEXT[e.health]}</span></div><section>${mtlsBlock(e.data)}${traffic}${rt}</section>
<section>${responsesTable(t, 'flags')}${responsesTable(t, 'hosts')}</section>`;
}

/** Kiali's topology summary: a line per kind the graph has ("5 apps (5 versions)", "4 services", …), none for a zero. */
function countsHtml(c: { apps: number; versions: number; services: number; workloads: number; edges: number }): string {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  const lines = [
    c.apps > 0 ? `${plural(c.apps, 'app')}${c.versions > 0 ? ` (${plural(c.versions, 'version')})` : ''}` : '',
    c.services > 0 ? plural(c.services, 'service') : '',
    c.workloads > 0 ? plural(c.workloads, 'workload') : '',
    c.edges > 0 ? plural(c.edges, 'edge') : '',
  ].filter(Boolean);
  return lines.length ? `<ul class="mg-counts">${lines.map((l) => `<li>${l}</li>`).join('')}</ul>` : '';
}
