// Unit tests of the page's pure modules, run by Node without a browser: the Dockerfile
// highlighter's line rules, the URL fragment round trip, and the example data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeDockerfile } from '../../www/highlight.js';
import { stateFromExample, encodeFragment, decodeFragment, serialize, bytesToBase64url } from '../../www/state.js';
import { examples, exampleNamed } from '../../www/examples.js';
import { concepts } from '../../www/concepts.js';
import { modeString, asText, hexDump, layerHue } from '../../www/views/bytes.js';

/** Each line as "class:text" pairs, blanks dropped, for readable expectations. */
function classes(text) {
  return tokenizeDockerfile(text).map((line) =>
    line.filter((t) => t.text.trim() !== '').map((t) => `${t.cls}:${t.text.trim()}`).join(' '));
}

test('the highlighter follows BuildKit line rules', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    '# escape=`',
    'FROM golang:1.22 AS build',
    'RUN --mount=type=cache,target=/root/.cache echo "$HOME/${GOPATH:-x}" `',
    '  # a comment inside a continuation',
    '  && go build',
    'COPY <<-EOT /etc/motd',
    '\thello $USER',
    '\tEOT',
    'frobnicate now',
  ].join('\n');
  assert.deepEqual(classes(text), [
    'directive:# syntax=docker/dockerfile:1',
    'directive:# escape=`',
    'keyword:FROM plain:golang:1.22 keyword:AS plain:build',
    'keyword:RUN flag:--mount=type=cache,target=/root/.cache plain:echo string:"'
      + ' variable:$HOME string:/ variable:${GOPATH:-x} string:" escape:`',
    'comment:# a comment inside a continuation',
    'plain:&& go build',
    'keyword:COPY heredoc-marker:<<-EOT plain:/etc/motd',
    'heredoc:hello $USER',
    'heredoc-end:EOT',
    'keyword-unknown:frobnicate plain:now',
  ]);
  // Tokens never lose or add a character.
  assert.equal(tokenizeDockerfile(text).map((line) => line.map((t) => t.text).join('')).join('\n'), text);
});

test('the state survives the URL fragment, bytes and non-ASCII included', async () => {
  const state = stateFromExample(exampleNamed('python'));
  state.files.set('logo.bin', new Uint8Array([0, 255, 128, 10]));
  state.files.set('notes/ünï.txt', 'snow ☃\n');
  state.dirs.add('empty');
  state.buildArgs = [['VERSION', '1.2']];
  state.step = 3;
  const fragment = await encodeFragment(state);
  assert.match(fragment, /^v1:[A-Za-z0-9_-]+$/);
  const back = await decodeFragment(`#${fragment}`);
  assert.deepEqual(serialize(back), serialize(state));
  assert.ok(fragment.length < 600, `the seed example's link stays short (${fragment.length} characters)`);

  const plain = `v1p:${bytesToBase64url(new TextEncoder().encode(JSON.stringify(serialize(state))))}`;
  assert.deepEqual(serialize(await decodeFragment(plain)), serialize(state));
});

test('malformed fragments decode to null, never throw', async () => {
  for (const hash of ['', '#', '#v1:', '#v1:@@@', '#v2:abc', '#v1p:bm90IGpzb24', '#v1:AAAA', '#section-2']) {
    assert.equal(await decodeFragment(hash), null, hash);
  }
});

test('every example and concept is complete', () => {
  assert.deepEqual(examples.map((e) => e.name),
    ['python', 'python-ubuntu', 'go-multistage', 'go-distroless', 'node', 'httpd-site', 'spring-boot', 'php-apache', 'apt-cleanup',
      'cache-busting', 'mounts', 'whiteouts']);
  for (const example of examples) {
    assert.ok(example.lesson.length > 100, example.name);
    assert.match(example.dockerfile, /^(# syntax=.*\n)?FROM /, example.name);
  }
  assert.equal(exampleNamed('python').dockerfile,
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "main.py"]\n');
  assert.equal(exampleNamed('python').files['requirements.txt'], 'flask\n');
  assert.deepEqual(concepts.map((c) => c.id),
    ['base-image', 'intermediate-images', 'empty-layers', 'union-filesystem', 'container-layer', 'cache-keys',
      'shared-layers', 'distroless', 'builders']);
});

test('index.html preloads exactly the modules main.js imports', async () => {
  const { readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const www = new URL('../../www', import.meta.url).pathname;
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(path.join(www, file), 'utf8');
    for (const [, spec] of source.matchAll(/^import\s[^'"]*['"](\.[^'"]+)['"]/gm)) {
      walk(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
    }
  };
  walk('main.js');
  const html = readFileSync(path.join(www, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/rel="modulepreload" href="\.\/([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...preloaded].sort(), [...seen].sort());
});

test('the container panel words processes and writable-layer entries', async () => {
  const { displayArgv, entryNote } = await import('../../www/views/container.js');
  assert.equal(displayArgv(['python', 'main.py']), 'python main.py');
  assert.equal(displayArgv(['/bin/sh', '-c', "echo it's"]), "/bin/sh -c 'echo it'\\''s'");
  assert.equal(entryNote({ kind: 'copied-up', fromLayer: 3 }), 'copied up from layer 3');
  assert.equal(entryNote({ kind: 'whiteout', fromLayer: 0 }), "whiteout: hides layer 0's entry");
  assert.equal(entryNote({ kind: 'added', fromLayer: null }), 'added');
});

test('the file viewer\'s helpers: ls-style modes, text or binary, hex dump, layer hues', () => {
  assert.equal(modeString('d', 0o755), 'drwxr-xr-x');
  assert.equal(modeString('f', 0o644), '-rw-r--r--');
  assert.equal(modeString('l', 0o777), 'lrwxrwxrwx');
  assert.equal(modeString('f', 0o4755), '-rwsr-xr-x');
  assert.equal(modeString('f', 0o2644), '-rw-r-Sr--');
  assert.equal(modeString('d', 0o1777), 'drwxrwxrwt');
  const utf8 = new TextEncoder().encode('héllo\n');
  assert.deepEqual(asText(utf8, 100), { text: 'héllo\n', truncated: false });
  // Cut inside the two-byte é: still text, marked truncated.
  assert.deepEqual(asText(utf8, 2), { text: 'h', truncated: true });
  assert.equal(asText(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0]), 100), null, 'a NUL byte means binary');
  assert.equal(asText(new Uint8Array([0xff, 0xfe, 0x41]), 100), null, 'not UTF-8 means binary');
  const dump = hexDump(new Uint8Array([...Array(20).keys()]), 16).split('\n');
  assert.equal(dump[0], `00000000  ${[...Array(16).keys()].map((b) => b.toString(16).padStart(2, '0')).join(' ')}  ................`);
  assert.equal(dump[1], '… 4 more bytes');
  const hues = new Set([0, 1, 2, 3, 4, 5, 6, 7].map(layerHue));
  assert.equal(hues.size, 8, 'neighbouring layers get different colours');
});

test('the image store names images as docker images does', async () => {
  const { familiarName } = await import('../../www/views/dom.js');
  assert.equal(familiarName('docker.io/library/python:3.12-slim'), 'python:3.12-slim');
  assert.equal(familiarName('docker.io/team/tool:1'), 'team/tool:1');
  assert.equal(familiarName('gcr.io/distroless/static-debian12:nonroot'), 'gcr.io/distroless/static-debian12:nonroot');
  assert.equal(familiarName('localhost/lesson:latest'), 'localhost/lesson:latest');
});
