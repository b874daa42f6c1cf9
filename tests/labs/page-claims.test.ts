// What chapter pages say about Kiali's views, held against what those views show: the recorded snapshots
// (components/client/fixtures) and the display options of each view. Each test pins a caption or paragraph
// a learner found contradicted by the live view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const page = (p: string) => readFileSync(new URL(`../../site/content/docs/tutorial/${p}.mdx`, import.meta.url), 'utf8');
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../../components/client/fixtures/${name}.json`, import.meta.url), 'utf8')) as T;

interface View { kind?: string; snapshot?: string; caption: string; attrs: string }
/** The <MeshView> elements of a page with their attributes (captions are plain double-quoted strings). */
function views(text: string): View[] {
  return [...text.matchAll(/<MeshView\s([\s\S]*?)\/>/g)].map((m) => {
    const attr = (n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(m[1])?.[1];
    return { kind: attr('kind'), snapshot: attr('snapshot'), caption: attr('caption') ?? '', attrs: m[1] };
  });
}

type Graph = { elements: { nodes: { data: Record<string, string> }[]; edges: { data: { source: string; target: string; traffic: { responses: Record<string, unknown>; rates: Record<string, string> } } }[] } };
type Dashboard = { charts: { name: string; metrics: { labels: Record<string, string> }[] }[] };

const ALL_PAGES = ['prerequisites', 'install', 'first-steps', 'observe', 'secure', 'uninstall',
  ...['request-routing', 'fault-injection', 'traffic-shifting', 'tcp-traffic-shifting', 'request-timeouts', 'circuit-breaking', 'mirroring'].map((p) => `connect/${p}`)];

test('a graph caption shows padlocks only when its Security option is on, or tells the learner to turn it on', () => {
  const wrong = ALL_PAGES.flatMap((p) => views(page(p))
    .filter((v) => v.kind === 'graph' && /padlock/i.test(v.caption))
    .filter((v) => !/showSecurity=\{true\}/.test(v.attrs) && !/Display → Security/.test(v.caption))
    .map((v) => `${p}: ${v.caption}`));
  assert.deepEqual(wrong, []);
});

test('first steps: the captions match an ingress-only graph and the shops as Kiali draws them', () => {
  const [before, after] = views(page('first-steps'));
  // Only the proxies report; the ingress gateway is one, so "nothing to draw" stops being true in this chapter.
  assert.doesNotMatch(before.caption, /nothing to draw/);
  assert.match(before.caption, /istio-ingressgateway → control/);
  // The recorded view (taken with the dashboard open) has the shops as service nodes; live, control calls them
  // only while a browser shows the dashboard, so the caption must not promise them unconditionally.
  const g = fixture<Graph>('graph-first-steps-versionedApp');
  const shops = g.elements.nodes.filter((n) => n.data.namespace === 'travel-portal' && n.data.nodeType !== 'box');
  assert.deepEqual([...new Set(shops.map((n) => n.data.nodeType))], ['service']);
  assert.doesNotMatch(after.caption, /The shops appear only as service nodes/);
  assert.match(after.caption, /Only while someone has the dashboard open[^.]*service nodes/);
});

test('request timeouts: the prose names what each reporter shows for voyages', () => {
  const d = fixture<Dashboard>('dashboard-timeouts-travel-agency-apps-travels-inbound');
  const codes = (reporter: string) => new Set(d.charts[0].metrics
    .filter((m) => m.labels.reporter === reporter && m.labels.source_canonical_service === 'voyages').map((m) => m.labels.response_code));
  assert.deepEqual([...codes('destination')], ['0']); // shown as "-": the default (destination) view
  assert.deepEqual([...codes('source')], ['504']);
  const text = page('connect/request-timeouts');
  assert.match(text, /`voyages,-`/);
  assert.match(text, /\*\*Reported from\*\* to \*\*Source\*\*[\s\S]*504/);
  assert.doesNotMatch(text, /requests from voyages\.fr end with \*\*504\*\*/);
});

test('circuit breaking: the stated share of 503s is the share the loadtester edge settles at', () => {
  const g = fixture<Graph>('graph-circuit-breaking-versionedApp');
  const lt = g.elements.nodes.find((n) => n.data.app === 'loadtester')!.data.id;
  const edge = g.elements.edges.find((e) => e.data.source === lt)!.data.traffic.rates;
  const share = (100 * Number(edge.http5xx)) / Number(edge.http);
  const text = page('connect/circuit-breaking');
  assert.doesNotMatch(text, /mostly 503/);
  const stated = Number(/about (\d+) % of its requests get 503/.exec(text)?.[1]);
  assert.ok(Math.abs(stated - share) <= 10, `caption says ${stated} %, the recorded edge has ${share.toFixed(0)} %`);
});

test('mirroring: the source-reported chart may still list v3 from before the mirror', () => {
  const source = views(page('connect/mirroring')).find((v) => /reporter="source"/.test(v.attrs));
  assert.ok(source);
  assert.doesNotMatch(source.caption, /only v1 and v2 appear/);
  assert.match(source.caption, /v3 can still be in the legend/);
});
