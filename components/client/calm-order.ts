/**
 * Puts a live list's items in a new order by moving their nodes (not redrawing them), but never while the
 * pointer is over the list or the keyboard focus is in it: then it waits until they leave. The item at the
 * top of the screen stays where it was, so what the reader is reading does not move.
 */
export class CalmOrder {
  private pending = false;
  private readonly list: () => HTMLElement | null | undefined;

  /** `list`: the element whose hover and focus hold the order still (looked up afresh: it is redrawn). */
  constructor(list: () => HTMLElement | null | undefined) {
    this.list = list;
  }

  /** Moves `items` (in their new order) to the end of `container`, now or once the list is left alone. */
  apply(container: HTMLElement, items: () => HTMLElement[]): void {
    const list = this.list();
    if (!list) return;
    const busy = () => list.matches(':hover') || list.contains(document.activeElement);
    if (busy()) {
      if (this.pending) return;
      this.pending = true;
      const later = () => {
        if (busy()) return;
        list.removeEventListener('pointerleave', later);
        list.removeEventListener('focusout', soon);
        this.pending = false;
        this.apply(container, items);
      };
      const soon = () => setTimeout(later, 0);
      list.addEventListener('pointerleave', later);
      list.addEventListener('focusout', soon);
      return;
    }
    const shown = [...container.children] as HTMLElement[];
    const anchor = shown.find((c) => c.getBoundingClientRect().bottom > 0);
    const before = anchor?.getBoundingClientRect().top ?? 0;
    for (const el of items()) container.append(el);
    if (anchor && window.scrollY > 0) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  }
}
