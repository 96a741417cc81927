//! auth0-edge: Auth0 Custom Token Exchange (RFC 8693) for edge runtimes.
//!
//! - [`core`]: pure Rust (validation, request building, response parsing, JWT checks), tested
//!   natively.
//! - `host`: thin bindings to the host's `fetch`, WebCrypto, clock and randomness.
//! - [`ServerClient`]: the Rust API, orchestrating the two.
//! - `js` (feature `js`): the `#[wasm_bindgen]` JavaScript API of the npm package.

// The npm package build (no `std` feature) is no_std: see Cargo.toml.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod cache;
mod client;
pub mod core;
pub mod error;
mod host;
#[cfg(feature = "js")]
mod js;
mod local;
mod prelude;
mod session;

pub use client::{
    ClientOptions, CustomTokenExchangeOptions, ServerClient, SigningKey, TokenExchangeResponse,
};
pub use core::json::Value;
pub use core::options::{ClientAuthMethod, ParamValue, SigningAlg};
pub use core::state::{State, TokenSet};
pub use error::{Error, ErrorKind, Secret};

/// A panic traps the instance; the fuzzed core has no reachable panic (tests/fuzz_core.rs).
#[cfg(all(not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}

#[cfg(all(not(feature = "std"), feature = "js"))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;
