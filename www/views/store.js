// The image store: every image the session holds (built, intermediate, imported), with
// its tags, ID and size, and a grid of which layers each image uses. A layer used by
// several images is stored once, so the store is smaller than the sum of the images:
// "downloaded once, reused", shown.

import { el, formatSize, shortDigest, conceptLink, familiarName } from './dom.js';

/**
 * The sharing grid's data: distinct layers in first-use order (bottom layers first),
 * each with the images using it. `stacks` is [{ image, films }] with films bottom first.
 */
export function sharedLayers(stacks) {
  const layers = new Map();
  for (const { image, films } of stacks) {
    for (const film of films) {
      if (!layers.has(film.diffId)) {
        layers.set(film.diffId, { diffId: film.diffId, size: film.size, createdBy: film.createdBy, users: [] });
      }
      const layer = layers.get(film.diffId);
      if (!layer.users.includes(image.id)) layer.users.push(image.id);
    }
  }
  return [...layers.values()];
}

function imageLabel(image) {
  return image.tags.length > 0 ? familiarName(image.tags[0]) : '<none>';
}

/** Images with tags first, then by number of layers (bases before what was built on them). */
function ordered(images) {
  return [...images].sort((a, b) => (b.tags.length > 0) - (a.tags.length > 0) || a.layers - b.layers || a.id.localeCompare(b.id));
}

function imagesTable(images, current) {
  const table = el('table', 'store-images');
  const head = el('tr');
  for (const title of ['REPOSITORY:TAG', 'IMAGE ID', 'LAYERS', 'SIZE', 'SHARED', 'UNIQUE']) head.append(el('th', null, title));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  for (const image of images) {
    const row = el('tr', 'store-image');
    row.dataset.image = image.id;
    if (image.id === current) row.classList.add('current');
    const tags = el('td', image.tags.length > 0 ? 'tags' : 'tags muted', image.tags.map(familiarName).join(', ') || '<none>');
    tags.title = image.tags.join(', ');
    row.append(tags,
      el('td', 'image-id', shortDigest(image.id)), el('td', null, image.layers),
      el('td', 'size', formatSize(image.size)), el('td', 'shared', formatSize(image.sharedSize)),
      el('td', 'unique', formatSize(image.uniqueSize)));
    body.append(row);
  }
  table.append(body);
  return table;
}

function sharingGrid(images, layers, current) {
  const table = el('table', 'store-grid');
  table.setAttribute('aria-label', 'Which image uses which layer');
  const head = el('tr');
  head.append(el('th', null, 'layer'), el('th', null, 'size'), el('th', null, 'used by'));
  for (const image of images) {
    const th = el('th', image.id === current ? 'grid-image current' : 'grid-image', imageLabel(image));
    th.title = `${imageLabel(image)} ${shortDigest(image.id)}`;
    th.append(el('span', 'grid-id', shortDigest(image.id).slice(0, 6)));
    head.append(th);
  }
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  for (const layer of [...layers].reverse()) {
    const shared = layer.users.length > 1;
    const row = el('tr', shared ? 'grid-layer shared' : 'grid-layer');
    row.dataset.diffId = layer.diffId;
    const name = el('td', 'grid-digest', shortDigest(layer.diffId));
    name.title = layer.createdBy || layer.diffId;
    row.append(name, el('td', 'size', formatSize(layer.size)),
      el('td', 'grid-users', shared ? `${layer.users.length} images, stored once` : '1 image'));
    for (const image of images) {
      const uses = layer.users.includes(image.id);
      const cell = el('td', uses ? 'grid-cell uses' : 'grid-cell');
      cell.setAttribute('aria-label', uses ? `${imageLabel(image)} uses this layer` : `${imageLabel(image)} does not use this layer`);
      if (uses) cell.textContent = '■';
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  return table;
}

function savingsBars(usage) {
  const max = Math.max(usage.naiveSize, usage.layersSize, 1);
  const box = el('div', 'store-savings');
  const bar = (label, bytes, className) => {
    const row = el('div', `saving-row ${className}`);
    const fill = el('span', 'saving-fill');
    fill.style.width = `${Math.max(1, Math.round((bytes / max) * 100))}%`;
    row.append(el('span', 'saving-label', label), fill, el('span', 'saving-size', formatSize(bytes)));
    return row;
  };
  const saved = Math.max(0, usage.naiveSize - usage.layersSize);
  box.append(
    bar('Sum of the image sizes', usage.naiveSize, 'naive'),
    bar('What the store holds', usage.layersSize, 'actual'),
    el('p', 'saving-note', saved > 0
      ? `Downloaded once, reused: ${formatSize(saved)} of layers are shared between images and stored only once.`
      : 'No layer is shared yet: every image\'s layers are its own.'),
  );
  return box;
}

export const storePanel = {
  id: 'store',
  title: 'Image store',
  concept: 'shared-layers',
  requires: ['Session.images', 'Session.df', 'Session.layersImage'],
  create(host, app) {
    const help = el('p', 'panel-help', 'Every image in this session\'s store: the ones you built, each intermediate step, and imported ones. Layers are stored by content, once, however many images use them.');
    help.append(' ', conceptLink('shared-layers'), ' ', conceptLink('intermediate-images'));
    const body = el('div', 'store-body');
    host.append(help, body);
    let generation = 0;
    return {
      async update() {
        const mine = ++generation;
        try {
          const [images, usage] = await Promise.all([app.session('images', []), app.session('df', [])]);
          if (images.length === 0) {
            if (mine === generation) body.replaceChildren(el('p', 'muted', 'The store is empty: build the Dockerfile or import an image tar.'));
            return;
          }
          const sorted = ordered(images);
          const stacks = [];
          for (const image of sorted) stacks.push({ image, films: await app.session('layersImage', [image.id]) });
          if (mine !== generation) return;
          const build = app.build();
          const step = app.step() ?? (build?.steps?.length ?? 0) - 1;
          const current = build?.steps?.[step]?.imageId ?? null;
          const layers = sharedLayers(stacks);
          body.replaceChildren(
            savingsBars(usage),
            el('h3', null, `Images (${images.length})`),
            imagesTable(sorted, current),
            el('h3', null, `Layers (${layers.length} stored, ${layers.filter((l) => l.users.length > 1).length} shared)`),
            el('p', 'muted', 'Top layers first; each column is an image, ■ marks a layer it uses. Shared rows are tinted. Hover a digest for the command that made the layer.'),
            sharingGrid(sorted, layers, current),
          );
        } catch (error) {
          if (mine === generation) body.replaceChildren(el('p', 'error-text', error.message));
        }
      },
    };
  },
};
