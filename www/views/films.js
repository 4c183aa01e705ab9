// The layer stack drawn as stacked translucent films, base image at the bottom, the
// selected step's own layer emphasised, config-only steps as thin markers between
// them, and a running container's writable layer on top. Hovering or focusing a film
// highlights its files in the file browser (through `layerBus`); activating one lists
// its A/M/D changes. Below the stack: wasted space and the efficiency score, as dive
// shows them.

import { el, formatSize, shortDigest, conceptLink } from './dom.js';
import { layerHue } from './bytes.js';

const buses = new WeakMap();

/**
 * The event bus the films and the file browser of one page (or one <layer-lab>)
 * share: 'highlight' events carry `detail.layer`, a layer index or null.
 */
export function layerBus(app) {
  if (!buses.has(app)) buses.set(app, new EventTarget());
  return buses.get(app);
}

/** Tells the file browser to highlight one layer's files (null: none). */
export function highlightLayer(app, layer) {
  layerBus(app).dispatchEvent(new CustomEvent('highlight', { detail: { layer } }));
}

/** A small coloured "L3" chip naming a layer, coloured as its film. */
export function layerChip(layer, { label = `L${layer}`, className = '' } = {}) {
  const chip = el('span', `layer-chip ${className}`.trim(), label);
  chip.style.setProperty('--hue', String(layerHue(layer)));
  return chip;
}

/** The step the panels show: the selected one, else the last. */
export function currentStep(app) {
  const build = app.build();
  return app.step() ?? (build?.steps?.length ?? 0) - 1;
}

/** The last container event's film ({ id, layer }), shared by every films view. */
let containerFilm = null;
const containerListeners = new Set();
document.addEventListener('layerlab:container', (event) => {
  const detail = event.detail;
  containerFilm = detail && detail.layer ? { id: detail.id, layer: detail.layer } : null;
  for (const listener of containerListeners) listener();
});

/**
 * The stack, oldest first: films from `layers` interleaved with the empty-layer
 * entries of `history` (newest first, as docker history prints it).
 */
export function stackEntries(films, history) {
  const entries = [];
  let next = 0;
  for (const row of [...(history || [])].reverse()) {
    if (row.emptyLayer) entries.push({ marker: true, createdBy: row.createdBy });
    else if (next < films.length) entries.push({ film: films[next++] });
  }
  while (next < films.length) entries.push({ film: films[next++] });
  return entries;
}

function filmNode(film, { selectedStep, maxSize, app, onOpen, writable = null }) {
  const item = el('li', 'film-item');
  const node = el('button', 'film');
  node.type = 'button';
  node.style.setProperty('--hue', String(writable ? 0 : layerHue(film.index)));
  node.dataset.layer = writable ? 'container' : String(film.index);
  if (writable) node.classList.add('writable');
  if (!writable && film.step === selectedStep) {
    node.classList.add('own');
    node.setAttribute('aria-current', 'step');
  }
  if (!writable && film.step === null) node.classList.add('base');
  const head = el('span', 'film-head');
  head.append(
    writable ? el('span', 'layer-chip writable-chip', 'RW') : layerChip(film.index),
    el('code', 'film-created', film.createdBy || '(no history)'),
  );
  const meta = el('span', 'film-meta');
  const digest = el('code', 'film-digest', shortDigest(film.diffId));
  digest.title = film.diffId || '';
  const origin = writable
    ? `container ${writable}, writable`
    : film.step === null ? 'base image' : `step #${film.step + 1}`;
  meta.append(el('span', 'film-size', formatSize(film.size)), digest, el('span', 'film-origin', origin));
  const bar = el('span', 'film-bar');
  bar.style.setProperty('--share', String(maxSize > 0 ? Math.max(0.02, film.size / maxSize) : 0));
  node.append(head, meta, bar);
  node.title = `${film.createdBy || ''}\n${film.diffId || ''}`.trim();
  const what = writable ? `Writable layer of container ${writable}` : `Layer ${film.index}`;
  node.setAttribute('aria-label', `${what}: ${formatSize(film.size)}, ${origin}, created by ${film.createdBy || 'unknown'}`);
  if (!writable) {
    const on = () => highlightLayer(app, film.index);
    const off = () => highlightLayer(app, null);
    node.addEventListener('mouseenter', on);
    node.addEventListener('focus', on);
    node.addEventListener('mouseleave', off);
    node.addEventListener('blur', off);
    node.addEventListener('click', () => onOpen(film));
  }
  item.append(node);
  return item;
}

function markerNode(entry) {
  const item = el('li', 'film-marker');
  item.append(el('span', 'film-marker-line'), el('code', 'film-marker-text', entry.createdBy));
  item.title = `${entry.createdBy}\nEmpty layer: this step changed the image's config only.`;
  item.setAttribute('aria-label', `Empty layer (config only): ${entry.createdBy}`);
  return item;
}

const CHANGE_NAMES = { A: 'added', C: 'modified', D: 'deleted' };
const CHANGE_LIMIT = 400;

function changeList(rows) {
  const list = el('ul', 'change-list');
  for (const row of rows.slice(0, CHANGE_LIMIT)) {
    // docker diff prints C for a changed path; dive and this page say M.
    const letter = row.kind === 'C' ? 'M' : row.kind;
    const item = el('li', `change change-${letter}`);
    const badge = el('span', 'change-letter', letter);
    badge.title = CHANGE_NAMES[row.kind] || row.kind;
    item.append(badge, el('code', 'change-path', `/${row.path}`));
    list.append(item);
  }
  return list;
}

function wasteSection(waste) {
  const section = el('section', 'waste');
  section.append(el('h3', null, 'Wasted space'));
  const score = el('dl', 'waste-score');
  const efficiency = `${(waste.efficiency * 100).toFixed(1)} %`;
  score.append(
    el('dt', null, 'Image efficiency score'), el('dd', 'waste-efficiency', efficiency),
    el('dt', null, 'Potential wasted space'), el('dd', 'waste-bytes', formatSize(waste.wastedBytes)),
    el('dt', null, 'Bytes in all layers'), el('dd', null, formatSize(waste.totalBytes)),
  );
  section.append(score);
  if (waste.files.length === 0) {
    section.append(el('p', 'muted', 'No file is stored twice or deleted after it was written.'));
    return section;
  }
  const table = el('table', 'data-table waste-table');
  const head = el('tr');
  for (const name of ['Count', 'Total space', 'Path']) head.append(el('th', null, name));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  for (const file of waste.files.slice(0, 50)) {
    const row = el('tr');
    row.append(el('td', null, String(file.copies)), el('td', null, formatSize(file.totalBytes)), el('td', null, `/${file.path}`));
    body.append(row);
  }
  table.append(body);
  section.append(table);
  if (waste.files.length > 50) section.append(el('p', 'muted', `and ${waste.files.length - 50} more paths`));
  return section;
}

export const filmsPanel = {
  id: 'layers',
  title: 'Layers',
  concept: 'union-filesystem',
  requires: ['Session.layers', 'Session.history', 'Session.changes', 'Session.waste'],
  create(host, app) {
    const help = el('p', 'panel-help', 'The image as a stack of layers, base image at the bottom. Hover a layer to see its files in Files; select one to list what it changed.');
    help.append(' ', conceptLink('union-filesystem'));
    const stack = el('ol', 'films');
    stack.setAttribute('aria-label', 'Layer stack, top layer first');
    const changes = el('section', 'film-changes');
    changes.setAttribute('aria-live', 'polite');
    const waste = el('div', 'waste-host');
    const empty = el('p', 'muted', 'Build the Dockerfile successfully to see its layers.');
    host.append(help, empty, stack, changes, waste);

    let generation = 0;
    let shown = { films: [], history: [], step: null };
    let openLayer = null;

    async function openChanges(film) {
      openLayer = film.index;
      for (const node of stack.querySelectorAll('.film')) node.setAttribute('aria-pressed', String(node.dataset.layer === String(film.index)));
      const step = shown.step;
      const mine = generation;
      try {
        const rows = await app.session('changes', [step, film.index]);
        if (mine !== generation) return;
        const title = el('h3', null, `Changes in layer ${film.index}`);
        title.prepend(layerChip(film.index), ' ');
        const note = rows.length > CHANGE_LIMIT ? el('p', 'muted', `Showing ${CHANGE_LIMIT} of ${rows.length} changes.`) : '';
        changes.replaceChildren(title, rows.length ? changeList(rows) : el('p', 'muted', 'This layer changes nothing.'), note);
      } catch (error) {
        changes.replaceChildren(el('p', 'error-text', error.message));
      }
    }

    function draw() {
      const { films, history, step } = shown;
      const maxSize = Math.max(0, ...films.map((f) => f.size), containerFilm?.layer?.size ?? 0);
      const items = stackEntries(films, history).reverse().map((entry) => (entry.marker
        ? markerNode(entry)
        : filmNode(entry.film, { selectedStep: step, maxSize, app, onOpen: openChanges })));
      if (containerFilm && films.length > 0) {
        items.unshift(filmNode(containerFilm.layer, { maxSize, app, onOpen: () => {}, writable: containerFilm.id }));
      }
      stack.replaceChildren(...items);
    }

    containerListeners.add(draw);

    return {
      async update() {
        const build = app.build();
        const mine = ++generation;
        if (!build || !build.ok) {
          empty.hidden = false;
          shown = { films: [], history: [], step: null };
          stack.replaceChildren();
          changes.replaceChildren();
          waste.replaceChildren();
          return;
        }
        empty.hidden = true;
        const step = currentStep(app);
        try {
          const [films, history, report] = await Promise.all([
            app.session('layers', [step]),
            app.session('history', [step]),
            app.session('waste', [step]),
          ]);
          if (mine !== generation) return;
          shown = { films, history, step };
          draw();
          waste.replaceChildren(wasteSection(report));
          const own = films.find((f) => f.step === step);
          const again = films.find((f) => f.index === openLayer);
          const target = own || again || films[films.length - 1];
          if (target) await openChanges(target);
          else changes.replaceChildren();
        } catch (error) {
          if (mine === generation) stack.replaceChildren(el('li', 'error-text', error.message));
        }
      },
    };
  },
};
