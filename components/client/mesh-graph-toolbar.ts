/**
 * The graph toolbar, after Kiali's: graph type, a Display menu (edge labels, boxes, service nodes, badges, security),
 * duration, refresh interval, a refresh button and the last-updated time. Plain form controls, so it is
 * keyboard- and screen-reader-friendly without a UI framework.
 */
import type { GraphType } from './kiali-types.ts';
import type { EdgeLabelKind } from './mesh-graph-model.ts';
import { escapeHtml as h, fmtDuration } from './mesh-format.ts';

export interface GraphSettings {
  namespaces: string[];
  graphType: GraphType;
  edgeLabels: EdgeLabelKind[];
  showSecurity: boolean;
  showBadges: boolean;
  showMissingSidecars: boolean;
  boxNamespaces: boolean;
  /** Kiali's `injectServiceNodes`: caller → service → workload instead of caller → workload. */
  serviceNodes: boolean;
  animate: boolean;
  /** Seconds. */
  duration: number;
  /** Seconds; 0 = paused. */
  refresh: number;
}

export const GRAPH_TYPES: [GraphType, string][] = [
  ['app', 'App graph'], ['service', 'Service graph'], ['versionedApp', 'Versioned app graph'], ['workload', 'Workload graph'],
];
export const DURATIONS = [60, 300, 600, 1800, 3600];
export const REFRESHES = [0, 10, 15, 30, 60];
const EDGE_LABELS: [EdgeLabelKind, string][] = [['responseTime', 'Response Time'], ['distribution', 'Traffic Distribution'], ['rate', 'Traffic Rate']];
const SHOW: [keyof GraphSettings, string][] = [['boxNamespaces', 'Namespace Boxes'], ['serviceNodes', 'Service Nodes'], ['animate', 'Traffic Animation']];
const BADGES: [keyof GraphSettings, string][] = [['showMissingSidecars', 'Missing Sidecars'], ['showSecurity', 'Security'], ['showBadges', 'Virtual Services']];

const opt = (value: string | number, label: string, selected: boolean): string => `<option value="${value}"${selected ? ' selected' : ''}>${label}</option>`;
const check = (name: string, label: string, on: boolean, disabled = false): string =>
  `<label class="mg-check"><input type="checkbox" data-opt="${name}"${on ? ' checked' : ''}${disabled ? ' disabled' : ''}> ${label}</label>`;

/** A service graph is made of service nodes, so Kiali greys out "Service Nodes" there. */
export const serviceNodesFixed = (s: GraphSettings): boolean => s.graphType === 'service';

export function toolbarHtml(s: GraphSettings, uid: string): string {
  const ns = s.namespaces.length === 1 ? h(s.namespaces[0]) : `<span class="mg-count">${s.namespaces.length}</span>`;
  return `<div class="mg-row">
  <span class="mg-ns" title="${h(s.namespaces.join(', '))}">Namespace: ${ns}</span>
  <label class="mg-field"><span class="sr-only">Graph type</span><select data-opt="graphType">${GRAPH_TYPES.map(([v, l]) => opt(v, l, v === s.graphType)).join('')}</select></label>
  <details class="mg-display"><summary>Display</summary><div class="mg-menu" role="group" aria-label="Display options">
    <fieldset><legend>Show Edge Labels</legend>${EDGE_LABELS.map(([k, l]) => check(`edge:${k}`, l, s.edgeLabels.includes(k))).join('')}</fieldset>
    <fieldset><legend>Show</legend>${SHOW.map(([k, l]) => check(k, l, Boolean(s[k]), k === 'serviceNodes' && serviceNodesFixed(s))).join('')}</fieldset>
    <fieldset><legend>Show Badges</legend>${BADGES.map(([k, l]) => check(k, l, Boolean(s[k]))).join('')}</fieldset>
  </div></details>
  <span class="mg-right">
  <button type="button" class="mg-mode" data-role="mode" data-act="mode" disabled></button>
  <label class="mg-field" data-live-only><span class="sr-only">Duration</span><select data-opt="duration">${DURATIONS.map((d) => opt(d, `Last ${fmtDuration(d)}`, d === s.duration)).join('')}</select></label>
  <label class="mg-field" data-live-only><span class="sr-only">Refresh interval</span><select data-opt="refresh">${REFRESHES.map((r) => opt(r, r === 0 ? 'Pause' : `Every ${fmtDuration(r)}`, r === s.refresh)).join('')}</select></label>
  <button type="button" class="mg-refresh" data-live-only data-act="refresh" aria-label="Refresh now" aria-controls="${uid}-canvas">⟳</button>
  </span>
</div>`;
}

/** Applies one toolbar control change to the settings; returns the setting's name. */
export function applyControl(s: GraphSettings, el: HTMLInputElement | HTMLSelectElement): string | undefined {
  const name = el.dataset.opt;
  if (!name) return undefined;
  if (name.startsWith('edge:')) {
    const k = name.slice(5) as EdgeLabelKind;
    const on = (el as HTMLInputElement).checked;
    s.edgeLabels = on ? [...new Set([...s.edgeLabels, k])] : s.edgeLabels.filter((x) => x !== k);
    return 'edgeLabels';
  }
  if (name === 'graphType') s.graphType = el.value as GraphType;
  else if (name === 'duration' || name === 'refresh') s[name] = Number(el.value);
  else if (el instanceof HTMLInputElement && el.type === 'checkbox') (s as unknown as Record<string, boolean>)[name] = el.checked;
  return name;
}
