// The node table: tier, status, reliability, live CPU/RAM load, running/max, labels, and a drain switch.
import { el, badge, meter, ago } from './dom.js';
import { enforcementText } from './contain.js';

function labels(n) {
  const out = [];
  for (const [k, v] of Object.entries(n.labels || {})) out.push(el('span', { class: 'tag' }, `${k}=${v}`));
  for (const c of n.capabilities || []) out.push(el('span', { class: 'tag' }, c));
  return out.length ? out : el('span', { class: 'muted' }, '–');
}

/**
 * @param onDrain (node, enabled) => Promise, called by the drain button
 * @param onApprove (node) => Promise, called by the approve button of a node waiting for approval
 */
export function renderNodes(table, nodes, onDrain, onApprove) {
  const head = el('thead', {}, el('tr', {},
    ['Node', 'Tier', 'Status', 'Reliability', 'CPU %', 'RAM %', 'Running', 'Labels & capabilities', 'Heartbeat', '']
      .map((h) => el('th', {}, h))));
  const rows = nodes.map((n) => {
    if (n.status === 'pending_approval') {
      // enrolled with the join token, waiting for an admin: compare its key's fingerprint, then approve
      const approveBtn = el('button', {
        class: 'small', type: 'button', dataset: { action: 'approve' },
        title: `approve the node with key fingerprint ${n.fingerprint}`,
        onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            await onApprove(n);
          } finally {
            ev.target.disabled = false;
          }
        },
      }, 'Approve');
      return el('tr', { dataset: { nodeId: n.node_id, status: n.status } },
        el('td', {}, el('strong', {}, n.name || n.node_id),
          el('span', { class: 'sub' }, `${n.node_id}${n.address ? ` · from ${n.address}` : ''}`)),
        el('td', {}, '–'),
        el('td', {}, badge(n.status)),
        el('td', { colspan: 6 }, el('span', { class: 'sub fingerprint', title: 'SHA-256 of the node\'s key' },
          `key ${n.fingerprint}`)),
        el('td', { class: 'muted' }, ago(n.requested_at)),
        el('td', {}, approveBtn));
    }
    const stats = n.system_stats || {};
    const hw = n.hardware || {};
    const drainBtn = el('button', {
      class: n.drain ? 'ghost small' : 'danger small', type: 'button', dataset: { action: 'drain' },
      title: n.drain ? 'take new tasks again' : 'no new tasks; running ones finish',
      onclick: async (ev) => {
        ev.target.disabled = true;
        try {
          await onDrain(n, !n.drain);
        } finally {
          ev.target.disabled = false;
        }
      },
    }, n.drain ? 'Undrain' : 'Drain');
    return el('tr', { dataset: { nodeId: n.node_id, status: n.status } },
      el('td', {}, el('strong', {}, n.name || n.node_id),
        el('span', { class: 'sub' }, `${n.node_id} · ${n.location}${n.transport ? ` · ${n.transport}` : ''}`)),
      el('td', {}, el('span', { class: 'tier' }, n.tier),
        el('span', { class: 'sub' }, `${hw.cpu_cores ?? '?'} cores · ${hw.ram_gb ?? '?'} GB`),
        el('span', { class: 'sub contained', title: 'how the node contains its tasks' },
          `contained: ${enforcementText(n.containment)}`)),
      el('td', {}, badge(n.status), n.drain && n.status !== 'draining' ? el('span', { class: 'sub' }, 'draining') : null,
        n.refusing ? el('span', { class: 'sub refusing', title: n.refusing.message }, n.refusing.reason) : null),
      el('td', {}, meter(n.reliability_score, { invert: true })),
      el('td', {}, meter(stats.cpu_usage_pct)),
      el('td', {}, meter(stats.ram_usage_pct)),
      el('td', { class: 'num running' }, `${n.running ?? 0} / ${n.max_concurrent ?? 0}`),
      el('td', {}, labels(n)),
      el('td', { class: 'muted' }, ago(n.last_heartbeat)),
      el('td', {}, drainBtn));
  });
  const body = el('tbody', {}, rows.length ? rows
    : el('tr', {}, el('td', { class: 'empty', colspan: 10 }, 'No nodes yet. Start an agent with the join token.')));
  table.replaceChildren(head, body);
}
