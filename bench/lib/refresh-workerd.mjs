// The cost of a coordinated refresh beside an uncoordinated one, per refresh, in workerd
// (bench/workerd/refresh.mjs in one Miniflare instance, SessionDurableObject bound as
// SESSION_OBJECTS). Rounds alternate the variants, after one unrecorded round of each; the token
// server counts the grants, so a round that refreshed less than asked is an error, not a figure.
//
//   node bench/lib/refresh-workerd.mjs        (its own token server; BENCH_REFRESH_N, BENCH_REFRESH_ROUNDS)
//
// bench/run.mjs calls refreshCost() with its token server and reports it in RESULTS.md.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { SESSION_SECRET, SUBJECT_TOKEN, SUBJECT_TOKEN_TYPE } from "./clients.mjs";
import { startTokenServer } from "./token-server-process.mjs";
import { bundleWorker, modules } from "./workerd.mjs";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The variants of bench/workerd/refresh.mjs: no coordinator, one that only runs the refresh, the Durable Object's. */
export const COORDINATORS = ["none", "local", "durable-object"];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Resolves to { n, rounds, none: [ms per refresh, one per round], local: [...],
 * "durable-object": [...], median: { none, local, "durable-object" } }.
 */
export async function refreshCost(server, { n = 100, rounds = 5, progress = () => {} } = {}) {
  const bundle = await bundleWorker("refresh", path.join(benchDir, ".build", "refresh"));
  const { info } = server;
  const mf = new Miniflare({
    modules: modules(bundle),
    modulesRoot: bundle.dir,
    compatibilityDate: "2025-09-01",
    durableObjects: { SESSION_OBJECTS: "SessionDurableObject" },
    bindings: {
      DOMAIN: info.tenants.edge.issuer, CLIENT_ID: info.clientId, CLIENT_SECRET: info.clientSecret, SESSION_SECRET,
      SUBJECT_TOKEN, SUBJECT_TOKEN_TYPE, AUDIENCE: info.audience, SCOPE: info.scope,
    },
  });
  try {
    await mf.ready;
    const one = async (coordinator) => {
      await server.stats("edge"); // resets the counts
      const r = await mf.dispatchFetch(`http://worker/?n=${n}&coordinator=${coordinator}`);
      const body = await r.json();
      const grants = (await server.stats("edge"))["POST /oauth/token"] ?? 0;
      if (r.status !== 200 || grants !== 2 * n) throw new Error(`refresh round: HTTP ${r.status}, ${grants} token requests for ${n} logins and ${n} refreshes`);
      return body.ms / n;
    };
    for (const c of COORDINATORS) await one(c);
    const out = { n, rounds, none: [], local: [], "durable-object": [] };
    for (let i = 0; i < rounds; i++) {
      for (const c of COORDINATORS) out[c].push(await one(c));
      progress(`    round ${i + 1}/${rounds}, ms per refresh: ${COORDINATORS.map((c) => `${c} ${out[c][i].toFixed(2)}`).join(", ")}`);
    }
    out.median = Object.fromEntries(COORDINATORS.map((c) => [c, median(out[c])]));
    return out;
  } finally {
    await mf.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startTokenServer();
  try {
    const n = Number(process.env.BENCH_REFRESH_N ?? 100);
    const rounds = Number(process.env.BENCH_REFRESH_ROUNDS ?? 5);
    const r = await refreshCost(server, { n, rounds, progress: (m) => process.stderr.write(`${m}\n`) });
    const u = r.median.none;
    const cell = (c) => `${c} ${r.median[c].toFixed(2)} ms (${(r.median[c] / u).toFixed(2)}×, +${(r.median[c] - u).toFixed(2)} ms)`;
    process.stdout.write(`refresh in workerd, median of ${rounds} rounds × ${n}, per refresh: none ${u.toFixed(2)} ms, ${cell("local")}, ${cell("durable-object")}\n`);
  } finally {
    await server.stop();
  }
}
