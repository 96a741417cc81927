//! The pure core: no JavaScript, no I/O, no clock, no randomness. Everything here takes bytes and
//! strings and returns values, so it is tested (and fuzzed) natively with `cargo test`.

pub mod api;
pub mod dpop;
pub mod encoding;
pub mod jwe;
pub mod jwt;
pub mod options;
pub mod request;
pub mod response;
pub mod state;

/// What the host does with a JSON text in wasm (`JSON.parse`, then serde), done natively with
/// serde_json for the core's tests: an object read into `T`, anything else `None`.
#[cfg(test)]
pub(crate) fn host_object<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match serde_json::from_slice::<serde_json::Value>(bytes).ok()? {
        v @ serde_json::Value::Object(_) => serde_json::from_value(v).ok(),
        _ => None,
    }
}
