// <layer-lab>: the playground as an embeddable element for tutorial pages. A host page
// needs one <script type="module" src=".../layer-lab.js">; the element finds the worker,
// the wasm and its stylesheet next to this file (import.meta.url), so no build step.
//
// Attributes: dockerfile (text), src (an example name from examples.js, or a same-origin
// URL of a Dockerfile or of JSON { dockerfile, files }), step (index into the build's
// steps), panels (comma-separated: editor, context, outline, steps, log, layers, files,
// cache, store, container, export), readonly (boolean), theme (light or dark).
// Script API: el.dockerfile (get/set), el.files (a copy), el.setFile(path, content),
// el.removeFile(path), el.select(step), await el.build(), and a `build` event whose
// detail is the same summary build() resolves to.

import { sharedEngine, parseThenBuild, buildSummary } from './engine.js';
import { exampleNamed } from './examples.js';
import { CodeEditor } from './views/editor.js';
import { ContextPanel, normalizePath } from './views/context.js';
import { PanelDeck } from './views/deck.js';
import { createHelp } from './views/help.js';
import { el, button } from './views/dom.js';
import { outlinePanel } from './views/outline.js';
import { timelinePanel } from './views/timeline.js';
import { logPanel } from './views/log.js';
import { filmsPanel } from './views/films.js';
import { filesPanel } from './views/fs.js';
import { cachePanel } from './views/cache.js';
import { storePanel } from './views/store.js';
import { containerPanel } from './views/container.js';
import { exportPanel } from './views/export.js';

const PANELS = {
  outline: outlinePanel,
  steps: timelinePanel,
  log: logPanel,
  layers: filmsPanel,
  files: filesPanel,
  cache: cachePanel,
  store: storePanel,
  container: containerPanel,
  export: exportPanel,
};
const DEFAULT_PANELS = 'editor,context,outline,steps';
const PARSE_DELAY_MS = 200;
const BUILD_DELAY_MS = 700;

const ELEMENT_CSS = `
:host { display: block; border: 1px solid var(--border); border-radius: 8px; background: var(--bg);
  color: var(--fg); font: 14px/1.45 var(--sans); overflow: hidden; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.ll-bar { display: flex; align-items: center; gap: 8px; padding: 6px 10px; border-bottom: 1px solid var(--border); background: var(--panel); }
.ll-title { font-weight: 700; margin-right: auto; }
.ll-status { color: var(--muted); font-size: 0.85em; }
.ll-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); height: var(--layer-lab-height, 340px); }
.ll-body.single { grid-template-columns: minmax(0, 1fr); }
.ll-left { display: flex; flex-direction: column; gap: 4px; padding: 8px; min-height: 0; min-width: 0; }
.ll-left[hidden] { display: none; }
.ll-tabs { display: flex; gap: 4px; align-items: center; }
.ll-tabs .tab { font-family: var(--mono); font-size: 12px; padding: 1px 8px; }
.ll-editor { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.ll-context { max-height: 35%; min-height: 0; overflow: auto; border-top: 1px solid var(--border); padding-top: 4px; }
.ll-context .ctx-hint { display: none; }
.ll-right { display: flex; flex-direction: column; min-height: 0; min-width: 0; border-left: 1px solid var(--border); background: var(--panel); }
.ll-right[hidden] { display: none; }
.panel-switch { display: flex; flex-wrap: wrap; gap: 3px; padding: 6px 8px; border-bottom: 1px solid var(--border); }
.panel-switch[hidden] { display: none; }
.panel-toggle { padding: 1px 7px; font-size: 0.85em; }
.panel-hosts { flex: 1; min-height: 0; overflow: auto; padding: 8px 10px; }
.panel-host[hidden] { display: none; }
.ll-error { color: var(--error); margin: 0; padding: 4px 10px; }
.ll-error:empty { display: none; }
`;

let sessions = 0;

/** The <layer-lab> custom element. */
export class LayerLab extends HTMLElement {
  static get observedAttributes() {
    return ['dockerfile', 'src', 'step', 'readonly'];
  }

  constructor() {
    super();
    this.state = { dockerfile: '', files: new Map(), dirs: new Set(), buildArgs: [], step: null, open: null, example: null };
    this.sessionName = `layer-lab-${++sessions}`;
    this.lastParsed = null;
    this.lastBuild = null;
    this.rendered = false;
    this.loading = Promise.resolve();
  }

  connectedCallback() {
    if (this.rendered) return;
    this.rendered = true;
    this.engine = sharedEngine(new URL('./worker.js', import.meta.url));
    this.renderShell();
    // A value assigned before the element was defined shadows the accessor: re-apply it.
    if (Object.prototype.hasOwnProperty.call(this, 'dockerfile')) {
      const text = this.dockerfile;
      delete this.dockerfile;
      this.dockerfile = text;
    }
    this.editor.setValue(this.state.dockerfile, 'dockerfile');
    this.context.render();
    this.engine.addEventListener('state', () => this.engineChanged());
    // A cancel on the page replaces the shared worker: this element's Session is gone,
    // so its panels forget the old build until engineChanged builds again.
    this.engine.addEventListener('restart', () => { this.lastBuild = null; });
    if (this.hasAttribute('src')) this.loading = this.loadSource(this.getAttribute('src'));
    else this.applyDockerfileAttribute();
    this.loading.then(() => this.engineChanged());
  }

  attributeChangedCallback(name, previous, value) {
    if (!this.rendered || previous === value) return;
    if (name === 'dockerfile') this.applyDockerfileAttribute();
    else if (name === 'src' && value !== null) this.loading = this.loadSource(value);
    else if (name === 'step') this.select(value === null ? null : Number(value));
    else if (name === 'readonly') this.applyReadOnly();
  }

  // ---- The script API. ----

  /** The Dockerfile text. */
  get dockerfile() {
    return this.state.dockerfile;
  }

  set dockerfile(text) {
    this.state.dockerfile = String(text);
    if (!this.rendered) return;
    if (this.state.open === null) this.editor.setValue(this.state.dockerfile, 'dockerfile');
    this.changed(true);
  }

  /** A copy of the context files: { path: string | Uint8Array }. */
  get files() {
    return Object.fromEntries(this.state.files);
  }

  /** Adds or replaces a context file (text or a Uint8Array). Throws on a bad path. */
  setFile(path, content) {
    const normalized = normalizePath(path);
    if (normalized.error) throw new Error(`${normalized.error}: ${path}`);
    const value = content instanceof Uint8Array ? content : String(content);
    this.state.files.set(normalized.path, value);
    if (!this.rendered) return;
    if (this.state.open === normalized.path && typeof value === 'string') this.editor.setValue(value, 'plain');
    this.context.render();
    this.changed(false);
  }

  /** Removes a context file, or a folder with everything in it. */
  removeFile(path) {
    const normalized = normalizePath(path);
    if (normalized.error) throw new Error(`${normalized.error}: ${path}`);
    const target = normalized.path;
    for (const key of [...this.state.files.keys()]) {
      if (key === target || key.startsWith(`${target}/`)) this.state.files.delete(key);
    }
    for (const dir of [...this.state.dirs]) {
      if (dir === target || dir.startsWith(`${target}/`)) this.state.dirs.delete(dir);
    }
    if (!this.rendered) return;
    if (this.state.open !== null && !this.state.files.has(this.state.open)) this.openFile(null);
    this.context.render();
    this.changed(false);
  }

  /** Selects a step (an index into the last build's steps); null selects the last. */
  select(step) {
    this.state.step = Number.isInteger(step) && step >= 0 ? step : null;
    if (this.rendered) this.deck.update();
  }

  /**
   * Builds the current inputs. Resolves { ok, error, imageId, steps }; a Dockerfile
   * that does not parse resolves { ok: false, error: 'line N: message', steps: [] }.
   * Rejects when this version has no build engine. Fires `build` after every build.
   */
  async build() {
    await this.loading;
    clearTimeout(this.buildTimer);
    let result;
    try {
      result = await parseThenBuild(this.engine, this.sessionName, this.state);
    } catch (error) {
      this.errorLine.textContent = error.message;
      throw error;
    }
    this.lastParsed = result.parsed;
    if (this.state.open === null) {
      this.editor.setDiagnostics(result.parsed.diagnostics);
      this.editor.root.dataset.parsed = 'true';
    }
    this.lastBuild = result;
    const summary = buildSummary(result);
    if (this.state.step !== null && this.state.step >= summary.steps.length) this.state.step = null;
    this.errorLine.textContent = summary.ok ? '' : summary.error || '';
    this.deck.update();
    this.dispatchEvent(new CustomEvent('build', { detail: summary, bubbles: true, composed: true }));
    return summary;
  }

  // ---- Rendering. ----

  renderShell() {
    const root = this.attachShadow({ mode: 'open' });
    const sheet = el('link');
    sheet.rel = 'stylesheet';
    sheet.href = new URL('./components.css', import.meta.url).href;
    const style = el('style', null, ELEMENT_CSS);
    const panels = (this.getAttribute('panels') || DEFAULT_PANELS).split(/[\s,]+/).filter(Boolean);
    this.panelNames = panels;

    const bar = el('div', 'll-bar');
    this.titleNode = el('span', 'll-title', 'layerlab');
    this.status = el('span', 'll-status', 'Engine loading…');
    this.status.setAttribute('role', 'status');
    this.buildButton = button('Build', 'small primary', () => this.build().catch((error) => {
      this.errorLine.textContent = error.message;
    }));
    bar.append(this.titleNode, this.status, this.buildButton);
    this.errorLine = el('p', 'll-error');
    this.errorLine.setAttribute('role', 'alert');

    const body = el('div', 'll-body');
    const left = el('div', 'll-left');
    left.hidden = !panels.includes('editor') && !panels.includes('context');
    this.tabs = el('div', 'll-tabs');
    const editorHost = el('div', 'll-editor');
    editorHost.hidden = !panels.includes('editor');
    this.editor = new CodeEditor(editorHost, {
      label: 'Dockerfile',
      onInput: (text) => {
        if (this.state.open === null) {
          this.state.dockerfile = text;
          this.changed(true);
        } else {
          this.state.files.set(this.state.open, text);
          this.context.render();
          this.changed(false);
        }
      },
    });
    const contextHost = el('div', 'll-context');
    contextHost.hidden = !panels.includes('context');
    const store = {
      state: this.state,
      changed: () => {
        if (this.state.open !== null && !this.state.files.has(this.state.open)) this.openFile(null);
        else this.renderTabs();
        this.changed(false);
      },
    };
    this.context = new ContextPanel(contextHost, { store, onOpen: (path) => this.openFile(path) });
    left.append(this.tabs, editorHost, contextHost);

    const right = el('div', 'll-right');
    const switchHost = el('nav', 'panel-switch');
    switchHost.setAttribute('aria-label', 'Panels');
    const hosts = el('div', 'panel-hosts');
    right.append(switchHost, hosts);
    const chosen = panels.filter((name) => PANELS[name]).map((name) => PANELS[name]);
    right.hidden = chosen.length === 0;
    body.classList.toggle('single', left.hidden || right.hidden);
    body.append(left, right);

    const dialog = el('dialog');
    root.append(sheet, style, bar, this.errorLine, body, dialog);
    createHelp(dialog, root);

    this.deck = new PanelDeck(switchHost, hosts, chosen, this.engine, {
      parsed: () => this.lastParsed,
      build: () => this.lastBuild,
      step: () => this.state.step,
      select: (step) => this.select(step),
      session: (method, args) => this.engine.request('session', { session: this.sessionName, method, args }),
      goToLine: (line) => {
        this.openFile(null);
        this.editor.focusAt(line, 1);
      },
      showLines: (lines) => {
        this.openFile(null);
        this.editor.selectLines(Math.min(...lines), Math.max(...lines));
      },
    });
    const step = this.getAttribute('step');
    if (step !== null) this.state.step = Number(step);
    this.applyReadOnly();
    this.renderTabs();
  }

  applyReadOnly() {
    const readOnly = this.hasAttribute('readonly');
    this.editor.readOnly = readOnly;
    this.context.setReadOnly(readOnly);
  }

  applyDockerfileAttribute() {
    const text = this.getAttribute('dockerfile');
    if (text !== null) this.dockerfile = text;
  }

  async loadSource(src) {
    const example = exampleNamed(src);
    try {
      if (example) {
        this.titleNode.textContent = example.title;
        this.state.files = new Map(Object.entries(example.files));
        this.state.dirs = new Set();
        this.dockerfile = this.getAttribute('dockerfile') ?? example.dockerfile;
        this.context.render();
        return;
      }
      const url = new URL(src, document.baseURI);
      if (url.origin !== location.origin) throw new Error(`src must be an example name or a same-origin URL: ${src}`);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not load ${src}: HTTP ${response.status}`);
      const text = await response.text();
      let project = null;
      if ((response.headers.get('content-type') || '').includes('json')) project = JSON.parse(text);
      if (project) {
        this.state.files = new Map(Object.entries(project.files || {}).map(([path, content]) => [path, String(content)]));
        this.dockerfile = String(project.dockerfile || '');
      } else {
        this.dockerfile = text;
      }
      this.context.render();
    } catch (error) {
      this.errorLine.textContent = error.message;
    }
  }

  openFile(path) {
    this.state.open = path;
    const content = path === null ? this.state.dockerfile : this.state.files.get(path);
    if (typeof content === 'string') {
      this.editor.setValue(content, path === null ? 'dockerfile' : path.endsWith('.dockerignore') ? 'dockerignore' : 'plain');
      this.editor.label = path === null ? 'Dockerfile' : `Context file ${path}`;
      this.editor.showProblems(path === null);
      this.editor.setDiagnostics(path === null && this.lastParsed ? this.lastParsed.diagnostics : []);
    }
    this.renderTabs();
    this.context.render();
  }

  renderTabs() {
    const tabs = [];
    const dockerfileTab = button('Dockerfile', 'tab', () => this.openFile(null));
    dockerfileTab.setAttribute('aria-pressed', String(this.state.open === null));
    tabs.push(dockerfileTab);
    if (this.state.open !== null) {
      const fileTab = button(this.state.open, 'tab', null, `Context file ${this.state.open}`);
      fileTab.setAttribute('aria-pressed', 'true');
      tabs.push(fileTab);
    }
    this.tabs.replaceChildren(...tabs);
  }

  /** After any edit: parse (debounced) and, with a build engine, rebuild (debounced). */
  changed(dockerfileChanged) {
    if (dockerfileChanged) {
      clearTimeout(this.parseTimer);
      this.parseTimer = setTimeout(() => this.parse(), PARSE_DELAY_MS);
    }
    if (this.engine.state === 'ready' && this.engine.has('Session')) {
      clearTimeout(this.buildTimer);
      this.buildTimer = setTimeout(() => this.build().catch((error) => {
        this.errorLine.textContent = error.message;
      }), BUILD_DELAY_MS);
    }
  }

  async parse() {
    const text = this.state.dockerfile;
    try {
      await this.engine.whenReady();
      const parsed = await this.engine.request('parse', { text });
      if (text !== this.state.dockerfile) return;
      this.lastParsed = parsed;
      if (this.state.open === null) this.editor.setDiagnostics(parsed.diagnostics);
      this.editor.root.dataset.parsed = 'true';
      this.deck.update();
    } catch (error) {
      this.errorLine.textContent = error.message;
    }
  }

  engineChanged() {
    const { engine } = this;
    this.status.textContent = { loading: 'Engine loading…', ready: `Engine ${engine.version}`, error: `Engine failed: ${engine.error}` }[engine.state];
    this.dataset.engine = engine.state;
    const canBuild = engine.state === 'ready' && engine.has('Session');
    this.buildButton.hidden = !canBuild;
    this.deck.update();
    if (engine.state === 'ready') {
      this.parse();
      if (canBuild) this.changed(false);
    }
  }
}

if (!customElements.get('layer-lab')) customElements.define('layer-lab', LayerLab);
