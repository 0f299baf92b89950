// Starts a real portal binary on a free loopback port with the fixture catalog and a fresh
// SQLite database, and a headless Chromium to drive it.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const fixtures = join(here, '..', 'fixtures', 'catalog');
const screenshots = join(here, '..', 'screenshots');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitUntilReady(url, child) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`portal exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('portal did not become ready');
}

/**
 * Starts the portal; returns its base URL and a stop function.
 *
 * Options: `demoUser` (default true) offers the demo sign-in; `catalogPaths` (default: the
 * fixture catalog) lists the catalog folders; `config`, a TOML fragment or a
 * function of the portal's URL returning one, is appended inside the `[auth]` table: its first
 * lines are `[auth]` keys, and it may then open tables of its own (`[auth.github]`,
 * `[[access.grants]]`, ...).
 */
export async function startPortal({ demoUser = true, catalogPaths = [fixtures], config: extra = '' } = {}) {
  const bin = process.env.E2E_PORTICO_BIN;
  const siteRoot = process.env.E2E_SITE_ROOT;
  if (!bin || !siteRoot) throw new Error('E2E_PORTICO_BIN and E2E_SITE_ROOT must be set (deploy/dev.sh test sets them)');
  const dir = mkdtempSync(join(tmpdir(), 'portico-e2e-'));
  const port = await freePort();
  const config = join(dir, 'portico.toml');
  writeFileSync(
    config,
    `listen = "127.0.0.1:${port}"\ndata_dir = ${JSON.stringify(dir)}\nsite_root = ${JSON.stringify(siteRoot)}\n` +
      `[catalog]\npaths = [${catalogPaths.map((path) => JSON.stringify(path)).join(', ')}]\n` +
      // The demo user signs in without GitHub; as an operator it may read the audit log but
      // not the admin pages, which the identity tests rely on.
      `[[access.grants]]\nrole = "operator"\nusers = ["demo"]\n` +
      // Last, so that the extra fragment's first lines land in this table.
      `[auth]\ndemo_user = ${demoUser}\n` +
      (typeof extra === 'function' ? extra(`http://127.0.0.1:${port}`) : extra),
  );
  const env = { ...process.env, RUST_LOG: 'warn' };
  delete env.PORTICO_CONFIG;
  const child = spawn(bin, ['--config', config, 'serve'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A page with JavaScript on (hydrated) or off (server-rendered HTML and plain forms only).
 * With `signInTo` (a portal URL), the page's browser context is signed in as the demo user.
 */
export async function openPage(browser, javaScriptEnabled, signInTo) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  if (signInTo) {
    const response = await context.request.post(`${signInTo}/auth/demo`, { form: { next: '/' }, maxRedirects: 0 });
    if (response.status() !== 303) throw new Error(`demo sign-in answered ${response.status()}`);
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  return { page, errors, close: () => context.close() };
}

/** Loads `path`; with JavaScript on, waits until the app has hydrated. */
export async function visit(page, url, javaScriptEnabled) {
  await page.goto(url);
  if (javaScriptEnabled) await page.waitForSelector('body[data-hydrated]');
}

export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}
