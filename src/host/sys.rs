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

    /// The global `fetch`, called with a built `Request`.
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn fetch_request(request: &web_sys::Request) -> Result<JsValue, JsValue>;
}
