// Small DOM helpers shared by the panels. Text always goes in through textContent and
// attributes, never as markup, so names from the user or the engine stay text.

/** An element with a class and optional text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A button with a visible label, an optional accessible name and a click handler. */
export function button(label, className, onClick, ariaLabel) {
  const node = el('button', className, label);
  node.type = 'button';
  if (ariaLabel) {
    node.setAttribute('aria-label', ariaLabel);
    node.title = ariaLabel;
  }
  if (onClick) node.addEventListener('click', onClick);
  return node;
}

/** A "?" button that opens the help drawer at one concept. */
export function conceptLink(concept, text = '?') {
  const node = button(text, 'concept-link', null, 'Explain this concept');
  node.dataset.concept = concept;
  return node;
}

/** A byte count as docker prints it (0B, 1.2kB, 3.4MB). */
export function formatSize(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '';
  if (bytes < 1000) return `${bytes}B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}

/**
 * A reference as `docker images` prints it: Docker Hub's `docker.io/library/` (official
 * images) and `docker.io/` (user images) are left out, other registries stay.
 */
export function familiarName(reference) {
  return reference.replace(/^docker\.io\/(library\/)?/, '');
}

/** A digest shortened to the 12 hex characters docker shows. */
export function shortDigest(digest) {
  if (typeof digest !== 'string') return '';
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
