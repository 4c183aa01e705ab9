// The build-context panel: a tree of the context's files and folders with add, rename,
// delete, upload and folder drop. Every user string reaches the DOM as textContent or
// an attribute, never as markup, so a file named like an HTML tag stays a name.

/** Files larger than this are refused: they would not fit a shareable URL anyway. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, className, onClick, ariaLabel) {
  const node = element('button', className, label);
  node.type = 'button';
  if (ariaLabel) {
    node.setAttribute('aria-label', ariaLabel);
    node.title = ariaLabel;
  }
  if (onClick) node.addEventListener('click', onClick);
  return node;
}

/**
 * Normalizes a context path ("./a//b/" → "a/b") or returns an error message. Paths are
 * relative to the context root and never climb out of it.
 */
export function normalizePath(raw) {
  const parts = String(raw).trim().split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0) return { error: 'a name is needed' };
  if (parts.some((part) => part === '..')) return { error: 'a context path cannot contain ".."' };
  if (parts.some((part) => part.includes('\0'))) return { error: 'a name cannot contain a NUL character' };
  const path = parts.join('/');
  if (path.length > 1024) return { error: 'the path is longer than 1024 characters' };
  return { path };
}

/** File bytes as text when they are UTF-8 without NULs, else the bytes themselves. */
export function textOrBytes(buffer) {
  const bytes = new Uint8Array(buffer);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!text.includes('\0')) return text;
  } catch {
    // Not UTF-8: keep the bytes.
  }
  return bytes;
}

function parentOf(path) {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** All entries of a dropped directory, read to the end (readEntries returns batches). */
function readDirectory(entry) {
  const reader = entry.createReader();
  return new Promise((resolve, reject) => {
    const all = [];
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(all);
      else {
        all.push(...batch);
        next();
      }
    }, reject);
    next();
  });
}

function entryFile(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/**
 * The context tree. `store` exposes { state, changed(what) }: the panel edits
 * state.files / state.dirs in place and reports each change. `onOpen(path)` opens a
 * file in the editor.
 */
export class ContextPanel {
  constructor(host, { store, onOpen, readOnly = false }) {
    this.store = store;
    this.onOpen = onOpen;
    this.readOnly = readOnly;
    this.collapsed = new Set();
    this.undo = null;
    this.form = null;

    this.root = element('section', 'context-panel');
    this.root.setAttribute('aria-label', 'Build context');
    const header = element('div', 'panel-header');
    const title = element('h2', null, 'Build context ');
    const explain = button('?', 'concept-link', null, 'Explain how COPY uses the context: cache keys');
    explain.dataset.concept = 'cache-keys';
    title.append(explain);
    header.append(title);
    this.toolbar = element('div', 'ctx-toolbar');
    this.toolbar.append(
      button('+ File', 'small', () => this.showForm({ kind: 'file', dir: '' }), 'New file in the context root'),
      button('+ Folder', 'small', () => this.showForm({ kind: 'dir', dir: '' }), 'New folder in the context root'),
    );
    const upload = element('label', 'small button-like');
    upload.textContent = 'Upload';
    upload.title = 'Upload files into the context root';
    this.uploadInput = element('input', 'visually-hidden');
    this.uploadInput.type = 'file';
    this.uploadInput.multiple = true;
    this.uploadInput.setAttribute('aria-label', 'Upload files into the context root');
    this.uploadInput.addEventListener('change', async () => {
      await this.addUploads([...this.uploadInput.files], '');
      this.uploadInput.value = '';
    });
    upload.append(this.uploadInput);
    this.toolbar.append(upload);
    header.append(this.toolbar);
    this.formHost = element('div', 'ctx-form-host');
    this.tree = element('ul', 'ctx-tree');
    this.tree.setAttribute('aria-label', 'Context files');
    this.status = element('p', 'ctx-status');
    this.status.setAttribute('aria-live', 'polite');
    const hint = element('p', 'ctx-hint', 'Drop files or a folder here. .dockerignore is a context file too.');
    this.root.append(header, this.formHost, this.tree, this.status, hint);
    host.append(this.root);

    this.root.addEventListener('dragover', (event) => {
      if (this.readOnly) return;
      event.preventDefault();
      this.root.classList.add('dragging');
    });
    this.root.addEventListener('dragleave', (event) => {
      if (!this.root.contains(event.relatedTarget)) this.root.classList.remove('dragging');
    });
    this.root.addEventListener('drop', (event) => {
      if (this.readOnly) return;
      event.preventDefault();
      this.root.classList.remove('dragging');
      this.addDropped(event.dataTransfer);
    });
    this.setReadOnly(readOnly);
  }

  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    this.toolbar.hidden = readOnly;
    this.render();
  }

  get state() {
    return this.store.state;
  }

  say(message, action) {
    this.status.replaceChildren(message);
    if (action) this.status.append(' ', button(action.label, 'link', action.run));
  }

  /** The tree of files and folders, folders first, each level sorted by name. */
  buildTree() {
    const root = { name: '', path: '', kind: 'dir', children: new Map() };
    const ensureDir = (path) => {
      let node = root;
      if (path === '') return node;
      for (const part of path.split('/')) {
        const childPath = node.path ? `${node.path}/${part}` : part;
        if (!node.children.has(part) || node.children.get(part).kind !== 'dir') {
          node.children.set(part, { name: part, path: childPath, kind: 'dir', children: new Map() });
        }
        node = node.children.get(part);
      }
      return node;
    };
    for (const dir of this.state.dirs) ensureDir(dir);
    for (const [path, content] of this.state.files) {
      const dir = ensureDir(parentOf(path));
      dir.children.set(baseName(path), { name: baseName(path), path, kind: 'file', content });
    }
    return root;
  }

  render() {
    const root = this.buildTree();
    const items = this.renderChildren(root, 0);
    if (items.length === 0) {
      const empty = element('li', 'ctx-empty', 'The context is empty. COPY and ADD read their files from here.');
      items.push(empty);
    }
    this.tree.replaceChildren(...items);
  }

  renderChildren(dir, depth) {
    const children = [...dir.children.values()].sort((a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'dir' ? -1 : 1) || a.name.localeCompare(b.name));
    const items = [];
    for (const node of children) {
      const item = element('li', `ctx-item ctx-${node.kind}`);
      const row = element('div', 'ctx-row');
      row.style.setProperty('--depth', String(depth));
      const open = node.kind === 'dir' && !this.collapsed.has(node.path);
      const name = element('button', 'ctx-name');
      name.type = 'button';
      name.dataset.path = node.path;
      name.title = node.path;
      const icon = element('span', 'ctx-icon', node.kind === 'dir' ? (open ? '▾' : '▸') : '');
      icon.setAttribute('aria-hidden', 'true');
      const label = element('span', 'ctx-label', node.name);
      name.append(icon, label);
      if (node.kind === 'dir') {
        name.setAttribute('aria-expanded', String(open));
        name.setAttribute('aria-label', `Folder ${node.path}`);
        name.addEventListener('click', () => {
          if (open) this.collapsed.add(node.path);
          else this.collapsed.delete(node.path);
          this.render();
        });
      } else {
        const binary = typeof node.content !== 'string';
        const size = binary ? node.content.length : new TextEncoder().encode(node.content).length;
        name.setAttribute('aria-label', `Open ${node.path} (${binary ? 'binary, ' : ''}${size} bytes)`);
        if (this.state.open === node.path) name.setAttribute('aria-current', 'true');
        name.addEventListener('click', () => this.onOpen(node.path));
        const meta = element('span', 'ctx-size', binary ? `${size} B bin` : `${size} B`);
        meta.setAttribute('aria-hidden', 'true');
        name.append(meta);
      }
      row.append(name);
      if (!this.readOnly) {
        const actions = element('span', 'ctx-actions');
        if (node.kind === 'dir') {
          actions.append(button('+', 'icon', () => this.showForm({ kind: 'file', dir: node.path }), `New file in ${node.path}`));
        }
        actions.append(
          button('✎', 'icon', () => this.showForm({ kind: 'rename', path: node.path, isDir: node.kind === 'dir' }), `Rename ${node.path}`),
          button('×', 'icon', () => this.remove(node.path), `Delete ${node.path}`),
        );
        row.append(actions);
      }
      item.append(row);
      if (node.kind === 'dir' && open) {
        const list = element('ul', 'ctx-children');
        list.append(...this.renderChildren(node, depth + 1));
        item.append(list);
      }
      items.push(item);
    }
    return items;
  }

  /** The inline form for a new file, a new folder or a rename (no browser prompts). */
  showForm(task) {
    const form = element('form', 'ctx-form');
    const text = task.kind === 'rename' ? `Rename ${task.path} to` : task.kind === 'dir' ? 'New folder' : 'New file';
    const label = element('label', null);
    const caption = element('span', 'ctx-form-caption', text);
    const input = element('input');
    input.type = 'text';
    input.name = 'path';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.value = task.kind === 'rename' ? task.path : task.dir ? `${task.dir}/` : '';
    label.append(caption, input);
    const error = element('p', 'ctx-form-error');
    error.setAttribute('role', 'alert');
    const ok = element('button', 'small primary', task.kind === 'rename' ? 'Rename' : 'Create');
    ok.type = 'submit';
    const cancel = button('Cancel', 'small', () => this.closeForm());
    form.append(label, ok, cancel, error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const message = this.applyForm(task, input.value);
      if (message) error.textContent = message;
      else this.closeForm();
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.closeForm();
    });
    this.formHost.replaceChildren(form);
    this.form = form;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  closeForm() {
    this.formHost.replaceChildren();
    this.form = null;
  }

  /** Applies the form; returns an error message or null. */
  applyForm(task, value) {
    const { path, error } = normalizePath(value);
    if (error) return error;
    if (task.kind === 'rename') return this.rename(task.path, path);
    if (this.exists(path)) return `${path} already exists`;
    if (this.state.files.has(parentOf(path)) ) return `${parentOf(path)} is a file, not a folder`;
    if (task.kind === 'dir') {
      this.state.dirs.add(path);
      this.store.changed('context');
      this.render();
      this.say(`Created folder ${path}.`);
    } else {
      this.setFile(path, '');
      this.onOpen(path);
    }
    return null;
  }

  exists(path) {
    if (this.state.files.has(path)) return true;
    if (this.state.dirs.has(path)) return true;
    const prefix = `${path}/`;
    return [...this.state.files.keys()].some((p) => p.startsWith(prefix));
  }

  /** Creates or replaces a file (text or bytes). */
  setFile(path, content) {
    this.state.files.set(path, content);
    this.state.dirs.delete(path);
    this.store.changed('context');
    this.render();
  }

  rename(from, to) {
    if (from === to) return null;
    if (to.startsWith(`${from}/`)) return 'a folder cannot move into itself';
    if (this.exists(to)) return `${to} already exists`;
    const files = new Map();
    for (const [path, content] of this.state.files) {
      if (path === from) files.set(to, content);
      else if (path.startsWith(`${from}/`)) files.set(to + path.slice(from.length), content);
      else files.set(path, content);
    }
    const dirs = new Set([...this.state.dirs].map((dir) =>
      dir === from || dir.startsWith(`${from}/`) ? to + dir.slice(from.length) : dir));
    const open = this.state.open;
    this.state.files = files;
    this.state.dirs = dirs;
    if (open === from || (open && open.startsWith(`${from}/`))) this.state.open = to + open.slice(from.length);
    this.store.changed('context');
    this.render();
    this.say(`Renamed ${from} to ${to}.`);
    return null;
  }

  /** Deletes a file or a folder with everything in it; one Undo brings it back. */
  remove(path) {
    const before = { files: new Map(this.state.files), dirs: new Set(this.state.dirs), open: this.state.open };
    const inside = (p) => p === path || p.startsWith(`${path}/`);
    for (const p of [...this.state.files.keys()]) if (inside(p)) this.state.files.delete(p);
    for (const d of [...this.state.dirs]) if (inside(d)) this.state.dirs.delete(d);
    if (this.state.open && inside(this.state.open)) this.state.open = null;
    this.store.changed('context');
    this.render();
    this.say(`Deleted ${path}.`, {
      label: 'Undo',
      run: () => {
        this.state.files = before.files;
        this.state.dirs = before.dirs;
        this.state.open = before.open;
        this.store.changed('context');
        this.render();
        this.say(`Restored ${path}.`);
      },
    });
  }

  async addUploads(files, dir) {
    const added = [];
    const refused = [];
    for (const file of files) {
      const relative = file.relativePath || file.webkitRelativePath || file.name;
      const { path, error } = normalizePath(dir ? `${dir}/${relative}` : relative);
      if (error) refused.push(`${relative} (${error})`);
      else if (file.size > MAX_FILE_BYTES) refused.push(`${path} (larger than 2 MB)`);
      else {
        this.state.files.set(path, textOrBytes(await file.arrayBuffer()));
        added.push(path);
      }
    }
    if (added.length > 0) this.store.changed('context');
    this.render();
    const parts = [];
    if (added.length > 0) parts.push(`Added ${added.length} file${added.length === 1 ? '' : 's'}.`);
    if (refused.length > 0) parts.push(`Skipped: ${refused.join(', ')}.`);
    this.say(parts.join(' ') || 'Nothing to add.');
  }

  /** A drop of files and folders: folders are walked with webkitGetAsEntry. */
  async addDropped(transfer) {
    const entries = [...transfer.items]
      .map((item) => (item.kind === 'file' && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null))
      .filter(Boolean);
    if (entries.length === 0) {
      await this.addUploads([...transfer.files], '');
      return;
    }
    const files = [];
    const walk = async (entry, prefix) => {
      if (entry.isFile) {
        const file = await entryFile(entry);
        files.push(Object.assign(file, { relativePath: prefix + entry.name }));
      } else if (entry.isDirectory) {
        for (const child of await readDirectory(entry)) await walk(child, `${prefix}${entry.name}/`);
      }
    };
    try {
      for (const entry of entries) await walk(entry, '');
    } catch (error) {
      this.say(`Could not read the dropped files: ${error.message}`);
      return;
    }
    await this.addUploads(files, '');
  }
}
