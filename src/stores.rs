//! The package's built-in stores (its JavaScript classes), for Rust callers: each constructor
//! returns the store object to hand over as [`crate::ClientOptions::state_store`]. One
//! implementation, in JavaScript behind the injected store interface; wasm-bindgen bundles the
//! module with the Rust program that uses it, cookie parsing and writing included.
//!
//! # Example
//! ```no_run
//! # fn run(env: wasm_bindgen::JsValue, request: web_sys::Request) -> Result<(), auth0_edge::Error> {
//! use auth0_edge::stores::{self, StoreOptions};
//! // A Worker's KV namespace binding, here the `Env` object as a `JsValue` (on workers-rs, the
//! // `worker` feature's `workers::kv_store(&env, "SESSIONS", ..)` takes the binding by name).
//! let namespace = js_sys::Reflect::get(&env, &"SESSIONS".into()).unwrap_or_default();
//! let store = stores::kv_store(&namespace, &StoreOptions::default())?;
//! // Per request: the store reads the cookie from `request`, appends Set-Cookie to `headers`.
//! let headers = web_sys::Headers::new().unwrap();
//! let store_options = stores::http_options(&request, &headers);
//! # let _ = (store, store_options); Ok(()) }
//! ```

use crate::error::{code, Error};
use serde::Serialize;
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

    #[wasm_bindgen(js_name = DurableObjectStore)]
    type DurableObjectStoreJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_durable_object(namespace: &JsValue, options: &JsValue) -> Result<DurableObjectStoreJs, JsValue>;

    #[wasm_bindgen(js_name = DenoKvStore)]
    type DenoKvStoreJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_deno_kv(kv: &JsValue, options: &JsValue) -> Result<DenoKvStoreJs, JsValue>;

    #[wasm_bindgen(js_name = DurableObjectRefreshCoordinator)]
    type DurableObjectRefreshCoordinatorJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_durable_object_coordinator(
        namespace: &JsValue,
    ) -> Result<DurableObjectRefreshCoordinatorJs, JsValue>;

    #[wasm_bindgen(js_name = DurableObjectReplayCache)]
    type DurableObjectReplayCacheJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_durable_object_replay_cache(namespace: &JsValue) -> Result<DurableObjectReplayCacheJs, JsValue>;

    #[wasm_bindgen(js_name = DenoKvReplayCache)]
    type DenoKvReplayCacheJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_deno_kv_replay_cache(kv: &JsValue) -> Result<DenoKvReplayCacheJs, JsValue>;

    #[wasm_bindgen(js_name = DenoKvRefreshCoordinator)]
    type DenoKvRefreshCoordinatorJs;
    #[wasm_bindgen(constructor, catch)]
    fn new_deno_kv_coordinator(kv: &JsValue) -> Result<DenoKvRefreshCoordinatorJs, JsValue>;
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
    CookieStoreJs::new_cookie(&options.to_js()).map(Into::into).map_err(invalid_store_option)
}

/// `new KvStore(namespace, options)`: sessions in Cloudflare Workers KV, a random session id in a
/// cookie. `namespace` is the KV binding itself (in workers-rs,
/// `workers::kv_store(&env, "SESSIONS", ..)` with the `worker` feature); store options from
/// [`http_options`].
/// Something that is not a KV binding, or a bad option, is a configuration error
/// `invalid_option`.
pub fn kv_store(namespace: &JsValue, options: &StoreOptions) -> Result<JsValue, Error> {
    KvStoreJs::new_kv(namespace, &options.to_js()).map(Into::into).map_err(invalid_store_option)
}

/// `new DenoKvStore(kv, options)`: the same on a `Deno.Kv`.
pub fn deno_kv_store(kv: &JsValue, options: &StoreOptions) -> Result<JsValue, Error> {
    DenoKvStoreJs::new_deno_kv(kv, &options.to_js()).map(Into::into).map_err(invalid_store_option)
}

/// `new DurableObjectStore(namespace, options)`: sessions in Durable Objects (the package's
/// `SessionDurableObject` class, which the Worker exports and binds), a random session id in a
/// cookie; strongly consistent across locations. `namespace` is the binding itself (with the
/// `worker` feature, `workers::durable_object_store(&env, "SESSION_OBJECTS", ..)` takes it by
/// name); store options from [`http_options`]. Something that is not such a binding, or a bad
/// option, is a configuration error `invalid_option`.
pub fn durable_object_store(namespace: &JsValue, options: &StoreOptions) -> Result<JsValue, Error> {
    DurableObjectStoreJs::new_durable_object(namespace, &options.to_js())
        .map(Into::into)
        .map_err(invalid_store_option)
}

/// `new DurableObjectRefreshCoordinator(namespace)`: one refresh per refresh token across isolates
/// and locations, on the same `SessionDurableObject` binding as [`durable_object_store`]; hand it
/// over as [`crate::ClientOptions::refresh_coordinator`]. Every caller presenting a refresh token
/// within 60 s of its refresh gets that refresh's result (sealed with the session secret) instead
/// of calling Auth0 again. Something that is not such a binding is `invalid_option`.
pub fn durable_object_refresh_coordinator(namespace: &JsValue) -> Result<JsValue, Error> {
    DurableObjectRefreshCoordinatorJs::new_durable_object_coordinator(namespace)
        .map(Into::into)
        .map_err(invalid_store_option)
}

/// `new DenoKvRefreshCoordinator(kv)`: the same on a `Deno.Kv` shared by the processes (an atomic
/// claim per refresh token, the result kept 60 s).
pub fn deno_kv_refresh_coordinator(kv: &JsValue) -> Result<JsValue, Error> {
    DenoKvRefreshCoordinatorJs::new_deno_kv_coordinator(kv).map(Into::into).map_err(invalid_store_option)
}

/// `new DurableObjectReplayCache(namespace)`: the DPoP proofs an `ApiClient` accepted, shared by
/// every isolate and location through `SessionDurableObject` objects (one per proof), for
/// [`crate::ApiClientOptions::dpop_replay_cache`]. A namespace without `idFromName` and `get` is
/// a `Configuration` error `invalid_option`.
pub fn durable_object_replay_cache(namespace: &JsValue) -> Result<JsValue, Error> {
    DurableObjectReplayCacheJs::new_durable_object_replay_cache(namespace)
        .map(Into::into)
        .map_err(invalid_store_option)
}

/// `new DenoKvReplayCache(kv)`: the same on a `Deno.Kv` shared by the processes (an atomic
/// check-and-set per proof, expiring with its window).
pub fn deno_kv_replay_cache(kv: &JsValue) -> Result<JsValue, Error> {
    DenoKvReplayCacheJs::new_deno_kv_replay_cache(kv).map(Into::into).map_err(invalid_store_option)
}
