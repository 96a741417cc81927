//! The Rust API (`auth0_edge::ServerClient`) compiled to wasm32 and run by wasm-bindgen-test in
//! Node and in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`), against the local provider.
//! The provider's coordinates come from `tests/provider/harness.mjs` at compile time.
#![cfg(target_arch = "wasm32")]

use auth0_edge::core::encoding::base64url_decode;
use auth0_edge::core::json::{self, Value};
use auth0_edge::{ClientOptions, CustomTokenExchangeOptions, ErrorKind, Secret, ServerClient};
use wasm_bindgen_test::wasm_bindgen_test;

const ISSUER: &str = env!("AUTH0_EDGE_TEST_ISSUER");
const CLIENTS: &str = env!("AUTH0_EDGE_TEST_CLIENTS");
const LEGACY: &str = "urn:acme:legacy-token";
const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
const AUDIENCE: &str = "https://api.example.com";

fn client() -> ServerClient {
    let clients = json::parse(CLIENTS).unwrap();
    let basic = clients.get("basic").unwrap();
    ServerClient::new(ClientOptions {
        domain: ISSUER.into(),
        client_id: basic.str_at("clientId").unwrap().into(),
        client_secret: Some(basic.str_at("clientSecret").unwrap().into()),
        secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
        ..Default::default()
    })
    .unwrap()
}

fn legacy(user: &str) -> CustomTokenExchangeOptions {
    CustomTokenExchangeOptions {
        subject_token: Secret::new(format!("legacy-{user}")),
        subject_token_type: LEGACY.into(),
        ..Default::default()
    }
}

fn claims(jwt: &Secret) -> Value {
    let payload = jwt.expose().split('.').nth(1).unwrap();
    json::parse_bytes(&base64url_decode(payload).unwrap()).unwrap()
}

#[wasm_bindgen_test]
async fn basic_exchange() {
    let r = client()
        .custom_token_exchange(&CustomTokenExchangeOptions {
            audience: Some(AUDIENCE.into()),
            scope: Some("openid read:data".into()),
            ..legacy("alice")
        })
        .await
        .unwrap();
    assert_eq!(r.token_type, "Bearer");
    assert!(r.expires_in > 0);
    assert_eq!(claims(&r.access_token).str_at("aud"), Some(AUDIENCE));
    assert_eq!(claims(r.id_token.as_ref().unwrap()).str_at("sub"), Some("auth0|alice"));
    assert_eq!(r.act, None);
    assert_eq!(r.issued_token_type.as_deref(), Some(ACCESS_TOKEN));
}

#[wasm_bindgen_test]
async fn actor_with_nested_act() {
    let c = client();
    let bob = c
        .custom_token_exchange(&CustomTokenExchangeOptions {
            audience: Some(AUDIENCE.into()),
            ..legacy("bob")
        })
        .await
        .unwrap();
    let carol_via_bob = c
        .custom_token_exchange(&CustomTokenExchangeOptions {
            audience: Some(AUDIENCE.into()),
            actor_token: Some(bob.access_token.clone()),
            actor_token_type: Some(ACCESS_TOKEN.into()),
            ..legacy("carol")
        })
        .await
        .unwrap();
    let r = c
        .custom_token_exchange(&CustomTokenExchangeOptions {
            scope: Some("openid offline_access".into()),
            actor_token: Some(carol_via_bob.access_token.clone()),
            actor_token_type: Some(ACCESS_TOKEN.into()),
            ..legacy("alice")
        })
        .await
        .unwrap();
    let act = r.act.expect("act from the verified ID token");
    assert_eq!(act.str_at("sub"), Some("auth0|carol"));
    assert_eq!(act.get("act").and_then(|a| a.str_at("sub")), Some("auth0|bob"));
    assert_eq!(r.refresh_token, None, "no refresh token with an actor");
}

#[wasm_bindgen_test]
async fn organization() {
    let r = client()
        .custom_token_exchange(&CustomTokenExchangeOptions {
            organization: Some("org_acme".into()),
            audience: Some(AUDIENCE.into()),
            scope: Some("openid".into()),
            ..legacy("alice")
        })
        .await
        .unwrap();
    assert_eq!(claims(&r.access_token).str_at("org_id"), Some("org_acme"));
    assert_eq!(claims(r.id_token.as_ref().unwrap()).str_at("org_id"), Some("org_acme"));
}

#[wasm_bindgen_test]
async fn invalid_grant_passes_through_with_status() {
    let e = client().custom_token_exchange(&legacy("nobody")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CustomTokenExchange);
    assert_eq!(e.code(), "invalid_grant");
    assert_eq!(e.http_status(), Some(400));
}

#[wasm_bindgen_test]
async fn validation_error_before_any_request() {
    let e = client()
        .custom_token_exchange(&CustomTokenExchangeOptions {
            actor_token: Some("a".into()),
            ..legacy("alice")
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "missing_actor_token_type");
}
