// An analyst's whole authoring journey in a real headless Chromium (Debian's).
// Usage: node journey.mjs PACTUM_BINARY FLAGSHIP_TOML EMISSION_CSV SCREENSHOT_DIR
// Fresh library → New scenario (an empty title refused) → 4 actors and 2 issues typed in
// with the keyboard → a block pasted from a spreadsheet (a new actor added) → forecasts on
// screen → an invalid salience and a value outside its own range shown beside the field →
// fixed (one with the offered "widen the range") → saved as version 1 → leaving with unsaved
// edits asks first, the draft survives a reload → a second version saved → on its scenario
// page: the difference between the two versions → Monte Carlo → levers → downloads of TOML,
// XLSX (each re-imported) and the report (opened); then the emission case (10 actors, one issue) typed in from its published table. Checks every
// control has an accessible name and the page fits 390 px. Then measures keystroke → every
// model's forecasts on screen on the flagship case (a measurement, not a check).
// Screenshots are named journey-*.png. Exits non-zero on any failure.
import { mkdtempSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiJson, checker, download, launch, startServer } from "./common.mjs";

const [binary, flagship, emissionCsv, shots] = process.argv.slice(2);
if (!binary || !flagship || !emissionCsv || !shots) {
  console.error("usage: node journey.mjs PACTUM_BINARY FLAGSHIP_TOML EMISSION_CSV SCREENSHOT_DIR");
  process.exit(2);
}
const { check, done } = checker();

const cell = (actor, issue, part) =>
  `input.ed-cell[data-actor="${actor}"][data-issue="${issue}"][data-part="${part}"]`;
const fieldMsg = (actor, issue, field) =>
  `.ed-field[data-target="${actor}|${issue}|${field}"] .field-msg`;

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `journey-${name}.png`), fullPage: true });
}

// Controls with no accessible name (aria-label, a <label>, text, or title).
async function unnamedControls(page) {
  return page.evaluate(() => [...document.querySelectorAll("#app input, #app select, #app textarea, #app button")]
    .filter((c) => !(c.getAttribute("aria-label") || (c.labels && c.labels.length) || c.textContent.trim() || c.title))
    .map((c) => c.outerHTML.slice(0, 80)));
}

// Pastes `text` into `selector` as a browser paste event carrying tab-separated text.
async function paste(page, selector, text) {
  await page.focus(selector);
  await page.evaluate(([sel, t]) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", t);
    document.querySelector(sel).dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, [selector, text]);
}

async function waitForecasts(page, issues) {
  for (const i of issues) {
    await page.waitForSelector(`[data-test="ed-forecast-compromise-${i}"]`, { timeout: 10000 });
  }
}

async function journey(page, base) {
  await page.goto(`${base}/`);
  await page.waitForSelector("#new-card");
  check(/No scenarios yet/.test(await page.textContent("#library")), "the library starts empty");
  await shot(page, "1-empty-library");

  // An empty name is refused with a sentence beside the field.
  await page.click("#new-button");
  check(/needs a title/.test(await page.textContent("#new-title-msg")), "an empty title is refused with a sentence");
  await page.fill("#new-title", "Emission cuts at the summit");
  await page.fill("#new-questions", "How deep is the emission cut by 2030?\nHow much climate finance per year?");
  await page.fill("#new-frozen", "2024-11-01");
  await page.fill("#new-author", "journey test");
  await page.click("#new-button");
  await page.waitForURL(/\/scenarios\/new$/);
  await page.waitForSelector("#ed-add-actor");
  const issues = await page.$$eval(".ed-issue", (n) => n.map((x) => x.dataset.issue));
  check(issues.length === 2, `the two questions became two issues (${issues.join(", ")})`);
  check(/no actors/.test(await page.textContent("#ed-problems")), "the empty draft says it has no actors yet");
  await shot(page, "2-new-scenario");

  // Four actors typed in with the keyboard (Enter adds, focus returns to the name).
  const actors = [["European Union", "40"], ["United States", "50"], ["China", "45 50 60"], ["India", "30"]];
  for (const [name, cap] of actors) {
    await page.fill("#ed-new-actor", name);
    await page.press("#ed-new-actor", "Tab");
    await page.keyboard.type(cap);
    await page.keyboard.press("Enter");
  }
  const ids = await page.$$eval("#ed-actors-table tbody tr", (r) => r.map((x) => x.dataset.actor));
  check(ids.length === 4, `four actors typed in (${ids.join(", ")})`);
  // Issue 2 on its own scale, in its own unit.
  await page.fill(`.ed-issue[data-issue="${issues[1]}"] input[aria-label^="scale high end"]`, "200");
  await page.fill(`.ed-issue[data-issue="${issues[1]}"] input[aria-label^="unit"]`, "bn USD");
  await page.fill(`.ed-issue[data-issue="${issues[0]}"] input[aria-label^="unit"]`, "%");

  // Positions down the first column with Enter, saliences down the second.
  await page.click(cell(ids[0], issues[0], "position"));
  for (const v of ["55", "30", "20", "10"]) { await page.keyboard.type(v); await page.keyboard.press("Enter"); }
  await page.click(cell(ids[0], issues[0], "salience"));
  for (const v of ["0.9", "0.6", "0.7", "0.5"]) { await page.keyboard.type(v); await page.keyboard.press("Enter"); }
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.dataset.row);
  check(focused === "3", `Enter moves down a column, the last row keeps the focus (row ${focused})`);
  check(await page.inputValue(cell(ids[3], issues[0], "position")) === "10", "the fourth position went to the fourth actor");
  await page.click(cell(ids[1], issues[0], "position"));
  await page.keyboard.press("ArrowUp");
  const up = await page.evaluate(() => document.activeElement.dataset.actor);
  check(up === ids[0], `ArrowUp moves to the cell above (${up})`);
  // The second issue has no stances yet: no forecast, and the page says why.
  await page.waitForFunction((i) => /has 0 stance/.test(document.querySelector("#ed-problems").textContent), issues[1]);
  check(true, "an issue without stances is named in the problems");

  // A block copied from a spreadsheet, pasted into the second issue's column: a new actor.
  const block = "actor\tcapability\tposition\tsalience\nEuropean Union\t\t150\t0.8\nUnited States\t\t40\t0.5\n" +
    "China\t\t60\t0.4\nIndia\t\t180\t0.9\nSmall island states\t10\t200\t1";
  await paste(page, cell(ids[0], issues[1], "position"), block);
  await page.waitForSelector("#ed-paste-msg.ok");
  check(/1 new actor\(s\), 5 stance\(s\)/.test(await page.textContent("#ed-paste-msg")), "the pasted block added one actor and five stances");
  const bad = "actor\tposition\tsalience\nChina\tforty\t0.4";
  await paste(page, cell(ids[0], issues[1], "position"), bad);
  await page.waitForSelector("#ed-paste-msg.error");
  check(/row 2, column “position”/.test(await page.textContent("#ed-paste-msg")), "a bad pasted value names its row and column");
  check(await page.inputValue(cell(ids[2], issues[1], "position")) === "60", "a refused paste changes nothing");

  await waitForecasts(page, issues);
  await page.waitForFunction(() => document.querySelector("#ed-state").textContent === "unsaved edits");
  const fc = await page.textContent(`[data-test="ed-forecast-compromise-${issues[0]}"]`);
  check(/\d/.test(fc), `forecasts on screen (compromise ${fc})`);
  const models = await page.$$eval(`[data-test$="-${issues[0]}"]`, (n) => n.length);
  check(models >= 4, `every model's forecast shown (${models})`);
  await shot(page, "3-forecasts");
  check((await unnamedControls(page)).length === 0, `every control has an accessible name ${JSON.stringify(await unnamedControls(page))}`);

  // An invalid salience, and one whose most likely value is outside its own range.
  await page.fill(cell(ids[1], issues[0], "salience"), "1.4");
  await page.fill(cell(ids[2], issues[0], "salience"), "0.25 0.95 0.6");
  await page.waitForSelector(fieldMsg(ids[1], issues[0], "salience"));
  await page.waitForSelector(`${fieldMsg(ids[2], issues[0], "salience")} button.ed-fix`);
  const m1 = await page.textContent(fieldMsg(ids[1], issues[0], "salience"));
  check(/United States/.test(m1) && /1\.4/.test(m1) && !/stances\[/.test(m1), `the invalid salience is shown beside it, naming the actor (${m1})`);
  const m2 = await page.textContent(fieldMsg(ids[2], issues[0], "salience"));
  check(/China/.test(m2) && /widen the range to 0\.25–0\.95/.test(m2), `a value outside its own range offers to widen it (${m2})`);
  await page.click("#ed-save");
  await page.waitForSelector("#ed-status.error");
  check(/Not saved/.test(await page.textContent("#ed-status")), "an invalid scenario is not saved");
  check(await page.inputValue(cell(ids[1], issues[0], "salience")) === "1.4", "the invalid value is kept, not fixed silently");
  await shot(page, "4-invalid-inline");

  // Fixed: one by hand, one with the offered fix.
  await page.fill(cell(ids[1], issues[0], "salience"), "0.7");
  // Wait for that message to go, so the rows stop moving before the next click.
  await page.waitForSelector(fieldMsg(ids[1], issues[0], "salience"), { state: "detached" });
  await page.click(`${fieldMsg(ids[2], issues[0], "salience")} button.ed-fix`);
  await page.waitForSelector("#ed-problems.hidden", { state: "attached" });
  check(await page.inputValue(cell(ids[2], issues[0], "salience")) === "0.25 0.95 0.95", "the range was widened on request");
  await shot(page, "5-fixed");

  // Saved: version 1 of a new scenario.
  await page.click("#ed-save");
  await page.waitForURL(/\/scenarios\/\d+\/edit$/);
  const id = Number(page.url().match(/scenarios\/(\d+)\/edit/)[1]);
  await waitForecasts(page, issues);
  let vs = await (await page.request.get(`${base}/api/scenarios/${id}/versions`)).json();
  check(vs.versions.length === 1, `saved as version 1 of scenario ${id}`);
  check(/saved/.test(await page.textContent("#ed-state")), "the page says the scenario is saved");
  await shot(page, "6-saved");

  // An unsaved edit: leaving asks first, and the draft survives a reload.
  await page.fill(cell(ids[3], issues[0], "position"), "15");
  await page.waitForFunction(() => document.querySelector("#ed-state").textContent === "unsaved edits");
  let asked = false;
  page.once("dialog", async (d) => { asked = d.type() === "beforeunload"; await d.accept(); });
  await page.reload();
  await page.waitForSelector("#ed-save");
  check(asked, "leaving with unsaved edits asks first");
  check(await page.inputValue(cell(ids[3], issues[0], "position")) === "15", "the draft survived the reload");

  // Removing an actor says which stances go with it.
  const islands = await page.$eval("#ed-actors-table tbody tr:last-child", (r) => r.dataset.actor);
  let said = "";
  page.once("dialog", async (d) => { said = d.message(); await d.accept(); });
  await page.click(`button[aria-label="remove Small island states"]`);
  check(/1 stance\(s\) go with it/.test(said), `removing an actor lists its stances (${said})`);
  check(!(await page.$(`#ed-actors-table tr[data-actor="${islands}"]`)), "the actor is gone");

  // A matrix pasted from a spreadsheet: actors × issues (question or id), "position / salience".
  const q0 = await page.inputValue(`.ed-issue[data-issue="${issues[0]}"] input[aria-label^="question"]`);
  await paste(page, cell(ids[0], issues[0], "position"), `actor\t${q0}\t${issues[1]}\nIndia\t12 / 0.5\t170 / 0.9`);
  await page.waitForSelector("#ed-paste-msg.ok");
  check(await page.inputValue(cell(ids[3], issues[0], "position")) === "12" &&
    await page.inputValue(cell(ids[3], issues[1], "position")) === "170", "a pasted matrix set India's two stances");

  // A second version.
  await page.fill("#ed-note", "India's ask lowered; small island states left out");
  await page.click("#ed-save");
  await page.waitForSelector("#ed-status.ok");
  vs = await (await page.request.get(`${base}/api/scenarios/${id}/versions`)).json();
  check(vs.versions.length === 2 && vs.versions[1].note === "India's ask lowered; small island states left out", "a second version saved with its note");
  const v2 = await (await page.request.get(`${base}/api/scenarios/${id}/versions/2`)).json();
  check(v2.scenario.actors.length === 4 && v2.scenario.stances.length === 8, `version 2 holds 4 actors and 8 stances (${v2.scenario.stances.length})`);
  await shot(page, "7-second-version");

  // Narrow screen: usable at 390 px (nothing wider than the screen but the grid's own scroller).
  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 392, `the page fits 390 px (${width} px wide)`);
  await shot(page, "8-narrow");
  await page.setViewportSize({ width: 1440, height: 900 });
  return id;
}

// The typed scenario onward, on its scenario page: the difference between its two versions,
// Monte Carlo, levers, and the downloads (TOML and XLSX re-imported, the report opened).
async function onwards(page, base, id, work) {
  await page.goto(`${base}/scenarios/${id}`);
  await page.waitForSelector("#versions-table tbody tr", { timeout: 10000 });
  await page.selectOption("#diff-from", "1");
  await page.selectOption("#diff-to", "2");
  await page.click("#diff-button");
  await page.waitForSelector("#diff-changes tbody tr", { timeout: 20000 }).catch(() => {});
  const changes = await page.$$eval("#diff-changes tbody tr", (r) => r.map((x) => x.textContent));
  check(changes.some((t) => /Small island states/.test(t)) && changes.some((t) => /India/.test(t)),
    `the difference of v1 and v2 names the removed actor and India's stances (${changes.length} rows)`);
  const moves = await page.$$eval("#diff-forecasts tbody tr", (r) => r.length);
  check(moves > 0, `how each model's forecast moved is listed (${moves} rows)`);
  await page.locator("#versions-card").screenshot({ path: join(shots, "journey-11-difference.png") });

  await page.click("#mc-button");
  await page.waitForSelector("#mc-result .histogram svg", { timeout: 60000 }).catch(() => {});
  const hists = await page.$$eval("#mc-result .histogram svg", (h) => h.length);
  check(hists === 2, `Monte Carlo draws one histogram per issue (${hists})`);
  await page.locator("#mc-card").screenshot({ path: join(shots, "journey-12-montecarlo.png") });

  await page.selectOption("#analysis-model", "compromise");
  await page.selectOption("#levers-actor", "european-union");
  await page.click("#levers-button");
  await page.waitForSelector("table.levers tbody tr", { timeout: 60000 }).catch(() => {});
  const levers = await page.$$eval("table.levers tbody tr", (r) => r.length);
  check(levers > 0, `the European Union's levers are on the page (${levers} rows)`);
  const movers = await page.$$eval("table.levers tbody tr td:first-child", (c) => c.map((x) => x.textContent.trim()));
  check(movers.every((m) => m !== ""), `every lever names who moves (${[...new Set(movers)].join(", ")})`);
  await page.locator("#analysis-card").screenshot({ path: join(shots, "journey-13-levers.png") });

  const dir = join(work, "downloads");
  mkdirSync(dir, { recursive: true });
  const v2 = await apiJson(base, "GET", `/api/scenarios/${id}/versions/2`);
  const reimport = async (file) => apiJson(base, "POST", `/api/scenarios?filename=${encodeURIComponent(file.name)}`,
    file.bytes, "application/octet-stream");
  const toml = await download(page, "#download-toml", dir);
  const tomlBack = await reimport(toml);
  check(tomlBack.status === 201 && tomlBack.data.created[0].sha256 === v2.data.sha256,
    `the TOML download re-imports to version 2's SHA-256 (${toml.name})`);
  const xlsx = await download(page, "#download-xlsx", dir);
  const xlsxBack = await reimport(xlsx);
  check(xlsxBack.status === 201 && xlsxBack.data.format === "xlsx" && xlsxBack.data.created[0].sha256 === v2.data.sha256,
    `the XLSX download re-imports to the same scenario (${xlsx.name})`);
  const report = await download(page, "#download-report", dir);
  const reportPage = await page.context().newPage();
  await reportPage.goto(`file://${report.path}`);
  const h1 = (await reportPage.textContent("h1")) || "";
  const figures = await reportPage.$$eval("svg", (x) => x.length);
  await reportPage.close();
  check(h1.includes(v2.data.scenario.title) && figures > 0,
    `the report download opens with the scenario's title and its charts (${h1.trim()}, ${figures} charts)`);
}

// The emission case (Bueno de Mesquita 1994, 10 actors, one issue) typed in from its
// published table, keyboard only; its forecasts must equal those of the table imported as
// a file.
const EMISSION = [["Netherlands", 0.08, 4, 0.8], ["Belgium", 0.08, 7, 0.4], ["Luxembourg", 0.03, 4, 0.2],
  ["Germany", 0.16, 4, 0.8], ["France", 0.16, 10, 0.6], ["Italy", 0.16, 10, 0.6], ["UK", 0.16, 10, 0.9],
  ["Ireland", 0.05, 7, 0.1], ["Denmark", 0.05, 4, 1.0], ["Greece", 0.08, 7, 0.7]];

async function emission(page, base, csv) {
  await page.goto(`${base}/`);
  await page.fill("#new-title", "EC car-emission standards (BDM 1994)");
  await page.fill("#new-questions", "Year the emission standard is introduced");
  await page.press("#new-title", "Enter");
  await page.waitForURL(/\/scenarios\/new$/);
  await page.waitForSelector("#ed-add-actor");
  const issue = await page.$eval(".ed-issue", (n) => n.dataset.issue);
  await page.fill(`.ed-issue input[aria-label^="scale low end"]`, "4");
  await page.fill(`.ed-issue input[aria-label^="scale high end"]`, "10");
  await page.fill(`.ed-issue input[aria-label^="unit"]`, "years");
  for (const [name, cap] of EMISSION) {
    await page.fill("#ed-new-actor", name);
    await page.keyboard.press("Tab");
    await page.keyboard.type(String(cap));
    await page.keyboard.press("Enter");
  }
  const ids = await page.$$eval("#ed-actors-table tbody tr", (r) => r.map((x) => x.dataset.actor));
  await page.click(cell(ids[0], issue, "position"));
  for (const row of EMISSION) { await page.keyboard.type(String(row[2])); await page.keyboard.press("Enter"); }
  await page.click(cell(ids[0], issue, "salience"));
  for (const row of EMISSION) { await page.keyboard.type(String(row[3])); await page.keyboard.press("Enter"); }
  await waitForecasts(page, [issue]);
  await page.waitForSelector("#ed-problems.hidden", { state: "attached" });
  const r = await page.request.post(`${base}/api/scenarios?filename=emission.csv`, { data: readFileSync(csv), headers: { "content-type": "application/octet-stream" } });
  const imported = (await r.json()).created[0].scenario_id;
  const f = await (await page.request.post(`${base}/api/forecast`, { data: { scenario_id: imported } })).json();
  const typed = await page.$$eval('[data-test^="ed-forecast-"]', (n) => Object.fromEntries(n.map((x) => [x.dataset.model, x.textContent])));
  const want = Object.fromEntries(f.forecasts.filter((x) => x.issues.length).map((x) => [x.model, x.issues[0].forecast.toFixed(3)]));
  const same = Object.keys(want).length >= 4 && Object.keys(want).every((m) => typed[m] === want[m]);
  check(same, `the emission case typed from its table forecasts as the table file does (${JSON.stringify(typed)} vs ${JSON.stringify(want)})`);
  await shot(page, "10-emission-typed");
  await page.click("#ed-save");
  await page.waitForURL(/\/scenarios\/\d+\/edit$/);
  check(true, "the typed emission case was created");
}

// Keystroke → every model's forecasts on screen, measured in the page (input event to the
// redrawn table), on the flagship case through the authoring page.
async function measure(page, base) {
  const bytes = readFileSync(flagship);
  const r = await page.request.post(`${base}/api/scenarios?filename=flagship.toml`, { data: bytes, headers: { "content-type": "application/octet-stream" } });
  const id = (await r.json()).created[0].scenario_id;
  await page.goto(`${base}/scenarios/${id}/edit`);
  await page.waitForSelector('[data-test^="ed-forecast-compromise-"]', { timeout: 20000 });
  const sel = "#ed-grid input.ed-cell[data-part='salience']";
  const first = await page.$eval(sel, (i) => ({ actor: i.dataset.actor, issue: i.dataset.issue, value: i.value }));
  const target = cell(first.actor, first.issue, "salience");
  const times = [];
  for (let k = 0; k < 21; k++) {
    // The page sets data-ms when it redraws; cleared first, so that two edits timed alike
    // cannot be mistaken for one.
    await page.$eval("#ed-timing", (e) => e.removeAttribute("data-ms"));
    const text = await page.textContent("#ed-forecasts");
    await page.fill(target, k % 2 ? first.value : "0.05");
    await page.waitForFunction((t) => {
      const e = document.querySelector("#ed-timing");
      return e.hasAttribute("data-ms") && document.querySelector("#ed-forecasts").textContent !== t;
    }, text, { timeout: 10000 });
    times.push(Number(await page.getAttribute("#ed-timing", "data-ms")));
  }
  const models = await page.$$eval('[data-test^="ed-forecast-"]', (n) => new Set(n.map((x) => x.dataset.model)).size);
  times.sort((a, b) => a - b);
  console.log(`flagship through the authoring page: keystroke -> ${models} models' forecasts on screen, ` +
    `21 edits: median ${times[10].toFixed(1)} ms, p90 ${times[18].toFixed(1)} ms, max ${times[20].toFixed(1)} ms ` +
    `(each fill after a pause: sent at once by the leading-edge debounce)`);
  await page.screenshot({ path: join(shots, "journey-9-flagship.png") });
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "pactum-journey-"));
  const { child, base } = await startServer(binary, join(work, "data"));
  const context = await launch(join(work, "profile"), { viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => check(false, `no script error on the page (${e.message})`));
    const id = await journey(page, base);
    await onwards(page, base, id, work);
    await emission(page, base, emissionCsv);
    await measure(page, base);
  } finally {
    await context.close();
    child.kill("SIGTERM");
  }
  done("journey");
}

main().catch((e) => { console.error(e); process.exit(1); });
