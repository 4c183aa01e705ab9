// The timeline: one row per step of the last build, each an intermediate image with its
// instruction, cache verdict and reason, layer size and digest. Selecting a step moves
// every other panel to that step; arrow keys step through.

import { el, formatSize, shortDigest, conceptLink } from './dom.js';

export const timelinePanel = {
  id: 'timeline',
  title: 'Steps',
  concept: 'intermediate-images',
  requires: ['Session'],
  create(host, app) {
    const list = el('ol', 'timeline');
    list.tabIndex = 0;
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Build steps: use the arrow keys to select a step');
    const empty = el('p', 'muted', 'Build the Dockerfile to see its steps.');
    const help = el('p', 'panel-help');
    help.append('Each step is an intermediate image ', conceptLink('intermediate-images'),
      '; config-only steps add an empty layer ', conceptLink('empty-layers'), '.');
    host.append(help, empty, list);
    list.addEventListener('keydown', (event) => {
      const steps = app.build()?.steps || [];
      if (steps.length === 0) return;
      const current = app.step() ?? steps.length - 1;
      const delta = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      let next = null;
      if (delta) next = Math.min(steps.length - 1, Math.max(0, current + delta));
      else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = steps.length - 1;
      if (next === null) return;
      event.preventDefault();
      app.select(next);
    });
    return {
      update() {
        const steps = app.build()?.steps || [];
        empty.hidden = steps.length > 0;
        const selected = app.step() ?? steps.length - 1;
        const rows = steps.map((step, index) => {
          const row = el('li', `timeline-step${step.cached ? ' cached' : ''}`);
          row.id = `step-${index}`;
          row.setAttribute('role', 'option');
          row.setAttribute('aria-selected', String(index === selected));
          row.dataset.step = String(index);
          row.append(
            el('span', 'step-number', `#${index + 1}`),
            el('code', 'step-instruction', step.instruction),
            el('span', 'step-verdict', step.cached ? 'CACHED' : ''),
            el('span', 'step-size', formatSize(step.size)),
            el('code', 'step-digest', shortDigest(step.diffId)),
          );
          if (step.reason) row.title = step.reason;
          row.addEventListener('click', () => {
            app.select(index);
            list.focus();
          });
          return row;
        });
        list.replaceChildren(...rows);
        if (steps.length > 0) list.setAttribute('aria-activedescendant', `step-${selected}`);
        else list.removeAttribute('aria-activedescendant');
      },
    };
  },
};
