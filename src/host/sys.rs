//! Raw declarations of the host globals that web-sys reaches only through `Window` or
//! `WorkerGlobalScope` (which Node, Deno and workerd do not all have): only `extern "C"` items,
//! no logic (as workers-rs' worker-sys).

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `globalThis.crypto`, looked up on first use.
    #[wasm_bindgen(thread_local_v2, js_name = crypto)]
    pub static CRYPTO: JsValue;

    /// `setTimeout(handler, ms)`: the timer's id.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &Function, ms: i32) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    /// `Array.isArray(v)`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;

    /// `Promise.resolve(v)`, which throws for a promise whose `constructor` getter throws.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    pub fn promise_resolve(v: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// `Reflect.getOwnPropertyDescriptor(o, key)`: `undefined` when `o` has no own `key`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = getOwnPropertyDescriptor)]
    pub fn own_descriptor(o: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get(o, key)` with a key already a JavaScript string.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    pub fn get_of(o: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get(o, key)`: a getter or a Proxy trap may run (and throw) here.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    pub fn get(o: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    /// `ArrayBuffer.isView(v)`: true only for real typed arrays and DataViews (never a Proxy).
    #[wasm_bindgen(js_namespace = ArrayBuffer, js_name = isView)]
    pub fn is_view(v: &JsValue) -> bool;

    /// A `Uint8Array` of our own, copied from a caller's typed array (which may be detached).
    #[wasm_bindgen(js_name = Uint8Array)]
    pub type ByteCopy;
    #[wasm_bindgen(constructor, catch, js_class = "Uint8Array")]
    pub fn new(bytes: &JsValue) -> Result<ByteCopy, JsValue>;

    /// `Object.entries(v)`: own enumerable string-keyed properties (a getter or a Proxy trap that
    /// throws is an `Err`).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    pub fn object_entries(v: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `Object.fromEntries(entries)`: each entry an own data property, `__proto__` included
    /// (never the prototype, as assigning it would set).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = fromEntries)]
    pub fn object_from_entries(entries: &JsValue) -> Result<JsValue, JsValue>;

    /// `JSON.parse(text)` of a JavaScript string (never copied into wasm memory).
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    /// A `TextDecoder`, for response bodies read chunk by chunk.
    #[wasm_bindgen(js_name = TextDecoder)]
    pub type Utf8Decoder;
    #[wasm_bindgen(constructor, catch, js_class = "TextDecoder")]
    pub fn new(label: &str, options: &JsValue) -> Result<Utf8Decoder, JsValue>;
    /// The text of `bytes`, a JavaScript string; with `fatal`, invalid UTF-8 throws.
    #[wasm_bindgen(method, catch, js_class = "TextDecoder")]
    pub fn decode(this: &Utf8Decoder, bytes: &js_sys::Uint8Array) -> Result<JsValue, JsValue>;

    /// `fetch(request, init)`: the body in `init`, so the runtime does not re-pipe a `Request`'s
    /// body stream through an identity transform (what `fetch(request)` does with one).
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn fetch_with_init(request: &web_sys::Request, init: &JsValue) -> Result<JsValue, JsValue>;

    /// The global `fetch`, called with a built `Request`.
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn fetch_request(request: &web_sys::Request) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// A `TextEncoder`: a JavaScript string's UTF-8 bytes written into wasm memory in one native
    /// call (wasm-bindgen's own copy loops over the string in JavaScript, one unit at a time).
    #[wasm_bindgen(js_name = TextEncoder)]
    pub type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    pub fn new() -> Utf8Encoder;
    /// `encodeInto(text, into)`: `{ read, written }`. `text` must be a string: nothing then throws.
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    pub fn encode_into(this: &Utf8Encoder, text: &JsValue, into: &js_sys::Uint8Array) -> EncodeResult;
    pub type EncodeResult;
    /// UTF-16 units read.
    #[wasm_bindgen(method, getter)]
    pub fn read(this: &EncodeResult) -> u32;
    /// Bytes written.
    #[wasm_bindgen(method, getter)]
    pub fn written(this: &EncodeResult) -> u32;

    /// `Reflect.get(o, key)` of an object of the host's `JSON.parse`, which has no getters or
    /// traps to throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    pub fn json_get(o: &JsValue, key: &JsValue) -> JsValue;
    /// `Object.keys(o)` of an object of the host's `JSON.parse`.
    #[wasm_bindgen(js_namespace = Object, js_name = keys)]
    pub fn json_keys(o: &JsValue) -> js_sys::Array;
}

// rustfmt would drop the initializers, which it does not expect in an extern block.
#[rustfmt::skip]
#[wasm_bindgen]
extern "C" {
    /// Member names read from JOSE headers and access token claims: JavaScript strings made once.
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static ALG: js_sys::JsString = "alg";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static KID: js_sys::JsString = "kid";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static CRIT: js_sys::JsString = "crit";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static TYP: js_sys::JsString = "typ";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static ISS: js_sys::JsString = "iss";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static AUD: js_sys::JsString = "aud";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static EXP: js_sys::JsString = "exp";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static IAT: js_sys::JsString = "iat";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static NBF: js_sys::JsString = "nbf";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static SCOPE: js_sys::JsString = "scope";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static PERMISSIONS: js_sys::JsString = "permissions";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static CNF: js_sys::JsString = "cnf";
    #[wasm_bindgen(thread_local_v2, static_string)]
    pub static JKT: js_sys::JsString = "jkt";
}
