//! Raw declarations of the host APIs we call: only `extern "C"` items, no logic (as workers-rs'
//! worker-sys). They are the WHATWG/W3C interfaces every target runtime has: workerd, Deno,
//! Node 20+ and browsers.

use crate::prelude::String;
use js_sys::{Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Response` (or anything shaped like one that a custom `fetch` returns).
    pub type Response;
    #[wasm_bindgen(method, getter, structural)]
    pub fn status(this: &Response) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    pub fn headers(this: &Response) -> JsValue;
    #[wasm_bindgen(method, getter, structural)]
    pub fn body(this: &Response) -> JsValue;

    pub type Headers;
    #[wasm_bindgen(method, structural, catch)]
    pub fn get(this: &Headers, name: &str) -> Result<Option<String>, JsValue>;

    pub type ReadableStream;
    #[wasm_bindgen(method, structural, catch, js_name = getReader)]
    pub fn get_reader(this: &ReadableStream) -> Result<Reader, JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    pub fn cancel(this: &ReadableStream) -> Result<Promise, JsValue>;

    pub type Reader;
    #[wasm_bindgen(method, structural, catch)]
    pub fn read(this: &Reader) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, structural, js_name = cancel)]
    pub fn cancel_reader(this: &Reader) -> Promise;

    pub type AbortController;
    #[wasm_bindgen(constructor, catch)]
    pub fn new() -> Result<AbortController, JsValue>;
    #[wasm_bindgen(method, getter, structural)]
    pub fn signal(this: &AbortController) -> JsValue;
    #[wasm_bindgen(method, structural)]
    pub fn abort(this: &AbortController);

    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(callback: &js_sys::Function, ms: u32, arg: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(id: &JsValue);

    pub type SubtleCrypto;
    #[wasm_bindgen(method, structural, catch, js_name = importKey)]
    pub fn import_key(
        this: &SubtleCrypto,
        format: &str,
        key_data: &JsValue,
        algorithm: &Object,
        extractable: bool,
        usages: &js_sys::Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    pub fn verify(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        signature: &Uint8Array,
        data: &Uint8Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    pub fn sign(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &Uint8Array,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, structural, catch, js_name = deriveBits)]
    pub fn derive_bits(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        length: u32,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    pub fn encrypt(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &Uint8Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, structural, catch)]
    pub fn decrypt(
        this: &SubtleCrypto,
        algorithm: &Object,
        key: &JsValue,
        data: &Uint8Array,
    ) -> Result<Promise, JsValue>;

    pub type Crypto;
    #[wasm_bindgen(method, getter, structural)]
    pub fn subtle(this: &Crypto) -> SubtleCrypto;
    #[wasm_bindgen(method, structural, catch, js_name = getRandomValues)]
    pub fn get_random_values(this: &Crypto, buf: &Uint8Array) -> Result<JsValue, JsValue>;

    pub type Navigator;
    #[wasm_bindgen(method, getter, structural, js_name = userAgent)]
    pub fn user_agent(this: &Navigator) -> JsValue;
}
