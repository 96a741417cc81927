//! The pure core: no JavaScript, no I/O, no clock, no randomness. Everything here takes bytes and
//! strings and returns values, so it is tested (and fuzzed) natively with `cargo test`.

pub mod encoding;
pub mod json;
pub mod jwe;
pub mod jwt;
pub mod options;
pub mod request;
pub mod response;
pub mod state;
