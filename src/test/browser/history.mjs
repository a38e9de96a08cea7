// Checks that the heady dashboard lists finished tasks the manager no longer holds in memory (after a
// restart on Redis): every given task has its row, and the "failed" filter shows the failed one. Run by
// HistoryRestartIT:
//
//   node history.mjs <url> <admin-token> <failed-task-id> <other-finished-task-id>...
//
// Exits 0 and prints "dashboard history test passed" when every step passed; otherwise prints the failed
// step and exits 1. Every wait has a deadline (Playwright's timeouts); nothing sleeps.
import { chromium } from 'playwright-core';

const [url, token, failed, ...others] = process.argv.slice(2);
if (!url || !token || !failed) {
  console.error('usage: node history.mjs <url> <admin-token> <failed-task-id> <other-finished-task-id>...');
  process.exit(2);
}
const executablePath = process.env.HEADY_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let step = 'launch';
const problems = [];
const browser = await chromium.launch({ executablePath, args: ARGS, headless: true, timeout: 60_000 });
const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
page.setDefaultTimeout(30_000);
page.on('pageerror', (e) => problems.push(`uncaught error in the page: ${e.message}`));

async function run() {
  step = 'sign in';
  await page.goto(new URL(url).href, { waitUntil: 'domcontentloaded' });
  await page.fill('#token', token);
  await page.click('#login-submit');
  await page.locator('#conn[data-state="live"]').waitFor();

  step = 'every finished task has its row';
  for (const id of [failed, ...others]) {
    await page.locator(`#tasks tr[data-task-id="${id}"]`).waitFor();
  }
  await page.locator(`#tasks tr[data-task-id="${failed}"][data-status="failed"]`).waitFor();
  console.log(`[history] ${others.length + 1} finished tasks listed`);

  step = 'the failed filter';
  await page.selectOption('#task-filter', 'failed');
  await page.locator(`#tasks tr[data-task-id="${failed}"]`).waitFor();
  const rows = await page.locator('#tasks tbody tr[data-task-id]').evaluateAll(
    (trs) => trs.map((tr) => tr.dataset.status));
  if (rows.some((s) => s !== 'failed')) throw new Error(`the failed filter shows ${rows.join(', ')}`);
  console.log('[history] the failed filter shows only failed tasks');
  if (problems.length) throw new Error(problems.join('\n'));
}

let code = 0;
try {
  await run();
  console.log('dashboard history test passed');
} catch (e) {
  code = 1;
  console.error(`dashboard history test FAILED at step "${step}": ${e.message}`);
} finally {
  await browser.close();
}
process.exit(code);
