/**
 * <kiali-list>: Kiali's Applications, Workloads or Services list for some namespaces: health icon,
 * name and namespace badges, labels, and Details ("Missing Sidecar", Istio objects). Live from the
 * session's Kiali (`/api/clusters/{kind}?namespaces=…&health=true`), else a recorded snapshot.
 */
import { listRows, type ListJson, type ListKind, type ListRow } from './kiali-list-model.ts';
import { escapeHtml as h } from './mesh-format.ts';
import { ICONS } from './mesh-icons.ts';
import { kialiGet, liveAvailable, loadFixture, onLiveChange } from './kiali-source.ts';

const TITLES: Record<ListKind, string> = { workloads: 'Workloads', apps: 'Applications', services: 'Services' };
const LETTER: Record<ListKind, string> = { workloads: 'W', apps: 'A', services: 'S' };
const HEALTH_ICON: Record<string, string> = { healthy: '✔', degraded: '⚠', failure: '✖', na: '?', idle: '?' };

export class KialiListElement extends HTMLElement {
  private kind: ListKind = 'workloads';
  private unsub: (() => void) | undefined;

  disconnectedCallback(): void {
    this.unsub?.();
  }

  connectedCallback(): void {
    if (this.dataset.state) return;
    this.kind = (['workloads', 'apps', 'services'].includes(this.dataset.list ?? '') ? this.dataset.list : 'workloads') as ListKind;
    this.dataset.state = 'loading';
    this.innerHTML = `<div class="kt-toolbar"><strong>${TITLES[this.kind]}</strong><span class="mg-spacer"></span><span class="mg-mode" data-role="mode"></span><button type="button" class="mg-refresh" data-act="refresh" aria-label="Refresh now">⟳</button></div><div data-role="body" class="kl-body"><div class="km-status">Loading…</div></div>`;
    this.addEventListener('click', (ev) => { if ((ev.target as Element).closest('[data-act="refresh"]')) void this.refresh(); });
    const io = new IntersectionObserver((es) => {
      if (!es.some((e) => e.isIntersecting)) return;
      io.disconnect();
      this.unsub = onLiveChange(() => void this.refresh());
      void this.refresh();
    }, { rootMargin: '200px' });
    io.observe(this);
  }

  private namespaces(): string[] {
    return (this.dataset.namespaces ?? 'travel-agency,travel-portal,travel-control').split(',').map((s) => s.trim()).filter(Boolean);
  }

  async refresh(): Promise<void> {
    const live = await liveAvailable();
    const snapshot = this.dataset.snapshot ?? (document.querySelector('mesh-graph[data-snapshot]') as HTMLElement | null)?.dataset.snapshot;
    const mode = this.querySelector('[data-role="mode"]') as HTMLElement;
    mode.textContent = live ? 'Live' : snapshot ? 'Snapshot' : '';
    mode.className = `mg-mode mg-mode-${live ? 'live' : 'snapshot'}`;
    const body = this.querySelector('[data-role="body"]') as HTMLElement;
    try {
      const json = live
        ? await kialiGet<ListJson>(`/api/clusters/${this.kind}`, { namespaces: this.namespaces().join(','), health: 'true', istioResources: 'true', rateInterval: '60s' })
        : snapshot ? await loadFixture<ListJson>(`list-${snapshot}-${this.kind}`) : undefined;
      if (!json) { body.innerHTML = '<div class="km-status">Start the lab server to see the live list.</div>'; return; }
      const ns = this.namespaces();
      body.innerHTML = tableHtml(listRows(json, this.kind).filter((r) => ns.includes(r.namespace)), this.kind);
      this.dataset.state = 'ready';
    } catch (err) {
      body.innerHTML = `<div class="km-status">Could not load the list: ${h(err instanceof Error ? err.message : String(err))}</div>`;
    }
  }
}

function tableHtml(rows: ListRow[], kind: ListKind): string {
  if (!rows.length) return '<div class="km-status">No items in the selected namespaces.</div>';
  const head = `<tr><th scope="col">Health</th><th scope="col">Name</th><th scope="col">Namespace</th>${kind === 'workloads' ? '<th scope="col">Type</th>' : ''}<th scope="col">Labels</th><th scope="col">Details</th></tr>`;
  const body = rows.map((r) => `<tr>
<td><span class="kl-health kl-${r.health}" title="${h(r.healthText)}" role="img" aria-label="${h(r.healthText)}">${HEALTH_ICON[r.health]}</span></td>
<td><span class="mg-chip">${LETTER[kind]}</span> ${h(r.name)}</td>
<td><span class="mg-chip mg-chip-NS">NS</span> ${h(r.namespace)}</td>
${kind === 'workloads' ? `<td>${h(r.type)}</td>` : ''}
<td>${r.labels.map(([k, v]) => `<span class="kt-tag">${h(k)}: ${h(v)}</span>`).join(' ')}</td>
<td>${r.missingSidecar ? `<span class="kl-missing">${ICONS.missingSidecar} Missing Sidecar</span>` : ''}${r.refs.map((x) => ` <span class="kl-ref">${h(x)}</span>`).join('')}</td></tr>`).join('');
  return `<table class="kl-table"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

if (!customElements.get('kiali-list')) customElements.define('kiali-list', KialiListElement);
