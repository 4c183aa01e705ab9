// The file browser: the merged view (union filesystem) of the selected step as a lazy
// tree (directories load through `ls` when expanded), each entry with its size, mode,
// owner and the layer it comes from, coloured as the films. A toggle shows the
// versions lower layers wrote (shadowed) and the names whited out; a viewer shows a
// file's text with line numbers or a hex dump; a search finds paths. The tree is an
// ARIA tree (one tab stop, arrow keys, aria-expanded) kept flat with aria-level.

import { el, button, formatSize, conceptLink } from './dom.js';
import { modeString, asText, hexDump, layerHue } from './bytes.js';
import { layerBus, layerChip, highlightLayer, currentStep } from './films.js';

const TEXT_LIMIT = 64 * 1024;
const HEX_LIMIT = 4 * 1024;
const FIND_LIMIT = 100;
const KIND_NAMES = { f: 'file', d: 'directory', l: 'symbolic link', c: 'character device', b: 'block device', p: 'named pipe' };

/** The absolute path of `name` inside directory `dir`. */
function join(dir, name) {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Every ancestor directory of an absolute path, root first, without the path itself. */
export function ancestors(path) {
  const parts = path.split('/').filter(Boolean);
  const out = ['/'];
  for (let i = 1; i < parts.length; i += 1) out.push(`/${parts.slice(0, i).join('/')}`);
  return out;
}

export const filesPanel = {
  id: 'files',
  title: 'Files',
  concept: 'union-filesystem',
  requires: ['Session.ls', 'Session.cat', 'Session.layers', 'Session.versions', 'Session.deleted', 'Session.find'],
  create(host, app) {
    const help = el('p', 'panel-help', 'The merged filesystem at the selected step; the chip on each entry names the layer it comes from.');
    help.append(' ', conceptLink('union-filesystem'));

    const legend = el('ol', 'film-legend');
    legend.setAttribute('aria-label', 'Layers: hover or focus one to highlight its files');

    const toolbar = el('div', 'fs-toolbar');
    const searchForm = el('form', 'fs-search');
    searchForm.setAttribute('role', 'search');
    const search = el('input');
    search.type = 'search';
    search.placeholder = 'Find: requirements or *.conf';
    search.setAttribute('aria-label', 'Find files by path: a part of the path, or a glob such as *.conf');
    const searchButton = el('button', 'small', 'Find');
    searchButton.type = 'submit';
    searchForm.append(search, searchButton);
    const toggleLabel = el('label', 'fs-toggle');
    const toggle = el('input');
    toggle.type = 'checkbox';
    toggleLabel.append(toggle, ' Show shadowed and deleted');
    toolbar.append(searchForm, toggleLabel);

    const results = el('div', 'fs-results');
    results.setAttribute('aria-live', 'polite');
    const tree = el('ul', 'fs-tree');
    tree.setAttribute('role', 'tree');
    tree.setAttribute('aria-label', 'Merged filesystem');
    const empty = el('p', 'muted', 'Build the Dockerfile successfully to browse its files.');
    const viewer = el('section', 'fs-viewer');
    viewer.setAttribute('aria-label', 'File viewer');
    viewer.setAttribute('aria-live', 'polite');
    host.append(help, empty, legend, toolbar, results, tree, viewer);

    // View state: kept across steps and builds (it belongs to the page, not the engine).
    const expanded = new Set();
    let listings = new Map(); // dir -> entries, for the step shown
    let deletions = new Map(); // dir -> deleted entries, for the step shown
    let focusedPath = '/';
    let openPath = null;
    let highlighted = null;
    let shownKey = null;
    let step = null;
    let generation = 0;

    layerBus(app).addEventListener('highlight', (event) => {
      highlighted = event.detail.layer;
      applyHighlight();
    });

    function applyHighlight() {
      tree.classList.toggle('highlighting', highlighted !== null);
      for (const row of tree.querySelectorAll('[role="treeitem"]')) {
        const match = highlighted !== null && row.dataset.layer === String(highlighted);
        row.classList.toggle('highlight', match);
      }
      for (const chip of legend.querySelectorAll('.legend-film')) {
        chip.classList.toggle('active', chip.dataset.layer === String(highlighted));
      }
    }

    async function listing(dir) {
      if (!listings.has(dir)) listings.set(dir, await app.session('ls', [step, dir]));
      if (toggle.checked && !deletions.has(dir)) deletions.set(dir, await app.session('deleted', [step, dir]));
      return listings.get(dir);
    }

    function entryRow(entry, path, level) {
      const row = el('li', `fs-row kind-${entry.kind}`);
      row.setAttribute('role', 'treeitem');
      row.setAttribute('aria-level', String(level));
      row.dataset.path = path;
      if (entry.layer !== null && entry.layer !== undefined) {
        row.dataset.layer = String(entry.layer);
        row.style.setProperty('--hue', String(layerHue(entry.layer)));
      }
      row.tabIndex = -1;
      const isDir = entry.kind === 'd';
      if (isDir) row.setAttribute('aria-expanded', String(expanded.has(path)));
      const name = el('span', 'fs-name');
      name.style.setProperty('--level', String(level - 1));
      name.append(el('span', 'fs-twisty', isDir ? (expanded.has(path) ? '▾' : '▸') : ''), el('span', 'fs-label', entry.name));
      if (entry.kind === 'l') name.append(el('span', 'fs-target', `→ ${entry.target ?? ''}`));
      const mode = modeString(entry.kind, entry.mode);
      const owner = `${entry.uid}:${entry.gid}`;
      const layers = el('span', 'fs-layers');
      if (entry.layer !== null && entry.layer !== undefined) layers.append(layerChip(entry.layer));
      if (toggle.checked && entry.shadowed.length > 0) {
        const lowers = el('span', 'fs-shadowed');
        for (const lower of [...entry.shadowed].reverse()) {
          const chip = layerChip(lower, { className: 'shadowed' });
          chip.title = `Layer ${lower} also wrote this path; its version is shadowed`;
          lowers.append(chip);
        }
        name.append(lowers);
      }
      row.append(name, el('span', 'fs-size', isDir || entry.kind === 'l' ? '' : formatSize(entry.size)), el('code', 'fs-mode', mode), el('span', 'fs-owner', owner), layers);
      const from = entry.layer === null || entry.layer === undefined ? 'origin unknown' : `from layer ${entry.layer}`;
      const shadows = toggle.checked && entry.shadowed.length ? `, shadows layers ${entry.shadowed.join(', ')}` : '';
      row.setAttribute('aria-label', `${entry.name}, ${KIND_NAMES[entry.kind] || entry.kind}${isDir ? '' : `, ${formatSize(entry.size)}`}, ${mode}, owner ${owner}, ${from}${shadows}`);
      row.title = `${path}\n${mode} ${owner} ${from}${shadows}`;
      return row;
    }

    function deletedRow(deletion, level) {
      const name = deletion.path.slice(deletion.path.lastIndexOf('/') + 1);
      const row = el('li', 'fs-row fs-deleted');
      row.setAttribute('role', 'treeitem');
      row.setAttribute('aria-level', String(level));
      row.dataset.path = `/${deletion.path}`;
      row.dataset.layer = String(deletion.layer);
      row.dataset.deleted = 'true';
      row.tabIndex = -1;
      const label = el('span', 'fs-name');
      label.style.setProperty('--level', String(level - 1));
      label.append(el('span', 'fs-twisty', '✕'), el('span', 'fs-label', name));
      const what = deletion.origin === null ? `deleted by layer ${deletion.layer}` : `deleted by layer ${deletion.layer} (written by layer ${deletion.origin})`;
      if (deletion.origin !== null) {
        const lowers = el('span', 'fs-shadowed');
        lowers.append(layerChip(deletion.origin, { className: 'shadowed' }));
        label.append(lowers);
      }
      const layers = el('span', 'fs-layers');
      layers.append(layerChip(deletion.layer, { label: `✕L${deletion.layer}`, className: 'deleter' }));
      row.append(label, el('span', 'fs-size', deletion.size ? formatSize(deletion.size) : ''), el('span', 'fs-whiteout', 'whiteout'), layers);
      row.setAttribute('aria-label', `${name}, ${what}`);
      row.title = `/${deletion.path}: ${what}`;
      return row;
    }

    /** The visible rows, depth first, from the loaded listings. */
    function rowsOf(dir, level) {
      const rows = [];
      for (const entry of listings.get(dir) || []) {
        const path = join(dir, entry.name);
        rows.push(entryRow(entry, path, level));
        if (entry.kind === 'd' && expanded.has(path) && listings.has(path)) rows.push(...rowsOf(path, level + 1));
      }
      if (toggle.checked) for (const deletion of deletions.get(dir) || []) rows.push(deletedRow(deletion, level));
      return rows;
    }

    function render() {
      const rows = rowsOf('/', 1);
      tree.replaceChildren(...rows);
      if (rows.length === 0) return;
      const current = rows.find((row) => row.dataset.path === focusedPath) || rows[0];
      focusedPath = current.dataset.path;
      current.tabIndex = 0;
      for (const row of rows) row.setAttribute('aria-selected', String(row.dataset.path === openPath && !row.dataset.deleted));
      applyHighlight();
    }

    function rowAt(path) {
      return [...tree.querySelectorAll('[role="treeitem"]')].find((row) => row.dataset.path === path);
    }

    function focusRow(row) {
      if (!row) return;
      for (const other of tree.querySelectorAll('[tabindex="0"]')) other.tabIndex = -1;
      row.tabIndex = 0;
      focusedPath = row.dataset.path;
      row.focus();
    }

    async function setExpanded(path, open) {
      if (open) {
        expanded.add(path);
        try {
          await listing(path);
        } catch (error) {
          expanded.delete(path);
          viewer.replaceChildren(el('p', 'error-text', `${path}: ${error.message}`));
        }
      } else {
        expanded.delete(path);
      }
      render();
    }

    async function openFile(path, { scroll = true } = {}) {
      openPath = path;
      for (const row of tree.querySelectorAll('[role="treeitem"]')) row.setAttribute('aria-selected', String(row.dataset.path === path && !row.dataset.deleted));
      const parent = ancestors(path).pop();
      const entry = (listings.get(parent) || []).find((e) => join(parent, e.name) === path);
      const mine = generation;
      const title = el('h3', 'viewer-title');
      title.append(el('code', null, path));
      if (entry && entry.layer !== null) title.append(' ', layerChip(entry.layer));
      const facts = el('p', 'viewer-facts muted');
      if (entry) facts.textContent = `${modeString(entry.kind, entry.mode)}  ${entry.uid}:${entry.gid}  ${formatSize(entry.size)}${entry.kind === 'l' ? `  → ${entry.target}` : ''}`;
      try {
        const [bytes, versions] = await Promise.all([
          app.session('cat', [step, path]),
          app.session('versions', [step, path]),
        ]);
        if (mine !== generation || openPath !== path) return;
        viewer.replaceChildren(title, facts, versionsLine(versions), contentView(bytes, path));
        if (scroll) viewer.scrollIntoView({ block: 'nearest' });
      } catch (error) {
        if (mine !== generation || openPath !== path) return;
        viewer.replaceChildren(title, facts, el('p', 'error-text', error.message));
      }
    }

    function versionsLine(versions) {
      if (!versions || versions.versions.length < 2) return '';
      const line = el('p', 'viewer-versions');
      line.append('Written by ');
      versions.versions.forEach((version, index) => {
        const visible = versions.present && index === versions.versions.length - 1;
        const chip = layerChip(version.layer, { className: visible ? '' : 'shadowed' });
        chip.title = visible ? 'the visible version' : 'shadowed by a higher layer';
        line.append(chip, ` ${formatSize(version.size)}${visible ? ' (visible)' : ' (shadowed)'}`, index < versions.versions.length - 1 ? ', ' : '');
      });
      return line;
    }

    function contentView(bytes, path) {
      const text = asText(bytes, TEXT_LIMIT);
      const box = el('div', 'viewer-body');
      if (text) {
        const lines = text.text.split('\n');
        if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
        const gutter = el('pre', 'viewer-gutter', lines.map((_, i) => i + 1).join('\n'));
        gutter.setAttribute('aria-hidden', 'true');
        const code = el('pre', 'viewer-text', lines.join('\n'));
        code.tabIndex = 0;
        code.setAttribute('aria-label', `Contents of ${path}`);
        box.append(gutter, code);
        const parts = [box];
        if (text.truncated) parts.push(el('p', 'viewer-notice', `Showing the first ${formatSize(TEXT_LIMIT)} of ${formatSize(bytes.length)}.`));
        if (bytes.length === 0) parts.push(el('p', 'muted', 'The file is empty.'));
        const wrap = el('div');
        wrap.append(...parts);
        return wrap;
      }
      const pre = el('pre', 'viewer-hex', hexDump(bytes, HEX_LIMIT));
      pre.tabIndex = 0;
      pre.setAttribute('aria-label', `Bytes of ${path}`);
      box.append(pre);
      const wrap = el('div');
      wrap.append(el('p', 'viewer-notice', `Binary file: a hex dump${bytes.length > HEX_LIMIT ? ` of the first ${formatSize(HEX_LIMIT)} of ${formatSize(bytes.length)}` : ''}.`), box);
      return wrap;
    }

    /** Expands every ancestor of `path`, then focuses and opens it. */
    async function reveal(path) {
      for (const dir of ancestors(path)) {
        if (dir !== '/') expanded.add(dir);
        await listing(dir);
      }
      render();
      const row = rowAt(path);
      focusRow(row);
      if (row && row.dataset.path === path) {
        const kind = [...row.classList].find((c) => c.startsWith('kind-'));
        if (kind !== 'kind-d') await openFile(path);
      }
    }

    async function runSearch() {
      const pattern = search.value.trim();
      if (!pattern) {
        results.replaceChildren();
        return;
      }
      try {
        const answer = await app.session('find', [step, pattern, FIND_LIMIT]);
        const list = el('ul', 'fs-found');
        for (const hit of answer.found) {
          const item = el('li');
          const go = button(hit.path, 'link fs-found-path', () => reveal(hit.path), `Show ${hit.path} in the tree`);
          item.append(go);
          if (hit.layer !== null) item.append(' ', layerChip(hit.layer));
          list.append(item);
        }
        const summary = answer.found.length === 0
          ? `Nothing matches ${pattern}.`
          : `${answer.found.length}${answer.truncated ? '+' : ''} match${answer.found.length === 1 ? '' : 'es'}${answer.truncated ? ` (the first ${FIND_LIMIT} shown)` : ''}:`;
        results.replaceChildren(el('p', 'muted', summary), list, button('Clear', 'link', () => { search.value = ''; results.replaceChildren(); }, 'Clear the search'));
      } catch (error) {
        results.replaceChildren(el('p', 'error-text', error.message));
      }
    }

    searchForm.addEventListener('submit', (event) => {
      event.preventDefault();
      runSearch();
    });

    toggle.addEventListener('change', async () => {
      tree.classList.toggle('show-history', toggle.checked);
      const mine = generation;
      if (toggle.checked) {
        for (const dir of ['/', ...expanded]) {
          if (listings.has(dir) && !deletions.has(dir)) deletions.set(dir, await app.session('deleted', [step, dir]));
          if (mine !== generation) return;
        }
      }
      render();
    });

    tree.addEventListener('click', (event) => {
      const row = event.target.closest('[role="treeitem"]');
      if (!row || row.dataset.deleted) return focusRow(row);
      focusRow(row);
      activate(row);
    });

    function activate(row) {
      const path = row.dataset.path;
      if (row.hasAttribute('aria-expanded')) setExpanded(path, row.getAttribute('aria-expanded') !== 'true').then(() => focusRow(rowAt(path)));
      else if (!row.dataset.deleted) openFile(path);
    }

    tree.addEventListener('keydown', (event) => {
      const rows = [...tree.querySelectorAll('[role="treeitem"]')];
      const row = event.target.closest('[role="treeitem"]');
      if (!row) return;
      const index = rows.indexOf(row);
      const level = Number(row.getAttribute('aria-level'));
      const isOpen = row.getAttribute('aria-expanded') === 'true';
      let handled = true;
      switch (event.key) {
        case 'ArrowDown': focusRow(rows[index + 1]); break;
        case 'ArrowUp': focusRow(rows[index - 1]); break;
        case 'Home': focusRow(rows[0]); break;
        case 'End': focusRow(rows[rows.length - 1]); break;
        case 'ArrowRight':
          if (row.hasAttribute('aria-expanded') && !isOpen) setExpanded(row.dataset.path, true).then(() => focusRow(rowAt(row.dataset.path)));
          else if (isOpen && rows[index + 1] && Number(rows[index + 1].getAttribute('aria-level')) > level) focusRow(rows[index + 1]);
          break;
        case 'ArrowLeft':
          if (isOpen) setExpanded(row.dataset.path, false).then(() => focusRow(rowAt(row.dataset.path)));
          else focusRow(rows.slice(0, index).reverse().find((r) => Number(r.getAttribute('aria-level')) < level));
          break;
        case 'Enter':
        case ' ':
          activate(row);
          break;
        default: handled = false;
      }
      if (handled) event.preventDefault();
    });

    function drawLegend(films) {
      const items = [...films].reverse().map((film) => {
        const item = el('li');
        const chip = layerChip(film.index, { className: 'legend-film' });
        chip.dataset.layer = String(film.index);
        chip.tabIndex = 0;
        chip.title = `Layer ${film.index}, ${formatSize(film.size)}: ${film.createdBy}`;
        chip.setAttribute('role', 'button');
        chip.setAttribute('aria-label', `Highlight the files of layer ${film.index} (${formatSize(film.size)}, ${film.createdBy})`);
        if (film.step === step) chip.classList.add('own');
        const on = () => highlightLayer(app, film.index);
        const off = () => highlightLayer(app, null);
        chip.addEventListener('mouseenter', on);
        chip.addEventListener('focus', on);
        chip.addEventListener('mouseleave', off);
        chip.addEventListener('blur', off);
        item.append(chip);
        return item;
      });
      const label = el('li', 'film-legend-label', 'Layers, top first:');
      label.setAttribute('aria-hidden', 'true');
      legend.replaceChildren(label, ...items);
    }

    return {
      async update() {
        const build = app.build();
        const mine = ++generation;
        if (!build || !build.ok) {
          empty.hidden = false;
          for (const node of [legend, results, tree, viewer]) node.replaceChildren();
          shownKey = null;
          return;
        }
        empty.hidden = true;
        const nextStep = currentStep(app);
        if (shownKey && shownKey.build === build && shownKey.step === nextStep) return;
        step = nextStep;
        listings = new Map();
        deletions = new Map();
        try {
          drawLegend(await app.session('layers', [step]));
          await listing('/');
          for (const dir of [...expanded].sort()) {
            try {
              await listing(dir);
            } catch {
              expanded.delete(dir); // not a directory at this step
            }
          }
          if (mine !== generation) return;
          shownKey = { build, step };
          render();
          if (search.value.trim()) runSearch();
          if (openPath) openFile(openPath, { scroll: false });
        } catch (error) {
          if (mine === generation) tree.replaceChildren(el('li', 'error-text', error.message));
        }
      },
    };
  },
};
