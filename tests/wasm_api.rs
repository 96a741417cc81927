//! The Rust API (`auth0_edge::ServerClient`) compiled to wasm32 and run by wasm-bindgen-test in
//! Node and in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`), against the local provider:
//! exchange, delegation, sessions with a refresh and logout, and the error codes.
//! The provider's coordinates come from `tests/provider/harness.mjs` at compile time.
#![cfg(target_arch = "wasm32")]

use auth0_edge::core::encoding::base64url_decode;
use auth0_edge::{
    ClientOptions, CustomTokenExchangeOptions, ErrorKind, GetAccessTokenOptions, LogoutOptions, Secret,
    ServerClient,
};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const ISSUER: &str = env!("AUTH0_EDGE_TEST_ISSUER");
const CLIENTS: &str = env!("AUTH0_EDGE_TEST_CLIENTS");
const LEGACY: &str = "urn:acme:legacy-token";
const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
const AUDIENCE: &str = "https://api.example.com";

fn client_options() -> ClientOptions {
    let clients: Value = serde_json::from_str(CLIENTS).unwrap();
    let basic = &clients["basic"];
    ClientOptions {
        domain: ISSUER.into(),
        client_id: basic["clientId"].as_str().unwrap().into(),
        client_secret: Some(basic["clientSecret"].as_str().unwrap().into()),
        secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
        ..Default::default()
    }
}

fn client() -> ServerClient {
    ServerClient::new(client_options()).unwrap()
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
    serde_json::from_slice(&base64url_decode(payload).unwrap()).unwrap()
}

#[wasm_bindgen_test]
async fn basic_exchange() {
    let r = client()
        .custom_token_exchange(
            &CustomTokenExchangeOptions {
                audience: Some(AUDIENCE.into()),
                scope: Some("openid read:data".into()),
                ..legacy("alice")
            },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    assert_eq!(r.token_type, "Bearer");
    assert!(r.expires_in.is_some_and(|e| e > 0));
    assert_eq!(claims(&r.access_token)["aud"], AUDIENCE);
    assert_eq!(claims(r.id_token.as_ref().unwrap())["sub"], "auth0|alice");
    assert_eq!(r.act, None);
    assert_eq!(r.issued_token_type.as_deref(), Some(ACCESS_TOKEN));
}

#[wasm_bindgen_test]
async fn actor_with_nested_act() {
    let c = client();
    let bob = c
        .custom_token_exchange(
            &CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("bob") },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    let carol_via_bob = c
        .custom_token_exchange(
            &CustomTokenExchangeOptions {
                audience: Some(AUDIENCE.into()),
                actor_token: Some(bob.access_token.clone()),
                actor_token_type: Some(ACCESS_TOKEN.into()),
                ..legacy("carol")
            },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    let r = c
        .custom_token_exchange(
            &CustomTokenExchangeOptions {
                scope: Some("openid offline_access".into()),
                actor_token: Some(carol_via_bob.access_token.clone()),
                actor_token_type: Some(ACCESS_TOKEN.into()),
                ..legacy("alice")
            },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    let act = r.act.expect("act from the verified ID token");
    assert_eq!(act.str_at("sub").as_deref(), Some("auth0|carol"));
    assert_eq!(act.object_at("act").and_then(|a| a.str_at("sub")).as_deref(), Some("auth0|bob"));
    assert_eq!(r.refresh_token, None, "no refresh token with an actor");
}

#[wasm_bindgen_test]
async fn organization() {
    let r = client()
        .custom_token_exchange(
            &CustomTokenExchangeOptions {
                organization: Some("org_acme".into()),
                audience: Some(AUDIENCE.into()),
                scope: Some("openid".into()),
                ..legacy("alice")
            },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    assert_eq!(claims(&r.access_token)["org_id"], "org_acme");
    assert_eq!(claims(r.id_token.as_ref().unwrap())["org_id"], "org_acme");
}

#[wasm_bindgen_test]
async fn invalid_grant_passes_through_with_status() {
    let e = client().custom_token_exchange(&legacy("nobody"), &JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CustomTokenExchange);
    assert_eq!(e.code(), "invalid_grant");
    assert_eq!(e.http_status(), Some(400));
}

#[wasm_bindgen_test]
async fn validation_error_before_any_request() {
    let e = client()
        .custom_token_exchange(
            &CustomTokenExchangeOptions { actor_token: Some("a".into()), ..legacy("alice") },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "missing_actor_token_type");
}

/// A client whose sessions live under their own identifier, in `state_store`.
fn session_client(identifier: &str, state_store: Option<JsValue>) -> ServerClient {
    ServerClient::new(ClientOptions {
        state_identifier: Some(identifier.into()),
        state_store,
        ..client_options()
    })
    .unwrap()
}

#[wasm_bindgen_test]
async fn session_login_read_refresh_logout() {
    let c = session_client("rust_session", Some(auth0_edge::stores::memory_store()));
    let so = JsValue::UNDEFINED;
    let state = c
        .login_with_custom_token_exchange(
            &CustomTokenExchangeOptions { scope: Some("openid offline_access".into()), ..legacy("alice") },
            &so,
        )
        .await
        .unwrap();
    assert_eq!(state.user.as_ref().and_then(|u| u.str_at("sub")).as_deref(), Some("auth0|alice"));
    assert!(state.refresh_token.is_some(), "offline_access gives a refresh token");
    let session = c.get_session(&so).await.unwrap().expect("a session after login");
    assert_eq!(session.token_sets, state.token_sets);
    let user = c.get_user(&so).await.unwrap().expect("a user");
    assert_eq!(user.str_at("sub").as_deref(), Some("auth0|alice"));
    assert!(user.get("aud").is_none(), "protocol claims are not kept on the user");
    // The stored token while it is valid; another audience goes through a refresh and is stored.
    let default = GetAccessTokenOptions::default();
    let stored = c.get_access_token(&default, &so).await.unwrap();
    assert_eq!(stored, state.token_sets[0], "the stored token set");
    let api = GetAccessTokenOptions { audience: Some(AUDIENCE.into()), scope: None };
    let refreshed = c.get_access_token(&api, &so).await.unwrap();
    assert_ne!(refreshed.access_token, stored.access_token, "a refreshed token");
    assert_eq!(refreshed.audience, AUDIENCE);
    let after = c.get_session(&so).await.unwrap().unwrap();
    assert_eq!(after.token_sets.len(), 2, "the refreshed token set is stored beside the first");
    assert_eq!(c.get_access_token(&api, &so).await.unwrap(), refreshed, "then read from the session");
    let bye = LogoutOptions { return_to: Some("https://app.example.com/".into()), federated: false };
    let url = c.logout(&bye, &so).await.unwrap();
    // The local provider advertises an end_session_endpoint (OIDC RP-Initiated Logout).
    assert!(url.starts_with(ISSUER.trim_end_matches('/')) && url.contains("?client_id="), "{url}");
    assert!(url.contains("post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F"), "{url}");
    assert!(c.get_session(&so).await.unwrap().is_none(), "no session after logout");
    let e = c.get_access_token(&default, &so).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::AccessToken, "missing_session"));
}

#[wasm_bindgen_test]
async fn session_delegated_login_keeps_act_and_has_no_refresh_token() {
    let c = session_client("rust_delegated", Some(auth0_edge::stores::memory_store()));
    let so = JsValue::UNDEFINED;
    let bob = c
        .custom_token_exchange(
            &CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("bob") },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    let state = c
        .login_with_custom_token_exchange(
            &CustomTokenExchangeOptions {
                scope: Some("openid offline_access".into()),
                actor_token: Some(bob.access_token.clone()),
                actor_token_type: Some(ACCESS_TOKEN.into()),
                ..legacy("alice")
            },
            &so,
        )
        .await
        .unwrap();
    let user = c.get_user(&so).await.unwrap().unwrap();
    assert_eq!(user.object_at("act").and_then(|a| a.str_at("sub")).as_deref(), Some("auth0|bob"));
    assert!(state.refresh_token.is_none());
    let e = c
        .get_access_token(&GetAccessTokenOptions { audience: Some(AUDIENCE.into()), scope: None }, &so)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::AccessToken, "missing_refresh_token"));
}

#[wasm_bindgen_test]
async fn store_failure_is_a_store_error_and_nothing_is_returned() {
    let store = js_sys::eval(
        "({ get: async () => undefined, set: async () => { throw new Error('disk full'); }, delete: async () => {} })",
    )
    .unwrap();
    let c = session_client("rust_store", Some(store));
    let e = c.login_with_custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Store, "store_error"));
    assert!(c.get_session(&JsValue::UNDEFINED).await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn session_methods_need_a_state_store() {
    let c = client();
    let so = JsValue::UNDEFINED;
    let codes = [
        c.login_with_custom_token_exchange(&legacy("alice"), &so).await.map(|_| ()).unwrap_err(),
        c.get_session(&so).await.map(|_| ()).unwrap_err(),
        c.get_user(&so).await.map(|_| ()).unwrap_err(),
        c.get_access_token(&GetAccessTokenOptions::default(), &so).await.map(|_| ()).unwrap_err(),
        c.logout(&LogoutOptions::default(), &so).await.map(|_| ()).unwrap_err(),
    ];
    for e in codes {
        assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "missing_state_store"));
    }
    assert!(
        c.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.is_ok(),
        "an exchange needs no store"
    );
}

#[wasm_bindgen_test]
fn configuration_errors_by_code() {
    let base = || ClientOptions {
        domain: ISSUER.into(),
        client_id: "c".into(),
        client_secret: Some("s".into()),
        secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
        ..Default::default()
    };
    let cases = [
        (ClientOptions { domain: "http://example.com".into(), ..base() }, "invalid_domain"),
        (ClientOptions { client_id: String::new(), ..base() }, "missing_client_id"),
        (ClientOptions { client_secret: None, ..base() }, "missing_client_credentials"),
        (ClientOptions { secret: vec![Secret::new("short")], ..base() }, "invalid_secret"),
        (ClientOptions { timeout_ms: Some(0), ..base() }, "invalid_option"),
    ];
    for (options, code) in cases {
        let e = ServerClient::new(options).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, code));
    }
}

#[wasm_bindgen_test]
async fn exchange_error_codes() {
    let c = client();
    for (options, code) in [
        (
            CustomTokenExchangeOptions { subject_token: Secret::new("Bearer abc"), ..legacy("x") },
            "invalid_token_format",
        ),
        (
            CustomTokenExchangeOptions { subject_token: Secret::new("  "), ..legacy("x") },
            "invalid_token_format",
        ),
        (
            CustomTokenExchangeOptions { actor_token_type: Some(ACCESS_TOKEN.into()), ..legacy("alice") },
            "missing_actor_token",
        ),
    ] {
        let e = c.custom_token_exchange(&options, &JsValue::UNDEFINED).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, code));
    }
    let refused =
        ServerClient::new(ClientOptions { domain: "http://127.0.0.1:9".into(), ..client_options() }).unwrap();
    let e = refused.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(e.code(), "token_exchange_failed");
    assert!(e.message().contains("network error"), "{}", e.message());
}

/// Evaluates a JavaScript expression (test scaffolding only).
fn js(expression: &str) -> JsValue {
    js_sys::eval(expression).unwrap()
}

#[wasm_bindgen_test]
async fn built_in_stores_from_rust() {
    // MemoryStore: one isolate's sessions.
    let c = session_client("rust_memory_store", Some(auth0_edge::stores::memory_store()));
    let so = JsValue::UNDEFINED;
    c.login_with_custom_token_exchange(
        &CustomTokenExchangeOptions { scope: Some("openid".into()), ..legacy("alice") },
        &so,
    )
    .await
    .unwrap();
    assert!(c.get_session(&so).await.unwrap().is_some());

    // KvStore over a KV namespace binding (here an in-memory one with KV's get, put and delete):
    // the session id travels in a cookie, the sealed session in KV.
    let kv = js("(() => { const m = new Map(); return { m, get: async (k) => m.get(k) ?? null, \
                 put: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) }; })()");
    let store = auth0_edge::stores::kv_store(&kv, &JsValue::UNDEFINED).unwrap();
    let c = session_client("rust_kv_store", Some(store));
    let first = js("({ request: { headers: new Map() }, headers: new Headers() })");
    c.login_with_custom_token_exchange(
        &CustomTokenExchangeOptions { scope: Some("openid".into()), ..legacy("bob") },
        &first,
    )
    .await
    .unwrap();
    let entries =
        js_sys::Reflect::get(&js_sys::Reflect::get(&kv, &"m".into()).unwrap(), &"size".into()).unwrap();
    assert_eq!(entries.as_f64(), Some(1.0), "one session in KV");
    let cookie = js_sys::Function::new_with_args("o", "return o.headers.get('set-cookie').split(';')[0]")
        .call1(&JsValue::NULL, &first)
        .unwrap();
    let next = js_sys::Function::new_with_args(
        "c",
        "return { request: { headers: new Map([['cookie', c]]) }, headers: new Headers() }",
    )
    .call1(&JsValue::NULL, &cookie)
    .unwrap();
    let user = c.get_user(&next).await.unwrap().expect("the session, found through the cookie");
    assert_eq!(user.str_at("sub").as_deref(), Some("auth0|bob"));
    let stranger = js("({ request: { headers: new Map() }, headers: new Headers() })");
    assert!(c.get_session(&stranger).await.unwrap().is_none(), "no cookie, no session");

    // Bad arguments are the constructors' TypeErrors.
    let e = auth0_edge::stores::kv_store(&JsValue::NULL, &JsValue::UNDEFINED).unwrap_err();
    assert!(e.is_instance_of::<js_sys::TypeError>());
    assert!(auth0_edge::stores::cookie_store(&js("({ sameSite: 'sideways' })")).is_err());
    assert!(auth0_edge::stores::deno_kv_store(&js("({})"), &JsValue::UNDEFINED).is_err());
}
