// Plain assertions for suites that also run inside workerd (no node:assert there by default).
export class AssertionError extends Error {}

export function ok(value, message) {
  if (!value) throw new AssertionError(message);
}

/** Deep equality by JSON form (the values compared here are JSON data). */
export function eq(actual, expected, message) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message}: expected ${e}, got ${a}`);
}
