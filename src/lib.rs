//! auth0-edge: Auth0 Custom Token Exchange (RFC 8693) for edge runtimes.
//!
//! - [`core`]: pure Rust (validation, request building, response parsing, JWT checks), tested
//!   natively.
//! - `host`: thin bindings to the host's `fetch`, WebCrypto, clock and randomness.
//! - [`ServerClient`]: the Rust API, orchestrating the two.
//! - `js` (feature `js`): the `#[wasm_bindgen]` JavaScript API of the npm package.

mod cache;
mod client;
pub mod core;
pub mod error;
mod host;
#[cfg(feature = "js")]
mod js;
mod session;

pub use client::{
    ClientOptions, CustomTokenExchangeOptions, ServerClient, SigningKey, TokenExchangeResponse,
};
pub use core::json::Value;
pub use core::options::{ClientAuthMethod, ParamValue, SigningAlg};
pub use core::state::{State, TokenSet};
pub use error::{Error, ErrorKind, Secret};
