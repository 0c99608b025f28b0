// browser.mjs - end-to-end tests of `newsdesk serve` in Debian's Chromium
// (playwright-core, executablePath /usr/bin/chromium).  Run by
// tests/test_browser.sh:  node browser.mjs BASE_URL SCREENS_DIR AXE_JS SEEDS(0|1)
// Every page loads with no console error at desktop and phone width (a
// screenshot of each in SCREENS_DIR), links between pages work, search
// finds "friends of steel", the RUS-CHN chart has its events, axe-core
// reports no serious or critical accessibility violation.  Prints TAP.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The npm packages live in the build tree (ND_E2E_MODULES), not the repo.
const require = createRequire(process.env.ND_E2E_MODULES + '/');
const { chromium } = require('playwright-core');

const [base, screens, axePath, seedsArg] = process.argv.slice(2);
const seeds = seedsArg === '1';
const axeSource = readFileSync(axePath, 'utf8');
let n = 0, failed = 0;
const ok = (cond, name, detail) => {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else { failed++; console.log(`not ok ${n} - ${name}`); if (detail) console.log(`# ${String(detail).replace(/\n/g, '\n# ')}`); }
};

const pages = [
  ['front', '/'], ['stories', '/stories'], ['story', '/stories/1'], ['article', '/articles/1'],
  ['actors', '/actors'], ['actor', '/actors/1'], ['digest', '/digest'],
  ['search', '/search?q=' + encodeURIComponent(seeds ? '"friends of steel"' : 'strike')],
  ['relations', seeds ? '/relations?a=RUS&b=CHN' : '/relations?a=JPN&b=KOR'],
];
const widths = [['desktop', 1280, 900], ['phone', 390, 844]];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const [wname, w, h] of widths) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await ctx.newPage();
    let errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    for (const [name, path] of pages) {
      errors = [];
      const resp = await page.goto(base + path, { waitUntil: 'load' });
      ok(resp && resp.status() === 200, `${name} (${wname}) loads: ${path}`, resp && resp.status());
      ok(errors.length === 0, `${name} (${wname}): no console error`, errors.join('\n'));
      await page.screenshot({ path: `${screens}/${name}-${wname}.png`, fullPage: true });
      if (wname === 'desktop') {
        await page.evaluate(axeSource);
        const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const serious = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        ok(serious.length === 0, `${name}: axe-core, no serious violation`,
           serious.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0] && v.nodes[0].target}`).join('\n'));
      }
    }
    await ctx.close();
  }

  // Links between pages, without JavaScript too.
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(base + '/');
  await page.click('main a[href^="/stories/"]');
  ok(/\/stories\/\d+$/.test(page.url()) && (await page.locator('h1').count()) === 1, 'front -> a story (no JavaScript)', page.url());
  await page.click('main .timeline a[href^="/articles/"]');
  ok(/\/articles\/\d+$/.test(page.url()), 'story -> an article', page.url());
  const crumb = page.locator('.crumb a');
  if (await crumb.count()) {
    await crumb.first().click();
    ok(/\/stories\/\d+$/.test(page.url()), 'article -> its story', page.url());
  }
  await page.goto(base + '/actors');
  await page.click('main table a.actor');
  ok(/\/actors\//.test(page.url()) && (await page.locator('dl.facts').count()) === 1, 'actors -> an actor', page.url());

  // Search through the form.
  await page.goto(base + '/search');
  await page.fill('#q', seeds ? '"friends of steel"' : 'strike');
  await page.click('form.search button[type=submit]');
  const hits = await page.locator('.hit').allTextContents();
  ok(hits.length > 0 && (!seeds || hits.some((t) => /friends of steel/i.test(t))),
     `search form finds ${seeds ? '"friends of steel"' : 'strike'}`, hits.join(' | ').slice(0, 300));

  // The relations chart has its events.
  await page.goto(base + (seeds ? '/relations?a=RUS&b=CHN' : '/relations?a=JPN&b=KOR'));
  const bars = await page.locator('svg#relchart rect.ccoop, svg#relchart rect.cconf').count();
  const rows = await page.locator('table.events tbody tr').count();
  ok(bars > 0 && rows > 0, `relations chart: ${bars} bars, ${rows} events listed`);
  const pairQuotes = await page.locator('#pair-quotes blockquote.quote').count();
  ok(!seeds || pairQuotes > 0, `relations: ${pairQuotes} quotations between the two`);

  // Every page shows its quotes and events: the front page per story, the
  // search per hit.
  await page.goto(base + '/');
  const keyQuotes = await page.locator('.card blockquote.quote').count();
  const topEvents = await page.locator('.card ul.evlist li').count();
  ok(keyQuotes > 0 && topEvents > 0, `front page: ${keyQuotes} key quotes, ${topEvents} top events`);
  await page.goto(base + '/search?q=' + encodeURIComponent(seeds ? 'Putin' : 'strike'));
  const hitQuotes = await page.locator('.hit .hit-quotes blockquote.quote').count();
  const hitEvents = await page.locator('.hit .hit-events li').count();
  ok(hitQuotes > 0 && hitEvents > 0, `search: ${hitQuotes} quotes, ${hitEvents} events under the hits`);
  await ctx.close();
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
