// Builders side by side: the same Dockerfile and context built by BuildKit (Docker's
// default builder) and by the classic builder, in a session of their own, so the step
// lists, created-by strings, layers versus empty layers and cache verdicts can be
// compared row by row (one worker session per builder, so each keeps its own cache and
// its own "previous build" for the miss reasons); plus the engine's documented list of
// differences when it has one.

import { el, button, formatSize, shortDigest, conceptLink } from './dom.js';
import { historyTable, verdictOf } from './cache.js';

/** The worker session a builder's comparison builds in (never the page's own). */
export const compareSession = (builder) => `builders-${builder}`;
const BUILDERS = [
  { id: 'buildkit', title: 'BuildKit (docker build, default)' },
  { id: 'legacy', title: 'Classic builder (DOCKER_BUILDKIT=0, buildah)' },
];

/** What a step leaves behind: 'layer', 'empty layer' or 'base image'. */
export function layerKind(step) {
  if (step.kind === 'from') return 'base image';
  return step.diffId ? 'layer' : 'empty layer';
}

/** Per row index, which of created-by / layer kind / size differ between the two builds. */
export function rowDifferences(left, right) {
  const rows = Math.max(left.length, right.length);
  const out = [];
  for (let i = 0; i < rows; i += 1) {
    const a = left[i];
    const b = right[i];
    const differs = [];
    if (!a || !b) differs.push('step');
    else {
      if ((a.createdBy ?? '') !== (b.createdBy ?? '')) differs.push('created by');
      if (layerKind(a) !== layerKind(b)) differs.push('layer');
      if (a.size !== b.size) differs.push('size');
    }
    out.push(differs);
  }
  return out;
}

/** One builder's side of a row: its created-by, then what it leaves, size and cache. */
function side(builder, step) {
  const cell = el('td', 'builder-side');
  cell.dataset.builder = builder;
  if (!step) {
    cell.append(el('span', 'muted', 'no such step'));
    return cell;
  }
  const createdBy = el('code', 'created-by', step.createdBy ?? step.instruction);
  createdBy.title = step.createdBy ?? step.instruction;
  const { verdict, words } = verdictOf(step);
  const facts = el('span', 'builder-facts');
  facts.append(el('span', 'leaves', layerKind(step)), ' · ', el('span', 'size', formatSize(step.size)), ' · ');
  const cache = el('span', `cache-verdict ${verdict}`, { hit: 'CACHED', miss: 'ran', none: 'base' }[verdict]);
  cache.title = words;
  facts.append(cache);
  cell.append(createdBy, facts);
  return cell;
}

/** The two builds' steps as one table, row by row. */
function comparisonTable(results, differences) {
  const table = el('table', 'builder-steps');
  const head = el('tr');
  head.append(el('th', null, '#'));
  for (const { builder } of results) head.append(el('th', null, builder.title));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  differences.forEach((differs, index) => {
    const row = el('tr', differs.length > 0 ? 'builder-row differs' : 'builder-row');
    row.dataset.step = String(index);
    const number = el('td', 'builder-number', `#${index + 1}`);
    if (differs.length > 0) {
      number.append(el('span', 'differs-in', `differs: ${differs.join(', ')}`));
    }
    row.append(number);
    for (const { builder, build } of results) row.append(side(builder.id, (build.steps || [])[index]));
    body.append(row);
  });
  table.append(body);
  return table;
}

function differencesList(items) {
  const section = el('section', 'builder-differences');
  section.append(el('h3', null, 'Documented differences'));
  const table = el('table', 'differences-table');
  const head = el('tr');
  for (const title of ['topic', 'BuildKit', 'classic builder', 'source']) head.append(el('th', null, title));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  for (const item of items) {
    const row = el('tr', 'difference');
    row.append(el('td', 'topic', item.topic), el('td', null, item.buildkit), el('td', null, item.legacy),
      el('td', 'source muted', item.source));
    body.append(row);
  }
  table.append(body);
  section.append(table);
  return section;
}

export const buildersPanel = {
  id: 'builders',
  title: 'Builders',
  concept: 'builders',
  requires: ['Session.history'],
  create(host, app) {
    const help = el('p', 'panel-help', 'The same Dockerfile and context built by both builders, in sessions of their own. Rows that differ are marked.');
    help.append(' ', conceptLink('builders'), ' ', conceptLink('empty-layers'));
    const compare = button('Compare builders', 'small', () => run(true));
    compare.id = 'compare-builders';
    const status = el('p', 'muted builders-status');
    status.setAttribute('aria-live', 'polite');
    const columns = el('div', 'builders-columns');
    const documented = el('div', 'builders-documented');
    host.append(help, compare, status, columns, documented);
    let generation = 0;
    let compared = null;
    let documentedShown = false;

    async function showDocumented() {
      if (documentedShown || !app.has('personalityDifferences')) return;
      documentedShown = true;
      try {
        const items = await app.call('personalityDifferences', []);
        if (Array.isArray(items) && items.length > 0) documented.replaceChildren(differencesList(items));
      } catch (error) {
        documented.replaceChildren(el('p', 'error-text', error.message));
      }
    }

    async function run(force) {
      const inputs = app.inputsKey();
      if (!force && compared === inputs) return;
      const mine = ++generation;
      compared = inputs;
      compare.disabled = true;
      status.textContent = 'Building with both builders…';
      try {
        const results = [];
        for (const builder of BUILDERS) {
          const build = await app.buildIn(compareSession(builder.id), { builder: builder.id });
          // History belongs to the session's last build.
          const history = build.ok && build.steps.length > 0
            ? await app.sessionIn(compareSession(builder.id), 'history', [build.steps.length - 1])
            : [];
          results.push({ builder, build, history });
        }
        if (mine !== generation) return;
        const [left, right] = results.map((r) => r.build.steps || []);
        const differences = rowDifferences(left, right);
        const differing = differences.filter((d) => d.length > 0).length;
        status.textContent = `${differing} of ${differences.length} steps differ between the builders.`;
        const failed = results.filter((r) => !r.build.ok);
        columns.replaceChildren(
          ...failed.map((r) => el('p', 'error-text', `${r.builder.title}: ${r.build.error || 'the build failed'}`)),
          comparisonTable(results, differences),
          ...results.filter((r) => r.build.ok).map(({ builder, build, history }) => {
            const column = el('section', 'builder-column');
            column.dataset.builder = builder.id;
            column.append(el('h4', null, `docker history: ${builder.title}, image ${shortDigest(build.imageId)}`), historyTable(history));
            return column;
          }),
        );
      } catch (error) {
        if (mine === generation) status.textContent = `The comparison failed: ${error.message}`;
      } finally {
        if (mine === generation) compare.disabled = false;
      }
    }

    return {
      update() {
        showDocumented();
        const build = app.build();
        if (!build) {
          status.textContent = 'Build the Dockerfile first, or press Compare builders.';
          return;
        }
        run(false);
      },
    };
  },
};
