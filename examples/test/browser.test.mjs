// The browser example (browser/index.html) in headless Chromium, driven through ChromeDriver's
// WebDriver API: the page loads the package by name (an import map to browser.js), exchanges a
// token with the local provider across origins (CORS) and shows the result; then a bad token.
//   node ../tests/provider/harness.mjs -- node --test test/browser.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CLIENTS, TOKEN_TYPES } from "../../tests/provider/fixtures.mjs";
import { startProcess } from "./spawn.mjs";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const issuer = process.env.AUTH0_EDGE_TEST_ISSUER;
if (!issuer) throw new Error("run this through node tests/provider/harness.mjs -- <command>");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMEDRIVER = process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver";

let page, driver, session;
async function webdriver(method, urlPath, body) {
  const r = await fetch(new URL(urlPath, driver.match[1]), {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`WebDriver ${method} ${urlPath}: ${json.value?.error}: ${json.value?.message?.split("\n")[0]}`);
  return json.value;
}
const run = (script, ...args) => webdriver("POST", `session/${session}/execute/sync`, { script, args });

before(async () => {
  page = await startProcess(process.execPath, ["browser/serve.mjs"], { cwd: dir, env: { PORT: "0" } });
  driver = await startProcess(CHROMEDRIVER, ["--port=0"], { ready: /started successfully on port (\d+)/ });
  driver.match[1] = `http://127.0.0.1:${driver.match[1]}/`;
  ({ sessionId: session } = await webdriver("POST", "session", {
    capabilities: {
      alwaysMatch: {
        browserName: "chrome",
        "goog:chromeOptions": {
          binary: CHROMIUM,
          args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  }));
  await webdriver("POST", `session/${session}/url`, { url: page.match[1] });
});
after(async () => {
  if (session) await webdriver("DELETE", `session/${session}`).catch(() => {});
  await driver?.stop();
  await page?.stop();
});

/** Fills the form, submits it and waits for the result: [state, parsed result]. */
async function exchange(fields) {
  await run(
    `const form = document.getElementById("exchange");
     for (const [k, v] of Object.entries(arguments[0])) form.elements[k].value = v;
     document.getElementById("result").dataset.state = "submitted";
     form.requestSubmit();`,
    fields,
  );
  const deadline = Date.now() + 15000;
  for (;;) {
    const [state, text] = await run(`const r = document.getElementById("result"); return [r.dataset.state, r.textContent];`);
    if (state === "done" || state === "error") return [state, JSON.parse(text)];
    assert.ok(Date.now() < deadline, `no result in time (state ${state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const form = {
  domain: issuer,
  clientId: CLIENTS.basic.clientId,
  clientSecret: CLIENTS.basic.clientSecret,
  subjectTokenType: TOKEN_TYPES.LEGACY,
  audience: "https://api.example.com",
  scope: "openid profile",
};

test("the page exchanges a token with the provider and shows its claims", async () => {
  assert.equal(await run("return document.title"), "auth0-edge in the browser");
  const [state, result] = await exchange({ ...form, subjectToken: "legacy-alice" });
  assert.equal(state, "done", JSON.stringify(result));
  assert.equal(result.accessToken.claims.sub, "auth0|alice");
  assert.equal(result.accessToken.claims.aud, "https://api.example.com");
  assert.equal(result.idToken.claims.name, "Alice Liddell");
  assert.deepEqual([result.tokenType, result.expiresIn], ["Bearer", 3600]);
});

test("a bad subject token shows the typed error", async () => {
  const [state, result] = await exchange({ ...form, subjectToken: "legacy-nobody" });
  assert.equal(state, "error");
  assert.deepEqual([result.error, result.status], ["invalid_grant", 400]);
});

test("with the .wasm served as application/octet-stream (no streaming), the page still exchanges", async (t) => {
  const other = await startProcess(process.execPath, ["browser/serve.mjs"], { cwd: dir, env: { PORT: "0", WASM_TYPE: "application/octet-stream" } });
  t.after(() => other.stop());
  await webdriver("POST", `session/${session}/url`, { url: other.match[1] });
  const wasm = await fetch(new URL("auth0-edge/auth0_edge_bg.wasm", other.match[1]));
  assert.equal(wasm.headers.get("content-type"), "application/octet-stream");
  const [state, result] = await exchange({ ...form, subjectToken: "legacy-alice" });
  assert.equal(state, "done", JSON.stringify(result));
  assert.equal(result.idToken.claims.name, "Alice Liddell");
});
