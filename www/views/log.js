// The build log as the engine wrote it (BuildKit's plain progress style), with the
// failing step's error at the end.

import { el } from './dom.js';

export const logPanel = {
  id: 'log',
  title: 'Log',
  concept: 'cache-keys',
  requires: ['Session'],
  create(host, app) {
    const pre = el('pre', 'build-log');
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', 'Build log');
    const error = el('p', 'build-error');
    error.setAttribute('role', 'status');
    host.append(error, pre);
    return {
      update() {
        const build = app.build();
        const log = build?.log;
        pre.textContent = Array.isArray(log) ? log.join('\n') : log || 'No build yet.';
        error.textContent = build && !build.ok && build.error ? build.error : '';
      },
    };
  },
};
