//! Thin async wrappers over the host: `fetch` (requests built with gloo-net) with a deadline and
//! a body limit, WebCrypto through web-sys, the clock and randomness. Each wrapper turns a
//! JavaScript failure into a Rust value; the decisions (what a status or a body means) stay in
//! `crate::core`.

#[allow(unused_imports)]
use crate::prelude::*;
pub mod sys;
pub mod value;
pub use value::is_plain_object;

use crate::core::jwt::PublicJwk;
use crate::core::options::SigningAlg;
use crate::core::response::{Body, MAX_BODY_BYTES};
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use gloo_net::http::RequestBuilder;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AesCbcParams, CryptoKey, EcKeyImportParams, EcdsaParams, HkdfParams, HmacImportParams,
    RequestRedirect, RsaHashedImportParams, RsaPssParams, SubtleCrypto,
};

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Seconds since the epoch.
pub fn now_secs() -> u64 {
    (now_ms() / 1000.0) as u64
}

fn crypto() -> Result<web_sys::Crypto, JsValue> {
    let c = sys::CRYPTO.with(JsValue::clone);
    if c.is_object() {
        Ok(c.unchecked_into())
    } else {
        Err(JsValue::from_str("WebCrypto (globalThis.crypto) is not available in this runtime"))
    }
}

fn subtle() -> Result<SubtleCrypto, JsValue> {
    Ok(crypto()?.subtle())
}

/// `n` bytes from the host's CSPRNG.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, JsValue> {
    let mut buf = vec![0u8; n];
    crypto()?.get_random_values_with_u8_array(&mut buf)?;
    Ok(buf)
}

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

/// Why a request failed, read from the runtime's error and its `cause` (their `code` and
/// `message`), in words (see [`crate::core::response::network_reason`]).
pub fn failure_reason(error: &JsValue) -> String {
    // The error may be a caller's (a custom fetch's): read with caught reads, its text bounded.
    let get = |v: &JsValue, key: &str| value::get(v, key).filter(|v| !v.is_undefined());
    let text = |v: &JsValue, key: &str| get(v, key).and_then(|v| value::short_string(&v, 512));
    let inner = if error.is_object() { get(error, "cause").filter(JsValue::is_object) } else { None };
    let code = inner
        .as_ref()
        .and_then(|c| text(c, "code"))
        .or_else(|| error.is_object().then(|| text(error, "code")).flatten());
    // The innermost message says the most (Node's outer one is "fetch failed").
    let message = inner
        .as_ref()
        .and_then(|c| text(c, "message"))
        .or_else(|| error.is_object().then(|| text(error, "message")).flatten());
    crate::core::response::network_reason(code.as_deref(), message.as_deref())
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

/// A timer that rejects its promise after `ms` (aborting `controller` too, when given). Every
/// step of an operation is raced against it; dropping it clears the timer.
struct Deadline {
    promise: Promise,
    fired: Rc<Cell<bool>>,
    id: JsValue,
    _on_fire: Closure<dyn FnMut()>,
}

impl Deadline {
    fn new(ms: u32, controller: Option<AbortController>) -> Deadline {
        let reject: Rc<RefCell<Option<Function>>> = Rc::default();
        let slot = reject.clone();
        let promise = Promise::new(&mut |_, r| *slot.borrow_mut() = Some(r));
        let fired = Rc::new(Cell::new(false));
        let flag = fired.clone();
        let on_fire = Closure::<dyn FnMut()>::new(move || {
            // Marked first: the abort below fails a pending read at once, and that failure must
            // read as the timeout it is.
            flag.set(true);
            if let Some(r) = reject.borrow_mut().take() {
                let _ = r.call0(&JsValue::UNDEFINED);
            }
            if let Some(c) = &controller {
                c.abort();
            }
        });
        let id = sys::set_timeout(on_fire.as_ref().unchecked_ref(), ms.min(i32::MAX as u32) as i32);
        Deadline { promise, fired, id, _on_fire: on_fire }
    }

    /// `value` (a promise or not) settled, unless the deadline passes first.
    async fn race(&self, value: &JsValue) -> Result<JsValue, HttpFailure> {
        let value = sys::promise_resolve(value).map_err(HttpFailure::Network)?;
        let both = Array::of2(&value, &self.promise);
        JsFuture::from(Promise::race(&both)).await.map_err(|e| self.failure(e))
    }

    fn failure(&self, e: JsValue) -> HttpFailure {
        if self.fired.get() {
            HttpFailure::Timeout
        } else {
            HttpFailure::Network(e)
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
    Deadline::new(timeout_ms, None).race(value).await
}

/// Lets what a call returned settle unobserved: a rejection (a cancelled body's, say) is handled,
/// not reported as unhandled; a call that threw, or a thenable, is let go too.
fn quietly(result: Result<JsValue, JsValue>) {
    if let Some(p) = result.ok().and_then(|v| sys::promise_resolve(&v).ok()) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(p).await;
        });
    }
}

/// Longest response header value read (Content-Type, Content-Encoding, Content-Length).
const MAX_HEADER_CHARS: usize = 1024;

/// A body read as JSON by the host (`JSON.parse`), then into `T` with serde-wasm-bindgen: what
/// the core reads, and, for an object, the parsed value itself (else `undefined`).
pub fn json_body<T: serde::de::DeserializeOwned>(body: &Option<Vec<u8>>) -> (Body<T>, JsValue) {
    let Some(bytes) = body else { return (Body::TooLarge, JsValue::UNDEFINED) };
    match parse_object(bytes) {
        Some(o) => match serde_wasm_bindgen::from_value(o.0.clone()) {
            Ok(t) => (Body::Json(t), o.0),
            Err(_) => (Body::NotJson, JsValue::UNDEFINED),
        },
        None => (Body::NotJson, JsValue::UNDEFINED),
    }
}

/// A JSON object the core does not look into (ID token claims, the session's `user`, `act`):
/// kept as the JavaScript object the host's `JSON.parse` made. It crosses serde as itself
/// (serde-wasm-bindgen's `preserve`); reading one accepts objects only.
#[derive(Clone, Debug, PartialEq)]
pub struct JsObject(pub JsValue);

impl JsObject {
    /// `self[key]`, when it is set.
    pub fn get(&self, key: &str) -> Option<JsValue> {
        Reflect::get(&self.0, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
    }

    /// `self[key]` when it is a string.
    pub fn str_at(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| v.as_string())
    }

    /// `self[key]` when it is an object (not an array).
    pub fn object_at(&self, key: &str) -> Option<JsObject> {
        self.get(key).filter(is_plain_object).map(JsObject)
    }

    /// A shallow copy without `keys`.
    pub fn without(&self, keys: &[&str]) -> JsObject {
        let copy = Object::assign(&Object::new(), self.0.unchecked_ref());
        for k in keys {
            let _ = Reflect::delete_property(&copy, &JsValue::from_str(k));
        }
        JsObject(copy.into())
    }
}

impl serde::Serialize for JsObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, s)
    }
}

impl<'de> serde::Deserialize<'de> for JsObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: JsValue = serde_wasm_bindgen::preserve::deserialize(d)?;
        if is_plain_object(&v) {
            Ok(JsObject(v))
        } else {
            Err(serde::de::Error::custom("not an object"))
        }
    }
}

/// A JSON text (UTF-8 bytes) as the host's `JSON.parse` reads it, when it is an object.
pub fn parse_object(bytes: &[u8]) -> Option<JsObject> {
    let v = js_sys::JSON::parse(core::str::from_utf8(bytes).ok()?).ok()?;
    is_plain_object(&v).then_some(JsObject(v))
}

/// A JSON text read by `JSON.parse`, then, when it is an object, into `T` with serde-wasm-bindgen
/// (a JOSE header, a sealed session's plaintext).
pub fn from_json_text<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_wasm_bindgen::from_value(parse_object(bytes)?.0).ok()
}

/// `value` as JSON text: serde-wasm-bindgen (absent members as `null`), then `JSON.stringify`.
pub fn json_text<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    let v = value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true))?;
    js_sys::JSON::stringify(&v)?.as_string().ok_or_else(|| JsValue::from_str("JSON.stringify gave no text"))
}

/// A response read whole (or found too large).
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// `None`: over [`MAX_BODY_BYTES`] by `Content-Length` or by bytes read.
    pub body: Option<Vec<u8>>,
}

/// Sends a request and reads the whole response within `timeout_ms`, redirects not followed,
/// the body counted as it streams (after any decompression) and capped at [`MAX_BODY_BYTES`].
/// `custom_fetch` is called with the built `Request` instead of the global `fetch`, which is
/// otherwise looked up per call (so a runtime or test that replaces it is honoured).
pub async fn send(
    custom_fetch: Option<&Function>,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
    timeout_ms: u32,
) -> Result<HttpResponse, HttpFailure> {
    let controller = AbortController::new().map_err(HttpFailure::Network)?;
    let deadline = Deadline::new(timeout_ms, Some(controller.clone()));
    let mut builder = RequestBuilder::new(url)
        .method(if method == "POST" { gloo_net::http::Method::POST } else { gloo_net::http::Method::GET })
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&controller.signal()));
    for (k, v) in headers {
        builder = builder.header(k, v);
    }
    let request = match body {
        Some(b) => builder.body(b),
        None => builder.build(),
    }
    .map_err(|e| HttpFailure::Network(JsValue::from_str(&e.to_string())))?;
    let request: web_sys::Request = request.into();
    let sent = match custom_fetch {
        Some(f) => f.call1(&JsValue::UNDEFINED, &request),
        None => sys::fetch_request(&request),
    }
    .map_err(HttpFailure::Network)?;
    let response = deadline.race(&sent).await?;
    // What came back is read as a caller's value: a custom `fetch` may answer anything.
    let not_a = |what: &str| HttpFailure::Network(js_sys::TypeError::new(what).into());
    if !response.is_instance_of::<web_sys::Response>() {
        return Err(not_a("fetch did not return a Response"));
    }
    let status = value::get(&response, "status").and_then(|s| s.as_f64()).unwrap_or(0.0);
    let status = if (0.0..1000.0).contains(&status) { status as u16 } else { 0 };
    let headers = value::get(&response, "headers").filter(|h| h.is_instance_of::<web_sys::Headers>());
    let header = |name: &str| {
        let v =
            headers.as_ref().and_then(|h| value::call_method(h, "get", &Array::of1(&name.into())).ok())?;
        value::short_string(&v, MAX_HEADER_CHARS)
    };
    let content_type = header("content-type");
    // Content-Length counts the bytes on the wire: it bounds the body only when nothing was
    // decompressed (SPEC §9.4). Every body is counted as it is read either way.
    let encoded = header("content-encoding").is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
    let declared =
        (!encoded).then(|| header("content-length").and_then(|l| l.trim().parse::<u64>().ok())).flatten();
    let stream = value::get(&response, "body").ok_or_else(|| not_a("the response body could not be read"))?;
    if value::is_nullish(&stream) {
        return Ok(HttpResponse { status, content_type, body: Some(Vec::new()) });
    }
    if !stream.is_instance_of::<web_sys::ReadableStream>() {
        return Err(not_a("the response body is not a ReadableStream"));
    }
    if declared.is_some_and(|l| l > MAX_BODY_BYTES as u64) {
        quietly(value::call_method(&stream, "cancel", &Array::new()));
        return Ok(HttpResponse { status, content_type, body: None });
    }
    // A locked or disturbed body throws here.
    let reader = value::call_method(&stream, "getReader", &Array::new()).map_err(HttpFailure::Network)?;
    let cancel = |reader: &JsValue| quietly(value::call_method(reader, "cancel", &Array::new()));
    let mut bytes = Vec::new();
    loop {
        let read = value::call_method(&reader, "read", &Array::new()).map_err(HttpFailure::Network);
        let chunk = match read {
            Ok(p) => deadline.race(&p).await,
            Err(e) => Err(e),
        };
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                cancel(&reader);
                return Err(e);
            }
        };
        if value::get(&chunk, "done").and_then(|d| d.as_bool()).unwrap_or(false) {
            break;
        }
        // A real Uint8Array (never a Proxy: `isView` reads an internal slot), copied into one of
        // our own before its length is read.
        let chunk = value::get(&chunk, "value")
            .filter(|v| sys::is_view(v) && v.is_instance_of::<Uint8Array>())
            .and_then(|v| sys::ByteCopy::new(&v).ok())
            .map(|c| c.unchecked_into::<Uint8Array>());
        let Some(chunk) = chunk else {
            cancel(&reader);
            return Err(not_a("the response body yielded a non-byte chunk"));
        };
        if bytes.len() + chunk.length() as usize > MAX_BODY_BYTES {
            cancel(&reader);
            return Ok(HttpResponse { status, content_type, body: None });
        }
        let at = bytes.len();
        bytes.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[at..]);
    }
    Ok(HttpResponse { status, content_type, body: Some(bytes) })
}

// ---------------------------------------------------------------------------------------------
// WebCrypto

async fn await_promise(p: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p?).await
}

fn bytes_of(v: &JsValue) -> Vec<u8> {
    Uint8Array::new(v).to_vec()
}

fn usages(usage: &str) -> JsValue {
    Array::of1(&JsValue::from_str(usage)).into()
}

/// The `importKey` parameters of a JWS algorithm.
fn import_params(alg: SigningAlg) -> Object {
    match alg {
        SigningAlg::RS256 | SigningAlg::PS256 => {
            let p = RsaHashedImportParams::new_with_str("SHA-256");
            let name = if alg == SigningAlg::RS256 { "RSASSA-PKCS1-v1_5" } else { "RSA-PSS" };
            let _ = Reflect::set(&p, &"name".into(), &name.into());
            p.into()
        }
        SigningAlg::ES256 => {
            let p = EcKeyImportParams::new("ECDSA");
            p.set_named_curve("P-256");
            p.into()
        }
    }
}

/// The `sign`/`verify` parameters of a JWS algorithm (ES256 signatures are raw r||s, as JWS's).
fn sign_params(alg: SigningAlg) -> Object {
    match alg {
        SigningAlg::RS256 => web_sys::Algorithm::new("RSASSA-PKCS1-v1_5").into(),
        SigningAlg::PS256 => RsaPssParams::new("RSA-PSS", 32).into(),
        SigningAlg::ES256 => EcdsaParams::new_with_str("ECDSA", "SHA-256").into(),
    }
}

crate::local::local! {
    /// Imported JWKS keys by algorithm and JWK: imported once per isolate, at most 32 kept
    /// (the oldest dropped first).
    static VERIFY_KEYS: RefCell<Vec<(SigningAlg, PublicJwk, CryptoKey)>> = const { RefCell::new(Vec::new()) };
}

async fn verify_key(alg: SigningAlg, jwk: &PublicJwk) -> Result<CryptoKey, JsValue> {
    let cached = VERIFY_KEYS
        .with(|c| c.borrow().iter().find(|(a, j, _)| *a == alg && j == jwk).map(|(_, _, k)| k.clone()));
    if let Some(k) = cached {
        return Ok(k);
    }
    let data: Object = serde_wasm_bindgen::to_value(jwk)?.unchecked_into();
    let key: CryptoKey = await_promise(subtle()?.import_key_with_object(
        "jwk",
        &data,
        &import_params(alg),
        false,
        &usages("verify"),
    ))
    .await?
    .unchecked_into();
    VERIFY_KEYS
        .with(|c| crate::local::push_bounded(&mut c.borrow_mut(), 32, (alg, jwk.clone(), key.clone())));
    Ok(key)
}

/// Verifies a JWS signature with a public JWK.
pub async fn verify(
    alg: SigningAlg,
    jwk: &PublicJwk,
    signature: &[u8],
    data: &[u8],
) -> Result<bool, JsValue> {
    let key = verify_key(alg, jwk).await?;
    let ok = await_promise(subtle()?.verify_with_object_and_u8_array_and_u8_array(
        &sign_params(alg),
        &key,
        signature,
        data,
    ))
    .await?;
    Ok(ok.is_truthy())
}

/// Imports a PKCS#8 private key (DER) for signing with `alg`, non-extractable.
pub async fn import_signing_key(alg: SigningAlg, der: &[u8]) -> Result<JsValue, JsValue> {
    let der = Uint8Array::from(der);
    await_promise(subtle()?.import_key_with_object(
        "pkcs8",
        &der,
        &import_params(alg),
        false,
        &usages("sign"),
    ))
    .await
}

/// Signs `data`, returning the raw JWS signature bytes.
pub async fn sign(alg: SigningAlg, key: &JsValue, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let key: &CryptoKey = key.unchecked_ref();
    Ok(bytes_of(&await_promise(subtle()?.sign_with_object_and_u8_array(&sign_params(alg), key, data)).await?))
}

/// A non-extractable HMAC-SHA-512 key and a non-extractable AES-256-CBC key.
pub struct SealKeys {
    mac: CryptoKey,
    enc: CryptoKey,
}

/// The A256CBC-HS512 keys of a session secret: HKDF-SHA-256 of `secret` (salt, info) to `len`
/// bytes, then (RFC 7518 §5.2.2.1) the first half as the HMAC-SHA-512 key and the second half as
/// the AES-256-CBC key.
pub async fn seal_keys(secret: &[u8], salt: &[u8], info: &[u8], len: u32) -> Result<SealKeys, JsValue> {
    let s = subtle()?;
    let ikm: CryptoKey = await_promise(s.import_key_with_str(
        "raw",
        &Uint8Array::from(secret),
        "HKDF",
        false,
        &usages("deriveBits"),
    ))
    .await?
    .unchecked_into();
    let params =
        HkdfParams::new_with_str("HKDF", "SHA-256", &Uint8Array::from(info), &Uint8Array::from(salt));
    let okm = bytes_of(&await_promise(s.derive_bits_with_object(&params, &ikm, len * 8)).await?);
    let (mac_key, enc_key) = okm.split_at(okm.len() / 2);
    let mac = await_promise(s.import_key_with_object(
        "raw",
        &Uint8Array::from(mac_key),
        &HmacImportParams::new_with_str("HMAC", "SHA-512"),
        false,
        &usages("sign"),
    ))
    .await?
    .unchecked_into();
    let both: JsValue = Array::of2(&"encrypt".into(), &"decrypt".into()).into();
    let enc =
        await_promise(s.import_key_with_str("raw", &Uint8Array::from(enc_key), "AES-CBC", false, &both))
            .await?
            .unchecked_into();
    Ok(SealKeys { mac, enc })
}

impl SealKeys {
    pub async fn hmac(&self, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        Ok(bytes_of(&await_promise(subtle()?.sign_with_str_and_u8_array("HMAC", &self.mac, data)).await?))
    }

    /// AES-256-CBC with PKCS#7 padding.
    pub async fn encrypt(&self, iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = AesCbcParams::new("AES-CBC", &Uint8Array::from(iv));
        Ok(bytes_of(
            &await_promise(subtle()?.encrypt_with_object_and_u8_array(&params, &self.enc, plaintext)).await?,
        ))
    }

    pub async fn decrypt(&self, iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = AesCbcParams::new("AES-CBC", &Uint8Array::from(iv));
        Ok(bytes_of(
            &await_promise(subtle()?.decrypt_with_object_and_u8_array(&params, &self.enc, ciphertext))
                .await?,
        ))
    }
}
