// The help drawer: our short explanations of the concepts, opened at one entry by any
// element with data-concept (the "?" links next to panels).

import { concepts } from '../concepts.js';
import { el, button } from './dom.js';

/** Builds the drawer into `host` (a <dialog>) and wires every [data-concept] under `scope`. */
export function createHelp(dialog, scope) {
  dialog.classList.add('help-drawer');
  dialog.setAttribute('aria-labelledby', 'help-title');
  const header = el('div', 'help-header');
  const title = el('h2', null, 'How images work');
  title.id = 'help-title';
  header.append(title, button('Close', 'small', () => dialog.close(), 'Close the explanations'));
  const body = el('div', 'help-body');
  for (const concept of concepts) {
    const details = el('details', 'concept');
    details.id = `concept-${concept.id}`;
    details.append(el('summary', null, concept.title));
    for (const paragraph of concept.paragraphs) details.append(el('p', null, paragraph));
    body.append(details);
  }
  dialog.append(header, body);
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });

  /** Opens the drawer, with `id`'s explanation expanded and focused. */
  function open(id) {
    if (!dialog.open) dialog.showModal();
    const target = id ? dialog.querySelector(`#concept-${CSS.escape(id)}`) : null;
    if (target) {
      target.open = true;
      target.querySelector('summary').focus();
      target.scrollIntoView({ block: 'nearest' });
    }
  }
  scope.addEventListener('click', (event) => {
    const link = event.target.closest('[data-concept]');
    if (link && scope.contains(link)) open(link.dataset.concept);
  });
  return { open };
}
