// @ts-check
// The console's end-to-end scenario, run by e2e/run.mjs in Debian's chromium against a real
// `ec2m serve`: sign in → the demo instances are listed → stop one → it becomes stopped → the
// admin sets up MFA on the MFA page (prod and staging require MFA, so global-admin pages need an
// MFA-verified session) → changes their password and stays signed in, while the old session's
// token stops working → the audit log has its instance.stop entry and the chain verifies → the
// Environments page plans the
// environment, provisions it and follows the change set until it succeeds, and the history lists
// it → the Alarms page lists the environment's "Critical API Errors" (one of the five alarms every
// environment has) → an incident is opened through the form, listed and
// resolved → the Operations dashboard draws the Latency chart → an approver approves a prod
// deployment on the Deployments page and watches it succeed (deployments.mjs). Selectors are roles and labels, as
// a person (or a screen reader) finds things; data-testid only for state cells.
//
// E2E_SKIP_ENVIRONMENTS=1 skips the Environments steps (reported as skipped, never as passed):
// only for a server built before the environments-as-code routes existed.

import { randomBytes } from 'node:crypto';
import { deploymentSteps, totp } from './deployments.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

export const SHORT = 15_000;
export const LONG = 60_000;

/**
 * Polls `probe` until it returns a truthy value, or fails after `ms` with `what`.
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} probe
 * @param {number} ms
 * @returns {Promise<T>}
 */
export async function eventually(what, probe, ms) {
  const deadline = Date.now() + ms;
  let last = /** @type {unknown} */ (null);
  for (;;) {
    try {
      const v = await probe();
      if (v) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message.split('\n')[0]}` : '';
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Takes one of the admin's recovery codes (kept by the MFA step): each signs in once.
 * @param {Record<string, string>} ctx
 */
export function nextRecoveryCode(ctx) {
  const [code = '', ...rest] = (ctx.recovery ?? '').split(' ').filter(Boolean);
  if (!code) {
    throw new Error("no recovery code of the admin's left (the MFA step keeps them)");
  }
  ctx.recovery = rest.join(' ');
  return code;
}

/** @param {Page} page */
function instancesTable(page) {
  return page.getByRole('table', { name: 'Instances' });
}

/** @param {Page} page @param {string} id */
function instanceRow(page, id) {
  return instancesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('checkbox', { name: `Select ${id}`, exact: true }) });
}

/** @param {Locator} row */
async function stateOf(row) {
  return ((await row.getByTestId('instance-state').textContent()) ?? '').replace('…', '').trim();
}

const SKIP_ENVIRONMENTS =
  process.env.E2E_SKIP_ENVIRONMENTS === '1' ? 'E2E_SKIP_ENVIRONMENTS=1 (a server without environments as code)' : '';
const ALARM = 'Critical API Errors';

/** @param {Page} page @param {string} name */
export async function openFromNav(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: SHORT });
}

/** @param {Page} page @param {string} email @param {string} link */
async function openFromUserMenu(page, email, link) {
  await page.getByLabel(`User menu for ${email}`).click();
  await page.getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: link }).waitFor({ timeout: SHORT });
  await page.getByLabel(`User menu for ${email}`).click(); // closes the menu again
}

/**
 * GET /api/v1/me with `token`: the HTTP status.
 * @param {Record<string, string>} ctx @param {string} token
 */
async function meStatus(ctx, token) {
  const res = await fetch(new URL('/api/v1/me', ctx.url), { headers: { Authorization: `Bearer ${token}` } });
  return res.status;
}

/** @param {Page} page */
function incidentDetails(page) {
  return page.getByRole('region', { name: /^Incident \d{4}-\d{4}-\d{3}$/ });
}

/**
 * @typedef {{
 *   name: string,
 *   skip?: string,
 *   run: (page: Page, ctx: Record<string, string>) => Promise<string | void>,
 * }} Step
 * @type {Step[]}
 */
export const steps = [
  {
    name: 'sign in as the admin',
    async run(page, ctx) {
      await page.goto(ctx.url ?? '', { waitUntil: 'domcontentloaded' });
      await page.getByLabel('Email').fill(ctx.email ?? '');
      await page.getByLabel('Password', { exact: true }).fill(ctx.password ?? '');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Instances' }).waitFor({ timeout: SHORT });
      return `at ${page.url()}`;
    },
  },
  {
    name: 'the instances page lists the demo instances',
    async run(page) {
      const checkboxes = instancesTable(page).getByRole('checkbox', { name: /^Select i-/ });
      const count = await eventually('at least one instance row', async () => checkboxes.count(), SHORT);
      return `${count} instances listed`;
    },
  },
  {
    name: 'choose an environment without MFA for changes',
    async run(page, ctx) {
      // Environments with cognito.mfaRequired refuse changes from a session without MFA (the
      // admin has none yet): work in dev (config/dev.json), or E2E_ENV.
      const env = process.env.E2E_ENV ?? 'dev';
      ctx.env = env;
      await page.getByLabel('Environment', { exact: true }).selectOption(env);
      const rows = instancesTable(page).getByRole('checkbox', { name: /^Select i-/ });
      const others = instancesTable(page)
        .getByRole('row')
        .filter({ has: page.getByRole('cell', { name: env, exact: true }) });
      await eventually(
        `only ${env} instances listed`,
        async () => (await rows.count()) > 0 && (await rows.count()) === (await others.count()),
        SHORT,
      );
      return `${await rows.count()} instances in ${env}`;
    },
  },
  {
    name: 'stop a running instance',
    async run(page, ctx) {
      // Demo instances may still be pending: the page polls every 3 s until one is running.
      const running = instancesTable(page)
        .getByRole('row')
        .filter({ has: page.getByTestId('instance-state').getByText('running', { exact: true }) });
      await running.first().waitFor({ timeout: LONG });
      const label = await running.first().getByRole('checkbox').getAttribute('aria-label');
      const id = (label ?? '').replace(/^Select /, '');
      if (!id.startsWith('i-')) {
        throw new Error(`no instance id in the row's checkbox label (${label})`);
      }
      ctx.instance = id;
      await page.getByRole('button', { name: `Stop ${id}`, exact: true }).click();
      const results = page.getByRole('region', { name: 'Action results' });
      await results.getByRole('heading', { name: 'Stop: 1 succeeded' }).waitFor({ timeout: SHORT });
      return `stopping ${id}`;
    },
  },
  {
    name: 'the instance becomes stopped (live refresh)',
    async run(page, ctx) {
      const row = instanceRow(page, ctx.instance ?? '');
      const seen = new Set();
      await eventually(
        `${ctx.instance} to be stopped`,
        async () => {
          const s = await stateOf(row);
          seen.add(s);
          return s === 'stopped';
        },
        LONG,
      );
      return `states seen: ${[...seen].join(' → ')}`;
    },
  },
  {
    name: 'set up MFA on the MFA page (the password first, then a code)',
    async run(page, ctx) {
      await openFromUserMenu(page, ctx.email ?? '', 'Multi-factor authentication');
      await page.getByRole('button', { name: 'Set up MFA' }).click();
      const proof = page.getByRole('region', { name: 'Confirm it is you' });
      await proof.getByLabel('Current password').fill(ctx.password ?? '');
      await proof.getByRole('button', { name: 'Continue' }).click();
      const secret = ((await page.locator('code.secret').textContent({ timeout: SHORT })) ?? '').trim();
      if (!/^[A-Z2-7]{16,}$/.test(secret)) {
        throw new Error(`no base32 secret on the page (${secret})`);
      }
      await page.getByLabel('Code from the app').fill(totp(secret));
      await page.getByRole('button', { name: 'Verify and turn on MFA' }).click();
      const list = page.getByRole('list', { name: 'Recovery codes' });
      await list.waitFor({ timeout: SHORT });
      const codes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
      if (codes.length < 3) {
        throw new Error(`expected recovery codes, got ${codes.length}`);
      }
      // Sign-ins of the admin from now on (REST in deployments.mjs, the browser) take one each.
      ctx.recovery = codes.join(' ');
      await page.getByText(`MFA is on for ${ctx.email}.`).waitFor({ timeout: SHORT });
      return `MFA on; ${codes.length} recovery codes`;
    },
  },
  {
    name: 'change the password in the browser and stay signed in',
    async run(page, ctx) {
      const before = (await page.evaluate(() => window.sessionStorage.getItem('ec2m.token'))) ?? '';
      // A second session of the admin (as on another machine), to see it end.
      const other = await fetch(new URL('/api/v1/auth/login', ctx.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: ctx.email, password: ctx.password, otp: nextRecoveryCode(ctx) }),
      });
      if (!other.ok) {
        throw new Error(`a second sign-in failed: HTTP ${other.status} ${await other.text()}`);
      }
      const { token: otherToken } = await other.json();
      await openFromUserMenu(page, ctx.email ?? '', 'Change password');
      const next = `Pw-${randomBytes(9).toString('base64url')}-9a`;
      await page.getByLabel('Current password').fill(ctx.password ?? '');
      await page.getByLabel('New password', { exact: true }).fill(next);
      await page.getByLabel('New password again').fill(next);
      await page.getByRole('button', { name: 'Change password' }).click();
      const done = page.getByRole('status').filter({ hasText: 'Password changed' });
      const refused = page.getByRole('alert');
      await done.or(refused).first().waitFor({ timeout: SHORT });
      if ((await refused.count()) > 0) {
        throw new Error(`the change was refused: ${await refused.first().textContent()}`);
      }
      ctx.password = next;
      const after = (await page.evaluate(() => window.sessionStorage.getItem('ec2m.token'))) ?? '';
      if (!after || after === before) {
        throw new Error('the console did not keep a new session token');
      }
      const statuses = [await meStatus(ctx, before), await meStatus(ctx, otherToken), await meStatus(ctx, after)];
      if (statuses.join() !== '401,401,200') {
        throw new Error(`GET /api/v1/me with the old, the other and the new token: ${statuses.join(', ')}`);
      }
      // Still signed in: the next page loads (the Audit steps below need the MFA-verified session).
      await openFromNav(page, 'Instances');
      return 'the old and the other session ended; this one goes on';
    },
  },
  {
    name: 'the audit log shows the instance.stop entry',
    async run(page, ctx) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
      const table = page.getByRole('table', { name: 'Audit entries, newest first' });
      await table.waitFor({ timeout: SHORT });
      const entry = table
        .getByRole('row')
        .filter({ hasText: 'instance.stop' })
        .filter({ hasText: ctx.instance ?? '' });
      await eventually(
        `an instance.stop entry naming ${ctx.instance}`,
        async () => {
          if ((await entry.count()) > 0) {
            return true;
          }
          await page.getByRole('button', { name: 'Refresh' }).click();
          return false;
        },
        SHORT,
      );
      return (await entry.first().textContent())?.slice(0, 160);
    },
  },
  {
    name: 'the audit chain verifies',
    async run(page) {
      await page.getByRole('button', { name: 'Verify chain' }).click();
      const ok = page.getByRole('status').filter({ hasText: 'Chain intact' });
      const bad = page.getByRole('alert').filter({ hasText: 'Chain broken' });
      await ok.or(bad).first().waitFor({ timeout: SHORT });
      if ((await bad.count()) > 0) {
        throw new Error(`${await bad.first().textContent()}`);
      }
      return (await ok.first().textContent()) ?? '';
    },
  },
  {
    name: 'the environments page opens on the environment',
    skip: SKIP_ENVIRONMENTS,
    async run(page, ctx) {
      const env = ctx.env ?? 'dev';
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Environments' }).click();
      await page.evaluate((h) => {
        window.location.hash = h;
      }, `#/environments?env=${env}`);
      await page.getByRole('heading', { name: `Environment ${env}` }).waitFor({ timeout: SHORT });
      const status = page.getByRole('region', { name: 'Status' });
      const badge = status.locator('.overall .status-badge');
      await badge.or(status.getByRole('alert')).first().waitFor({ timeout: SHORT });
      if ((await badge.count()) === 0) {
        return `status not available: ${await status.getByRole('alert').first().textContent()}`;
      }
      return `status ${await badge.textContent()}`;
    },
  },
  {
    name: 'plan the environment',
    skip: SKIP_ENVIRONMENTS,
    async run(page, ctx) {
      const panel = page.getByRole('region', { name: 'Plan' });
      await panel.getByRole('button', { name: 'Plan', exact: true }).click();
      const summary = panel.locator('.plan-summary');
      const error = panel.getByRole('alert');
      await summary.or(error).first().waitFor({ timeout: LONG });
      if ((await error.count()) > 0) {
        throw new Error(`the plan failed: ${await error.first().textContent()}`);
      }
      const rows = await panel
        .getByRole('table', { name: `Plan for ${ctx.env}` })
        .getByRole('row')
        .count();
      const line = (await summary.textContent()) ?? '';
      if (rows < 2) {
        throw new Error(`a fresh environment should have something to create: ${line}`);
      }
      return line;
    },
  },
  {
    name: 'provision it and follow the change set until it succeeds',
    skip: SKIP_ENVIRONMENTS,
    async run(page, ctx) {
      const panel = page.getByRole('region', { name: 'Plan' });
      const provision = panel.getByRole('button', { name: 'Provision', exact: true });
      if ((await provision.count()) === 0) {
        throw new Error(`no Provision button after the plan: ${await panel.locator('.plan-summary').textContent()}`);
      }
      await provision.click();
      // prod asks "are you sure?" first; other environments start at once.
      const sure = page.getByRole('alertdialog', { name: `Provision ${ctx.env}?` });
      const progress = page.getByRole('region', { name: /^Progress of cs-/ });
      const failed = panel.getByRole('alert');
      await progress.or(sure).or(failed).first().waitFor({ timeout: SHORT });
      if ((await sure.count()) > 0) {
        await sure.getByRole('button', { name: `Yes, provision ${ctx.env}` }).click();
        await progress.or(failed).first().waitFor({ timeout: SHORT });
      }
      if ((await progress.count()) === 0) {
        throw new Error(`provision failed: ${await failed.first().textContent()}`);
      }
      const heading = (await progress.getByRole('heading').textContent()) ?? '';
      const id = heading.replace(/^Progress of /, '');
      ctx.changeset = id;
      const line = progress.getByRole('status');
      const seen = new Set();
      const final = await eventually(
        `${id} to finish`,
        async () => {
          const text = ((await line.textContent()) ?? '').trim();
          seen.add(text.replace(/: \d+ of \d+ steps? done\.$/, ''));
          return /^\S+ (succeeded|failed|interrupted)/.test(text) ? text : '';
        },
        LONG * 3,
      );
      const rows = await progress
        .getByRole('table', { name: `Journal of ${id}` })
        .getByRole('row')
        .count();
      const steps = Math.max(0, rows - 1); // less the head row; no table while the journal is empty
      if (!final.startsWith(`${id} succeeded`)) {
        throw new Error(`${final} (journal: ${steps} steps)`);
      }
      return `${final}; ${steps} journal steps; seen ${[...seen].join(' → ')}`;
    },
  },
  {
    name: 'the change set is in the history',
    skip: SKIP_ENVIRONMENTS,
    async run(page, ctx) {
      const table = page.getByRole('table', { name: `Change sets of ${ctx.env}, newest first` });
      const row = table
        .getByRole('row')
        .filter({ has: page.getByRole('button', { name: `Details of ${ctx.changeset}` }) });
      await eventually(
        `${ctx.changeset} listed as succeeded`,
        async () => (await row.count()) === 1 && ((await row.textContent()) ?? '').includes('succeeded'),
        SHORT,
      );
      return ((await row.textContent()) ?? '').slice(0, 160);
    },
  },
  {
    name: "the alarms page lists the environment's alarms",
    async run(page, ctx) {
      const env = ctx.env ?? 'dev';
      await openFromNav(page, 'Alarms');
      const table = page.getByRole('table', { name: 'Alarms' });
      const error = page.getByRole('alert');
      await table.or(error).first().waitFor({ timeout: SHORT });
      const row = table
        .getByRole('row')
        .filter({ has: page.getByRole('button', { name: `Details of ${ALARM} in ${env}`, exact: true }) });
      await eventually(
        `"${ALARM}" listed for ${env}`,
        async () => {
          if ((await error.count()) > 0) {
            throw new Error(`${await error.first().textContent()}`);
          }
          return (await row.count()) === 1;
        },
        SHORT,
      );
      const rows = (await table.getByRole('row').count()) - 1;
      return `${rows} alarms; ${ALARM}: ${await row.getByTestId('alarm-state').textContent()}`;
    },
  },
  {
    name: 'open a P3 incident through the form',
    async run(page, ctx) {
      const env = ctx.env ?? 'dev';
      await openFromNav(page, 'Incidents');
      const form = page.getByRole('region', { name: 'Open an incident' });
      const title = `e2e: checkout slow (${new Date().toISOString()})`;
      ctx.incidentTitle = title;
      await form.getByLabel('Severity').selectOption('P3');
      await form.getByLabel('Title').fill(title);
      await form.getByLabel('Affected environment').selectOption(env);
      await form.getByRole('button', { name: 'Open incident' }).click();
      const details = incidentDetails(page);
      await details.or(form.getByRole('alert')).first().waitFor({ timeout: SHORT });
      if ((await details.count()) === 0) {
        throw new Error(`opening failed: ${await form.getByRole('alert').first().textContent()}`);
      }
      const id = ((await details.getByRole('heading', { level: 2 }).first().textContent()) ?? '').replace(
        /^Incident /,
        '',
      );
      ctx.incident = id;
      await details.getByText(title, { exact: true }).waitFor({ timeout: SHORT });
      return `opened ${id}`;
    },
  },
  {
    name: 'the incident is listed',
    async run(page, ctx) {
      const row = page
        .getByRole('table', { name: 'Incidents' })
        .getByRole('row')
        .filter({ has: page.getByRole('button', { name: `Details of ${ctx.incident}`, exact: true }) });
      await eventually(
        `${ctx.incident} in the list`,
        async () => (await row.count()) === 1 && ((await row.textContent()) ?? '').includes(ctx.incidentTitle ?? ''),
        SHORT,
      );
      return ((await row.textContent()) ?? '').slice(0, 160);
    },
  },
  {
    name: 'resolve the incident',
    async run(page, ctx) {
      const details = incidentDetails(page);
      await details.getByLabel('Root cause').fill('e2e: a slow query');
      await details.getByLabel('Resolution').fill('e2e: added the index');
      await details.getByRole('button', { name: 'Resolve incident' }).click();
      const current = details.getByRole('list', { name: 'Status' }).locator('[aria-current]');
      await eventually(
        `${ctx.incident} resolved`,
        async () => {
          const alert = details.getByRole('alert');
          if ((await alert.count()) > 0) {
            throw new Error(`${await alert.first().textContent()}`);
          }
          return ((await current.textContent()) ?? '') === 'resolved';
        },
        SHORT,
      );
      const last = details
        .getByRole('list', { name: `Timeline of ${ctx.incident}` })
        .getByRole('listitem')
        .last();
      return ((await last.textContent()) ?? '').slice(0, 160);
    },
  },
  {
    name: 'the operations dashboard draws the latency chart',
    async run(page) {
      await openFromNav(page, 'Dashboards');
      await page.getByRole('tab', { name: 'Operations' }).click();
      const panel = page.getByRole('tabpanel');
      const chart = panel.getByRole('img', { name: /^Latency/ });
      const error = panel.getByRole('alert');
      await chart.or(error).first().waitFor({ timeout: SHORT });
      if ((await chart.count()) === 0) {
        throw new Error(`the dashboard failed: ${await error.first().textContent()}`);
      }
      const charts = await panel.getByRole('img').count();
      return `${await chart.getAttribute('aria-label')}; ${charts} charts`;
    },
  },
  ...deploymentSteps(),
];
