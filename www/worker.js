// The engine's home: a module Web Worker that owns the wasm, so the page never freezes.
//
// Protocol (every message is a plain object with a `type`):
//   worker → page, once:  { type: 'ready', version, capabilities: { functions, session } }
//                      or { type: 'failed', message }
//   page → worker, first: { type: 'module', module }   (only when started by early.js)
//   page → worker:        { id, type: 'parse', text }
//                         { id, type: 'build', session, input }      (needs the engine's Session)
//                         { id, type: 'session', session, method, args }
//                         { id, type: 'call', name, args }                (a stateless export)
//   worker → page:        { id, type: 'progress', value }            (zero or more, builds only)
//                         { id, type: 'result', ok: true, value }    (exactly one per request)
//                         { id, type: 'result', ok: false, error: { message, line?, column? } }
// `session` names a Session kept between requests (the page and each <layer-lab> use
// their own), so panels ask by step index instead of shipping trees back and forth.

import init, * as engine from './pkg/layerlab.js';

/** The Session methods of the facade contract that the page may call by name. */
const SESSION_METHODS = new Set([
  'layers', 'ls', 'cat', 'changes', 'waste', 'history', 'exportImage',
  'images', 'df', 'importImage', 'layersImage', 'lsImage', 'wasteImage', 'runContainer', 'exec', 'containerDiff', 'commit',
  'runContainerImage', 'containerLayer', 'containerEntries', 'containerLs', 'containerCat', 'removeContainer',
  'versions', 'deleted', 'find',
]);

/** Stateless exports the page may call by name when this engine has them. */
const FUNCTIONS = new Set(['personalityDifferences']);

const sessions = new Map();
const early = [];
let ready = false;

// A page that compiled the wasm itself (index.html's head, started before its modules
// load) names the worker so, and posts { type: 'module', module } (null if it failed).
const modulePosted = self.name === 'layerlab:module-posted';
let receiveModule = null;
const postedModule = modulePosted ? new Promise((resolve) => { receiveModule = resolve; }) : null;

self.onmessage = (event) => {
  if (receiveModule && event.data && event.data.type === 'module') {
    receiveModule(event.data.module instanceof WebAssembly.Module ? event.data.module : null);
    receiveModule = null;
  } else if (ready) handle(event.data);
  else early.push(event.data);
};

/** What this build of the engine exports, so the page can light up what exists. */
function capabilities() {
  const functions = Object.keys(engine).filter(
    (name) => typeof engine[name] === 'function' && name !== 'default' && name !== 'initSync');
  const session = typeof engine.Session === 'function'
    ? Object.getOwnPropertyNames(engine.Session.prototype).filter((name) => SESSION_METHODS.has(name) || name === 'build')
    : [];
  return { functions, session };
}

function errorValue(error) {
  const value = { message: error instanceof Error ? error.message : String(error) };
  if (error && typeof error.line === 'number') value.line = error.line;
  if (error && typeof error.column === 'number') value.column = error.column;
  return value;
}

function sessionNamed(name) {
  if (typeof engine.Session !== 'function') throw new Error('the build engine is not available in this version');
  const key = typeof name === 'string' ? name : 'main';
  if (!sessions.has(key)) sessions.set(key, new engine.Session());
  return sessions.get(key);
}

/** Transferable buffers in a result, so exported tars are moved, not copied. */
function transferables(value) {
  return value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
    ? [value.buffer]
    : [];
}

function handle(message) {
  const { id, type } = message || {};
  const reply = (value) => self.postMessage({ id, type: 'result', ok: true, value }, transferables(value));
  try {
    switch (type) {
      case 'parse':
        reply(engine.parseDockerfile(String(message.text)));
        return;
      case 'build': {
        const session = sessionNamed(message.session);
        // A build that can report progress takes a callback as its second argument;
        // one that cannot ignores it.
        const progress = (value) => self.postMessage({ id, type: 'progress', value });
        reply(session.build(message.input, progress));
        return;
      }
      case 'session': {
        const session = sessionNamed(message.session);
        if (!SESSION_METHODS.has(message.method) || typeof session[message.method] !== 'function') {
          throw new Error(`the engine has no session method ${message.method}`);
        }
        reply(session[message.method](...(Array.isArray(message.args) ? message.args : [])));
        return;
      }
      case 'call': {
        if (!FUNCTIONS.has(message.name) || typeof engine[message.name] !== 'function') {
          throw new Error(`the engine has no function ${message.name}`);
        }
        reply(engine[message.name](...(Array.isArray(message.args) ? message.args : [])));
        return;
      }
      default:
        console.warn('layerlab worker: unknown message type', type);
        self.postMessage({ id, type: 'result', ok: false, error: { message: `unknown request type: ${type}` } });
    }
  } catch (error) {
    self.postMessage({ id, type: 'result', ok: false, error: errorValue(error) });
  }
}

try {
  const module = postedModule ? await postedModule : null;
  await init(module ? { module_or_path: module } : undefined);
  ready = true;
  self.postMessage({ type: 'ready', version: engine.engineVersion(), capabilities: capabilities() });
  for (const message of early.splice(0)) handle(message);
} catch (error) {
  self.postMessage({ type: 'failed', message: errorValue(error).message });
}
