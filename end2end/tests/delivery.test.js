// The delivery view in a real browser, with JavaScript on and off: the demo catalog over the
// code history the demo set-up makes (deploy/demo/repositories.sh), each environment of a
// service with the commit it runs, and what promoting staging to prod would ship, commit by
// commit, with the count git itself gives.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const here = dirname(fileURLToPath(import.meta.url));
const demo = join(here, '..', '..', 'deploy', 'demo');

let browser;
let portal;
let repositories;

const git = (repository, ...args) => execFileSync('git', ['-C', join(repositories, 'inkwell', repository), ...args]).toString().trim();

before(async () => {
  repositories = mkdtempSync(join(tmpdir(), 'portico-repositories-'));
  execFileSync(join(demo, 'repositories.sh'), [repositories]);
  browser = await launchBrowser();
  portal = await startPortal({
    catalogPaths: [join(demo, 'catalog')],
    config: `[runtime]\npoll_seconds = 1\n[delivery]\nlocal_repositories = ${JSON.stringify(repositories)}\n`,
  });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  if (repositories) rmSync(repositories, { recursive: true, force: true });
});

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';
  describe(`the delivery view (${mode})`, () => {
    test('checkout shows the commit each environment runs and what promoting staging to prod ships', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      const commits = git('checkout', 'log', '--format=%s', 'v1.7.3..v1.8.0').split('\n');
      const prodCommit = git('checkout', 'rev-parse', 'v1.7.3^{commit}');
      // Until the poller has looked, environments have no version: reload until they do.
      for (let i = 0; i < 30; i++) {
        await visit(page, `${portal.url}/services/checkout`, js);
        if ((await page.getByTestId('environment-code').getByTestId('commit').count()) === 3) break;
        await page.waitForTimeout(500);
      }
      const prod = page.locator('[data-testid="environment-code"][data-environment="prod"]');
      assert.equal(await prod.getByTestId('commit').getAttribute('data-sha'), prodCommit);
      assert.match(await prod.innerText(), /Found by tag v1\.7\.3/);
      const promotions = page.getByTestId('promotion');
      assert.match(await promotions.nth(0).innerText(), /staging runs what dev runs: promoting ships nothing/);
      const ships = promotions.nth(1);
      assert.match(await ships.innerText(), new RegExp(`staging is ${commits.length} commits ahead of prod`));
      // The list is a <details>: it opens on a click with or without JavaScript.
      await ships.locator('summary').click();
      const listed = await ships.getByTestId('commit').allInnerTexts();
      assert.equal(listed.length, commits.length);
      commits.forEach((summary, i) => assert.ok(listed[i].includes(summary), `${listed[i]} is ${summary}`));
      await screenshot(page, `delivery-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
