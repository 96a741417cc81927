//! The package's built-in stores (pkg-templates/stores.js), for Rust callers: each constructor
//! returns the store object to hand over as [`crate::ClientOptions::state_store`]. One
//! implementation, in JavaScript behind the injected store interface; wasm-bindgen bundles the
//! module with the Rust program that uses it. The stores read and write cookies through the
//! functions exported here ([`crate::core::cookies`], on the `cookie` crate).

use crate::core::cookies;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

/// The pairs of a `Cookie` header as a `Map` (see [`cookies::parse_header`]).
#[wasm_bindgen(js_name = parseCookieHeader, skip_typescript)]
pub fn parse_cookie_header(header: Option<String>) -> js_sys::Map {
    let map = js_sys::Map::new();
    for (name, value) in cookies::parse_header(header.as_deref().unwrap_or("")) {
        map.set(&name.into(), &value.into());
    }
    map
}

/// A `Set-Cookie` line (see [`cookies::set_cookie`]); `value` null expires the cookie.
#[wasm_bindgen(js_name = setCookieLine, skip_typescript)]
pub fn set_cookie_line(
    name: String,
    value: Option<String>,
    secure: bool,
    same_site: String,
    path: String,
    max_age: f64,
) -> Option<String> {
    let attributes = cookies::Attributes { secure, same_site, path };
    cookies::set_cookie(&name, value.as_deref(), &attributes, max_age as i64)
}

/// The name a `Set-Cookie` line sets.
#[wasm_bindgen(js_name = setCookieName, skip_typescript)]
pub fn set_cookie_name(line: String) -> Option<String> {
    cookies::set_cookie_name(&line)
}

#[wasm_bindgen(module = "/pkg-templates/stores.js")]
extern "C" {
    #[wasm_bindgen(js_name = useCookieCodec)]
    fn use_cookie_codec(parse: &JsValue, line: &JsValue, name: &JsValue);

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

/// Hands the cookie functions to this program's copy of stores.js, once (the npm package's entry
/// does the same with the exports).
fn install_cookie_codec() {
    thread_local!(static INSTALLED: Cell<bool> = const { Cell::new(false) });
    if INSTALLED.with(|done| done.replace(true)) {
        return;
    }
    let parse = Closure::<dyn Fn(Option<String>) -> js_sys::Map>::new(parse_cookie_header);
    let line = Closure::<dyn Fn(String, Option<String>, bool, String, String, f64) -> Option<String>>::new(
        set_cookie_line,
    );
    let name = Closure::<dyn Fn(String) -> Option<String>>::new(set_cookie_name);
    use_cookie_codec(&parse.into_js_value(), &line.into_js_value(), &name.into_js_value());
}

/// `new MemoryStore()`: one session per identifier for the whole isolate, shared by every request
/// it serves. For tests and single-user tools only; never the store of a multi-user server.
pub fn memory_store() -> JsValue {
    MemoryStoreJs::new_memory().into()
}

/// `new CookieStore(options)`: the sealed session itself in chunked cookies; store options
/// `{ request, response }` or `{ request, headers }`. Options: `cookieName`, `maxAge`, `secure`,
/// `sameSite`, `path` (undefined for the defaults). A `TypeError` for bad options.
pub fn cookie_store(options: &JsValue) -> Result<JsValue, JsValue> {
    install_cookie_codec();
    CookieStoreJs::new_cookie(options).map(Into::into)
}

/// `new KvStore(namespace, options)`: sessions in Cloudflare Workers KV (the binding, e.g.
/// `env.kv("SESSIONS")`'s inner `JsValue` in workers-rs), a random id in a cookie. Options:
/// `cookieName`, `ttlSeconds`.
pub fn kv_store(namespace: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    install_cookie_codec();
    KvStoreJs::new_kv(namespace, options).map(Into::into)
}

/// `new DenoKvStore(kv, options)`: the same on a `Deno.Kv`.
pub fn deno_kv_store(kv: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    install_cookie_codec();
    DenoKvStoreJs::new_deno_kv(kv, options).map(Into::into)
}
