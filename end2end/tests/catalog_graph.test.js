// The catalog beyond services, on the demo catalog, in a real browser with JavaScript on and
// off: one search across every kind, an API's operations, a service's relations graph and what
// breaks if a database goes down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const demoCatalog = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'demo', 'catalog');

let portal;
let browser;

before(async () => {
  portal = await startPortal({ catalogPaths: [demoCatalog] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

const resultNames = (page) =>
  page.getByTestId('catalog-results').locator('tbody tr td:first-child a').evaluateAll((links) => links.map((a) => a.textContent.trim()));

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  describe(`catalog across kinds (${mode})`, () => {
    test('one search finds every kind, and a kind narrows it', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog' }).click();
      await page.getByLabel('Search the catalog').fill('order');
      await page.getByLabel('Search the catalog').press('Enter');
      await page.waitForURL(/\/catalog\?q=order/);
      await page.getByTestId('catalog-results').waitFor();
      const names = await resultNames(page);
      for (const expected of ['Orders database', 'Order events queue', 'Order events']) {
        assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
      }
      const kinds = page.getByRole('navigation', { name: 'Kinds' });
      assert.match(await kinds.textContent(), /Resources\s*\d+/);
      await screenshot(page, `catalog-search-${js ? 'js' : 'nojs'}`);
      await kinds.getByRole('link', { name: /^APIs/ }).click();
      await page.waitForURL(/kind=api/);
      await page.waitForFunction(() => !document.body.textContent.includes('Orders database'));
      const apis = await resultNames(page);
      assert.ok(apis.length > 0 && apis.every((name) => !/database|queue/i.test(name)), apis.join(', '));
      const kindCells = await page.getByTestId('catalog-results').locator('tbody tr td:nth-child(2)').allTextContents();
      assert.ok(kindCells.every((kind) => kind.trim() === 'API'), kindCells.join(', '));
      assert.deepEqual(errors, []);
      await close();
    });

    test("an API's page lists its operations by tag, each opening to its parameters and responses", async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/catalog?kind=api`, js);
      await page.getByRole('link', { name: 'checkout-api' }).first().click();
      await page.waitForURL(/\/catalog\/api\/default\/checkout-api/);
      const definition = page.getByTestId('openapi');
      await definition.waitFor();
      assert.match(await definition.textContent(), /OpenAPI 3\.0\.3/);
      const baskets = page.locator('section[data-tag="baskets"]');
      const operation = baskets.locator('details[data-operation="GET /baskets/{basketId}"]');
      await operation.locator('summary').click();
      const body = await operation.textContent();
      assert.match(body, /basketId/);
      assert.match(body, /200/);
      assert.match(body, /No such basket/);
      assert.match(body, /Basket/, 'the response schema is named');
      await screenshot(page, `api-page-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test("a service's graph draws its neighbours and lists the same relations", async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services/checkout`, js);
      await page.getByRole('link', { name: 'Relations graph' }).click();
      await page.waitForURL(/\/catalog\/component\/default\/checkout\/graph/);
      const graph = page.getByTestId('graph');
      await graph.locator('svg').waitFor();
      const nodes = await graph.locator('[data-node]').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('data-node')));
      for (const expected of ['component:default/checkout', 'resource:default/orders-db', 'api:default/checkout-api']) {
        assert.ok(nodes.includes(expected), `${expected} in ${nodes.join(', ')}`);
      }
      const edges = await page.getByTestId('graph-edges').locator('li').allTextContents();
      assert.ok(edges.some((edge) => /^Checkout depends on Orders database$/.test(edge.trim())), edges.join('\n'));
      assert.ok(edges.some((edge) => /^Checkout provides checkout-api$/.test(edge.trim())), edges.join('\n'));
      await screenshot(page, `service-graph-${js ? 'js' : 'nojs'}`);
      // One step, dependencies only: the APIs are gone.
      await page.getByLabel('Depth').selectOption('1');
      for (const label of ['Systems and parts', 'APIs provided', 'APIs consumed', 'Team hierarchy']) await page.getByLabel(label).uncheck();
      await page.getByRole('button', { name: 'Redraw' }).click();
      await page.waitForURL(/depth=1/);
      await page.waitForFunction(() => !document.querySelector('[data-node="api:default/checkout-api"]'));
      const fewer = await graph.locator('[data-node]').count();
      assert.ok(fewer >= 2 && fewer < nodes.length, `${fewer} of ${nodes.length}`);
      // A box is a link to its entity's page.
      await graph.locator('[data-node="resource:default/orders-db"]').click();
      await page.waitForURL(/\/catalog\/resource\/default\/orders-db$/);
      await page.getByRole('link', { name: 'What breaks if this goes down' }).click();
      await page.waitForURL(/orders-db\/impact/);
      const impact = page.getByTestId('impact');
      await impact.waitFor();
      const dependents = await impact.locator('tbody tr td:first-child a').allTextContents();
      assert.ok(dependents.includes('Checkout'), dependents.join(', '));
      const checkout = impact.locator('tbody tr', { hasText: 'Checkout' }).first();
      assert.match(await checkout.textContent(), /prod/, 'with the environments it runs in');
      await screenshot(page, `impact-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
