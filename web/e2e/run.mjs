// @ts-check
// `npm run e2e`: the console end to end, against a real `ec2m serve`, in Debian's chromium.
//
//   EC2M_BIN=build/release/ec2m npm run e2e        (from web/; scripts/test-web.sh does this)
//
// It starts `$EC2M_BIN serve --config <temp>/ec2m.json` with a fresh data dir listening on
// 127.0.0.1:0 and serving this folder's dist/ (build it first), reads `Console: <url>` and `Admin: <email> <password>` from its output, drives
// chromium (playwright-core, never a downloaded browser) through e2e/scenario.mjs, then stops the
// server and removes its temp dir. A failure leaves a screenshot in e2e/artifacts/.
//
// Environment:
//   EC2M_BIN          the ec2m binary (required)
//   EC2M_SERVE_ARGS   extra arguments for `ec2m serve` (space-separated)
//   CHROMIUM          the browser (default: /usr/bin/chromium, else `chromium` on PATH)
//   E2E_ENV           the environment to act in (default dev: one whose config does not require MFA)
//   E2E_SCREENSHOTS=1 a screenshot after every step in e2e/artifacts/
//   E2E_KEEP=1        keep the temp dir (server data, browser profile) for a look afterwards
//   E2E_SKIP_ENVIRONMENTS=1  skip the Environments steps (a server without environments as code)

import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { steps } from './scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '..');
const repo = resolve(web, '..');
const dist = join(web, 'dist');
const STARTUP_MS = 60_000;

/**
 * @param {string} msg
 * @returns {never}
 */
function die(msg, code = 2) {
  console.error(`e2e: ${msg}`);
  process.exit(code);
}

function findChromium() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium'];
  const which = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  candidates.push(which.stdout.trim());
  for (const c of candidates) {
    if (c && existsSync(c)) {
      return c;
    }
  }
  return die("no chromium: install Debian's chromium package (scripts/install-deps.sh) or set CHROMIUM");
}

function checkBinary() {
  const bin = process.env.EC2M_BIN;
  if (!bin) {
    die(
      'EC2M_BIN is not set, so there is no server to test against.\n' +
        '     The e2e tests run the real `ec2m serve`: build it (make build) and run\n' +
        '     EC2M_BIN=$PWD/../build/release/ec2m npm run e2e   (or scripts/test-web.sh with EC2M_BIN set)',
    );
  }
  const abs = resolve(process.env.INIT_CWD ?? process.cwd(), bin);
  try {
    accessSync(abs, constants.X_OK);
  } catch {
    die(`EC2M_BIN=${bin}: ${abs} is not an executable file`);
  }
  return abs;
}

/**
 * Starts the server and resolves once it printed its console URL and the admin's credentials.
 * @param {string} bin
 * @param {string} dir
 */
function startServer(bin, dir) {
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const config = join(dir, 'ec2m.json');
  // ec2m.json (src/config/serve_config.hpp): a free port, a fresh store, the repository's
  // environments, this console build, the demo fleet; no EC2 endpoint (4566 may be taken), and a
  // short reconcile period so a state change made outside the console shows up quickly.
  // The repository's environments, with the deployments' waits shortened (30 s of
  // stabilization and a 10-minute watch are the defaults a real fleet wants, not a test).
  const envDir = join(dir, 'config');
  mkdirSync(envDir);
  for (const name of readdirSync(join(repo, 'config')).filter((f) => f.endsWith('.json'))) {
    const env = JSON.parse(readFileSync(join(repo, 'config', name), 'utf8'));
    env.deployment = { ...env.deployment, stabilizationSeconds: 1, watchSeconds: 2 };
    // A window open at any hour besides the environment's own: its first apply, held for an
    // approval by the two-person rule, applies once approved whatever the day the e2e runs.
    if (env.maintenanceWindows) {
      env.maintenanceWindows = [
        ...env.maintenanceWindows,
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '23:59', timeZone: 'UTC' },
      ];
    }
    writeFileSync(join(envDir, name), JSON.stringify(env, null, 2));
  }
  const settings = {
    listen: '127.0.0.1:0',
    data_dir: dataDir,
    environments_dir: envDir,
    console_dir: dist,
    ec2_listen: '',
    demo: true,
    reconcile_seconds: 2,
    log_format: 'text',
  };
  writeFileSync(config, JSON.stringify(settings, null, 2));
  const extra = (process.env.EC2M_SERVE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const args = ['serve', '--config', config, ...extra];
  console.log(`e2e: starting ${bin} ${args.join(' ')}`);
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  /** @type {string[]} */
  const output = [];
  /** @type {Promise<{ url: string, email: string, password: string }>} */
  const ready = new Promise((res, rej) => {
    const found = { url: '', email: '', password: '' };
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) {
          continue;
        }
        output.push(line);
        const c = line.match(/Console:\s*(https?:\/\/\S+)/);
        const a = line.match(/Admin:\s*(\S+@\S+)\s+(\S+)/);
        if (c?.[1]) {
          found.url = c[1];
        }
        if (a?.[1] && a[2]) {
          found.email = a[1];
          found.password = a[2];
        }
        if (found.url && found.email) {
          res(found);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) =>
      rej(new Error(`ec2m serve exited (${signal ?? code}) before printing Console: and Admin: lines`)),
    );
    setTimeout(
      () => rej(new Error(`no Console: and Admin: lines from ec2m serve within ${STARTUP_MS / 1000} s`)),
      STARTUP_MS,
    );
  });
  return { child, ready, output };
}

/** @param {import('node:child_process').ChildProcess} child */
async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function main() {
  const bin = checkBinary();
  if (!existsSync(join(dist, 'index.html'))) {
    die(`${dist}/index.html is missing: build the console first (npm run build, or scripts/build-web.sh)`);
  }
  const browserPath = findChromium();
  const dir = mkdtempSync(join(tmpdir(), 'ec2m-e2e-'));
  const server = startServer(bin, dir);
  /** @type {import('playwright-core').BrowserContext | null} */
  let context = null;
  let passed = 0;
  let failed = 0;
  let startFailed = false;
  try {
    const creds = await server.ready;
    console.log(`e2e: server up at ${creds.url} (admin ${creds.email})`);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: browserPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    /** @type {string[]} */
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    /** @type {Record<string, string>} */
    const ctx = { ...creds };
    for (const step of steps) {
      if (step.skip) {
        console.log(`skip ${step.name} — ${step.skip}`);
        continue;
      }
      const started = Date.now();
      try {
        const note = await step.run(page, ctx);
        passed++;
        if (process.env.E2E_SCREENSHOTS === '1') {
          mkdirSync(join(here, 'artifacts'), { recursive: true });
          await page.screenshot({ path: join(here, 'artifacts', `step-${passed}.png`), fullPage: true });
        }
        console.log(`ok   ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)${note ? ` — ${note}` : ''}`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${step.name}: ${e instanceof Error ? e.message : e}`);
        mkdirSync(join(here, 'artifacts'), { recursive: true });
        const shot = join(here, 'artifacts', 'failure.png');
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        console.log(`     page ${page.url()}; screenshot ${shot}`);
        if (consoleErrors.length) {
          console.log(`     browser console errors:\n       ${consoleErrors.slice(-5).join('\n       ')}`);
        }
        console.log(`     ec2m serve output (last 20 lines):\n       ${server.output.slice(-20).join('\n       ')}`);
        break;
      }
    }
  } catch (e) {
    failed++;
    startFailed = true;
    console.log(`FAIL start: ${e instanceof Error ? e.message : e}`);
    console.log(`     ec2m serve output:\n       ${server.output.slice(-40).join('\n       ')}`);
  } finally {
    await context?.close().catch(() => undefined);
    await stopServer(server.child);
    if (process.env.E2E_KEEP === '1') {
      console.log(`e2e: kept ${dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const skipped = steps.length - passed - (startFailed ? 0 : failed);
  console.log(`e2e: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => die(e instanceof Error ? (e.stack ?? e.message) : String(e), 1));
