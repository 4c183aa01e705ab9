// Unit tests of the page's pure modules, run by Node without a browser: the Dockerfile
// highlighter's line rules, the URL fragment round trip, and the example data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizeDockerfile } from '../../www/highlight.js';
import { stateFromExample, encodeFragment, decodeFragment, serialize, bytesToBase64url } from '../../www/state.js';
import { examples, exampleNamed } from '../../www/examples.js';
import { concepts } from '../../www/concepts.js';

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
    ['python', 'python-ubuntu', 'go-multistage', 'node', 'apt-cleanup', 'cache-busting', 'whiteouts']);
  for (const example of examples) {
    assert.ok(example.lesson.length > 100, example.name);
    assert.match(example.dockerfile, /^(# syntax=.*\n)?FROM /, example.name);
  }
  assert.equal(exampleNamed('python').dockerfile,
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "main.py"]\n');
  assert.equal(exampleNamed('python').files['requirements.txt'], 'flask\n');
  assert.deepEqual(concepts.map((c) => c.id),
    ['base-image', 'intermediate-images', 'empty-layers', 'union-filesystem', 'container-layer', 'cache-keys',
      'shared-layers', 'builders']);
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
