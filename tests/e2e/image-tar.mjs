// Writes real OCI image archives (oci-layout, index.json, blobs) with Node alone, for
// the browser import tests and benchmark: the same shape as benches/import.rs's image
// (files spread over 500 directories, a top layer that rewrites and deletes some).

import { createHash } from 'node:crypto';
import { openSync, writeSync, closeSync } from 'node:fs';

const BLOCK = 512;

function octal(value, width) {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** One ustar header block (names under 100 bytes only, which is all we write). */
function header(name, { size = 0, type = '0', mode = 0o644 } = {}) {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(size, 12), 124);
  block.write(octal(1_700_000_000, 12), 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function padding(size) {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

/** A tar in memory from [{ name, data?, type? }]. */
export function tarOf(entries) {
  const parts = [];
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    parts.push(header(entry.name, { size: data.length, type: entry.type ?? '0', mode: entry.type === '5' ? 0o755 : 0o644 }));
    if (data.length > 0) parts.push(data, padding(data.length));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Deterministic file contents: `size` bytes seeded by `seed`. */
function contents(size, seed) {
  const data = Buffer.alloc(size);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i += 4) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    data.writeUInt32LE(x, Math.min(i, size - 4));
  }
  return data;
}

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The layers of an image with `files` files: three layers holding 2/3, 4/15 and 1/15
 * of the files, the last one also rewriting and deleting `churn` files of the first.
 */
function layers(files, churn, sizeOf) {
  const cuts = [0, Math.round(files * 2 / 3), Math.round(files * 14 / 15), files];
  const out = [];
  for (let n = 0; n < 3; n += 1) {
    const entries = [];
    const dirs = new Set();
    const add = (i, seed) => {
      const dir = `data/d${String(i % 500).padStart(3, '0')}/`;
      if (!dirs.has(dir)) {
        if (dirs.size === 0) entries.push({ name: 'data/', type: '5' });
        dirs.add(dir);
        entries.push({ name: dir, type: '5' });
      }
      entries.push({ name: `${dir}f${String(i).padStart(5, '0')}`, data: contents(sizeOf(i), seed) });
    };
    for (let i = cuts[n]; i < cuts[n + 1]; i += 1) add(i, i);
    if (n === 2) {
      for (let i = 0; i < churn; i += 1) {
        add(i, 1_000_000 + i);
        const gone = i + churn;
        entries.push({ name: `data/d${String(gone % 500).padStart(3, '0')}/.wh.f${String(gone).padStart(5, '0')}` });
      }
    }
    out.push(tarOf(entries));
  }
  return out;
}

/**
 * Writes an oci-archive tar of a three-layer image to `file` and returns
 * { bytes, files, layers }. `files` 30,000 with the default sizes gives ~200 MB.
 */
export function writeImageArchive(file, { files = 30_000, churn = 500, sizeOf = (i) => 1024 + ((i * 2654435761) % 12288), tag = 'bench:latest' } = {}) {
  const layerTars = layers(files, churn, sizeOf);
  const diffIds = layerTars.map(sha256);
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map((_, i) => ({ created_by: `bench step ${i}` })),
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: layerTars.map((t, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffIds[i], size: t.length })),
  }));
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(manifest), size: manifest.length,
      annotations: { 'org.opencontainers.image.ref.name': tag.split(':')[1], 'io.containerd.image.name': tag },
    }],
  }));
  const blob = (bytes) => `blobs/sha256/${sha256(bytes).slice(7)}`;
  const outer = [
    { name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    { name: 'index.json', data: index },
    { name: 'blobs/', type: '5' },
    { name: 'blobs/sha256/', type: '5' },
    { name: blob(manifest), data: manifest },
    { name: blob(config), data: config },
    ...layerTars.map((t) => ({ name: blob(t), data: t })),
  ];
  // Written entry by entry: the outer tar is never held whole in memory.
  const fd = openSync(file, 'w');
  let bytes = 0;
  const write = (buffer) => { writeSync(fd, buffer); bytes += buffer.length; };
  for (const entry of outer) {
    const data = entry.data ?? Buffer.alloc(0);
    write(header(entry.name, { size: data.length, type: entry.type ?? '0', mode: entry.type === '5' ? 0o755 : 0o644 }));
    if (data.length > 0) { write(data); write(padding(data.length)); }
  }
  write(Buffer.alloc(BLOCK * 2));
  closeSync(fd);
  return { bytes, files, layers: layerTars.length };
}
