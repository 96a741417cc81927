// Starts a server process and waits for the first line matching `ready` (default: "listening on
// URL"); resolves to { match, stop }. Its output is collected and shown only if it fails to start.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export async function startProcess(command, args, { env = {}, cwd, ready = /listening on (http:\/\/\S+)/, timeoutMs = 20000 } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output = [];
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start in time:\n${output.join("\n")}`)), timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        const m = line.match(ready);
        if (m) { clearTimeout(timer); resolve(m); }
      });
    }
    child.once("error", (e) => { clearTimeout(timer); reject(e); });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`${command} exited (${code}) before it was ready:\n${output.join("\n")}`)); });
  });
  return {
    match,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
