//! The package's built-in stores (pkg-templates/stores.js), for Rust callers: each constructor
//! returns the store object to hand over as [`crate::ClientOptions::state_store`]. One
//! implementation, in JavaScript behind the injected store interface; wasm-bindgen bundles the
//! module with the Rust program that uses it. The stores read and write cookies through the
//! functions exported here ([`crate::core::cookies`], on the `cookie` crate).
//!
//! # Example
//! ```no_run
//! # fn run(env: wasm_bindgen::JsValue, request: web_sys::Request) -> Result<(), auth0_edge::Error> {
//! use auth0_edge::stores::{self, StoreOptions};
//! // A Worker's KV namespace binding (workers-rs: the `Env` as a `JsValue`).
//! let namespace = js_sys::Reflect::get(&env, &"SESSIONS".into()).unwrap_or_default();
//! let store = stores::kv_store(&namespace, &StoreOptions::default())?;
//! // Per request: the store reads the cookie from `request`, appends Set-Cookie to `headers`.
//! let headers = web_sys::Headers::new().unwrap();
//! let store_options = stores::http_options(&request, &headers);
//! # let _ = (store, store_options); Ok(()) }
//! ```

use crate::core::cookies;
use crate::error::{code, Error};
use serde::Serialize;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

/// The pairs of a `Cookie` header as a `Map` (see [`cookies::parse_header`]).
#[cfg_attr(feature = "npm", wasm_bindgen(js_name = parseCookieHeader, skip_typescript))]
pub fn parse_cookie_header(header: Option<String>) -> js_sys::Map {
    let map = js_sys::Map::new();
    for (name, value) in cookies::parse_header(header.as_deref().unwrap_or("")) {
        map.set(&name.into(), &value.into());
    }
    map
}

/// A `Set-Cookie` line (see [`cookies::set_cookie`]); `value` null expires the cookie.
#[cfg_attr(feature = "npm", wasm_bindgen(js_name = setCookieLine, skip_typescript))]
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
#[cfg_attr(feature = "npm", wasm_bindgen(js_name = setCookieName, skip_typescript))]
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

/// Options of the built-in stores; `Default` leaves each at the store's default. Unset fields are
/// left out of the JavaScript options object.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreOptions {
    /// The cookie's name. Default: the client's `state_identifier`, prefixed `__Host-` when the
    /// cookie is `Secure` with `Path=/` (the defaults).
    pub cookie_name: Option<String>,
    /// The cookies' `Secure` attribute. Default true; false only for plain-http development.
    pub secure: Option<bool>,
    /// `"Strict"`, `"Lax"` (the default) or `"None"` (which requires `secure`).
    pub same_site: Option<String>,
    /// The cookies' `Path`. Default `/`.
    pub path: Option<String>,
    /// `cookie_store`: the cookies' `Max-Age` in seconds. Default 259200 (3 days).
    pub max_age: Option<u64>,
    /// `kv_store` (at least 60) and `deno_kv_store`: the entry's lifetime in seconds, also the
    /// cookie's `Max-Age`. Default 259200 (3 days).
    pub ttl_seconds: Option<u64>,
}

impl StoreOptions {
    fn to_js(&self) -> JsValue {
        // Plain fields only: serialization cannot fail.
        serde_wasm_bindgen::to_value(self).unwrap_or_default()
    }
}

/// The store options of one HTTP request for the cookie-carrying stores: `{ request, headers }`.
/// The stores read the session cookie from `request` and append `Set-Cookie` lines to `headers`,
/// which the caller puts on its response.
pub fn http_options(request: &web_sys::Request, headers: &web_sys::Headers) -> JsValue {
    let options = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"request".into(), request);
    let _ = js_sys::Reflect::set(&options, &"headers".into(), headers);
    options.into()
}

/// A store constructor's `TypeError` or `RangeError` as a configuration error (its message names
/// the option, never a value).
fn invalid_store_option(e: JsValue) -> Error {
    let message = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
    Error::config(code::INVALID_OPTION, message.unwrap_or_else(|| "invalid store options".into()))
}

/// `new MemoryStore()`: one session per identifier for the whole isolate, shared by every request
/// it serves. For tests and single-user tools only; never the store of a multi-user server.
pub fn memory_store() -> JsValue {
    MemoryStoreJs::new_memory().into()
}

/// `new CookieStore(options)`: the sealed session itself in chunked cookies; store options from
/// [`http_options`]. A bad option is a configuration error `invalid_option`.
pub fn cookie_store(options: &StoreOptions) -> Result<JsValue, Error> {
    install_cookie_codec();
    CookieStoreJs::new_cookie(&options.to_js()).map(Into::into).map_err(invalid_store_option)
}

/// `new KvStore(namespace, options)`: sessions in Cloudflare Workers KV, a random session id in a
/// cookie. `namespace` is the KV binding itself (in workers-rs,
/// `js_sys::Reflect::get(&env, &"SESSIONS".into())`); store options from [`http_options`].
/// Something that is not a KV binding, or a bad option, is a configuration error
/// `invalid_option`.
pub fn kv_store(namespace: &JsValue, options: &StoreOptions) -> Result<JsValue, Error> {
    install_cookie_codec();
    KvStoreJs::new_kv(namespace, &options.to_js()).map(Into::into).map_err(invalid_store_option)
}

/// `new DenoKvStore(kv, options)`: the same on a `Deno.Kv`.
pub fn deno_kv_store(kv: &JsValue, options: &StoreOptions) -> Result<JsValue, Error> {
    install_cookie_codec();
    DenoKvStoreJs::new_deno_kv(kv, &options.to_js()).map(Into::into).map_err(invalid_store_option)
}
