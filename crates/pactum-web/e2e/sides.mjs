// End-to-end test of editing two-level sides on the page, in headless Chromium.
// Usage: node sides.mjs PACTUM_BINARY TWO_LEVEL_TOML SCREENSHOT_DIR
// Imports a two-level scenario, reads the twolevel forecast, removes a side (the forecast
// moves), adds it back through the form (negotiator, members, veto) and gets the first
// forecast again, shows a threshold outside 0-1 as an error, saves, and checks the saved
// TOML holds the side. Exits non-zero on any failure.
import { checker, importThroughPage, launch, startServer } from "./common.mjs";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [binary, twoLevel, shots] = process.argv.slice(2);
if (!binary || !twoLevel || !shots) {
  console.error("usage: node sides.mjs PACTUM_BINARY TWO_LEVEL_TOML SCREENSHOT_DIR");
  process.exit(2);
}
const { check, done } = checker();

const CELL = '[data-test="forecast-twolevel-tariff-cut"]';

// Waits for the live forecast to settle after an edit, and returns the twolevel cell's text.
async function settled(page, before) {
  await page.waitForFunction((old) => {
    const t = document.querySelector("#timing").textContent;
    const c = document.querySelector('[data-test="forecast-twolevel-tariff-cut"]');
    return t.startsWith("updated") && c && c.textContent !== old;
  }, before, { timeout: 10000 });
  return page.textContent(CELL);
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "pactum-sides-"));
  const { child, base } = await startServer(binary, join(work, "data"));
  const context = await launch(join(work, "profile"));
  const page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", (d) => d.accept());
  try {
    await importThroughPage(page, base, twoLevel);
    await page.waitForURL(/\/scenarios\/\d+$/, { timeout: 10000 });
    await page.waitForSelector(CELL, { timeout: 10000 });
    const first = await page.textContent(CELL);
    const sides = await page.$$eval("#sides-card .side", (n) => n.map((x) => x.getAttribute("data-side")));
    check(sides.join(",") === "xland,yland", `the page lists the scenario's sides (${sides})`);

    // Remove Yland: its farm union's veto goes, so the agreed cut moves.
    await page.click('button[aria-label="remove side yland"]');
    const without = await settled(page, first);
    check(without !== first, `removing a side moves the twolevel forecast (${first} -> ${without})`);

    // Add it back through the form.
    await page.click("#add-side");
    await page.waitForSelector('#sides-card .side:nth-of-type(2)');
    await page.fill('input[aria-label="id of side 2"]', "yland");
    await page.selectOption('select[aria-label="negotiator of side 2"]', "y-gov");
    const side2 = page.locator("#sides-card .side").nth(1);
    await side2.getByLabel("Yland farm union").first().check();
    await side2.getByLabel("Yland industry").first().check();
    await side2.locator("fieldset:has(legend:text-matches('Veto')) label:has-text('Yland farm union') input").check();
    // Each tick is an edit with its own preview; wait for the last one to settle on the
    // first forecast (or time out and report what is shown).
    await page.waitForFunction((want) => {
      const t = document.querySelector("#timing").textContent;
      const c = document.querySelector('[data-test="forecast-twolevel-tariff-cut"]');
      return t.startsWith("updated") && c && c.textContent === want;
    }, first, { timeout: 10000 }).catch(() => {});
    const back = await page.textContent(CELL);
    check(back === first, `the side added back in the form gives the first forecast again (${back} vs ${first})`);
    await page.screenshot({ path: join(shots, "sides-editor.png"), fullPage: false });

    // A threshold outside 0-1 is refused with the validation's words.
    await page.fill('input[aria-label="ratification threshold of side xland (0-1, blank: none)"]', "1.5");
    await page.waitForFunction(() => document.querySelector("#timing").textContent.startsWith("not updated"), null, { timeout: 10000 });
    const err = await page.textContent("#status");
    check(/^sides\[0\]\.ratification: .*outside 0-1/.test(err) && /xland/.test(err), `a threshold of 1.5 is shown as an error naming the side (${err})`);
    const marked = await page.$eval('input[data-path="sides[0].ratification"]', (i) => i.classList.contains("invalid"));
    check(marked, "the threshold field is marked invalid");
    await page.fill('input[aria-label="ratification threshold of side xland (0-1, blank: none)"]', "0.5");
    await page.waitForFunction(() => document.querySelector("#timing").textContent.startsWith("updated"), null, { timeout: 10000 });

    // Saved, the version's TOML holds the side with its veto.
    await page.fill("#save-note", "Yland re-entered in the form");
    await page.click("#save-button");
    await page.waitForFunction(() => /Saved as version 2/.test(document.querySelector("#status").textContent), null, { timeout: 10000 });
    const id = page.url().match(/\/scenarios\/(\d+)/)[1];
    const toml = await (await page.request.get(`${base}/api/scenarios/${id}/versions/2/toml`)).text();
    check(/id = "yland"[\s\S]*negotiator = "y-gov"[\s\S]*veto = \["y-farmers"\]/.test(toml),
      "the saved version's TOML holds the re-entered side with its veto");
    check(pageErrors.length === 0, `no script errors on the page (${pageErrors.join("; ")})`);
  } finally {
    await context.close();
    child.kill("SIGTERM");
  }
  done("sides e2e");
}

main().catch((e) => {
  console.error(`sides e2e: ${e.stack || e}`);
  process.exit(1);
});
