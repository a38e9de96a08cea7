// A DAG drawn as columns by dependency depth, with its critical path (the longest chain of estimated work)
// highlighted. Clicking a task selects it.
import { el, svg } from './dom.js';
import { api } from './api.js';

const W = 176;
const H = 48;
const GX = 64;
const GY = 16;

function layout(tasks) {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const depth = new Map();
  const visiting = new Set();
  const d = (id) => {
    if (depth.has(id)) return depth.get(id);
    if (visiting.has(id)) return 0; // cannot happen (cycles are refused at submission), but never loop
    visiting.add(id);
    const t = byId.get(id);
    let v = 0;
    for (const p of (t && t.depends_on) || []) if (byId.has(p)) v = Math.max(v, d(p) + 1);
    visiting.delete(id);
    depth.set(id, v);
    return v;
  };
  tasks.forEach((t) => d(t.task_id));
  const cols = [];
  for (const t of tasks) {
    const c = depth.get(t.task_id);
    (cols[c] ||= []).push(t.task_id);
  }
  const pos = new Map();
  cols.forEach((ids, c) => ids.forEach((id, r) => pos.set(id, { x: 12 + c * (W + GX), y: 12 + r * (H + GY) })));
  const rows = Math.max(1, ...cols.map((c) => (c ? c.length : 0)));
  return { pos, width: 24 + cols.length * W + (cols.length - 1) * GX, height: 24 + rows * H + (rows - 1) * GY };
}

function cut(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export class DagView {
  constructor({ card, root, idEl, summaryEl, closeBtn, onSelect }) {
    this.card = card;
    this.root = root;
    this.idEl = idEl;
    this.summaryEl = summaryEl;
    this.onSelect = onSelect;
    this.dagId = null;
    this.members = new Set();
    this.selected = null;
    closeBtn.addEventListener('click', () => this.hide());
  }

  has(taskId) {
    return this.dagId != null && this.members.has(taskId);
  }

  async show(dagId) {
    this.dagId = dagId;
    this.card.hidden = false;
    this.idEl.textContent = dagId;
    await this.refresh();
    this.card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  hide() {
    this.dagId = null;
    this.members.clear();
    this.card.hidden = true;
  }

  select(taskId) {
    this.selected = taskId;
    for (const g of this.root.querySelectorAll('g.node')) g.classList.toggle('selected', g.dataset.taskId === taskId);
  }

  async refresh() {
    if (!this.dagId) return;
    const id = this.dagId;
    let d;
    try {
      d = await api(`/api/cluster/dags/${encodeURIComponent(id)}`);
    } catch (e) {
      this.root.replaceChildren(el('p', { class: 'error' }, e.message));
      return;
    }
    if (id !== this.dagId) return;
    this.render(d);
  }

  render(d) {
    const tasks = d.tasks || [];
    this.members = new Set(tasks.map((t) => t.task_id));
    const crit = d.critical_path || [];
    const critSet = new Set(crit);
    const critEdges = new Set(crit.slice(1).map((to, i) => `${crit[i]}>${to}`));
    const { pos, width, height } = layout(tasks);
    const edges = (d.edges || []).filter((e) => pos.has(e.from) && pos.has(e.to)).map((e) => {
      const a = pos.get(e.from);
      const b = pos.get(e.to);
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const mx = (x1 + x2) / 2;
      const critical = critEdges.has(`${e.from}>${e.to}`);
      return svg('path', { class: critical ? 'edge critical' : 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
        'marker-end': critical ? 'url(#arrow-crit)' : 'url(#arrow)', dataset: { from: e.from, to: e.to } });
    });
    const nodes = tasks.map((t) => {
      const p = pos.get(t.task_id);
      const critical = critSet.has(t.task_id);
      return svg('g', { class: `node${critical ? ' critical' : ''}${t.task_id === this.selected ? ' selected' : ''}`,
        transform: `translate(${p.x},${p.y})`, dataset: { taskId: t.task_id, status: t.status },
        onclick: () => this.onSelect(t.task_id) },
      svg('title', {}, `${t.task_id} · ${t.status}${t.reason ? ` · ${t.reason}` : ''}`),
      svg('rect', { width: W, height: H, rx: 8, ry: 8 }),
      svg('circle', { class: `pip s-${t.status}`, cx: 14, cy: 16, r: 5 }),
      svg('text', { x: 26, y: 20 }, cut(t.task_id, 19)),
      svg('text', { class: 'st', x: 14, y: 38 }, `${t.status.replace('_', ' ')} · ${t.type || ''}`));
    });
    const marker = (id, cls) => svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    const defs = svg('defs', {}, marker('arrow', 'arrow'), marker('arrow-crit', 'arrow crit'));
    this.root.replaceChildren(
      svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `DAG ${d.dag_id}` },
        defs, edges, nodes),
      el('div', { class: 'legend' }, el('span', {}, el('i', {}), 'critical path'),
        el('span', {}, `${tasks.length} tasks · ${(d.edges || []).length} edges`)));
    const counts = Object.entries(d.counts || {}).map(([k, v]) => `${v} ${k.replace('_', ' ')}`).join(' · ');
    this.summaryEl.textContent = `${d.status}${counts ? ` — ${counts}` : ''}`;
  }
}
