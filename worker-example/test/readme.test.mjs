// The repository README's "Sessions (Workers KV)" example, pasted into a fresh Worker project as
// is: bundled by wrangler, run in workerd against the local provider, it must log a user in (a
// POST with a subject token, then a GET with the cookie answers the user).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CLIENTS } from "../../tests/provider/fixtures.mjs";
import { bundle, start, exampleDir, CookieJar } from "./workerd.mjs";

const ISSUER = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!ISSUER) throw new Error("run this through node tests/provider/harness.mjs -- <command>");

/** The first ```js block after the heading `heading` in the README. */
async function readmeExample(heading) {
  const readme = await readFile(path.join(exampleDir, "..", "README.md"), "utf8");
  const at = readme.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `the README has a section "${heading}"`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, `a js block under "${heading}"`);
  return block[1];
}

let w;
before(async () => {
  // Inside worker-example/, so that `import "auth0-edge"` resolves as in a user's project.
  const project = path.join(exampleDir, ".build", "readme-sessions");
  await rm(project, { recursive: true, force: true });
  await mkdir(project, { recursive: true });
  await writeFile(path.join(project, "index.js"), await readmeExample("### Sessions (Workers KV)"));
  await writeFile(path.join(project, "wrangler.jsonc"), JSON.stringify({
    name: "readme-sessions",
    main: "index.js",
    compatibility_date: "2026-04-01",
    kv_namespaces: [{ binding: "SESSIONS", id: "00000000000000000000000000000000" }],
  }));
  const outdir = path.join(project, "dist");
  await bundle(outdir, project);
  w = await start(outdir, {
    readme: {
      AUTH0_DOMAIN: ISSUER,
      AUTH0_CLIENT_ID: CLIENTS.basic.clientId,
      AUTH0_CLIENT_SECRET: CLIENTS.basic.clientSecret,
      AUTH0_SECRET: "readme-example-session-secret-0123456789",
    },
  });
});
after(() => w?.dispose());

test("the README's Workers KV session example logs a user in", async () => {
  const jar = new CookieJar();
  const login = await w.fetch("readme", "/", { method: "POST", body: "legacy-alice" });
  jar.update(login);
  assert.equal(login.status, 204, await login.text());
  assert.deepEqual(jar.names, ["__Host-_a0_session"], "one session id cookie, __Host- prefixed");
  const me = await w.fetch("readme", "/", { headers: { cookie: jar.header() } });
  assert.equal(me.status, 200, "the next request has a user");
  assert.equal((await me.json()).sub, "auth0|alice");
  const stranger = await w.fetch("readme", "/");
  assert.equal(stranger.status, 401, "no cookie, no user");
});
