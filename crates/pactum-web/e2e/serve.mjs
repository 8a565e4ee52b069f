// Starts `pactum serve` on 127.0.0.1 (any free port) with a data folder, for the browser
// tests; resolves to { child, base } once it prints its address.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

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
