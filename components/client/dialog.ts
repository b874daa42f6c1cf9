/**
 * In-page dialogs in place of the browser's confirm() and prompt(): a modal <dialog> that takes the focus
 * (to its field, else to its main button) and keeps it inside, closes on Esc as "cancel", submits on Enter,
 * and gives the focus back to what had it. Unlike the native ones they are styled like the page, announce
 * their title and text to screen readers, and do not freeze the page: the instructor's dashboard keeps
 * taking live updates (a hand going up elsewhere) while a reply is being written.
 * The styles travel with the module: the attendee's class bar opens these on chapter pages we do not style.
 */
import { addStyles, esc } from './instructor-api.ts';

export interface DialogText {
  title: string;
  /** Plain text under the title: what will happen. */
  message?: string;
  /** The main button, named for what it does ("Remove", "Send reply"). */
  confirm: string;
  cancel?: string;
  /** The main action destroys something: styled as such. */
  danger?: boolean;
  /**
   * Where the focus goes back to when the dialog closes, when not to the element that had it before (which
   * a live redraw may have replaced meanwhile).
   */
  returnFocus?: () => HTMLElement | null | undefined;
}

export interface DialogField {
  label: string;
  value?: string;
  placeholder?: string;
  maxLength?: number;
  type?: 'text' | 'number';
  min?: number;
  max?: number;
  required?: boolean;
}

const CSS = `
dialog.td-dialog { width: min(30rem, calc(100vw - 2rem)); margin: auto; padding: 1.1rem 1.25rem; border-radius: 0.6rem;
  border: 1px solid var(--sl-color-gray-5, #555); background: var(--sl-color-bg, #fff); color: var(--sl-color-text, #111);
  box-shadow: 0 12px 40px rgb(0 0 0 / 45%); font-size: 0.95rem; line-height: 1.45; }
dialog.td-dialog::backdrop { background: rgb(0 0 0 / 45%); }
dialog.td-dialog h2 { font-size: 1.1rem; margin: 0 0 0.5rem; color: var(--sl-color-white, inherit); }
dialog.td-dialog p { margin: 0 0 0.75rem; }
dialog.td-dialog label { display: flex; flex-direction: column; gap: 0.3rem; font-weight: 600; }
dialog.td-dialog input { font: inherit; font-weight: normal; padding: 0.4rem 0.6rem; border-radius: 0.35rem;
  border: 1px solid var(--sl-color-gray-4, #888); background: var(--sl-color-bg, #fff); color: inherit; }
dialog.td-dialog .td-buttons { display: flex; justify-content: flex-end; gap: 0.5rem; margin-top: 1rem; }
dialog.td-dialog button { font: inherit; padding: 0.35rem 0.9rem; border-radius: 0.35rem; cursor: pointer;
  border: 1px solid var(--sl-color-gray-4, #888); background: none; color: inherit; }
dialog.td-dialog .td-main { background: var(--sl-color-accent, #3b5bdb); border-color: var(--sl-color-accent, #3b5bdb); color: var(--sl-color-black, #fff); }
dialog.td-dialog .td-danger { background: #c9302c; border-color: #c9302c; color: #fff; }
dialog.td-dialog :focus-visible { outline: 2px solid var(--sl-color-accent-high, #89a); outline-offset: 2px; }
`;

let seq = 0;
/** The dialog on screen: a second one replaces it (as cancelled), never stacks on it. */
let current: HTMLDialogElement | undefined;

function fieldHtml(id: string, f: DialogField): string {
  const attrs = [
    `type="${f.type ?? 'text'}"`, `name="value"`, `id="${id}-field"`, `value="${esc(f.value ?? '')}"`, 'autocomplete="off"',
    f.placeholder ? `placeholder="${esc(f.placeholder)}"` : '', f.maxLength ? `maxlength="${f.maxLength}"` : '',
    f.min !== undefined ? `min="${f.min}"` : '', f.max !== undefined ? `max="${f.max}"` : '', f.required ? 'required' : '',
  ].filter(Boolean).join(' ');
  return `<label for="${id}-field">${esc(f.label)}<input ${attrs}></label>`;
}

/** Shows the dialog; resolves with the field's value (or '' without a field) when submitted, null when cancelled. */
function show(t: DialogText, field?: DialogField): Promise<string | null> {
  addStyles('td-dialog-css', CSS);
  current?.close();
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const id = `td-${++seq}`;
  const dialog = document.createElement('dialog');
  dialog.className = 'td-dialog';
  dialog.dataset.testid = 'dialog';
  dialog.setAttribute('aria-labelledby', `${id}-title`);
  if (t.message) dialog.setAttribute('aria-describedby', `${id}-text`);
  dialog.innerHTML = `<form method="dialog">
    <h2 id="${id}-title">${esc(t.title)}</h2>
    ${t.message ? `<p id="${id}-text">${esc(t.message)}</p>` : ''}
    ${field ? fieldHtml(id, field) : ''}
    <div class="td-buttons"><button type="button" data-cancel>${esc(t.cancel ?? 'Cancel')}</button>
      <button type="submit" class="${t.danger ? 'td-danger' : 'td-main'}">${esc(t.confirm)}</button></div>
  </form>`;
  document.body.append(dialog);
  current = dialog;
  const input = dialog.querySelector('input');
  let answer: string | null = null;
  return new Promise((resolve) => {
    // Esc (the browser's "cancel"), the Cancel button and a replacing dialog all end here with no answer.
    dialog.addEventListener('close', () => {
      if (current === dialog) current = undefined;
      dialog.remove();
      const back = t.returnFocus?.() ?? (opener?.isConnected ? opener : null);
      back?.focus({ preventScroll: true });
      resolve(answer);
    });
    dialog.querySelector('[data-cancel]')!.addEventListener('click', () => dialog.close());
    // Enter in the field, or the main button: the form's submit.
    dialog.querySelector('form')!.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input && !input.reportValidity()) return;
      answer = input ? input.value : '';
      dialog.close();
    });
    dialog.showModal();
    if (input) {
      input.focus();
      input.select();
    } else dialog.querySelector<HTMLElement>('button[type="submit"]')!.focus();
  });
}

/** Asks to go ahead with something; true when confirmed. */
export async function confirmDialog(t: DialogText): Promise<boolean> {
  return (await show(t)) !== null;
}

/** Asks for one value; null when cancelled. */
export function askText(t: DialogText, field: DialogField): Promise<string | null> {
  return show(t, field);
}
