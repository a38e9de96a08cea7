// Drives the heady dashboard in Debian's headless Chromium, as a user would: sign in with the token, see the
// agent, drain and undrain it, open a DAG, run a command and watch it succeed, cancel a long one, all without
// a page reload. Run by DashboardIT:
//
//   node dashboard.mjs <url> <admin-token> <screenshot.png> [agent-node-id] [dag-task-id]
//
// Exits 0 and prints "dashboard test passed" when every step passed; otherwise prints the failed step, saves
// <screenshot>-failure.png and exits 1. Every wait has a deadline (Playwright's timeouts); nothing sleeps.
import { chromium } from 'playwright-core';

const [url, token, shot, agent, dagTask] = process.argv.slice(2);
if (!url || !token || !shot) {
  console.error('usage: node dashboard.mjs <url> <admin-token> <screenshot.png> [agent-node-id] [dag-task-id]');
  process.exit(2);
}
const base = new URL(url);
const executablePath = process.env.HEADY_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_MS = 30_000;

let step = 'launch';
const say = (m) => console.log(`[dashboard] ${m}`);
const problems = [];
const external = [];

const browser = await chromium.launch({ executablePath, args: ARGS, headless: true, timeout: 60_000 });
const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
// nothing may leave for another origin: the dashboard ships everything it needs inside the jar
await context.route((u) => u.origin !== base.origin && u.protocol !== 'data:', (route) => {
  external.push(route.request().url());
  return route.abort();
});
const page = await context.newPage();
page.setDefaultTimeout(STEP_MS);
let navigations = 0;
page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
page.on('pageerror', (e) => problems.push(`uncaught error in the page: ${e.message}`));
page.on('console', (m) => {
  if (m.type() === 'error' && /Content Security Policy|SyntaxError|TypeError|ReferenceError/.test(m.text())) {
    problems.push(`console: ${m.text()}`);
  }
});

async function run() {
  step = 'open the page';
  const res = await page.goto(base.href, { waitUntil: 'domcontentloaded' });
  if (!res || res.status() !== 200) throw new Error(`GET / answered ${res && res.status()}`);
  await page.locator('#login-form').waitFor({ state: 'visible' });
  say('the page loaded without a token and asks for one');

  step = 'a wrong token is refused';
  await page.fill('#token', 'not-the-admin-token-of-this-cluster');
  await page.click('#login-submit');
  await page.locator('#login-error', { hasText: 'not the admin token' }).waitFor();
  say('a wrong token is refused with a message');

  step = 'sign in';
  await page.fill('#token', token);
  await page.click('#login-submit');
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.locator('#conn[data-state="live"]').waitFor();
  const stored = await page.evaluate(() => sessionStorage.getItem('heady.admin-token'));
  if (stored !== token) throw new Error('the token is not kept in sessionStorage');
  say('signed in; the event stream is live');
  await page.evaluate(() => { window.headyNoReload = 'still here'; });

  step = 'see the agent row';
  const row = agent ? page.locator(`#nodes tr[data-node-id="${agent}"]`) : page.locator('#nodes tbody tr').first();
  await row.and(page.locator('[data-status="active"]')).waitFor();
  await page.locator('#capacity .gauge svg').waitFor();
  say(`the node table lists ${agent || 'a node'} as active`);

  if (agent) {
    step = 'drain and undrain the agent';
    await row.locator('button[data-action="drain"]').click();
    await page.locator(`#nodes tr[data-node-id="${agent}"] button[data-action="drain"]`, { hasText: 'Undrain' }).waitFor();
    await page.locator(`#nodes tr[data-node-id="${agent}"] button[data-action="drain"]`).click();
    await page.locator(`#nodes tr[data-node-id="${agent}"][data-status="active"] button[data-action="drain"]`,
      { hasText: 'Drain' }).waitFor();
    say('drain and undrain from the node table');
  }

  if (dagTask) {
    step = 'open the DAG of a task';
    await page.locator(`#tasks tr[data-task-id="${dagTask}"]`).click();
    await page.locator('#detail-id', { hasText: dagTask }).waitFor();
    await page.click('#show-dag');
    await page.locator('#dag g.node.critical').first().waitFor();
    const crit = await page.locator('#dag g.node.critical').count();
    const edges = await page.locator('#dag path.edge.critical').count();
    if (crit < 2 || edges < 1) throw new Error(`critical path not drawn: ${crit} nodes, ${edges} edges`);
    say(`the DAG shows its critical path (${crit} tasks, ${edges} edges)`);
  }

  step = 'submit a command from the page';
  const marker = `hello-from-dashboard-${Date.now()}`;
  await page.fill('#cmd', `echo ${marker}`);
  if (agent) await page.selectOption('#pin', agent);
  await page.click('#submit-btn');
  const idEl = page.locator('#submitted-id');
  await idEl.waitFor();
  const id = await idEl.getAttribute('data-task-id');
  say(`submitted ${id}`);

  step = `see ${id} reach succeeded without reloading`;
  await page.locator(`#tasks tr[data-task-id="${id}"][data-status="succeeded"]`).waitFor({ timeout: 60_000 });
  await page.locator('#detail-status [data-status="succeeded"]').waitFor();
  await page.locator('#output', { hasText: marker }).waitFor();
  await page.locator(`#events li[data-type="task.succeeded"][data-task-id="${id}"]`).waitFor();
  say('the row, the detail and the events feed show it succeeded, with its output');

  step = 'limits, containment and usage of the task';
  await page.locator('#detail-limits', { hasText: 'none' }).waitFor();
  // what the node says depends on the node (a control group, process limits, or nothing said: "unknown")
  const contained = (await page.locator('#detail-contained').textContent()).trim();
  const cpu = (await page.locator('#detail-cpu').textContent()).trim();
  if (!contained || !cpu) throw new Error(`containment '${contained}' or CPU '${cpu}' is not shown`);
  say(`the detail shows its limits (none), how it was contained (${contained}) and its CPU (${cpu})`);
  if (agent) {
    const nodeContained = (await row.locator('.contained').textContent()).trim();
    if (!nodeContained.startsWith('contained: ')) throw new Error(`the node row says '${nodeContained}'`);
    say(`the node row says how the node contains tasks (${nodeContained})`);
  }

  step = 'placement explanation and attempts';
  await page.click('#detail .tabs button[data-tab="placement"]');
  await page.locator('#detail table.explain tr.chosen').waitFor();
  await page.click('#detail .tabs button[data-tab="attempts"]');
  await page.locator('#detail table.attempts tr[data-attempt="1"] td.usage-cpu').waitFor();
  await page.click('#detail .tabs button[data-tab="output"]');
  await page.locator('#output', { hasText: marker }).waitFor();
  say('the explanation names the chosen node; the attempt is listed');

  step = 'a running task\'s output appears line by line, live, without polling';
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  const statusOf = (tid) => page.evaluate(async ([t, i]) => {
    const r = await fetch(`/api/cluster/tasks/${encodeURIComponent(i)}`, { headers: { Authorization: `Bearer ${t}` } });
    return (await r.json()).status;
  }, [token, tid]);
  const liveId = await page.evaluate(async (t) => {
    const r = await fetch('/api/cluster/tasks/route', { method: 'POST',
      headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ command: 'for i in 1 2 3 4 5 6; do echo live-line-$i; echo live-warn-$i >&2; sleep 1; done' }) });
    return (await r.json()).task_id;
  }, token);
  await page.locator(`#tasks tr[data-task-id="${liveId}"]`).click();
  await page.locator('#detail-id', { hasText: liveId }).waitFor();
  await page.locator('#output', { hasText: 'live-line-1' }).waitFor();
  const first = await statusOf(liveId);
  if (first !== 'running') throw new Error(`the first line showed when the task was ${first}, not running`);
  await page.locator('#output', { hasText: 'live-line-3' }).waitFor();
  const third = await statusOf(liveId);
  if (third !== 'running') throw new Error(`the third line showed when the task was ${third}, not running`);
  await page.locator('#output .err', { hasText: 'live-warn-2' }).first().waitFor();
  const polled = urls.filter((u) => u.includes(`/tasks/${liveId}/log`) && !u.includes('follow=true'));
  const streamed = urls.filter((u) => u.includes(`/tasks/${liveId}/log?`) && u.includes('follow=true'));
  if (polled.length) throw new Error(`the running task's output was polled: ${polled.join(', ')}`);
  if (streamed.length !== 1) throw new Error(`expected one live tail, saw ${streamed.length}`);
  say(`${liveId}'s lines appeared while it ran (stderr marked), over one event stream, no polling`);
  await page.locator('#output[data-live="ended"]', { hasText: 'live-line-6' }).waitFor({ timeout: 60_000 });
  say('the tail ended with the task, all six lines shown');

  step = 'cancel a long task from the page';
  await page.fill('#cmd', 'sleep 300');
  await page.click('#submit-btn');
  await page.locator('#submitted-id').and(page.locator(`:not([data-task-id="${id}"])`)).waitFor();
  const long = await page.locator('#submitted-id').getAttribute('data-task-id');
  const longRow = page.locator(`#tasks tr[data-task-id="${long}"]`);
  await longRow.waitFor();
  await longRow.locator('button[data-action="cancel"]').click();
  await page.locator(`#tasks tr[data-task-id="${long}"][data-status="cancelled"]`).waitFor();
  say(`cancelled ${long}`);

  step = 'a task submitted with limits shows them';
  const limited = await page.evaluate(async (t) => {
    const r = await fetch('/api/cluster/tasks/route', { method: 'POST',
      headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ command: 'true', limits: { memory_mb: 64, pids: 32 } }) });
    return (await r.json()).task_id;
  }, token);
  await page.locator(`#tasks tr[data-task-id="${limited}"]`).click();
  await page.locator('#detail-limits', { hasText: '64 MiB memory · 32 processes' }).waitFor();
  say(`${limited} shows its limits: 64 MiB memory, 32 processes`);

  step = 'back on the succeeded task';
  await page.locator(`#tasks tr[data-task-id="${id}"]`).click();
  await page.locator('#output', { hasText: marker }).waitFor();

  step = 'no reload happened';
  const still = await page.evaluate(() => window.headyNoReload);
  if (still !== 'still here' || navigations !== 1) {
    throw new Error(`the page reloaded (navigations: ${navigations})`);
  }
  if (external.length) throw new Error(`requests left for other origins: ${external.join(', ')}`);
  if (problems.length) throw new Error(problems.join('\n'));

  step = 'make a viewer token on the tokens card';
  const wall = `wall-${Date.now()}`;
  await page.locator('#tokens-card').waitFor({ state: 'visible' });
  await page.fill('#token-name', wall);
  await page.selectOption('#token-role', 'viewer');
  await page.click('#token-create');
  const secret = (await page.locator('#token-secret').textContent()).trim();
  if (!secret.startsWith('hn_')) throw new Error(`the new token's secret is not shown: '${secret}'`);
  await page.locator(`#tokens tr[data-token="${wall}"]`, { hasText: 'viewer' }).waitFor();
  say(`made the viewer token ${wall}; its secret was shown once`);

  step = 'a viewer sees the cluster and no buttons that change it';
  const viewer = await context.newPage();
  viewer.setDefaultTimeout(STEP_MS);
  await viewer.goto(base.href, { waitUntil: 'domcontentloaded' });
  await viewer.fill('#token', secret);
  await viewer.click('#login-submit');
  await viewer.locator('#app').waitFor({ state: 'visible' });
  await viewer.locator('#whoami', { hasText: 'viewer' }).waitFor();
  await viewer.locator(`#tasks tr[data-task-id="${id}"]`).waitFor();
  for (const sel of ['#submit-card', '#tokens-card', 'button[data-action="drain"]', 'button[data-action="cancel"]']) {
    if (await viewer.locator(sel).first().isVisible()) throw new Error(`a viewer sees ${sel}`);
  }
  const viewerSubmit = await viewer.evaluate(async (t) => (await fetch('/api/cluster/tasks/route', { method: 'POST',
    headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ command: 'echo no' }) })).status, secret);
  if (viewerSubmit !== 403) throw new Error(`a viewer's submit answered ${viewerSubmit}, not 403`);
  say('the viewer reads tasks and nodes, sees no submit, drain, cancel or tokens, and a submit gets 403');

  step = 'revoke the viewer token';
  page.once('dialog', (d) => d.accept());
  await page.locator(`#tokens tr[data-token="${wall}"] button[data-action="revoke"]`).click();
  await page.locator(`#tokens tr[data-token="${wall}"]`).waitFor({ state: 'detached' });
  const afterRevoke = await viewer.evaluate(async (t) => (await fetch('/api/cluster/state', {
    headers: { Authorization: `Bearer ${t}` } })).status, secret);
  if (afterRevoke !== 401) throw new Error(`a revoked token's read answered ${afterRevoke}, not 401`);
  await viewer.close();
  say('revoked: the token gets 401 at once');

  step = 'screenshot';
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot, fullPage: true });
  say(`screenshot saved to ${shot}`);
}

let code = 0;
try {
  await run();
  console.log('dashboard test passed');
} catch (e) {
  code = 1;
  console.error(`dashboard test FAILED at step "${step}": ${e.message}`);
  for (const p of problems) console.error(`  ${p}`);
  const failShot = shot.replace(/\.png$/, '') + '-failure.png';
  try {
    await page.screenshot({ path: failShot, fullPage: true });
    console.error(`  screenshot of the failure: ${failShot}`);
  } catch (ignored) {
    // the page is gone; nothing to save
  }
} finally {
  await browser.close();
}
process.exit(code);
