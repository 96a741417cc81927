// bench/token-server.mjs in another process (bench/run.mjs's CPU and memory figures, and
// bench/profile.sh's traced operations).
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Starts bench/token-server.mjs; resolves to { info, stop(), stats(tenant) }. */
export function startTokenServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(benchDir, "token-server.mjs")], { cwd: benchDir, stdio: ["ignore", "pipe", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the token server exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const info = JSON.parse(line);
      resolve({
        info,
        async stats(tenant) {
          return (await fetch(`http://127.0.0.1:${info.tenants[tenant].port}/stats`)).json();
        },
        stop: () =>
          new Promise((r) => {
            child.removeAllListeners("exit");
            child.once("exit", r);
            child.kill("SIGTERM");
          }),
      });
    });
  });
}
