// An environment's live logs in a real browser: lines arriving, filter, pause and resume,
// follow, download; without JavaScript the page offers the download; a refusal and a missing
// environment. The services are local shell loops (end2end/fixtures/environments).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const catalog = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'environments');

let portal;
let browser;

before(async () => {
  // In prod only members of the owning team (grid-backend) read more than the catalog: the
  // demo user, an operator elsewhere, may not read prod's logs.
  portal = await startPortal({
    catalogPaths: [catalog],
    config: '[runtime]\npoll_seconds = 1\n[access]\nowners_only_environments = ["prod"]\n',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

const DEV = '/services/grid-api/logs/dev';
const lines = (page) => page.getByTestId('log-line');

/** Waits until the panel shows more than `count` lines. */
async function moreLinesThan(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="log-line"]').length > n, count, { timeout: 15_000 });
}

describe('logs (JavaScript on)', () => {
  test('lines arrive live, stderr tinted apart', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    await visit(page, `${portal.url}${DEV}`, true);
    assert.equal(await page.title(), 'Logs of grid-api in dev · Portico');
    await page.getByTestId('connection').getByText('Connected').waitFor();
    await moreLinesThan(page, 5);
    const seen = await lines(page).count();
    await moreLinesThan(page, seen);
    const texts = await lines(page).allInnerTexts();
    assert.ok(texts.some((text) => /^\d\d:\d\d:\d\d\s+\S+\s+tick 1\.4\.0 \d+$/.test(text)), texts.slice(0, 5).join('\n'));
    await page.waitForSelector('[data-testid="log-line"][data-source="stderr"]');
    assert.match(await page.locator('[data-testid="log-line"][data-source="stderr"]').first().innerText(), /slow tick \d+/);
    await screenshot(page, 'logs-js');
    assert.deepEqual(errors, []);
    await close();
  });

  test('the filter shows only matching lines, ignoring case', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    await visit(page, `${portal.url}${DEV}`, true);
    await moreLinesThan(page, 10);
    await page.getByLabel('Filter').fill('SLOW');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="log-line"]')].every((line) => line.textContent.includes('slow tick')),
    );
    assert.ok((await lines(page).count()) >= 1);
    await page.getByLabel('Filter').fill('');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="log-line"]')].some((line) => /tick 1\.4\.0/.test(line.textContent)),
    );
    assert.deepEqual(errors, []);
    await close();
  });

  test('pause holds new lines and counts them; resume shows them', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    await visit(page, `${portal.url}${DEV}`, true);
    await moreLinesThan(page, 3);
    await page.getByRole('button', { name: 'Pause' }).click();
    const shown = await lines(page).count();
    const held = page.getByTestId('held-lines');
    await page.waitForFunction(() => {
      const match = /^(\d+) new lines?$/.exec(document.querySelector('[data-testid="held-lines"]').textContent);
      return match && Number(match[1]) >= 3;
    });
    assert.equal(await lines(page).count(), shown, 'no line appears while paused');
    const count = Number(/^(\d+)/.exec(await held.innerText())[1]);
    await page.getByRole('button', { name: 'Resume' }).click();
    await moreLinesThan(page, shown + count - 1);
    assert.equal(await held.innerText(), '');
    assert.deepEqual(errors, []);
    await close();
  });

  test('follow keeps the newest line in view until the reader scrolls up', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    await visit(page, `${portal.url}${DEV}`, true);
    const panel = page.getByTestId('log-panel');
    const follow = page.getByRole('button', { name: 'Follow' });
    assert.equal(await follow.getAttribute('aria-pressed'), 'true');
    // Wait until the lines overflow the panel, and check it sits at the end.
    await page.waitForFunction(() => {
      const panel = document.querySelector('[data-testid="log-panel"]');
      return panel.scrollHeight > panel.clientHeight * 1.5 && panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 30;
    }, null, { timeout: 30_000 });
    await panel.hover();
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => document.querySelector('[aria-pressed]').getAttribute('aria-pressed') === 'false');
    const top = await panel.evaluate((element) => element.scrollTop);
    await moreLinesThan(page, await lines(page).count());
    assert.equal(await panel.evaluate((element) => element.scrollTop), top, 'the panel stays where the reader put it');
    await follow.click();
    assert.equal(await follow.getAttribute('aria-pressed'), 'true');
    await page.waitForFunction(() => {
      const panel = document.querySelector('[data-testid="log-panel"]');
      return panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 30;
    });
    assert.deepEqual(errors, []);
    await close();
  });

  test('production logs need the developer role there: the page says so and opens no stream', async () => {
    const { page, errors, close } = await openPage(browser, true, portal.url);
    const streams = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/logs/')) streams.push(request.url());
    });
    await visit(page, `${portal.url}/services/grid-api/logs/prod`, true);
    assert.match(await page.getByTestId('logs-refused').innerText(), /You need the developer role on grid-api in prod to read its logs/);
    assert.equal(await page.getByTestId('log-panel').count(), 0);
    assert.deepEqual(streams, []);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe('logs (JavaScript off)', () => {
  test('the page says live logs need JavaScript and offers the download', async () => {
    const { page, close } = await openPage(browser, false, portal.url);
    const response = await page.goto(`${portal.url}${DEV}`);
    assert.equal(response.status(), 200);
    assert.match(await page.getByTestId('logs-need-js').innerText(), /Live logs need JavaScript/);
    const link = page.getByRole('link', { name: 'Download the lines kept so far' });
    assert.equal(await link.getAttribute('href'), '/api/logs/grid-api/dev/download');
    await screenshot(page, 'logs-nojs');
    await close();
  });

  test('a refusal and an unknown environment', async () => {
    const { page, close } = await openPage(browser, false, portal.url);
    await page.goto(`${portal.url}/services/grid-api/logs/prod`);
    assert.match(await page.getByTestId('logs-refused').innerText(), /developer role on grid-api in prod/);
    const missing = await page.goto(`${portal.url}/services/grid-api/logs/nowhere`);
    assert.equal(missing.status(), 404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await close();
  });
});

describe('logs download', () => {
  test('returns the kept lines as text', async () => {
    const { page, close } = await openPage(browser, true, portal.url);
    // Opening the page starts the environment's feed; the download has what it kept.
    await visit(page, `${portal.url}${DEV}`, true);
    await moreLinesThan(page, 3);
    const response = await page.request.get(`${portal.url}/api/logs/grid-api/dev/download`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^text\/plain/);
    const text = await response.text();
    assert.match(text, /tick 1\.4\.0 \d+/);
    assert.match(text, /stderr: slow tick \d+/);
    await close();
  });
});
