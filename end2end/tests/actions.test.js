// Self-service actions in a real browser, with JavaScript on and off: a restart on the demo
// catalog followed to its end and found in the audit log; a production promotion requested by a
// developer and approved by an operator, both signed in through the GitHub double; and a form
// that refuses an invalid number without requesting anything.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { githubUser, startGithubDouble } from '../support/github.js';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const here = dirname(fileURLToPath(import.meta.url));
const demo = join(here, '..', '..', 'deploy', 'demo');
const fixtures = join(here, '..', 'fixtures', 'actions');

const modes = [true, false];
const suffix = (js) => (js ? 'js' : 'nojs');

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const runState = (page) => page.getByTestId('run-state');
const onPath = (portal, path) => (url) => url.origin === portal.url && url.pathname === path;

/** The run id from a run page's address. */
function runId(page) {
  const id = /^\/runs\/([^/]+)$/.exec(new URL(page.url()).pathname)?.[1];
  assert.ok(id, `not on a run page: ${page.url()}`);
  return decodeURIComponent(id);
}

/** Waits until the browser is on a run's page (after a form's submit) and returns its id. */
async function landOnRun(page, js, portal) {
  await page
    .waitForURL((url) => url.origin === portal.url && /^\/runs\/[^/]+$/.test(url.pathname), { timeout: 15_000 })
    .catch(() => assert.fail(`the form did not lead to the run's page; the browser is at ${page.url()}`));
  if (js) await page.waitForSelector('body[data-hydrated]');
  await runState(page).waitFor();
  return runId(page);
}

const FINAL = ['succeeded', 'failed', 'cancelled', 'rolled_back', 'interrupted', 'rejected', 'expired'];

/**
 * Follows the run on its page until it ends and returns the final state. With JavaScript on the
 * page must update by itself, without reloading; without it, the "Refresh" link is followed.
 * `seen` collects every state shown, in order.
 */
async function followToEnd(page, js, { timeout = 60_000 } = {}) {
  const seen = [await runState(page).getAttribute('data-state')];
  if (js) {
    await page.evaluate(() => (window.portalMarker = 'same page'));
    await page
      .waitForFunction(
        (final) => final.includes(document.querySelector('[data-testid="run-state"]')?.dataset.state),
        FINAL,
        { timeout, polling: 100 },
      )
      .catch(() => assert.fail(`the run page never showed an ended run; it shows ${seen.join(' → ')}`));
    seen.push(await runState(page).getAttribute('data-state'));
    assert.equal(await page.evaluate(() => window.portalMarker ?? null), 'same page', 'the page updated in place, without a reload');
  } else {
    const until = Date.now() + timeout;
    while (!FINAL.includes(seen.at(-1))) {
      assert.ok(Date.now() < until, `the run never ended: ${seen.join(' → ')}`);
      const refresh = page.getByTestId('refresh');
      assert.equal(await refresh.count(), 1, `an unfinished run offers a Refresh link (state ${seen.at(-1)})`);
      await page.waitForTimeout(500);
      await refresh.click();
      await page.waitForLoadState();
      await runState(page).waitFor();
      const state = await runState(page).getAttribute('data-state');
      if (state !== seen.at(-1)) seen.push(state);
    }
  }
  return { state: seen.at(-1), seen };
}

/** Each step row's number, name, state and output. */
async function steps(page) {
  return page.getByTestId('step-row').evaluateAll((rows) =>
    rows.map((row) => ({
      step: Number(row.dataset.step),
      state: row.dataset.stepState,
      compensation: row.dataset.compensation === 'true',
      name: row.querySelector('.font-medium')?.textContent.trim(),
      output: row.querySelector('[data-testid="step-output"]')?.textContent.trim() ?? '',
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// The demo catalog and actions, the demo user made an admin as deploy/demo/portico.toml does.

describe('actions on the demo catalog', () => {
  let portal;

  before(async () => {
    portal = await startPortal({
      catalogPaths: [join(demo, 'catalog')],
      config:
        `[runtime]\npoll_seconds = 1\n` +
        `[actions]\npaths = [${JSON.stringify(join(demo, 'actions.yaml'))}]\n` +
        `[[access.grants]]\nrole = "admin"\nusers = ["demo"]\n`,
    });
  });

  after(async () => {
    await portal?.stop();
  });

  for (const js of modes) {
    const mode = js ? 'JavaScript on' : 'JavaScript off';
    // A service per mode, so that the audit log check without JavaScript cannot pass on the run
    // made with it.
    const service = js ? 'checkout' : 'inventory';
    const version = js ? '1.8.0' : '1.1.0';

    describe(`restart (${mode})`, () => {
      test('the demo user restarts dev, follows the run to its end and finds it in the audit log', async (t) => {
        const { page, errors, close } = await openPage(browser, js, portal.url);
        await visit(page, `${portal.url}/services/${service}`, js);
        const link = page.getByTestId('action-link-restart-dev');
        await link.waitFor();
        assert.equal(await link.getAttribute('href'), `/services/${service}/actions/restart?environment=dev`);
        assert.equal(await page.getByTestId('action-link-promote-dev').count(), 0, 'promote is not offered on the first environment');
        await screenshot(page, `actions-service-${suffix(js)}`);

        await link.click();
        await page.waitForURL((url) => url.pathname === `/services/${service}/actions/restart` && url.searchParams.get('environment') === 'dev');
        if (js) await page.waitForSelector('body[data-hydrated]');
        await page.getByRole('heading', { name: 'Restart', level: 1 }).waitFor();
        assert.equal(await page.title(), `Restart · ${service} · Portico`);
        await page.getByText('This action takes no inputs.').waitFor();
        assert.equal(await page.getByTestId('approval-needed').count(), 0, 'a restart in dev needs no approval');
        assert.equal(await page.getByTestId('submit-run').innerText(), 'Run');
        await screenshot(page, `actions-restart-form-${suffix(js)}`);

        await page.getByTestId('submit-run').click();
        const id = await landOnRun(page, js, portal);
        assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /^Restart$/);
        assert.match(await page.getByTestId('run-facts').innerText(), new RegExp(`${service}[\\s\\S]*dev[\\s\\S]*demo`));
        assert.equal(await page.getByTestId('run-requester').innerText(), 'demo');
        const { state, seen } = await followToEnd(page, js);
        assert.equal(state, 'succeeded', `states seen: ${seen.join(' → ')}`);
        t.diagnostic(`run ${id}: ${seen.join(' → ')}`);
        assert.equal(await page.getByTestId('run-live').innerText(), 'This run has ended.');
        assert.equal(await page.getByTestId('refresh').count(), 0, 'an ended run offers no Refresh link');
        assert.equal(await page.getByTestId('cancel').count(), 0, 'an ended run cannot be cancelled');

        const done = await steps(page);
        assert.deepEqual(
          done.map(({ step, name, state, compensation }) => ({ step, name, state, compensation })),
          [
            { step: 1, name: 'restart', state: 'succeeded', compensation: false },
            { step: 2, name: 'wait until healthy', state: 'succeeded', compensation: false },
          ],
        );
        assert.equal(done[0].output, 'every instance replaced');
        assert.match(done[1].output, new RegExp(`^1/1 ready, ${version.replaceAll('.', '\\.')}$`));
        await screenshot(page, `actions-run-succeeded-${suffix(js)}`);

        // The runs list has it, ended.
        await visit(page, `${portal.url}/runs?service=${service}`, js);
        const row = page.locator(`table[data-testid="runs"] [data-testid="run-row"][data-run="${id}"]`);
        await row.waitFor();
        assert.equal(await row.locator('[data-state]').getAttribute('data-state'), 'succeeded');
        assert.match(await row.innerText(), /Restart[\s\S]*dev[\s\S]*demo/);

        // The audit log viewer has its end, found with the filters form.
        await visit(page, `${portal.url}/audit`, js);
        await page.getByLabel('Action', { exact: true }).fill('action.finished');
        await page.getByLabel('Service', { exact: true }).fill(service);
        await page.getByRole('button', { name: 'Apply filters' }).click();
        await page.waitForURL((url) => url.pathname === '/audit' && url.searchParams.get('action') === 'action.finished' && url.searchParams.get('service') === service);
        const events = page.locator('table[data-testid="audit-events"] tbody tr');
        await page.waitForFunction(
          (service) => {
            const rows = [...document.querySelectorAll('table[data-testid="audit-events"] tbody tr')];
            return rows.length > 0 && rows.every((row) => row.children[2]?.textContent.trim() === 'action.finished' && row.children[3]?.textContent.includes(service));
          },
          service,
        );
        const listed = await events.evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())));
        assert.equal(listed.length, 1, `one finished run of ${service}:\n${listed.join('\n')}`);
        assert.equal(listed[0][3], `${service} in dev`);
        assert.match(listed[0][4], /success/);
        await screenshot(page, `actions-audit-${suffix(js)}`);
        await events.first().getByRole('link', { name: 'action.finished' }).click();
        await page.waitForURL(/\/audit\/\d+$/);
        const event = await page.locator('pre').textContent();
        assert.match(event, new RegExp(`"run": "${id}"`));
        assert.match(event, /"state": "succeeded"/);
        assert.match(event, /"action": "restart"/);
        assert.equal(await page.getByTestId('integrity').textContent(), 'content matches its hash and links to the event before it');
        assert.deepEqual(errors, []);
        await close();
      });
    });

    describe(`form validation (${mode})`, () => {
      test('an invalid number is shown next to its field and nothing is requested', async () => {
        // Scale also a service per mode, so that "no run" cannot be the other mode's.
        const target = js ? 'pricing' : 'shipping';
        const { page, errors, close } = await openPage(browser, js, portal.url);
        const requests = [];
        page.on('request', (request) => {
          if (request.method() === 'POST' && new URL(request.url()).pathname.includes('/actions/request')) requests.push(request.url());
        });
        await visit(page, `${portal.url}/services/${target}/actions/scale?environment=dev`, js);
        await page.getByRole('heading', { name: 'Scale', level: 1 }).waitFor();
        const field = page.getByLabel('Instances');
        assert.equal(await field.inputValue(), '2', 'the default is filled in');
        await field.fill('12');

        if (js) {
          // Checked in the browser as soon as the field is left, before any submit.
          await field.press('Tab');
          const message = page.getByTestId('field-error-replicas');
          await message.waitFor({ timeout: 5_000 });
          assert.equal(await message.innerText(), 'Instances must be at most 8.');
          assert.equal(await field.getAttribute('aria-invalid'), 'true');
          assert.match(await field.getAttribute('aria-describedby'), /field-replicas-error/);
          assert.deepEqual(requests, [], 'nothing is sent while typing');
          // A submit is held back, with the problem summed up and the field focused.
          await page.getByTestId('submit-run').click();
          await page.getByTestId('form-errors').waitFor();
          assert.match(await page.getByTestId('form-errors').innerText(), /Instances must be at most 8\./);
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-replicas');
          await page.waitForTimeout(500);
          assert.deepEqual(requests, [], 'an invalid form is not sent');
          assert.equal(new URL(page.url()).pathname, `/services/${target}/actions/scale`);
        } else {
          // The browser's own check holds the post back first (the field carries min and max)...
          await page.getByTestId('submit-run').click();
          await page.waitForTimeout(300);
          assert.equal(await field.evaluate((input) => input.validity.rangeOverflow), true);
          assert.deepEqual(requests, [], "the browser's own check keeps the form from being sent");
          // ...and the server checks again, for a browser that does not: its answer shows the
          // message next to the field and keeps what was typed.
          await page.locator('form[aria-label="Scale"]').evaluate((form) => (form.noValidate = true));
          await page.getByTestId('submit-run').click();
          await page.waitForLoadState();
          const message = page.getByTestId('field-error-replicas');
          await message.waitFor({ timeout: 10_000 });
          assert.equal(await message.innerText(), 'Instances must be at most 8.');
          assert.equal(new URL(page.url()).pathname, `/services/${target}/actions/scale`, 'the answer is the form again');
          assert.equal(await page.getByLabel('Instances').inputValue(), '12', 'what was typed is kept');
          assert.equal(await page.getByLabel('Instances').getAttribute('aria-invalid'), 'true');
          assert.match(await page.getByTestId('form-errors').innerText(), /Instances must be at most 8\./);
        }
        await screenshot(page, `actions-invalid-number-${suffix(js)}`);

        // No run was recorded.
        await visit(page, `${portal.url}/runs?service=${target}`, js);
        await page.getByText('No runs match these filters').waitFor();
        assert.equal(await page.getByTestId('run-row').count(), 0);
        assert.deepEqual(errors, []);
        await close();
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// A production promotion: dora (developer) requests it, otto (operator) approves it, both
// signed in with GitHub through the double.

describe('a production promotion approved by a second person', () => {
  const users = [
    githubUser('dora', 201, { name: 'Dora Developer', orgs: ['inkwell'] }),
    githubUser('otto', 202, { name: 'Otto Operator', orgs: ['inkwell'] }),
  ];
  let github;
  let portal;

  before(async () => {
    github = await startGithubDouble(users);
    portal = await startPortal({
      demoUser: false,
      catalogPaths: [join(fixtures, 'catalog')],
      config: (url) =>
        `public_url = ${JSON.stringify(url)}\nallowed_orgs = ["inkwell"]\n` +
        github.authGithub +
        `[[access.grants]]\nrole = "developer"\nusers = ["dora"]\n` +
        `[[access.grants]]\nrole = "operator"\nusers = ["otto"]\n` +
        `[runtime]\npoll_seconds = 1\n` +
        `[actions]\npaths = [${JSON.stringify(join(fixtures, 'actions.yaml'))}]\n`,
    });
  });

  after(async () => {
    await portal?.stop();
    await github?.stop();
  });

  /** Opens `path` signed out, signs in at GitHub's authorize page as `login`, lands on `path`. */
  async function signInAt(page, js, login, path) {
    await page.goto(`${portal.url}${path}`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    if (js) await page.waitForSelector('body[data-hydrated]');
    await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
    await page.waitForURL((url) => url.origin === github.url && url.pathname === '/login/oauth/authorize', { timeout: 10_000 });
    await page.getByRole('button', { name: `Sign in as ${login}`, exact: true }).click();
    const target = new URL(path, portal.url);
    await page.waitForURL(onPath(portal, target.pathname));
    if (js) await page.waitForSelector('body[data-hydrated]');
  }

  /** Loads the service page until prod is seen running `version` (the poller reports it). */
  async function prodRuns(page, js, service, version) {
    const prod = page.locator('section[aria-labelledby="environments"] li[data-environment="prod"]');
    let shown;
    for (let attempt = 0; attempt < 40; attempt++) {
      await visit(page, `${portal.url}/services/${service}`, js);
      // The card's own version comes first; its instances table repeats it per instance.
      const card = prod.getByTestId('version').first();
      shown = (await card.count()) ? await card.innerText() : null;
      if (shown === version) return prod;
      await page.waitForTimeout(500);
    }
    assert.fail(`prod of ${service} shows ${shown}, not ${version}`);
  }

  for (const js of modes) {
    const mode = js ? 'JavaScript on' : 'JavaScript off';
    const service = js ? 'ledger-js' : 'ledger-nojs';

    test(`promote to prod: requested, refused to its requester, approved by an operator, deployed (${mode})`, async (t) => {
      const requester = await openPage(browser, js);
      const { page } = requester;
      await signInAt(page, js, 'dora', `/services/${service}`);
      assert.equal(await page.getByTestId('signed-in-as').textContent(), 'Dora Developer');
      const behind = await prodRuns(page, js, service, '2.0.3');
      assert.match(await behind.getByTestId('drift').first().innerText(), /dev 2\.1\.0/);
      assert.equal(await page.getByTestId('action-link-promote-dev').count(), 0, 'promote applies to prod only');
      await page.getByTestId('action-link-promote-prod').click();
      await page.waitForURL((url) => url.pathname === `/services/${service}/actions/promote` && url.searchParams.get('environment') === 'prod');
      if (js) await page.waitForSelector('body[data-hydrated]');
      await page.getByRole('heading', { name: 'Promote', level: 1 }).waitFor();
      assert.match(await page.getByTestId('approval-needed').innerText(), /Needs 1 approval by someone with the operator role, other than the requester/);
      assert.equal(await page.getByTestId('submit-run').innerText(), 'Request approval');
      const confirm = page.getByTestId('confirm');

      if (js) {
        // Sent without typing the name: held back in the browser.
        await page.getByTestId('submit-run').click();
      } else {
        // An empty field is held back by the browser itself (it is required); a wrong name
        // reaches the server, which sends the form back with the message.
        assert.equal(await confirm.evaluate((input) => input.validity.valueMissing), true);
        await confirm.fill('ledger');
        await page.getByTestId('submit-run').click();
        await page.waitForLoadState();
      }
      const refusal = page.getByTestId('field-error-confirm');
      await refusal.waitFor({ timeout: 10_000 });
      // The browser and the server run the same check, with the same words.
      assert.equal(await refusal.innerText(), `Type ${service} to confirm this change to production.`);
      assert.equal(new URL(page.url()).pathname, `/services/${service}/actions/promote`, 'still on the form');
      await screenshot(page, `actions-promote-confirm-${suffix(js)}`);

      await page.getByTestId('confirm').fill(service);
      await page.getByTestId('submit-run').click();
      const id = await landOnRun(page, js, portal);
      assert.equal(await runState(page).getAttribute('data-state'), 'pending_approval');
      assert.equal(await page.getByTestId('approval-count').innerText(), '0 of 1 approvals given.');
      assert.equal(await page.getByTestId('approve').count(), 0, 'the requester is offered no Approve button');
      assert.equal(await page.getByTestId('reject').count(), 0);
      assert.equal(await page.getByTestId('approval-refusal').innerText(), 'You requested this run; someone else must approve it.');
      assert.equal(await page.getByTestId('run-requester').innerText(), 'dora');
      if (js) assert.match(await page.getByTestId('run-live').innerText(), /Live: updates every second/);
      else assert.equal(await page.getByTestId('refresh').count(), 1);
      await screenshot(page, `actions-promote-pending-${suffix(js)}`);
      if (js) await page.evaluate(() => (window.requesterMarker = 'never reloaded'));

      // Approving her own run behind the page's back is refused too.
      const forged = await requester.page.context().request.post(`${portal.url}/api/actions/decide`, {
        form: { id, approve: 'true' },
        headers: { origin: portal.url, accept: 'application/json' },
        maxRedirects: 0,
      });
      assert.equal(forged.status(), 403, `a self-approval answered ${forged.status()}: ${await forged.text()}`);
      if (!js) await page.reload();
      assert.equal(await runState(page).getAttribute('data-state'), 'pending_approval', 'still waiting after the refused self-approval');

      // Otto, in another browser, finds it among his approvals and approves it.
      const approver = await openPage(browser, js);
      await signInAt(approver.page, js, 'otto', '/approvals');
      assert.equal(await approver.page.getByTestId('signed-in-as').textContent(), 'Otto Operator');
      const row = approver.page.locator(`table[data-testid="approvals"] [data-testid="run-row"][data-run="${id}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(`Promote[\\s\\S]*${service}[\\s\\S]*prod[\\s\\S]*dora`));
      assert.equal(await row.locator('[data-state]').getAttribute('data-state'), 'pending_approval');
      await screenshot(approver.page, `actions-approvals-${suffix(js)}`);
      await row.getByRole('link', { name: 'Promote' }).click();
      await approver.page.waitForURL(onPath(portal, `/runs/${id}`));
      if (js) await approver.page.waitForSelector('body[data-hydrated]');
      assert.equal(await approver.page.getByTestId('approval-refusal').count(), 0);
      await approver.page.getByLabel('Comment').fill('Checked the dev dashboards.');
      await approver.page.getByTestId('approve').click();
      if (!js) await approver.page.waitForURL(onPath(portal, `/runs/${id}`));
      await approver.page.locator('[data-testid="approval-row"][data-decision="approved"]').waitFor({ timeout: 10_000 });
      assert.match(await approver.page.getByTestId('approval-row').innerText(), /otto approved[\s\S]*Checked the dev dashboards\./);
      const approved = await followToEnd(approver.page, js);
      assert.equal(approved.state, 'succeeded', `states seen by the approver: ${approved.seen.join(' → ')}`);
      t.diagnostic(`run ${id}, seen by the approver: ${approved.seen.join(' → ')}`);
      assert.equal(await approver.page.getByTestId('approval-count').innerText(), '1 of 1 approvals given.');

      const done = await steps(approver.page);
      assert.deepEqual(
        done.map(({ name, state }) => [name, state]),
        [
          ['find the version to promote', 'succeeded'],
          ['deploy the version', 'succeeded'],
          ['wait until healthy', 'succeeded'],
        ],
      );
      assert.equal(done[0].output, '2.1.0 from dev replaces 2.0.3');
      assert.equal(done[1].output, '2.1.0 deployed');
      assert.match(done[2].output, /^1\/1 ready, 2\.1\.0$/);
      await screenshot(approver.page, `actions-promote-succeeded-${suffix(js)}`);
      assert.deepEqual(approver.errors, []);
      await approver.close();

      // Dora's page follows the run by itself with JavaScript; without, her Refresh link does.
      const followed = await followToEnd(page, js);
      assert.equal(followed.state, 'succeeded', `states seen by the requester: ${followed.seen.join(' → ')}`);
      if (js) assert.equal(await page.evaluate(() => window.requesterMarker ?? null), 'never reloaded', 'the waiting page turned into the ended run by itself');
      else assert.equal(followed.seen[0], 'pending_approval', 'the Refresh link showed the approved run');

      // Prod now runs what dev runs.
      const promoted = await prodRuns(page, js, service, '2.1.0');
      assert.equal(await promoted.getByTestId('drift').count(), 0, 'no drift once promoted');
      // The deployment history names the promote, for whom it ran and how it ended, above what
      // prod ran when the portal first looked.
      const deployments = page.locator('section[aria-labelledby="deployments"] [data-testid="deployment"]');
      const rows = await deployments.allInnerTexts();
      const shown = rows.filter((row) => row.split('\t')[1] === 'prod');
      assert.match(shown[0] ?? '', /\tprod\t2\.1\.0\tPromote for dora\tSucceeded$/, shown.join('\n'));
      assert.match(shown[1] ?? '', /\tprod\t2\.0\.3\tRunning when first seen\tseen running$/, shown.join('\n'));
      assert.equal(await deployments.getByRole('link', { name: 'Promote' }).first().getAttribute('href'), `/runs/${id}`);
      await page.locator('section[aria-labelledby="deployments"]').scrollIntoViewIfNeeded();
      await screenshot(page, `actions-promoted-service-${suffix(js)}`);
      assert.deepEqual(requester.errors, []);
      await requester.close();
    });
  }
});
