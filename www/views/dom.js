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

/** A digest shortened to the 12 hex characters docker shows. */
export function shortDigest(digest) {
  if (typeof digest !== 'string') return '';
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/**
 * Any plain value the engine returns as readable DOM: arrays of objects as a table,
 * objects as a definition list, bytes as their length. Used by panels whose data
 * shape the engine defines, so they show exactly what the engine answered.
 */
export function renderData(value) {
  if (value === null || value === undefined) return el('p', 'muted', 'nothing');
  if (value instanceof Uint8Array) return el('p', null, `${value.length} bytes`);
  if (Array.isArray(value)) {
    if (value.length === 0) return el('p', 'muted', 'none');
    if (value.every((row) => row && typeof row === 'object' && !Array.isArray(row) && !(row instanceof Uint8Array))) {
      const keys = [...new Set(value.flatMap((row) => Object.keys(row)))];
      const table = el('table', 'data-table');
      const head = el('tr');
      for (const key of keys) head.append(el('th', null, key));
      table.append(el('thead'));
      table.tHead.append(head);
      const body = el('tbody');
      for (const row of value) {
        const tr = el('tr');
        for (const key of keys) {
          const cell = el('td');
          const v = row[key];
          if (v !== null && typeof v === 'object') cell.append(renderData(v));
          else cell.textContent = v === undefined || v === null ? '' : String(v);
          tr.append(cell);
        }
        body.append(tr);
      }
      table.append(body);
      return table;
    }
    const list = el('ul', 'data-list');
    for (const item of value) {
      const li = el('li');
      li.append(typeof item === 'object' && item !== null ? renderData(item) : String(item));
      list.append(li);
    }
    return list;
  }
  if (typeof value === 'object') {
    const list = el('dl', 'data-dl');
    for (const [key, v] of Object.entries(value)) {
      list.append(el('dt', null, key));
      const dd = el('dd');
      dd.append(typeof v === 'object' && v !== null ? renderData(v) : String(v));
      list.append(dd);
    }
    return list;
  }
  return el('pre', 'data-text', String(value));
}
