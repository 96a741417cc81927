// The refresh race with the workers-rs Worker: its build as three Workers (three isolates) sharing
// the namespace of the SessionDurableObject it declares (the package's, through
// auth0_edge::workers::SessionObject), sessions in that Durable Object and the refresh coordinated
// by it (workers::durable_object_store, workers::durable_object_refresh_coordinator). The same
// race as the JavaScript Worker's (worker-example/test/race.mjs): 60 concurrent GET /token after
// the access token is due are one grant with the coordinator, and revoke the grant without it.
// Build first, then run through the provider harness (scripts/test.sh does both):
//   node tests/provider/harness.mjs -- node --test worker-example/rust/test/race.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { oneGrant, revoked } from "../../test/race.mjs";

const ISSUER = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!ISSUER) throw new Error("run this through node tests/provider/harness.mjs -- <command>");
const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "build");
assert.ok(existsSync(path.join(buildDir, "index.js")), "build the Worker first: (cd worker-example/rust && worker-build --release)");

test("workers-rs, with the Durable Object coordinator: 60 concurrent refreshes over 3 isolates are one grant, all 200 with the same token, the grant alive", () =>
  oneGrant(buildDir, ISSUER));

test("workers-rs, without it: several refreshes with the same refresh token, and the grant revoked", () =>
  revoked(buildDir, ISSUER));
