//! auth0-edge: Auth0 Custom Token Exchange (RFC 8693) for edge runtimes.
//!
//! Section numbers in these docs ("BEHAVIOUR.md §2.1") cite the repository's behaviour rules,
//! `docs/BEHAVIOUR.md`: what each operation checks, in which order, and with which error.
//!
//! - [`core`]: pure Rust (validation, request building, response parsing, JWT checks, JWE framing,
//!   the state model), tested natively and fuzzed.
//! - `host`: thin bindings to the host's `fetch` (requests built with gloo-net), WebCrypto
//!   (web-sys), clock and randomness.
//! - [`ServerClient`]: the async client, orchestrating the two; Rust programs use it directly.
//! - [`ApiClient`]: the API's side: access tokens presented to an API, verified (BEHAVIOUR.md §13).
//! - `bindings` (feature `npm`, on in the package's build only): the same client exported with
//!   `#[wasm_bindgen]`: the npm package's `ServerClient` class, and the one conversion of errors
//!   into JavaScript. A Rust program leaves it off.
//! - [`stores`]: the package's built-in stores (Workers KV, Deno KV, cookies, memory), built from
//!   Rust with typed options.
//! - `workers` (feature `worker`): the bridge to workers-rs: `?` on errors in a `worker`
//!   handler, error responses, stores from the Worker's bindings, store options from a request.

#![warn(missing_docs)]
extern crate alloc;

/// The npm package's allocator: talc, growing the wasm memory as needed (a Rust program that
/// leaves the `npm` feature off keeps its own).
#[cfg(all(feature = "npm", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod api;
#[cfg(feature = "npm")]
mod bindings;
mod cache;
mod client;
mod host;
mod local;
mod session;
mod store;
mod tenant;

pub mod core;
pub mod dpop;
pub mod error;
mod prelude;
pub mod stores;
#[cfg(feature = "worker")]
pub mod workers;

pub use api::ApiClient;
pub use client::{ServerClient, TokenExchangeResponse};
pub use core::options::{
    ApiClientOptions, ClientAuthMethod, ClientOptions, CustomTokenExchangeOptions, DpopKeyPair,
    OnBehalfOfOptions, ParamValue, SessionTransferOptions, SigningAlg, SigningKey, VerifyAccessTokenOptions,
    VerifyRequestOptions,
};
pub use core::state::{Internal, LogoutOptions, State, TokenSet};
pub use error::{Error, ErrorKind, Secret};
pub use host::JsObject;
pub use session::{GetAccessTokenOptions, Session, SessionTransfer};
