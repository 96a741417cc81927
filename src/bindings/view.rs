//! Results out: the JavaScript shapes of what the client answers (BEHAVIOUR.md §2.4, §3.7, §4, §8.3),
//! written with serde-wasm-bindgen from values the client made (never a caller's).

use crate::client::TokenExchangeResponse;
use crate::core::state::TokenSet;
use crate::error::{code, Error, Secret};
use crate::host::JsObject;
use crate::session::{Session, SessionTransfer};
use serde::Serialize;
use serde_wasm_bindgen::preserve;
use wasm_bindgen::JsValue;

/// `TokenExchangeResponse` (BEHAVIOUR.md §2.4): absent fields are `undefined`, never `null`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenExchangeResult {
    access_token: String,
    token_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued_token_type: Option<String>,
    #[serde(with = "preserve", skip_serializing_if = "JsValue::is_undefined")]
    act: JsValue,
}

impl From<TokenExchangeResponse> for TokenExchangeResult {
    fn from(t: TokenExchangeResponse) -> Self {
        let expose = |s: Option<Secret>| s.map(|s| s.expose().to_owned());
        TokenExchangeResult {
            access_token: t.access_token.expose().to_owned(),
            token_type: t.token_type,
            expires_in: t.expires_in.map(|e| e as f64),
            scope: t.scope,
            id_token: expose(t.id_token),
            refresh_token: expose(t.refresh_token),
            issued_token_type: t.issued_token_type,
            act: t.act.map_or(JsValue::UNDEFINED, |a| a.0),
        }
    }
}

/// The session as JavaScript sees it (BEHAVIOUR.md §3.7, §4): camelCase, claim names inside `user` as
/// issued, `internal` only for the login's result.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StateView<'a> {
    user: &'a Option<JsObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    token_sets: Vec<TokenSetView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    internal: Option<InternalView<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenSetView<'a> {
    audience: &'a str,
    access_token: &'a str,
    scope: &'a str,
    expires_at: i64,
    token_type: &'a str,
}

impl<'a> From<&'a TokenSet> for TokenSetView<'a> {
    fn from(t: &'a TokenSet) -> Self {
        TokenSetView {
            audience: &t.audience,
            access_token: t.access_token.expose(),
            scope: &t.scope,
            expires_at: t.expires_at,
            token_type: t.token_type.as_deref().unwrap_or("Bearer"),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InternalView<'a> {
    sid: &'a str,
    created_at: i64,
}

/// A session as `getSession` (and, with `internal`, the login) answers it.
pub fn state(s: &Session, with_internal: bool) -> Result<JsValue, Error> {
    let view = StateView {
        user: &s.user,
        id_token: s.id_token.as_ref().map(Secret::expose),
        refresh_token: s.refresh_token.as_ref().map(Secret::expose),
        token_sets: s.token_sets.iter().map(TokenSetView::from).collect(),
        domain: s.domain.as_deref(),
        internal: with_internal
            .then(|| InternalView { sid: &s.internal.sid, created_at: s.internal.created_at }),
    };
    view.serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true)).map_err(internal)
}

/// `requestSessionTransferToken`'s result (BEHAVIOUR.md §8.3).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionTransferResult<'a> {
    session_transfer_token: &'a str,
    issued_token_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in: Option<f64>,
    token_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginResult {
    #[serde(with = "preserve")]
    state_data: JsValue,
}

/// What `customTokenExchange` answers.
pub fn token_exchange(t: TokenExchangeResponse) -> Result<JsValue, Error> {
    to_value(&TokenExchangeResult::from(t))
}

/// What `loginWithCustomTokenExchange` answers: `{ stateData }`.
pub fn login(s: &Session) -> Result<JsValue, Error> {
    to_value(&LoginResult { state_data: state(s, true)? })
}

/// What `getAccessToken` answers.
pub fn token_set(t: &TokenSet) -> Result<JsValue, Error> {
    to_value(&TokenSetView::from(t))
}

/// What `requestSessionTransferToken` answers.
pub fn session_transfer(t: &SessionTransfer) -> Result<JsValue, Error> {
    to_value(&SessionTransferResult {
        session_transfer_token: t.session_transfer_token.expose(),
        issued_token_type: &t.issued_token_type,
        expires_in: t.expires_in.map(|e| e as f64),
        token_type: &t.token_type,
        scope: t.scope.as_deref(),
    })
}

fn to_value<T: Serialize>(v: &T) -> Result<JsValue, Error> {
    serde_wasm_bindgen::to_value(v).map_err(internal)
}

/// A failure of the boundary itself (a host that cannot build an object): never expected.
pub fn internal<E>(_: E) -> Error {
    Error::exchange(code::TOKEN_EXCHANGE_FAILED, "internal: a result could not be handed to JavaScript")
}

/// `{ Authorization, DPoP }`: headers as `fetch` takes them.
pub fn dpop_headers(h: &crate::dpop::DpopHeaders) -> Result<JsValue, Error> {
    let o = js_sys::Object::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = js_sys::Reflect::set(&o, &"Authorization".into(), &h.authorization.expose().into());
    let _ = js_sys::Reflect::set(&o, &"DPoP".into(), &h.dpop.as_str().into());
    Ok(o.into())
}
