// bench/lib/verify.mjs in workerd: GET /?lib=<name>&n=N verifies the token N times with that
// library (n=0: nothing, the request's own cost) and answers the last claims' sub. Timed from
// outside: workerd's clock does not advance during computation.
import { verifiers } from "./verifiers.mjs";

let verify;
export default {
  async fetch(request, env) {
    verify ??= verifiers(JSON.parse(env.TENANT));
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n"));
    let sub = null;
    for (let i = 0; i < n; i++) sub = (await verify[url.searchParams.get("lib")]()).sub;
    return Response.json({ sub });
  },
};
