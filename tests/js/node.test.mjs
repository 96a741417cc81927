// The shared suite in Node, the package imported by name (its "node" export condition).
import { test } from "node:test";
import * as pkg from "auth0-edge";
import { suite } from "./suite.mjs";
import { providerEnv } from "./env.mjs";

const storeKinds = [
  { label: "default store", create: () => undefined },
  { label: "MemoryStore", create: () => new pkg.MemoryStore() },
  { label: "CookieStore", create: () => new pkg.CookieStore() },
];
for (const { name, fn } of suite(pkg, { ...providerEnv((k) => process.env[k]), storeKinds })) test(name, fn);
