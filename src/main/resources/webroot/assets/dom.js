// Small DOM helpers. Text always goes in as text nodes (never as HTML), so commands, output, node names
// and labels from the cluster cannot inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(e, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'style') Object.assign(e.style, v); // CSSOM, allowed by the page's CSP
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** An HTML element: el('td', {class: 'num'}, 'text', child, …). */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces a node's children; nulls are skipped and arrays flattened, like el()'s children. */
export function fill(node, ...children) {
  node.replaceChildren();
  return build(node, null, children);
}

export function $(id) {
  return document.getElementById(id);
}

/** A status pill; the class s-<status> picks its colour. */
export function badge(status) {
  const s = status || 'unknown';
  return el('span', { class: `badge s-${s}`, dataset: { status: s } }, s.replace('_', ' '));
}

export const TERMINAL = new Set(['succeeded', 'failed', 'timed_out', 'cancelled', 'skipped']);
export const ACTIVE = new Set(['waiting', 'queued', 'dispatched', 'running']);

export function duration(ms) {
  if (ms == null || Number.isNaN(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} m`;
}

export function ago(iso) {
  if (!iso) return '–';
  const ms = Date.now() - Date.parse(iso);
  if (ms < 5000) return 'just now';
  return `${duration(ms).replace(/ \d+ (s|m)$/, '')} ago`;
}

export function clock(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false });
}

export function stamp(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return `${d.toLocaleDateString()} ${d.toLocaleTimeString([], { hour12: false })}`;
}

export function pct(v) {
  return v == null ? '–' : `${Math.round(v)}%`;
}

/** A small horizontal meter for a percentage (CPU, RAM, reliability). */
export function meter(v, { hot = 70, bad = 90, invert = false } = {}) {
  const n = v == null ? 0 : Math.max(0, Math.min(100, v));
  const level = invert ? (n < 30 ? 'bad' : n < 80 ? 'hot' : '') : (n >= bad ? 'bad' : n >= hot ? 'hot' : '');
  return el('div', { class: 'meter', title: v == null ? 'unknown' : `${Math.round(n)}%` },
    el('div', { class: 'track' }, el('div', { class: `fill ${level}`, style: { width: `${n}%` } })),
    el('span', {}, v == null ? '–' : `${Math.round(n)}`));
}

/** Runs fn at most once per `ms`, with the latest arguments merged by the caller. */
export function debounce(fn, ms) {
  let t = null;
  return () => {
    if (t) return;
    t = setTimeout(() => { t = null; fn(); }, ms);
  };
}
