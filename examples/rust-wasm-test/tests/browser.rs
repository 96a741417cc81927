//! The gateway's tests, in a headless browser (Chromium in the repository's test command) against
//! the local OpenID provider, whose coordinates `tests/provider/harness.mjs` passes at compile
//! time: `node tests/provider/harness.mjs -- cargo test --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use edge_gateway::{Gateway, GatewayError};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const ISSUER: &str = env!("AUTH0_EDGE_TEST_ISSUER");
const CLIENTS: &str = env!("AUTH0_EDGE_TEST_CLIENTS");
const API: &str = "https://api.example.com";
const SECRET: &str = "the-gateway-session-secret-0123456789";

/// The `basic` client's id and secret from the provider's fixtures (a JSON object).
fn basic_client() -> (String, String) {
    let clients = js_sys::JSON::parse(CLIENTS).unwrap();
    let basic = js_sys::Reflect::get(&clients, &"basic".into()).unwrap();
    let field = |k: &str| js_sys::Reflect::get(&basic, &k.into()).unwrap().as_string().unwrap();
    (field("clientId"), field("clientSecret"))
}

fn gateway() -> Gateway {
    let (id, secret) = basic_client();
    Gateway::new(ISSUER, &id, &secret, SECRET, API).unwrap()
}

/// The claims of the JWT in a `Bearer` header, parsed by the browser's JSON.parse.
fn claims(header: &str) -> js_sys::Object {
    let payload = header.strip_prefix("Bearer ").unwrap().split('.').nth(1).unwrap();
    let json = auth0_edge::core::encoding::base64url_decode(payload).unwrap();
    js_sys::JSON::parse(core::str::from_utf8(&json).unwrap()).unwrap().into()
}

fn claim(claims: &js_sys::Object, name: &str) -> String {
    js_sys::Reflect::get(claims, &name.into()).unwrap().as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn forwards_an_access_token_for_the_api() {
    let header = gateway().authorization_for("legacy-alice").await.unwrap();
    let claims = claims(&header);
    assert_eq!(claim(&claims, "sub"), "auth0|alice");
    assert_eq!(claim(&claims, "aud"), API);
    assert_eq!(claim(&claims, "iss"), ISSUER);
}

#[wasm_bindgen_test]
async fn each_user_gets_their_own_token() {
    let g = gateway();
    let alice = g.authorization_for("legacy-alice").await.unwrap();
    let bob = g.authorization_for("legacy-bob").await.unwrap();
    assert_ne!(alice, bob);
    assert_eq!(claim(&claims(&bob), "sub"), "auth0|bob");
}

#[wasm_bindgen_test]
async fn a_refused_or_malformed_token_is_unauthorized() {
    let g = gateway();
    assert_eq!(
        g.authorization_for("legacy-nobody").await,
        Err(GatewayError::Unauthorized("invalid_grant".into()))
    );
    assert_eq!(
        g.authorization_for("Bearer legacy-alice").await,
        Err(GatewayError::Unauthorized("invalid_token_format".into()))
    );
    assert_eq!(g.authorization_for("").await, Err(GatewayError::Unauthorized("invalid_token_format".into())));
}

#[wasm_bindgen_test]
async fn an_unreachable_tenant_is_unavailable() {
    let (id, secret) = basic_client();
    let g = Gateway::new("http://127.0.0.1:9", &id, &secret, SECRET, API).unwrap();
    assert_eq!(
        g.authorization_for("legacy-alice").await,
        Err(GatewayError::Unavailable("token_exchange_failed".into()))
    );
}

#[wasm_bindgen_test]
async fn wrong_credentials_are_misconfiguration() {
    let (id, _) = basic_client();
    let g = Gateway::new(ISSUER, &id, "not-the-secret-0123456789", SECRET, API).unwrap();
    assert_eq!(
        g.authorization_for("legacy-alice").await,
        Err(GatewayError::Misconfigured("invalid_client".into()))
    );
    let e = Gateway::new("", &id, "x", SECRET, API).err().unwrap();
    assert_eq!(e, GatewayError::Misconfigured("invalid_domain".into()));
    let e = Gateway::new(ISSUER, &id, "x", "too-short", API).err().unwrap();
    assert_eq!(e, GatewayError::Misconfigured("invalid_secret".into()));
}
