// The container panel: start a container from the selected image, run shell commands
// in it, and watch its writable layer (docker diff); commit it as a new image.

import { el, button, renderData, conceptLink } from './dom.js';

export const containerPanel = {
  id: 'container',
  title: 'Container',
  concept: 'container-layer',
  requires: ['Session.runContainer', 'Session.exec', 'Session.containerDiff', 'Session.commit'],
  create(host, app) {
    let containerId = null;
    const help = el('p', 'panel-help', 'A container adds one writable layer on top of the image.');
    help.append(' ', conceptLink('container-layer'));
    const start = button('Run a container', 'primary', async () => {
      const step = app.step() ?? (app.build()?.steps.length ?? 1) - 1;
      try {
        const started = await app.session('runContainer', [step]);
        containerId = typeof started === 'object' && started !== null ? started.id : started;
        transcript.replaceChildren(el('p', 'muted', `Container ${containerId} started from step #${step + 1}.`));
        form.hidden = false;
        commit.hidden = false;
        await refreshDiff();
      } catch (error) {
        transcript.replaceChildren(el('p', 'error-text', error.message));
      }
    }, 'Run a container from the selected step');
    const transcript = el('div', 'terminal');
    transcript.setAttribute('aria-live', 'polite');
    transcript.setAttribute('aria-label', 'Container terminal');
    const form = el('form', 'terminal-form');
    form.hidden = true;
    const input = el('input');
    input.type = 'text';
    input.setAttribute('aria-label', 'Shell command to run in the container');
    input.placeholder = 'echo hi > /tmp/x';
    const run = el('button', 'small', 'Run');
    run.type = 'submit';
    form.append(el('span', 'prompt', '#'), input, run);
    const diff = el('div', 'container-diff');
    const commit = button('Commit as a new image', 'small', async () => {
      try {
        diff.append(renderData(await app.session('commit', [containerId, 'layerlab/committed'])));
      } catch (error) {
        diff.append(el('p', 'error-text', error.message));
      }
    });
    commit.hidden = true;
    async function refreshDiff() {
      try {
        diff.replaceChildren(el('h3', null, 'docker diff'), renderData(await app.session('containerDiff', [containerId])));
      } catch (error) {
        diff.replaceChildren(el('p', 'error-text', error.message));
      }
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const command = input.value;
      input.value = '';
      transcript.append(el('pre', 'terminal-command', `# ${command}`));
      try {
        const output = await app.session('exec', [containerId, command]);
        transcript.append(typeof output === 'string' ? el('pre', 'terminal-output', output) : renderData(output));
      } catch (error) {
        transcript.append(el('pre', 'terminal-output error-text', error.message));
      }
      await refreshDiff();
    });
    host.append(help, start, transcript, form, commit, diff);
    return {
      update() {
        start.disabled = !app.build()?.ok;
      },
    };
  },
};
