// Loads guidepress preview pages in Chromium and checks what a reader gets:
// no console errors, no request other than the page itself, no horizontal
// overflow at 390 px and 1280 px, every section heading visible, one chart
// mark per state, figures formatted as the page prints them, no serious or
// critical axe-core violations, and (on annotated pages) a finding's message
// shown when its marker gets keyboard focus. Screenshots at both widths.
//
// Usage: node check-pages.mjs MANIFEST.json
// The manifest: { "screenshots": DIR, "pages": [{ "dir": DIR, "file": NAME,
//   "states": N, "annotated": BOOL }] }.
import { readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, extname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const WIDTHS = [390, 1280];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Each page is served from its folder on 127.0.0.1, as a static host would.
function serve(dir) {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const path = resolve(dir, name);
    if (!path.startsWith(resolve(dir)) || extname(path) !== '.html') {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// The text a figure shows, without the markers --annotate adds after it.
function figures(page) {
  return page.$$eval('[data-figure]', (els) =>
    els.map((el) => ({
      kind: el.dataset.figure,
      text: [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim(),
    })),
  );
}

const FIGURE = {
  median: /^\$\d{1,3}(,\d{3})*$/,
  growth: /^([+-]\d+(\.\d+)?|0)%$/,
  openings: /^\d{1,3}(,\d{3})*$/,
  range: /^\$\d{1,3}(,\d{3})* - \$\d{1,3}(,\d{3})*$/,
  'total-time': /^\d+(\.\d+)?(-\d+(\.\d+)?)? (years?|months?)$/,
  'step-duration': /^\d+(\.\d+)?(-\d+(\.\d+)?)? (years?|months?)$/,
  cost: /^\$\d{1,3}(,\d{3})*$/,
};

const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) failures.push(what);
}

mkdirSync(manifest.screenshots, { recursive: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const entry of manifest.pages) {
    const server = await serve(entry.dir);
    const url = `http://127.0.0.1:${server.address().port}/${entry.file}`;
    const name = entry.file.replace(/\.html$/, '');
    for (const width of WIDTHS) {
      const where = `${entry.file} at ${width}px`;
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors = [];
      const requests = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      const response = await page.goto(url, { waitUntil: 'load' });
      check(response && response.status() === 200, `${where}: loads (${response && response.status()})`);

      check(errors.length === 0, `${where}: console errors: ${errors.join(' | ')}`);
      const others = requests.filter((r) => r !== url);
      check(others.length === 0, `${where}: requests other than the page: ${others.join(', ')}`);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(overflow <= 0, `${where}: overflows horizontally by ${overflow}px`);

      const headings = await page.$$eval('h2', (els) => els.map((el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return { text: el.textContent.trim(), visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none',
          inside: box.left >= 0 && box.right <= document.documentElement.clientWidth + 0.5 };
      }));
      check(headings.length >= 13, `${where}: ${headings.length} section headings`);
      for (const h of headings) check(h.visible && h.inside, `${where}: heading "${h.text}" visible within the page`);

      const marks = await page.$$eval('svg rect.bar', (els) => els.map((el) => el.dataset.state));
      const rows = await page.$$eval('table.states tbody tr', (els) => els.map((el) => el.dataset.state));
      check(marks.length === entry.states, `${where}: ${marks.length} chart marks for ${entry.states} states`);
      check(JSON.stringify(marks) === JSON.stringify(rows), `${where}: chart marks ${marks} match table rows ${rows}`);
      const vs = await page.$$eval('svg text.vs', (els) => els.map((el) => el.textContent.trim()));
      for (const label of vs) check(/^([+-]\d+(\.\d+)?|0)% vs national$/.test(label), `${where}: chart label "${label}"`);
      check(vs.length === entry.states, `${where}: a "vs national" label per state`);

      for (const figure of await figures(page)) {
        const pattern = FIGURE[figure.kind];
        check(pattern && pattern.test(figure.text), `${where}: ${figure.kind} figure "${figure.text}"`);
      }
      if (entry.figures) {
        const text = await page.evaluate(() => document.body.innerText);
        for (const f of entry.figures) check(text.includes(f), `${where}: shows ${f}`);
      }

      if (entry.annotated) {
        const count = await page.$$eval('.gp-marker', (els) => els.length);
        check(count > 0, `${where}: has finding markers`);
        // Keyboard: tab to the first marker; its message appears.
        let focused = false;
        for (let i = 0; i < 80 && !focused; i += 1) {
          await page.keyboard.press('Tab');
          focused = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('gp-marker'));
        }
        check(focused, `${where}: a marker takes keyboard focus`);
        if (focused) {
          const tip = await page.evaluate(() => {
            const el = document.getElementById(document.activeElement.getAttribute('aria-describedby'));
            return el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0 ? el.textContent : null;
          });
          check(tip && /GP\d{3}/.test(tip), `${where}: focused marker shows its message (${tip})`);
          await page.keyboard.press('Tab');
        }
        // Mouse: hovering the first marker shows its message.
        await page.hover('.gp-marker');
        const hovered = await page.$eval('.gp-marker', (el) => getComputedStyle(document.getElementById(el.getAttribute('aria-describedby'))).display);
        check(hovered !== 'none', `${where}: hovered marker shows its message`);
        await page.mouse.move(0, 0);
      }

      await page.addScriptTag({ content: axeSource });
      const axe = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' ') })));
      const serious = axe.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      check(serious.length === 0, `${where}: axe: ${serious.map((v) => `${v.impact} ${v.id} (${v.help}; ${v.nodes} nodes, e.g. ${v.target})`).join('; ')}`);

      await page.screenshot({ path: join(manifest.screenshots, `${name}-${width}.png`), fullPage: true });
      await context.close();
      console.log(`page ${where}: ${failures.length ? 'checked' : 'ok'}`);
    }
    server.close();
  }
} finally {
  await browser.close();
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`browser checks: ${checks - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
