// Sealing sessions in plain WebCrypto (BEHAVIOUR.md §3.5), independently of the package: to re-encrypt a
// session under other keys or with a changed state. Shared by the fault suite, the shared suite
// and the Rust API's wasm-bindgen tests (which import this module, hence `.js`).

const enc = new TextEncoder();
const b64u = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64u = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) out.set(p, (i += p.length) - p.length);
  return out;
}
async function sealKeys(secret, identifier) {
  const ikm = await crypto.subtle.importKey("raw", enc.encode(secret), "HKDF", false, ["deriveBits"]);
  const okm = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: enc.encode(identifier), info: enc.encode("Auth0 Generated Encryption") }, ikm, 512),
  );
  const mac = await crypto.subtle.importKey("raw", okm.slice(0, 32), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
  const aes = await crypto.subtle.importKey("raw", okm.slice(32), "AES-CBC", false, ["encrypt", "decrypt"]);
  return { mac, aes };
}
async function tagOf(keys, aad, iv, ciphertext) {
  const al = new Uint8Array(8);
  new DataView(al.buffer).setBigUint64(0, BigInt(aad.length * 8));
  return new Uint8Array(await crypto.subtle.sign("HMAC", keys.mac, concat(aad, iv, ciphertext, al))).slice(0, 32);
}
/** Seals `plaintext` (bytes) as a compact JWE, optionally under another protected header. */
export async function seal(plaintext, secret, identifier, header = { alg: "dir", enc: "A256CBC-HS512" }) {
  const keys = await sealKeys(secret, identifier);
  const protectedB64 = b64u(enc.encode(JSON.stringify(header)));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, keys.aes, plaintext));
  const tag = await tagOf(keys, enc.encode(protectedB64), iv, ciphertext);
  return `${protectedB64}..${b64u(iv)}.${b64u(ciphertext)}.${b64u(tag)}`;
}
/** Opens a compact JWE sealed by the package: the plaintext bytes (throws if the tag is wrong). */
export async function open(sealed, secret, identifier) {
  const [h, ek, iv, ct, tag] = sealed.split(".");
  if (ek !== "") throw new Error("dir: the encrypted key must be empty");
  const keys = await sealKeys(secret, identifier);
  const expected = await tagOf(keys, enc.encode(h), unb64u(iv), unb64u(ct));
  if (b64u(expected) !== tag) throw new Error("our own HKDF/HMAC must open the package's seal (BEHAVIOUR.md §3.5)");
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv: unb64u(iv) }, keys.aes, unb64u(ct)));
}

/** `sealed` opened, its `domain` removed (as an older SDK sealed it), sealed again. */
export async function withoutDomain(sealed, secret, identifier) {
  const state = JSON.parse(new TextDecoder().decode(await open(sealed, secret, identifier)));
  delete state.domain;
  return seal(enc.encode(JSON.stringify(state)), secret, identifier);
}
