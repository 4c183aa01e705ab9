// The one empty state for a panel whose engine part this version does not export yet.
// It names what is missing so nobody mistakes it for a bug, and links the concept the
// panel will show.

import { el, conceptLink } from './dom.js';
import { ENGINE_MISSING } from '../engine.js';

/** Renders the honest "not in this version" state for `panel` into `host`. */
export function renderPending(host, panel, missing) {
  const box = el('div', 'pending');
  box.dataset.pending = panel.id;
  box.append(el('p', 'pending-title', ENGINE_MISSING));
  const detail = el('p', 'muted', `This panel needs the engine's ${missing.join(', ')}, which this build does not export yet. Meanwhile, read about what it will show: `);
  detail.append(conceptLink(panel.concept, 'explain'));
  box.append(detail);
  host.replaceChildren(box);
}
