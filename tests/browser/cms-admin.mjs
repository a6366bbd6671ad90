// Logs in to the shipped Strapi's admin panel in Chromium as an editor would
// and checks that a published guide is shown as fields in the Content
// Manager: the list of the content type shows the guide, clicking it opens
// the edit view, and each expected field (found by its label, at the top
// level or inside one row of a repeatable component) holds the expected
// value. Saves a screenshot of the edit view.
//
// Usage: node cms-admin.mjs MANIFEST.json
// Environment: CMS_ADMIN_EMAIL, CMS_ADMIN_PASSWORD (never printed), CHROMIUM.
// The manifest: { "url": BASE, "contentType": UID, "title": TITLE,
//   "screenshot": PATH, "fields": [FIELD...] } where a FIELD is
//   { "label": "title", "value": "..." } or, inside a repeatable component,
//   { "component": "salaryByState", "row": "CA", "label": "medianSalary", "value": "..." }
//   (the row is the component entry whose header shows that text).
// Every request goes to BASE only; anything else is blocked and reported.
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const email = process.env.CMS_ADMIN_EMAIL;
const password = process.env.CMS_ADMIN_PASSWORD;
if (!email || !password) {
  console.log('FAIL CMS_ADMIN_EMAIL and CMS_ADMIN_PASSWORD must be set');
  process.exit(2);
}
const base = manifest.url.replace(/\/+$/, '');
const origin = new URL(base).origin;
const TIMEOUT = 30000;

const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

// An input's shown value: text inputs by their value, anything else by its text.
async function shownValue(locator) {
  return locator.evaluate((el) => ('value' in el && typeof el.value === 'string' ? el.value : el.textContent).trim());
}

// The input labelled `label` within `scope` (the page, or one component
// row): Strapi labels a field with the attribute's name (unless the view
// configuration renames it), followed by `*` when it is required, and ties
// the label to its input with `for`.
async function labelled(page, scope, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const element = scope.locator('label').filter({ hasText: new RegExp(`^\\s*${escaped}\\s*\\*?\\s*$`) }).first();
  await element.waitFor({ timeout: TIMEOUT });
  const id = await element.getAttribute('for');
  return id ? page.locator(`[id="${id}"]`) : element.locator('xpath=following::*[self::input or self::textarea][1]');
}

// The field labelled `label` in the row of the repeatable component field
// `component` whose header shows `row` (Strapi lists a repeatable component
// as an accordion of rows titled by the component's main field; a row is
// opened by clicking its header).
async function fieldInRow(page, { component, row, label }) {
  const region = page.locator('div', { has: page.locator('label', { hasText: component }) })
    .filter({ has: page.getByRole('button', { name: row, exact: true }) })
    .last();
  const header = region.getByRole('button', { name: row, exact: true }).first();
  await header.waitFor({ timeout: TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) !== 'true') {
    await header.click();
  }
  const panelId = await header.getAttribute('aria-controls');
  const panel = panelId ? page.locator(`[id="${panelId}"]`) : region;
  return labelled(page, panel, label);
}

async function field(page, spec) {
  return spec.component ? fieldInRow(page, spec) : labelled(page, page, spec.label);
}

mkdirSync(dirname(manifest.screenshot), { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const blocked = [];
const errors = [];
let page = null;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    blocked.push(url);
    return route.abort();
  });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => errors.push(String(e)));

  // Log in.
  const login = await page.goto(`${base}/admin/auth/login`, { waitUntil: 'domcontentloaded' });
  check(login && login.status() === 200, `admin panel served at ${base}/admin (${login && login.status()})`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  let loggedIn = true;
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth/'), { timeout: TIMEOUT });
  } catch {
    loggedIn = false;
  }
  check(loggedIn, 'logged in with the admin user');
  if (!loggedIn) throw new Error('login failed');

  // The Content Manager's list of the content type, then the guide itself.
  const list = `${base}/admin/content-manager/collection-types/${manifest.contentType}`;
  await page.goto(`${list}?page=1&pageSize=100`, { waitUntil: 'domcontentloaded' });
  const row = page.getByRole('row').filter({ hasText: manifest.title }).first();
  let listed = true;
  try {
    await row.waitFor({ timeout: TIMEOUT });
  } catch {
    listed = false;
  }
  check(listed, `the Content Manager lists "${manifest.title}"`);
  if (!listed) throw new Error('guide not listed');
  await row.getByText(manifest.title, { exact: true }).first().click();
  let opened = true;
  try {
    await page.waitForURL((url) => url.pathname.startsWith(`/admin/content-manager/collection-types/${manifest.contentType}/`), { timeout: TIMEOUT });
    await (await field(page, manifest.fields[0])).waitFor({ timeout: TIMEOUT });
  } catch {
    opened = false;
  }
  check(opened, `clicking "${manifest.title}" opens its edit view`);
  if (!opened) throw new Error('edit view not opened');

  for (const spec of manifest.fields) {
    const where = spec.component ? `${spec.component} row ${spec.row}: ${spec.label}` : spec.label;
    let value = null;
    try {
      const locator = await field(page, spec);
      await locator.first().waitFor({ timeout: TIMEOUT });
      value = await shownValue(locator.first());
    } catch (e) {
      value = `(not found: ${String(e).split('\n')[0]})`;
    }
    check(value === String(spec.value), `field ${where} shows ${JSON.stringify(String(spec.value))} (got ${JSON.stringify(value)})`);
  }
  // Strapi's announcement banner, closed as an editor would (when shown).
  const banner = page.getByRole('button', { name: 'Close the banner.' });
  if (await banner.isVisible().catch(() => false)) await banner.click();
  await page.screenshot({ path: manifest.screenshot });
  console.log(`screenshot: ${manifest.screenshot}`);
  await context.close();
} catch (e) {
  check(false, `stopped: ${String(e).split('\n')[0]}`);
  if (page) {
    const shot = manifest.screenshot.replace(/\.png$/, '') + '-failure.png';
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`at ${page.url()}; screenshot: ${shot}`);
  }
} finally {
  await browser.close();
}
check(errors.length === 0, `no page errors (${errors.join(' | ')})`);
check(blocked.length === 0, `no request leaves ${origin} (${blocked.join(', ')})`);
console.log(`admin checks: ${checks - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
