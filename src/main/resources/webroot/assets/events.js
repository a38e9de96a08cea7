// The live events feed: newest first, the last 300 kept.
import { el, clock } from './dom.js';

const KEEP = 300;
const BAD = /failed|timed_out|unhealthy|offline|degraded|stale|late_result|escalated|queue_stalled/;
const GOOD = /succeeded|\.active$|registered/;

function summary(e) {
  const d = e.data || {};
  const fam = e.type.split('.')[0];
  if (fam === 'node') {
    return `${d.name || d.node_id}${d.previous ? ` (was ${d.previous})` : ''} · ${d.tier || ''}`;
  }
  if (fam === 'task' || d.task_id) {
    const where = d.node_id ? ` on ${d.node_id}` : '';
    const why = d.reason ? ` — ${d.reason}` : '';
    return `${d.task_id || ''} ${d.type ? `(${d.type}, ${d.priority})` : ''}${where}${why}`;
  }
  return Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
}

export class EventFeed {
  constructor(list, countEl, { onTask }) {
    this.list = list;
    this.countEl = countEl;
    this.onTask = onTask;
    this.seen = 0;
    this.list.append(el('li', { class: 'muted empty-feed' }, 'Waiting for events…'));
  }

  add(e) {
    const empty = this.list.querySelector('.empty-feed');
    if (empty) empty.remove();
    const fam = e.type.split('.')[0];
    const tone = BAD.test(e.type) ? 'ev-bad' : GOOD.test(e.type) ? 'ev-good' : '';
    const d = e.data || {};
    const li = el('li', { class: `fam-${fam} ${tone} fresh`, dataset: { type: e.type, id: e.id, taskId: d.task_id },
      title: JSON.stringify(e.data), onclick: () => { if (d.task_id) this.onTask(d.task_id); } },
    el('time', { datetime: e.at }, clock(e.at)),
    el('div', {}, el('span', { class: 'what' }, e.type), ' ', el('span', {}, summary(e))));
    this.list.prepend(li);
    setTimeout(() => li.classList.remove('fresh'), 1300);
    while (this.list.children.length > KEEP) this.list.lastElementChild.remove();
    this.seen++;
    this.countEl.textContent = `${this.seen} since sign-in`;
  }
}
