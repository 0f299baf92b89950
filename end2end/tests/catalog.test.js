// The catalog pages in a real browser, each scenario with JavaScript on and off.
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

const serviceLinks = (page) =>
  page.locator('table tbody a[href^="/services/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  describe(`catalog (${mode})`, () => {
    test('the services page lists every valid service', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      assert.equal(await page.title(), 'Services · Portico');
      assert.deepEqual(await serviceLinks(page), [
        '/services/fixture-api',
        '/services/fixture-survivor',
        '/services/fixture-web',
        '/services/fixture-worker',
      ]);
      await screenshot(page, `services-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test("a service links its owner's page, which lists the team's members and what it owns", async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services/fixture-api`, js);
      const relations = page.getByRole('region', { name: 'Relations' });
      await relations.getByRole('group', { name: /Part of/ }).getByRole('link', { name: 'Fixture shop' }).waitFor();
      await page.getByRole('link', { name: 'Fixture Backend' }).first().click();
      await page.waitForURL(/\/catalog\/group\/default\/fixture-backend$/);
      await page.getByRole('heading', { level: 1, name: 'Fixture Backend' }).waitFor();
      const list = (name) => page.getByRole('group', { name }).getByRole('link').allTextContents();
      assert.deepEqual(await list(/^Owns/), ['Fixture API', 'fixture-survivor', 'Fixture worker', 'Fixture shop']);
      assert.deepEqual(await list(/^Members/), ['Fixture Person']);
      await screenshot(page, `team-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('an entity that does not exist is a 404', async () => {
      const { page, close } = await openPage(browser, js, portal.url);
      const response = await page.goto(`${portal.url}/catalog/group/default/nobody`);
      assert.equal(response.status(), 404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await close();
    });

    test('searching narrows the list and keeps the search in the URL', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      await page.evaluate(() => (window.portalMarker = 'same page'));
      await page.getByLabel('Search').fill('worker');
      await page.getByLabel('Search').press('Enter');
      await page.waitForURL(/[?&]q=worker/);
      await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
      assert.deepEqual(await serviceLinks(page), ['/services/fixture-worker']);
      // Hydrated, the router fetches the results without reloading the page.
      const marker = await page.evaluate(() => window.portalMarker ?? null);
      assert.equal(marker, js ? 'same page' : null);
      assert.deepEqual(errors, []);
      await close();
    });

    test('filtering by owner and clearing the filters', async () => {
      const { page, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      await page.getByLabel('Owner').selectOption('fixture-frontend');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/owner=fixture-frontend/);
      await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
      assert.deepEqual(await serviceLinks(page), ['/services/fixture-web']);
      assert.equal(await page.getByLabel('Owner').inputValue(), 'fixture-frontend');
      await page.getByRole('link', { name: 'Clear' }).click();
      await page.waitForURL(/\/services$/);
      await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 4);
      await close();
    });

    test('a service page shows its owner and the manifest it came from', async () => {
      const { page, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      await page.locator('a[href="/services/fixture-api"]').first().click();
      await page.waitForURL(/\/services\/fixture-api$/);
      await page.getByRole('heading', { name: 'Manifest' }).waitFor();
      assert.match(await page.locator('pre').innerText(), /name: fixture-api/);
      assert.match(await page.locator('section[aria-labelledby="about"]').innerText(), /good\.yaml/);
      await screenshot(page, `service-${js ? 'js' : 'nojs'}`);
      await close();
    });

    test('catalog problems name the file, line and field, and the rest still loads', async () => {
      const { page, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      await page.getByRole('link', { name: 'See what to fix' }).click();
      await page.waitForURL(/\/catalog\/problems$/);
      // The heading shows at once; the table comes with the data.
      await page.locator('table tbody tr').first().waitFor();
      const rows = await page.locator('table tbody tr').allInnerTexts();
      assert.ok(rows.some((row) => /broken\.yaml/.test(row) && /\b\d+\b/.test(row) && /spec\.owner/.test(row)), rows.join('\n'));
      assert.ok(rows.some((row) => /syntax-error\.yaml/.test(row)), rows.join('\n'));
      await screenshot(page, `problems-${js ? 'js' : 'nojs'}`);
      await close();
    });

    test('an unknown service gets a not-found page', async () => {
      const { page, close } = await openPage(browser, js, portal.url);
      const response = await page.goto(`${portal.url}/services/no-such-service`);
      assert.equal(response.status(), 404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await close();
    });
  });
}
