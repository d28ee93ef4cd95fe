// @ts-check
// The Deployments steps of the e2e scenario, run after the others (scenario.mjs appends them;
// they sign out and leave the admin signed in again at the end).
//
// What they do, against the real `ec2m serve` that run.mjs starts:
//   1. Through the REST API, as the admin (signed in with a recovery code the scenario's MFA step
//      kept): create a deployer and an approver of E2E_DEPLOY_ENV (prod by default). When the
//      environment has cognito.mfaRequired (prod does), each enrols MFA through the API (the
//      password, then a TOTP code computed here from the secret), so that session is
//      MFA-verified; the approver keeps a recovery code to sign in with in the browser.
//   2. As the deployer: provision the environment when nothing was ever applied to it, and follow
//      the change set to `succeeded` (blue-green needs the group's instances).
//   3. As the deployer: POST /api/v1/releases (the group, new user data) and POST
//      /api/v1/deployments for E2E_DEPLOY_ENV, by default as an emergency `critical-bugfix`: it
//      needs an approver's approval, and prod's window (Sundays 02:00–06:00 Los Angeles) would
//      otherwise hold the deployment in awaiting_window after the approval. Then poll it until it is `awaiting_approval`.
//   4. In the browser: sign out, sign in as the approver (password + recovery code), open
//      Deployments, click the deployment's cell, type a comment, click Approve.
//   5. Watch the details' state badge (the page reads every 2 s) until the deployment ends;
//      anything but `succeeded` fails with the reason the page shows. The pipeline's cell then
//      says succeeded.
//   6. Sign out and sign in as the admin again (with one of the recovery codes the scenario's MFA
//      step kept).
//
// Environment:
//   E2E_DEPLOY_ENV        the environment to deploy to (default prod)
//   E2E_DEPLOY_GROUP      the instance group (default web: config/*.json have it)
//   E2E_DEPLOY_EMERGENCY  critical-bugfix (default) | data-integrity | none (security-patch
//                         needs no approval, so there would be nothing to click)
//   E2E_DEPLOY_TIMEOUT_S  how long the deployment may take once approved (default 120: run.mjs
//                         shortens the configs' stabilization and watch to 1 s and 2 s)

import { createHmac, randomBytes } from 'node:crypto';
import { LONG, SHORT, eventually, nextRecoveryCode, openFromNav } from './scenario.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('./scenario.mjs').Step} Step */
/** @typedef {Record<string, string>} Ctx */

const ENV = process.env.E2E_DEPLOY_ENV ?? 'prod';
const GROUP = process.env.E2E_DEPLOY_GROUP ?? 'web';
const EMERGENCY = (process.env.E2E_DEPLOY_EMERGENCY ?? 'critical-bugfix').replace(/^none$/, '');
const DEPLOY_MS = Number(process.env.E2E_DEPLOY_TIMEOUT_S ?? 120) * 1000;
const FINAL = ['succeeded', 'rolled_back', 'failed', 'rejected', 'aborted'];

/**
 * One REST call; resolves to the JSON answer, or fails naming the call and the server's error.
 * @param {Ctx} ctx @param {string} token @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function rest(ctx, token, method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(new URL(path, ctx.url), {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json?.error;
    throw new Error(`${method} ${path}: HTTP ${res.status} ${e ? `${e.code}: ${e.message}` : text.slice(0, 200)}`);
  }
  return json;
}

/** @param {string} s base32 (RFC 4648, no padding needed) @returns {Buffer} */
function base32(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out = [];
  let bits = 0;
  let value = 0;
  for (const c of s.toUpperCase().replace(/[=\s]/g, '')) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/**
 * The TOTP code of a base32 secret now (RFC 6238: HMAC-SHA1, 30 s, 6 digits, as src/auth/totp.hpp).
 * @param {string} secret @param {number} [ms]
 */
export function totp(secret, ms = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const h = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = (h[h.length - 1] ?? 0) & 0xf;
  return String((h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * Creates a user with `role` in ENV and signs them in; with MFA enrolled when `mfa`.
 * @param {Ctx} ctx @param {string} admin @param {string} who @param {string} role @param {boolean} mfa
 * @returns {Promise<{ email: string, password: string, token: string, recovery: string }>}
 */
async function makeUser(ctx, admin, who, role, mfa) {
  const tag = randomBytes(4).toString('hex');
  const email = `e2e-${who}-${tag}@example.com`;
  const password = `Pw-${randomBytes(9).toString('base64url')}-9a`;
  await rest(ctx, admin, 'POST', '/api/v1/users', { email, password, roles: { [ENV]: role } });
  const { token } = await rest(ctx, '', 'POST', '/api/v1/auth/login', { email, password });
  let recovery = '';
  if (mfa) {
    const { secret } = await rest(ctx, token, 'POST', '/api/v1/me/mfa/enroll', { password });
    const { recovery_codes: codes } = await rest(ctx, token, 'POST', '/api/v1/me/mfa/verify', { otp: totp(secret) });
    recovery = codes?.[0] ?? '';
  }
  return { email, password, token, recovery };
}

/**
 * Signs out of the console and in again as `email` (the code: a TOTP or recovery code, or '').
 * @param {Page} page @param {string} current @param {string} email @param {string} password @param {string} code
 */
async function signInAs(page, current, email, password, code) {
  await page.getByLabel(`User menu for ${current}`).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('One-time code (optional)').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel(`User menu for ${email}`).waitFor({ timeout: SHORT });
}

/**
 * Polls a change set until it ends; fails unless it succeeded.
 * @param {Ctx} ctx @param {string} token @param {string} id
 */
async function followChangeSet(ctx, token, id) {
  const path = `/api/v1/environments/${ENV}/changesets/${encodeURIComponent(id)}`;
  const cs = await eventually(
    `${id} to finish`,
    async () => {
      const c = await rest(ctx, token, 'GET', path);
      return c.status === 'applying' || c.status === 'planned' ? null : c;
    },
    LONG * 3,
  );
  if (cs.status !== 'succeeded') {
    throw new Error(`${id} ${cs.status}: ${cs.result}`);
  }
}

/** @param {Page} page @param {string} id */
function details(page, id) {
  return page.getByRole('region', { name: `Deployment ${id}` });
}

/**
 * The Deployments steps; see the top of this file for what they expect of the server.
 * @returns {Step[]}
 */
export function deploymentSteps() {
  return [
    {
      name: `deployments: a deployer and an approver of ${ENV} (REST)`,
      async run(_page, ctx) {
        // The admin has MFA since the scenario's MFA step: a recovery code makes this session
        // MFA-verified, which creating users needs while an environment requires MFA.
        const { token: admin } = await rest(ctx, '', 'POST', '/api/v1/auth/login', {
          email: ctx.email,
          password: ctx.password,
          otp: nextRecoveryCode(ctx),
        });
        const { items } = await rest(ctx, admin, 'GET', '/api/v1/environments');
        const env = (items ?? []).find((/** @type {{ name: string }} */ e) => e.name === ENV);
        if (!env) {
          throw new Error(`no environment ${ENV} on the server`);
        }
        const mfa = Boolean(env.mfa_required);
        const deployer = await makeUser(ctx, admin, 'deployer', 'deployer', mfa);
        const approver = await makeUser(ctx, admin, 'approver', 'approver', mfa);
        Object.assign(ctx, {
          deployerToken: deployer.token,
          approverToken: approver.token,
          approver: approver.email,
          approverPassword: approver.password,
          approverCode: approver.recovery,
        });
        return `${deployer.email}, ${approver.email}${mfa ? ' (MFA enrolled)' : ''}`;
      },
    },
    {
      name: `deployments: ${ENV} is provisioned (REST)`,
      async run(_page, ctx) {
        const token = ctx.deployerToken ?? '';
        const config = await rest(ctx, token, 'GET', `/api/v1/environments/${ENV}/config`);
        if (config.applied_change_set) {
          return `already applied by ${config.applied_change_set}`;
        }
        const applied = await rest(ctx, token, 'POST', `/api/v1/environments/${ENV}/provision`, {});
        if (applied.deployment) {
          // The two-person rule: the first apply of an environment that requires approval is
          // held until an approver other than its author approves it, and applies in a window
          // (run.mjs opens one for the e2e's copy of the environment).
          const held = applied.deployment.id;
          await rest(ctx, ctx.approverToken ?? '', 'POST', `/api/v1/deployments/${held}/approve`, {
            comment: 'e2e: first apply',
          });
          const state = await eventually(
            `${held} to apply`,
            async () => {
              const now = await rest(ctx, token, 'GET', `/api/v1/deployments/${held}`);
              if (['failed', 'rejected', 'aborted', 'rolled_back'].includes(now.state)) {
                throw new Error(`${held} ${now.state}: ${now.reason ?? ''}`);
              }
              return now.state === 'succeeded' ? now.state : '';
            },
            LONG * 3,
          );
          return `${held} approved and ${state}`;
        }
        const cs = applied.changeset;
        const id = typeof cs === 'string' ? cs : cs?.id;
        if (!id) {
          return 'nothing to provision';
        }
        await followChangeSet(ctx, token, id);
        return `${id} succeeded`;
      },
    },
    {
      name: `deployments: a release and a ${ENV} deployment awaiting approval (REST)`,
      async run(_page, ctx) {
        const token = ctx.deployerToken ?? '';
        const release = await rest(ctx, token, 'POST', '/api/v1/releases', {
          group: GROUP,
          env: ENV,
          user_data: `#!/bin/sh\necho "e2e release ${new Date().toISOString()}"\n`,
          commit: 'e2e',
          branch: 'e2e',
        });
        const body = { env: ENV, group: GROUP, release: release.id };
        const d = await rest(ctx, token, 'POST', '/api/v1/deployments', {
          ...body,
          ...(EMERGENCY ? { emergency: EMERGENCY, emergency_reason: 'e2e: CVE-0000-0000' } : {}),
        });
        const state = await eventually(
          `${d.id} to await approval`,
          async () => {
            const now = await rest(ctx, token, 'GET', `/api/v1/deployments/${d.id}`);
            if (now.state !== 'queued' && now.state !== 'awaiting_approval') {
              throw new Error(`${d.id} is ${now.state}, not awaiting_approval${now.reason ? `: ${now.reason}` : ''}`);
            }
            return now.state === 'awaiting_approval' ? now.state : '';
          },
          SHORT,
        );
        Object.assign(ctx, { release: release.id, deployment: d.id });
        return `${release.id} → ${d.id} ${state}`;
      },
    },
    {
      name: 'deployments: sign in as the approver',
      async run(page, ctx) {
        await signInAs(page, ctx.email ?? '', ctx.approver ?? '', ctx.approverPassword ?? '', ctx.approverCode ?? '');
        return ctx.approver;
      },
    },
    {
      name: 'deployments: the approver approves in the browser',
      async run(page, ctx) {
        const id = ctx.deployment ?? '';
        await openFromNav(page, 'Deployments');
        await page.getByRole('button', { name: `${id}: ${ctx.release} in ${ENV}`, exact: true }).click();
        const d = details(page, id);
        await d.getByRole('button', { name: 'Approve', exact: true }).waitFor({ timeout: SHORT });
        await d.getByLabel('Comment (required to reject)').fill('e2e: approved');
        await d.getByRole('button', { name: 'Approve', exact: true }).click();
        await eventually(
          `${id} approved`,
          async () => {
            const alert = d.getByRole('alert');
            if ((await alert.count()) > 0) {
              throw new Error(`${await alert.first().textContent()}`);
            }
            return (await d.getByRole('button', { name: 'Approve', exact: true }).count()) === 0;
          },
          SHORT,
        );
        return ((await d.getByRole('list', { name: `Approvals of ${id}` }).textContent()) ?? '').slice(0, 160);
      },
    },
    {
      name: 'deployments: the deployment reaches succeeded (live refresh)',
      async run(page, ctx) {
        const id = ctx.deployment ?? '';
        const d = details(page, id);
        const badge = d.getByTestId('deployment-state');
        const seen = new Set();
        const final = await eventually(
          `${id} to end`,
          async () => {
            const s = ((await badge.textContent()) ?? '').trim().replace(/ /g, '_');
            seen.add(s);
            return FINAL.includes(s) ? s : '';
          },
          DEPLOY_MS,
        );
        if (final !== 'succeeded') {
          const why = d.locator('.reason-alert');
          throw new Error(`${id} ${final}: ${(await why.count()) ? await why.textContent() : 'no reason shown'}`);
        }
        const cell = page.getByRole('button', { name: `${id}: ${ctx.release} in ${ENV}`, exact: true }).locator('..');
        await eventually(
          `the pipeline to show ${id} succeeded`,
          async () => (await cell.textContent())?.includes('succeeded'),
          SHORT,
        );
        return `states seen: ${[...seen].join(' → ')}`;
      },
    },
    {
      name: 'deployments: sign in as the admin again',
      async run(page, ctx) {
        await signInAs(page, ctx.approver ?? '', ctx.email ?? '', ctx.password ?? '', nextRecoveryCode(ctx));
        return ctx.email;
      },
    },
  ];
}
