// End-to-end test of the pactum page in a real headless Chromium (Debian's).
// Usage: node e2e.mjs PACTUM_BINARY FIXTURE_TOML SCREENSHOT_DIR
// Starts `pactum serve` on 127.0.0.1 with a fresh library, imports the fixture, edits a
// salience, checks the forecast on the page changes (and how fast), runs and records a
// model, checks an error is shown in place, checks a hostile actor name renders as text,
// and saves screenshots. Exits non-zero on any failure.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const [binary, fixture, shots] = process.argv.slice(2);
if (!binary || !fixture || !shots) {
  console.error("usage: node e2e.mjs PACTUM_BINARY FIXTURE_TOML SCREENSHOT_DIR");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

function startServer(dataDir) {
  const child = spawn(binary, ["serve", "--bind", "127.0.0.1:0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start in 20 s")), 20000);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const m = line.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/);
      if (m) { clearTimeout(timer); resolve({ child, base: m[1] }); }
    });
  });
}

async function importFile(page, base, path) {
  await page.goto(`${base}/`);
  await page.setInputFiles("#import-file", path);
  await page.click("#import-button");
  await page.waitForURL(/\/scenarios\/\d+$/, { timeout: 10000 });
  await page.waitForSelector('[data-test="forecast-compromise-tariff"]', { timeout: 10000 });
}

const forecastCell = '[data-test="forecast-compromise-tariff"]';
const salienceB = 'input[data-path="stances[1].salience"][data-part="mode"]';

async function editAndTime(page, value) {
  const before = await page.textContent(forecastCell);
  const t0 = Date.now();
  await page.fill(salienceB, String(value));
  await page.waitForFunction(
    ([sel, old]) => document.querySelector(sel) && document.querySelector(sel).textContent !== old,
    [forecastCell, before], { timeout: 5000 });
  const wall = Date.now() - t0;
  const pageMs = Number(await page.getAttribute("#timing", "data-ms"));
  return { before, after: await page.textContent(forecastCell), pageMs, wall };
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "pactum-e2e-"));
  const { child, base } = await startServer(join(work, "data"));
  const context = await chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] || (await context.newPage());
  const dialogs = [];
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  try {
    // Import, then edit a salience: the forecast on the page must change.
    await importFile(page, base, fixture);
    check(/\/scenarios\/\d+$/.test(page.url()), "import opens the scenario page");
    const first = await editAndTime(page, 0.1);
    check(first.after !== first.before, `compromise forecast changed after the edit (${first.before} -> ${first.after})`);
    // Timing of the live preview over several edits (page-measured: input event to redraw).
    const times = [first.pageMs];
    for (const v of [0.2, 0.3, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.1]) {
      const r = await editAndTime(page, v);
      times.push(r.pageMs);
    }
    times.sort((a, b) => a - b);
    const max = times[times.length - 1];
    const p90 = times[Math.ceil(0.9 * times.length) - 1];
    console.log(`edit -> forecasts of every model on screen (input event to redraw, measured in the page): ` +
      `median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${times.length} edits`);
    // The budget is 100 ms; on a 2-core machine shared with builds one edit in ten may be
    // delayed by the scheduler, so the 9th of 10 is checked, and the maximum is printed.
    check(p90 < 100, `9 of 10 edits redrew every model's forecast in under 100 ms (p90 ${p90.toFixed(1)} ms)`);
    const models = await page.$$eval('#forecast-table table.forecasts tbody tr', (rows) => rows.length);
    check(models >= 5, `the forecast table lists every model (${models} rows)`);
    const svgs = await page.$$eval("#chart-map svg, #chart-models svg, #chart-rounds svg", (s) => s.length);
    check(svgs === 3, `three charts drawn (${svgs})`);
    check(await page.isVisible("#dirty"), "unsaved edits are flagged");

    // Run & record: saves the edit as version 2, then records the run.
    await page.click("#run-button");
    await page.waitForSelector("#runs-table tbody tr", { timeout: 10000 });
    const status = await page.textContent("#status");
    check(/Run #\d+ recorded: compromise on v2/.test(status), `run recorded on the saved version (${status})`);
    const after = await page.textContent(forecastCell);
    check(after === first.after, `the recorded run shows the edited forecast (${after})`);
    const sha = await page.getAttribute("#sha", "title");
    const runSha = await page.getAttribute("#runs-table tbody tr td.mono", "title");
    check(sha && sha === runSha, "the run cites the version's SHA-256");
    await page.screenshot({ path: join(shots, "scenario.png") });
    await page.screenshot({ path: join(shots, "scenario-full.png"), fullPage: true });

    // A bad value: the error is shown in place and nothing is redrawn from it.
    await page.fill(salienceB, "1.5");
    await page.waitForSelector("#status.error", { timeout: 5000 });
    const err = await page.textContent("#status");
    check(/stances\[1\]\.salience/.test(err) && /outside/.test(err), `a bad salience is reported with its place (${err})`);
    check(await page.$eval(salienceB, (i) => i.classList.contains("invalid")), "the bad cell is marked");
    await page.locator("#status").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "scenario-error.png") });
    await page.fill(salienceB, "0.1");
    await page.waitForSelector("#status.error", { state: "detached", timeout: 5000 }).catch(() => {});

    // A hostile actor name renders as text, never as markup.
    const evil = readFileSync(fixture, "utf8")
      .replace('name = "Alpha"', 'name = "<script>alert(1)</script><img src=x onerror=alert(2)>"')
      .replace('title = "A small test case"', 'title = "Hostile names <b>rendering</b> test"');
    const evilPath = join(work, "evil.toml");
    writeFileSync(evilPath, evil);
    await importFile(page, base, evilPath);
    const text = await page.textContent("#actors-table");
    const names = await page.$$eval("#actors-table input[data-path$='.name']", (is) => is.map((i) => i.value));
    const inMap = await page.textContent("#chart-map");
    check(names.includes("<script>alert(1)</script><img src=x onerror=alert(2)>") || text.includes("<script>"), "the hostile name is shown literally in the actor table");
    check(inMap.includes("<script>alert(1)</script>"), "the hostile name is shown literally in the position map");
    const scripts = await page.$$eval("script", (s) => s.length);
    const imgs = await page.$$eval("img", (s) => s.length);
    check(scripts === 1 && imgs === 0, `no markup was injected (${scripts} script, ${imgs} img elements)`);
    check(dialogs.length === 0, `no dialog opened (${dialogs.join(", ")})`);

    // The library page lists both scenarios and the run.
    await page.goto(`${base}/`);
    await page.waitForSelector("#scenario-list tbody tr");
    const rows = await page.$$eval("#scenario-list tbody tr", (r) => r.length);
    check(rows === 2, `the library lists the two imported scenarios (${rows})`);
    await page.waitForSelector("#runs-table tbody tr");
    await page.screenshot({ path: join(shots, "library.png") });
    check(pageErrors.length === 0, `no script errors on the page (${pageErrors.join("; ")})`);
  } finally {
    await context.close();
    child.kill("SIGTERM");
  }
  console.log(`e2e: ${checks - failures.length} passed, ${failures.length} failed`);
  if (failures.length) process.exit(1);
}

main().catch((e) => {
  console.error(`e2e: ${e.stack || e}`);
  process.exit(1);
});
