// The catalog from a GitHub organisation as an attacker would use it: a member pushes a manifest
// to another repository that declares `payments` and points it at another Deployment. The push
// goes through GitHub's contents API on the double and a signed webhook delivery, as GitHub
// sends it; the problems page shows both refusals and payments keeps its own owner and target,
// with JavaScript on and off.
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { githubUser, startGithubDouble } from '../support/github.js';
import { launchBrowser, openPage, screenshot, startPortal, visit } from '../support/portal.js';

const TOKEN = 'gho_e2ecatalogreadtoken000000000000000000';
const SECRET = 'e2e-webhook-secret';
const FILE = 'catalog-info.yaml';

const manifest = (owner, namespace, deployment) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: service\n` +
  `  lifecycle: production\n  owner: ${owner}\n  environments:\n    - name: prod\n      production: false\n` +
  `      kubernetes:\n        namespace: ${namespace}\n        deployment: ${deployment}\n`;

let github;
let portal;
let browser;

before(async () => {
  github = await startGithubDouble([githubUser('catalog-bot', 900, { orgs: ['inkwell'] })], {
    // payments first: aaa-tools is the younger repository, though first by name.
    repos: { inkwell: [{ name: 'payments', files: { [FILE]: manifest('team-a', 'payments', 'payments-api') } }, { name: 'aaa-tools' }] },
    tokens: { 'catalog-bot': TOKEN },
  });
  portal = await startPortal({
    config:
      `[catalog.github]\norg = "inkwell"\ntoken = "${TOKEN}"\nwebhook_secret = "${SECRET}"\napi_url = ${JSON.stringify(github.url)}\n` +
      `refresh_seconds = 0\n[[catalog.github.targets]]\nrepositories = ["*"]\nkubernetes = [{ namespace = "{repository}" }]\n`,
  });
  browser = await launchBrowser();
  await pushTo('aaa-tools', manifest('mallory-team', 'checkout', 'checkout-api'));
});

after(async () => {
  await browser?.close();
  await portal?.stop();
  await github?.stop();
});

/** Commits `text` to the repository's manifest at the double, then delivers the push event. */
async function pushTo(repository, text) {
  const put = await fetch(`${github.url}/repos/inkwell/${repository}/contents/${FILE}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Describe payments', content: Buffer.from(text).toString('base64') }),
  });
  assert.equal(put.status, 201, await put.text());
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    repository: { name: repository, full_name: `inkwell/${repository}`, default_branch: 'main', archived: false },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const delivered = await fetch(`${portal.url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `e2e-${Date.now()}`, 'x-hub-signature-256': signature },
    body,
  });
  assert.equal(delivered.status, 202, await delivered.text());
}

for (const js of [true, false]) {
  const mode = js ? 'JavaScript on' : 'JavaScript off';
  describe(`a manifest pushed to another repository (${mode})`, () => {
    test('shows both refusals on the problems page', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      try {
        let text = '';
        for (let attempt = 0; attempt < 50 && !text.includes('aaa-tools'); attempt++) {
          await visit(page, `${portal.url}/catalog/problems`, js);
          text = await page.locator('main').innerText();
          if (!text.includes('aaa-tools')) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        assert.match(text, /aaa-tools\/catalog-info\.yaml/);
        assert.match(text, /belongs to repository payments, which declared it first/);
        assert.match(text, /does not allow repository `aaa-tools` to name Kubernetes Deployment `default\/checkout\/checkout-api`/);
        await screenshot(page, `catalog-trust-problems-${js ? 'js' : 'nojs'}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });

    test('payments keeps its owner and its target', async () => {
      const { page, errors, close } = await openPage(browser, js, portal.url);
      try {
        await visit(page, `${portal.url}/services/payments`, js);
        const text = await page.locator('main').innerText();
        assert.match(text, /team-a/);
        assert.doesNotMatch(text, /mallory-team/);
        assert.match(text, /namespace: payments/);
        assert.match(text, /deployment: payments-api/);
        assert.match(text, /payments\/catalog-info\.yaml/);
        await screenshot(page, `catalog-trust-service-${js ? 'js' : 'nojs'}`);
        assert.deepEqual(errors, []);
      } finally {
        await close();
      }
    });
  });
}
