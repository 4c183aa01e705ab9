// The container panel: start a container from the selected image, run shell commands
// in it, and watch its writable layer fill up (copy-up made visible) and its docker
// diff; commit it as a new image. After every change it announces the writable layer
// with a `layerlab:container` event ({ id, layer }: the LayerFilm, or null once the
// container is removed) so the layer films can draw it on top of the stack.

import { el, button, conceptLink, formatSize, shortDigest, familiarName } from './dom.js';

/** An argv as a reader would type it: words with spaces or quotes single-quoted. */
export function displayArgv(argv) {
  return argv
    .map((word) => (/^[A-Za-z0-9_./=:,+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`))
    .join(' ');
}

/** The label of one writable-layer entry: what it is and where it came from. */
export function entryNote(entry) {
  switch (entry.kind) {
    case 'copied-up':
      return entry.fromLayer === null ? 'copied up' : `copied up from layer ${entry.fromLayer}`;
    case 'whiteout':
      return entry.fromLayer === null ? 'whiteout (deleted)' : `whiteout: hides layer ${entry.fromLayer}'s entry`;
    case 'opaque':
      return 'opaque: hides the image\'s contents of this directory';
    default:
      return 'added';
  }
}

export const containerPanel = {
  id: 'container',
  title: 'Container',
  concept: 'container-layer',
  requires: [
    'Session.runContainer', 'Session.exec', 'Session.containerDiff', 'Session.containerLayer',
    'Session.containerEntries', 'Session.commit', 'Session.removeContainer',
  ],
  create(host, app) {
    let containerId = null;
    const history = [];
    let recall = 0;

    const help = el('p', 'panel-help', 'A container adds one writable layer on top of the image\'s read-only layers: changing an image file copies it up into that layer, deleting one writes a whiteout.');
    help.append(' ', conceptLink('container-layer'));

    const start = button('Run a container', 'primary', () => run(), 'Run a container from the selected step');
    const remove = button('Remove', 'small', () => removeContainer(), 'Remove the container and its writable layer');
    remove.hidden = true;
    const title = el('p', 'container-title muted', 'No container yet: build, select a step, then run one.');
    const processLine = el('p', 'container-process');
    processLine.dataset.role = 'process';

    const transcript = el('div', 'terminal');
    transcript.setAttribute('role', 'log');
    transcript.setAttribute('aria-live', 'polite');
    transcript.setAttribute('aria-label', 'Container terminal');

    const form = el('form', 'terminal-form');
    form.hidden = true;
    const input = el('input');
    input.type = 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('aria-label', 'Shell command to run in the container');
    input.placeholder = 'echo x >> /etc/debian_version';
    const runButton = el('button', 'small', 'Run');
    runButton.type = 'submit';
    form.append(el('span', 'prompt', '#'), input, runButton);

    const layerSection = el('section', 'container-layer');
    const layerHeading = el('h3', null, 'Writable layer');
    const layerSummary = el('p', 'muted');
    const entries = el('ul', 'writable-entries');
    entries.setAttribute('aria-label', 'Entries of the writable layer');
    layerSection.append(layerHeading, layerSummary, entries);
    layerSection.hidden = true;

    const diffSection = el('section', 'container-diff');
    const diffRows = el('pre', 'diff-rows');
    diffRows.setAttribute('aria-label', 'docker diff');
    diffSection.append(el('h3', null, 'docker diff'), diffRows);
    diffSection.hidden = true;

    const commitForm = el('form', 'commit-form');
    commitForm.hidden = true;
    const tag = el('input');
    tag.type = 'text';
    tag.value = 'layerlab/committed:latest';
    tag.setAttribute('aria-label', 'Tag for the committed image');
    const commitButton = el('button', 'small', 'Commit');
    commitButton.type = 'submit';
    const commitResult = el('p', 'commit-result');
    commitForm.append(el('span', null, 'docker commit as'), tag, commitButton);

    const actions = el('div', 'container-actions');
    actions.append(start, remove);
    host.append(help, actions, title, processLine, transcript, form, layerSection, diffSection, commitForm, commitResult);

    function say(className, text) {
      transcript.append(el('pre', className, text));
      transcript.scrollTop = transcript.scrollHeight;
    }

    function showOutput(result) {
      if (result.stdout) say('terminal-output', result.stdout.replace(/\n$/, ''));
      if (result.stderr) say('terminal-output error-text', result.stderr.replace(/\n$/, ''));
      for (const warning of result.warnings) say('terminal-output muted', `warning: ${warning}`);
      if (result.exitCode !== 0) say('terminal-output muted', `exit code ${result.exitCode}`);
    }

    async function run() {
      const build = app.build();
      const step = app.step() ?? (build?.steps.length ?? 1) - 1;
      try {
        if (containerId) await app.session('removeContainer', [containerId]);
        const started = await app.session('runContainer', [step, null]);
        containerId = started.id;
        transcript.replaceChildren();
        title.className = 'container-title';
        title.textContent = `Container ${started.id.slice(0, 12)} of image ${shortDigest(started.imageId)} (step #${step + 1})`;
        if (started.process) {
          processLine.className = 'container-process';
          processLine.textContent = `Process it starts: ${displayArgv(started.process)}  (argv ${JSON.stringify(started.process)})`;
        } else {
          processLine.className = 'container-process error-text';
          processLine.textContent = `${started.processError} The container exists anyway: run commands in it below.`;
        }
        if (started.output) {
          say('terminal-command', `$ ${displayArgv(started.process)}`);
          showOutput(started.output);
        }
        form.hidden = false;
        commitForm.hidden = false;
        remove.hidden = false;
        commitResult.textContent = '';
        await refresh();
        input.focus();
      } catch (error) {
        processLine.className = 'container-process error-text';
        processLine.textContent = error.message;
      }
    }

    async function refresh() {
      if (!containerId) return;
      try {
        const [layer, rows, diff] = await Promise.all([
          app.session('containerLayer', [containerId]),
          app.session('containerEntries', [containerId]),
          app.session('containerDiff', [containerId]),
        ]);
        layerSection.hidden = false;
        diffSection.hidden = false;
        const copied = rows.filter((r) => r.kind === 'copied-up').length;
        layerSummary.textContent = `Layer ${layer.index} on top of the image: ${formatSize(layer.size)}, ${rows.length} ${rows.length === 1 ? 'entry' : 'entries'} (${copied} copied up).`;
        entries.replaceChildren(...rows.map((row) => {
          const item = el('li', `writable-entry writable-${row.kind}`);
          item.dataset.path = row.path;
          item.dataset.kind = row.kind;
          item.append(el('code', 'entry-path', row.path), ' ', el('span', 'entry-note', entryNote(row)));
          if (row.size > 0) item.append(' ', el('span', 'entry-size muted', formatSize(row.size)));
          return item;
        }));
        if (rows.length === 0) entries.replaceChildren(el('li', 'muted', 'empty: the container has not changed anything yet'));
        diffRows.textContent = diff.length === 0 ? '(no changes)' : diff.map((r) => `${r.kind} ${r.path}`).join('\n');
        document.dispatchEvent(new CustomEvent('layerlab:container', { detail: { id: containerId, layer } }));
      } catch (error) {
        layerSummary.textContent = error.message;
      }
    }

    async function removeContainer() {
      if (!containerId) return;
      const id = containerId;
      try {
        await app.session('removeContainer', [id]);
      } catch (error) {
        commitResult.textContent = error.message;
      }
      containerId = null;
      form.hidden = true;
      commitForm.hidden = true;
      remove.hidden = true;
      layerSection.hidden = true;
      diffSection.hidden = true;
      title.className = 'container-title muted';
      title.textContent = `Container ${id.slice(0, 12)} removed, with its writable layer.`;
      processLine.textContent = '';
      document.dispatchEvent(new CustomEvent('layerlab:container', { detail: { id, layer: null } }));
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const command = input.value;
      if (!containerId || command.trim() === '') return;
      input.value = '';
      history.push(command);
      recall = history.length;
      say('terminal-command', `# ${command}`);
      try {
        showOutput(await app.session('exec', [containerId, command]));
      } catch (error) {
        say('terminal-output error-text', error.message);
      }
      await refresh();
    });

    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowUp' && recall > 0) {
        recall -= 1;
        input.value = history[recall];
        event.preventDefault();
      } else if (event.key === 'ArrowDown' && recall < history.length) {
        recall += 1;
        input.value = recall === history.length ? '' : history[recall];
        event.preventDefault();
      }
    });

    commitForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!containerId) return;
      try {
        const image = await app.session('commit', [containerId, tag.value]);
        commitResult.className = 'commit-result';
        const names = image.tags.map(familiarName);
        commitResult.textContent = `Committed image ${shortDigest(image.id)} (${names.join(', ') || 'untagged'}): ${image.layers} layers, ${formatSize(image.size)}. FROM ${names[0] ?? shortDigest(image.id)} now works in this session.`;
      } catch (error) {
        commitResult.className = 'commit-result error-text';
        commitResult.textContent = error.message;
      }
    });

    return {
      update() {
        start.disabled = !app.build()?.ok;
      },
    };
  },
};
