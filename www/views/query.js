// A panel that asks the engine's Session about the selected step and shows exactly
// what it answers. The cache panel is built from it, so it lights up as soon as the
// engine exports the methods it needs, with the engine's own data shapes.

import { el, renderData, conceptLink } from './dom.js';

/** Builds a panel definition that calls `calls(step)` → [{ heading, method, args }]. */
export function queryPanel({ id, title, concept, requires, intro, calls }) {
  return {
    id,
    title,
    concept,
    requires,
    create(host, app) {
      const help = el('p', 'panel-help', intro);
      help.append(' ', conceptLink(concept));
      const body = el('div', 'query-body');
      host.append(help, body);
      let generation = 0;
      return {
        async update() {
          const build = app.build();
          if (!build || !build.ok) {
            body.replaceChildren(el('p', 'muted', 'Build the Dockerfile successfully to explore this.'));
            return;
          }
          const step = app.step() ?? build.steps.length - 1;
          const mine = ++generation;
          const sections = [];
          for (const call of calls(step)) {
            const section = el('section', 'query-section');
            section.append(el('h3', null, call.heading));
            try {
              const value = await app.session(call.method, call.args);
              section.append(renderData(value));
            } catch (error) {
              section.append(el('p', 'error-text', error.message));
            }
            sections.push(section);
          }
          if (mine === generation) body.replaceChildren(...sections);
        },
      };
    },
  };
}

export const cachePanel = queryPanel({
  id: 'cache',
  title: 'Cache',
  concept: 'cache-keys',
  requires: ['Session.history', 'Session.df'],
  intro: 'docker history of the selected image, and the image store with shared layers counted once.',
  calls: (step) => [
    { heading: 'docker history', method: 'history', args: [step] },
    { heading: 'Image store', method: 'df', args: [] },
  ],
});
