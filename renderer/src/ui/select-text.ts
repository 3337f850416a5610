// Selecting an element's text for the person, where the clipboard refused a copy: Ctrl+C then works.

/** Selects the element's text, so a refused copy leaves it ready for the person's own. */
export function selectText(el: HTMLElement): void {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(el);
  selection.removeAllRanges();
  selection.addRange(range);
}
