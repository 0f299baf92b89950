// Signing in, roles, refusals, API tokens and signing out, with JavaScript on and off.
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

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  describe(`identity (${mode})`, () => {
    test('a signed-out visitor signs in and lands where they were going', async () => {
      const { page, errors, close } = await openPage(browser, js);
      await page.goto(`${portal.url}/services?owner=fixture-backend`);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.ok(await page.getByTestId('demo-banner').isVisible(), 'the demo banner is on every page');
      await page.getByRole('button', { name: 'Sign in as demo user' }).click();
      await page.waitForURL((url) => url.pathname === '/services');
      assert.equal(new URL(page.url()).search, '?owner=fixture-backend');
      assert.equal(await page.getByTestId('signed-in-as').textContent(), 'Demo user');
      assert.deepEqual(errors, []);
      await close();
    });

    test('the me page shows roles and where they come from', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/me`, js);
      assert.equal(await page.getByTestId('portal-role').textContent(), 'operator');
      const rows = await page.locator('table tbody tr').allTextContents();
      assert.ok(rows.some((row) => row.includes('operator') && row.includes('you are listed as user demo')), rows.join('\n'));
      assert.ok(rows.some((row) => row.includes('viewer') && row.includes('everyone who may sign in')), rows.join('\n'));
      assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0, 'the admin section is hidden');
      await screenshot(page, `me-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('an admin-only page is refused with 403', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      const response = await page.goto(`${portal.url}/admin/access`);
      assert.equal(response.status(), 403);
      assert.match(await page.getByRole('alert').textContent(), /This needs the admin role; you have operator\./);
      assert.deepEqual(errors, []);
      await close();
    });

    test('a token is created, shown once, and revoked', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/me/tokens`, js);
      const name = `e2e ${js ? 'js' : 'nojs'}`;
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Scope').selectOption('viewer');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = await page.locator('#token-secret').inputValue();
      assert.match(secret, /^portico_[0-9a-f]{64}$/);
      const api = await fetch(`${portal.url}/api/catalog/problems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(api.status, 200, 'the token works on the API');
      await visit(page, `${portal.url}/me/tokens`, js);
      assert.equal(await page.locator('#token-secret').count(), 0, 'the secret is not shown again');
      const row = page.locator('tr', { hasText: name });
      assert.equal(await row.getByTestId('token-state').textContent(), 'active');
      await row.getByRole('button', { name: `Revoke ${name}` }).click();
      await page.getByText(/revoked\. Scripts using it are refused/).waitFor();
      assert.equal(await page.locator('tr', { hasText: name }).getByTestId('token-state').textContent(), 'revoked');
      const refused = await fetch(`${portal.url}/api/catalog/problems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(refused.status, 401);
      await screenshot(page, `tokens-${js ? 'js' : 'nojs'}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('signing out ends the session', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      await visit(page, `${portal.url}/services`, js);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      await page.goto(`${portal.url}/services`);
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.deepEqual(errors, []);
      await close();
    });
  });
}
