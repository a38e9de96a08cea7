// The live task list: what is active plus the recent finished ones, kept up to date from events. Finished
// tasks come from the manager's store as well as its memory, so they are listed after a restart too; a
// filter on a finished status pages through that status, newest first.
import { el, badge, duration, ago, TERMINAL, ACTIVE } from './dom.js';
import { api } from './api.js';

const SHOWN = 200;

function brief(t) {
  // the list keeps what a row shows; the detail view fetches the whole record
  const { history, spec, explain, ...rest } = t;
  return rest;
}

function when(t) {
  if (TERMINAL.has(t.status)) {
    return t.duration_ms != null ? duration(t.duration_ms) : ago(t.finished_at);
  }
  return ago(t.created_at);
}

export class TaskList {
  constructor(table, { onSelect, onCancel, countEl, filterEl, olderBtn }) {
    this.table = table;
    this.onSelect = onSelect;
    this.onCancel = onCancel;
    this.countEl = countEl;
    this.filterEl = filterEl;
    this.olderBtn = olderBtn;
    this.tasks = new Map();
    this.selected = null;
    this.before = null;
    this.cursors = new Map(); // finished status → next_cursor of its list (null: all loaded)
    filterEl.addEventListener('change', () => this.filtered()
      .catch((e) => console.error('loading the filtered tasks failed', e)));
    olderBtn.addEventListener('click', () => this.loadOlder());
  }

  async filtered() {
    this.render();
    const f = this.filterEl.value;
    if (TERMINAL.has(f) && !this.cursors.has(f)) await this.loadStatus(f);
  }

  /** The next page of one finished status, newest first. */
  async loadStatus(status) {
    const cursor = this.cursors.get(status);
    const page = await api(`/api/cluster/tasks?status=${status}&order=newest&limit=100`
      + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    for (const t of page.tasks) if (!this.tasks.has(t.task_id)) this.tasks.set(t.task_id, brief(t));
    this.cursors.set(status, page.next_cursor ?? null);
    this.render();
  }

  /** Everything active, and the last finished tasks. */
  async load() {
    const active = await Promise.all(['running', 'dispatched', 'queued', 'waiting']
      .map((s) => api(`/api/cluster/tasks?status=${s}&limit=500`)));
    const hist = await api('/api/cluster/tasks/history?limit=100');
    this.tasks.clear();
    for (const page of active) for (const t of page.tasks) this.tasks.set(t.task_id, brief(t));
    for (const t of hist.tasks) this.tasks.set(t.task_id, brief(t));
    this.before = hist.before;
    this.cursors.clear();
    this.render();
    const f = this.filterEl.value;
    if (TERMINAL.has(f)) await this.loadStatus(f);
  }

  async loadOlder() {
    const f = this.filterEl.value;
    if (TERMINAL.has(f)) {
      if (this.cursors.get(f) != null) await this.loadStatus(f);
      return;
    }
    if (this.before == null) return;
    const hist = await api(`/api/cluster/tasks/history?limit=100&before=${this.before}`);
    for (const t of hist.tasks) if (!this.tasks.has(t.task_id)) this.tasks.set(t.task_id, brief(t));
    this.before = hist.before;
    this.render();
  }

  /** Puts a fetched record (a row's new state) into the list. */
  upsert(t) {
    this.tasks.set(t.task_id, brief(t));
  }

  remove(id) {
    this.tasks.delete(id);
  }

  select(id) {
    this.selected = id;
    for (const tr of this.table.querySelectorAll('tbody tr[data-task-id]')) {
      tr.classList.toggle('selected', tr.dataset.taskId === id);
    }
  }

  matches(t) {
    const f = this.filterEl.value;
    if (!f) return true;
    if (f === 'active') return ACTIVE.has(t.status);
    return t.status === f;
  }

  render() {
    const all = [...this.tasks.values()].filter((t) => this.matches(t)).sort((a, b) => (b.seq || 0) - (a.seq || 0));
    const shown = all.slice(0, SHOWN);
    const head = el('thead', {}, el('tr', {},
      ['Task', 'Type', 'Pri', 'Status', 'Node', 'Tries', 'Time', ''].map((h) => el('th', {}, h))));
    const rows = shown.map((t) => el('tr', {
      dataset: { taskId: t.task_id, status: t.status },
      class: t.task_id === this.selected ? 'selected' : null,
      onclick: (ev) => { if (!ev.target.closest('button')) this.onSelect(t.task_id); },
    },
    el('td', {}, el('code', {}, t.task_id),
      el('div', { class: 'cmd', title: t.command || (t.argv || []).join(' ') }, t.command || (t.argv || []).join(' '))),
    el('td', {}, t.type),
    el('td', {}, el('span', { class: `pri pri-${t.priority}` }, t.priority)),
    el('td', {}, badge(t.status),
      t.stagnant_since && !TERMINAL.has(t.status)
        ? el('span', { class: 'sub quiet', title: `no progress seen since ${t.stagnant_since}` }, 'quiet') : null,
      t.unplaceable && t.status === 'queued'
        ? el('span', { class: 'sub unplaceable', title: t.waiting_reason || '' }, 'no node can take it') : null),
    el('td', {}, t.node_name || t.node_id || el('span', { class: 'muted' }, '–')),
    el('td', { class: 'num' }, String(t.attempt ?? (t.attempts || []).length ?? 0)),
    el('td', { class: 'muted' }, when(t)),
    el('td', {}, TERMINAL.has(t.status) ? null : el('button', {
      class: 'danger small', type: 'button', dataset: { action: 'cancel' },
      onclick: (ev) => { ev.target.disabled = true; this.onCancel(t.task_id).finally(() => { ev.target.disabled = false; }); },
    }, 'Cancel'))));
    const body = el('tbody', {}, rows.length ? rows
      : el('tr', {}, el('td', { class: 'empty', colspan: 8 }, this.tasks.size ? 'No task matches the filter.'
        : 'No tasks yet. Run a command on the right.')));
    this.table.replaceChildren(head, body);
    this.countEl.textContent = `${shown.length} of ${all.length} shown · ${this.tasks.size} loaded`;
    const f = this.filterEl.value;
    this.olderBtn.hidden = TERMINAL.has(f) ? this.cursors.get(f) == null : this.before == null;
  }
}
