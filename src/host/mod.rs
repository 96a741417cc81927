//! Thin async wrappers over the host: `fetch` with a deadline and a body limit, WebCrypto, the
//! clock and randomness. Each wrapper turns a JavaScript failure into a Rust value; the decisions
//! (what a status or a body means) stay in `crate::core`.

#[allow(unused_imports)]
use crate::prelude::*;
pub mod sys;

use crate::core::response::MAX_BODY_BYTES;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn global() -> Object {
    js_sys::global()
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Seconds since the epoch.
pub fn now_secs() -> u64 {
    (now_ms() / 1000.0) as u64
}

fn crypto() -> Result<sys::Crypto, JsValue> {
    let c = Reflect::get(&global(), &JsValue::from_str("crypto"))?;
    if c.is_object() {
        Ok(c.unchecked_into())
    } else {
        Err(JsValue::from_str("WebCrypto (globalThis.crypto) is not available in this runtime"))
    }
}

/// `n` bytes from the host's CSPRNG.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, JsValue> {
    let buf = Uint8Array::new_with_length(n as u32);
    crypto()?.get_random_values(&buf)?;
    Ok(buf.to_vec())
}

/// A short description of the runtime for the telemetry header.
pub fn runtime_name() -> String {
    runtime_name_js()
}

// ---------------------------------------------------------------------------------------------
// Composites in host.js: one promise per operation.

#[wasm_bindgen(module = "/src/host/host.js")]
extern "C" {
    #[wasm_bindgen(js_name = isTimeout)]
    fn is_timeout(e: &JsValue) -> bool;
    #[wasm_bindgen(js_name = runtimeName)]
    fn runtime_name_js() -> String;
    /// `Object.entries(v)`; a throwing getter or Proxy trap is an `Err`.
    #[wasm_bindgen(catch)]
    pub fn entries(v: &JsValue) -> Result<Array, JsValue>;
    /// `Some(strings)` for an array of strings; `Ok(None)`-like `null`/`undefined` otherwise (see host.js).
    #[wasm_bindgen(catch, js_name = stringList)]
    pub fn string_list(v: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = isArray)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_name = settle)]
    fn settle_js(value: &JsValue, ms: u32) -> Promise;
    #[wasm_bindgen(js_name = send)]
    fn send_js(
        fetch: &JsValue,
        url: &str,
        method: &str,
        headers: &Object,
        body: Option<&str>,
        ms: u32,
        max: u32,
    ) -> Promise;
    #[wasm_bindgen(js_name = verifyJws)]
    fn verify_jws(alg: &str, jwk_json: &str, signature: &[u8], data: &[u8]) -> Promise;
    #[wasm_bindgen(js_name = importSigningKey)]
    fn import_signing_key_js(alg: &str, der: &[u8]) -> Promise;
    #[wasm_bindgen(js_name = signJws)]
    fn sign_jws(alg: &str, key: &JsValue, data: &[u8]) -> Promise;
    #[wasm_bindgen(js_name = sealKeys)]
    fn seal_keys_js(secret: &[u8], salt: &[u8], info: &[u8], len: u32) -> Promise;
    #[wasm_bindgen(js_name = hmac)]
    fn hmac_js(key: &JsValue, data: &[u8]) -> Promise;
    #[wasm_bindgen(js_name = aesCbc)]
    fn aes_cbc_js(encrypt: bool, key: &JsValue, iv: &[u8], data: &[u8]) -> Promise;
}

/// The cause attached to a timeout error: a JavaScript `Error` named `TimeoutError`.
pub fn timeout_cause(ms: u32) -> JsValue {
    let mut m = String::from("no answer within ");
    crate::error::push_u64(&mut m, u64::from(ms));
    m.push_str(" ms");
    let e = js_sys::Error::new(&m);
    e.set_name("TimeoutError");
    e.into()
}

/// Why an HTTP exchange (or a store call) produced no result.
#[derive(Debug)]
pub enum HttpFailure {
    /// It rejected or threw: a network error, a reset mid-body, a store's own error.
    Network(JsValue),
    /// The deadline passed first (for HTTP: before the whole body arrived).
    Timeout,
}

fn failure(e: JsValue) -> HttpFailure {
    if is_timeout(&e) {
        HttpFailure::Timeout
    } else {
        HttpFailure::Network(e)
    }
}

/// A response read whole (or found too large).
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// `None`: over [`MAX_BODY_BYTES`] by `Content-Length` or by bytes read.
    pub body: Option<Vec<u8>>,
}

/// Awaits a value that may be a promise (or a plain value), failing after `timeout_ms`.
pub async fn settle(value: &JsValue, timeout_ms: u32) -> Result<JsValue, HttpFailure> {
    JsFuture::from(settle_js(value, timeout_ms)).await.map_err(failure)
}

/// Sends a request and reads the whole response within `timeout_ms`, redirects not followed,
/// the body capped at [`MAX_BODY_BYTES`]. `custom_fetch` replaces `globalThis.fetch`, which is
/// otherwise looked up per call (so a runtime or test that replaces it is honoured).
pub async fn send(
    custom_fetch: Option<&Function>,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<HttpResponse, HttpFailure> {
    let header_obj = Object::new();
    for (k, v) in headers {
        set(&header_obj, k, &JsValue::from_str(v));
    }
    let fetch = custom_fetch.map_or(JsValue::UNDEFINED, |f| f.clone().into());
    let p = send_js(&fetch, url, method, &header_obj, body, timeout_ms, MAX_BODY_BYTES as u32);
    let r: Array = JsFuture::from(p).await.map_err(failure)?.unchecked_into();
    let body = r.get(2);
    Ok(HttpResponse {
        status: r.get(0).as_f64().unwrap_or(0.0) as u16,
        content_type: r.get(1).as_string(),
        body: if body.is_null() { None } else { Some(Uint8Array::new(&body).to_vec()) },
    })
}

// ---------------------------------------------------------------------------------------------
// WebCrypto

use crate::core::options::SigningAlg;

fn bytes_of(v: &JsValue) -> Vec<u8> {
    Uint8Array::new(v).to_vec()
}

/// Verifies a JWS signature with a public JWK given as JSON text.
pub async fn verify(alg: SigningAlg, jwk_json: &str, signature: &[u8], data: &[u8]) -> Result<bool, JsValue> {
    Ok(JsFuture::from(verify_jws(alg.name(), jwk_json, signature, data)).await?.is_truthy())
}

/// Imports a PKCS#8 private key (DER) for signing with `alg`.
pub async fn import_signing_key(alg: SigningAlg, der: &[u8]) -> Result<JsValue, JsValue> {
    JsFuture::from(import_signing_key_js(alg.name(), der)).await
}

/// Signs `data`, returning the raw JWS signature bytes.
pub async fn sign(alg: SigningAlg, key: &JsValue, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    Ok(bytes_of(&JsFuture::from(sign_jws(alg.name(), key, data)).await?))
}

/// A non-extractable HMAC-SHA-512 key and a non-extractable AES-256-CBC key.
pub struct SealKeys {
    mac: JsValue,
    enc: JsValue,
}

/// HKDF-SHA-256 of `secret` (salt, info) to `len` bytes, split into the two keys (see host.js).
pub async fn seal_keys(secret: &[u8], salt: &[u8], info: &[u8], len: u32) -> Result<SealKeys, JsValue> {
    let keys: Array = JsFuture::from(seal_keys_js(secret, salt, info, len)).await?.unchecked_into();
    Ok(SealKeys { mac: keys.get(0), enc: keys.get(1) })
}

impl SealKeys {
    pub async fn hmac(&self, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        Ok(bytes_of(&JsFuture::from(hmac_js(&self.mac, data)).await?))
    }

    /// AES-256-CBC with PKCS#7 padding.
    pub async fn encrypt(&self, iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, JsValue> {
        Ok(bytes_of(&JsFuture::from(aes_cbc_js(true, &self.enc, iv, plaintext)).await?))
    }

    pub async fn decrypt(&self, iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, JsValue> {
        Ok(bytes_of(&JsFuture::from(aes_cbc_js(false, &self.enc, iv, ciphertext)).await?))
    }
}
