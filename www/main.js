// Loads the wasm engine (wasm-pack --target web output in ../pkg) and shows it answered.
import init, { engineVersion } from './pkg/layerlab.js';

await init();
document.getElementById('engine-version').textContent = engineVersion();
document.body.dataset.engineReady = 'true';
