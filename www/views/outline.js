// The outline: what BuildKit's parser makes of the Dockerfile (stages, instructions,
// their lines), straight from parseDockerfile. It works before any build and lets a
// reader jump from an instruction to its line.

import { el, button, conceptLink } from './dom.js';

export const outlinePanel = {
  id: 'outline',
  title: 'Outline',
  concept: 'intermediate-images',
  requires: ['parseDockerfile'],
  create(host, app) {
    const help = el('p', 'panel-help', 'The instructions as BuildKit parses them, grouped by build stage. Each one will become an intermediate image ');
    help.append(conceptLink('intermediate-images'), '.');
    const body = el('div', 'outline');
    host.append(help, body);
    return {
      update() {
        const parsed = app.parsed();
        if (!parsed) {
          body.replaceChildren(el('p', 'muted', 'Parsing…'));
          return;
        }
        if (parsed.instructions.length === 0) {
          body.replaceChildren(el('p', 'muted', parsed.diagnostics.length > 0
            ? 'The Dockerfile does not parse yet: see the problems under the editor.'
            : 'No instructions yet.'));
          return;
        }
        const groups = new Map();
        for (const instruction of parsed.instructions) {
          const key = instruction.stage === null ? 'global' : instruction.stage;
          if (!groups.has(key)) groups.set(key, []);
          groups.get(key).push(instruction);
        }
        const sections = [];
        for (const [stage, instructions] of groups) {
          const section = el('section', 'outline-stage');
          const named = /\sAS\s+(\S+)\s*$/i.exec(instructions[0].keyword === 'FROM' ? instructions[0].original : '');
          const heading = stage === 'global'
            ? 'Before the first FROM (global ARGs)'
            : `Stage ${stage}${named ? `: ${named[1]}` : ''}`;
          section.append(el('h3', null, heading));
          const list = el('ol', 'outline-list');
          for (const instruction of instructions) {
            const item = el('li', 'outline-item');
            const lines = instruction.startLine === instruction.endLine
              ? `line ${instruction.startLine}`
              : `lines ${instruction.startLine}–${instruction.endLine}`;
            const jump = button(lines, 'link outline-line', () => app.goToLine(instruction.startLine),
              `Go to ${instruction.keyword} at ${lines}`);
            const text = el('code', 'outline-text');
            const space = instruction.original.search(/\s/);
            const head = space === -1 ? instruction.original : instruction.original.slice(0, space);
            text.append(el('span', 'outline-keyword', head), space === -1 ? '' : instruction.original.slice(space));
            item.append(text, jump);
            list.append(item);
          }
          section.append(list);
          sections.push(section);
        }
        body.replaceChildren(...sections);
      },
    };
  },
};
