// Helpers shared by the browser tests.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

// Starts `pactum serve` (the binary at `binary`) on a free loopback port with the library in
// `dataDir` (and `token`, if given); resolves to { child, base } once it listens.
export function startServer(binary, dataDir, token) {
  const env = { ...process.env };
  delete env.PACTUM_TOKEN;
  if (token) env.PACTUM_TOKEN = token;
  const child = spawn(binary, ["serve", "--bind", "127.0.0.1:0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "inherit"], env,
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

// Counts checks and failures; `check` prints each result.
export function checker() {
  const state = { checks: 0, failures: [] };
  state.check = (ok, what) => {
    state.checks += 1;
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) state.failures.push(what);
  };
  // Prints the tally under `name` and exits non-zero when a check failed.
  state.done = (name) => {
    console.log(`${name}: ${state.checks - state.failures.length} passed, ${state.failures.length} failed`);
    if (state.failures.length) process.exit(1);
  };
  return state;
}

// Debian's Chromium, headless, 1360 × 900, with a fresh profile in `profileDir`; `extra`
// adds or overrides options (e.g. `{ acceptDownloads: true }`).
export function launch(profileDir, extra) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...extra,
  });
}

// The API from node (not the page), for checks behind the screen: { status, headers, data }.
export async function apiJson(base, method, path, body, contentType) {
  const res = await fetch(`${base}${path}`, {
    method, body, headers: body ? { "Content-Type": contentType || "application/json" } : {},
  });
  return { status: res.status, headers: res.headers, data: await res.json() };
}

// Clicks `selector` on `page` and saves the download it starts into `dir`; returns its file
// name, bytes and path. The browser context needs `acceptDownloads`.
export async function download(page, selector, dir) {
  const [d] = await Promise.all([page.waitForEvent("download", { timeout: 20000 }), page.click(selector)]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), bytes: readFileSync(path), path };
}

// Imports the file at `path` as an analyst does: the library page, its file chooser, the
// Import button. What follows (the scenario page, or the import notes) is the caller's to wait for.
export async function importThroughPage(page, base, path) {
  await page.goto(`${base}/`);
  await page.setInputFiles("#import-file", path);
  await page.click("#import-button");
}
