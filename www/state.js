// The whole user state (Dockerfile, context files, build args, secrets, selected
// step) and where it lives: a versioned URL fragment for sharing (without the
// secrets), localStorage so a reload loses nothing, and a "previous session" slot
// whenever something replaces the user's work (a shared link, an example), so it
// can always be restored.

/**
 * @typedef {{
 *   dockerfile: string,
 *   files: Map<string, string | Uint8Array>,
 *   dirs: Set<string>,
 *   buildArgs: [string, string][],
 *   secrets: [string, string][],
 *   step: number | null,
 *   open: string | null,
 *   example: string | null,
 * }} State
 */

const FORMAT = 1;
const STORAGE_KEY = 'layerlab.state';
const PREVIOUS_KEY = 'layerlab.previous';
const TAB_KEY = 'layerlab.tab';

/** A fresh state holding an example's files. */
export function stateFromExample(example) {
  return {
    dockerfile: example.dockerfile,
    files: new Map(Object.entries(example.files)),
    dirs: new Set(),
    buildArgs: [],
    secrets: [],
    step: null,
    open: null,
    example: example.name,
  };
}

/** A deep copy, so a kept "previous session" never aliases the live one. */
export function cloneState(state) {
  return deserialize(serialize(state));
}

/**
 * The state as plain JSON-able data (bytes as base64url). A link leaves the build
 * secrets out: they stay in this browser.
 */
export function serialize(state, { link = false } = {}) {
  const data = {
    v: FORMAT,
    dockerfile: state.dockerfile,
    files: [...state.files].map(([path, content]) =>
      typeof content === 'string' ? [path, content] : [path, { b64: bytesToBase64url(content) }]),
    dirs: [...state.dirs],
    buildArgs: state.buildArgs,
    step: state.step,
    open: state.open,
    example: state.example,
  };
  const secrets = state.secrets || [];
  if (!link && secrets.length > 0) data.secrets = secrets;
  return data;
}

/** `[name, value]` pairs from serialized data; anything else is dropped. */
function pairs(list) {
  return (Array.isArray(list) ? list : [])
    .filter((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string')
    .map(([key, value]) => [key, value]);
}

/** Reads serialized data back; anything malformed yields null instead of a throw. */
export function deserialize(data) {
  if (!data || typeof data !== 'object' || data.v !== FORMAT || typeof data.dockerfile !== 'string') return null;
  const files = new Map();
  for (const entry of Array.isArray(data.files) ? data.files : []) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const [path, content] = entry;
    if (typeof content === 'string') files.set(path, content);
    else if (content && typeof content.b64 === 'string') {
      const bytes = base64urlToBytes(content.b64);
      if (bytes) files.set(path, bytes);
    }
  }
  const dirs = new Set((Array.isArray(data.dirs) ? data.dirs : []).filter((d) => typeof d === 'string'));
  const buildArgs = pairs(data.buildArgs);
  const secrets = pairs(data.secrets);
  const step = Number.isInteger(data.step) && data.step >= 0 ? data.step : null;
  const open = typeof data.open === 'string' && files.has(data.open) ? data.open : null;
  const example = typeof data.example === 'string' ? data.example : null;
  return { dockerfile: data.dockerfile, files, dirs, buildArgs, secrets, step, open, example };
}

/** True when two states hold the same content. */
export function sameState(a, b) {
  return JSON.stringify(serialize(a)) === JSON.stringify(serialize(b));
}

// URL fragment: "#v1:" + base64url(deflate-raw(JSON)), or "#v1p:" + base64url(JSON)
// where the browser has no CompressionStream.

/** Encodes the state as a URL fragment (without the leading '#'). */
export async function encodeFragment(state) {
  const json = new TextEncoder().encode(JSON.stringify(serialize(state, { link: true })));
  if (typeof CompressionStream === 'function') {
    const packed = await pipeThrough(json, new CompressionStream('deflate-raw'));
    return `v${FORMAT}:${bytesToBase64url(packed)}`;
  }
  return `v${FORMAT}p:${bytesToBase64url(json)}`;
}

/** True when the fragment looks like a layerlab state (any known version). */
export function isStateFragment(hash) {
  return /^#?v\d+p?:/.test(hash);
}

/** Decodes a fragment (with or without '#'); null when it is not a valid state. */
export async function decodeFragment(hash) {
  const match = /^#?v(\d+)(p?):([A-Za-z0-9_-]*)$/.exec(hash);
  if (!match || Number(match[1]) !== FORMAT) return null;
  const bytes = base64urlToBytes(match[3]);
  if (!bytes) return null;
  try {
    const json = match[2] === 'p' ? bytes : await pipeThrough(bytes, new DecompressionStream('deflate-raw'));
    return deserialize(JSON.parse(new TextDecoder().decode(json)));
  } catch {
    return null;
  }
}

async function pipeThrough(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bytes to unpadded base64url. */
export function bytesToBase64url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Unpadded base64url to bytes; null when the text is not base64url. */
export function base64urlToBytes(text) {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

// localStorage: the latest state plus the fragment last written to the address bar,
// so a reload can tell "my own URL, maybe older than my last keystroke" from "a link
// someone shared with me".

function readJson(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function writeJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/**
 * This tab's id (sessionStorage: it survives a reload, not a new tab), or null when
 * the browser refuses storage. A reload must trust the tab's own saved work even when
 * the address bar it reloads is older: the browser may reload the URL it knew before
 * the page's last history.replaceState reached it.
 */
export function thisTab() {
  try {
    let id = sessionStorage.getItem(TAB_KEY);
    if (!id) {
      id = crypto.randomUUID();
      sessionStorage.setItem(TAB_KEY, id);
    }
    return id;
  } catch {
    return null;
  }
}

/** The saved state, the fragment that was in the address bar then, and the tab that saved it. */
export function loadSaved() {
  const saved = readJson(STORAGE_KEY);
  if (!saved) return { state: null, hash: null, tab: null };
  return {
    state: deserialize(saved.state),
    hash: typeof saved.hash === 'string' ? saved.hash : null,
    tab: typeof saved.tab === 'string' ? saved.tab : null,
  };
}

/** Saves the state (every change); false when storage is full or disabled. */
export function saveState(state, hash) {
  return writeJson(STORAGE_KEY, { state: serialize(state), hash, tab: thisTab() });
}

/** Keeps work that is about to be replaced, so "restore your previous session" can bring it back. */
export function keepPrevious(state) {
  writeJson(PREVIOUS_KEY, serialize(state));
}

/** The kept previous session, or null. */
export function loadPrevious() {
  return deserialize(readJson(PREVIOUS_KEY));
}
