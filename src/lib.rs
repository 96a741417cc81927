//! auth0-edge: Auth0 Custom Token Exchange (RFC 8693) for edge runtimes.
//!
//! - [`core`]: pure Rust (validation, request building, response parsing, JWT checks), tested
//!   natively.
//! - `host`: thin bindings to the host's `fetch` (through gloo-net), WebCrypto (web-sys), clock and randomness.
//! - [`ServerClient`] (feature `std`, the default): the async Rust API, orchestrating the two.
//! - `js` (feature `js`): the npm package's wasm exports: synchronous, sans-IO functions over the
//!   core; the package's JavaScript driver (`pkg-templates/client.js`) does the I/O between them.

// The npm package build (no `std` feature) is no_std: see Cargo.toml.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

// The Rust API (async, over host bindings): with `std`, as Rust programs use the crate.
#[cfg(feature = "std")]
mod bindings;
#[cfg(feature = "std")]
mod cache;
#[cfg(feature = "std")]
mod client;
#[cfg(feature = "std")]
mod host;
#[cfg(feature = "std")]
mod local;
#[cfg(feature = "std")]
mod session;

pub mod core;
pub mod error;
#[cfg(feature = "js")]
mod js;
mod prelude;

#[cfg(feature = "std")]
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

#[cfg(all(not(feature = "std"), feature = "js", target_arch = "wasm32"))]
mod arena;

/// The package build's allocator: see `arena` (measured: 4.9 KB smaller than dlmalloc, and faster).
#[cfg(all(not(feature = "std"), feature = "js", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: arena::Arena = arena::Arena::new();
