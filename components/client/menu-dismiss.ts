/**
 * The toolbars' drop-down menus (<details class="mg-display">: Display, Metrics Settings) close as menus
 * do: on Escape (focus back on the menu's button) and on a click anywhere outside them. A <details> on its
 * own stays open until its summary is clicked again.
 */
let installed = false;

export function dismissMenusLikeMenus(): void {
  if (installed || typeof document === 'undefined') return;
  installed = true;
  document.addEventListener('click', (e) => {
    for (const d of document.querySelectorAll<HTMLDetailsElement>('details.mg-display[open]')) {
      if (!d.contains(e.target as Node)) d.open = false;
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const d = (e.target as Element | null)?.closest?.<HTMLDetailsElement>('details.mg-display[open]');
    if (!d) return;
    d.open = false;
    d.querySelector('summary')?.focus();
    e.stopPropagation(); // the graph's own Escape (clear the selection) is not meant
  }, true);
}
