// Cluster at a glance: capacity gauge, nodes by status and tier, queue depth by priority, task counters.
import { el, svg, badge, duration } from './dom.js';

const NODE_STATUSES = ['active', 'pending', 'draining', 'stale', 'unhealthy', 'degraded', 'offline'];
const TIERS = ['POWERHOUSE', 'STANDARD', 'LIGHT'];
const PRIORITIES = ['P0', 'P1', 'P2', 'P3'];

function gauge(used, total) {
  const r = 40;
  const c = 2 * Math.PI * r;
  const frac = total > 0 ? Math.min(1, used / total) : 0;
  const colour = frac >= 0.9 ? 'var(--bad)' : frac >= 0.7 ? 'var(--warn)' : 'var(--accent)';
  return svg('svg', { width: 104, height: 104, viewBox: '0 0 104 104', role: 'img',
    'aria-label': `${used} of ${total} slots used` },
  svg('circle', { cx: 52, cy: 52, r, fill: 'none', style: { stroke: 'var(--line)' }, 'stroke-width': 12 }),
  frac > 0 ? svg('circle', { cx: 52, cy: 52, r, fill: 'none', style: { stroke: colour }, 'stroke-width': 12,
    'stroke-linecap': 'round', 'stroke-dasharray': `${(c * frac).toFixed(1)} ${c.toFixed(1)}`,
    transform: 'rotate(-90 52 52)', class: 'gauge-arc' }) : null,
  svg('text', { x: 52, y: 50, 'text-anchor': 'middle', 'font-size': 20, 'font-weight': 700, style: { fill: 'var(--ink)' } },
    `${used}/${total}`),
  svg('text', { x: 52, y: 68, 'text-anchor': 'middle', 'font-size': 11, style: { fill: 'var(--muted)' } }, 'slots'));
}

function bars(rows, max) {
  const top = Math.max(1, max);
  return el('div', { class: 'bars' }, rows.map(([label, n, cls]) => el('div', { class: 'bar' },
    el('span', { class: cls || '' }, label),
    el('div', { class: 'track' }, el('div', { class: 'fill', style: { width: `${(100 * n) / top}%` } })),
    el('span', { class: 'n' }, String(n)))));
}

/** Renders the four glance cards from GET /api/cluster/state. */
export function renderGlance(root, st) {
  const cap = st.compute_capacity || {};
  const nodes = st.nodes || { by_status: {}, by_tier: {} };
  const q = st.queue || { by_priority: {} };
  const m = st.metrics || {};

  const capacity = el('div', { class: 'card', id: 'capacity' },
    el('h3', {}, 'Capacity'),
    el('div', { class: 'gauge' }, gauge(cap.slots_used || 0, cap.slots_total || 0),
      el('div', { class: 'facts' },
        el('span', {}, el('b', { class: 'big', id: 'utilization' }, `${cap.utilization_pct ?? 0}%`), ' used'),
        el('span', {}, `${cap.cpu_cores ?? 0} cores · ${cap.ram_gb ?? 0} GB RAM`),
        cap.gpu_vram_gb ? el('span', {}, `${cap.gpu_vram_gb} GB GPU memory`) : null,
        el('span', {}, `${cap.slots_available ?? 0} slots free`))));

  const present = NODE_STATUSES.filter((s) => (nodes.by_status[s] || 0) > 0 || s === 'active');
  const nodeCard = el('div', { class: 'card', id: 'node-summary' },
    el('h3', {}, 'Nodes'),
    el('div', {}, el('span', { class: 'big' }, String(nodes.total ?? 0)),
      el('span', { class: 'muted' }, `  avg reliability ${st.avg_reliability ?? 100}`)),
    el('div', { class: 'chips' }, present.map((s) => el('span', { class: 'chip' }, badge(s), ' ',
      el('b', { dataset: { nodeStatus: s } }, String(nodes.by_status[s] || 0))))),
    bars(TIERS.map((t) => [t.toLowerCase(), nodes.by_tier[t] || 0, 'tier']),
      Math.max(...TIERS.map((t) => nodes.by_tier[t] || 0))));

  const byP = q.by_priority || {};
  const queue = el('div', { class: 'card', id: 'queue' },
    el('h3', {}, 'Queue'),
    el('div', {}, el('span', { class: 'big', id: 'queue-depth' }, String(q.depth ?? 0)),
      el('span', { class: 'muted' }, q.delayed ? `  +${q.delayed} backing off` : '  waiting for a node')),
    bars(PRIORITIES.map((p) => [p, byP[p] || 0, `pri pri-${p}`]), Math.max(...PRIORITIES.map((p) => byP[p] || 0))));

  const stat = (label, v, id) => el('div', {}, el('b', { id }, String(v ?? 0)), el('span', { class: 'muted' }, label));
  const tasks = el('div', { class: 'card', id: 'throughput' },
    el('h3', {}, 'Tasks'),
    el('div', { class: 'stats' },
      stat('routed', m.routed, 'count-routed'), stat('succeeded', m.completed, 'count-completed'),
      stat('failed', m.failed, 'count-failed'), stat('cancelled', m.cancelled, 'count-cancelled'),
      stat('failovers', m.failovers), stat('requeued', m.requeued),
      el('div', {}, el('b', {}, duration(m.avg_task_duration_ms)), el('span', { class: 'muted' }, 'avg run time'))));

  root.replaceChildren(capacity, nodeCard, queue, tasks);
}
