// Import an image tar (oci-archive or docker save, plain or gzipped) and explore it
// like dive: its tags, its layers, wasted bytes and the merged tree. The file is read
// here with the File API and moved to the worker; it never leaves the machine.

import { el, button, formatSize, shortDigest } from './dom.js';

/** Reads a File into one buffer, reporting the fraction read after each chunk. */
async function readFile(file, onProgress) {
  const bytes = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > bytes.length) throw new Error(`${file.name} grew while it was being read`);
    bytes.set(value, offset);
    offset += value.length;
    onProgress(file.size === 0 ? 1 : offset / file.size);
  }
  return bytes.subarray(0, offset);
}

export const importPanel = {
  id: 'import',
  title: 'Import',
  concept: 'union-filesystem',
  requires: ['Session.importImage', 'Session.layersImage', 'Session.lsImage', 'Session.wasteImage'],
  create(host, app) {
    const input = el('input');
    input.type = 'file';
    input.accept = '.tar,.tar.gz,.tgz';
    input.id = 'import-file';
    const label = el('label', 'inline', 'Image tar: ');
    label.htmlFor = input.id;
    const zone = el('div', 'drop-zone', 'Drop a docker save or OCI archive tar here');
    zone.tabIndex = 0;
    const status = el('p', 'muted import-status');
    status.setAttribute('aria-live', 'polite');
    const result = el('div', 'import-result');
    let busy = false;

    const showTree = async (reference, path, tree) => {
      const entries = await app.session('lsImage', [reference, path]);
      const crumbs = el('p', 'import-path');
      crumbs.append(el('code', null, path));
      if (path !== '/') {
        const parent = path.replace(/\/[^/]*$/, '') || '/';
        crumbs.append(' ', button('Up', null, () => showTree(reference, parent, tree), `Up to ${parent}`));
      }
      const list = el('ul', 'import-tree');
      for (const entry of entries) {
        const child = path === '/' ? `/${entry.name}` : `${path}/${entry.name}`;
        const item = el('li', 'import-entry');
        item.dataset.path = child;
        if (entry.kind === 'd') {
          item.append(button(`${entry.name}/`, 'link', () => showTree(reference, child, tree), `Open ${child}`));
        } else {
          item.append(el('span', 'entry-name', entry.target ? `${entry.name} -> ${entry.target}` : entry.name));
        }
        item.append(' ', el('span', 'muted', `${formatSize(entry.size)} · layer ${entry.layer ?? '-'}`));
        list.append(item);
      }
      tree.replaceChildren(crumbs, list);
    };

    const showImage = async (image) => {
      const reference = image.tags[0] ?? image.id;
      const [films, waste] = await Promise.all([
        app.session('layersImage', [reference]),
        app.session('wasteImage', [reference]),
      ]);
      const section = el('section', 'imported-image');
      section.append(el('h3', null, shortDigest(image.id)));
      const tags = el('ul', 'import-tags');
      for (const tag of image.tags) tags.append(el('li', null, tag));
      if (image.tags.length === 0) tags.append(el('li', 'muted', '(untagged)'));
      section.append(tags);
      const table = el('table', 'import-layers');
      const head = el('tr');
      for (const title of ['#', 'digest', 'size', 'created by']) head.append(el('th', null, title));
      table.append(head);
      image.layers.forEach((layer, index) => {
        const row = el('tr', 'import-layer');
        const film = films[index] || {};
        row.append(el('td', null, index), el('td', 'digest', shortDigest(layer.digest)),
          el('td', null, formatSize(film.size ?? layer.size)), el('td', 'created-by', film.createdBy || ''));
        table.append(row);
      });
      section.append(table);
      section.append(el('p', 'import-waste',
        `Wasted ${formatSize(waste.wastedBytes)} of ${formatSize(waste.totalBytes)}; efficiency ${(waste.efficiency * 100).toFixed(1)}%`));
      const tree = el('div', 'import-explorer');
      section.append(tree);
      result.append(section);
      await showTree(reference, '/', tree);
    };

    const load = async (file) => {
      if (!file || busy) return;
      busy = true;
      input.disabled = true;
      result.replaceChildren();
      try {
        status.textContent = `Reading ${file.name}… 0%`;
        const bytes = await readFile(file, (fraction) => {
          status.textContent = `Reading ${file.name}… ${Math.round(fraction * 100)}%`;
        });
        status.textContent = `Importing ${file.name}…`;
        const imported = await app.session('importImage', [bytes, null], [bytes.buffer]);
        status.textContent = `Imported ${file.name}: ${imported.images.length} image(s).`;
        for (const warning of imported.warnings) {
          result.append(el('p', 'import-warning', `${warning.entry}: ${warning.message}`));
        }
        for (const image of imported.images) await showImage(image);
      } catch (error) {
        status.textContent = `Could not import ${file.name}: ${error.message}`;
      } finally {
        busy = false;
        input.disabled = false;
        input.value = '';
      }
    };

    input.addEventListener('change', () => load(input.files[0]));
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('over');
      load(event.dataTransfer.files[0]);
    });
    zone.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') input.click();
    });
    label.append(input);
    host.append(el('p', 'panel-help', 'Explore a real image tar layer by layer. It is read in this browser and never uploaded.'),
      label, zone, status, result);
    return { update() {} };
  },
};
