//! Thin async wrappers over the host, one file per host object as in workers-rs: [`http`]
//! (`fetch` with a deadline and a body limit, requests built with gloo-net), [`crypto`]
//! (WebCrypto through web-sys), [`json`] (the host's `JSON`), [`clock`] (time and randomness),
//! [`value`] (reading a caller's values) and [`sys`] (raw declarations). Each wrapper turns a
//! JavaScript failure into a Rust value; the decisions (what a status or a body means) stay in
//! `crate::core`.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod clock;
pub mod crypto;
pub mod http;
pub mod json;
pub mod sys;
pub mod value;

pub use clock::{now_ms, now_secs, random_bytes};
pub use crypto::{
    export_jwk, generate_es256, import_es256_jwk, import_signing_key, seal_keys, sha256, sign, verify,
    SealKeys,
};
pub use http::{
    dispatch, failure_reason, response_header, response_headers, send, settle, timeout_cause, HttpFailure,
    HttpResponse,
};
pub use json::{api_claims, from_json_text, jose_header, json_body, json_text, parse_object, JsObject};
pub use value::is_plain_object;

use js_sys::Reflect;
use wasm_bindgen::JsValue;

fn global_has(name: &str) -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined())
}

/// A short name of the runtime, for the telemetry header.
pub fn runtime_name() -> String {
    let name = if global_has("Deno") {
        "deno"
    } else if global_has("process") && !global_has("window") {
        "node"
    } else if Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| Reflect::get(&n, &"userAgent".into()))
        .ok()
        .and_then(|ua| ua.as_string())
        .is_some_and(|ua| ua.contains("Cloudflare-Workers"))
    {
        "workerd"
    } else if global_has("window") {
        "browser"
    } else {
        "unknown"
    };
    name.to_owned()
}
