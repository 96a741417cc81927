//! The package's built-in stores (pkg-templates/stores.js), for Rust callers: each constructor
//! returns the store object to hand over as [`crate::ClientOptions::state_store`]. One
//! implementation, in JavaScript behind the injected store interface; wasm-bindgen bundles the
//! module with the Rust program that uses it.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/pkg-templates/stores.js")]
extern "C" {
    #[wasm_bindgen(js_name = MemoryStore)]
    type MemoryStoreJs;
    #[wasm_bindgen(constructor)]
    fn new_memory() -> MemoryStoreJs;

    #[wasm_bindgen(js_name = CookieStore)]
    type CookieStoreJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_cookie(options: &JsValue) -> Result<CookieStoreJs, JsValue>;

    #[wasm_bindgen(js_name = KvStore)]
    type KvStoreJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_kv(namespace: &JsValue, options: &JsValue) -> Result<KvStoreJs, JsValue>;

    #[wasm_bindgen(js_name = DenoKvStore)]
    type DenoKvStoreJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_deno_kv(kv: &JsValue, options: &JsValue) -> Result<DenoKvStoreJs, JsValue>;
}

/// `new MemoryStore()`: sessions in this isolate's memory (tests, single-user tools).
pub fn memory_store() -> JsValue {
    MemoryStoreJs::new_memory().into()
}

/// `new CookieStore(options)`: the sealed session itself in chunked cookies; store options
/// `{ request, response }` or `{ request, headers }`. Options: `cookieName`, `maxAge`, `secure`,
/// `sameSite`, `path` (undefined for the defaults). A `TypeError` for bad options.
pub fn cookie_store(options: &JsValue) -> Result<JsValue, JsValue> {
    CookieStoreJs::new_cookie(options).map(Into::into)
}

/// `new KvStore(namespace, options)`: sessions in Cloudflare Workers KV (the binding, e.g.
/// `env.kv("SESSIONS")`'s inner `JsValue` in workers-rs), a random id in a cookie. Options:
/// `cookieName`, `ttlSeconds`.
pub fn kv_store(namespace: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    KvStoreJs::new_kv(namespace, options).map(Into::into)
}

/// `new DenoKvStore(kv, options)`: the same on a `Deno.Kv`.
pub fn deno_kv_store(kv: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    DenoKvStoreJs::new_deno_kv(kv, options).map(Into::into)
}
