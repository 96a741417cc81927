// The local provider's coordinates, as tests/provider/harness.mjs passes them to a command.
export function providerEnv(get) {
  const env = {
    issuer: get("AUTH0_EDGE_TEST_ISSUER"),
    pkjwtKey: get("AUTH0_EDGE_TEST_PKJWT_KEY"),
    externalJwt: get("AUTH0_EDGE_TEST_EXTERNAL_JWT"),
    signingJwk: get("AUTH0_EDGE_TEST_SIGNING_JWK"),
  };
  for (const [k, v] of Object.entries(env)) {
    if (!v) throw new Error(`${k} is not set: run this through node tests/provider/harness.mjs -- <command>`);
  }
  return env;
}
