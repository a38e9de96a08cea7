// One task in full: facts, output, attempts, the placement explanation and its history.
import { el, fill, badge, duration, stamp, clock, TERMINAL } from './dom.js';
import { api, token } from './api.js';
import { limitsText, enforcementText, bytes, cpuText, ioText } from './contain.js';

// The most of a live tail the page keeps (characters).
const TAIL_MAX = 2 * 1024 * 1024;

const TABS = [['output', 'Output'], ['attempts', 'Attempts'], ['placement', 'Placement'], ['history', 'History']];

function fact(label, value) {
  return el('div', {}, el('span', {}, label), value == null || value === '' ? '–' : value);
}

function explainTable(explain) {
  if (!explain || !explain.length) {
    return el('p', { class: 'muted' }, 'Not placed yet: no node has been chosen for this task.');
  }
  const rows = [];
  for (const e of explain) {
    if (e.rejected_by_check) {
      const parts = Object.entries(e.rejected_by_check).map(([k, v]) => `${k}: ${v}`).join(', ');
      rows.push(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, `other nodes rejected by check — ${parts}`)));
      continue;
    }
    const verdict = e.eligible
      ? el('td', {}, el('strong', {}, String(e.score)), ' ',
        Object.entries(e.breakdown || {}).map(([k, v]) => el('span', { class: 'tag' }, `${k} ${v}`)),
        e.avoided ? el('span', { class: 'sub' }, 'avoided: it just lost or refused this task') : null)
      : el('td', { class: 'check' }, el('strong', {}, e.failed_check), ' ', el('span', {}, e.reason || ''));
    rows.push(el('tr', { class: e.chosen ? 'chosen' : null, dataset: { nodeId: e.node_id } },
      el('td', {}, el('strong', {}, e.name || e.node_id), e.chosen ? el('span', { class: 'sub' }, 'chosen') : null),
      el('td', { class: 'tier' }, e.tier || ''),
      el('td', {}, e.eligible ? badge('eligible') : badge('rejected')),
      verdict));
  }
  return el('table', { class: 'grid explain' },
    el('thead', {}, el('tr', {}, ['Node', 'Tier', 'Verdict', 'Score breakdown / failed check'].map((h) => el('th', {}, h)))),
    el('tbody', {}, rows));
}

// A task not on a node says why it waits (every node's failing check, grouped, as the manager says it); an
// earlier attempt's placement is shown as that, never as where the task is now.
function placementPane(t) {
  const waits = t.status === 'queued' || t.status === 'waiting';
  if (!waits) return el('div', { class: 'table-wrap' }, explainTable(t.explain));
  const earlier = t.explain && t.explain.length > 0;
  return el('div', {},
    el('p', { class: 'waiting-reason' }, `Not placed: ${t.waiting_reason || 'waiting for the next placement pass'}`),
    el('p', { class: 'muted' }, `Every node and every check it fails: heady explain ${t.task_id}`),
    earlier ? el('p', { class: 'muted' }, 'An earlier attempt was placed like this:') : null,
    earlier ? el('div', { class: 'table-wrap' }, explainTable(t.explain)) : null);
}

function attemptsTable(t) {
  const at = t.attempts || [];
  if (!at.length) return el('p', { class: 'muted' }, 'No attempt yet.');
  return el('table', { class: 'grid attempts' },
    el('thead', {}, el('tr', {}, ['#', 'Node', 'Dispatched', 'Started', 'Ended', 'Outcome', 'Exit', 'CPU',
      'Peak memory', 'Contained', 'Reason'].map((h) => el('th', {}, h)))),
    el('tbody', {}, at.map((a) => el('tr', { dataset: { attempt: a.attempt } },
      el('td', { class: 'num' }, String(a.attempt)),
      el('td', {}, a.node_id),
      el('td', {}, clock(a.dispatched_at)),
      el('td', {}, clock(a.started_at) || '–'),
      el('td', {}, clock(a.ended_at) || '–'),
      el('td', {}, a.outcome ? badge(a.outcome) : badge('running'),
        a.late_result ? el('span', { class: 'sub' }, 'late result kept, not counted') : null),
      el('td', { class: 'num' }, a.exit_code == null ? '–' : String(a.exit_code)),
      el('td', { class: 'num usage-cpu' }, a.usage ? cpuText(a.usage) : '–'),
      el('td', { class: 'num usage-peak' }, a.usage ? bytes(a.usage.peak_memory_bytes) : '–'),
      el('td', { class: 'contained' }, a.outcome ? enforcementText(a.enforcement) : '–'),
      el('td', { class: 'muted' }, a.reason || '')))));
}

function historyList(t) {
  const h = t.history || [];
  if (!h.length) return el('p', { class: 'muted' }, 'No history.');
  return el('ol', { class: 'history' }, h.map((x) => el('li', {},
    el('time', { class: 'muted' }, clock(x.at)),
    el('span', {}, el('strong', {}, x.event), x.detail ? ` — ${x.detail}` : ''))));
}

export class TaskDetail {
  constructor(root, { onCancel, onShowDag }) {
    this.root = root;
    this.onCancel = onCancel;
    this.onShowDag = onShowDag;
    this.id = null;
    this.task = null;
    this.tab = 'output';
    this.tail = null;
    this.seq = 0;
    this.clear();
  }

  clear() {
    this.id = null;
    this.task = null;
    this.stopTail();
    this.root.replaceChildren(el('div', { class: 'placeholder' },
      el('h2', {}, 'No task selected'),
      el('p', {}, 'Pick a task to see its output, attempts, placement and history.')));
  }

  async show(id) {
    if (id !== this.id) {
      this.id = id;
      this.task = null;
      this.root.replaceChildren(el('div', { class: 'placeholder' }, `Loading ${id}…`));
    }
    await this.refresh();
  }

  /** Fetches the task again (an event said it changed). */
  async refresh() {
    const id = this.id;
    if (!id) return;
    const mine = ++this.seq;
    let t;
    try {
      t = await api(`/api/cluster/tasks/${encodeURIComponent(id)}`);
    } catch (e) {
      if (mine === this.seq && id === this.id) {
        this.root.replaceChildren(el('div', { class: 'placeholder' }, el('p', { class: 'error' }, e.message)));
      }
      return;
    }
    if (mine !== this.seq || id !== this.id) return;
    this.task = t;
    if (!TERMINAL.has(t.status) && t.status !== 'queued' && t.status !== 'waiting') this.startTail(id);
    else if (this.tail && this.tail.id !== id) this.stopTail();
    this.render();
  }

  /**
   * Follows a running task's output live over server-sent events (GET …/log?follow=true): stdout and stderr
   * as the node gets them, until the stream says the task ended. EventSource cannot send a header, so the
   * token goes as ?token=, as for the events stream. A broken stream is not reopened (it would start over);
   * the finished task's output is then read once instead.
   */
  startTail(id) {
    if (this.tail && this.tail.id === id) return;
    this.stopTail();
    const tail = { id, chunks: [], size: 0, dropped: false, ended: false, broken: false, es: null };
    this.tail = tail;
    const q = new URLSearchParams({ follow: 'true', token: token() || '' });
    const es = new EventSource(`/api/cluster/tasks/${encodeURIComponent(id)}/log?${q}`);
    tail.es = es;
    const add = (stderr) => (m) => {
      let d;
      try { d = JSON.parse(m.data); } catch { return; }
      if (!d.text) return;
      tail.chunks.push({ stderr, text: d.text });
      tail.size += d.text.length;
      // why: a task may print gigabytes; the page keeps the last 2 MB of it
      while (tail.size > TAIL_MAX && tail.chunks.length > 1) {
        tail.size -= tail.chunks.shift().text.length;
        tail.dropped = true;
      }
      this.showTail();
    };
    es.addEventListener('stdout', add(false));
    es.addEventListener('stderr', add(true));
    es.addEventListener('attempt', () => {
      tail.chunks = [];
      tail.size = 0;
      this.showTail();
    });
    es.addEventListener('end', () => {
      tail.ended = true;
      es.close();
      this.showTail();
    });
    es.onerror = () => {
      if (tail.ended) return;
      tail.broken = true;
      es.close();
      if (this.tail === tail && TERMINAL.has(this.task?.status)) this.loadOutput();
    };
  }

  stopTail() {
    if (this.tail && this.tail.es) this.tail.es.close();
    this.tail = null;
  }

  /** The live tail of this task, when there is a usable one. */
  liveTail() {
    const t = this.tail;
    return t && t.id === this.id && !t.broken ? t : null;
  }

  showTail() {
    const pre = this.root.querySelector('#output');
    const tail = this.liveTail();
    if (!pre || !tail) return;
    const parts = tail.chunks.map((c) => (c.stderr ? el('span', { class: 'err' }, c.text) : c.text));
    if (tail.dropped) parts.unshift(el('span', { class: 'muted' }, '(earlier output not shown)\n'));
    if (!parts.length) {
      parts.push(el('span', { class: 'muted' }, tail.ended ? '(no output)' : 'no output yet…'));
    }
    pre.replaceChildren(...parts);
    pre.dataset.source = 'live';
    pre.dataset.live = tail.ended ? 'ended' : 'open';
  }

  render() {
    const t = this.task;
    const active = !TERMINAL.has(t.status);
    const head = el('div', { class: 'card-head' },
      el('h2', {}, 'Task ', el('code', { id: 'detail-id' }, t.task_id)),
      el('span', { id: 'detail-status' }, badge(t.status)),
      t.dag_id ? el('button', { class: 'ghost small', type: 'button', id: 'show-dag',
        onclick: () => this.onShowDag(t.dag_id) }, 'DAG') : null,
      active ? el('button', { class: 'danger small', type: 'button', id: 'detail-cancel',
        onclick: (ev) => { ev.target.disabled = true; this.onCancel(t.task_id); } }, 'Cancel') : null);
    const command = t.command || (t.argv || []).join(' ');
    const facts = el('div', { class: 'facts-grid' },
      fact('Type', t.type),
      fact('Priority', el('span', { class: `pri pri-${t.priority}` }, t.priority)),
      fact('Node', t.node_name ? `${t.node_name} (${t.node_tier})` : t.node_id),
      fact('Exit code', t.exit_code == null ? null : String(t.exit_code)),
      fact('Run time', t.duration_ms == null ? null : duration(t.duration_ms)),
      fact('Attempts', String((t.attempts || []).length)),
      fact('Created', stamp(t.created_at)),
      fact('Finished', t.finished_at ? stamp(t.finished_at) : null),
      fact('DAG', t.dag_id ? el('code', {}, t.dag_id) : null),
      fact('Limits', el('span', { id: 'detail-limits' }, limitsText(t.limits))),
      t.spec && t.spec.run_as ? fact('Run as', t.spec.run_as) : null,
      // names only: a task record never holds a secret's value
      t.spec && t.spec.secrets ? fact('Secrets', el('span', { id: 'detail-secrets' },
        Object.entries(t.spec.secrets).map(([v, n]) => (v === n ? n : `${n} as ${v}`)).join(', ')))
        : null,
      (t.attempts || []).length ? fact('Contained', el('span', { id: 'detail-contained' },
        enforcementText(t.enforcement))) : null,
      (t.attempts || []).length ? fact('CPU', el('span', { id: 'detail-cpu' },
        cpuText(t.usage) || 'not measured by its node')) : null,
      t.usage ? fact('Peak memory', el('span', { id: 'detail-peak' }, bytes(t.usage.peak_memory_bytes))) : null,
      t.usage ? fact('Disk I/O', ioText(t.usage)) : null);
    const cmd = el('pre', { class: 'out', id: 'detail-command' }, `$ ${command}`);
    const reason = t.reason ? el('p', { class: 'reason' }, t.reason) : null;
    const tabs = el('div', { class: 'tabs', role: 'tablist' }, TABS.map(([k, label]) => el('button', {
      type: 'button', role: 'tab', 'aria-selected': String(k === this.tab), dataset: { tab: k },
      onclick: () => { this.tab = k; this.render(); },
    }, k === 'attempts' ? `${label} (${(t.attempts || []).length})` : label)));
    const pane = el('div', { class: 'pane', id: `pane-${this.tab}` });
    if (this.tab === 'output') {
      const pre = el('pre', { class: 'out', id: 'output' });
      pane.append(pre);
      if (this.liveTail()) {
        // filled by showTail below, once the pane is in the page
      } else if (this.output && this.output.id === t.task_id) {
        // why: keep what was shown while the fresh output loads, so a refresh does not flicker
        this.fillOutput(pre, this.output.log);
      } else {
        pre.append(el('span', { class: 'muted' }, 'loading output…'));
      }
      if (!this.liveTail()) this.loadOutput();
    } else if (this.tab === 'attempts') {
      pane.append(el('div', { class: 'table-wrap' }, attemptsTable(t)));
    } else if (this.tab === 'placement') {
      pane.append(placementPane(t));
    } else {
      pane.append(historyList(t));
    }
    fill(this.root, head, reason, facts, cmd, tabs, pane);
    if (this.tab === 'output') this.showTail();
  }

  async loadOutput() {
    const id = this.id;
    let log;
    try {
      log = await api(`/api/cluster/tasks/${encodeURIComponent(id)}/log`);
    } catch (e) {
      log = { error: e.message };
    }
    if (id !== this.id) return;
    this.output = { id, log };
    const pre = this.root.querySelector('#output');
    if (pre) this.fillOutput(pre, log);
  }

  fillOutput(pre, log) {
    const parts = [];
    if (log.error) parts.push(el('span', { class: 'err' }, log.error));
    else if (Array.isArray(log.segments)) {
      // the node's log, stdout and stderr in the order the task wrote them
      for (const g of log.segments) parts.push(g.stream === 'stderr' ? el('span', { class: 'err' }, g.text) : g.text);
    } else if (log.data != null) parts.push(log.data);
    else {
      if (log.stdout) parts.push(log.stdout);
      if (log.stderr) parts.push(el('span', { class: 'err' }, log.stderr));
    }
    if (!parts.length) {
      parts.push(el('span', { class: 'muted' }, TERMINAL.has(this.task?.status) ? '(no output)' : 'no output yet…'));
    }
    pre.replaceChildren(...parts);
    pre.dataset.source = log.source || '';
  }
}
