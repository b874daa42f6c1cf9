/**
 * Behaviour of <Run> blocks: copy buttons everywhere, "Run ▶" buttons only when a sandbox server answers.
 * Running dispatches the travels:run event that the page's terminal listens to (contract with SP's Terminal).
 */
import { serverAvailable } from './session.ts';

let initialised = false;

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    flash(button, 'Copied');
  } catch {
    flash(button, 'Copy failed');
  }
}

function flash(button: HTMLButtonElement, label: string): void {
  const old = button.textContent;
  button.textContent = label;
  setTimeout(() => (button.textContent = old), 1200);
}

export function runInTerminal(command: string, terminal?: string): void {
  window.dispatchEvent(new CustomEvent('travels:run', { detail: { terminal: terminal || undefined, command } }));
}

let backButton: HTMLButtonElement | undefined;

/**
 * The command runs in a terminal that may be screens away from the button (chapters keep one terminal at
 * the top): bring it into view so the output is seen, and offer the way back to the step.
 */
function showTerminal(from: HTMLButtonElement, name: string | undefined): void {
  const term = document.querySelector<HTMLElement>(name ? `travels-terminal[name="${CSS.escape(name)}"]` : 'travels-terminal');
  if (!term) return;
  if (term.hasAttribute('data-docked')) return flash(from, 'Sent'); // always in view at the window's bottom
  const r = term.getBoundingClientRect();
  if (r.top >= 0 && r.bottom <= window.innerHeight) return flash(from, 'Sent');
  const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  term.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'center' });
  backButton?.remove();
  const back = document.createElement('button');
  back.type = 'button';
  back.className = 'run-back';
  back.textContent = 'Back to the step ↓';
  back.style.cssText = 'position:fixed;right:1rem;bottom:1rem;z-index:50;padding:.5rem .9rem;border-radius:999px;border:0;'
    + 'background:var(--sl-color-text-accent,#0b61a4);color:var(--sl-color-black,#fff);font:inherit;cursor:pointer;box-shadow:0 2px 8px rgb(0 0 0 / .25)';
  const done = () => {
    back.remove();
    if (backButton === back) backButton = undefined;
  };
  back.addEventListener('click', () => {
    from.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'center' });
    from.focus({ preventScroll: true });
    done();
  });
  setTimeout(done, 30_000);
  document.body.append(back);
  backButton = back;
}

function onClick(ev: MouseEvent): void {
  const button = (ev.target as HTMLElement).closest('button');
  if (!button) return;
  const block = button.closest<HTMLElement>('[data-run-block]');
  if (!block) return;
  const item = button.closest('.run-item');
  const cmd = item?.querySelector('[data-cmd]')?.textContent ?? '';
  if (button.hasAttribute('data-run-copy')) void copy(cmd, button);
  else if (button.hasAttribute('data-run-copy-all')) {
    const all = [...block.querySelectorAll('[data-cmd]')].map((n) => n.textContent ?? '').join('\n');
    void copy(all, button);
  } else if (button.hasAttribute('data-run-exec')) {
    runInTerminal(cmd, block.dataset.terminal);
    showTerminal(button, block.dataset.terminal);
  }
}

export function initRunBlocks(): void {
  if (initialised) return;
  initialised = true;
  document.addEventListener('click', onClick);
  void serverAvailable().then((ok) => {
    if (!ok) return;
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-run-exec]')) b.hidden = false;
  });
}
