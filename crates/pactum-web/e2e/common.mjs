// What every end-to-end script shares: its checks and tally, the server it starts and the
// browser it drives.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// A tally of named checks; `done(name)` prints it and exits non-zero when one failed.
export function checker() {
  const failures = [];
  let checks = 0;
  const check = (ok, what) => {
    checks += 1;
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failures.push(what);
  };
  const done = (name) => {
    console.log(`${name}: ${checks - failures.length} passed, ${failures.length} failed`);
    if (failures.length) process.exit(1);
  };
  return { check, done };
}

// Starts `BINARY serve` on a free loopback port with a fresh library in `dataDir` (and the
// token, when given); resolves to { child, base } once it listens.
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

// Debian's headless Chromium with a fresh profile under `work`.
export function launch(work, viewport) {
  return chromium.launchPersistentContext(join(work, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: viewport || { width: 1360, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
