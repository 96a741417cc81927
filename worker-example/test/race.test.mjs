// The refresh race at the edge's scale: the Worker example's bundle as three Workers (three
// isolates) sharing one namespace of SessionDurableObject, a user logged in against the rotating
// client (refresh token rotation with reuse detection, access tokens due 5 s after issue), then
// 60 concurrent GET /token with the same session cookie spread over the three. With the
// Durable Object coordinator: one refresh, every answer 200 with the same token, the grant alive.
// Without it: each isolate refreshes with the same refresh token and the grant is revoked.
// Run through the provider harness: node ../tests/provider/harness.mjs -- node --test test/race.test.mjs
import { test } from "node:test";
import path from "node:path";
import { bundle, exampleDir } from "./workerd.mjs";
import { oneGrant, revoked } from "./race.mjs";

const ISSUER = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!ISSUER) throw new Error("run this through node tests/provider/harness.mjs -- <command>");
const outdir = path.join(exampleDir, ".build", "race");
await bundle(outdir);

test("with the Durable Object coordinator: 60 concurrent refreshes over 3 isolates are one grant, all 200 with the same token, the grant alive", () =>
  oneGrant(outdir, ISSUER));

test("without it (each isolate on its own): several refreshes with the same refresh token, and the grant revoked", () =>
  revoked(outdir, ISSUER));
