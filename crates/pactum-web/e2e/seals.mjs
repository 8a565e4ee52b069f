// End-to-end test of sealed forecasts in the pactum page, in a real headless Chromium.
// Usage: node seals.mjs PACTUM_BINARY FLAGSHIP_TOML SCREENSHOT_DIR
// Starts `pactum serve` with a fresh library, imports the flagship case, seals it with bdm
// from the scenario page, finds the hash on the ledger page, downloads the seal and runs
// `pactum verify` on it (exit 0), records an outcome, reads the model's MAE off the
// scoreboard (and compares it with `pactum score` on the same file and outcome), checks an
// out-of-scale outcome is refused in place, checks every control has an accessible name
// and the ledger fits a 390 px screen. Screenshots are prefixed `seal-`. Exits non-zero on
// any failure.
import { spawnSync } from "node:child_process";
import { checker, importThroughPage, launch, startServer } from "./common.mjs";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [binary, flagship, shots] = process.argv.slice(2);
if (!binary || !flagship || !shots) {
  console.error("usage: node seals.mjs PACTUM_BINARY FLAGSHIP_TOML SCREENSHOT_DIR");
  process.exit(2);
}
const { check, done: finish } = checker();

// Every input, select and button inside `root` without an accessible name (aria-label,
// an enclosing <label>, or its own text).
async function unnamedControls(page, root) {
  return page.$$eval(`${root} input, ${root} select, ${root} button`, (nodes) => nodes.filter((n) => {
    const label = n.closest("label");
    const name = n.getAttribute("aria-label") || (label && label.textContent.trim()) ||
      (n.tagName === "BUTTON" && n.textContent.trim());
    return !name;
  }).map((n) => n.outerHTML.slice(0, 80)));
}

const row = (issue) => `.outcome-row[data-issue="${issue}"]`;

async function recordOutcome(page, issue, value, source) {
  await page.fill(`${row(issue)} input.outcome-value`, String(value));
  await page.fill(`${row(issue)} input.outcome-source`, source);
  await page.click(`${row(issue)} button`);
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "pactum-e2e-seals-"));
  const { child, base } = await startServer(binary, join(work, "data"));
  const context = await launch(join(work, "profile"), { acceptDownloads: true });
  const page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  try {
    // Import the flagship case and seal its version 1 with bdm.
    await importThroughPage(page, base, flagship);
    await page.waitForURL(/\/scenarios\/\d+$/, { timeout: 15000 });
    await page.waitForSelector("#seal-card", { timeout: 15000 });
    await page.selectOption("#seal-model", "bdm");
    await page.fill("#seal-seed", "7");
    await page.click("#seal-button");
    await page.waitForSelector("#seal-hash", { timeout: 60000 });
    const hash = (await page.textContent("#seal-hash")).trim();
    check(/^[0-9a-f]{64}$/.test(hash), `sealing shows the SHA-256 (${hash})`);
    check(/bdm, v1/.test(await page.textContent("#seal-result")), "the seal names the model and version");
    const unnamedCard = await unnamedControls(page, "#seal-card");
    check(unnamedCard.length === 0, `every control of the Seal card has an accessible name (${unnamedCard.join(" | ")})`);
    await page.locator("#seal-card").scrollIntoViewIfNeeded();
    await page.locator("#seal-card").screenshot({ path: join(shots, "seal-card.png") });

    // The ledger (through the nav link) shows the hash.
    await page.click('nav a[href="/seals"]');
    await page.waitForSelector("#seal-table tbody tr", { timeout: 10000 });
    const listed = (await page.textContent('[data-test="hash-1"]')).trim();
    check(listed === hash, `the ledger shows the seal's hash (${listed.slice(0, 16)}…)`);

    // Download the seal and verify it with the command line.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-test="download-1"]')]);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    check(download.suggestedFilename() === "seal-1.seal.json", `the download is named seal-1.seal.json (${download.suggestedFilename()})`);
    const verify = spawnSync(binary, ["verify", file], { encoding: "utf8" });
    check(verify.status === 0 && /the seal holds/.test(verify.stdout),
      `pactum verify on the downloaded seal exits 0 (${verify.status}: ${(verify.stdout + verify.stderr).trim()})`);
    const body = JSON.parse(readFileSync(file, "utf8"));
    check(body.sha256 === hash && body.seal.model === "bdm" && body.seal.seed === 7, "the file holds the hash, model and seed sealed");

    // Record an outcome; the scoreboard shows the model's MAE, as `pactum score` does.
    await page.waitForSelector(row("beef-tariff"), { timeout: 10000 });
    await recordOutcome(page, "beef-tariff", 11, "e2e: a made-up outcome");
    const current = `${row("beef-tariff")} .outcome-current`;
    await page.waitForFunction((sel) => /In force: 11 /.test(document.querySelector(sel).textContent),
      current, { timeout: 10000 }).catch(() => {});
    const inForce = await page.textContent(current);
    check(/In force: 11 /.test(inForce), `the recorded outcome is shown in force (${inForce})`);
    await page.waitForFunction(() => [...document.querySelectorAll("#scoreboard-issues tbody tr")]
      .some((tr) => /beef-tariff/.test(tr.textContent) && /outcome #1/.test(tr.textContent)), null, { timeout: 10000 });
    const mae = (await page.textContent('[data-test="mae-bdm"]')).trim();
    check(/^\d+\.\d\d$/.test(mae), `the scoreboard shows bdm's MAE (${mae})`);
    const csv = join(work, "outcomes.csv");
    writeFileSync(csv, "issue,outcome\nbeef-tariff,11\n");
    const score = spawnSync(binary, ["score", file, "--outcomes", csv, "--format", "json"], { encoding: "utf8" });
    const cli = score.status === 0 ? JSON.parse(score.stdout) : null;
    const cliMae = cli && cli.models[0].mae.toFixed(2);
    check(cliMae === mae, `pactum score on the downloaded seal gives the same MAE (${cliMae} vs ${mae})`);
    const apiBoard = await (await page.request.get(`${base}/api/scoreboard`)).json();
    check(JSON.stringify(apiBoard.models) === JSON.stringify(cli && cli.models),
      "the scoreboard's model grades are exactly pactum score's");

    // An outcome outside the issue's scale is refused next to its field.
    await recordOutcome(page, "beef-tariff", 120, "e2e");
    const error = `${row("beef-tariff")} .field-error`;
    await page.waitForSelector(`${error}:not(.hidden)`, { timeout: 10000 });
    const text = await page.textContent(error);
    check(/beef-tariff/.test(text) && /outside its scale 0–38\.5 %/.test(text), `an out-of-scale outcome shows an inline error (${text})`);
    check(await page.getAttribute(`${row("beef-tariff")} input.outcome-value`, "aria-invalid") === "true",
      "the refused value's field is marked invalid");
    check(/In force: 11 /.test(await page.textContent(`${row("beef-tariff")} .outcome-current`)), "the refused outcome changed nothing");
    await page.locator(row("beef-tariff")).screenshot({ path: join(shots, "seal-outcome-error.png") });

    // Re-seal: the old seal is marked superseded and leaves the scoreboard.
    await page.click('#seal-table tr[data-seal="1"] button');
    await page.waitForSelector('[data-test="superseded-1"]', { timeout: 60000 });
    check(/superseded by #2/.test(await page.textContent('[data-test="superseded-1"]')), "re-sealing marks the old seal superseded");
    const unnamed = await unnamedControls(page, "#app");
    check(unnamed.length === 0, `every control of the ledger page has an accessible name (${unnamed.join(" | ")})`);
    await page.screenshot({ path: join(shots, "seal-ledger.png"), fullPage: true });

    // The ledger is usable at 390 px: nothing wider than the screen but the scrolling tables.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector("#scoreboard-models", { timeout: 10000 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `the ledger page fits 390 px (${width} px wide)`);
    await page.screenshot({ path: join(shots, "seal-ledger-390.png"), fullPage: true });
    check(pageErrors.length === 0, `no script errors on the page (${pageErrors.join("; ")})`);
  } finally {
    await context.close();
    child.kill("SIGTERM");
  }
  finish("e2e seals");
}

main().catch((e) => {
  console.error(`e2e seals: ${e.stack || e}`);
  process.exit(1);
});
