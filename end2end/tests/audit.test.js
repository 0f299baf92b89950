// The audit log viewer in a real browser: filters, paging, an event's page, the export, and
// (with JavaScript on) events arriving live.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

const rows = (page) => page.locator('table[data-testid="audit-events"] tbody tr');
const actions = (page) => rows(page).locator('td:nth-child(3)').allTextContents();

/** Asks for the admin page the demo user (an operator) may not see: one `access.denied` event. */
async function beRefused(page) {
  const response = await page.goto(`${portal.url}/admin/access`);
  assert.equal(response.status(), 403);
}

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  describe(`audit log (${mode})`, () => {
    test('a refusal is found with the filters and opened', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await beRefused(page);
      await visit(page, `${portal.url}/audit`, js);
      assert.equal(await page.title(), 'Audit log · Portico');
      await page.getByLabel('Outcome').selectOption('denied');
      await page.getByLabel('Actor').fill('demo');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL((url) => url.searchParams.get('outcome') === 'denied' && url.searchParams.get('actor') === 'demo');
      await page.waitForFunction(() => [...document.querySelectorAll('table[data-testid="audit-events"] tbody tr')].every((row) => row.textContent.includes('denied')));
      const found = await actions(page);
      assert.ok(found.length >= 1 && found.every((action) => action === 'access.denied'), found.join(', '));
      assert.equal(await page.getByLabel('Actor').inputValue(), 'demo', 'the form keeps the filter');
      await screenshot(page, `audit-${js ? 'js' : 'nojs'}`);

      await rows(page).first().getByRole('link', { name: 'access.denied' }).click();
      await page.waitForURL(/\/audit\/\d+$/);
      assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /^Event \d+$/);
      assert.equal(await page.getByTestId('integrity').textContent(), 'content matches its hash and links to the event before it');
      assert.match(await page.locator('pre').textContent(), /"permission": "administer"/);
      await screenshot(page, `audit-event-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('older pages follow the cursor and the newest page is one click away', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      for (let i = 0; i < 3; i++) await beRefused(page);
      await visit(page, `${portal.url}/audit?per_page=2`, js);
      const newest = await rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.seq)));
      assert.equal(newest.length, 2);
      await page.getByRole('link', { name: 'Older events' }).click();
      await page.waitForURL((url) => url.searchParams.get('before') === String(newest[1]));
      await page.waitForFunction((first) => Number(document.querySelector('table[data-testid="audit-events"] tbody tr')?.dataset.seq) < first, newest[1]);
      const older = await rows(page).evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.seq)));
      assert.deepEqual(older, [newest[1] - 1, newest[1] - 2], 'the next two, with no gap and no repeat');
      await page.getByRole('link', { name: 'Newest events' }).click();
      await page.waitForURL((url) => !url.searchParams.has('before'));
      assert.deepEqual(errors, []);
      await close();
    });

    test('the export downloads every matching event as CSV', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await beRefused(page);
      await visit(page, `${portal.url}/audit?action=access.denied`, js);
      const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
      assert.equal(href, '/audit/export.csv?action=access.denied');
      const response = await page.request.get(`${portal.url}${href}`);
      assert.equal(response.status(), 200);
      assert.match(response.headers()['content-type'], /^text\/csv/);
      const lines = (await response.text()).trim().split('\n');
      assert.match(lines[0], /^seq,/);
      assert.ok(lines.length >= 2 && lines.slice(1).every((line) => line.includes('access.denied')), lines.join('\n'));
      assert.deepEqual(errors, []);
      await close();
    });
  });
}

describe('audit log (JavaScript on)', () => {
  test('new events appear live at the top, and pausing holds them back', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    await visit(page, `${portal.url}/audit?outcome=denied`, true);
    const status = page.getByTestId('live-status');
    await status.getByText('Live: new events appear at the top').waitFor();
    const before = await rows(page).count();
    const summary = page.getByTestId('audit-summary');
    // Someone else is refused meanwhile: a second signed-in browser.
    const other = await openPage(browser, false, portal.url);
    await beRefused(other.page);
    await page.locator('tr[data-fresh]').first().waitFor({ timeout: 15000 });
    assert.equal(await rows(page).count(), before + 1);
    assert.equal(await page.locator('tr[data-fresh] td:nth-child(3)').first().textContent(), 'access.denied');
    assert.match(await status.textContent(), /1 new event/);
    assert.match(await summary.textContent(), new RegExp(`^${before + 1} events?\\.`), 'the summary counts the live rows too');

    await status.getByRole('button', { name: 'Pause' }).click();
    await status.getByText('Paused').waitFor();
    await beRefused(other.page);
    await page.waitForTimeout(4000);
    assert.equal(await rows(page).count(), before + 1, 'nothing arrives while paused');
    await status.getByRole('button', { name: 'Resume' }).click();
    await page.waitForFunction((count) => document.querySelectorAll('table[data-testid="audit-events"] tbody tr').length === count, before + 2, { timeout: 15000 });
    await screenshot(page, 'audit-live');
    await other.close();
    assert.deepEqual(errors, []);
    await close();
  });
});
