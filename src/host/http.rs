//! HTTP through the host's `fetch`: requests built with gloo-net, each raced against a deadline,
//! redirects not followed, bodies counted as they are read; what a caller's `fetch` answers is
//! read as a caller's value ([`super::value`]).

use super::{sys, value};
use crate::core::response::MAX_BODY_BYTES;
#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};
use gloo_net::http::RequestBuilder;
use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestRedirect};

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
        .and_then(value::error_message)
        .or_else(|| error.is_object().then(|| value::error_message(error)).flatten());
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

/// A response read whole (or found too large).
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// The response's `Headers`, for what only some callers read ([`HttpResponse::header`]).
    headers: Option<JsValue>,
    /// `None`: over [`MAX_BODY_BYTES`] by `Content-Length` or by bytes read. Else the body as
    /// the host's `JSON.parse` read it, `undefined` when it is not JSON (or not UTF-8).
    pub body: Option<JsValue>,
}

impl HttpResponse {
    /// A header of the response, at most [`MAX_HEADER_CHARS`] long.
    pub fn header(&self, name: &str) -> Option<String> {
        response_header(self.headers.as_ref(), name, MAX_HEADER_CHARS)
    }
}

/// A response's `Headers`, read as a caller's value (a custom `fetch` may answer anything).
pub fn response_headers(response: &JsValue) -> Option<JsValue> {
    value::get(response, "headers").filter(|h| h.is_instance_of::<web_sys::Headers>())
}

/// `headers.get(name)` as a string of at most `limit` characters, else `None`.
pub fn response_header(headers: Option<&JsValue>, name: &str, limit: usize) -> Option<String> {
    let v = value::call_method(headers?, "get", &Array::of1(&name.into())).ok()?;
    value::short_string(&v, limit)
}

/// Calls `fetch` with `request`: the caller's `fetch` gets the Request alone, the runtime's (looked
/// up per call, so a runtime or test that replaces it is honoured) gets `body` beside it when
/// there is one (cheaper than a body in the Request). What it returns is not awaited.
pub fn dispatch(
    custom_fetch: Option<&Function>,
    request: &web_sys::Request,
    body: Option<&str>,
) -> Result<JsValue, JsValue> {
    match (custom_fetch, body) {
        (Some(f), _) => f.call1(&JsValue::UNDEFINED, request),
        (None, Some(b)) => {
            let init = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&init, &"body".into(), &b.into());
            sys::fetch_with_init(request, &init)
        }
        (None, None) => sys::fetch_request(request),
    }
}

/// Sends a request and reads the whole response within `timeout_ms`, redirects not followed,
/// the body counted as it streams (after any decompression) and capped at [`MAX_BODY_BYTES`],
/// then parsed as JSON by the host. `custom_fetch` is called with the built `Request` instead of
/// the global `fetch`, which is otherwise looked up per call (so a runtime or test that replaces
/// it is honoured).
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
    // A caller's fetch gets the whole Request; the global one the body beside it (cheaper).
    let request = match (body, custom_fetch) {
        (Some(b), Some(_)) => builder.body(b),
        _ => builder.build(),
    }
    .map_err(|e| HttpFailure::Network(JsValue::from_str(&e.to_string())))?;
    let request: web_sys::Request = request.into();
    let sent = dispatch(custom_fetch, &request, body).map_err(HttpFailure::Network)?;
    let response = deadline.race(&sent).await?;
    // What came back is read as a caller's value: a custom `fetch` may answer anything.
    let not_a = |what: &str| HttpFailure::Network(js_sys::TypeError::new(what).into());
    if !response.is_instance_of::<web_sys::Response>() {
        return Err(not_a("fetch did not return a Response"));
    }
    let status = value::get(&response, "status").and_then(|s| s.as_f64()).unwrap_or(0.0);
    let status = if (0.0..1000.0).contains(&status) { status as u16 } else { 0 };
    let headers = response_headers(&response);
    let header = |name: &str| response_header(headers.as_ref(), name, MAX_HEADER_CHARS);
    let content_type = header("content-type");
    // Content-Length counts the bytes on the wire: it bounds the body only when nothing was
    // decompressed (BEHAVIOUR.md §9.4). Every body is counted as it is read either way.
    let encoded = header("content-encoding").is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
    let declared =
        (!encoded).then(|| header("content-length").and_then(|l| l.trim().parse::<u64>().ok())).flatten();
    let stream = value::get(&response, "body").ok_or_else(|| not_a("the response body could not be read"))?;
    if value::is_nullish(&stream) {
        return Ok(HttpResponse {
            status,
            content_type,
            headers: headers.clone(),
            body: Some(JsValue::UNDEFINED),
        });
    }
    if !stream.is_instance_of::<web_sys::ReadableStream>() {
        return Err(not_a("the response body is not a ReadableStream"));
    }
    if declared.is_some_and(|l| l > MAX_BODY_BYTES as u64) {
        quietly(value::call_method(&stream, "cancel", &Array::new()));
        return Ok(HttpResponse { status, content_type, headers: headers.clone(), body: None });
    }
    if custom_fetch.is_none() && declared.is_some() {
        // The runtime's own Response, its length bounded by the HTTP framing: read in one go.
        let bytes =
            value::call_method(&response, "arrayBuffer", &Array::new()).map_err(HttpFailure::Network)?;
        let bytes = deadline.race(&bytes).await?;
        let bytes: Uint8Array = sys::ByteCopy::new(&bytes).map_err(HttpFailure::Network)?.unchecked_into();
        if bytes.length() as usize > MAX_BODY_BYTES {
            return Ok(HttpResponse { status, content_type, headers: headers.clone(), body: None });
        }
        return Ok(HttpResponse {
            status,
            content_type,
            headers: headers.clone(),
            body: Some(parse_json(&bytes)),
        });
    }
    // A locked or disturbed body throws here.
    let reader = value::call_method(&stream, "getReader", &Array::new()).map_err(HttpFailure::Network)?;
    let cancel = |reader: &JsValue| quietly(value::call_method(reader, "cancel", &Array::new()));
    let mut chunks: Vec<Uint8Array> = Vec::new();
    let mut total = 0usize;
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
        total += chunk.length() as usize;
        if total > MAX_BODY_BYTES {
            cancel(&reader);
            return Ok(HttpResponse { status, content_type, headers: headers.clone(), body: None });
        }
        chunks.push(chunk);
    }
    let bytes = match chunks.len() {
        1 => chunks.swap_remove(0),
        _ => {
            let all = Uint8Array::new_with_length(total as u32);
            let mut at = 0;
            for c in &chunks {
                all.set(c, at);
                at += c.length();
            }
            all
        }
    };
    Ok(HttpResponse { status, content_type, headers: headers.clone(), body: Some(parse_json(&bytes)) })
}

thread_local! {
    /// One strict UTF-8 decoder (`fatal`: invalid bytes are an error, not U+FFFD).
    static DECODER: Option<sys::Utf8Decoder> = {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"fatal".into(), &JsValue::TRUE);
        sys::Utf8Decoder::new("utf-8", &options).ok()
    };
}

/// A body's bytes as the host's `JSON.parse` reads them, all in JavaScript (nothing is copied
/// into wasm memory); `undefined` when they are not UTF-8 or not JSON.
fn parse_json(bytes: &Uint8Array) -> JsValue {
    DECODER
        .with(|d| d.as_ref().and_then(|d| d.decode(bytes).ok()))
        .and_then(|text| sys::json_parse(&text).ok())
        .unwrap_or(JsValue::UNDEFINED)
}
