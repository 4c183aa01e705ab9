// The panel deck: a row of toggles and one host per panel. It is the one place that
// checks the engine's capabilities: a panel whose required exports exist is mounted
// and updated; one whose exports are missing shows the honest pending state, and
// lights up by itself once a newer engine reports them.

import { el, button } from './dom.js';
import { renderPending } from './pending.js';

export class PanelDeck {
  /**
   * @param switchHost where the toggles go (hidden when there is only one panel)
   * @param hostsHost where the panel bodies go
   * @param panels panel definitions ({ id, title, concept, requires, create })
   * @param engine the Engine (state, error, has())
   * @param app what panels may ask the page (parsed, build, step, select, session, goToLine)
   */
  constructor(switchHost, hostsHost, panels, engine, app) {
    this.panels = panels;
    this.engine = engine;
    this.app = app;
    this.active = panels.length > 0 ? panels[0].id : null;
    this.mounted = new Map();
    this.hosts = new Map();
    this.toggles = new Map();
    switchHost.hidden = panels.length < 2;
    for (const panel of panels) {
      const host = el('div', 'panel-host');
      host.setAttribute('role', 'region');
      host.setAttribute('aria-label', panel.title);
      host.dataset.panel = panel.id;
      hostsHost.append(host);
      this.hosts.set(panel.id, host);
      const toggle = button(panel.title, 'panel-toggle', () => this.show(panel.id));
      toggle.dataset.panel = panel.id;
      switchHost.append(toggle);
      this.toggles.set(panel.id, toggle);
    }
  }

  /** Shows one panel. */
  show(id) {
    this.active = id;
    this.update();
  }

  /** Forgets mounted panels (the engine restarted, so their sessions are gone). */
  reset() {
    this.mounted.clear();
    this.update();
  }

  /** Re-checks capabilities and refreshes the visible panel. */
  update() {
    const { engine } = this;
    for (const panel of this.panels) {
      const host = this.hosts.get(panel.id);
      const active = panel.id === this.active;
      host.hidden = !active;
      this.toggles.get(panel.id).setAttribute('aria-pressed', String(active));
      if (engine.state !== 'ready') {
        host.replaceChildren(el('p', 'muted', engine.state === 'loading'
          ? 'Loading the engine…'
          : `The engine failed to load: ${engine.error}`));
        this.mounted.delete(panel.id);
        continue;
      }
      const missing = panel.requires.filter((name) => !engine.has(name));
      if (missing.length > 0) {
        renderPending(host, panel, missing);
        this.mounted.delete(panel.id);
        continue;
      }
      if (!this.mounted.has(panel.id)) {
        host.replaceChildren();
        this.mounted.set(panel.id, panel.create(host, this.app));
      }
      if (active) this.mounted.get(panel.id).update();
    }
  }
}
