// The code editor: a transparent textarea over a highlighted <pre>, kept in sync, with
// line numbers, gutter marks and wavy underlines for diagnostics, and the list of
// problems below. The textarea is the only source of truth for the text, so nothing
// typed is ever lost to a re-render; highlighting and markers are decoration.

import { tokenizeDockerfile, tokenizeDockerignore, tokenizePlain } from '../highlight.js';

const TOKENIZERS = { dockerfile: tokenizeDockerfile, dockerignore: tokenizeDockerignore, plain: tokenizePlain };

function element(tag, className, attributes = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** The UTF-16 index of a 1-based column that counts characters (code points). */
function columnToIndex(line, column) {
  let index = 0;
  let col = 1;
  for (const ch of line) {
    if (col >= column) break;
    index += ch.length;
    col += 1;
  }
  return index;
}

/** A code editor bound to `host`. `onInput(text)` runs on every edit. */
export class CodeEditor {
  constructor(host, { label, onInput = () => {}, readOnly = false, withProblems = true } = {}) {
    this.onInput = onInput;
    this.language = 'dockerfile';
    this.diagnostics = [];
    this.root = element('div', 'code-editor');
    this.gutter = element('div', 'ce-gutter', { 'aria-hidden': 'true' });
    this.gutterInner = element('div', 'ce-gutter-inner');
    this.gutter.append(this.gutterInner);
    const body = element('div', 'ce-body');
    this.highlight = element('pre', 'ce-highlight', { 'aria-hidden': 'true' });
    this.input = element('textarea', 'ce-input', {
      spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', wrap: 'off', 'aria-label': label,
    });
    this.input.readOnly = readOnly;
    body.append(this.highlight, this.input);
    this.root.append(this.gutter, body);
    host.append(this.root);
    if (withProblems) {
      this.problems = element('div', 'ce-problems');
      this.problemsStatus = element('p', 'ce-problems-status', { 'aria-live': 'polite' });
      this.problemsList = element('ol', 'ce-diagnostics', { 'aria-label': 'Problems in the Dockerfile' });
      this.problems.append(this.problemsStatus, this.problemsList);
      host.append(this.problems);
    }
    this.input.addEventListener('input', () => {
      this.render();
      this.onInput(this.input.value);
    });
    this.input.addEventListener('scroll', () => this.syncScroll());
    this.render();
  }

  get value() {
    return this.input.value;
  }

  /** Replaces the text (not an edit: onInput is not called) and its language. */
  setValue(text, language = this.language) {
    this.language = language;
    if (this.input.value !== text) {
      this.input.value = text;
      this.input.scrollTop = 0;
      this.input.scrollLeft = 0;
    }
    this.render();
  }

  set readOnly(value) {
    this.input.readOnly = value;
  }

  set label(value) {
    this.input.setAttribute('aria-label', value);
  }

  /** Shows the parser's diagnostics ({ line, column, endLine, endColumn, severity, message }). */
  setDiagnostics(diagnostics) {
    this.diagnostics = diagnostics;
    this.render();
    this.renderProblems();
  }

  /** Puts the caret at a 1-based line and column and focuses the editor. */
  focusAt(line, column) {
    const lines = this.input.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i += 1) offset += lines[i].length + 1;
    offset += columnToIndex(lines[line - 1] || '', column);
    this.input.focus();
    this.input.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(this.input).lineHeight) || 18;
    const top = (line - 1) * lineHeight;
    if (top < this.input.scrollTop || top > this.input.scrollTop + this.input.clientHeight - lineHeight * 2) {
      this.input.scrollTop = Math.max(0, top - this.input.clientHeight / 3);
    }
  }

  /** Selects (and so highlights) whole lines first..last, 1-based, and scrolls to them. */
  selectLines(first, last) {
    const lines = this.input.value.split('\n');
    let start = 0;
    for (let i = 0; i < first - 1 && i < lines.length; i += 1) start += lines[i].length + 1;
    let end = start;
    for (let i = first - 1; i < last && i < lines.length; i += 1) end += lines[i].length + 1;
    this.focusAt(first, 1);
    this.input.setSelectionRange(start, Math.max(start, Math.min(end - 1, this.input.value.length)));
  }

  syncScroll() {
    this.highlight.style.transform = `translate(${-this.input.scrollLeft}px, ${-this.input.scrollTop}px)`;
    this.gutterInner.style.transform = `translateY(${-this.input.scrollTop}px)`;
  }

  /** Per line, the severity marks as an array of classes per UTF-16 index. */
  marksFor(lines) {
    const marks = new Map();
    for (const d of this.diagnostics) {
      const cls = d.severity === 'warning' ? 'diag diag-warning' : 'diag diag-error';
      for (let n = d.line; n <= Math.max(d.line, d.endLine); n += 1) {
        const text = lines[n - 1];
        if (text === undefined) continue;
        let start = n === d.line ? columnToIndex(text, d.column) : 0;
        let end = n === d.endLine ? columnToIndex(text, d.endColumn) : text.length;
        if (end <= start) {
          start = 0;
          end = text.length;
        }
        const row = marks.get(n) || new Array(text.length).fill(null);
        for (let i = start; i < end; i += 1) if (row[i] !== 'diag diag-error') row[i] = cls;
        marks.set(n, row);
      }
    }
    return marks;
  }

  render() {
    const text = this.input.value;
    const lines = text.split('\n');
    const tokenLines = (TOKENIZERS[this.language] || tokenizePlain)(text);
    const marks = this.marksFor(lines);
    const bySeverity = new Map();
    for (const d of this.diagnostics) {
      const prior = bySeverity.get(d.line);
      if (!prior || prior.severity !== 'error') bySeverity.set(d.line, d);
    }
    const code = document.createDocumentFragment();
    const gutter = document.createDocumentFragment();
    tokenLines.forEach((tokens, index) => {
      const number = index + 1;
      const row = marks.get(number);
      let position = 0;
      for (const token of tokens) {
        let start = 0;
        while (start < token.text.length) {
          const mark = row ? row[position + start] : null;
          let end = start + 1;
          while (end < token.text.length && (row ? row[position + end] : null) === mark) end += 1;
          const span = document.createElement('span');
          span.className = mark ? `tok-${token.cls} ${mark}` : `tok-${token.cls}`;
          span.textContent = token.text.slice(start, end);
          code.append(span);
          start = end;
        }
        position += token.text.length;
      }
      code.append('\n');
      const numberNode = document.createElement('div');
      numberNode.className = 'ce-line-number';
      numberNode.dataset.line = String(number);
      numberNode.textContent = String(number);
      const diagnostic = bySeverity.get(number);
      if (diagnostic) {
        numberNode.classList.add(diagnostic.severity === 'warning' ? 'has-warning' : 'has-error');
        numberNode.title = diagnostic.message;
      }
      gutter.append(numberNode);
    });
    this.highlight.replaceChildren(code);
    this.gutterInner.replaceChildren(gutter);
    this.syncScroll();
  }

  renderProblems() {
    if (!this.problems) return;
    const count = this.diagnostics.length;
    this.problemsStatus.textContent = count === 0
      ? 'No problems: BuildKit would accept this Dockerfile.'
      : `${count} problem${count === 1 ? '' : 's'}:`;
    this.problemsStatus.classList.toggle('ok', count === 0);
    const items = this.diagnostics.map((d) => {
      const item = element('li', `ce-diagnostic ${d.severity}`);
      const jump = element('button', 'ce-jump', { type: 'button' });
      jump.textContent = `line ${d.line}, column ${d.column}`;
      jump.setAttribute('aria-label', `${d.severity} at line ${d.line}, column ${d.column}: ${d.message}. Go to it`);
      jump.addEventListener('click', () => this.focusAt(d.line, d.column));
      const message = element('span', 'ce-message');
      message.textContent = d.message;
      item.append(jump, ' ', message);
      return item;
    });
    this.problemsList.replaceChildren(...items);
  }

  /** Hides or shows the problems list (it only applies to the Dockerfile). */
  showProblems(visible) {
    if (this.problems) this.problems.hidden = !visible;
  }
}
