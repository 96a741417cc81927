// Constants shared by the fault server (server.mjs) and the hardening tests (scenarios.mjs).
//
// Every secret and token is distinctive, so the secrets test can search all error output for it.
// None of them is ever printed: tests report lengths and claims, never these values.

export const CLIENT_ID = "fault-client";
/** Contains characters Basic credentials must form-urlencode (RFC 6749 §2.3.1). */
export const CLIENT_SECRET = "CLIENT-SECRET-q7Vd+Wk/3x:9 fault%41-do-not-leak";
/** Session secrets, each at least 32 characters. */
export const SESSION_SECRET = "SESSION-SECRET-7hQ2mZp4vX9sL1cB-do-not-leak";
export const OTHER_SESSION_SECRET = "SESSION-SECRET-OTHER-Rr8nY3kP6wJ0tG5e-do-not-leak";
export const SUBJECT_TOKEN_TYPE = "urn:acme:legacy-token";
/** Subject tokens of two users: the fault server derives `sub` from a hash of the token. */
export const SUBJECT_TOKENS = Object.freeze({
  alice: "SUBJECT-TOKEN-alice-Mf3Jq8Zr1LwC6yHn-do-not-leak",
  bob: "SUBJECT-TOKEN-bob-Xe5Tg2Ua9KpD4sVb-do-not-leak",
});
export const ACTOR_TOKEN = "ACTOR-TOKEN-Pz6Rm1Wq8EvN3jLc-do-not-leak";
export const ACTOR_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/** Every value that must never appear in an error, a log line or a stack. */
export const SECRET_VALUES = Object.freeze([
  CLIENT_SECRET,
  SESSION_SECRET,
  OTHER_SESSION_SECRET,
  ...Object.values(SUBJECT_TOKENS),
  ACTOR_TOKEN,
]);

/**
 * A 600 KB access token (within the 1 MiB limits on a token response and a sealed session) that
 * names its own offsets: the core's memory (about 60 KB free at the start) must grow while the
 * response and the session are handled, and a result read from a stale view or at a wrong offset
 * would not match it. Not a secret: the fault server sends it in "token-200-600kb-access-token".
 */
export const LARGE_ACCESS_TOKEN = Array.from({ length: 60_000 }, (_, i) => `${i}`.padStart(9, ".") + "~").join("");

/** The lanes of each scenario: one server (one port, one domain, cold caches) per lane. */
export const LANES = Object.freeze(["exchange", "login"]);
