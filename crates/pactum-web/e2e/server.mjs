// What the end-to-end scripts share: starting `pactum serve` on a free loopback port with a
// fresh library, and launching Debian's headless Chromium.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Starts `binary serve` on 127.0.0.1:0 over `dataDir` (with `token` in PACTUM_TOKEN when
// given); resolves to { child, base } once it prints its address.
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

// A headless Chromium with its profile in `profileDir`, 1360×900, downloads accepted.
export function launchBrowser(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1360, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
