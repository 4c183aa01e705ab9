// A panel that asks the engine's Session about the selected step and shows exactly
// what it answers. Layers and files are built from it, so they light up as soon
// as the engine exports the methods they need, with the engine's own data shapes.

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

export const layersPanel = queryPanel({
  id: 'layers',
  title: 'Layers',
  concept: 'union-filesystem',
  requires: ['Session.layers'],
  intro: 'The layer stack of the selected image, base layers first.',
  calls: (step) => [{ heading: 'Layers', method: 'layers', args: [step] }],
});

export const filesPanel = queryPanel({
  id: 'files',
  title: 'Files',
  concept: 'union-filesystem',
  requires: ['Session.ls', 'Session.waste'],
  intro: 'The merged filesystem at the selected step, and the space wasted by shadowed or deleted files.',
  calls: (step) => [
    { heading: '/', method: 'ls', args: [step, '/'] },
    { heading: 'Wasted space', method: 'waste', args: [step] },
  ],
});
