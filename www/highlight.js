// Dockerfile syntax highlighting: splits text into lines of classed tokens, following
// the same line rules as BuildKit (parser directives, the escape character, line
// continuations, comment lines inside continuations, heredoc bodies). It only colours
// text; the real parser in the worker decides what is valid.

/** @typedef {{ cls: string, text: string }} Token */

/** The instructions BuildKit knows; anything else in keyword position is flagged. */
export const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK',
  'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVE = /^\s*#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/;

/** Appends a token, merging it into the previous one when the class is the same. */
function push(tokens, cls, text) {
  if (!text) return;
  const last = tokens[tokens.length - 1];
  if (last && last.cls === cls) last.text += text;
  else tokens.push({ cls, text });
}

/**
 * Tokenizes the arguments part of one physical line. `context` carries what the
 * instruction has seen so far across continuation lines.
 */
function tokenizeArgs(line, start, context, escape, tokens) {
  let i = start;
  // The escape character at the very end (ignoring trailing blanks) continues the line.
  const trimmed = line.replace(/[ \t\r]+$/, '');
  const continues = trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape);
  const end = continues ? trimmed.length - 1 : line.length;
  let atWordStart = true;
  while (i < end) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      push(tokens, 'plain', c);
      atWordStart = true;
      i += 1;
      continue;
    }
    const wordStart = atWordStart;
    atWordStart = false;
    if (wordStart && !context.flagsDone && line.startsWith('--', i)) {
      let j = i;
      while (j < end && line[j] !== ' ' && line[j] !== '\t') j += 1;
      push(tokens, 'flag', line.slice(i, j));
      i = j;
      atWordStart = true;
      continue;
    }
    if (wordStart) {
      context.flagsDone = true;
      context.words += 1;
      if (context.keyword === 'FROM' && context.words === 2) {
        const word = /^[^\s]+/.exec(line.slice(i, end))[0];
        if (word.toLowerCase() === 'as') {
          push(tokens, 'keyword', word);
          i += word.length;
          continue;
        }
      }
    }
    if (HEREDOC_KEYWORDS.has(context.keyword) && line.startsWith('<<', i)) {
      const match = HEREDOC.exec(line.slice(i, end));
      if (match) {
        push(tokens, 'heredoc-marker', match[0]);
        context.heredocs.push({ delimiter: match[3], stripTabs: match[1] === '-' });
        i += match[0].length;
        continue;
      }
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < end && line[j] !== c) {
        if (line[j] === escape && c === '"') j += 1;
        j += 1;
      }
      const stringEnd = Math.min(j + 1, end);
      tokenizeString(line.slice(i, stringEnd), c === '"', tokens);
      i = stringEnd;
      continue;
    }
    if (c === '$') {
      const length = variableLength(line, i, end);
      if (length > 1) {
        push(tokens, 'variable', line.slice(i, i + length));
        i += length;
        continue;
      }
    }
    if (c === escape && i + 1 < end) {
      push(tokens, 'plain', line.slice(i, i + 2));
      i += 2;
      continue;
    }
    push(tokens, 'plain', c);
    i += 1;
  }
  if (continues) {
    push(tokens, 'escape', line.slice(end, end + 1));
    push(tokens, 'plain', line.slice(end + 1));
  }
  return continues;
}

/** How many characters the variable reference at `i` spans ($NAME or ${...}). */
function variableLength(line, i, end) {
  if (line[i + 1] === '{') {
    const close = line.indexOf('}', i + 2);
    return close === -1 || close >= end ? end - i : close - i + 1;
  }
  const match = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i, end));
  return match ? match[0].length : 1;
}

/** A quoted string; double-quoted strings still show the variables they expand. */
function tokenizeString(text, expands, tokens) {
  if (!expands) {
    push(tokens, 'string', text);
    return;
  }
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$') {
      const length = variableLength(text, i, text.length - (text.endsWith('"') && text.length > 1 ? 1 : 0));
      if (length > 1) {
        push(tokens, 'variable', text.slice(i, i + length));
        i += length;
        continue;
      }
    }
    push(tokens, 'string', text[i]);
    i += 1;
  }
}

/**
 * Splits Dockerfile text into lines of tokens. Classes: keyword, keyword-unknown,
 * flag, string, variable, comment, directive, escape, heredoc-marker, heredoc,
 * heredoc-end, plain.
 * @param {string} text
 * @returns {Token[][]}
 */
export function tokenizeDockerfile(text) {
  const lines = text.split('\n');
  const out = [];
  let escape = '\\';
  let directivesOpen = true;
  let continuing = false;
  let context = null;
  let heredocs = [];
  for (const line of lines) {
    const tokens = [];
    out.push(tokens);
    if (heredocs.length > 0) {
      const { delimiter, stripTabs } = heredocs[0];
      const candidate = (stripTabs ? line.replace(/^\t+/, '') : line).replace(/\r$/, '');
      if (candidate === delimiter) {
        push(tokens, 'heredoc-end', line);
        heredocs.shift();
      } else {
        push(tokens, 'heredoc', line);
      }
      continue;
    }
    if (directivesOpen) {
      const match = DIRECTIVE.exec(line);
      if (match) {
        if (match[1].toLowerCase() === 'escape' && (match[2] === '`' || match[2] === '\\')) escape = match[2];
        push(tokens, 'directive', line);
        continue;
      }
      if (line.trim() !== '') directivesOpen = false;
    }
    if (/^\s*#/.test(line)) {
      push(tokens, 'comment', line);
      continue;
    }
    if (!continuing) {
      const match = /^(\s*)([A-Za-z]+)/.exec(line);
      if (!match) {
        push(tokens, 'plain', line);
        continue;
      }
      const keyword = match[2].toUpperCase();
      push(tokens, 'plain', match[1]);
      push(tokens, INSTRUCTIONS.has(keyword) ? 'keyword' : 'keyword-unknown', match[2]);
      context = { keyword, flagsDone: false, words: 0, heredocs: [] };
      continuing = tokenizeArgs(line, match[0].length, context, escape, tokens);
    } else {
      continuing = tokenizeArgs(line, 0, context, escape, tokens);
    }
    if (!continuing && context) {
      heredocs = context.heredocs;
      context = null;
    }
  }
  return out;
}

/** .dockerignore: comment lines, `!` exceptions, plain patterns. */
export function tokenizeDockerignore(text) {
  return text.split('\n').map((line) => {
    const tokens = [];
    if (/^\s*#/.test(line)) push(tokens, 'comment', line);
    else if (line.startsWith('!')) {
      push(tokens, 'keyword', '!');
      push(tokens, 'plain', line.slice(1));
    } else push(tokens, 'plain', line);
    return tokens;
  });
}

/** Any other text file: one plain token per line. */
export function tokenizePlain(text) {
  return text.split('\n').map((line) => (line ? [{ cls: 'plain', text: line }] : []));
}
