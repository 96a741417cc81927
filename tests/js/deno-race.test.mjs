// The refresh race across Deno processes: two processes share one Deno KV file (sessions in
// DenoKvStore, the session id in a cookie), a user logged in against the rotating client
// (refresh token rotation with reuse detection, access tokens due 5 s after issue), then both
// processes call getAccessToken 30 times at once with the same cookie. With
// DenoKvRefreshCoordinator: one refresh, one token for all. Without it: each process refreshes
// with the same refresh token and the grant is revoked.
// deno test --unstable-kv --allow-env --allow-net --allow-read --allow-write --allow-run deno-race.test.mjs
// (run through the provider harness). A child is this file run with `child <kv path> <cookie> <coordinated>`.
import * as pkg from "auth0-edge";
import { CLIENTS, AUDIENCE, ROTATING_ACCESS_TOKEN_TTL, TOKEN_TYPES } from "../provider/fixtures.mjs";
import { providerEnv } from "./env.mjs";
import { ok, eq } from "./asserts.mjs";

const SECRET = "deno-race-session-secret-0123456789abcdef";
const env = providerEnv((k) => Deno.env.get(k));

/** A client of this process on the shared KV file; with `coordinated`, the Deno KV coordinator. */
const clientOn = (kv, coordinated) =>
  new pkg.ServerClient({
    domain: env.issuer,
    clientId: CLIENTS.rotating.clientId,
    clientSecret: CLIENTS.rotating.clientSecret,
    secret: SECRET,
    stateStore: new pkg.DenoKvStore(kv, { secure: false }),
    ...(coordinated ? { refreshCoordinator: new pkg.DenoKvRefreshCoordinator(kv) } : {}),
  });

/** 30 concurrent getAccessToken calls with the session cookie: [token or error code]. */
async function burst(client, cookie) {
  return Promise.all(
    Array.from({ length: 30 }, async () => {
      try {
        const headers = new Headers();
        const set = await client.getAccessToken({ audience: AUDIENCE }, { request: new Request("http://app.localhost/", { headers: { cookie } }), headers });
        return set.accessToken;
      } catch (e) {
        return `error:${e.code}`;
      }
    }),
  );
}

/** Sleeps until the wall-clock time `at` (ms): both processes start their calls together. */
const until = (at) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

if (Deno.args[0] === "child") {
  const [, path, cookie, coordinated, at] = Deno.args;
  const kv = await Deno.openKv(path);
  const client = clientOn(kv, coordinated === "yes");
  await until(Number(at));
  const answers = await burst(client, cookie);
  kv.close();
  console.log(JSON.stringify(answers));
} else {
  for (const coordinated of [true, false]) {
    Deno.test({
      name: coordinated
        ? "Deno KV coordinator: 2 processes × 30 concurrent refreshes with one refresh token are one grant"
        : "without it: each process refreshes with the same refresh token, and the grant is revoked",
      sanitizeOps: false,
      sanitizeResources: false,
      async fn() {
        const dir = await Deno.makeTempDir();
        const path = `${dir}/kv.sqlite`;
        const kv = await Deno.openKv(path);
        try {
          const client = clientOn(kv, coordinated);
          const headers = new Headers();
          const login = { subjectToken: "legacy-alice", subjectTokenType: TOKEN_TYPES.LEGACY, audience: AUDIENCE, scope: "openid offline_access read:data" };
          await client.loginWithCustomTokenExchange(login, { request: new Request("http://app.localhost/"), headers });
          const cookie = headers.getSetCookie()[0].split(";")[0];
          // Both processes start when the access token is due (30 s before expiry).
          const at = Date.now() + (ROTATING_ACCESS_TOKEN_TTL - 30 + 1.5) * 1000;
          const child = new Deno.Command(Deno.execPath(), {
            args: ["run", "--unstable-kv", "--allow-env", "--allow-net", "--allow-read", "--allow-write", new URL(import.meta.url).pathname, "child", path, cookie, coordinated ? "yes" : "no", String(at)],
            stdout: "piped",
            stderr: "piped",
          }).output();
          await until(at);
          const [mine, theirs] = await Promise.all([burst(client, cookie), child]);
          ok(theirs.code === 0, new TextDecoder().decode(theirs.stderr));
          const all = [...mine, ...JSON.parse(new TextDecoder().decode(theirs.stdout))];
          const errors = all.filter((a) => a.startsWith("error:"));
          if (coordinated) {
            eq(errors, [], "every call answered");
            eq(new Set(all).size, 1, "one token for the 60 calls of both processes: one grant");
          } else {
            ok(errors.length > 0 && errors.every((e) => e === "error:refresh_token_error"), `the grant revoked: ${JSON.stringify([...new Set(all)].slice(0, 3))}`);
          }
        } finally {
          kv.close();
          await Deno.remove(dir, { recursive: true });
        }
      },
    });
  }
}
