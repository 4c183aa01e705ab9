// The page's side of the worker protocol (see worker.js): request ids, one promise per
// request, the LoadingState, progress, cancel-by-restart, and the single capability
// check that decides which panels can work with the engine this build shipped.

/** Shown wherever a panel needs a part of the engine that this version lacks. */
export const ENGINE_MISSING = 'The build engine arrives in the next release.';

/**
 * Owns one module worker. Events: 'state' (loading/ready/error changes), 'busy'
 * (the set of requests running longer than `slowAfterMs` changed) and 'restart' (the
 * worker was replaced, so every Session in it is gone).
 */
export class Engine extends EventTarget {
  constructor(workerUrl, { slowAfterMs = 300 } = {}) {
    super();
    this.workerUrl = workerUrl;
    this.slowAfterMs = slowAfterMs;
    /** 'loading' | 'ready' | 'error' */
    this.state = 'loading';
    this.error = null;
    this.version = null;
    this.capabilities = { functions: [], session: [] };
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    this.setState('loading');
    const early = adoptEarlyWorker(this.workerUrl);
    this.worker = early ? early.worker : new Worker(this.workerUrl, { type: 'module' });
    const listen = () => {
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.fail(event.message || 'the engine worker could not start');
      };
    };
    if (!early) {
      listen();
      return;
    }
    // Replayed in a later task, so that whoever constructed this Engine has added its
    // listeners first; the early handlers keep buffering until then, so order holds.
    setTimeout(() => {
      if (this.worker !== early.worker) return; // restarted meanwhile: forget it
      listen();
      for (const message of early.messages.splice(0)) this.receive(message);
      if (early.error) this.fail(early.error);
    });
  }

  /** Cancels everything running: the worker is terminated and started afresh. */
  restart(reason = 'cancelled') {
    this.worker.terminate();
    this.rejectAll(new Error(reason));
    // Every Session lived in the old worker: whoever built something must build again.
    this.dispatchEvent(new Event('restart'));
    this.start();
  }

  /** True when the engine has `name`: a function ('parseDockerfile'), 'Session' or 'Session.method'. */
  has(name) {
    if (name === 'Session') return this.capabilities.functions.includes('Session');
    if (name.startsWith('Session.')) return this.capabilities.session.includes(name.slice(8));
    return this.capabilities.functions.includes(name);
  }

  /** Resolves once the engine is ready; rejects if it failed to load. */
  whenReady() {
    if (this.state === 'ready') return Promise.resolve(this);
    if (this.state === 'error') return Promise.reject(new Error(this.error));
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.state === 'loading') return;
        this.removeEventListener('state', check);
        if (this.state === 'ready') resolve(this);
        else reject(new Error(this.error));
      };
      this.addEventListener('state', check);
    });
  }

  /**
   * Sends one request and resolves to its single result; `onProgress` receives the
   * worker's progress values. Rejects with an Error carrying line/column when the
   * engine threw one, or 'cancelled' when the request was cancelled. `transfer` lists
   * ArrayBuffers to move to the worker instead of copying (an imported tar).
   */
  request(type, payload = {}, { onProgress, label = type, transfer = [] } = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const entry = { type, label, resolve, reject, onProgress, progress: null, slow: false, started: performance.now() };
      entry.timer = setTimeout(() => {
        entry.slow = true;
        this.dispatchEvent(new Event('busy'));
      }, this.slowAfterMs);
      this.pending.set(id, entry);
      this.worker.postMessage({ ...payload, id, type }, transfer);
    });
  }

  /** The requests that have been running for a while, for the progress display. */
  slowRequests() {
    return [...this.pending.values()].filter((entry) => entry.slow);
  }

  receive(message) {
    if (message.type === 'ready') {
      this.version = message.version;
      this.capabilities = message.capabilities;
      this.setState('ready');
      return;
    }
    if (message.type === 'failed') {
      this.fail(message.message);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) {
      console.warn('layerlab: a message for no pending request', message.type);
      return;
    }
    if (message.type === 'progress') {
      entry.progress = message.value;
      if (entry.onProgress) entry.onProgress(message.value);
      this.dispatchEvent(new Event('busy'));
      return;
    }
    if (message.type !== 'result') {
      console.warn('layerlab: unknown message type from the worker', message.type);
      return;
    }
    this.settle(message.id, entry);
    if (message.ok) entry.resolve(message.value);
    else entry.reject(Object.assign(new Error(message.error.message), message.error));
  }

  settle(id, entry) {
    clearTimeout(entry.timer);
    this.pending.delete(id);
    if (entry.slow) this.dispatchEvent(new Event('busy'));
  }

  rejectAll(error) {
    for (const [id, entry] of [...this.pending]) {
      this.settle(id, entry);
      entry.reject(error);
    }
  }

  fail(message) {
    this.error = message;
    this.setState('error');
    this.rejectAll(new Error(message));
  }

  setState(state) {
    this.state = state;
    this.dispatchEvent(new Event('state'));
  }
}

const shared = new Map();

/**
 * The worker a page's head started before its modules loaded (index.html), once, when
 * it runs the same script as `workerUrl`; null otherwise (an embedding page, a restart).
 */
function adoptEarlyWorker(workerUrl) {
  const early = globalThis.layerlabEarlyWorker;
  if (!early || early.url !== String(workerUrl)) return null;
  delete globalThis.layerlabEarlyWorker;
  return early;
}

/** One engine per worker URL, shared by the page and every <layer-lab> on it. */
export function sharedEngine(workerUrl) {
  const key = String(workerUrl);
  if (!shared.has(key)) shared.set(key, new Engine(workerUrl));
  return shared.get(key);
}

/** The first error diagnostic as the CLI prints it ("line N: message"), or null. */
export function firstError(parsed) {
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  return error ? `line ${error.line}: ${error.message}` : null;
}

/** The build input of the facade contract: { dockerfile, files, buildArgs, ... }. */
export function buildInput(state, { noCache = false } = {}) {
  return {
    dockerfile: state.dockerfile,
    files: Object.fromEntries(state.files),
    buildArgs: Object.fromEntries(state.buildArgs),
    secrets: Object.fromEntries(state.secrets || []),
    noCache,
  };
}

/** The plain summary <layer-lab>'s build() resolves to, from the engine's build result. */
export function buildSummary(result) {
  return {
    ok: Boolean(result.ok),
    error: result.error ?? null,
    imageId: result.imageId ?? null,
    steps: (result.steps || []).map((step) => ({
      instruction: step.instruction,
      cached: Boolean(step.cached),
      reason: step.reason ?? null,
      diffId: step.diffId ?? null,
      size: step.size ?? 0,
    })),
  };
}

/**
 * Parses, and builds when the Dockerfile is valid: the one build path of the page and
 * the element. Resolves { ok: false, error: 'line N: ...' } on a parse error; rejects
 * when the engine has no Session; otherwise resolves the engine's result.
 */
export async function parseThenBuild(engine, sessionName, state, options = {}) {
  await engine.whenReady();
  const parsed = await engine.request('parse', { text: state.dockerfile });
  const error = firstError(parsed);
  if (error) return { ok: false, error, imageId: null, steps: [], log: '', parsed };
  if (!engine.has('Session')) {
    throw new Error('the build engine is not available in this version: the wasm exports no Session');
  }
  const result = await engine.request(
    'build',
    { session: sessionName, input: buildInput(state, options) },
    { onProgress: options.onProgress, label: 'build' },
  );
  return { ...result, parsed };
}
