// The hardening scenarios and the cookie fuzz in Node: the package is imported by name (its "node"
// export condition), the fault server runs in this process.
import { test, after } from "node:test";
import { importPackage } from "./deps.mjs";
import { startFaultServer } from "./server.mjs";
import { faultSuite } from "./scenarios.mjs";
import { cookieFuzz, fuzzSettings } from "./cookie-fuzz.mjs";

const { pkg, resolved } = await importPackage();
if (!resolved.endsWith("/node.js")) throw new Error(`auth0-edge resolved to ${resolved}, not node.js (its Node entry)`);
const faults = await startFaultServer();
after(() => faults.stop());

const fuzz = fuzzSettings((k) => process.env[k]);
const cases = [...cookieFuzz(pkg, fuzz), ...faultSuite(pkg, { ports: faults.ports })];
for (const { name, fn } of cases) {
  test(name, async (t) => {
    const note = await fn();
    if (typeof note === "string") t.diagnostic(note);
  });
}
