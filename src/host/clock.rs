//! The clock and the host's randomness.

use super::crypto::crypto;
#[allow(unused_imports)]
use crate::prelude::*;
use wasm_bindgen::JsValue;

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Seconds since the epoch.
pub fn now_secs() -> u64 {
    (now_ms() / 1000.0) as u64
}

/// `n` bytes from the host's CSPRNG.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, JsValue> {
    let mut buf = vec![0u8; n];
    crypto()?.get_random_values_with_u8_array(&mut buf)?;
    Ok(buf)
}
