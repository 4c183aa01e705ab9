// Starts the engine before the page's modules load (a classic script in index.html's
// head, so it runs first): the wasm is fetched and compiled here at high priority and
// handed to the worker, whose own scripts would otherwise queue behind the ~25 module
// requests (BENCHMARKS.md, "Web page": the seed example's first build result comes
// about 100 ms sooner). engine.js adopts the worker, with whatever it said meanwhile;
// without this script the page starts its worker itself, only later.
(() => {
  const early = { url: new URL('./worker.js', document.baseURI).href, messages: [], error: null };
  try {
    // The name tells worker.js to wait for the compiled module posted below.
    early.worker = new Worker(early.url, { type: 'module', name: 'layerlab:module-posted' });
  } catch {
    return;
  }
  early.worker.onmessage = (event) => early.messages.push(event.data);
  early.worker.onerror = (event) => {
    event.preventDefault();
    early.error = event.message || 'the engine worker could not start';
  };
  const wasm = new URL('./pkg/layerlab_bg.wasm', document.baseURI);
  // Any failure here (no streaming compile, a wrong MIME type) leaves the loading
  // to the worker, which then reports the real error itself.
  Promise.resolve()
    .then(() => WebAssembly.compileStreaming(fetch(wasm, { priority: 'high' })))
    .then((module) => early.worker.postMessage({ type: 'module', module }),
      () => early.worker.postMessage({ type: 'module', module: null }));
  window.layerlabEarlyWorker = early;
})();
