// The tokens card (admins only): the named tokens with their role and last use, a form that makes one and
// shows its secret this once, and a revoke button per token. Secrets are never listed: the manager keeps
// only their SHA-256 digests.
import { el, fill, ago } from './dom.js';
import { api } from './api.js';

export class TokensPanel {
  constructor({ table, countEl, form, nameEl, roleEl, resultEl, onError }) {
    this.table = table;
    this.countEl = countEl;
    this.nameEl = nameEl;
    this.roleEl = roleEl;
    this.resultEl = resultEl;
    this.onError = onError;
    form.addEventListener('submit', (ev) => this.create(ev));
  }

  async load() {
    const r = await api('/api/cluster/tokens');
    this.render(r.tokens || []);
  }

  render(tokens) {
    this.countEl.textContent = `${tokens.length} named`;
    const head = el('thead', {}, el('tr', {}, ['Name', 'Role', 'Last used', ''].map((h) => el('th', {}, h))));
    const rows = tokens.map((t) => el('tr', { dataset: { token: t.name } },
      el('td', {}, el('strong', {}, t.name)),
      el('td', {}, t.role),
      el('td', { class: 'muted' }, t.last_used_at ? ago(t.last_used_at) : 'never'),
      el('td', {}, el('button', { class: 'danger small', type: 'button', dataset: { action: 'revoke' },
        onclick: (ev) => this.revoke(t.name, ev.target) }, 'Revoke'))));
    fill(this.table, head, el('tbody', {}, rows.length ? rows
      : el('tr', {}, el('td', { class: 'empty', colspan: 4 }, 'No named tokens.'))));
  }

  async create(ev) {
    ev.preventDefault();
    const name = this.nameEl.value.trim();
    if (!name) return;
    this.resultEl.className = 'result';
    try {
      const t = await api('/api/cluster/tokens', { method: 'POST', body: { name, role: this.roleEl.value } });
      // the secret is shown this once; the manager cannot show it again
      this.resultEl.replaceChildren(`Token ${t.name} (${t.role}) created. Copy it now, it is not shown again:`,
        el('code', { class: 'secret', id: 'token-secret' }, t.token));
      this.nameEl.value = '';
      await this.load();
    } catch (e) {
      this.onError(e);
      this.resultEl.className = 'result bad';
      this.resultEl.textContent = e.message;
    }
  }

  async revoke(name, button) {
    if (!window.confirm(`Revoke the token ${name}? Whoever uses it is refused from now on.`)) return;
    button.disabled = true;
    try {
      await api(`/api/cluster/tokens/${encodeURIComponent(name)}`, { method: 'DELETE' });
      this.resultEl.className = 'result';
      this.resultEl.textContent = `Token ${name} revoked.`;
    } catch (e) {
      this.onError(e);
      this.resultEl.className = 'result bad';
      this.resultEl.textContent = e.message;
    }
    await this.load().catch(this.onError);
  }
}
