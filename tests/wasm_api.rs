//! The Rust API (`auth0_edge::ServerClient`) compiled to wasm32 and run by wasm-bindgen-test in
//! Node and in headless Chromium and Firefox (`WASM_BINDGEN_USE_BROWSER=1`), against the local
//! provider: every public method (exchange, delegation, options, custom domains, sessions with a
//! refresh and logout, session transfer, the built-in stores) and every error code of
//! `auth0_edge::error::code`; the ID token and tenant faults the provider cannot produce on demand
//! come from a made-up tenant behind the client's `fetch` (tests/js/fake-tenant.js).
//! The provider's coordinates come from `tests/provider/harness.mjs` at compile time.
#![cfg(target_arch = "wasm32")]

use auth0_edge::core::encoding::base64url_decode;
use auth0_edge::{
    ClientOptions, CustomTokenExchangeOptions, ErrorKind, GetAccessTokenOptions, LogoutOptions, Secret,
    ServerClient,
};
use serde_json::Value;
use wasm_bindgen::prelude::wasm_bindgen;
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

/// Calls a JavaScript function of one parameter, `param`, whose body is `body` (scaffolding).
fn apply(param: &str, body: &str, arg: &JsValue) -> JsValue {
    js_sys::Function::new_with_args(param, body).call1(&JsValue::NULL, arg).unwrap()
}

/// Store options of a request without cookies; its `headers` collect the Set-Cookie lines.
fn fresh_request() -> JsValue {
    js("({ request: { headers: new Map() }, headers: new Headers() })")
}

/// Store options of the same browser's next request: the cookies `previous` set, sent back.
fn next_request(previous: &JsValue) -> JsValue {
    apply(
        "o",
        "const cookie = o.headers.getSetCookie().map((l) => l.split(';')[0]).join('; '); \
         return { request: { headers: new Map([['cookie', cookie]]) }, headers: new Headers() };",
        previous,
    )
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
    let store = auth0_edge::stores::kv_store(&kv, &Default::default()).unwrap();
    let c = session_client("rust_kv_store", Some(store));
    let first = fresh_request();
    c.login_with_custom_token_exchange(
        &CustomTokenExchangeOptions { scope: Some("openid".into()), ..legacy("bob") },
        &first,
    )
    .await
    .unwrap();
    assert_eq!(get(&get(&kv, "m"), "size").as_f64(), Some(1.0), "one session in KV");
    let next = next_request(&first);
    let user = c.get_user(&next).await.unwrap().expect("the session, found through the cookie");
    assert_eq!(user.str_at("sub").as_deref(), Some("auth0|bob"));
    let stranger = fresh_request();
    assert!(c.get_session(&stranger).await.unwrap().is_none(), "no cookie, no session");

    // Bad arguments are configuration errors that name the option.
    use auth0_edge::stores::StoreOptions;
    let e = auth0_edge::stores::kv_store(&JsValue::NULL, &StoreOptions::default()).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "invalid_option"));
    assert!(e.message().contains("KV namespace binding"), "{}", e.message());
    let sideways = StoreOptions { same_site: Some("sideways".into()), ..Default::default() };
    let e = auth0_edge::stores::cookie_store(&sideways).unwrap_err();
    assert!(e.message().contains("options.sameSite"), "{}", e.message());
    let short = StoreOptions { ttl_seconds: Some(10), ..Default::default() };
    let e = auth0_edge::stores::kv_store(&kv, &short).unwrap_err();
    assert!(e.message().contains("options.ttlSeconds must be at least 60"), "{}", e.message());
    assert!(auth0_edge::stores::deno_kv_store(&js("({})"), &StoreOptions::default()).is_err());
    // The Durable Object store and the coordinators refuse what is not their binding by name.
    let e = auth0_edge::stores::durable_object_store(&kv, &StoreOptions::default()).unwrap_err();
    assert!(e.message().contains("Durable Object namespace binding"), "{}", e.message());
    let e = auth0_edge::stores::durable_object_refresh_coordinator(&JsValue::NULL).unwrap_err();
    assert_eq!((e.code(), e.message().contains("DurableObjectRefreshCoordinator")), ("invalid_option", true));
    let e = auth0_edge::stores::deno_kv_refresh_coordinator(&kv).unwrap_err();
    assert!(e.message().contains("kv must be a Deno.Kv"), "{}", e.message());
    // Typed options reach the JavaScript store: a named cookie, its attributes.
    let named = StoreOptions {
        cookie_name: Some("sid".into()),
        secure: Some(false),
        path: Some("/app".into()),
        ttl_seconds: Some(120),
        ..Default::default()
    };
    let c = session_client("rust_kv_named", Some(auth0_edge::stores::kv_store(&kv, &named).unwrap()));
    let request = web_sys::Request::new_with_str("http://localhost/").unwrap();
    let headers = web_sys::Headers::new().unwrap();
    let so = auth0_edge::stores::http_options(&request, &headers);
    c.login_with_custom_token_exchange(&legacy("alice"), &so).await.unwrap();
    let line = headers.get("set-cookie").unwrap().unwrap();
    assert!(line.starts_with("sid="), "{line}");
    assert!(line.contains("Path=/app") && line.contains("Max-Age=120") && !line.contains("Secure"), "{line}");
}

#[wasm_bindgen(module = "/tests/js/fake-tenant.js")]
extern "C" {
    /// A made-up tenant (its own keys and tokens) served through the client's `fetch`:
    /// `{ fetch, state }`, steered through `state` (tests/js/fake-tenant.js).
    #[wasm_bindgen(js_name = fakeTenant)]
    async fn fake_tenant(domain: &str, client_id: &str) -> JsValue;
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap()
}

fn set(object: &JsValue, key: &str, value: &JsValue) {
    js_sys::Reflect::set(object, &key.into(), value).unwrap();
}

/// A session client of a fake tenant of its own (fresh discovery and JWKS caches), and the
/// tenant's `state`.
async fn fake_client(name: &str) -> (ServerClient, JsValue) {
    let domain = format!("https://{name}.fake.example");
    let tenant = fake_tenant(&domain, "fake-client").await;
    let client = ServerClient::new(ClientOptions {
        domain,
        client_id: "fake-client".into(),
        client_secret: Some("fake-secret".into()),
        secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
        fetch: Some(get(&tenant, "fetch").unchecked_into()),
        state_store: Some(auth0_edge::stores::memory_store()),
        state_identifier: Some(format!("fake_{}", name.replace('-', "_"))),
        ..Default::default()
    })
    .unwrap();
    (client, get(&tenant, "state"))
}

#[wasm_bindgen_test]
async fn id_token_error_codes_and_no_session_written() {
    let now = js_sys::Date::now() / 1000.0;
    let claims = |json: &str| js_sys::JSON::parse(json).unwrap();
    let cases: [(&str, &str, JsValue, &str); 7] = [
        ("iss", "claims", claims(r#"{"iss":"https://evil.example/"}"#), "invalid_issuer"),
        ("aud", "claims", claims(r#"{"aud":"another-client"}"#), "invalid_audience"),
        (
            "exp",
            "claims",
            claims(&format!(r#"{{"iat":{},"exp":{}}}"#, now - 7200.0, now - 3600.0)),
            "token_expired",
        ),
        ("nbf", "claims", claims(&format!(r#"{{"nbf":{}}}"#, now + 3600.0)), "invalid_token"),
        ("sig", "tamper", JsValue::TRUE, "invalid_signature"),
        ("kid", "kid", "k2".into(), "jwks_key_not_found"),
        ("jwks", "jwksFails", JsValue::TRUE, "jwks_fetch_error"),
    ];
    for (name, key, value, code) in cases {
        let (c, state) = fake_client(&format!("id-{name}")).await;
        set(&state, key, &value);
        let so = JsValue::UNDEFINED;
        let e = c.login_with_custom_token_exchange(&legacy("alice"), &so).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::IdToken, code), "{name}");
        assert!(c.get_session(&so).await.unwrap().is_none(), "{name}: no session written");
    }
    // The same tenant, untouched, logs in: the cases above failed for their one reason.
    let (c, _) = fake_client("id-ok").await;
    let s = c.login_with_custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap();
    assert_eq!(s.user.and_then(|u| u.str_at("sub")).as_deref(), Some("auth0|fake"));
}

#[wasm_bindgen_test]
async fn tenant_answer_error_codes() {
    let (c, state) = fake_client("garbled").await;
    set(&state, "tokenAnswer", &"{not json".into());
    let e = c.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "invalid_response"));
    // Discovery naming another issuer than the domain: the tenant is misconfigured.
    let (c, state) = fake_client("foreign").await;
    set(&state, "discovery", &js_sys::JSON::parse(r#"{"issuer":"https://other.example/"}"#).unwrap());
    let e = c.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "configuration_error"));
    assert!(!e.message().contains("alice"), "no token in a message");
}

#[wasm_bindgen_test]
async fn refresh_refused_is_refresh_token_error_and_the_session_stays() {
    let c = session_client("rust_refresh_refused", Some(auth0_edge::stores::memory_store()));
    let so = JsValue::UNDEFINED;
    let login = CustomTokenExchangeOptions {
        audience: Some(AUDIENCE.into()),
        scope: Some("offline_access read:data".into()),
        ..legacy("alice")
    };
    c.login_with_custom_token_exchange(&login, &so).await.unwrap();
    let before = c.get_session(&so).await.unwrap().unwrap();
    let wider =
        GetAccessTokenOptions { audience: Some(AUDIENCE.into()), scope: Some("write:everything".into()) };
    let e = c.get_access_token(&wider, &so).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::AccessToken, "refresh_token_error"));
    let after = c.get_session(&so).await.unwrap().unwrap();
    assert_eq!(after.token_sets, before.token_sets, "the token sets as they were");
    assert_eq!(after.refresh_token, before.refresh_token, "the refresh token kept");
}

#[wasm_bindgen_test]
async fn invalid_parameter_codes() {
    let c = client();
    let so = JsValue::UNDEFINED;
    let blank = CustomTokenExchangeOptions { requested_token_type: Some(" ".into()), ..legacy("alice") };
    let many = CustomTokenExchangeOptions {
        authorization_params: vec![("login_hint".into(), auth0_edge::ParamValue::List(vec!["x".into(); 21]))],
        ..legacy("alice")
    };
    for options in [blank, many] {
        let e = c.custom_token_exchange(&options, &so).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "invalid_parameter"));
    }
}

#[wasm_bindgen_test]
async fn exchange_options_reach_the_tenant() {
    // requested_token_type and extra parameters are sent; reserved keys never override the typed ones.
    let r = client()
        .custom_token_exchange(
            &CustomTokenExchangeOptions {
                audience: Some(AUDIENCE.into()),
                requested_token_type: Some(ACCESS_TOKEN.into()),
                authorization_params: vec![
                    ("audience".into(), auth0_edge::ParamValue::Str("https://evil.example".into())),
                    ("ext_tenant".into(), auth0_edge::ParamValue::Str("eu".into())),
                ],
                ..legacy("carol")
            },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap();
    assert_eq!(claims(&r.access_token)["aud"], AUDIENCE, "authorizationParams cannot change the audience");
    assert_eq!(claims(&r.access_token)["sub"], "auth0|carol");
}

#[wasm_bindgen_test]
async fn session_transfer_token_and_redirect() {
    let c = session_client("rust_transfer", Some(auth0_edge::stores::memory_store()));
    let so = JsValue::UNDEFINED;
    let e = c
        .request_session_transfer_token(
            &auth0_edge::SessionTransferOptions {
                subject_token: Secret::new("legacy-alice"),
                subject_token_type: LEGACY.into(),
                ..Default::default()
            },
            &so,
        )
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "missing_actor_token"), "no session");
    c.login_with_custom_token_exchange(&legacy("alice"), &so).await.unwrap();
    let t = c
        .request_session_transfer_token(
            &auth0_edge::SessionTransferOptions {
                subject_token: Secret::new("legacy-alice"),
                subject_token_type: LEGACY.into(),
                ..Default::default() // the session's ID token acts
            },
            &so,
        )
        .await
        .unwrap();
    assert!(t.session_transfer_token.expose().starts_with("stt_"));
    assert_eq!(t.expires_in, Some(60));
    let url =
        c.build_session_transfer_redirect("https://web.example/login?lang=en", &t, Some("org_acme")).unwrap();
    let parsed = web_sys::Url::new(&url).unwrap();
    let params = parsed.search_params();
    assert_eq!(parsed.origin() + &parsed.pathname(), "https://web.example/login");
    assert_eq!(params.get("lang").as_deref(), Some("en"));
    assert_eq!(params.get("session_transfer_token").as_deref(), Some(t.session_transfer_token.expose()));
    assert_eq!(params.get("organization").as_deref(), Some("org_acme"));
    let e = c.build_session_transfer_redirect("http://web.example/login", &t, None).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Configuration, "invalid_parameter"),
        "http for a host not loopback"
    );
}

#[wasm_bindgen_test]
async fn domain_resolver_per_call() {
    let resolver = js_sys::Function::new_with_args("so", "return so && so.tenant");
    let e = ServerClient::new(ClientOptions {
        domain: String::new(),
        domain_resolver: Some(resolver.clone()),
        ..client_options()
    })
    .map(|_| ())
    .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "missing_allowed_domains"));
    let c = ServerClient::new(ClientOptions {
        domain: String::new(),
        domain_resolver: Some(resolver),
        allowed_domains: vec![ISSUER.into(), "example.com".into()],
        ..client_options()
    })
    .unwrap();
    let to = |domain: &str| {
        let so = js_sys::Object::new();
        set(&so, "tenant", &domain.into());
        JsValue::from(so)
    };
    let api = CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("alice") };
    let r = c.custom_token_exchange(&api, &to(ISSUER)).await.unwrap();
    assert_eq!(claims(&r.access_token)["iss"], ISSUER);
    let e = c.custom_token_exchange(&legacy("alice"), &to("http://example.com")).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "invalid_domain"));
    let e = c.custom_token_exchange(&legacy("alice"), &to("evil.example")).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Configuration, "domain_not_allowed"),
        "outside allowed_domains"
    );
    assert!(e.message().contains("evil.example"), "{}", e.message());
    let e = c.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
    assert_eq!(e.code(), "invalid_domain", "a resolver that answers nothing");
}

#[wasm_bindgen_test]
async fn client_authentication_methods() {
    let clients: Value = serde_json::from_str(CLIENTS).unwrap();
    let api = CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("alice") };
    let so = JsValue::UNDEFINED;
    let post = ServerClient::new(ClientOptions {
        client_id: clients["post"]["clientId"].as_str().unwrap().into(),
        client_secret: Some(clients["post"]["clientSecret"].as_str().unwrap().into()),
        client_auth_method: Some(auth0_edge::ClientAuthMethod::ClientSecretPost),
        ..client_options()
    })
    .unwrap();
    assert_eq!(
        claims(&post.custom_token_exchange(&api, &so).await.unwrap().access_token)["sub"],
        "auth0|alice"
    );
    // private_key_jwt with a PKCS#8 PEM: imported once through WebCrypto, an assertion per request.
    let pkjwt = ServerClient::new(ClientOptions {
        client_id: clients["privateKeyJwt"]["clientId"].as_str().unwrap().into(),
        client_secret: None,
        client_assertion_signing_key: Some(auth0_edge::SigningKey::Pem(Secret::new(env!(
            "AUTH0_EDGE_TEST_PKJWT_KEY"
        )))),
        ..client_options()
    })
    .unwrap();
    for _ in 0..2 {
        let r = pkjwt.custom_token_exchange(&api, &so).await.unwrap();
        assert_eq!(claims(&r.access_token)["sub"], "auth0|alice");
    }
    let with_key = |pem: &str| {
        ServerClient::new(ClientOptions {
            client_id: clients["privateKeyJwt"]["clientId"].as_str().unwrap().into(),
            client_secret: None,
            client_assertion_signing_key: Some(auth0_edge::SigningKey::Pem(Secret::new(pem))),
            ..client_options()
        })
    };
    let e = with_key("not a key").unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "invalid_option"), "not a PEM");
    let unusable = with_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").unwrap();
    let e = unusable.custom_token_exchange(&api, &so).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "configuration_error"), "{}", e.message());
    // A client without the token-exchange grant: the tenant's error passes through.
    let no_exchange = ServerClient::new(ClientOptions {
        client_id: clients["notAllowed"]["clientId"].as_str().unwrap().into(),
        client_secret: Some(clients["notAllowed"]["clientSecret"].as_str().unwrap().into()),
        ..client_options()
    })
    .unwrap();
    let e = no_exchange.custom_token_exchange(&api, &so).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "unauthorized_client"));
}

#[wasm_bindgen_test]
async fn telemetry_header_and_its_opt_out() {
    // A fetch that records each request's Auth0-Client header, then sends it on.
    let recorder = js("(() => { const seen = []; const f = (input, init) => { \
                       seen.push((input instanceof Request ? input.headers : new Headers(init && init.headers)).get('auth0-client')); return fetch(input, init); }; \
                       f.seen = seen; return f; })()");
    let seen = || js_sys::Array::from(&get(&recorder, "seen"));
    let with = |telemetry| {
        ServerClient::new(ClientOptions {
            fetch: Some(recorder.clone().unchecked_into()),
            telemetry: Some(telemetry),
            ..client_options()
        })
    };
    with(true).unwrap().custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap();
    let header = seen().pop().as_string().expect("an Auth0-Client header on the token request");
    let sent: Value = serde_json::from_slice(&base64url_decode(&header).unwrap()).unwrap();
    assert_eq!(sent["name"], "auth0-edge");
    with(false).unwrap().custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap();
    assert!(seen().pop().is_null(), "telemetry off: no header");
}

#[wasm_bindgen_test]
async fn cookie_store_round_trip() {
    use auth0_edge::stores::{cookie_store, StoreOptions};
    let store = cookie_store(&StoreOptions { secure: Some(false), ..Default::default() }).unwrap();
    let c = session_client("rust_cookie", Some(store));
    let first = fresh_request();
    let login = CustomTokenExchangeOptions { scope: Some("profile".into()), ..legacy("carol") };
    c.login_with_custom_token_exchange(&login, &first).await.unwrap();
    // The sealed session in cookies, sent back as the next request's Cookie header.
    let next = next_request(&first);
    let user = c.get_user(&next).await.unwrap().expect("the session, from its cookies");
    assert_eq!(user.str_at("sub").as_deref(), Some("auth0|carol"));
    c.logout(&LogoutOptions::default(), &next).await.unwrap();
    let cleared = apply("o", "return o.headers.getSetCookie().every((l) => /Max-Age=0/.test(l))", &next);
    assert_eq!(cleared, JsValue::TRUE, "logout expires every session cookie");
}

// Hostile values (BEHAVIOUR.md §11) from JavaScript, where a Rust caller takes them from: the store
// object, what a store, a custom fetch or a domain resolver answers, and the store options.
#[wasm_bindgen(module = "/tests/js/hostile-values.js")]
extern "C" {
    /// `[[label, value], ...]`, the values of BEHAVIOUR.md §11.1.
    #[wasm_bindgen(js_name = hostileValues)]
    fn hostile_values() -> js_sys::Array;
    /// A function that returns, throws, rejects with or resolves to `v`.
    fn answering(how: &str, v: &JsValue) -> js_sys::Function;
}

/// The wasm instance's memory size in bytes.
fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

#[wasm_bindgen_test]
async fn hostile_values_from_javascript_settle_as_typed_errors() {
    let c = client();
    c.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap();
    let before = memory_bytes();
    let quick = |o: ClientOptions| ServerClient::new(ClientOptions { timeout_ms: Some(1500), ..o }).unwrap();
    let cookies = quick(ClientOptions {
        state_store: Some(auth0_edge::stores::cookie_store(&Default::default()).unwrap()),
        ..client_options()
    });
    let mut calls = 0;
    for pair in hostile_values().iter() {
        let pair: js_sys::Array = pair.unchecked_into();
        let (label, v) = (pair.get(0).as_string().unwrap(), pair.get(1));
        if v.is_symbol() && label.contains("getter") {
            continue; // the marker of the JS suite's "own getter that throws"
        }
        // The value as the store itself, and as the store options of a cookie store.
        let c = quick(ClientOptions { state_store: Some(v.clone()), ..client_options() });
        let e = c.get_session(&JsValue::UNDEFINED).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Store, "store_error"), "store: {label}");
        let read = cookies.get_session(&v).await;
        // The cookie store refuses them before anything is read, or reads no session.
        assert!(
            read.as_ref().map_or_else(
                |e| e.code() == "invalid_store_options" || e.kind() == ErrorKind::Store,
                Option::is_none
            ),
            "storeOptions: {label}"
        );
        calls += 2;
        for how in ["returns", "throws", "rejects with", "resolves to"] {
            let f = answering(how, &v);
            let fetching = quick(ClientOptions { fetch: Some(f.clone()), ..client_options() });
            let e = fetching.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::CustomTokenExchange, "fetch {how} {label}");
            let resolving = quick(ClientOptions {
                domain: String::new(),
                domain_resolver: Some(f.clone()),
                allowed_domains: vec![ISSUER.into()],
                ..client_options()
            });
            let e = resolving.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
            assert_eq!(
                (e.kind(), e.code()),
                (ErrorKind::Configuration, "invalid_domain"),
                "resolver {how} {label}"
            );
            let store = js_sys::Object::new();
            for method in ["get", "set", "delete"] {
                set(&store, method, &f);
            }
            let storing = quick(ClientOptions { state_store: Some(store.into()), ..client_options() });
            let read = storing.get_session(&JsValue::UNDEFINED).await;
            assert!(
                read.as_ref().map_or_else(|e| e.kind() == ErrorKind::Store, Option::is_none),
                "get {how} {label}"
            );
            let out = storing.logout(&LogoutOptions::default(), &JsValue::UNDEFINED).await;
            assert!(
                out.as_ref().map_or_else(|e| e.kind() == ErrorKind::Store, |_| true),
                "delete {how} {label}"
            );
            calls += 4;
        }
    }
    assert!(calls > 200, "{calls} hostile calls");
    let api = CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("alice") };
    let r = c.custom_token_exchange(&api, &JsValue::UNDEFINED).await.unwrap();
    assert_eq!(claims(&r.access_token)["sub"], "auth0|alice", "the same client after {calls} hostile calls");
    let grown = memory_bytes() - before;
    assert!(grown <= 1048576.0, "wasm memory grew by {grown} bytes over {calls} hostile calls");
}

// The second hardening round (BEHAVIOUR.md §10), as a Rust caller meets it.

#[wasm_bindgen(module = "/tests/js/seal.js")]
extern "C" {
    /// A sealed session opened, its `domain` removed (as older SDKs seal), and sealed again.
    #[wasm_bindgen(js_name = withoutDomain)]
    async fn without_domain(sealed: &str, secret: &str, identifier: &str) -> JsValue;
}

/// A one-session JS store: `sealed`, `sets`, `deletes`.
fn one_session_store() -> JsValue {
    js("({ sealed: undefined, sets: 0, deletes: 0, async get() { return this.sealed }, \
        async set(_i, v) { this.sets++; this.sealed = v }, async delete() { this.deletes++; this.sealed = undefined } })")
}

#[wasm_bindgen_test]
async fn discovered_endpoints_stay_at_the_tenant() {
    for field in ["token_endpoint", "jwks_uri", "end_session_endpoint"] {
        let (c, state) = fake_client(&format!("endpoints-{}", field.replace('_', "-"))).await;
        let discovery = js_sys::Object::new();
        set(&discovery, field, &"https://evil.example/x".into());
        set(&state, "discovery", &discovery);
        let e = c.custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::CustomTokenExchange, "invalid_response"), "{field}");
        assert!(e.message().contains(field) && !e.message().contains("evil"), "{}", e.message());
    }
}

#[wasm_bindgen_test]
fn session_transfer_redirects_are_checked() {
    let transfer = auth0_edge::SessionTransfer {
        session_transfer_token: Secret::new("stt_ours"),
        issued_token_type: String::new(),
        expires_in: None,
        token_type: "Bearer".into(),
        scope: None,
    };
    let c = ServerClient::new(ClientOptions {
        allowed_redirect_origins: vec!["https://web.example".into()],
        ..client_options()
    })
    .unwrap();
    for bad in ["https://evil.example/login", "https://user@web.example/login", "http://web.example/login"] {
        let e = c.build_session_transfer_redirect(bad, &transfer, None).unwrap_err();
        assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "invalid_parameter"), "{bad}");
    }
    let url = c
        .build_session_transfer_redirect(
            "https://WEB.example:443/login?session_transfer_token=planted&lang=en#frag",
            &transfer,
            Some("org_acme"),
        )
        .unwrap();
    assert_eq!(
        url,
        "https://web.example/login?session_transfer_token=stt_ours&lang=en&organization=org_acme"
    );
}

#[wasm_bindgen_test]
async fn a_session_without_domain_is_none_under_a_domain_resolver() {
    let store = one_session_store();
    let secret = "a-session-secret-of-at-least-32-characters";
    let id = "rust_no_domain";
    let login = CustomTokenExchangeOptions { scope: Some("openid offline_access".into()), ..legacy("alice") };
    session_client(id, Some(store.clone()))
        .login_with_custom_token_exchange(&login, &JsValue::UNDEFINED)
        .await
        .unwrap();
    let older = without_domain(&get(&store, "sealed").as_string().unwrap(), secret, id).await;
    set(&store, "sealed", &older);
    let fixed = session_client(id, Some(store.clone())).get_user(&JsValue::UNDEFINED).await.unwrap();
    assert_eq!(
        fixed.and_then(|u| u.str_at("sub")).as_deref(),
        Some("auth0|alice"),
        "a static domain reads it"
    );
    let resolved = ServerClient::new(ClientOptions {
        domain: String::new(),
        domain_resolver: Some(js_sys::Function::new_no_args(&format!("return {ISSUER:?}"))),
        allowed_domains: vec![ISSUER.into()],
        state_identifier: Some(id.into()),
        state_store: Some(store.clone()),
        ..client_options()
    })
    .unwrap();
    assert!(resolved.get_session(&JsValue::UNDEFINED).await.unwrap().is_none(), "none under a resolver");
    assert_eq!(get(&store, "deletes").as_f64(), Some(0.0), "left in the store");
    assert_eq!(get(&store, "sealed"), older, "unchanged");
}

#[wasm_bindgen_test]
async fn a_refreshed_id_token_of_another_user_is_refused() {
    let bob = CustomTokenExchangeOptions { scope: Some("openid".into()), ..legacy("bob") };
    let bobs = client().custom_token_exchange(&bob, &JsValue::UNDEFINED).await.unwrap().id_token.unwrap();
    let swap = apply(
        "bobs",
        "return async (input, init) => { const req = new Request(input, init); \
         const form = req.method === 'POST' ? await req.clone().text() : ''; const r = await fetch(req); \
         if (!form.includes('grant_type=refresh_token')) return r; \
         return Response.json({ ...(await r.json()), id_token: bobs }); }",
        &bobs.expose().into(),
    );
    let store = one_session_store();
    let c = ServerClient::new(ClientOptions {
        state_identifier: Some("rust_swap".into()),
        state_store: Some(store.clone()),
        fetch: Some(swap.unchecked_into()),
        ..client_options()
    })
    .unwrap();
    let login = CustomTokenExchangeOptions {
        audience: Some(AUDIENCE.into()),
        scope: Some("openid offline_access".into()),
        ..legacy("alice")
    };
    c.login_with_custom_token_exchange(&login, &JsValue::UNDEFINED).await.unwrap();
    let before = get(&store, "sealed");
    // An hour later for the client: the access token needs a refresh.
    let restore: js_sys::Function =
        js("(() => { const real = Date.now; Date.now = () => real() + 3590000; return () => { Date.now = real; }; })()")
            .unchecked_into();
    let wanted = GetAccessTokenOptions { audience: Some(AUDIENCE.into()), scope: None };
    let result = c.get_access_token(&wanted, &JsValue::UNDEFINED).await;
    restore.call0(&JsValue::NULL).unwrap();
    let e = result.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::AccessToken, "refresh_token_error"));
    assert_eq!(get(&store, "sealed"), before, "the session byte-identical");
}

#[wasm_bindgen_test]
async fn claims_are_data_and_cookie_sessions_have_a_size_limit() {
    let (c, state) = fake_client("proto-rust").await;
    set(
        &state,
        "claims",
        &js_sys::JSON::parse(r#"{"__proto__": {"isAdmin": true}, "role": "user"}"#).unwrap(),
    );
    let session = c.login_with_custom_token_exchange(&legacy("alice"), &JsValue::UNDEFINED).await.unwrap();
    let plain = "return Object.getPrototypeOf(u) === Object.prototype && u.isAdmin === undefined && Object.hasOwn(u, '__proto__')";
    assert_eq!(apply("u", plain, &session.user.unwrap().0).as_bool(), Some(true), "the login's user");
    let user = c.get_user(&JsValue::UNDEFINED).await.unwrap().unwrap();
    assert_eq!(apply("u", plain, &user.0).as_bool(), Some(true), "getUser's");

    let domain = "https://big-rust.fake.example";
    let tenant = fake_tenant(domain, "fake-client").await;
    set(&get(&tenant, "state"), "claims", &js("({ bio: 'x'.repeat(30000) })"));
    let big = ServerClient::new(ClientOptions {
        domain: domain.into(),
        client_id: "fake-client".into(),
        client_secret: Some("fake-secret".into()),
        secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
        fetch: Some(get(&tenant, "fetch").unchecked_into()),
        state_store: Some(auth0_edge::stores::cookie_store(&Default::default()).unwrap()),
        ..Default::default()
    })
    .unwrap();
    let so = fresh_request();
    let e = big.login_with_custom_token_exchange(&legacy("alice"), &so).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Store, "session_too_large"));
    assert_eq!(
        apply("so", "return so.headers.getSetCookie().length", &so).as_f64(),
        Some(0.0),
        "no Set-Cookie"
    );
}

#[wasm_bindgen_test]
async fn dpop_bound_tokens_from_rust() {
    // DPoP (BEHAVIOUR.md §12) against the client whose token endpoint demands a nonce: the
    // challenge is met by one retry, every token is bound to the key.
    let clients: Value = serde_json::from_str(CLIENTS).unwrap();
    let nonce_client = &clients["dpopNonce"];
    let pair = auth0_edge::dpop::generate_key_pair().await.unwrap();
    let jkt = auth0_edge::dpop::thumbprint(&pair.public_key).await.unwrap();
    assert_eq!(jkt.len(), 43, "a base64url SHA-256");
    let c = ServerClient::new(ClientOptions {
        client_id: nonce_client["clientId"].as_str().unwrap().into(),
        client_secret: Some(nonce_client["clientSecret"].as_str().unwrap().into()),
        dpop_key_pair: Some(pair.clone()),
        state_identifier: Some("rust_dpop".into()),
        state_store: Some(auth0_edge::stores::memory_store()),
        ..client_options()
    })
    .unwrap();
    let so = JsValue::UNDEFINED;
    let r = c
        .custom_token_exchange(
            &CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("alice") },
            &so,
        )
        .await
        .unwrap();
    assert_eq!(r.token_type, "DPoP");
    assert_eq!(claims(&r.access_token)["cnf"]["jkt"], jkt.as_str(), "bound to the key");
    let state = c
        .login_with_custom_token_exchange(
            &CustomTokenExchangeOptions { scope: Some("openid offline_access".into()), ..legacy("alice") },
            &so,
        )
        .await
        .unwrap();
    assert_eq!(state.token_sets[0].token_type.as_deref(), Some("DPoP"), "the session keeps the type");
    let api = GetAccessTokenOptions { audience: Some(AUDIENCE.into()), scope: None };
    let refreshed = c.get_access_token(&api, &so).await.unwrap();
    assert_eq!(refreshed.token_type.as_deref(), Some("DPoP"), "a refresh with a proof is bound too");
    // A session transfer token is opaque (N_A); the provider records the key whose proof it
    // validated on the request, and its introspection answers the thumbprint.
    let t = c
        .request_session_transfer_token(
            &auth0_edge::SessionTransferOptions {
                subject_token: Secret::new("legacy-alice"),
                subject_token_type: LEGACY.into(),
                ..Default::default()
            },
            &so,
        )
        .await
        .unwrap();
    assert_eq!(t.token_type, "N_A");
    let introspect = apply(
        "t",
        &format!(
            "return fetch('{ISSUER}oauth/session-transfer/introspect', \
             {{ method: 'POST', body: new URLSearchParams({{ token: t }}) }}).then((r) => r.json())"
        ),
        &JsValue::from_str(t.session_transfer_token.expose()),
    );
    let record = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(introspect)).await.unwrap();
    let record: Value =
        serde_json::from_str(&String::from(js_sys::JSON::stringify(&record).unwrap())).unwrap();
    assert_eq!((&record["active"], &record["cnf"]["jkt"]), (&Value::Bool(true), &Value::from(jkt.as_str())));
    // The bound token at the provider's DPoP-checking API: with a proof through fetch_with_auth.
    let api = format!("{}/api/dpop", ISSUER.trim_end_matches('/'));
    let at_api = GetAccessTokenOptions { audience: Some(AUDIENCE.into()), scope: None };
    c.login_with_custom_token_exchange(
        &CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("alice") },
        &so,
    )
    .await
    .unwrap();
    let request = web_sys::Request::new_with_str(&api).unwrap();
    let response = c.fetch_with_auth(&request, &at_api, &so).await.unwrap();
    assert_eq!(response.status(), 200, "the API accepted the token and its proof");
    let set = c.get_access_token(&at_api, &so).await.unwrap();
    let headers = c.get_dpop_headers(&api, "GET", &set.access_token).await.unwrap();
    assert!(headers.authorization.expose().starts_with("DPoP "));
    assert_eq!(headers.dpop.split('.').count(), 3, "a compact JWS");
    // The same client without the key gets Bearer tokens, reported as they came.
    let bearer = ServerClient::new(ClientOptions {
        client_id: nonce_client["clientId"].as_str().unwrap().into(),
        client_secret: Some(nonce_client["clientSecret"].as_str().unwrap().into()),
        ..client_options()
    })
    .unwrap()
    .custom_token_exchange(&legacy("alice"), &so)
    .await
    .unwrap();
    assert_eq!(bearer.token_type, "Bearer");
    // A key pair that cannot sign is refused when the client is built.
    let swapped =
        auth0_edge::DpopKeyPair { private_key: pair.public_key.clone(), public_key: pair.private_key };
    let e =
        ServerClient::new(ClientOptions { dpop_key_pair: Some(swapped), ..client_options() }).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "invalid_option"));
}

#[wasm_bindgen_test]
async fn api_client_verifies_the_providers_access_tokens() {
    // BEHAVIOUR.md §13: the API side, from Rust.
    use auth0_edge::{ApiClient, ApiClientOptions, VerifyAccessTokenOptions};
    let token = client()
        .custom_token_exchange(
            &CustomTokenExchangeOptions {
                audience: Some(AUDIENCE.into()),
                scope: Some("openid read:data".into()),
                ..legacy("alice")
            },
            &JsValue::UNDEFINED,
        )
        .await
        .unwrap()
        .access_token;
    let api = ApiClient::new(ApiClientOptions {
        domain: ISSUER.into(),
        audience: AUDIENCE.into(),
        ..Default::default()
    })
    .unwrap();
    let verify = |access_token: &Secret, scopes: &[&str]| VerifyAccessTokenOptions {
        access_token: access_token.clone(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        required_claims: vec!["sub".into()],
        ..Default::default()
    };
    let verified = api.verify_access_token(&verify(&token, &["read:data"])).await.unwrap();
    assert_eq!(verified.str_at("sub").as_deref(), Some("auth0|alice"));
    assert_eq!(verified.str_at("iss").as_deref(), Some(ISSUER));
    let e = api.verify_access_token(&verify(&token, &["admin"])).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.response_status()),
        (ErrorKind::VerifyAccessToken, "insufficient_scope", 403)
    );
    let mut tampered = token.expose().to_owned();
    tampered.truncate(tampered.len() - 4);
    tampered.push_str("AAAA");
    let e = api.verify_access_token(&verify(&Secret::new(tampered), &[])).await.unwrap_err();
    assert_eq!((e.code(), e.response_status()), ("invalid_token", 401));
    assert!(e.www_authenticate().unwrap().starts_with("Bearer error=\"invalid_token\""));
    let e = api.verify_access_token(&verify(&Secret::new(""), &[])).await.unwrap_err();
    assert_eq!(
        (e.code(), e.response_status(), e.www_authenticate()),
        ("invalid_request", 401, Some("Bearer"))
    );
    let other = ApiClient::new(ApiClientOptions {
        domain: ISSUER.into(),
        audience: "https://other.example.com".into(),
        ..Default::default()
    })
    .unwrap();
    let e = other.verify_access_token(&verify(&token, &[])).await.unwrap_err();
    assert_eq!(e.code(), "invalid_token", "another API's audience");
    let e = ApiClient::new(ApiClientOptions { domain: ISSUER.into(), ..Default::default() }).unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Configuration, "invalid_option"));
    // A DPoP-bound token and the package's own proof, through verify_request; the same proof twice
    // is a replay.
    let clients: Value = serde_json::from_str(CLIENTS).unwrap();
    let dpop = ServerClient::new(ClientOptions {
        client_id: clients["dpop"]["clientId"].as_str().unwrap().into(),
        client_secret: Some(clients["dpop"]["clientSecret"].as_str().unwrap().into()),
        dpop_key_pair: Some(auth0_edge::dpop::generate_key_pair().await.unwrap()),
        ..client_options()
    })
    .unwrap();
    let so = JsValue::UNDEFINED;
    let bound = dpop
        .custom_token_exchange(
            &CustomTokenExchangeOptions { audience: Some(AUDIENCE.into()), ..legacy("alice") },
            &so,
        )
        .await
        .unwrap()
        .access_token;
    let url = "https://api.example.com/orders";
    let headers = dpop.get_dpop_headers(url, "GET", &bound).await.unwrap();
    let request = apply(
        "h",
        &format!("return new Request('{url}', {{ headers: {{ authorization: h[0], dpop: h[1] }} }})"),
        &js_sys::Array::of2(&headers.authorization.expose().into(), &headers.dpop.as_str().into()).into(),
    );
    let options = auth0_edge::VerifyRequestOptions::default();
    let verified = api.verify_request(&request, &options).await.unwrap();
    assert_eq!(verified.str_at("sub").as_deref(), Some("auth0|alice"));
    let e = api.verify_request(&request, &options).await.unwrap_err();
    assert_eq!((e.code(), e.response_status()), ("invalid_dpop_proof", 401), "a replayed proof");
    assert!(e.www_authenticate().unwrap().starts_with("DPoP error=\"invalid_dpop_proof\""));
}
