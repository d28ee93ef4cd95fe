// @ts-check
// The console's end-to-end scenario, run by e2e/run.mjs in Debian's chromium against a real
// `ec2m serve`: sign in → the demo instances are listed → stop one → it becomes stopped → the
// audit log has its instance.stop entry and the chain verifies. Selectors are roles and labels,
// as a person (or a screen reader) finds things; data-testid only for the state cell.

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const SHORT = 15_000;
const LONG = 60_000;

/**
 * Polls `probe` until it returns a truthy value, or fails after `ms` with `what`.
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} probe
 * @param {number} ms
 * @returns {Promise<T>}
 */
async function eventually(what, probe, ms) {
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

/**
 * @typedef {{ name: string, run: (page: Page, ctx: Record<string, string>) => Promise<string | void> }} Step
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
];
