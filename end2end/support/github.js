// Starts the GitHub double (end2end/github-double) as a process: GitHub's OAuth web flow and
// the REST endpoints the portal calls, on a free loopback port, with the given accounts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The OAuth app the double registers when given no `--client-id` / `--client-secret`. */
export const CLIENT_ID = 'portico-test';
export const CLIENT_SECRET = 'portico-test-secret';

/**
 * One account for the double's users file. `teams` are `org/slug` strings; the file wants
 * `[org, slug]` pairs.
 */
export function githubUser(login, id, { name = null, email = null, orgs = [], teams = [] } = {}) {
  return { login, id, name, email, orgs, teams: teams.map((team) => team.split('/')) };
}

/** Waits for the double's one line, `listening on http://127.0.0.1:PORT`. */
function listeningUrl(child) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => fail(new Error('the GitHub double printed no address within 30 s')), 30_000);
    const onExit = (code) => fail(new Error(`the GitHub double exited with code ${code} before listening`));
    function fail(error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      reject(error);
    }
    child.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (match) resolve(match[1]);
      else reject(new Error(`unexpected first line from the GitHub double: ${line}`));
      // Nothing else is printed, but keep draining so the process can never block on a full pipe.
      lines.on('line', () => {});
    });
  });
}

/**
 * Starts the double with `users` (see `githubUser`); returns its base URL (both the web and
 * the API URL), the portal's `[auth.github]` table for it, and a stop function.
 *
 * Options: `repos`, each organisation's repositories (`{ org: [{ name, files: { path: text } }] }`,
 * created in that order), and `tokens`, API tokens the double accepts (`{ login: token }`).
 */
export async function startGithubDouble(users, { repos = null, tokens = {} } = {}) {
  const bin = process.env.E2E_GITHUB_DOUBLE_BIN;
  if (!bin) throw new Error('E2E_GITHUB_DOUBLE_BIN must be set (deploy/dev.sh test sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'github-double-'));
  const file = join(dir, 'users.json');
  writeFileSync(file, JSON.stringify(users, null, 2));
  const args = ['--users', file, '--port', '0'];
  if (repos) {
    const reposFile = join(dir, 'repos.json');
    writeFileSync(reposFile, JSON.stringify(repos, null, 2));
    args.push('--repos', reposFile);
  }
  for (const [login, token] of Object.entries(tokens)) args.push('--token', `${login}=${token}`);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let url;
  try {
    url = await listeningUrl(child);
  } catch (error) {
    await stop();
    throw error;
  }
  const authGithub =
    `[auth.github]\nclient_id = ${JSON.stringify(CLIENT_ID)}\nclient_secret = ${JSON.stringify(CLIENT_SECRET)}\n` +
    `web_url = ${JSON.stringify(url)}\napi_url = ${JSON.stringify(url)}\n`;
  return { url, authGithub, stop };
}
