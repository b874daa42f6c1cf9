/**
 * The cytoscape stylesheet of the mesh graph, after Kiali's classic graph styles (kiali-ui GraphStyles.ts):
 * white nodes whose outline carries health, shapes by node type, compound boxes, health-coloured bezier
 * edges with `vee` arrows (`triangle-cross` for TCP). Colours come from one token table per theme.
 */
import type { Health } from './mesh-health.ts';
import { iconDataUri } from './mesh-icons.ts';

export interface GraphTokens {
  canvas: string; nodeFill: string; nodeBorder: string; text: string; textOutline: string;
  healthy: string; degraded: string; failure: string; idle: string; tcp: string;
  hoverFill: string; degradedFill: string; failureFill: string; selected: string;
  nsBoxFill: string; nsBoxBorder: string; appBoxFill: string; appBoxBorder: string;
}

/** PF4/PF5 classic hexes (kiali-visual-language.md §1); dark values keep the same hues, lifted for contrast. */
export const LIGHT: GraphTokens = {
  canvas: '#f5f5f5', nodeFill: '#ffffff', nodeBorder: '#8a8d90', text: '#151515', textOutline: '#f5f5f5',
  healthy: '#3e8635', degraded: '#f0ab00', failure: '#c9190b', idle: '#8a8d90', tcp: '#004080',
  hoverFill: '#e7f1fa', degradedFill: '#fdf2e5', failureFill: '#ffe6e6', selected: '#2b9af3',
  nsBoxFill: '#fafafa', nsBoxBorder: '#6a6e73', appBoxFill: '#ffffff', appBoxBorder: '#b8bbbe',
};
export const DARK: GraphTokens = {
  canvas: '#1b1d21', nodeFill: '#2b2e33', nodeBorder: '#8a8d90', text: '#e0e0e0', textOutline: '#1b1d21',
  healthy: '#5ba352', degraded: '#f4c145', failure: '#f0573e', idle: '#8a8d90', tcp: '#73bcf7',
  hoverFill: '#1f3346', degradedFill: '#4a3c12', failureFill: '#4d1f1a', selected: '#73bcf7',
  nsBoxFill: '#212427', nsBoxBorder: '#8a8d90', appBoxFill: '#2b2e33', appBoxBorder: '#6a6e73',
};

export function edgeColor(t: GraphTokens, health: Health, protocol: string): string {
  if (health === 'idle' || health === 'na') return t.idle;
  if (protocol === 'tcp') return t.tcp;
  return health === 'failure' ? t.failure : health === 'degraded' ? t.degraded : t.healthy;
}

// The cytoscape typings' stylesheet type is a loose union; a plain record keeps this file readable.
type Style = { selector: string; style: Record<string, unknown> };

export function graphStyle(t: GraphTokens): Style[] {
  return [
    {
      selector: 'node',
      style: {
        shape: 'data(shape)', width: 30, height: 30, 'background-color': t.nodeFill, 'border-width': 1,
        'border-color': t.nodeBorder, 'border-style': 'solid', 'overlay-opacity': 0,
        // Invisible: the HTML overlay draws the label; this one only reserves its room in layout and boxes.
        label: 'data(label)', 'text-opacity': 0, 'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-y': 5,
        'font-size': 11, 'line-height': 1.25, 'text-wrap': 'wrap', 'font-family': 'Verdana, "DejaVu Sans", sans-serif',
        'text-background-padding': '4px', 'text-background-opacity': 0,
        'transition-property': 'opacity', 'transition-duration': 150,
      },
    },
    { selector: 'node[kind = "service"]', style: { width: 32, height: 28 } },
    // Kiali keeps every node white and puts health on the outline; only the hovered node gets a pale fill.
    { selector: 'node[health = "degraded"]', style: { 'border-color': t.degraded, 'border-width': 2 } },
    { selector: 'node[health = "failure"]', style: { 'border-color': t.failure, 'border-width': 2 } },
    { selector: 'node.hovered', style: { 'background-color': t.hoverFill } },
    { selector: 'node.hovered[health = "degraded"]', style: { 'background-color': t.degradedFill } },
    { selector: 'node.hovered[health = "failure"]', style: { 'background-color': t.failureFill } },
    { selector: 'node.idle', style: { 'border-style': 'dotted', 'border-color': t.idle } },
    {
      selector: 'node.outside',
      style: { 'background-image': iconDataUri('topology', t.text), 'background-width': '55%', 'background-height': '55%', 'background-fit': 'none' },
    },
    {
      selector: 'node.inaccessible',
      style: { 'background-image': iconDataUri('key', t.text), 'background-width': '55%', 'background-height': '55%', 'background-fit': 'none' },
    },
    {
      selector: ':parent',
      style: {
        shape: 'round-rectangle', 'background-color': t.appBoxFill, 'background-opacity': 1, 'border-color': t.appBoxBorder,
        'border-width': 1, 'padding': '14px', 'background-image': 'none', 'corner-radius': 10,
      },
    },
    { selector: ':parent[box = "namespace"]', style: { 'background-color': t.nsBoxFill, 'border-color': t.nsBoxBorder, padding: '22px', 'border-style': 'solid' } },
    { selector: ':parent[box = "app"][health = "degraded"]', style: { 'border-color': t.degraded } },
    { selector: ':parent[box = "app"][health = "failure"]', style: { 'border-color': t.failure } },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier', width: 2, 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
        'target-arrow-shape': 'vee', 'arrow-scale': 1, label: 'data(label)', 'font-family': 'Verdana, "DejaVu Sans", sans-serif',
        'font-size': 8, 'text-wrap': 'wrap', color: t.text, 'text-outline-color': t.textOutline, 'text-outline-width': 2,
        'text-margin-y': 0, 'overlay-opacity': 0, 'transition-property': 'opacity', 'transition-duration': 150,
      },
    },
    { selector: 'edge[protocol = "tcp"]', style: { 'target-arrow-shape': 'triangle-cross' } },
    { selector: 'edge.mtls', style: { 'text-margin-y': 7 } },
    { selector: 'node:selected, node.focus', style: { 'border-width': 3, 'border-color': t.selected } },
    { selector: 'edge:selected, edge.focus', style: { width: 4, 'font-size': 10, 'z-index': 10 } },
    { selector: 'node.dim', style: { opacity: 0.5 } },
    { selector: 'edge.dim', style: { opacity: 0.25 } },
    { selector: 'node.hl', style: { 'border-color': t.selected, 'border-width': 2 } },
  ];
}
