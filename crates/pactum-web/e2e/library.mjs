// End-to-end test of the library, versions, analyses and downloads in a real headless
// Chromium (Debian's).
// Usage: node library.mjs PACTUM_BINARY FLAGSHIP_TOML SCREENSHOT_DIR
// Journey: import the flagship → reload shows the version in the URL → rename → duplicate →
// edit a salience and save v3 → a save with no change is refused on the page → version
// difference on screen → restore v1 as v4 → run & record, Monte Carlo → sensitivity and
// levers on screen → download TOML, XLSX and report (TOML and XLSX re-imported and compared
// by SHA-256, the report opened in the browser) → reopen a point run and the Monte Carlo run
// as pages → delete the duplicate after its confirmation → a table that states neither its
// scale nor its salience coding imported, both guesses corrected on the page and saved.
// Screenshots prefixed `library-`.
// Exits non-zero on any failure.
import { mkdtempSync, readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { apiJson, checker, download, importThroughPage, launch, startServer } from "./common.mjs";

const [binary, flagship, shots] = process.argv.slice(2);
if (!binary || !flagship || !shots) {
  console.error("usage: node library.mjs PACTUM_BINARY FLAGSHIP_TOML SCREENSHOT_DIR");
  process.exit(2);
}
const { check, done } = checker();

async function shot(page, selector, name) {
  await page.locator(selector).screenshot({ path: join(shots, `library-${name}.png`) });
}

// Waits until #status matches `re`; on timeout fails with what the banner says instead.
async function waitStatus(page, re, timeout) {
  try {
    await page.waitForFunction((src) => new RegExp(src).test(document.querySelector("#status").textContent),
      re.source, { timeout: timeout || 10000 });
  } catch (e) {
    throw new Error(`waiting for ${re}: the page says “${await page.textContent("#status")}”`);
  }
}

const salience = 'input[data-path="stances[1].salience"][data-part="mode"]';

async function journey(page, base, work) {
  // Import: the URL names the scenario and its version; a reload shows that version.
  await importThroughPage(page, base, flagship);
  await page.waitForURL(/\/scenarios\/\d+\/versions\/1$/, { timeout: 15000 });
  await page.waitForSelector('[data-test^="forecast-compromise-"]', { timeout: 10000 });
  const id = Number(page.url().match(/scenarios\/(\d+)/)[1]);
  const title = await page.textContent("#scenario-title");
  check(await page.locator("#import-notes").count() === 0, "a first import has no notes");
  await page.reload();
  await page.waitForSelector("#versions-table tbody tr", { timeout: 10000 });
  check(page.url().endsWith(`/scenarios/${id}/versions/1`), `the URL names the version after a reload (${page.url()})`);

  // The same file again: the page says it is already in the library.
  await importThroughPage(page, base, flagship);
  await page.waitForSelector("#import-notes", { timeout: 15000 });
  const notes = await page.textContent("#import-notes");
  check(/already in the library/.test(notes) && notes.includes(`scenario ${id} version 1`), `a second import of the same file is flagged (${notes.slice(0, 120)}…)`);
  await shot(page, "#import-notes", "import-twice");
  const twice = Number(page.url().match(/scenarios\/(\d+)/)[1]);

  // Rename and duplicate from the library list.
  await page.goto(`${base}/`);
  const row = (sid) => `#scenario-list .row-actions[data-id="${sid}"]`;
  await page.waitForSelector(row(id));
  await page.click(`${row(id)} [data-action="rename"]`);
  const newTitle = `${title} (analyst's copy)`;
  await page.fill(`${row(id)} .rename-input`, "   ");
  await page.click(`${row(id)} [data-action="rename-save"]`);
  await page.waitForFunction((s) => document.querySelector(s) && /empty/.test(document.querySelector(s).textContent),
    `${row(id)} [role="alert"]`, { timeout: 5000 });
  check(true, "an empty name is refused beside the field");
  await page.fill(`${row(id)} .rename-input`, newTitle);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#import-status.ok", { timeout: 10000 });
  check((await page.textContent("#import-status")).startsWith("Renamed to"), "rename is confirmed");
  const titles = await page.$$eval("#scenario-list tbody tr td:first-child a", (a) => a.map((x) => x.textContent));
  check(titles.includes(newTitle), `the library shows the new name (${titles.join(" | ")})`);
  await page.click(`${row(id)} [data-action="duplicate"]`);
  await page.waitForFunction((t) => [...document.querySelectorAll("#scenario-list tbody tr td:first-child a")]
    .some((a) => a.textContent === `${t} (copy)`), newTitle, { timeout: 10000 });
  check(true, "duplicate adds “… (copy)” to the library");
  await page.screenshot({ path: join(shots, "library-list.png") });

  // Edit a value and save: version 3 (version 2 is the rename).
  await page.goto(`${base}/scenarios/${id}`);
  await page.waitForSelector(salience, { timeout: 10000 });
  check(page.url().endsWith(`/scenarios/${id}/versions/2`), `the scenario opens at its latest version (${page.url()})`);
  // A new mode inside the stance's own range (a point stance moves freely).
  const part = async (p) => page.inputValue(salience.replace('"mode"', `"${p}"`));
  const [lo, mode, hi] = [await part("low"), await page.inputValue(salience), await part("high")];
  const m = Number(mode);
  let newSal = m > 0.5 ? 0.2 : 0.9;
  if (lo !== "" && hi !== "") newSal = Number(lo) < m ? (Number(lo) + m) / 2 : (m + Number(hi)) / 2;
  newSal = String(Math.round(newSal * 1000) / 1000);
  await page.fill(salience, newSal);
  await page.waitForSelector("#dirty.dirty", { timeout: 5000 });
  await page.fill("#save-note", "salience of the second stance");
  await page.click("#save-button");
  await waitStatus(page, /Saved as version 3/);
  check(page.url().endsWith(`/scenarios/${id}/versions/3`), `saving moves the URL to v3 (${page.url()})`);
  await page.click("#save-button");
  await waitStatus(page, /nothing changed/);
  check(true, "a save without a change is refused and the page says so");
  const versions = await page.$$eval("#versions-table tbody tr", (r) => r.length);
  check(versions === 3, `three versions listed (${versions})`);

  // The difference between v2 and v3: exactly the one salience, and how the models moved.
  await page.selectOption("#diff-from", "2");
  await page.selectOption("#diff-to", "3");
  await page.click("#diff-button");
  await page.waitForSelector("#diff-changes tbody tr", { timeout: 20000 });
  const changes = await page.$$eval("#diff-changes tbody tr", (r) => r.map((x) => [x.dataset.what, x.textContent]));
  check(changes.length === 1 && changes[0][0] === "stance" && changes[0][1].includes("salience")
    && changes[0][1].includes(`→ ${Number(newSal)}`), `the difference lists exactly the edited salience (${JSON.stringify(changes)})`);
  const moves = await page.$$eval("#diff-forecasts tbody tr", (r) => r.length);
  check(moves > 3, `every model's forecast move is listed (${moves} rows)`);
  await shot(page, "#versions-card", "versions");

  // Restore v1 as v4: the original title comes back.
  await page.click('[data-action="restore"][data-version="1"]');
  await page.waitForURL(new RegExp(`/scenarios/${id}/versions/4$`), { timeout: 10000 });
  await page.waitForSelector("#versions-table tbody tr");
  check((await page.textContent("#scenario-title")) === title, "restoring v1 brings back its title");
  const v1 = await apiJson(base, "GET", `/api/scenarios/${id}/versions/1`);
  const v4 = await apiJson(base, "GET", `/api/scenarios/${id}/versions/4`);
  check(v1.data.sha256 === v4.data.sha256, "v4 has v1's SHA-256");

  // A recorded point run and a Monte Carlo run.
  await page.selectOption("#model-select", "bdm");
  await page.click("#run-button");
  await waitStatus(page, /Run #\d+ recorded/, 15000);
  await page.click("#mc-button");
  await page.waitForSelector("#mc-result .histogram svg", { timeout: 60000 }).catch(() => {});
  const drawn = await page.$$eval("#mc-result .histogram svg", (h) => h.length);
  check(drawn > 0, `Monte Carlo draws its histograms (${drawn})`);

  // Sensitivity and levers on the page.
  await page.selectOption("#analysis-model", "bdm");
  await page.click("#levers-button");
  await page.waitForSelector("table.levers tbody tr", { timeout: 60000 });
  const levers = await page.$$eval("table.levers tbody tr", (r) => r.length);
  check(levers > 0, `levers are shown as a table (${levers} rows)`);
  await shot(page, "#analysis-card", "levers");
  await page.click("#sensitivity-button");
  await page.waitForSelector("table.sensitivity tbody tr", { timeout: 120000 });
  const swings = await page.$$eval("table.sensitivity tbody tr", (r) => r.length);
  check(swings > 0, `sensitivity is shown as a table with bars (${swings} rows)`);
  await shot(page, "#analysis-card", "sensitivity");

  // Downloads: TOML and XLSX re-imported (same SHA-256 as v4), the report opened.
  await shot(page, "#downloads-card", "downloads");
  const dl = join(work, "downloads");
  mkdirSync(dl, { recursive: true });
  const toml = await download(page, "#download-toml", dl);
  const tomlBack = await apiJson(base, "POST", `/api/scenarios?filename=${toml.name}`, toml.bytes, "application/octet-stream");
  check(tomlBack.status === 201 && tomlBack.data.created[0].sha256 === v4.data.sha256, `the TOML download re-imports to the same scenario (${toml.name})`);
  const xlsx = await download(page, "#download-xlsx", dl);
  const xlsxBack = await apiJson(base, "POST", `/api/scenarios?filename=${xlsx.name}`, xlsx.bytes, "application/octet-stream");
  check(xlsx.name.endsWith("-v4.xlsx") && xlsxBack.status === 201 && xlsxBack.data.format === "xlsx"
    && xlsxBack.data.created[0].sha256 === v4.data.sha256, `the XLSX download re-imports to the same scenario (${xlsx.name})`);
  // The same workbook through the page's own file input, as an analyst would choose it
  // (in a second tab; this one stays on v4).
  const tab = await page.context().newPage();
  await tab.goto(`${base}/`);
  const accept = await tab.getAttribute("#import-file", "accept");
  await tab.setInputFiles("#import-file", xlsx.path);
  await tab.click("#import-button");
  await tab.waitForURL(/\/scenarios\/\d+\/versions\/1$/, { timeout: 15000 });
  await tab.waitForSelector('[data-test^="forecast-compromise-"]', { timeout: 10000 });
  check(/\.xlsx\b/.test(accept) && /\.ods\b/.test(accept) && (await tab.getAttribute("#sha", "title")) === v4.data.sha256,
    `the workbook imports through the page's file input (accept “${accept}”) to the same scenario`);
  await tab.close();
  const f1 = await apiJson(base, "POST", "/api/forecast", JSON.stringify({ scenario: v4.data.scenario }));
  const f2 = await apiJson(base, "POST", "/api/forecast", JSON.stringify({ scenario_id: xlsxBack.data.created[0].scenario_id }));
  check(JSON.stringify(f1.data) === JSON.stringify(f2.data), "the re-imported workbook gives the same forecasts");
  const report = await download(page, "#download-report", dl);
  const html = report.bytes.toString("utf8");
  check(report.name.endsWith("-v4.html") && html.toLowerCase().startsWith("<!doctype html") && html.includes(title.replace(/&/g, "&amp;")),
    `the report download is HTML naming the scenario (${report.name})`);
  const csv = await download(page, "#download-csv", dl);
  check(csv.bytes.toString("utf8").startsWith("model,issue,forecast,mean"), `the results download as CSV (${csv.name})`);
  const reportPage = await page.context().newPage();
  await reportPage.goto(`file://${report.path}`);
  const h1 = await reportPage.textContent("h1");
  check(h1.includes(title), `the report opens in the browser with the scenario's title (${h1.trim()})`);
  await reportPage.close();

  // A recorded run reopens as a page: the point run's forecasts, the Monte Carlo histograms.
  await page.goto(`${base}/scenarios/${id}`);
  await page.waitForSelector("#runs #runs-table tbody tr", { timeout: 10000 });
  const runLinks = await page.$$eval("#runs #runs-table tbody tr", (rows) => rows.map((r) => [r.querySelector("a").getAttribute("href"), r.textContent]));
  const mcRun = runLinks.find((r) => /Monte Carlo/.test(r[1]));
  const pointRun = runLinks.find((r) => !/Monte Carlo/.test(r[1]));
  check(!!mcRun && !!pointRun && /^\/runs\/\d+$/.test(mcRun[0]), `the runs table links to run pages (${runLinks.map((r) => r[0]).join(", ")})`);
  await page.click(`#runs a[href="${pointRun[0]}"]`);
  await page.waitForSelector("#run-forecasts tbody tr", { timeout: 10000 });
  const cells = await page.$$eval('#run-forecasts [data-test^="run-forecast-"]', (c) => c.map((x) => x.textContent));
  check(cells.length > 1 && cells.every((t) => /\d/.test(t)), `a point run reopens with its forecasts (${cells.join(", ")})`);
  await page.goto(`${base}${mcRun[0]}`);
  await page.waitForSelector("#run-result .histogram svg", { timeout: 10000 });
  const hists = await page.$$eval("#run-result .histogram svg", (h) => h.length);
  check(hists > 1, `a Monte Carlo run reopens with its histograms (${hists})`);
  check(!(await page.textContent("body")).includes('"issues"'), "the run page is not raw JSON");
  await page.screenshot({ path: join(shots, "library-run.png"), fullPage: false });

  // Delete the duplicate: the confirmation says what goes.
  await page.goto(`${base}/`);
  const copyId = (await apiJson(base, "GET", "/api/scenarios")).data.scenarios.find((s) => s.title.endsWith("(copy)")).id;
  await page.waitForSelector(row(copyId));
  await page.click(`${row(copyId)} [data-action="delete"]`);
  await page.waitForSelector("#confirm-text");
  const confirm = await page.textContent("#confirm-text");
  check(/1 version and 0 recorded runs/.test(confirm), `the confirmation says what goes (${confirm})`);
  await page.screenshot({ path: join(shots, "library-delete.png") });
  await page.click("#keep-scenario");
  check(await page.locator(row(copyId)).count() === 1, "“Keep it” keeps the scenario");
  await page.click(`${row(copyId)} [data-action="delete"]`);
  await page.click("#confirm-delete-button");
  await page.waitForFunction(() => /^Deleted/.test(document.querySelector("#import-status").textContent), null, { timeout: 10000 });
  const left = (await apiJson(base, "GET", "/api/scenarios")).data.scenarios.map((s) => s.id);
  check(!left.includes(copyId) && left.includes(id) && left.includes(twice), `the duplicate is gone, the others stay (${left.join(", ")})`);
  const gone = await apiJson(base, "GET", `/api/scenarios/${copyId}`);
  check(gone.status === 404, "the deleted scenario answers 404");
}

// A table that says neither its scale nor how its saliences are coded: the reader guesses
// both, and the scenario page offers to correct each guess before a version is saved.
async function guessedImport(page, base, work) {
  const file = join(work, "guessed.csv");
  writeFileSync(file, "actor,capability,position,salience\nAlpha,1,4,0.8\nBeta,2,10,0.5\nGamma,1,7,0.3\n");
  await importThroughPage(page, base, file);
  await page.waitForSelector("#import-notes", { timeout: 15000 });
  const id = Number(page.url().match(/scenarios\/(\d+)/)[1]);
  const notes = await page.textContent("#import-notes");
  check(/scale \[4, 10\]/.test(notes) && /salience read as 0-1/.test(notes),
    `the import says what the reader guessed (${notes.slice(0, 160)}…)`);
  await shot(page, "#import-notes", "import-guesses");
  // The correction forms fit a 390 px screen: the page does not scroll sideways.
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(sw <= cw, `at 390 px the import box and its forms fit (${sw} px wide in ${cw})`);
  await page.setViewportSize(wide);
  const scaleNote = () => page.textContent('.issue-block .scale-note');

  // A scale that leaves a position outside is refused beside the form, nothing changes.
  await page.fill("#fix-scale-lo-guessed", "5");
  await page.fill("#fix-scale-hi-guessed", "20");
  await page.click("#fix-scale-guessed");
  const why = await page.textContent('[data-fix="scale-guessed"] [role="alert"]');
  check(/1 position lies outside 5–20 \(Alpha\)/.test(why) && /Scale 4–10/.test(await scaleNote()) && !(await page.isVisible("#dirty")),
    `a scale that leaves Alpha outside is refused in place (${why})`);
  await page.fill("#fix-scale-lo-guessed", "0");
  await page.fill("#fix-scale-unit-guessed", "years");
  await page.click("#fix-scale-guessed");
  await page.waitForFunction(() => /Scale 0–20 years/.test(document.querySelector(".issue-block .scale-note").textContent), null, { timeout: 5000 });
  check(await page.isVisible("#dirty") && /Save a version/.test(await page.textContent("#status")),
    "the corrected scale is on the page as an unsaved edit");

  // The other salience reading, then back, then again: each click applies it to every stance.
  const sal = 'input[data-path="stances[0].salience"][data-part="mode"]';
  await page.click("#fix-salience");
  const divided = await page.inputValue(sal);
  await page.click("#fix-salience");
  const back = await page.inputValue(sal);
  await page.click("#fix-salience");
  check(divided === "0.008" && back === "0.8" && await page.inputValue(sal) === "0.008",
    `“read as 0–100” divides every salience by 100 and can be undone (${divided}, ${back})`);
  await page.waitForFunction(() => document.querySelector("#timing").textContent.startsWith("updated"), null, { timeout: 5000 });

  await page.fill("#save-note", "scale and saliences corrected after import");
  await page.click("#save-button");
  await waitStatus(page, /Saved as version 2/);
  const v2 = (await apiJson(base, "GET", `/api/scenarios/${id}/versions/2`)).data.scenario;
  const issue = v2.issues[0];
  const sal2 = v2.stances.map((st) => st.salience);
  check(issue.scale.lo === 0 && issue.scale.hi === 20 && issue.scale.unit === "years" && JSON.stringify(sal2) === "[0.008,0.005,0.003]",
    `version 2 holds the corrections (scale ${issue.scale.lo}–${issue.scale.hi} ${issue.scale.unit}, saliences ${JSON.stringify(sal2)})`);
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "pactum-e2e-library-"));
  const { child, base } = await startServer(binary, join(work, "data"));
  const context = await launch(join(work, "profile"), { acceptDownloads: true });
  const page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", async (d) => { pageErrors.push(`unexpected dialog: ${d.message()}`); await d.dismiss(); });
  try {
    await journey(page, base, work);
    await guessedImport(page, base, work);
    check(pageErrors.length === 0, `no script errors on the page (${pageErrors.join("; ")})`);
  } finally {
    await context.close();
    child.kill("SIGTERM");
  }
  done(`e2e library (${basename(flagship)})`);
}

main().catch((e) => {
  console.error(`e2e library: ${e.stack || e}`);
  process.exit(1);
});
