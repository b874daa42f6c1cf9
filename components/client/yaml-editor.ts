/**
 * Behaviour of <YamlEditor> blocks. Always: Copy. With a sandbox server: the static YAML becomes a Monaco
 * editor when scrolled into view (lazy import), validated against schemas served by the learner's cluster;
 * Apply and Diff run kubectl on the server and show its exact output; Reset restores the step's YAML;
 * the template menu inserts what Kiali's wizards generate.
 */
import { api, ensureSession, resumeSession, serverAvailable, ApiError } from './session.ts';
import { LAB } from './progress.ts';
import { wizardTemplate, travelsTarget, type Wizard } from '../../labs/wizards.ts';
import type { YamlEditorHandle } from './monaco.ts';

interface KubectlAnswer { ok: boolean; command: string; stdout: string; stderr: string; exitCode: number }

/**
 * apiVersion/kind pairs of a multi-document YAML text. A line scan rather than a YAML parser: it keeps the
 * page light (the parser would load before any editor does) and top-level keys are all it needs.
 */
export function kindsIn(text: string): { apiVersion: string; kind: string }[] {
  const seen = new Map<string, { apiVersion: string; kind: string }>();
  for (const doc of text.split(/^---[ \t]*$/m)) {
    const apiVersion = /^apiVersion:[ \t]*["']?([\w./-]+)["']?[ \t]*$/m.exec(doc)?.[1];
    const kind = /^kind:[ \t]*["']?(\w+)["']?[ \t]*$/m.exec(doc)?.[1];
    if (apiVersion && kind) seen.set(`${apiVersion}|${kind}`, { apiVersion, kind });
  }
  return [...seen.values()];
}

const schemaCache = new Map<string, Promise<Record<string, unknown> | undefined>>();

function schemaFor(apiVersion: string, kind: string): Promise<Record<string, unknown> | undefined> {
  const key = `${apiVersion}|${kind}`;
  let p = schemaCache.get(key);
  if (!p) {
    p = api<Record<string, unknown>>(`/api/labs/schema?apiVersion=${encodeURIComponent(apiVersion)}&kind=${encodeURIComponent(kind)}`)
      .catch(() => undefined);
    schemaCache.set(key, p);
  }
  return p;
}

/** One schema for a multi-kind file: each document is validated by the schema of its own kind. */
async function combinedSchema(text: string): Promise<Record<string, unknown> | undefined> {
  const parts = (await Promise.all(kindsIn(text).map(async (k) => ({ k, s: await schemaFor(k.apiVersion, k.kind) }))))
    .filter((x): x is { k: { apiVersion: string; kind: string }; s: Record<string, unknown> } => Boolean(x.s));
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0].s;
  return {
    type: 'object',
    allOf: parts.map(({ k, s }) => ({
      if: { properties: { kind: { const: k.kind }, apiVersion: { const: k.apiVersion } }, required: ['kind', 'apiVersion'] },
      then: s,
    })),
  };
}

class YamlBlock {
  private readonly el: HTMLElement;
  private readonly start: string;
  private editor: YamlEditorHandle | undefined;
  private schemaTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(el: HTMLElement) {
    this.el = el;
    this.start = el.querySelector<HTMLTextAreaElement>('[data-yaml-start]')?.value ?? '';
  }

  value(): string {
    return this.editor?.getValue() ?? this.start;
  }

  private output(text: string, ok: boolean): void {
    const out = this.el.querySelector<HTMLElement>('[data-yaml-output]')!;
    out.hidden = false;
    out.dataset.ok = ok ? '1' : '0';
    out.textContent = text;
    // Under a long editor the answer lands below the fold: bring it into view, or Apply seems to do nothing.
    out.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  bindCopy(): void {
    this.el.querySelector('[data-yaml-copy]')?.addEventListener('click', (ev) => {
      const b = ev.currentTarget as HTMLButtonElement;
      void navigator.clipboard.writeText(this.value()).then(() => {
        b.textContent = 'Copied';
        setTimeout(() => (b.textContent = 'Copy'), 1200);
      }, () => undefined);
    });
  }

  bindLive(): void {
    this.el.querySelector<HTMLElement>('[data-yaml-live]')!.hidden = false;
    this.el.querySelector('[data-yaml-apply]')?.addEventListener('click', () => void this.kubectl('apply'));
    this.el.querySelector('[data-yaml-diff]')?.addEventListener('click', () => void this.kubectl('diff'));
    this.el.querySelector('[data-yaml-reset]')?.addEventListener('click', () => this.setValue(this.start));
    document.addEventListener('travels:solved', (ev) => {
      const d = (ev as CustomEvent<{ chapter?: string; step?: string }>).detail;
      if (!d.step || d.chapter !== this.el.dataset.chapter || d.step !== this.el.dataset.step) return;
      // Solve applied the step's solution: show that YAML here, so the editor matches the cluster.
      const solution = this.el.querySelector('.yaml-solution code')?.textContent ?? this.start;
      this.setValue(solution);
      this.output('Solve applied this YAML to your cluster (the editor shows it now).', true);
    });
    this.el.querySelector<HTMLSelectElement>('[data-yaml-template]')?.addEventListener('change', (ev) => {
      const sel = ev.currentTarget as HTMLSelectElement;
      if (!sel.value) return;
      this.setValue(wizardTemplate(sel.value as Wizard, travelsTarget(this.el.dataset.service ?? 'travel-agency/travels')));
      sel.value = '';
    });
    new IntersectionObserver((es, io) => {
      if (!es.some((e) => e.isIntersecting)) return;
      io.disconnect();
      this.mountEditor().catch(() =>
        // The YAML stays readable as a code block; the browser keeps a failed code load until a reload.
        this.output('The editor could not load (the network dropped). Reload the page to edit and apply this YAML.', false),
      );
    }, { rootMargin: '300px' }).observe(this.el);
  }

  private setValue(v: string): void {
    if (this.editor) this.editor.setValue(v);
    else this.el.querySelector('[data-yaml-static] code')!.textContent = v;
    this.scheduleSchema();
  }

  private async mountEditor(): Promise<void> {
    const host = this.el.querySelector<HTMLElement>('[data-yaml-host]')!;
    const { mountYamlEditor } = await import('./monaco.ts');
    const saved = loadDraft(this.start);
    const current = saved ?? this.el.querySelector('[data-yaml-static] code')?.textContent ?? this.start;
    host.hidden = false;
    this.el.querySelector<HTMLElement>('[data-yaml-static]')!.hidden = true;
    this.editor = mountYamlEditor(host, current, `YAML editor, step ${this.el.dataset.step ?? ''} of ${this.el.dataset.chapter ?? 'this chapter'}`);
    if (saved !== undefined) this.output('Your earlier edits are back. Reset restores this step\'s YAML.', true);
    // Edits survive a reload, as the terminal's shell does (kept in this browser, per page and editor).
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const saveNow = () => {
      if (saveTimer === undefined) return;
      clearTimeout(saveTimer);
      saveTimer = undefined;
      saveDraft(this.start, this.value());
    };
    this.editor.onChange(() => {
      this.scheduleSchema();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveNow, 300);
    });
    // A reload or a closed tab within the 300 ms does not lose the last keystrokes.
    window.addEventListener('pagehide', saveNow);
    this.el.dataset.editor = 'ready';
    // Schemas need a session (they come from the learner's cluster); load them once one exists.
    if (await resumeSession()) this.scheduleSchema(0);
  }

  private scheduleSchema(delay = 800): void {
    clearTimeout(this.schemaTimer);
    this.schemaTimer = setTimeout(() => {
      if (!this.editor) return;
      void combinedSchema(this.editor.getValue()).then((s) => this.editor?.setSchema(s));
    }, delay);
  }

  private async kubectl(verb: 'apply' | 'diff'): Promise<void> {
    const buttons = [...this.el.querySelectorAll<HTMLButtonElement>('button')];
    // Disabling the focused button drops focus to <body>; it comes back to that button afterwards.
    const pressed = buttons.find((b) => b === document.activeElement);
    buttons.forEach((b) => (b.disabled = true));
    this.output(`$ kubectl ${verb} -f -\n…`, true);
    try {
      await ensureSession();
      this.scheduleSchema(0);
      const a = await api<KubectlAnswer>(`/api/labs/${LAB}/${verb}`, { method: 'POST', body: JSON.stringify({ yaml: this.value() }) });
      const text = `$ ${a.command}\n${a.stdout}${a.stderr}`.trimEnd();
      const empty = verb === 'diff' && a.exitCode === 0 && !a.stdout ? '\n(no differences: the cluster already has this)' : '';
      // Our note, after kubectl's untouched output: the usual cause of a missing lab namespace (a typo'd
      // one is the learner's to fix, and kubectl's message already names it).
      const note = /namespaces? "travel-(agency|portal|control)" not found/.test(a.stderr)
        ? '\n\n— Your cluster is not at this chapter\'s starting point yet: use "Start here" at the top of the page.'
        : '';
      this.output(text + empty + note, a.ok);
      this.el.dispatchEvent(new CustomEvent('travels:applied', { bubbles: true, detail: { verb, ok: a.ok } }));
    } catch (err) {
      this.output(err instanceof ApiError ? `${err.message}${err.hint ? `\n${err.hint}` : ''}` : (verb === 'apply'
        ? 'No answer from the server, so this may or may not have been applied: check your connection, then press Diff to see what the cluster has.'
        : 'No answer from the server: check your connection and try again.'), false);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
      if (pressed && (document.activeElement === document.body || document.activeElement === null)) pressed.focus();
    }
  }
}

/** Where an editor's draft is kept: this page, and the YAML the editor started with (its identity). */
function draftKey(start: string): string {
  let h = 0;
  for (let i = 0; i < start.length; i++) h = (Math.imul(h, 31) + start.charCodeAt(i)) | 0;
  return `travels:yaml-draft:${location.pathname}:${(h >>> 0).toString(36)}`;
}

function loadDraft(start: string): string | undefined {
  try {
    return localStorage.getItem(draftKey(start)) ?? undefined;
  } catch {
    return undefined; // storage disabled: edits last as long as the page
  }
}

function saveDraft(start: string, value: string): void {
  try {
    if (value === start) localStorage.removeItem(draftKey(start));
    else localStorage.setItem(draftKey(start), value);
  } catch {
    // Storage full or disabled: the draft is only lost on reload.
  }
}

let initialised = false;

export function initYamlBlocks(): void {
  if (initialised) return;
  initialised = true;
  const blocks = [...document.querySelectorAll<HTMLElement>('[data-yaml-block]')].map((el) => new YamlBlock(el));
  blocks.forEach((b) => b.bindCopy());
  void serverAvailable().then((ok) => {
    if (ok) blocks.forEach((b) => b.bindLive());
  });
}
