// What the end-to-end scripts share: starting `pactum serve` on a free loopback port and
// launching Debian's headless Chromium.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Starts `BINARY serve` on 127.0.0.1 with a library in `dataDir` (and PACTUM_TOKEN set to
// `token` when given); resolves to { child, base } once it prints its address.
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

// A headless Chromium with its profile in `profileDir`, 1360 × 900; `extra` adds options.
export function launch(profileDir, extra) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    ...extra,
  });
}

// The checks run so far and the ones that failed.
export const results = { checks: 0, failures: [] };

// Logs one check (`ok` or `FAIL` and what it checks) and remembers a failure.
export function check(ok, what) {
  results.checks += 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) results.failures.push(what);
}

// Prints `NAME: N passed, N failed` and exits 1 when any check failed.
export function finish(name) {
  const { checks, failures } = results;
  console.log(`${name}: ${checks - failures.length} passed, ${failures.length} failed`);
  if (failures.length) process.exit(1);
}
