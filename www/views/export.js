// Export the selected image as a tar (OCI layout or docker save) for real tools.

import { el, button } from './dom.js';

export const exportPanel = {
  id: 'export',
  title: 'Export',
  concept: 'union-filesystem',
  requires: ['Session.exportImage'],
  create(host, app) {
    const status = el('p', 'muted');
    status.setAttribute('aria-live', 'polite');
    const gzipLabel = el('label', 'inline');
    const gzip = el('input');
    gzip.type = 'checkbox';
    gzipLabel.append(gzip, ' gzip the layers');
    const download = async (format) => {
      const step = app.step() ?? (app.build()?.steps.length ?? 1) - 1;
      try {
        const bytes = await app.session('exportImage', [step, { format, gzip: gzip.checked }]);
        const url = URL.createObjectURL(new Blob([bytes], { type: 'application/x-tar' }));
        const link = el('a');
        link.href = url;
        link.download = `layerlab-step${step + 1}-${format}.tar`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        status.textContent = `Saved ${link.download} (${bytes.length} bytes).`;
      } catch (error) {
        status.textContent = error.message;
      }
    };
    const oci = button('Download OCI tar', 'primary', () => download('oci'));
    const docker = button('Download docker save tar', null, () => download('docker'));
    host.append(el('p', 'panel-help', 'The selected image as a tar that skopeo, umoci or docker load can read.'),
      gzipLabel, oci, docker, status);
    return {
      update() {
        oci.disabled = docker.disabled = !app.build()?.ok;
      },
    };
  },
};
