//! Raw declarations of the host APIs called directly from Rust: only `extern "C"` items, no
//! logic (as workers-rs' worker-sys). fetch and WebCrypto go through the composites of host.js.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    pub type Crypto;
    #[wasm_bindgen(method, structural, catch, js_name = getRandomValues)]
    pub fn get_random_values(this: &Crypto, buf: &Uint8Array) -> Result<JsValue, JsValue>;

}
