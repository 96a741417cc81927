//! A user's crate on auth0-edge: the token logic of an API gateway at the edge. A request carries
//! a session token of a legacy system; the gateway swaps it for an Auth0 access token for its API
//! and forwards the request with `Authorization: Bearer <access token>`. Its errors are the
//! gateway's own, each mapped from the library's by kind and code.
//!
//! `tests/browser.rs` tests this crate with wasm-bindgen-test in a headless browser against a
//! real OpenID provider, the way a Rust developer on the edge works.

use auth0_edge::{ClientOptions, CustomTokenExchangeOptions, ErrorKind, Secret, ServerClient};
use wasm_bindgen::JsValue;

/// The legacy system's token type, as the tenant's Custom Token Exchange profile names it.
pub const LEGACY_TOKEN_TYPE: &str = "urn:acme:legacy-token";

/// Why a request cannot be forwarded.
#[derive(Debug, PartialEq, Eq)]
pub enum GatewayError {
    /// The caller's token is malformed or refused by the tenant: answer 401.
    Unauthorized(String),
    /// The tenant could not be reached or answered garbage: answer 502, try again later.
    Unavailable(String),
    /// The gateway's own configuration or the tenant's is wrong: answer 500 and page someone.
    Misconfigured(String),
}

impl From<auth0_edge::Error> for GatewayError {
    fn from(e: auth0_edge::Error) -> Self {
        let code = e.code().to_owned();
        match (e.kind(), e.code()) {
            (ErrorKind::CustomTokenExchange, "token_exchange_failed" | "invalid_response") => {
                GatewayError::Unavailable(code)
            }
            (ErrorKind::CustomTokenExchange, "invalid_client" | "unauthorized_client") => {
                GatewayError::Misconfigured(code)
            }
            (ErrorKind::CustomTokenExchange | ErrorKind::IdToken, _) => GatewayError::Unauthorized(code),
            _ => GatewayError::Misconfigured(code),
        }
    }
}

/// The gateway: one Auth0 client and the API audience it forwards to.
pub struct Gateway {
    auth0: ServerClient,
    audience: String,
}

impl Gateway {
    /// A gateway for `audience`, exchanging tokens at the tenant `domain` as `client_id`.
    /// `secret` is the client's session secret (at least 32 characters), which every
    /// auth0-edge client needs even when, as here, it opens no session.
    pub fn new(
        domain: &str,
        client_id: &str,
        client_secret: &str,
        secret: &str,
        audience: &str,
    ) -> Result<Self, GatewayError> {
        let auth0 = ServerClient::new(ClientOptions {
            domain: domain.into(),
            client_id: client_id.into(),
            client_secret: Some(Secret::new(client_secret)),
            secret: vec![Secret::new(secret)],
            ..Default::default()
        })?;
        Ok(Gateway { auth0, audience: audience.into() })
    }

    /// The `Authorization` header to forward for a request carrying `legacy_token`.
    pub async fn authorization_for(&self, legacy_token: &str) -> Result<String, GatewayError> {
        let options = CustomTokenExchangeOptions {
            subject_token: Secret::new(legacy_token),
            subject_token_type: LEGACY_TOKEN_TYPE.into(),
            audience: Some(self.audience.clone()),
            ..Default::default()
        };
        let tokens = self.auth0.custom_token_exchange(&options, &JsValue::UNDEFINED).await?;
        if !tokens.token_type.eq_ignore_ascii_case("bearer") {
            return Err(GatewayError::Unavailable(format!("token_type {}", tokens.token_type)));
        }
        Ok(format!("Bearer {}", tokens.access_token.expose()))
    }
}
