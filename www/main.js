// The playground page: wires the editor, the context tree, the panels and the engine
// worker to one state object, which is saved on every change (localStorage) and
// mirrored, throttled, into a shareable URL fragment.

import { sharedEngine, parseThenBuild, buildInput } from './engine.js';
import { examples, defaultExample, exampleNamed } from './examples.js';
import {
  stateFromExample, cloneState, sameState, encodeFragment, decodeFragment, isStateFragment,
  loadSaved, saveState, keepPrevious, loadPrevious, thisTab,
} from './state.js';
import { CodeEditor } from './views/editor.js';
import { ContextPanel } from './views/context.js';
import { createHelp } from './views/help.js';
import { el, button } from './views/dom.js';
import { hexDump } from './views/bytes.js';
import { PanelDeck } from './views/deck.js';
import { outlinePanel } from './views/outline.js';
import { timelinePanel } from './views/timeline.js';
import { logPanel } from './views/log.js';
import { filmsPanel } from './views/films.js';
import { filesPanel } from './views/fs.js';
import { cachePanel } from './views/cache.js';
import { storePanel } from './views/store.js';
import { buildersPanel } from './views/builders.js';
import { containerPanel } from './views/container.js';
import { exportPanel } from './views/export.js';
import { importPanel } from './views/import.js';

const PANELS = [outlinePanel, timelinePanel, logPanel, filmsPanel, filesPanel, cachePanel, storePanel, buildersPanel, containerPanel, exportPanel, importPanel];
const PARSE_DELAY_MS = 200;
const BUILD_DELAY_MS = 700;
const URL_DELAY_MS = 400;

const $ = (id) => document.getElementById(id);
const engine = sharedEngine(new URL('./worker.js', import.meta.url));

let lastUrlHash = null;
let lastBuild = null;
/** The inputs of the last build that succeeded: a cancelled build restores it. */
let lastGood = null;
let lastParsed = null;
let storageWarned = false;
let builtOnLoad = false;

// ---- Start-up: the URL wins over local work, which is kept as "previous session". ----

async function initialState() {
  const saved = loadSaved();
  const hash = location.hash;
  if (isStateFragment(hash)) {
    // A reload (or back/forward) of this tab's own URL: the saved state is as new or
    // newer. The URL may be older than the last one the page wrote (the browser can
    // reload before it learns of the last replaceState), so on a reload this tab's own
    // save wins too (the start-up URL write brings the address bar up to date).
    const navigation = performance.getEntriesByType('navigation')[0];
    const revisit = navigation && (navigation.type === 'reload' || navigation.type === 'back_forward');
    if (saved.state && revisit && saved.hash === hash) return { state: saved.state, hash };
    const reload = navigation && navigation.type === 'reload';
    if (saved.state && reload && saved.tab !== null && saved.tab === thisTab()) {
      return { state: saved.state, hash };
    }
    const shared = await decodeFragment(hash);
    if (shared) {
      if (saved.state && !sameState(saved.state, shared)) {
        keepPrevious(saved.state);
        return { state: shared, hash, notice: 'Opened the shared link.' };
      }
      return { state: shared, hash };
    }
    return { state: saved.state || stateFromExample(defaultExample), notice: 'The link\'s state could not be read (it may be cut short or from a newer version).' };
  }
  return { state: saved.state || stateFromExample(defaultExample), hash: null };
}

const start = await initialState();
const store = {
  state: start.state,
  /** Every change lands here: saved at once, URL and parse/build scheduled. */
  changed(what) {
    if (!saveState(store.state, lastUrlHash) && !storageWarned) {
      storageWarned = true;
      notify('This browser refused to save your work (storage full or disabled). Use “Share link” to keep it.');
    }
    scheduleUrl();
    if (what === 'dockerfile' || what === 'context' || what === 'args' || what === 'all') {
      if (what === 'dockerfile' || what === 'all') scheduleParse();
      scheduleBuild();
    }
    // A rename or delete may have moved or removed the open file.
    if (what === 'context') showOpenFile();
  },
};
lastUrlHash = start.hash;
saveState(store.state, lastUrlHash);

// ---- URL fragment, throttled. ----

let urlTimer = null;
function scheduleUrl() {
  if (urlTimer) return;
  urlTimer = setTimeout(() => {
    urlTimer = null;
    writeUrl();
  }, URL_DELAY_MS);
}

let urlWrites = 0;

/**
 * Encodes the current state into the address bar; resolves to its fragment. Only
 * the newest write lands: an older one still compressing when a newer one starts
 * would otherwise put an older state back into the URL (and into a shared link).
 */
async function writeUrl() {
  const mine = ++urlWrites;
  const hash = `#${await encodeFragment(store.state)}`;
  if (mine !== urlWrites) return hash;
  if (hash !== location.hash) history.replaceState(null, '', hash);
  lastUrlHash = hash;
  saveState(store.state, lastUrlHash);
  return hash;
}

// ---- Notices: short messages with an optional action (no browser dialogs). ----

function notify(message, action) {
  const notice = $('notice');
  notice.replaceChildren(message);
  if (action) notice.append(' ', button(action.label, 'link', action.run));
  notice.append(' ', button('×', 'link dismiss', () => { notice.hidden = true; }, 'Dismiss this message'));
  notice.hidden = false;
}

function offerPrevious(message, label = 'Restore your previous session') {
  if (!loadPrevious()) {
    notify(message);
    return;
  }
  notify(message, {
    label,
    run: () => {
      const previous = loadPrevious();
      if (!previous) return;
      keepPrevious(store.state);
      replaceState(previous);
      offerPrevious('Restored your previous session.', 'Undo');
    },
  });
}

/** Replaces the whole state (example, restore, pasted link) and redraws everything. */
function replaceState(state) {
  store.state = state;
  // The old parse describes another Dockerfile: drop it until the new one is parsed.
  lastParsed = null;
  delete editor.root.dataset.parsed;
  if (state.example && exampleNamed(state.example)) $('examples').value = state.example;
  contextPanel.render();
  showOpenFile();
  renderLesson();
  renderBuildArgs();
  lastBuild = null;
  store.changed('all');
  clearTimeout(parseTimer);
  parseNow();
  updatePanels();
}

// ---- Editor and its tabs. ----

const editor = new CodeEditor($('editor-host'), {
  label: 'Dockerfile',
  onInput(text) {
    const { state } = store;
    if (state.open === null) {
      state.dockerfile = text;
      store.changed('dockerfile');
    } else if (state.files.has(state.open) && typeof state.files.get(state.open) === 'string') {
      state.files.set(state.open, text);
      store.changed('file');
      contextPanel.render();
      scheduleBuild();
    }
  },
});
editor.root.id = 'editor';

function languageOf(path) {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.dockerignore' || name.endsWith('.dockerignore')) return 'dockerignore';
  if (/^(Dockerfile|Containerfile)(\..*)?$|\.Dockerfile$/i.test(name)) return 'dockerfile';
  return 'plain';
}

function showOpenFile() {
  const { state } = store;
  if (state.open !== null && !state.files.has(state.open)) state.open = null;
  const content = state.open === null ? state.dockerfile : state.files.get(state.open);
  const binary = typeof content !== 'string';
  $('editor-host').hidden = binary;
  $('binary-view').hidden = !binary;
  if (binary) {
    const pre = el('pre', 'hex', hexDump(content));
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `Bytes of ${state.open}`);
    $('binary-view').replaceChildren(el('p', 'muted', `${state.open} is a binary file (${content.length} bytes); it is kept as bytes and cannot be edited here.`), pre);
  } else {
    editor.setValue(content, state.open === null ? 'dockerfile' : languageOf(state.open));
    editor.setDiagnostics(state.open === null && lastParsed ? lastParsed.diagnostics : []);
    editor.label = state.open === null ? 'Dockerfile' : `Context file ${state.open}`;
    editor.showProblems(state.open === null);
  }
  renderTabs();
  contextPanel.render();
}

function openFile(path) {
  store.state.open = path;
  showOpenFile();
  store.changed('open');
  editor.input.focus();
}

function renderTabs() {
  const { state } = store;
  const tabs = [];
  const dockerfileTab = button('Dockerfile', 'tab', () => openFile(null));
  dockerfileTab.setAttribute('aria-pressed', String(state.open === null));
  tabs.push(dockerfileTab);
  if (state.open !== null) {
    const fileTab = button(state.open, 'tab', () => editor.input.focus());
    fileTab.setAttribute('aria-pressed', 'true');
    fileTab.setAttribute('aria-label', `Context file ${state.open}`);
    tabs.push(fileTab, button('×', 'icon', () => openFile(null), `Close ${state.open}`));
  }
  $('editor-tabs').replaceChildren(...tabs);
}

// ---- Context panel. ----

const contextPanel = new ContextPanel($('context-host'), { store, onOpen: openFile });

// ---- Lesson and examples. ----

function renderLesson() {
  const example = store.state.example ? exampleNamed(store.state.example) : null;
  $('lesson').hidden = !example;
  if (example) {
    $('lesson-title').textContent = `About this example: ${example.title}`;
    $('lesson-text').textContent = example.lesson;
  }
}

for (const example of examples) {
  const option = el('option', null, example.title);
  option.value = example.name;
  $('examples').append(option);
}
$('examples').value = store.state.example && exampleNamed(store.state.example) ? store.state.example : defaultExample.name;
$('examples-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const example = exampleNamed($('examples').value);
  const next = stateFromExample(example);
  if (sameState(next, store.state)) return;
  keepPrevious(cloneState(store.state));
  replaceState(next);
  $('lesson').open = true;
  offerPrevious(`Opened the example “${example.title}”.`);
});

// ---- Build arguments and secrets: one NAME=value per line. ----

function renderBuildArgs() {
  $('build-args').value = store.state.buildArgs.map(([k, v]) => `${k}=${v}`).join('\n');
  $('build-secrets').value = (store.state.secrets || []).map(([k, v]) => `${k}=${v}`).join('\n');
}

function namedValues(text) {
  return text.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const eq = line.indexOf('=');
      return eq === -1 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
    });
}

$('build-args').addEventListener('input', () => {
  store.state.buildArgs = namedValues($('build-args').value);
  store.changed('args');
});

$('build-secrets').addEventListener('input', () => {
  store.state.secrets = namedValues($('build-secrets').value);
  store.changed('args');
});

// ---- Parsing (debounced) and building. ----

let parseTimer = null;
function scheduleParse() {
  clearTimeout(parseTimer);
  parseTimer = setTimeout(parseNow, PARSE_DELAY_MS);
}

async function parseNow() {
  const text = store.state.dockerfile;
  try {
    await engine.whenReady();
    const parsed = await engine.request('parse', { text });
    if (text !== store.state.dockerfile) return;
    lastParsed = parsed;
    if (store.state.open === null) editor.setDiagnostics(parsed.diagnostics);
    editor.root.dataset.parsed = 'true';
    // Milliseconds from navigation start to the first answer, for the page benchmark.
    document.body.dataset.firstParseMs ??= String(Math.round(performance.now()));
    updatePanels();
  } catch (error) {
    if (error.message !== 'cancelled') notify(`The parser failed: ${error.message}`);
  }
}

let buildTimer = null;
function scheduleBuild() {
  if (!engine.has('Session')) return;
  clearTimeout(buildTimer);
  buildTimer = setTimeout(buildNow, BUILD_DELAY_MS);
}

async function buildNow() {
  clearTimeout(buildTimer);
  const inputs = cloneState(store.state);
  try {
    lastBuild = await parseThenBuild(engine, 'main', inputs, {
      onProgress: (value) => { $('progress-text').textContent = progressText(value); },
    });
    if (lastBuild.ok) lastGood = inputs;
  } catch (error) {
    // A cancelled build is answered by cancelBuild, which restores the last good one.
    if (error.message === 'cancelled') return;
    lastBuild = { ok: false, error: error.message, imageId: null, steps: [], log: '' };
  }
  document.body.dataset.firstBuildMs ??= String(Math.round(performance.now()));
  const steps = lastBuild.steps || [];
  if (store.state.step !== null && store.state.step >= steps.length) store.state.step = null;
  updatePanels();
}

function progressText(value) {
  if (value && typeof value === 'object') {
    const count = typeof value.done === 'number' && typeof value.total === 'number' ? ` (${value.done}/${value.total})` : '';
    return `${value.message || 'Building'}${count}`;
  }
  return String(value ?? 'Working…');
}

$('build').addEventListener('click', buildNow);

// ---- Panels: one capability check decides between the panel and its honest empty state. ----

const panelApp = {
  parsed: () => lastParsed,
  goToLine(line) {
    if (store.state.open !== null) openFile(null);
    editor.focusAt(line, 1);
  },
  build: () => lastBuild,
  step: () => store.state.step,
  select(step) {
    store.state.step = step;
    store.changed('step');
    updatePanels();
  },
  session: (method, args, transfer) => engine.request('session', { session: 'main', method, args }, { label: method, transfer }),
  /** Highlights whole Dockerfile lines in the editor (the cache panel's advice). */
  showLines(lines) {
    if (store.state.open !== null) openFile(null);
    editor.selectLines(Math.min(...lines), Math.max(...lines));
  },
  has: (name) => engine.has(name),
  /** A stateless engine export (feature-detect with has() first). */
  call: (name, args) => engine.request('call', { name, args }, { label: name }),
  /** The current inputs as one string, so a panel can tell whether they changed. */
  inputsKey: () => JSON.stringify([store.state.dockerfile, [...store.state.files].map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]), store.state.buildArgs, store.state.secrets]),
  /** Builds the current inputs in another worker session, with extra request fields. */
  buildIn: (session, extra) => engine.request('build', { session, input: { ...buildInput(store.state), ...extra } }, { label: 'build' }),
  sessionIn: (session, method, args) => engine.request('session', { session, method, args }, { label: method }),
};

const deck = new PanelDeck($('panel-switch'), $('panel-hosts'), PANELS, engine, panelApp);

function updatePanels() {
  deck.update();
  const canBuild = engine.state === 'ready' && engine.has('Session');
  $('build').disabled = !canBuild;
  $('build-note').textContent = engine.state === 'ready' && !canBuild ? 'Parsing only: the build engine arrives in the next release.' : '';
}

// ---- Engine status, progress and cancel. ----

function renderEngineState() {
  const status = $('engine-status');
  status.dataset.state = engine.state;
  const text = { loading: 'Engine loading…', ready: `Engine ${engine.version}`, error: `Engine failed: ${engine.error}` }[engine.state];
  $('engine-state').textContent = text;
  if (engine.state === 'ready') {
    $('engine-version').textContent = engine.version;
    document.body.dataset.engineReady = 'true';
    parseNow();
    // The first time the engine is ready, build what is in the editor at once: the
    // reader sees steps without a click (not after a cancel-restart, though).
    if (!builtOnLoad && engine.has('Session')) {
      builtOnLoad = true;
      buildNow();
    }
  } else {
    delete document.body.dataset.engineReady;
  }
  updatePanels();
}

engine.addEventListener('state', renderEngineState);
let elapsedTimer = null;
function showElapsed() {
  const slow = engine.slowRequests();
  const current = slow.find((entry) => entry.type === 'build') || slow[slow.length - 1];
  $('progress-elapsed').textContent = current ? `${((performance.now() - current.started) / 1000).toFixed(1)} s` : '';
}

engine.addEventListener('busy', () => {
  const slow = engine.slowRequests();
  $('progress').hidden = slow.length === 0;
  clearInterval(elapsedTimer);
  elapsedTimer = slow.length > 0 ? setInterval(showElapsed, 100) : null;
  showElapsed();
  if (slow.length > 0) {
    // A build is what the user waits for; a parse queued behind it is not news.
    const current = slow.find((entry) => entry.type === 'build') || slow[slow.length - 1];
    const building = current.type === 'build';
    $('progress-text').textContent = current.progress ? progressText(current.progress) : building ? 'Building…' : `Working: ${current.label}…`;
    $('cancel').textContent = building ? 'Cancel build' : 'Cancel';
    const value = current.progress;
    const bar = $('progress-bar');
    if (value && typeof value.done === 'number' && typeof value.total === 'number' && value.total > 0) {
      bar.max = value.total;
      bar.value = value.done;
    } else {
      bar.removeAttribute('value');
    }
  }
});
/**
 * Stops whatever the engine is doing by replacing its worker, then builds the last
 * good inputs again in the fresh one, so the panels show that build (the editor keeps
 * the user's current text).
 */
async function cancelBuild() {
  clearTimeout(buildTimer);
  engine.restart('cancelled');
  lastBuild = null;
  deck.reset();
  const good = lastGood;
  if (!good) {
    notify('Build cancelled. The engine was restarted; nothing had been built before.');
    return;
  }
  notify('Build cancelled. Restoring the last good build…');
  try {
    const restored = await parseThenBuild(engine, 'main', good);
    if (lastBuild === null && restored.ok) lastBuild = restored;
    notify('Build cancelled. The panels show the last good build again; your edits are kept.');
  } catch (error) {
    if (error.message !== 'cancelled') notify(`Build cancelled. The last good build could not be restored: ${error.message}`);
  }
  updatePanels();
}

$('cancel').addEventListener('click', cancelBuild);

// ---- Share, theme, help. ----

$('share').addEventListener('click', async () => {
  clearTimeout(urlTimer);
  urlTimer = null;
  const link = `${location.href.split('#')[0]}${await writeUrl()}`;
  try {
    await navigator.clipboard.writeText(link);
    notify('Link copied: it holds the Dockerfile, the context files, the build arguments and the selected step; build secrets stay in this browser.');
  } catch {
    const field = el('input', 'share-field');
    field.readOnly = true;
    field.value = link;
    field.setAttribute('aria-label', 'Shareable link');
    notify('Copy this link: ');
    $('notice').insertBefore(field, $('notice').lastChild);
    field.focus();
    field.select();
  }
});

const THEMES = ['auto', 'light', 'dark'];
function applyTheme(theme) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  $('theme').textContent = `Theme: ${theme}`;
  $('theme').setAttribute('aria-label', theme === 'auto' ? 'Colour theme: follows the system; press to change' : `Colour theme: ${theme}; press to change`);
}
let theme = THEMES.includes(localStorage.getItem('layerlab.theme')) ? localStorage.getItem('layerlab.theme') : 'auto';
applyTheme(theme);
$('theme').addEventListener('click', () => {
  theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  localStorage.setItem('layerlab.theme', theme);
  applyTheme(theme);
});

createHelp($('help'), document.body);

// A link pasted into this tab's address bar replaces the state; the old one is kept.
window.addEventListener('hashchange', async () => {
  if (location.hash === lastUrlHash || !isStateFragment(location.hash)) return;
  const shared = await decodeFragment(location.hash);
  if (!shared) {
    notify('That link\'s state could not be read.');
    return;
  }
  lastUrlHash = location.hash;
  if (!sameState(shared, store.state)) keepPrevious(cloneState(store.state));
  replaceState(shared);
  offerPrevious('Opened the link.');
});

// ---- First paint. ----

showOpenFile();
renderLesson();
renderBuildArgs();
renderEngineState();
if (start.notice) offerPrevious(start.notice);
scheduleUrl();
