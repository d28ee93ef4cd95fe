#!/usr/bin/env node
// The console's bundle budget (`make console-size`): the gzipped size of every JavaScript and CSS
// file in dist/assets, added up, against a limit. Run after `npm run build`.
//
// Budget (KiB, gzip -9): JS ≤ 150, CSS ≤ 20. React + ReactDOM alone are ~60 KiB and the console
// with its QR library ~85 KiB today; 150 KiB leaves room for the coming pages (dashboards,
// deployments) while a UI framework or a heavy chart library pulled in unnoticed fails the gate.
// 150 KiB is ~1.2 s on a 1 Mbit/s VPN link, the slowest link an on-call engineer should meet.
// Raising a limit is a reviewed change to this file (or CONSOLE_JS_BUDGET_KB for a one-off run).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const KB = 1024;
const budgets = {
  js: Number(process.env.CONSOLE_JS_BUDGET_KB ?? 150) * KB,
  css: Number(process.env.CONSOLE_CSS_BUDGET_KB ?? 20) * KB,
};

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'assets');
if (!existsSync(assets)) {
  console.error(`console-size: ${assets} does not exist; build the console first (npm run build)`);
  process.exit(2);
}

const totals = { js: 0, css: 0 };
const rows = [];
for (const name of readdirSync(assets).sort()) {
  const kind = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : null;
  if (!kind) {
    continue;
  }
  const raw = readFileSync(join(assets, name));
  const gz = gzipSync(raw, { level: 9 }).length;
  totals[kind] += gz;
  rows.push(
    `  ${name.padEnd(36)} ${(raw.length / KB).toFixed(1).padStart(8)} KiB raw ${(gz / KB).toFixed(1).padStart(7)} KiB gzip`,
  );
}
console.log(rows.join('\n'));

let failed = false;
for (const kind of ['js', 'css']) {
  const over = totals[kind] > budgets[kind];
  failed ||= over;
  console.log(
    `console-size: ${kind.toUpperCase()} ${(totals[kind] / KB).toFixed(1)} KiB gzip of ${(budgets[kind] / KB).toFixed(0)} KiB budget: ${over ? 'OVER BUDGET' : 'ok'}`,
  );
}
if (totals.js === 0) {
  console.error('console-size: no JavaScript in dist/assets; the build is broken');
  process.exit(1);
}
process.exit(failed ? 1 : 0);
