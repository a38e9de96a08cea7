// The heady dashboard: sign in once with a token (the admin token, or a named token of any role), then a live
// view of the cluster. Everything updates from the event stream (refetching only what an event says changed);
// nothing reloads the page. What the page offers follows the token's role: a viewer reads, an operator also
// submits, cancels and drains, an admin also manages tokens.
import { $, el, fill, debounce, TERMINAL } from './dom.js';
import { api, token, setToken, clearToken, EventStream } from './api.js';
import { renderGlance } from './overview.js';
import { renderNodes } from './nodes.js';
import { TaskList } from './tasks.js';
import { TaskDetail } from './detail.js';
import { DagView } from './dag.js';
import { EventFeed } from './events.js';
import { TokensPanel } from './tokens.js';

const TYPES = ['shell', 'general', 'build', 'test', 'lint', 'transcode', 'transcribe', 'data_process', 'batch_job',
  'docker_build', 'ai_inference', 'indexing', 'backup', 'deployment', 'site-gen', 'verify', 'noop'];
const POLL_MS = 5000; // CPU and RAM load come with heartbeats, which raise no event

let stream = null;
let pollTimer = null;
let nodes = [];
let tasks;
let detail;
let dag;
let feed;
let tokensPanel;
let me = null; // GET /api/cluster/whoami: {kind, role, name}

// ---- sign-in ----------------------------------------------------------------------------------------------

function showLogin(message) {
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('token').value = '';
  $('token').focus();
}

async function signIn(ev) {
  ev.preventDefault();
  const t = $('token').value.trim();
  if (!t) return;
  $('login-submit').disabled = true;
  setToken(t, $('remember').checked);
  try {
    await whoami();
    $('login').hidden = true;
    await start();
  } catch (e) {
    clearToken();
    showLogin(e.unauthorized ? 'That token is not the admin token or a named token of this cluster.' : e.message);
  } finally {
    $('login-submit').disabled = false;
  }
}

function signOut() {
  stop();
  clearToken();
  me = null;
  delete document.body.dataset.role;
  $('whoami').hidden = true;
  $('tokens-card').hidden = true;
  showLogin();
}

/** Who the token is; the join token (agents') cannot use the people's API. */
async function whoami() {
  me = await api('/api/cluster/whoami');
  if (me.kind === 'join') {
    throw new Error('That is the join token: it is for agents. Sign in with the admin token or a named token.');
  }
  return me;
}

/** Shows what the role may do: buttons that change the cluster for operators, the tokens card for admins. */
function applyRole() {
  document.body.dataset.role = me.role;
  const w = $('whoami');
  w.textContent = `${me.name} · ${me.role}`;
  w.hidden = false;
  $('tokens-card').hidden = me.role !== 'admin';
  if (me.role === 'admin') tokensPanel.load().catch(report);
}

// ---- data -------------------------------------------------------------------------------------------------

async function loadState() {
  renderGlance($('glance'), await api('/api/cluster/state'));
}

async function loadNodes() {
  const r = await api('/api/cluster/nodes');
  nodes = r.nodes.sort((a, b) => (a.location === b.location ? (a.name || a.node_id).localeCompare(b.name || b.node_id)
    : a.location === 'cloud' ? 1 : -1));
  renderNodes($('nodes'), nodes, drain, approve);
  $('nodes-count').textContent = `${nodes.length} registered`;
  const pin = $('pin');
  const keep = pin.value;
  fill(pin, el('option', { value: '' }, 'best node'),
    nodes.filter((n) => n.status !== 'pending_approval')
      .map((n) => el('option', { value: n.node_id }, `${n.name} (${n.tier.toLowerCase()}, ${n.status})`)));
  pin.value = nodes.some((n) => n.node_id === keep) ? keep : '';
}

const refreshState = debounce(() => loadState().catch(report), 250);
const refreshNodes = debounce(() => loadNodes().catch(report), 250);

// Task rows an event touched, fetched together a moment later (a burst of events costs one fetch per task).
const dirty = new Set();
const flushTasks = debounce(async () => {
  const ids = [...dirty];
  dirty.clear();
  await Promise.all(ids.map(async (id) => {
    try {
      tasks.upsert(await api(`/api/cluster/tasks/${encodeURIComponent(id)}`));
    } catch (e) {
      if (e.status === 404) tasks.remove(id);
    }
  }));
  tasks.render();
  if (detail.id && ids.includes(detail.id)) detail.refresh();
  if (ids.some((id) => dag.has(id))) dag.refresh();
}, 150);

function onEvent(e) {
  feed.add(e);
  const d = e.data || {};
  if (d.task_id) {
    dirty.add(d.task_id);
    flushTasks();
  }
  if (e.type.startsWith('node.') || e.type.startsWith('task.')) refreshState();
  if (e.type.startsWith('node.') || e.type === 'task.dispatched' || TERMINAL.has(e.type.slice(5))) refreshNodes();
}

function onStreamState(s, resumed) {
  $('conn').dataset.state = s;
  $('conn-text').textContent = s === 'live' ? 'live' : s === 'reconnecting' ? 'reconnecting…' : 'not connected';
  if (s === 'live' && resumed) refreshAll(); // we may have missed changes while away
}

async function refreshAll() {
  await Promise.all([loadState(), loadNodes(), tasks.load()]);
  if (detail.id) await detail.refresh();
  if (dag.dagId) await dag.refresh();
}

function report(e) {
  if (e && e.unauthorized) {
    signOut();
    showLogin('The token was refused; sign in again.');
  } else if (e) {
    console.warn(e.message || e);
  }
}

// ---- actions ----------------------------------------------------------------------------------------------

async function drain(n, enabled) {
  try {
    await api(`/api/cluster/nodes/${encodeURIComponent(n.node_id)}/drain`, { method: 'POST', body: { enabled } });
  } catch (e) {
    report(e);
    alert(`Drain failed: ${e.message}`);
  }
  await Promise.all([loadNodes(), loadState()]).catch(report);
}

async function approve(n) {
  if (!window.confirm(`Approve node ${n.node_id}?\nIts key fingerprint: ${n.fingerprint}\nCompare it with the one`
    + ' the agent logged.')) return;
  try {
    await api(`/api/cluster/nodes/${encodeURIComponent(n.node_id)}/approve`, { method: 'POST', body: {} });
  } catch (e) {
    report(e);
    alert(`Approve failed: ${e.message}`);
  }
  await loadNodes().catch(report);
}

async function cancel(id) {
  try {
    await api(`/api/cluster/tasks/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: {} });
  } catch (e) {
    report(e);
    if (e.status !== 409) alert(`Cancel failed: ${e.message}`);
  }
  dirty.add(id);
  flushTasks();
}

function select(id) {
  tasks.select(id);
  dag.select(id);
  detail.show(id);
}

async function submit(ev) {
  ev.preventDefault();
  const out = $('submit-result');
  const body = { command: $('cmd').value.trim(), type: $('type').value.trim() || 'shell',
    priority: $('priority').value };
  if ($('pin').value) body.node = $('pin').value;
  if ($('timeout').value) body.timeout_ms = Number($('timeout').value) * 1000;
  if (!body.command) return;
  $('submit-btn').disabled = true;
  out.className = 'result';
  try {
    const r = await api('/api/cluster/tasks/route', { method: 'POST', body });
    const where = r.routed ? `on ${r.node_name || r.node_id}` : (r.waiting_reason || 'queued');
    out.replaceChildren('Submitted ', el('code', { id: 'submitted-id', dataset: { taskId: r.task_id } }, r.task_id),
      ` — ${r.status}, ${where}`);
    tasks.upsert(await api(`/api/cluster/tasks/${encodeURIComponent(r.task_id)}`));
    tasks.render();
    select(r.task_id);
    $('cmd').select();
  } catch (e) {
    report(e);
    out.className = 'result bad';
    out.textContent = e.message;
  } finally {
    $('submit-btn').disabled = false;
  }
}

// ---- lifecycle --------------------------------------------------------------------------------------------

async function start() {
  applyRole();
  $('app').hidden = false;
  $('logout').hidden = false;
  // the stream first, so nothing that happens while the first data loads is missed
  stream = new EventStream({ onEvent, onState: onStreamState, onAuthFailed: () => report({ unauthorized: true }) });
  stream.open();
  await refreshAll().catch(report);
  pollTimer = setInterval(() => {
    loadNodes().catch(report);
    loadState().catch(report);
    if ($('conn').dataset.state !== 'live') tasks.load().catch(report);
  }, POLL_MS);
}

function stop() {
  if (stream) stream.close();
  stream = null;
  clearInterval(pollTimer);
  detail.clear();
  dag.hide();
}

function init() {
  $('types').replaceChildren(...TYPES.map((t) => el('option', { value: t })));
  tasks = new TaskList($('tasks'), { onSelect: select, onCancel: cancel, countEl: $('tasks-count'),
    filterEl: $('task-filter'), olderBtn: $('older') });
  detail = new TaskDetail($('detail'), { onCancel: cancel, onShowDag: (id) => dag.show(id) });
  dag = new DagView({ card: $('dag-card'), root: $('dag'), idEl: $('dag-id'), summaryEl: $('dag-summary'),
    closeBtn: $('dag-close'), onSelect: select });
  feed = new EventFeed($('events'), $('events-count'), { onTask: select });
  tokensPanel = new TokensPanel({ table: $('tokens'), countEl: $('tokens-count'), form: $('token-form'),
    nameEl: $('token-name'), roleEl: $('token-role'), resultEl: $('token-result'), onError: report });
  $('login-form').addEventListener('submit', signIn);
  $('submit-form').addEventListener('submit', submit);
  $('logout').addEventListener('click', signOut);
  if (!token()) {
    showLogin();
    return;
  }
  whoami().then(() => start(), (e) => {
    if (e.unauthorized) clearToken();
    showLogin(e.unauthorized ? 'The saved token was refused; sign in again.' : e.message);
  });
}

init();
