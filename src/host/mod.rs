//! Thin async wrappers over the host: `fetch` with a deadline and a body limit, WebCrypto, the
//! clock and randomness. Each wrapper turns a JavaScript failure into a Rust value; the decisions
//! (what a status or a body means) stay in `crate::core`.

#[allow(unused_imports)]
use crate::prelude::*;
pub mod sys;

use crate::core::response::MAX_BODY_BYTES;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn global() -> Object {
    js_sys::global()
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A plain object from key/value pairs.
pub fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o
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
pub fn runtime_name() -> &'static str {
    let g = global();
    let has = |k: &str| Reflect::get(&g, &JsValue::from_str(k)).is_ok_and(|v| !v.is_undefined());
    if has("Deno") {
        return "deno";
    }
    if has("process") && !has("window") {
        return "node";
    }
    let ua = Reflect::get(&g, &JsValue::from_str("navigator"))
        .ok()
        .filter(JsValue::is_object)
        .and_then(|n| n.unchecked_into::<sys::Navigator>().user_agent().as_string())
        .unwrap_or_default();
    if ua.contains("Cloudflare-Workers") {
        "workerd"
    } else if has("window") {
        "browser"
    } else {
        "unknown"
    }
}

// ---------------------------------------------------------------------------------------------
// fetch

/// Why an HTTP exchange produced no response.
#[derive(Debug)]
pub enum HttpFailure {
    /// `fetch` rejected or threw (DNS, connection refused, reset mid-body, a bad `fetch` option).
    Network(JsValue),
    /// The deadline passed before the whole response (body included) arrived.
    Timeout,
}

/// A response read whole (or found too large).
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// `None`: over [`MAX_BODY_BYTES`] by `Content-Length` or by bytes read.
    pub body: Option<Vec<u8>>,
}

/// One deadline for one request: a `setTimeout` that resolves a promise with a sentinel, raced
/// against each step (the fetch, every body read). Cleared when dropped, so no timer keeps a
/// Node process or a Worker alive.
struct Deadline {
    timer: Promise,
    sentinel: JsValue,
    id: JsValue,
}

impl Deadline {
    fn new(ms: u32) -> Deadline {
        let sentinel: JsValue = Object::new().into();
        let mut id = JsValue::UNDEFINED;
        let timer = Promise::new(&mut |resolve, _reject| {
            id = sys::set_timeout(&resolve, ms, &sentinel);
        });
        Deadline { timer, sentinel, id }
    }

    /// Awaits `p`, or fails with `Timeout` if the deadline comes first.
    async fn race(&self, p: Promise) -> Result<JsValue, HttpFailure> {
        let both = Array::of2(&p, &self.timer);
        match JsFuture::from(Promise::race(&both)).await {
            Ok(v) if v == self.sentinel => Err(HttpFailure::Timeout),
            Ok(v) => Ok(v),
            Err(e) => Err(HttpFailure::Network(e)),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        sys::clear_timeout(&self.id);
    }
}

/// Awaits a value that may be a promise (or a plain value), failing after `timeout_ms`.
pub async fn settle(value: &JsValue, timeout_ms: u32) -> Result<JsValue, HttpFailure> {
    Deadline::new(timeout_ms).race(Promise::resolve(value)).await
}

/// The `fetch` to call: the client's own, else `globalThis.fetch` (looked up per call, so a
/// runtime or test that replaces it is honoured).
fn fetch_fn(custom: Option<&Function>) -> Result<Function, JsValue> {
    if let Some(f) = custom {
        return Ok(f.clone());
    }
    Reflect::get(&global(), &JsValue::from_str("fetch"))?
        .dyn_into::<Function>()
        .map_err(|_| JsValue::from_str("globalThis.fetch is not a function"))
}

/// Sends a request and reads the whole response within `timeout_ms`, redirects not followed,
/// the body capped at [`MAX_BODY_BYTES`].
pub async fn send(
    custom_fetch: Option<&Function>,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<HttpResponse, HttpFailure> {
    let fetch = fetch_fn(custom_fetch).map_err(HttpFailure::Network)?;
    let controller = sys::AbortController::new().map_err(HttpFailure::Network)?;
    let deadline = Deadline::new(timeout_ms);
    let header_obj = Object::new();
    for (k, v) in headers {
        set(&header_obj, k, &JsValue::from_str(v));
    }
    let init = object(&[
        ("method", JsValue::from_str(method)),
        ("headers", header_obj.into()),
        ("redirect", JsValue::from_str("manual")),
        ("signal", controller.signal()),
    ]);
    if let Some(b) = body {
        set(&init, "body", &JsValue::from_str(b));
    }
    let result = read_response(&fetch, url, &init, &deadline).await;
    if matches!(result, Err(HttpFailure::Timeout)) {
        controller.abort();
    }
    result
}

async fn read_response(
    fetch: &Function,
    url: &str,
    init: &Object,
    deadline: &Deadline,
) -> Result<HttpResponse, HttpFailure> {
    // A `fetch` that throws synchronously, or returns something that is not a promise, is
    // treated like one that rejects.
    let called =
        fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init).map_err(HttpFailure::Network)?;
    let response: sys::Response = deadline.race(Promise::resolve(&called)).await?.unchecked_into();
    if !response.is_object() {
        return Err(HttpFailure::Network(JsValue::from_str("fetch did not return a Response")));
    }
    let status = response.status().as_f64().filter(|s| (0.0..1000.0).contains(s)).unwrap_or(0.0) as u16;
    let headers = response.headers();
    let header = |name: &str| -> Option<String> {
        if headers.is_object() {
            headers.unchecked_ref::<sys::Headers>().get(name).ok().flatten()
        } else {
            None
        }
    };
    let content_type = header("content-type");
    let stream = response.body();
    let declared_too_large = header("content-length")
        .and_then(|l| l.trim().parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES as u64);
    if declared_too_large {
        if stream.is_object() {
            let _ = stream.unchecked_ref::<sys::ReadableStream>().cancel();
        }
        return Ok(HttpResponse { status, content_type, body: None });
    }
    if !stream.is_object() {
        return Ok(HttpResponse { status, content_type, body: Some(Vec::new()) });
    }
    let reader = stream.unchecked_ref::<sys::ReadableStream>().get_reader().map_err(HttpFailure::Network)?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let read = match reader.read() {
            Ok(p) => deadline.race(p).await,
            Err(e) => Err(HttpFailure::Network(e)),
        };
        let chunk = match read {
            Ok(c) => c,
            Err(e) => {
                let _ = reader.cancel_reader();
                return Err(e);
            }
        };
        if Reflect::get(&chunk, &JsValue::from_str("done")).is_ok_and(|d| d.is_truthy()) {
            break;
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        let Some(array) = value.dyn_ref::<Uint8Array>() else {
            let _ = reader.cancel_reader();
            return Err(HttpFailure::Network(JsValue::from_str(
                "the response body yielded a non-byte chunk",
            )));
        };
        if bytes.len() + array.length() as usize > MAX_BODY_BYTES {
            let _ = reader.cancel_reader();
            return Ok(HttpResponse { status, content_type, body: None });
        }
        let start = bytes.len();
        bytes.resize(start + array.length() as usize, 0);
        array.copy_to(&mut bytes[start..]);
    }
    Ok(HttpResponse { status, content_type, body: Some(bytes) })
}

// ---------------------------------------------------------------------------------------------
// WebCrypto

use crate::core::options::SigningAlg;

/// The WebCrypto algorithm objects for a JWS algorithm: (import parameters, sign/verify parameters).
fn algorithm(alg: SigningAlg) -> (Object, Object) {
    let sha256 = JsValue::from_str("SHA-256");
    match alg {
        SigningAlg::RS256 => (
            object(&[("name", "RSASSA-PKCS1-v1_5".into()), ("hash", sha256)]),
            object(&[("name", "RSASSA-PKCS1-v1_5".into())]),
        ),
        SigningAlg::PS256 => (
            object(&[("name", "RSA-PSS".into()), ("hash", sha256)]),
            object(&[("name", "RSA-PSS".into()), ("saltLength", 32.into())]),
        ),
        SigningAlg::ES256 => (
            object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]),
            object(&[("name", "ECDSA".into()), ("hash", sha256)]),
        ),
    }
}

/// Imports a public JWK (given as JSON text) for verifying `alg` signatures.
pub async fn import_verify_key(alg: SigningAlg, jwk_json: &str) -> Result<JsValue, JsValue> {
    let jwk = js_sys::JSON::parse(jwk_json)?;
    let (params, _) = algorithm(alg);
    let usages = Array::of1(&JsValue::from_str("verify"));
    JsFuture::from(crypto()?.subtle().import_key("jwk", &jwk, &params, false, &usages)?).await
}

/// Imports a PKCS#8 private key (DER) for signing with `alg`.
pub async fn import_signing_key(alg: SigningAlg, der: &[u8]) -> Result<JsValue, JsValue> {
    let data = Uint8Array::from(der);
    let (params, _) = algorithm(alg);
    let usages = Array::of1(&JsValue::from_str("sign"));
    JsFuture::from(crypto()?.subtle().import_key("pkcs8", &data, &params, false, &usages)?).await
}

/// Verifies a JWS signature (ES256 signatures are already the raw `r||s` WebCrypto expects).
pub async fn verify(alg: SigningAlg, key: &JsValue, signature: &[u8], data: &[u8]) -> Result<bool, JsValue> {
    let (_, params) = algorithm(alg);
    let ok = JsFuture::from(crypto()?.subtle().verify(
        &params,
        key,
        &Uint8Array::from(signature),
        &Uint8Array::from(data),
    )?)
    .await?;
    Ok(ok.is_truthy())
}

/// Signs `data`, returning the raw JWS signature bytes.
pub async fn sign(alg: SigningAlg, key: &JsValue, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let (_, params) = algorithm(alg);
    let sig = JsFuture::from(crypto()?.subtle().sign(&params, key, &Uint8Array::from(data))?).await?;
    Ok(Uint8Array::new(&sig).to_vec())
}

fn bytes_of(buffer: &JsValue) -> Vec<u8> {
    Uint8Array::new(buffer).to_vec()
}

/// HKDF-SHA-256 (RFC 5869) through WebCrypto: `len` bytes from `ikm`, `salt` and `info`.
pub async fn hkdf_sha256(ikm: &[u8], salt: &[u8], info: &[u8], len: u32) -> Result<Vec<u8>, JsValue> {
    let subtle = crypto()?.subtle();
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let key = JsFuture::from(subtle.import_key(
        "raw",
        &Uint8Array::from(ikm),
        &object(&[("name", "HKDF".into())]),
        false,
        &usages,
    )?)
    .await?;
    let params = object(&[
        ("name", "HKDF".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("info", Uint8Array::from(info).into()),
    ]);
    Ok(bytes_of(&JsFuture::from(subtle.derive_bits(&params, &key, len * 8)?).await?))
}

/// A non-extractable HMAC-SHA-512 key and a non-extractable AES-256-CBC key.
pub struct SealKeys {
    mac: JsValue,
    enc: JsValue,
}

pub async fn import_seal_keys(mac_key: &[u8], enc_key: &[u8]) -> Result<SealKeys, JsValue> {
    let subtle = crypto()?.subtle();
    let mac = JsFuture::from(subtle.import_key(
        "raw",
        &Uint8Array::from(mac_key),
        &object(&[("name", "HMAC".into()), ("hash", "SHA-512".into())]),
        false,
        &Array::of1(&JsValue::from_str("sign")),
    )?)
    .await?;
    let enc = JsFuture::from(subtle.import_key(
        "raw",
        &Uint8Array::from(enc_key),
        &object(&[("name", "AES-CBC".into())]),
        false,
        &Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt")),
    )?)
    .await?;
    Ok(SealKeys { mac, enc })
}

impl SealKeys {
    pub async fn hmac(&self, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = object(&[("name", "HMAC".into())]);
        Ok(bytes_of(
            &JsFuture::from(crypto()?.subtle().sign(&params, &self.mac, &Uint8Array::from(data))?).await?,
        ))
    }

    /// AES-256-CBC with PKCS#7 padding (WebCrypto pads and unpads).
    pub async fn encrypt(&self, iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = object(&[("name", "AES-CBC".into()), ("iv", Uint8Array::from(iv).into())]);
        let p = crypto()?.subtle().encrypt(&params, &self.enc, &Uint8Array::from(plaintext))?;
        Ok(bytes_of(&JsFuture::from(p).await?))
    }

    pub async fn decrypt(&self, iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = object(&[("name", "AES-CBC".into()), ("iv", Uint8Array::from(iv).into())]);
        let p = crypto()?.subtle().decrypt(&params, &self.enc, &Uint8Array::from(ciphertext))?;
        Ok(bytes_of(&JsFuture::from(p).await?))
    }
}
