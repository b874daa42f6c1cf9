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
  } else if (button.hasAttribute('data-run-exec')) runInTerminal(cmd, block.dataset.terminal);
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
