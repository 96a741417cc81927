//! The `#[wasm_bindgen]` face of [`ServerClient`]: the npm package's `ServerClient` class is
//! this, built by wasm-bindgen. Options come in and results go out through serde-wasm-bindgen;
//! every method is the Rust client's, so JavaScript and Rust callers run the same code. Errors
//! become the package's `Error` subclasses in exactly one place, [`to_js`].

use crate::client::{HostParts, ServerClient, SigningKey, TokenExchangeResponse};
use crate::core::options::{
    validate_exchange_options, Input, ParamValue, RawClientOptions, RawExchangeOptions, MAX_OPTION_BYTES,
    MAX_PARAMS_BYTES, MAX_PARAM_VALUES, MAX_TOKEN_BYTES,
};
use crate::core::state::LogoutOptions;
use crate::error::{code, Cause, Error, Secret};
use crate::host::{is_plain_object, JsObject};
use crate::session::{session_transfer_redirect, GetAccessTokenOptions, Session};
use crate::store::Store;
use js_sys::{Array, Function, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_wasm_bindgen::preserve;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen(module = "/pkg-templates/errors.js")]
extern "C" {
    /// `new <className>(code, message, { status, cause })`, one of the package's error classes.
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        class_name: &str,
        code: &str,
        message: &str,
        status: Option<u16>,
        cause: &JsValue,
    ) -> JsValue;
}

/// The one conversion of a crate error into the JavaScript error the package exports.
pub fn to_js(e: &Error) -> JsValue {
    let cause = match e.source_cause() {
        None => JsValue::UNDEFINED,
        Some(Cause::Js(v)) => v.clone(),
        Some(Cause::Error(inner)) => to_js(inner),
    };
    make_error(e.kind().class_name(), e.code(), e.message(), e.http_status(), &cause)
}

#[wasm_bindgen]
extern "C" {
    /// `Object.entries(v)`; a throwing getter or Proxy trap is an `Err`, never an exception
    /// unwinding through wasm frames.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(v: &JsValue) -> Result<Array, JsValue>;
    /// `Array.from(v)`: a plain copy of an array (a Proxy's traps run here, caught).
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(v: &JsValue) -> Result<Array, JsValue>;
}

/// Reading an option threw (a getter, a Proxy trap): the option is of the wrong type.
fn unreadable() -> JsValue {
    js_sys::Symbol::for_("auth0-edge.unreadable").into()
}

/// A string found longer than its limit before it was copied into wasm memory (SPEC §9.3).
fn too_long() -> JsValue {
    js_sys::Symbol::for_("auth0-edge.too-long").into()
}

/// The length of a JavaScript string in UTF-16 units. UTF-8 is never shorter, so a string over a
/// byte limit by this count is over it in UTF-8 too: found without copying it.
fn js_len(v: &JsValue) -> Option<usize> {
    v.is_string().then(|| v.unchecked_ref::<js_sys::JsString>().length() as usize)
}

/// `v` with arrays copied into plain ones, so serde never runs caller code.
fn plain(v: JsValue) -> JsValue {
    match crate::host::sys::is_array(&v) {
        Ok(true) => array_from(&v).map_or_else(|_| unreadable(), JsValue::from),
        Ok(false) => v,
        Err(_) => unreadable(),
    }
}

/// A plain object holding `keys` of `o`, each read once (reads that throw become [`unreadable`]);
/// a string over the byte limit its key has becomes [`too_long`], never copied.
fn snapshot(o: &JsValue, keys: &[&str], limit: fn(&str) -> usize) -> JsValue {
    let out = js_sys::Object::new();
    for &key in keys {
        let k = JsValue::from_str(key);
        let v = Reflect::get(o, &k).map_or_else(|_| unreadable(), plain);
        let v = if js_len(&v).is_some_and(|n| n > limit(key)) { too_long() } else { v };
        let _ = Reflect::set(&out, &k, &v);
    }
    out.into()
}

const CLIENT_KEYS: &[&str] = &[
    "domain",
    "clientId",
    "clientSecret",
    "clientAuthMethod",
    "clientAssertionSigningKey",
    "clientAssertionSigningAlg",
    "secret",
    "stateIdentifier",
    "sessionDuration",
    "timeoutMs",
    "telemetry",
    "fetch",
    "stateStore",
];
const EXCHANGE_KEYS: &[&str] = &[
    "subjectToken",
    "subjectTokenType",
    "audience",
    "scope",
    "actorToken",
    "actorTokenType",
    "organization",
    "requestedTokenType",
    "authorizationParams",
];

/// Client options come from the developer, not from end users: no limit.
fn unbounded(_key: &str) -> usize {
    usize::MAX
}

/// The byte limit of an exchange option (SPEC §9.3; `authorizationParams` is bounded entry by
/// entry in [`bounded_params`]).
fn exchange_limit(key: &str) -> usize {
    match key {
        "subjectToken" | "actorToken" => MAX_TOKEN_BYTES,
        "authorizationParams" => usize::MAX,
        _ => MAX_OPTION_BYTES,
    }
}

fn is_nullish(v: &JsValue) -> bool {
    v.is_null() || v.is_undefined()
}

// ---------------------------------------------------------------------------------------------
// Options in: each option read once, as absent, given, or of the wrong type (the core decides
// what that means, in SPEC order).

impl<'de, T: DeserializeOwned> Deserialize<'de> for Input<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: JsValue = preserve::deserialize(d)?;
        if is_nullish(&v) {
            return Ok(Input::Absent);
        }
        if v == too_long() {
            return Ok(Input::TooLong);
        }
        Ok(serde_wasm_bindgen::from_value(v).map_or(Input::WrongType, Input::Given))
    }
}

/// `secret`: one string or an array of strings.
fn secrets(v: JsValue) -> Input<Vec<Secret>> {
    if is_nullish(&v) {
        Input::Absent
    } else if let Some(s) = v.as_string() {
        Input::Given(vec![Secret::new(s)])
    } else {
        serde_wasm_bindgen::from_value(v).map_or(Input::WrongType, Input::Given)
    }
}

/// `fetch`, `stateStore`, `clientAssertionSigningKey`: absent, of the right shape, or wrong.
fn shape(v: &JsValue, ok: bool) -> Input<()> {
    if is_nullish(v) {
        Input::Absent
    } else if ok {
        Input::Given(())
    } else {
        Input::WrongType
    }
}

fn has_methods(v: &JsValue, names: &[&str]) -> bool {
    is_plain_object(v)
        && names.iter().all(|n| Reflect::get(v, &JsValue::from_str(n)).is_ok_and(|f| f.is_function()))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ClientOptions {
    #[serde(with = "preserve")]
    domain: JsValue,
    client_id: Input,
    client_secret: Input<Secret>,
    client_auth_method: Input,
    #[serde(with = "preserve")]
    client_assertion_signing_key: JsValue,
    client_assertion_signing_alg: Input,
    #[serde(with = "preserve")]
    secret: JsValue,
    state_identifier: Input,
    session_duration: Input<f64>,
    timeout_ms: Input<f64>,
    telemetry: Input<bool>,
    #[serde(with = "preserve")]
    fetch: JsValue,
    #[serde(with = "preserve")]
    state_store: JsValue,
}

/// An `authorizationParams` value (SPEC §2.3), already made plain: numbers and booleans as
/// JavaScript writes them, arrays of strings as lists.
fn param(v: JsValue) -> ParamValue {
    if is_nullish(&v) {
        ParamValue::Absent
    } else if let Some(s) = v.as_string() {
        ParamValue::Str(s)
    } else if let Some(b) = v.as_bool() {
        ParamValue::Str(if b { "true" } else { "false" }.to_owned())
    } else if let Some(n) = v.as_f64() {
        // `String(n)`, as the host writes numbers.
        js_sys::Number::from(n)
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .map_or(ParamValue::Invalid, ParamValue::Str)
    } else {
        serde_wasm_bindgen::from_value(v).map_or(ParamValue::Invalid, ParamValue::List)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ExchangeOptions {
    subject_token: Input<Secret>,
    subject_token_type: Input,
    audience: Input,
    scope: Input,
    actor_token: Input<Secret>,
    actor_token_type: Input,
    organization: Input,
    requested_token_type: Input,
    #[serde(with = "preserve")]
    authorization_params: JsValue,
}

/// `authorizationParams` entries read into Rust, each measured before it is copied (SPEC §9.3):
/// a value over 8 KiB is [`ParamValue::TooLong`], an array over 20 values
/// [`ParamValue::TooMany`], and over 64 KiB in all the whole is [`Input::TooLong`].
fn bounded_params(entries: &Array) -> Input<Vec<(String, ParamValue)>> {
    let mut total = 0usize;
    let mut params = Vec::new();
    for e in entries.iter() {
        let e: Array = e.unchecked_into();
        let (key, value) = (e.get(0), plain(e.get(1)));
        total += js_len(&key).unwrap_or(0);
        let value = if let Some(n) = js_len(&value) {
            total += n;
            if n > MAX_OPTION_BYTES {
                ParamValue::TooLong
            } else {
                param(value)
            }
        } else if let Some(list) = value.dyn_ref::<Array>() {
            if list.length() as usize > MAX_PARAM_VALUES {
                ParamValue::TooMany
            } else {
                let lens: Vec<usize> = list.iter().map(|v| js_len(&v).unwrap_or(0)).collect();
                total += lens.iter().sum::<usize>();
                if lens.iter().any(|&n| n > MAX_OPTION_BYTES) {
                    ParamValue::TooLong
                } else {
                    param(value)
                }
            }
        } else {
            param(value)
        };
        if total > MAX_PARAMS_BYTES {
            return Input::TooLong;
        }
        params.push((key.as_string().unwrap_or_default(), value));
    }
    Input::Given(params)
}

fn exchange_options(v: JsValue) -> RawExchangeOptions {
    if !is_plain_object(&v) {
        return RawExchangeOptions { is_object: false, ..Default::default() };
    }
    let o: ExchangeOptions =
        serde_wasm_bindgen::from_value(snapshot(&v, EXCHANGE_KEYS, exchange_limit)).unwrap_or_default();
    let p = &o.authorization_params;
    let authorization_params = if is_nullish(p) {
        Input::Absent
    } else if is_plain_object(p) {
        // The object's own entries in order (its keys are strings), each value made plain.
        object_entries(p).map_or(Input::WrongType, |entries| bounded_params(&entries))
    } else {
        Input::WrongType
    };
    RawExchangeOptions {
        is_object: true,
        subject_token: o.subject_token,
        subject_token_type: o.subject_token_type,
        audience: o.audience,
        scope: o.scope,
        actor_token: o.actor_token,
        actor_token_type: o.actor_token_type,
        organization: o.organization,
        requested_token_type: o.requested_token_type,
        authorization_params,
    }
}

/// `options[key]` when `options` is an object and the value a string; `Err` when it is another
/// type; `None` when absent.
fn string_option(options: &JsValue, key: &str, message: &'static str) -> Result<Option<String>, Error> {
    if !options.is_object() {
        return Ok(None);
    }
    let v = Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if is_nullish(&v) {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| Error::config(code::INVALID_OPTION, message))
}

// ---------------------------------------------------------------------------------------------
// Results out

/// `TokenExchangeResponse` (SPEC §2.4): absent fields are `undefined`, never `null`.
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

/// The session as JavaScript sees it (SPEC §3.7, §4): camelCase, claim names inside `user` as
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
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InternalView<'a> {
    sid: &'a str,
    created_at: i64,
}

fn state_view(s: &Session, with_internal: bool) -> Result<JsValue, Error> {
    let view = StateView {
        user: &s.user,
        id_token: s.id_token.as_ref().map(Secret::expose),
        refresh_token: s.refresh_token.as_ref().map(Secret::expose),
        token_sets: s
            .token_sets
            .iter()
            .map(|t| TokenSetView {
                audience: &t.audience,
                access_token: t.access_token.expose(),
                scope: &t.scope,
                expires_at: t.expires_at,
            })
            .collect(),
        domain: s.domain.as_deref(),
        internal: with_internal
            .then(|| InternalView { sid: &s.internal.sid, created_at: s.internal.created_at }),
    };
    view.serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true)).map_err(internal)
}

/// `requestSessionTransferToken`'s result (SPEC §8.3).
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

fn to_value<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    serde_wasm_bindgen::to_value(v).map_err(JsValue::from)
}

type Operation = core::pin::Pin<Box<dyn core::future::Future<Output = Result<JsValue, Error>>>>;

/// Runs `f` as a promise: its error rejects as the package's error class. One instance for every
/// method (the futures are boxed), not one copy of the promise machinery per method.
fn promise(f: Operation) -> Promise {
    future_to_promise(async move { f.await.map_err(|e| to_js(&e)) })
}

impl JsServerClient {
    /// An operation of the client (`f` gets its own handle on it) as a promise.
    fn run<F, Fut>(&self, f: F) -> Promise
    where
        F: FnOnce(ServerClient) -> Fut,
        Fut: core::future::Future<Output = Result<JsValue, Error>> + 'static,
    {
        promise(Box::pin(f(self.client.clone())))
    }
}

// ---------------------------------------------------------------------------------------------
// The class

/// The TypeScript shapes of the class's options and results (wasm-bindgen writes them into the
/// package's auth0_edge.d.ts, beside the class whose methods name them).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r##"
/** The store interface a ServerClient persists sealed sessions through. Stores only see the sealed string. */
export interface StateStore<TStoreOptions = unknown> {
  /** The sealed session stored under `identifier`, if any. */
  get(identifier: string, storeOptions: TStoreOptions): Promise<string | null | undefined>;
  /** Stores `value`; with `removeIfExists` (a login) a store may move the session to a new key. */
  set(identifier: string, value: string, removeIfExists: boolean, storeOptions: TStoreOptions): Promise<void>;
  /** Deletes the session under `identifier`. */
  delete(identifier: string, storeOptions: TStoreOptions): Promise<void>;
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";
export type ClientAssertionSigningAlg = "RS256" | "PS256" | "ES256";

export interface ServerClientOptions<TStoreOptions = unknown> {
  /**
   * "tenant.eu.auth0.com" (https implied) or "https://tenant.eu.auth0.com"; http:// only for
   * loopback hosts. Or, for several custom domains of one tenant, a function of the store options
   * answering the domain (or a Promise of it), called once per operation that needs the tenant:
   * discovery, keys and the issuer check are per resolved domain, and a session sealed under one
   * domain is not read under another.
   */
  domain: string | ((storeOptions: TStoreOptions) => string | Promise<string>);
  /** The application's client id. */
  clientId: string;
  /** The application's client secret, for client_secret_basic or client_secret_post. */
  clientSecret?: string;
  /** Default: client_secret_basic when clientSecret is set, else private_key_jwt when a signing key is set. */
  clientAuthMethod?: ClientAuthMethod;
  /** For private_key_jwt: a PKCS#8 PEM string or a WebCrypto CryptoKey with the "sign" usage. */
  clientAssertionSigningKey?: CryptoKey | string;
  /** Default "RS256". */
  clientAssertionSigningAlg?: ClientAssertionSigningAlg;
  /** Session secret(s), each at least 32 characters: the first seals, all open. */
  secret: string | string[];
  /**
   * Where sessions live: CookieStore, KvStore, DenoKvStore or your own. Required by every session
   * method (loginWithCustomTokenExchange, getSession, getUser, getAccessToken, logout), which
   * otherwise reject with ConfigurationError "missing_state_store"; customTokenExchange needs none.
   */
  stateStore?: StateStore<TStoreOptions>;
  /** Default "_a0_session". */
  stateIdentifier?: string;
  /** Absolute session lifetime in seconds. Default 259200 (3 days). */
  sessionDuration?: number;
  /** Per HTTP request, body included. Default 5000. */
  timeoutMs?: number;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Send the Auth0-Client telemetry header. Default true. */
  telemetry?: boolean;
}

/** Values of authorizationParams: arrays are sent as repeated keys (at most 20 values). */
export type AuthorizationParamValue = string | number | boolean | readonly string[] | null | undefined;

export interface CustomTokenExchangeOptions {
  /** The token to exchange, exactly as issued (no "Bearer " prefix), at most 64 KiB. */
  subjectToken: string;
  /** A URN naming the subject token's type, e.g. "urn:acme:legacy-token" or a TokenType value. */
  subjectTokenType: string;
  /** The API the access token is for. */
  audience?: string;
  /** Space-separated scopes. loginWithCustomTokenExchange adds "openid" when it is missing, so a session always has a user. */
  scope?: string;
  /** For delegation: the acting party's token (at most 64 KiB). Requires actorTokenType. */
  actorToken?: string;
  /** The actor token's type URN. Requires actorToken. */
  actorTokenType?: string;
  /** An Auth0 organization id or name. */
  organization?: string;
  /** The token type asked for (sent as requested_token_type), e.g. TokenType.JWT; a non-blank string. */
  requestedTokenType?: string;
  /**
   * Extra token endpoint parameters (each value at most 8 KiB, 64 KiB in all). grant_type,
   * client_id, client credentials, subject_token(_type), actor_token(_type) and
   * requested_token_type can never be set here.
   */
  authorizationParams?: Record<string, AuthorizationParamValue>;
}

/** The `act` claim (RFC 8693 §4.1): who acts on behalf of the subject, nested for delegation chains. */
export interface ActClaim {
  /** The acting party. */
  sub: string;
  /** Who it acts for in turn, for a delegation chain. */
  act?: ActClaim;
  [claim: string]: unknown;
}

export interface TokenExchangeResponse {
  /** The access token Auth0 issued. */
  accessToken: string;
  /** "Bearer" unless the server says otherwise. */
  tokenType: string;
  /** Lifetime of the access token in seconds; undefined when the server did not send one (RFC 8693 §2.2.1 makes it optional). */
  expiresIn?: number;
  /** The granted scopes, when the server says. */
  scope?: string;
  /** An ID token, when "openid" was asked for. */
  idToken?: string;
  /** A refresh token, when "offline_access" was asked for (and no actor token was sent). */
  refreshToken?: string;
  /** The issued token's type URN (RFC 8693). */
  issuedTokenType?: string;
  /** When an actor token was sent: from the verified ID token, or without one from the access token once verified with the tenant's keys. */
  act?: ActClaim;
}

/** The session's user: the ID token's claims as issued, minus protocol claims (aud, exp, iat, nbf, nonce, azp, at_hash, c_hash, s_hash, jti). */
export interface SessionUser {
  /** The user's id. */
  sub: string;
  /** The Auth0 session id. */
  sid?: string;
  /** The organization of an organization login. */
  org_id?: string;
  /** Who acts on behalf of the user, for a delegated login. */
  act?: ActClaim;
  [claim: string]: unknown;
}

export interface SessionTokenSet {
  /** The `audience` option of the login or of getAccessToken, or "default". */
  audience: string;
  /** The access token for that audience. */
  accessToken: string;
  /** Its scopes, space-separated. */
  scope: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface SessionData {
  /** null when no ID token came back. */
  user: SessionUser | null;
  /** The verified ID token of the login. */
  idToken?: string;
  /** The refresh token, when one was issued (offline_access, no actor). */
  refreshToken?: string;
  /** One access token per audience. */
  tokenSets: SessionTokenSet[];
  /** The tenant's host[:port]. */
  domain?: string;
}

export interface StateData extends SessionData {
  /** The session id (the ID token's sid, else random) and its creation time in seconds. */
  internal: { sid: string; createdAt: number };
}

export interface GetAccessTokenOptions {
  /** Default "default": the token set of a login without an audience. */
  audience?: string;
  /** Scopes the token must carry (space-separated). */
  scope?: string;
}

/** What getAccessToken answers: one of the session's token sets. */
export interface TokenSet {
  /** The access token, valid for more than 30 s. */
  accessToken: string;
  /** The API it is for ("default" for a login without an audience). */
  audience: string;
  /** Its scopes, space-separated. */
  scope: string;
  /** When it expires, in seconds since the epoch. */
  expiresAt: number;
}

export interface SessionTransferOptions {
  /** The token to exchange, exactly as issued (no "Bearer " prefix). */
  subjectToken: string;
  /** A URN naming the subject token's type. */
  subjectTokenType: string;
  /** Default: the current session's ID token, as urn:ietf:params:oauth:token-type:id_token. */
  actorToken?: string;
  /** Required with actorToken. */
  actorTokenType?: string;
  /** Space-separated scopes. */
  scope?: string;
  /** An Auth0 organization id or name; not blank. */
  organization?: string;
}

/** What requestSessionTransferToken answers. */
export interface SessionTransferResult {
  /** The session transfer token (the exchange's access_token). */
  sessionTransferToken: string;
  /** As the server sent it ("" when it did not), e.g. urn:auth0:params:oauth:token-type:session_transfer_token. */
  issuedTokenType: string;
  /** Seconds, when the server says. */
  expiresIn?: number;
  /** As the server sent it. */
  tokenType?: string;
  /** The granted scopes, when the server says. */
  scope?: string;
}

export interface LogoutOptions {
  /** Where Auth0 sends the browser after logout (post_logout_redirect_uri, or returnTo on /v2/logout). */
  returnTo?: string;
  /** Also log out of the upstream identity provider (/v2/logout's federated; not part of OIDC logout). */
  federated?: boolean;
}
"##;

/// An Auth0 client for Custom Token Exchange and sessions (SPEC §1).
#[wasm_bindgen(js_name = ServerClient)]
pub struct JsServerClient {
    client: ServerClient,
}

#[wasm_bindgen(js_class = ServerClient)]
impl JsServerClient {
    /// Validates the options. Makes no network call.
    /// @throws {ConfigurationError}
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ServerClientOptions")] options: JsValue,
    ) -> Result<JsServerClient, JsValue> {
        Self::build(options).map_err(|e| to_js(&e))
    }

    fn build(options: JsValue) -> Result<JsServerClient, Error> {
        if !is_plain_object(&options) {
            let raw = RawClientOptions { is_object: false, ..Default::default() };
            let host = HostParts { fetch: None, signing_key: None, store: None, domain_resolver: None };
            return ServerClient::from_raw(&raw, host).map(|client| JsServerClient { client });
        }
        let o: ClientOptions =
            serde_wasm_bindgen::from_value(snapshot(&options, CLIENT_KEYS, unbounded)).unwrap_or_default();
        let store_ok = has_methods(&o.state_store, &["get", "set", "delete"]);
        let key = &o.client_assertion_signing_key;
        let key_is_private = is_plain_object(key)
            && Reflect::get(key, &JsValue::from_str("type")).ok().and_then(|t| t.as_string()).as_deref()
                == Some("private");
        // `domain`: a string, or a function of the store options (SPEC §8.4).
        let domain_resolver = o.domain.dyn_ref::<Function>().cloned();
        let domain = match o.domain.as_string() {
            Some(d) => Input::Given(d),
            None if is_nullish(&o.domain) => Input::Absent,
            None => Input::WrongType,
        };
        let raw = RawClientOptions {
            is_object: true,
            domain,
            domain_resolver: domain_resolver.is_some(),
            client_id: o.client_id,
            client_secret: o.client_secret,
            client_auth_method: o.client_auth_method,
            client_assertion_signing_key: shape(key, key.is_string() || key_is_private),
            client_assertion_signing_alg: o.client_assertion_signing_alg,
            secret: secrets(o.secret),
            state_identifier: o.state_identifier,
            session_duration: o.session_duration,
            timeout_ms: o.timeout_ms,
            telemetry: o.telemetry,
            fetch: shape(&o.fetch, o.fetch.is_function()),
            state_store: shape(&o.state_store, store_ok),
        };
        let signing_key = match key.as_string() {
            Some(pem) => Some(SigningKey::Pem(Secret::new(pem))),
            None if key_is_private => Some(SigningKey::CryptoKey(key.clone())),
            None => None,
        };
        let fetch = o.fetch.dyn_into::<Function>().ok();
        let store = store_ok.then(|| Store(o.state_store));
        let host = HostParts { fetch, signing_key, store, domain_resolver };
        ServerClient::from_raw(&raw, host).map(|client| JsServerClient { client })
    }

    /// Exchanges a subject token for Auth0 tokens.
    /// @throws {CustomTokenExchangeError | ConfigurationError} (as a rejection)
    #[wasm_bindgen(js_name = customTokenExchange, unchecked_return_type = "Promise<TokenExchangeResponse>")]
    pub fn custom_token_exchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomTokenExchangeOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let input = validate_exchange_options(&exchange_options(options))?;
            let tokens = client.exchange(&input, &store_options).await?;
            to_value(&TokenExchangeResult::from(tokens)).map_err(internal)
        })
    }

    /// Exchanges tokens and opens a sealed session in the state store. The ID token is verified
    /// first; a failure writes no session.
    /// @throws {CustomTokenExchangeError | ConfigurationError | IdTokenError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = loginWithCustomTokenExchange, unchecked_return_type = "Promise<{ stateData: StateData }>")]
    pub fn login_with_custom_token_exchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomTokenExchangeOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            client.store()?;
            let input = validate_exchange_options(&exchange_options(options))?;
            let state = client.login(&input, &store_options).await?;
            let state_data = state_view(&state, true)?;
            to_value(&LoginResult { state_data }).map_err(internal)
        })
    }

    /// The session, or undefined when absent, unreadable or expired.
    /// @throws {StoreError} (as a rejection)
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<SessionData | undefined>")]
    pub fn get_session(
        &self,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            match client.get_session(&store_options).await? {
                Some(state) => state_view(&state, false),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }

    /// The session's user (claims as issued, `act` included), or undefined.
    /// @throws {StoreError} (as a rejection)
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<SessionUser | undefined>")]
    pub fn get_user(
        &self,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            Ok(client.get_user(&store_options).await?.map_or(JsValue::UNDEFINED, |u| u.0))
        })
    }

    /// The token set for an audience from the session, refreshed through Auth0 (and stored)
    /// when its access token has 30 s or less left.
    /// @throws {AccessTokenError | ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<TokenSet>")]
    pub fn get_access_token(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "GetAccessTokenOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let message = "getAccessToken options \"audience\" and \"scope\" must be strings";
            let options = GetAccessTokenOptions {
                audience: string_option(&options, "audience", message)?,
                scope: string_option(&options, "scope", message)?,
            };
            let t = client.get_access_token(&options, &store_options).await?;
            let view = TokenSetView {
                audience: &t.audience,
                access_token: t.access_token.expose(),
                scope: &t.scope,
                expires_at: t.expires_at,
            };
            to_value(&view).map_err(internal)
        })
    }

    /// A session transfer token for the user (Auth0's native-to-web SSO): a token exchange whose
    /// audience is `urn:{host}:session_transfer`; the actor defaults to the session's ID token.
    /// @throws {CustomTokenExchangeError | ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(js_name = requestSessionTransferToken, unchecked_return_type = "Promise<SessionTransferResult>")]
    pub fn request_session_transfer_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SessionTransferOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let t = client.session_transfer(&exchange_options(options), &store_options).await?;
            let result = SessionTransferResult {
                session_transfer_token: t.session_transfer_token.expose(),
                issued_token_type: &t.issued_token_type,
                expires_in: t.expires_in.map(|e| e as f64),
                token_type: &t.token_type,
                scope: t.scope.as_deref(),
            };
            to_value(&result).map_err(internal)
        })
    }

    /// `targetLoginUrl` with `session_transfer_token` (and `organization`) added to its query.
    /// @throws {ConfigurationError} when `targetLoginUrl` is not an absolute https: URL (http: for loopback hosts) or `result` has no token
    #[wasm_bindgen(js_name = buildSessionTransferRedirect)]
    pub fn build_session_transfer_redirect(
        &self,
        #[wasm_bindgen(js_name = targetLoginUrl)] target_login_url: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SessionTransferResult")] result: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ organization?: string }")] options: JsValue,
    ) -> Result<String, JsValue> {
        let bad = |message: &'static str| to_js(&Error::config(code::INVALID_PARAMETER, message));
        let url = target_login_url.as_string().ok_or_else(|| {
            bad("\"targetLoginUrl\" must be an absolute https: URL (http: only for loopback hosts)")
        })?;
        let token = string_option(&result, "sessionTransferToken", "")
            .ok()
            .flatten()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("\"result\" must be what requestSessionTransferToken answered"))?;
        let organization = string_option(&options, "organization", "")
            .map_err(|_| bad("buildSessionTransferRedirect option \"organization\" must be a string"))?;
        session_transfer_redirect(&url, &token, organization.as_deref()).map_err(|e| to_js(&e))
    }

    /// Deletes the session and returns the tenant's logout URL.
    /// @throws {ConfigurationError | StoreError} (as a rejection)
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn logout(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LogoutOptions")] options: JsValue,
        #[wasm_bindgen(js_name = storeOptions, unchecked_optional_param_type = "unknown")]
        store_options: JsValue,
    ) -> Promise {
        self.run(|client| async move {
            let return_to =
                string_option(&options, "returnTo", "logout option \"returnTo\" must be a string")?;
            let federated = match options.is_object().then(|| Reflect::get(&options, &"federated".into())) {
                Some(Ok(v)) if !is_nullish(&v) => v.as_bool().ok_or_else(|| {
                    Error::config(code::INVALID_OPTION, "logout option \"federated\" must be a boolean")
                })?,
                _ => false,
            };
            let options = LogoutOptions { return_to: return_to.filter(|s| !s.is_empty()), federated };
            let url = client.logout(&options, &store_options).await?;
            Ok(JsValue::from_str(&url))
        })
    }
}

/// A failure of the boundary itself (a host that cannot build an object): never expected.
fn internal<E>(_: E) -> Error {
    Error::exchange(code::TOKEN_EXCHANGE_FAILED, "internal: a result could not be handed to JavaScript")
}
