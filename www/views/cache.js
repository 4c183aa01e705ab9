// The cache panel: per step, was the build cache used and why not, with the step that
// caused a chain of misses one click away; the builder's reorder advice when the
// engine gives one; and `docker history` of the selected image as docker prints it.

import { el, button, formatSize, shortDigest, conceptLink } from './dom.js';

/** How many characters of CREATED BY docker history shows before cutting it short. */
const CREATED_BY_WIDTH = 45;

/** The 1-based position of the step an "an earlier step missed (step N)" reason blames. */
function blamedPosition(reason) {
  const match = /an earlier step missed \(step (\d+)\)/.exec(reason || '');
  return match ? Number(match[1]) : null;
}

/** The index (in `steps`) of the step that a miss at `step` blames, or null. */
export function causeOf(steps, step) {
  const position = blamedPosition(step.reason);
  if (position === null) return null;
  const cause = steps.findIndex((s) => s.stage === step.stage && s.position === position);
  return cause === -1 ? null : cause;
}

/** A step's verdict in plain words: { verdict: 'hit' | 'miss' | 'none', words }. */
export function verdictOf(step) {
  if (step.cached === true) {
    return { verdict: 'hit', words: 'Reused: a cached result has the same parent and the same inputs.' };
  }
  if (step.cached === false) {
    const why = String(step.reason || '').replace(/^miss: /, '');
    return { verdict: 'miss', words: `Ran again: ${why || 'no cached result'}.` };
  }
  if (step.kind === 'from') {
    return { verdict: 'none', words: 'The base image: pulled (here: taken from the catalog), never a cache question.' };
  }
  return { verdict: 'none', words: step.reason ? String(step.reason) : 'No cache verdict for this step.' };
}

/** CREATED BY cut to docker's width, with "…" when cut. */
export function shortCreatedBy(text) {
  const value = String(text ?? '');
  return value.length > CREATED_BY_WIDTH ? `${value.slice(0, CREATED_BY_WIDTH - 1)}…` : value;
}

function verdictTable(app, build) {
  const steps = build.steps || [];
  const selected = app.step() ?? steps.length - 1;
  const causes = new Set(steps.map((s) => causeOf(steps, s)).filter((c) => c !== null));
  const table = el('table', 'cache-verdicts');
  const head = el('tr');
  for (const title of ['#', 'instruction', 'cache', 'why']) head.append(el('th', null, title));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  steps.forEach((step, index) => {
    const { verdict, words } = verdictOf(step);
    const row = el('tr', `cache-row ${verdict}`);
    row.dataset.step = String(index);
    if (index === selected) row.setAttribute('aria-current', 'true');
    if (causes.has(index)) row.classList.add('cause');
    const number = button(`#${index + 1}`, 'link', () => app.select(index), `Select step ${index + 1}`);
    const why = el('td', 'cache-why', words);
    const cause = causeOf(steps, step);
    if (cause !== null) {
      why.append(' ', button(`Go to step #${cause + 1}`, 'link cause-link', () => app.select(cause),
        `Select step ${cause + 1}, the first miss that made this step run again`));
    }
    if (causes.has(index)) why.append(el('span', 'cause-note', ' This is where the chain of misses starts.'));
    const cell = el('td');
    cell.append(number);
    row.append(cell, el('td', 'cache-instruction', step.instruction),
      el('td', 'cache-verdict', { hit: 'HIT', miss: 'MISS', none: '—' }[verdict]), why);
    body.append(row);
  });
  table.append(body);
  return table;
}

/** The builder's reorder advice ({ message, lines }), or nothing when the engine gives none. */
function adviceList(app, build) {
  const advice = Array.isArray(build.advice) ? build.advice : [];
  if (advice.length === 0) return null;
  const section = el('section', 'cache-advice');
  section.append(el('h3', null, 'Advice'));
  const list = el('ul');
  for (const item of advice) {
    const li = el('li', 'advice-item');
    li.append(el('span', null, item.message));
    const lines = Array.isArray(item.lines) ? item.lines.filter((n) => Number.isInteger(n) && n > 0) : [];
    if (lines.length > 0) {
      const label = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
      li.append(' ', button(`Show ${label}`, 'link advice-lines', () => app.showLines(lines),
        `Highlight ${label} in the Dockerfile`));
    }
    list.append(li);
  }
  section.append(list);
  return section;
}

/** docker history rows as a table (IMAGE, CREATED, CREATED BY, SIZE, COMMENT). */
export function historyTable(rows) {
  const table = el('table', 'history-table');
  const head = el('tr');
  for (const title of ['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT']) head.append(el('th', null, title));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr', row.emptyLayer ? 'history-row empty-layer' : 'history-row');
    const createdBy = el('td', 'created-by', shortCreatedBy(row.createdBy));
    createdBy.title = row.createdBy;
    // The date is enough in a narrow panel (every build here is stamped the same moment).
    const created = el('td', 'created', String(row.created ?? '').slice(0, 10));
    created.title = row.created;
    tr.append(el('td', row.image === '<missing>' ? 'missing' : 'image-id', row.image), created, createdBy, el('td', 'size', formatSize(row.size)),
      el('td', 'comment', row.comment));
    body.append(tr);
  }
  table.append(body);
  return table;
}

export const cachePanel = {
  id: 'cache',
  title: 'Cache',
  concept: 'cache-keys',
  requires: ['Session.history'],
  create(host, app) {
    const help = el('p', 'panel-help', 'Each step either reuses a cached result or runs again; the first miss makes every later step of its stage run again.');
    help.append(' ', conceptLink('cache-keys'));
    const verdicts = el('div', 'cache-body');
    const history = el('section', 'cache-history');
    host.append(help, verdicts, history);
    let generation = 0;
    return {
      async update() {
        const build = app.build();
        const mine = ++generation;
        if (!build || !build.steps || build.steps.length === 0) {
          verdicts.replaceChildren(el('p', 'muted', 'Build the Dockerfile to see which steps the cache served.'));
          history.replaceChildren();
          return;
        }
        const parts = [verdictTable(app, build)];
        const advice = adviceList(app, build);
        if (advice) parts.push(advice);
        verdicts.replaceChildren(...parts);
        if (!build.ok) {
          history.replaceChildren(el('p', 'muted', 'docker history appears once the build succeeds.'));
          return;
        }
        const step = app.step() ?? build.steps.length - 1;
        const heading = el('h3', null, `docker history of step #${step + 1} (${shortDigest(build.steps[step]?.imageId)})`);
        const note = el('p', 'muted', 'Newest first. <missing> marks history entries with no image of their own here: they came with the base image. Hover CREATED BY for the whole command.');
        note.append(' ', conceptLink('intermediate-images'));
        try {
          const rows = await app.session('history', [step]);
          if (mine === generation) history.replaceChildren(heading, note, historyTable(rows));
        } catch (error) {
          if (mine === generation) history.replaceChildren(heading, el('p', 'error-text', error.message));
        }
      },
    };
  },
};
