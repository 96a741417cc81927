// The shared suite in Deno (`deno test`), the package imported by name (its "deno" condition),
// sessions in Deno KV (`Deno.openKv(":memory:")`) and in cookies.
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";
import { hostileSuite } from "./hostile.mjs";
import { providerEnv } from "./env.mjs";

const kv = await Deno.openKv(":memory:");
const count = async () => {
  let n = 0;
  for await (const _ of kv.list({ prefix: [] })) n++;
  return n;
};
const storeKinds = [
  { label: "DenoKvStore", create: () => new pkg.DenoKvStore(kv), count },
  { label: "CookieStore", create: () => new pkg.CookieStore() },
];
const replayCache = () => new pkg.DenoKvReplayCache(kv);
for (const { name, fn } of suite(pkg, { ...providerEnv((k) => Deno.env.get(k)), storeKinds, replayCache })) {
  Deno.test({ name, fn, sanitizeOps: true, sanitizeResources: true });
}
for (const { name, fn } of hostileSuite(pkg, providerEnv((k) => Deno.env.get(k)))) {
  Deno.test({ name, fn, sanitizeOps: true, sanitizeResources: true });
}
Deno.test("close Deno KV", () => kv.close());
