// Browser test of the charts the server draws (pactum-chart, the report's SVG) in a real
// headless Chromium.
// Usage: node charts.mjs PACTUM_BINARY TWO_LEVEL_TOML FLAT_TOML DISJOINT_TOML SCREENSHOT_DIR
// Imports the two-level flagship: the page opens on twolevel, draws one win-set chart per
// issue with sides (a band per side, each side named in the chart's accessible text), and a
// Monte Carlo run shows P(agreement) beside each histogram. Imports a two-level game whose
// win-sets cannot meet: the chart says "no agreement". Imports the flat flagship: no
// win-set card, a position map per issue with its title and description, round paths.
// Checks each page at 390 px and 1440 px wide (no sideways scrolling, charts within the
// card) and saves screenshots prefixed `chart-`. Exits non-zero on any failure.
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checker, importThroughPage, launch, startServer } from "./common.mjs";

const [binary, twoLevel, flat, disjoint, shots] = process.argv.slice(2);
if (!binary || !twoLevel || !flat || !disjoint || !shots) {
  console.error("usage: node charts.mjs PACTUM_BINARY TWO_LEVEL_TOML FLAT_TOML DISJOINT_TOML SCREENSHOT_DIR");
  process.exit(2);
}
const tally = checker();
const check = tally.check;

// Imports a file through the library page and waits for the charts of the live preview.
async function importFile(page, base, path) {
  await importThroughPage(page, base, path);
  await page.waitForURL(/\/scenarios\/\d+$/, { timeout: 10000 });
  await page.waitForSelector('[data-test^="forecast-"]', { timeout: 60000 });
  await page.waitForSelector("#chart-map svg.chart", { timeout: 60000 });
}

// The scenario shown, as the API gives it.
async function shownScenario(page) {
  return page.evaluate(async () => {
    const id = location.pathname.match(/^\/scenarios\/(\d+)/)[1];
    const r = await fetch(`/api/scenarios/${id}/versions/latest`);
    return (await r.json()).scenario;
  });
}

// Every served chart in `selector`: its accessible name and description, its text labels.
async function chartsIn(page, selector) {
  return page.$$eval(`${selector} svg.chart`, (svgs) => svgs.map((s) => {
    const ids = (s.getAttribute("aria-labelledby") || "").split(" ");
    const byId = (id) => { const n = id && s.querySelector(`[id="${id}"]`); return n ? n.textContent : ""; };
    return {
      role: s.getAttribute("role"),
      title: byId(ids[0]),
      desc: byId(ids[1]),
      labels: [...s.querySelectorAll(":scope > text")].map((t) => t.textContent),
      bands: [...s.querySelectorAll("rect > title")].map((t) => t.textContent),
      width: s.getBoundingClientRect().width,
    };
  }));
}

// At 390 px and 1440 px: the page does not scroll sideways, every chart stays inside its
// card (a narrow screen scrolls the chart's own box) and its labels stay readable.
async function checkWidths(page, name) {
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    const fit = await page.evaluate(() => {
      const doc = document.documentElement;
      const over = [...document.querySelectorAll(".chart-box")].filter((s) => {
        const card = s.closest(".card");
        return card && s.getBoundingClientRect().right > card.getBoundingClientRect().right + 1;
      }).length;
      const charts = [...document.querySelectorAll("svg.chart")].map((s) => s.getBoundingClientRect().width);
      return { scroll: doc.scrollWidth, inner: window.innerWidth, over, narrowest: Math.min(...charts) };
    });
    check(fit.scroll <= fit.inner + 1 && fit.over === 0,
      `${name} at ${width} px: no sideways scrolling (${fit.scroll} <= ${fit.inner}), ${fit.over} charts past their card`);
    // 11-unit labels in a 640-unit view box: at least 10 px on screen.
    const label = (11 * fit.narrowest) / 640;
    check(label >= 9.9, `${name} at ${width} px: chart labels stay readable (${label.toFixed(1)} px; narrowest chart ${fit.narrowest.toFixed(0)} px)`);
  }
  await page.setViewportSize({ width: 1360, height: 900 });
}

async function twoLevelFlagship(page, base) {
  await importFile(page, base, twoLevel);
  check(await page.inputValue("#model-select") === "twolevel", "a scenario with sides opens on the twolevel model");
  await page.waitForSelector("#twolevel-card:not(.hidden) #chart-twolevel svg.chart", { timeout: 30000 });
  const s = await shownScenario(page);
  const sides = s.sides.map((x) => x.id);
  check(sides.length >= 2, `the two-level flagship has sides (${sides.join(", ")})`);
  const charts = await chartsIn(page, "#chart-twolevel");
  check(charts.length >= 3, `win-set charts drawn for the issues with sides (${charts.length})`);
  for (const c of charts) {
    check(c.role === "img" && /^Two levels \(twolevel\)/.test(c.title), `win-set chart has role img and a title (${c.title})`);
    const named = c.labels.filter((l) => sides.some((id) => l.startsWith(`${id} (`)));
    const described = sides.filter((id) => c.desc.includes(`${id} (`));
    check(named.length >= 2 && described.length === named.length,
      `${c.title}: each side drawn is labelled and named in the description (${named.join("; ")})`);
    check(c.bands.some((b) => /win-set|no ratification/.test(b)) || /empty win-set/.test(c.desc),
      `${c.title}: win-sets drawn as bands (${c.bands.length})`);
  }
  await page.locator("#twolevel-card").screenshot({ path: join(shots, "chart-winsets.png") });
  await checkWidths(page, "two-level flagship");
  await page.setViewportSize({ width: 390, height: 900 });
  await page.locator("#twolevel-card").screenshot({ path: join(shots, "chart-winsets-390.png") });
  await page.setViewportSize({ width: 1360, height: 900 });

  // Monte Carlo of twolevel: P(agreement) beside each histogram of an issue with sides.
  await page.click("#mc-button");
  await page.waitForSelector("#mc-result .histogram svg.chart", { timeout: 120000 });
  const hists = await page.$$eval("#mc-result .histogram svg.chart", (h) => h.length);
  check(hists === s.issues.length, `Monte Carlo: one histogram per issue (${hists} of ${s.issues.length})`);
  const ps = await page.$$eval('[data-test^="mc-p_agreement-"]', (els) => els.map((e) => Number(e.querySelector("b").textContent)));
  check(ps.length >= 1 && ps.every((p) => p >= 0 && p <= 1), `Monte Carlo: P(agreement) shown beside the histograms (${ps.join(", ")})`);
  const beside = await page.$eval('[data-test^="mc-p_agreement-"]', (e) => {
    const h = e.parentElement.querySelector(".histogram");
    return !!h && e.parentElement.classList.contains("mc-row");
  });
  check(beside, "P(agreement) sits in the histogram's row");
  await page.locator("#mc-card").screenshot({ path: join(shots, "chart-montecarlo-twolevel.png") });
}

async function noAgreement(page, base) {
  await importFile(page, base, disjoint);
  await page.waitForSelector("#chart-twolevel svg.chart", { timeout: 30000 });
  const [c] = await chartsIn(page, "#chart-twolevel");
  check(c && c.labels.includes("no agreement") && /no agreement/.test(c.desc),
    `win-sets apart: the chart states "no agreement" (${c ? c.desc : "no chart"})`);
  await page.locator("#twolevel-card").screenshot({ path: join(shots, "chart-no-agreement.png") });
}

async function flatFlagship(page, base) {
  await importFile(page, base, flat);
  const s = await shownScenario(page);
  check((s.sides || []).length === 0, "the flat flagship has no sides");
  check(await page.isHidden("#twolevel-card"), "no win-set card on a flat scenario");
  const models = await page.$$eval("#forecast-table table.forecasts:first-of-type tbody td:first-child", (t) => t.map((x) => x.textContent));
  check(!models.includes("twolevel"), `"every model" leaves twolevel out on a flat scenario (${models.join(", ")})`);
  const maps = await chartsIn(page, "#chart-map");
  check(maps.length === s.issues.length, `a position map per issue (${maps.length} of ${s.issues.length})`);
  check(maps.every((m) => m.role === "img" && m.title.startsWith("Positions and forecasts") && /Dot plot of \d+ actors/.test(m.desc)),
    "each position map has role img, a title and a description");
  const diamonds = await page.$$eval("#chart-map svg.chart path > title", (t) => t.length);
  check(diamonds >= maps.length * models.length, `every model's forecast on the maps (${diamonds} diamonds)`);
  // A measurement, not a check (it goes to BENCHMARKS.md): edit -> table and edit -> charts.
  const table = [], drawn = [];
  const stances = await page.$$eval('input[data-path$=".salience"][data-part="mode"]', (is) => is.length);
  for (let i = 0; i < 8; i++) {
    const k = (i * 5) % stances;
    const part = (p) => page.inputValue(`input[data-path="stances[${k}].salience"][data-part="${p}"]`);
    const [lo, mode, hi] = [Number(await part("low")), Number(await part("mode")), Number(await part("high"))];
    // Cleared first: two edits timed alike must not pass for one.
    await page.$eval("#timing", (t) => t.removeAttribute("data-charts-ms"));
    await page.fill(`input[data-path="stances[${k}].salience"][data-part="mode"]`, String(mode !== lo ? lo : hi));
    await page.waitForFunction(() => document.querySelector("#timing").hasAttribute("data-charts-ms"),
      null, { timeout: 10000 });
    table.push(Number(await page.getAttribute("#timing", "data-ms")));
    drawn.push(Number(await page.getAttribute("#timing", "data-charts-ms")));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`flat flagship, ${table.length} edits: edit -> every model's forecasts in the table median ${med(table).toFixed(1)} ms ` +
    `(max ${Math.max(...table).toFixed(1)}), edit -> every chart laid out median ${med(drawn).toFixed(1)} ms (max ${Math.max(...drawn).toFixed(1)})`);
  await page.selectOption("#model-select", "bdm");
  const rounds = await chartsIn(page, "#chart-rounds");
  check(rounds.some((r) => /^Weighted median per round/.test(r.title)) && rounds.some((r) => /under bdm$/.test(r.title)),
    `round paths: the medians and bdm's actors (${rounds.map((r) => r.title).join("; ")})`);
  await page.locator(".card:has(#chart-map)").screenshot({ path: join(shots, "chart-map.png") });
  await page.locator(".card:has(#chart-rounds)").screenshot({ path: join(shots, "chart-rounds.png") });
  await checkWidths(page, "flat flagship");
  await page.setViewportSize({ width: 390, height: 900 });
  await page.locator("#chart-map .chart-box").first().screenshot({ path: join(shots, "chart-map-390.png") });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator("#chart-map .chart-box").first().screenshot({ path: join(shots, "chart-map-1440.png") });
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "pactum-e2e-charts-"));
  const { child, base } = await startServer(binary, join(work, "data"));
  const context = await launch(join(work, "profile"));
  const page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  try {
    await twoLevelFlagship(page, base);
    await noAgreement(page, base);
    await flatFlagship(page, base);
    check(pageErrors.length === 0, `no script errors on the page (${pageErrors.join("; ")})`);
  } catch (err) {
    check(false, `charts e2e stopped: ${err.stack || err}`);
  } finally {
    await context.close();
    child.kill("SIGTERM");
  }
  console.log(`e2e charts: ${tally.checks - tally.failures.length} passed, ${tally.failures.length} failed`);
  process.exit(tally.failures.length ? 1 : 0);
}

main();
