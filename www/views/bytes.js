// Pure helpers for showing file data: permission strings as `ls -l` prints them,
// text-or-binary detection, and a hex dump. No DOM here, so Node tests can load it.

const KIND_LETTERS = { f: '-', d: 'd', l: 'l', c: 'c', b: 'b', p: 'p' };

/** `drwxr-xr-x` from an entry kind ('f', 'd', 'l', ...) and its mode bits. */
export function modeString(kind, mode) {
  const bits = Number(mode) || 0;
  const triplet = (shift, special, specialChar) => {
    const r = bits & (4 << shift) ? 'r' : '-';
    const w = bits & (2 << shift) ? 'w' : '-';
    const x = bits & (1 << shift);
    let last = x ? 'x' : '-';
    if (bits & special) last = x ? specialChar : specialChar.toUpperCase();
    return r + w + last;
  };
  return (KIND_LETTERS[kind] || '?')
    + triplet(6, 0o4000, 's') + triplet(3, 0o2000, 's') + triplet(0, 0o1000, 't');
}

/**
 * Decodes up to `limit` bytes as UTF-8 text, or returns null for binary data (a NUL
 * byte, or bytes that are not UTF-8). `truncated` says the text was cut at `limit`.
 */
export function asText(bytes, limit) {
  const shown = bytes.subarray(0, limit);
  if (shown.includes(0)) return null;
  try {
    // `stream` keeps a multi-byte character cut by the limit from counting as invalid.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(shown, { stream: bytes.length > limit });
    return { text, truncated: bytes.length > limit };
  } catch {
    return null;
  }
}

/** `hexdump -C`-style lines of the first `limit` bytes, and a line for the rest. */
export function hexDump(bytes, limit = 1024) {
  const lines = [];
  const shown = bytes.subarray(0, limit);
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > shown.length) lines.push(`… ${bytes.length - shown.length} more bytes`);
  return lines.join('\n');
}

/** A stable hue (degrees) per layer index, so films, chips and rows agree. */
export function layerHue(index) {
  return Math.round((205 + index * 137.508) % 360);
}
