// Signing in with GitHub through the portal's production OAuth code, against the local GitHub
// double: roles from teams, a refused admin page found in the audit log, a refused outsider, a
// declined authorization, signing out, and an admin ending someone's access, with JavaScript on
// and off.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { githubUser, startGithubDouble } from '../support/github.js';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const modes = [true, false];
const suffix = (js) => (js ? 'js' : 'nojs');

// A viewer per mode, so that the audit log check with JavaScript off cannot pass on the
// refusal recorded with JavaScript on.
const viewer = (js) => `vera-${suffix(js)}`;
// Whose access the admin ends, one per mode.
const leaver = (js) => `pat-${suffix(js)}`;

const users = [
  githubUser('ada', 101, { name: 'Ada Admin', orgs: ['inkwell'], teams: ['inkwell/platform'] }),
  githubUser('otto', 102, { name: 'Otto Operator', orgs: ['inkwell'], teams: ['inkwell/sre'] }),
  ...modes.map((js, index) => githubUser(viewer(js), 103 + index, { orgs: ['inkwell'] })),
  ...modes.map((js, index) => githubUser(leaver(js), 120 + index, { name: `Pat ${suffix(js)}`, orgs: ['inkwell'] })),
  githubUser('mallory', 110, { name: 'Mallory Outsider', orgs: ['elsewhere'], teams: ['elsewhere/platform'] }),
];

let github;
let portal;
let browser;

before(async () => {
  github = await startGithubDouble(users);
  portal = await startPortal({
    demoUser: false,
    config: (url) =>
      `public_url = ${JSON.stringify(url)}\nallowed_orgs = ["inkwell"]\n` +
      github.authGithub +
      `[[access.grants]]\nrole = "admin"\nteams = ["inkwell/platform"]\n` +
      `[[access.grants]]\nrole = "operator"\nteams = ["inkwell/sre"]\n`,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await github?.stop();
});

const onPortal = (path) => (url) => url.origin === portal.url && url.pathname === path;

/**
 * From the portal's sign-in page (already open), through GitHub's "Authorize Portico" page,
 * choosing `button` there ("Sign in as <login>" or "Cancel"); resolves once the browser is
 * back on the portal at `landing`.
 */
async function authorizeAtGithub(page, js, button, landing) {
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  if (js) await page.waitForSelector('body[data-hydrated]');
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
  await page
    .waitForURL((url) => url.origin === github.url && url.pathname === '/login/oauth/authorize', { timeout: 10_000 })
    .catch(() => assert.fail(`"Sign in with GitHub" did not lead to GitHub's authorize page; the browser is at ${page.url()}`));
  await page.getByRole('heading', { name: 'Authorize Portico' }).waitFor();
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForURL(onPortal(landing));
  if (js) await page.waitForSelector('body[data-hydrated]');
}

/** Opens `path` signed out, is sent to sign in, signs in as `login` and comes back to `path`. */
async function signInAt(page, js, login, path) {
  await page.goto(`${portal.url}${path}`);
  const target = new URL(path, portal.url);
  await authorizeAtGithub(page, js, `Sign in as ${login}`, target.pathname);
  assert.equal(new URL(page.url()).search, target.search, 'the query string survives the sign-in');
}

/** The text of each cell of each `tbody` row of `table`, trimmed. */
async function cells(table) {
  const rows = await table.locator('tbody tr').all();
  return Promise.all(rows.map(async (row) => (await row.locator('td').allTextContents()).map((text) => text.trim())));
}

for (const js of modes) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';

  describe(`GitHub sign-in (${mode})`, () => {
    test('a member of an allowed organisation signs in and gets the admin role from a team', async () => {
      const { page, errors, close } = await openPage(browser, js);
      await signInAt(page, js, 'ada', '/services?owner=fixture-backend');
      assert.equal(await page.getByTestId('signed-in-as').textContent(), 'Ada Admin');
      assert.equal(await page.getByRole('link', { name: 'Admin', exact: true }).count(), 1, 'an admin sees the admin section');

      await visit(page, `${portal.url}/me`, js);
      assert.equal(await page.getByTestId('login').textContent(), 'ada');
      assert.equal(await page.getByTestId('portal-role').textContent(), 'admin');
      const rows = await page.locator('table tbody tr').allTextContents();
      assert.ok(
        rows.some((row) => row.includes('admin') && row.includes('you are a member of team inkwell/platform')),
        rows.join('\n'),
      );
      await screenshot(page, `github-me-${suffix(js)}`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('a viewer is refused the admin page, and an operator finds the refusal in the audit log', async () => {
      const login = viewer(js);
      const refused = await openPage(browser, js);
      await signInAt(refused.page, js, login, '/services');
      assert.equal(await refused.page.getByTestId('signed-in-as').textContent(), login);
      assert.equal(await refused.page.getByRole('link', { name: 'Admin', exact: true }).count(), 0, 'the admin section is hidden');
      const response = await refused.page.goto(`${portal.url}/admin/access`);
      assert.equal(response.status(), 403);
      assert.match(await refused.page.getByRole('alert').textContent(), /This needs the admin role; you have viewer\./);
      assert.deepEqual(refused.errors, []);
      await refused.close();

      // The operator is sent to sign in on the way to the filtered audit log, and lands on it.
      const { page, errors, close } = await openPage(browser, js);
      await signInAt(page, js, 'otto', '/audit?outcome=denied');
      assert.equal(await page.getByTestId('signed-in-as').textContent(), 'Otto Operator');
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      const events = page.locator('table[data-testid="audit-events"]');
      const isTheRefusal = (row) => row[1].includes(login) && row[2] === 'access.denied';
      const listed = await cells(events);
      assert.ok(listed.some(isTheRefusal), `no access.denied row for ${login}:\n${listed.join('\n')}`);
      for (const row of listed) assert.match(row[4], /\bdenied\b/, `only refusals are listed: ${row}`);

      // Narrowed to the viewer with the filters form; the outcome filter is kept.
      assert.equal(await page.getByLabel('Outcome', { exact: true }).inputValue(), 'denied');
      await page.getByLabel('Actor', { exact: true }).fill(login);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('actor') === login);
      assert.equal(new URL(page.url()).searchParams.get('outcome'), 'denied');
      const row = events.locator('tbody tr', { has: page.getByRole('link', { name: 'access.denied', exact: true }) }).first();
      await row.waitFor();
      const narrowed = await cells(events);
      assert.ok(narrowed.length >= 1 && narrowed.every((row) => row[1].includes(login)), narrowed.join('\n'));
      assert.ok(narrowed.some(isTheRefusal), narrowed.join('\n'));
      await screenshot(page, `github-audit-denied-${suffix(js)}`);

      // The action links to the event's own page.
      const link = row.getByRole('link', { name: 'access.denied', exact: true });
      const seq = /^\/audit\/(\d+)$/.exec(await link.getAttribute('href'))?.[1];
      assert.ok(seq, `the action links to /audit/<seq>: ${await link.getAttribute('href')}`);
      await link.click();
      await page.waitForURL(onPortal(`/audit/${seq}`));
      await page.getByRole('heading', { name: `Event ${seq}`, level: 1 }).waitFor();
      assert.deepEqual(errors, []);
      await close();
    });

    test('someone outside the allowed organisations is refused, and cancelling at GitHub is said so', async () => {
      const { page, errors, close } = await openPage(browser, js);
      await visit(page, `${portal.url}/sign-in`, js);
      await authorizeAtGithub(page, js, 'Sign in as mallory', '/sign-in');
      assert.equal(new URL(page.url()).searchParams.get('error'), 'not_allowed');
      assert.equal(
        (await page.getByRole('alert').textContent()).trim(),
        'Your GitHub account is not a member of an organisation allowed to use this portal. Ask your platform team for access.',
      );
      assert.equal(await page.getByTestId('signed-in-as').count(), 0, 'nobody is signed in');
      await screenshot(page, `github-not-allowed-${suffix(js)}`);

      await authorizeAtGithub(page, js, 'Cancel', '/sign-in');
      assert.equal(new URL(page.url()).searchParams.get('error'), 'access_denied');
      assert.equal(
        (await page.getByRole('alert').textContent()).trim(),
        'You cancelled signing in at GitHub. Nothing was shared with the portal.',
      );
      assert.equal(await page.getByTestId('signed-in-as').count(), 0, 'nobody is signed in');
      const response = await page.goto(`${portal.url}/me`);
      assert.equal(new URL(page.url()).pathname, '/sign-in', `/me answered ${response.status()} without a session`);
      assert.deepEqual(errors, []);
      await close();
    });

    test('a GitHub user signs out, and protected pages send them to sign in again', async () => {
      const { page, errors, close } = await openPage(browser, js);
      await signInAt(page, js, 'ada', '/me');
      assert.equal(await page.getByTestId('portal-role').textContent(), 'admin');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('You are signed out.').waitFor();
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await page.getByTestId('signed-in-as').count(), 0);
      for (const path of ['/me', '/admin/access']) {
        await page.goto(`${portal.url}${path}`);
        assert.equal(new URL(page.url()).pathname, '/sign-in', `${path} after signing out`);
      }
      assert.deepEqual(errors, []);
      await close();
    });

    test("an admin sees who is signed in and ends all of one person's access", async () => {
      const login = leaver(js);
      const leaving = await openPage(browser, js);
      await signInAt(leaving.page, js, login, '/services');

      const { page, errors, close } = await openPage(browser, js);
      await signInAt(page, js, 'ada', '/admin/access');
      await page.getByRole('link', { name: 'People', exact: true }).click();
      await page.waitForURL(onPortal('/admin/people'));
      if (js) await page.waitForSelector('body[data-hydrated]');
      const row = page.locator(`tr[data-person="${login}"]`);
      assert.match(await row.getByTestId('sessions').textContent(), /since .* last seen/);
      await screenshot(page, `github-people-${suffix(js)}`);
      await row.getByRole('button', { name: `End every session and revoke every token of ${login}` }).click();
      await page.getByText(`Access of ${login} ended: 1 session and 0 tokens revoked.`).waitFor();
      assert.equal((await page.locator(`tr[data-person="${login}"]`).getByTestId('sessions').textContent()).trim(), 'none');
      assert.equal(await page.locator(`tr[data-person="${login}"]`).getByRole('button').count(), 0, 'nothing is left to end');

      await leaving.page.goto(`${portal.url}/services`);
      assert.equal(new URL(leaving.page.url()).pathname, '/sign-in', 'the ended session lets nobody in');
      assert.deepEqual(errors, []);
      assert.deepEqual(leaving.errors, []);
      await leaving.close();
      await close();
    });
  });
}
