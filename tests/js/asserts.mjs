// Plain assertions and helpers for suites that also run inside workerd (no node:assert there by
// default).
export class AssertionError extends Error {}

export function ok(value, message) {
  if (!value) throw new AssertionError(message);
}

/** Deep equality by JSON form (the values compared here are JSON data). */
export function eq(actual, expected, message) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message}: expected ${e}, got ${a}`);
}

/** Runs `fn` while the client believes `seconds` have passed (Date.now shifted; servers keep real time). */
export async function later(seconds, fn) {
  const realNow = Date.now;
  Date.now = () => realNow() + seconds * 1000;
  try {
    return await fn();
  } finally {
    Date.now = realNow;
  }
}
