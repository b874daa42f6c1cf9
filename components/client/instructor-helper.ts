/**
 * The dashboard's helper panel for one attendee: their terminal (read-only, live), their cluster's
 * resources in the Travels namespaces, or their traffic graph as the mesh views draw it as a table.
 */
import type { AttendeeResources } from '../../protocol/instructor.ts';
import { call, esc } from './instructor-api.ts';
import { resourcesHtml } from './instructor-render.ts';
import type { Peek } from './instructor-peek.ts';

const TITLES = { peek: 'terminal (read-only)', cluster: 'cluster', graph: 'traffic graph' } as const;
type Kind = keyof typeof TITLES;
const REFRESH_MS = 10_000;

export class HelperPanel {
  private readonly el: HTMLElement;
  private peek: Peek | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every open/close, so a refresh that lands late does not draw into another view. */
  private generation = 0;

  constructor(el: HTMLElement) {
    this.el = el;
  }

  owns(el: HTMLElement): boolean {
    return this.el === el;
  }

  close(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.peek?.close();
    this.peek = undefined;
    this.el.hidden = true;
  }

  /** `base` is the attendee's API path (/api/workshops/:id/attendees/:aid). */
  async open(base: string, name: string, kind: string | undefined): Promise<void> {
    if (!kind || !(kind in TITLES)) return;
    this.close();
    const body = this.el.querySelector<HTMLElement>('.im-helper-body')!;
    const state = this.el.querySelector<HTMLElement>('[data-role="helper-state"]')!;
    this.el.hidden = false;
    this.el.dataset.kind = kind;
    this.el.querySelector('h3')!.textContent = `${name} — ${TITLES[kind as Kind]}`;
    state.textContent = '';
    body.innerHTML = '<p class="im-muted">Loading…</p>';
    if (kind === 'peek') {
      body.innerHTML = '<div class="im-term" data-testid="peek-terminal"></div>';
      const { openPeek } = await import('./instructor-peek.ts');
      this.peek = openPeek(body.firstElementChild as HTMLElement, `${base}/terminal`, (s) => {
        state.textContent = s === 'closed' ? 'no open terminal' : s;
      });
      return;
    }
    // Cluster and graph refresh while the panel shows them, as the attendee keeps working.
    const shown = ++this.generation;
    const load = async (): Promise<void> => {
      const r = await call<unknown>('GET', `${base}/${kind === 'cluster' ? 'resources' : 'graph'}`);
      if (shown !== this.generation || this.el.hidden) return;
      if (!r.ok) {
        body.innerHTML = `<p class="im-error">${esc(r.error.message)}</p>`;
        return;
      }
      if (kind === 'cluster') body.innerHTML = resourcesHtml(r.value as AttendeeResources);
      else {
        const { graphTableHtml } = await import('./instructor-graph.ts');
        body.innerHTML = graphTableHtml(r.value);
      }
      state.textContent = `updated ${new Date().toLocaleTimeString()}`;
      this.timer = setTimeout(() => void load(), REFRESH_MS);
    };
    await load();
  }
}
