// The shared suite in Deno (`deno test`), the package imported by name (its "deno" condition).
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";
import { providerEnv } from "./env.mjs";

for (const { name, fn } of suite(pkg, providerEnv((k) => Deno.env.get(k)))) {
  Deno.test({ name, fn, sanitizeOps: true, sanitizeResources: true });
}
