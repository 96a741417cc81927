// The hostile values of BEHAVIOUR.md §11.1, shared by the package's suite (hostile.mjs) and the Rust API's
// wasm-bindgen-test suite (tests/wasm_api.rs), which imports this module (hence `.js`).

const TRAPS = ["get", "set", "has", "deleteProperty", "ownKeys", "getOwnPropertyDescriptor", "defineProperty",
  "getPrototypeOf", "setPrototypeOf", "isExtensible", "preventExtensions", "apply", "construct"];

export const boom = () => {
  throw new Error("hostile");
};
const throwingTraps = () => Object.fromEntries(TRAPS.map((t) => [t, boom]));
const revoked = (target) => {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
};
const nested = (depth, wrap) => {
  let v = "leaf";
  for (let i = 0; i < depth; i++) v = wrap(v);
  return v;
};

/** Marks "define the option as an own getter that throws" (not a value). */
export const THROWING_GETTER = Symbol("throwing getter");
/** The 32 MiB string: a value over every limit, never to be copied into wasm memory. */
export const BIG = "x".repeat(32 << 20);

/** [label, value] pairs; made once per run (the values are never changed by the package). */
export function hostileValues() {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const cyclicArray = [];
  cyclicArray.push(cyclicArray);
  const badName = new Error("x");
  Object.defineProperty(badName, "name", { get: boom });
  const locked = new Response("locked body");
  locked.body.getReader();
  const huge = [];
  huge.length = 2 ** 32 - 1;
  return [
    ["an array nested 10,000 deep", nested(10_000, (v) => [v])],
    ["an object nested 10,000 deep", nested(10_000, (v) => ({ v }))],
    ["a Proxy whose every trap throws", new Proxy({}, throwingTraps())],
    ["a Proxy of an array whose every trap throws", new Proxy([], throwingTraps())],
    ["a Proxy of a function whose every trap throws", new Proxy(function f() {}, throwingTraps())],
    ["a revoked Proxy", revoked({})],
    ["a revoked Proxy of an array", revoked([])],
    ["an object whose toString throws", { toString: boom }],
    ["an object whose valueOf throws", { valueOf: boom }],
    ["an object whose Symbol.toPrimitive throws", { [Symbol.toPrimitive]: boom }],
    ["an object whose Symbol.toStringTag getter throws", Object.defineProperty({}, Symbol.toStringTag, { get: boom })],
    ["an object with a throwing getter", Object.defineProperty({}, "x", { get: boom, enumerable: true })],
    ["an Error whose name throws", badName],
    ["a Symbol", Symbol("hostile")],
    ["a BigInt", 10n ** 30n],
    ["a cyclic object", cyclic],
    ["a cyclic array", cyclicArray],
    ["a function", function hostile() {}],
    ["a 32 MiB string", BIG],
    ["an array of 32 MiB strings", [BIG, BIG, BIG, BIG]],
    ["an array of length 2^32-1", huge],
    ["a thenable whose then throws", { then: boom }],
    ["a thenable whose then getter throws", Object.defineProperty({}, "then", { get: boom })],
    ["a Response with a locked body", locked],
    ["an own getter that throws", THROWING_GETTER],
  ];
}

/**
 * A function that answers `v` as a caller's code may: "returns" it, "throws" it, "rejects with"
 * it or "resolves to" it.
 */
export function answering(how, v) {
  switch (how) {
    case "returns": return () => v;
    case "throws": return () => { throw v; };
    case "rejects with": return () => Promise.reject(v);
    default: return () => Promise.resolve(v);
  }
}

/** The ways `answering` answers. */
export const HOW = ["returns", "throws", "rejects with", "resolves to"];
