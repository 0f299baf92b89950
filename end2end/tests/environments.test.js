// The environments grid and a service's environments in a real browser, with JavaScript on and
// off, against services running as local processes (end2end/fixtures/environments).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const catalog = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'environments');

let portal;
let browser;

before(async () => {
  // The poller asks every runtime at start and then every second.
  portal = await startPortal({ catalogPaths: [catalog], config: '[runtime]\npoll_seconds = 1\n' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

const cell = (page, service, environment) =>
  page.locator(`[data-testid="environment-grid"] tr[data-service="${service}"] td[data-environment="${environment}"]`);

/**
 * Loads `path` until every environment on it has been observed, and the crashing one (when
 * `crashed`) is seen as crashed: the poller's first rounds may not have answered yet.
 */
async function visitObserved(page, js, path, { crashed = false } = {}) {
  for (let attempt = 0; attempt < 60; attempt++) {
    await visit(page, `${portal.url}${path}`, js);
    const unobserved = await page.locator('[data-state="unobserved"]').count();
    const seenCrashed = await page.locator('[data-health="crashed"]').count();
    if (unobserved === 0 && (!crashed || seenCrashed > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`the environments of ${path} were never all observed`);
}

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  describe(`environments (${mode})`, () => {
    test('the grid shows versions, readiness, health, drift and a crashed environment', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visitObserved(page, js, '/environments', { crashed: true });
      assert.equal(await page.title(), 'Environments · Portico');
      const columns = await page.locator('[data-testid="environment-grid"] thead th[data-environment]').evaluateAll((ths) =>
        ths.map((th) => th.dataset.environment),
      );
      assert.deepEqual(columns, ['dev', 'staging', 'prod']);
      assert.match(await page.locator('thead th[data-environment="prod"]').innerText(), /production/i);
      const rows = await page.locator('[data-testid="environment-grid"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.service));
      assert.deepEqual(rows, ['grid-api', 'grid-crash', 'grid-library', 'grid-web']);

      const dev = cell(page, 'grid-api', 'dev');
      assert.equal(await dev.getByTestId('version').innerText(), '1.4.0');
      assert.equal(await dev.getByTestId('ready').innerText(), '1/1');
      assert.equal(await dev.locator('[data-health]').getAttribute('data-health'), 'healthy');
      assert.equal(await dev.getByTestId('drift').count(), 0);

      const prod = cell(page, 'grid-api', 'prod');
      assert.equal(await prod.getByTestId('version').innerText(), '1.3.2');
      assert.equal(await prod.getByTestId('ready').innerText(), '2/2');
      assert.equal(await prod.getByTestId('drift').innerText(), '≠ staging 1.4.0');
      assert.match(await prod.getByTestId('drift').getAttribute('title'), /another version than staging/);
      assert.equal(await prod.locator('a').getAttribute('href'), '/services/grid-api/logs/prod');

      assert.equal(await cell(page, 'grid-crash', 'dev').locator('[data-health]').getAttribute('data-health'), 'crashed');
      assert.equal((await cell(page, 'grid-crash', 'prod').innerText()).trim(), '—');
      assert.equal((await cell(page, 'grid-library', 'dev').innerText()).trim(), '—');

      // A long digest is cut short on the page and whole in its title.
      const digest = cell(page, 'grid-web', 'prod').getByTestId('version');
      assert.match(await digest.getAttribute('title'), /^sha256:4f6c1d0b9e2a.{52}$/);
      assert.equal(await cell(page, 'grid-web', 'prod').getByTestId('drift').count(), 0);

      assert.match(await page.getByTestId('grid-updated').innerText(), /^Updated \d\d:\d\d:\d\d UTC/);
      await screenshot(page, `environments-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('searching and filtering narrow the grid and stay in the URL', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/environments`, js);
      await page.getByLabel('Search').fill('crash');
      await page.getByLabel('Search').press('Enter');
      await page.waitForURL(/\/environments\?(.*&)?q=crash(&|$)/);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="environment-grid"] tbody tr').length === 1);
      assert.equal(await page.locator('tbody tr').getAttribute('data-service'), 'grid-crash');
      // The columns are the environments of the services shown.
      assert.equal(await page.locator('thead th[data-environment]').count(), 1);

      await page.getByRole('link', { name: 'Clear' }).click();
      await page.waitForURL(/\/environments$/);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="environment-grid"] tbody tr').length === 4);
      await page.getByLabel('Owner').selectOption('grid-frontend');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/owner=grid-frontend/);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="environment-grid"] tbody tr').length === 2);
      const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.service));
      assert.deepEqual(rows, ['grid-library', 'grid-web']);

      await page.getByLabel('Search').fill('no-such-service');
      await page.getByLabel('Search').press('Enter');
      await page.getByText('No services match these filters').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    test("a service page lists its environments in promotion order, with their instances", async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visitObserved(page, js, '/services/grid-api');
      const section = page.locator('section[aria-labelledby="environments"]');
      const environments = await section.locator('li[data-environment]').evaluateAll((lis) => lis.map((li) => li.dataset.environment));
      assert.deepEqual(environments, ['dev', 'staging', 'prod']);
      const prod = section.locator('li[data-environment="prod"]');
      assert.match(await prod.innerText(), /production/i);
      assert.equal(await prod.getByTestId('drift').innerText(), '≠ staging 1.4.0');
      const instances = prod.locator('[data-testid="instances"] tbody tr');
      assert.equal(await instances.count(), 2);
      for (const row of await instances.all()) {
        const [, state, version, , restarts] = (await row.locator('td').allInnerTexts()).map((text) => text.trim());
        assert.deepEqual([state, version, restarts], ['running', '1.3.2', '0']);
      }
      assert.equal(await prod.getByRole('link', { name: 'Logs of grid-api in prod' }).getAttribute('href'), '/services/grid-api/logs/prod');
      await screenshot(page, `service-environments-${js ? 'js' : 'nojs'}`);

      await visitObserved(page, js, '/services/grid-crash', { crashed: true });
      const crashed = page.locator('li[data-environment="dev"] [data-testid="instances"] tbody tr');
      const [, state, , , , detail] = (await crashed.first().locator('td').allInnerTexts()).map((text) => text.trim());
      assert.equal(state, 'crashed');
      assert.equal(detail, 'exit code 3');

      await visit(page, `${portal.url}/services/grid-library`, js);
      await page.getByText('This service declares no environments').waitFor();
      assert.deepEqual(errors, []);
      await close();
    });
  });
}

describe('environments (JavaScript on, live)', () => {
  test('the grid refreshes in place, keeping its filters', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    await visit(page, `${portal.url}/environments?owner=grid-backend`, true);
    await page.evaluate(() => (window.portalMarker = 'same page'));
    const status = page.getByTestId('grid-updated');
    await page.waitForFunction(() => /refreshes every 5 s/.test(document.querySelector('[data-testid="grid-updated"]').textContent));
    const first = await status.innerText();
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="grid-updated"]').textContent !== before,
      first,
      { timeout: 15_000 },
    );
    const rows = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.service));
    assert.deepEqual(rows, ['grid-api', 'grid-crash']);
    assert.equal(await page.evaluate(() => window.portalMarker ?? null), 'same page');
    assert.deepEqual(errors, []);
    await close();
  });
});
