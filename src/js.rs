//! The npm package's wasm boundary: synchronous operations that take and return bytes and JSON
//! text, keeping nothing between calls (the driver holds the validated configuration), reached
//! through [`text`], [`bytes`] and [`configure_export`], which `exports` (the end of this file)
//! exports over plain numbers. The package's JavaScript driver (`pkg-templates/client.js`) does
//! the I/O in between (fetch, WebCrypto, the store, caches, deadlines): sans-IO, as `crate::core`
//! is. Every decision (what an option, a status, a body, a claim or a sealed value means) is made
//! here, by the core.
//!
//! Errors become JavaScript errors in exactly one place: [`reply`] writes them as JSON, which the
//! driver's `unwrap` turns into instances of the error classes.

// Only `exports` (wasm32) calls the operations; native builds test them directly.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use crate::core::encoding::{base64url, pem_pkcs8_der};
use crate::core::input::{self, Given};
use crate::core::json::{self, write_members, write_string, Value};
use crate::core::options::{
    validate_client_options, validate_exchange_options, ClientAuthMethod, ClientConfig, ExchangeInput,
};
use crate::core::request::{
    client_assertion_input, exchange_form, refresh_form, telemetry_header, token_request, ClientAuth,
};
use crate::core::response::{parse_discovery, parse_token_response, Body, TokenResponse};
use crate::core::state::{login_state, logout_url, push_i64, State, DEFAULT_AUDIENCE, EXPIRY_MARGIN};
use crate::core::{jwe, jwt};
use crate::error::{code, push_u64, Cause, Error, ErrorKind, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// The one conversion of an error for JavaScript: JSON `{class, code, message, status?, body?,
/// inner?}` (`body`: the server's JSON error body, `inner`: the nested error; either is the
/// JavaScript error's `cause`), which the driver's `unwrap` turns into an instance of the class.
fn error_json(e: &Error, out: &mut String) {
    out.push_str("{\"class\":\"");
    out.push_str(e.kind().class_name());
    out.push_str("\",\"code\":");
    write_string(e.code(), out);
    out.push_str(",\"message\":");
    write_string(e.message(), out);
    if let Some(s) = e.http_status() {
        out.push_str(",\"status\":");
        push_u64(out, u64::from(s));
    }
    match e.source_cause() {
        Some(Cause::Body(v)) => {
            out.push_str(",\"body\":");
            v.write_json(out);
        }
        Some(Cause::Error(inner)) => {
            out.push_str(",\"inner\":");
            error_json(inner, out);
        }
        _ => {}
    }
    out.push('}');
}

/// What every fallible export returns: the result text, or `!` and the error as JSON. Results
/// are JSON (or empty), so they never start with `!`.
fn reply(r: Result<String, Error>) -> String {
    r.unwrap_or_else(|e| {
        let mut out = String::from("!");
        error_json(&e, &mut out);
        out
    })
}

type JsResult<T> = Result<T, Error>;

fn parse(text: &str) -> Value {
    // Text from the driver's JSON.stringify is JSON; anything else reads as "not an object".
    json::parse(text).unwrap_or(Value::Null)
}

fn body(bytes: Option<&[u8]>) -> Body<'_> {
    bytes.map_or(Body::TooLarge, Body::Bytes)
}

/// A successful token response the driver kept (already checked by [`Core::tokens`]).
fn tokens_of(bytes: &[u8]) -> JsResult<TokenResponse> {
    parse_token_response(200, Some("application/json"), Body::Bytes(bytes))
}

fn state_of(bytes: &[u8]) -> Option<State> {
    State::from_json(bytes)
}

fn opt(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

fn now_secs(now_ms: f64) -> i64 {
    (now_ms / 1000.0) as i64
}

/// The time (ms since the epoch) from which `state` counts as expired, written as the driver
/// reads it (`newState` and `view` with `what` + 4): it keeps a view while `Date.now()` is below.
fn push_expiry_ms(out: &mut String, state: &State, duration: u64) {
    push_i64(out, state.expires_at(duration).saturating_mul(1000));
}

/// A client's configuration, validated again from its options at each call: the driver hands
/// back the packed options it configured the client with (the wasm side keeps nothing between
/// calls, see `crate::arena`). Validating them (a few microseconds) costs about what reading a
/// configuration back from JSON did, and spares the package that reader.
struct Config<'a> {
    c: ClientConfig,
    /// The runtime's name, for the telemetry header of the requests that send one.
    runtime: &'a str,
}

/// The client options packed as [`configure_export`] reads them: the runtime's name, 1 when the
/// options are an object (else 0, and nothing follows), then each option ([`Args::given`], in
/// `crate::core::input::client_options`' order). Answers the configuration and the PEM of a
/// `clientAssertionSigningKey` given as a string (checked by [`configure`] only).
fn config_and_pem(packed: &[u8]) -> JsResult<(Config<'_>, Option<&str>)> {
    let mut a = Args(packed);
    let runtime = a.str();
    let given: Option<[Given; input::CLIENT_OPTIONS]> =
        (a.num() == 1.0).then(|| core::array::from_fn(|_| a.given()));
    let (raw, pem) = input::client_options(given.as_ref().map(|g| &g[..]));
    let c = validate_client_options(&raw)?;
    Ok((Config { c, runtime }, pem))
}

fn config(packed: &[u8]) -> JsResult<Config<'_>> {
    Ok(config_and_pem(packed)?.0)
}

fn exchange_input(options: &str) -> JsResult<ExchangeInput> {
    validate_exchange_options(&input::exchange_options(&parse(options)))
}

/// Validates classified client options (see [`config_and_pem`]); throws a `ConfigurationError`.
/// Returns the configuration as JSON, for the driver (`crate::core::input::config_json`).
fn configure(packed: &[u8]) -> String {
    reply((|| -> JsResult<String> {
        let (Config { c, .. }, pem) = config_and_pem(packed)?;
        if pem.is_some_and(|p| pem_pkcs8_der(p).is_none()) {
            return Err(Error::config(
                code::INVALID_OPTION,
                "\"clientAssertionSigningKey\" must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a CryptoKey",
            ));
        }
        Ok(input::config_json(&c))
    })())
}

/// Validates classified exchange options (SPEC §2.1); throws. `true` when an actor token is given.
fn check_exchange(options: &str) -> String {
    reply((|| -> JsResult<String> {
        Ok(if exchange_input(options)?.actor.is_some() { "true" } else { "false" }.into())
    })())
}

/// Reads a discovery response (SPEC §2.2): `{issuer, token_endpoint, jwks_uri}` as JSON.
/// `body` is absent when it was larger than the limit.
fn discovery(domain_url: &str, status: u16, body_bytes: Option<&[u8]>) -> String {
    reply((|| -> JsResult<String> {
        let d = parse_discovery(domain_url, status, body(body_bytes))?;
        let mut o = String::from("{\"issuer\":");
        write_string(&d.issuer, &mut o);
        o.push_str(",\"token_endpoint\":");
        write_string(&d.token_endpoint, &mut o);
        if let Some(j) = &d.jwks_uri {
            o.push_str(",\"jwks_uri\":");
            write_string(j, &mut o);
        }
        o.push('}');
        Ok(o)
    })())
}

/// The signing input of a `private_key_jwt` assertion for `audience` (RFC 7523).
fn assertion_input(client: &[u8], audience: &str, now_ms: f64, jti: &[u8]) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?.c;
        Ok(client_assertion_input(
            c.signing_alg,
            &c.client_id,
            audience,
            now_secs(now_ms) as u64,
            &base64url(jti),
        ))
    })())
}

/// The token-exchange request (SPEC §2.3) as JSON `{headers, body}`, with `"actor":true` when it
/// sends an actor token; throws what `checkExchange` throws. `assertion`: the signed client
/// assertion, or empty for the secret methods (the driver then builds the request before
/// discovery, in place of `checkExchange`).
fn exchange_request(client: &[u8], options: &str, assertion: &str) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?;
        let input = exchange_input(options)?;
        let actor = if input.actor.is_some() { ",\"actor\":true" } else { "" };
        Ok(request(&c, exchange_form(&c.c.client_id, &input), assertion, actor))
    })())
}

/// Reads a token endpoint response (SPEC §2.4); throws its error. The result in camelCase, or
/// with `id_only` just the ID token (empty when there is none): all that login needs before
/// `newState` reads the body again.
fn tokens(status: u16, content_type: Option<&str>, body_bytes: Option<&[u8]>, id_only: bool) -> String {
    reply((|| -> JsResult<String> {
        let t = parse_token_response(status, content_type, body(body_bytes))?;
        if id_only {
            return Ok(t.id_token.as_ref().map_or_else(String::new, |s| s.expose().into()));
        }
        let mut o = String::from("{\"accessToken\":");
        write_string(t.access_token.expose(), &mut o);
        o.push_str(",\"tokenType\":");
        write_string(&t.token_type, &mut o);
        o.push_str(",\"expiresIn\":");
        push_u64(&mut o, t.expires_in);
        write_members(
            &mut o,
            &[
                ("scope", t.scope.as_deref()),
                ("idToken", t.id_token.as_ref().map(|s| s.expose())),
                ("refreshToken", t.refresh_token.as_ref().map(|s| s.expose())),
                ("issuedTokenType", t.issued_token_type.as_deref()),
            ],
        );
        o.push('}');
        Ok(o)
    })())
}

/// Checks a JWKS response; throws `jwks_fetch_error`. Returns the JWKS text.
fn jwks(status: u16, body_bytes: Option<&[u8]>) -> String {
    reply((|| -> JsResult<String> {
        let fetch_error = || Error::id_token(code::JWKS_FETCH_ERROR, "the JWKS could not be fetched");
        let bytes = body_bytes.filter(|_| status == 200).ok_or_else(|| fetch_error().status(status))?;
        json::parse_bytes(bytes)
            .ok()
            .filter(|v| matches!(v.get("keys"), Some(Value::Arr(_))))
            .map(|v| v.to_json())
            .ok_or_else(fetch_error)
    })())
}

/// Decodes an ID token (SPEC §2.5); throws `invalid_token`. Returns its `alg`.
fn id_token_alg(token: &str) -> String {
    reply((|| -> JsResult<String> { Ok(jwt::decode(token)?.alg.name().into()) })())
}

/// The public JWK of the key for `token` in `jwks`, as JSON, or empty when none fits.
fn select_key(jwks: &str, token: &str) -> String {
    // Only the header: idTokenAlg checked the whole token before the JWKS was fetched.
    match jwt::header(token) {
        Ok((alg, kid)) => {
            jwt::select_key(&parse(jwks), kid.as_deref(), alg).map_or(String::new(), jwt::public_jwk_json)
        }
        Err(_) => String::new(),
    }
}

/// Checks a signature-verified ID token's claims; throws. Returns the claims as JSON.
fn id_token_claims(client: &[u8], token: &str, issuer: &str, now_ms: f64) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?.c;
        let t = jwt::decode(token)?;
        jwt::check_id_token_claims(&t.payload, issuer, &c.client_id, now_secs(now_ms))?;
        Ok(t.payload.to_json())
    })())
}

/// A new session state (SPEC §3.4) from a token response body, the exchange options and 64
/// random bytes (the session id when the ID token carries no `sid`). When the body has an ID
/// token, the driver has verified its signature (see `idTokenAlg`, `selectKey`), and this checks
/// its claims against `issuer` (as `idTokenClaims` does; throws) and keeps them as the user.
/// Four lines: the JSON to seal; the time from which it counts as expired (as `view` gives it
/// with `what` 4); the session view (`view` with `what` 0) without its closing brace; and the
/// `internal` member that login's view (`what` 1) adds there. So one call gives what login
/// returns and what getSession will, and the driver does not parse back the state it just built.
fn new_state_js(
    client: &[u8],
    tokens: &[u8],
    issuer: &str,
    options: &str,
    now_ms: f64,
    random: &[u8],
) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?.c;
        let tokens = tokens_of(tokens)?;
        let input = exchange_input(options)?;
        let now = now_secs(now_ms);
        let claims = match &tokens.id_token {
            Some(t) => {
                let claims = jwt::payload(t.expose())?;
                jwt::check_id_token_claims(&claims, issuer, &c.client_id, now)?;
                Some(claims)
            }
            None => None,
        };
        let state = login_state(&tokens, claims.as_ref(), &input, &c.domain.host, now, random);
        let mut out = state.to_json();
        out.push('\n');
        push_expiry_ms(&mut out, &state, c.session_duration);
        out.push('\n');
        state.write_camel_open(&mut out);
        out.push('\n');
        state.write_internal(&mut out);
        Ok(out)
    })())
}

/// A session state as JavaScript sees it. `what`: 0 the session (SPEC §4), 1 the session with
/// `internal` (what login returns), 2 its `user`, 3 `"1"` (a check only); plus 4: the view is
/// preceded by the time (ms since the epoch) from which the state counts as expired, and a line
/// feed (the driver keeps a view of a state it has just opened until then). Empty when the state
/// does not parse; `"0"` when it has expired (the driver deletes it).
fn view(client: &[u8], state: &[u8], what: u8, now_ms: f64) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?.c;
        let Some(s) = state_of(state) else { return Ok(String::new()) };
        let kind = what & 3;
        if kind != 1 && s.is_expired(now_secs(now_ms), c.session_duration) {
            return Ok("0".into());
        }
        let view = match kind {
            2 => s.user.as_ref().map_or_else(|| "null".into(), Value::to_json),
            3 => "1".into(),
            _ => s.to_camel_json(kind == 1),
        };
        if what & 4 == 0 {
            return Ok(view);
        }
        let mut out = String::new();
        push_expiry_ms(&mut out, &s, c.session_duration);
        out.push('\n');
        out.push_str(&view);
        Ok(out)
    })())
}

/// The stored access token (a JSON string) for `audience` (empty: the default) with at least
/// `scope`, while it has more than 30 s left; empty when it must be refreshed; throws when it cannot be (SPEC §4).
/// `state` absent: there is no session.
fn access_token(state: Option<&[u8]>, audience: &str, scope: &str, now_ms: f64) -> String {
    reply((|| -> JsResult<String> {
        let access_error = |c, m| Error::new(ErrorKind::AccessToken, c, m);
        let s = state.and_then(state_of).ok_or_else(|| {
            access_error(code::MISSING_SESSION, "there is no session: the user needs to log in")
        })?;
        let found = s.find_token_set(opt(audience).unwrap_or(DEFAULT_AUDIENCE), opt(scope));
        if let Some(t) = found.and_then(|i| s.token_sets.get(i)) {
            if t.expires_at > now_secs(now_ms) + EXPIRY_MARGIN {
                let mut out = String::new();
                write_string(t.access_token.expose(), &mut out);
                return Ok(out);
            }
        }
        if s.refresh_token.is_none() {
            return Err(access_error(
                code::MISSING_REFRESH_TOKEN,
                "the access token has expired (or is missing) and the session has no refresh token",
            ));
        }
        Ok(String::new())
    })())
}

/// The refresh-token request for a session (SPEC §4) as JSON `{headers, body}`.
fn refresh_request(client: &[u8], state: &[u8], scope: &str, assertion: &str) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?;
        let refresh_token = state_of(state).and_then(|s| s.refresh_token).unwrap_or_else(|| Secret::new(""));
        let mut form = refresh_form(&c.c.client_id, &refresh_token);
        if let Some(s) = opt(scope) {
            form.push(("scope".into(), s.into()));
        }
        Ok(request(&c, form, assertion, ""))
    })())
}

/// The session state after a refresh-token grant answered with `tokens` (SPEC §4).
fn merge_refresh(state: &[u8], tokens: &[u8], audience: &str, scope: &str, now_ms: f64) -> String {
    reply((|| -> JsResult<String> {
        let tokens = tokens_of(tokens)?;
        let Some(mut s) = state_of(state) else { return Ok(String::new()) };
        let audience = opt(audience).unwrap_or(DEFAULT_AUDIENCE);
        let found = s.find_token_set(audience, opt(scope));
        s.merge_refresh(audience, opt(scope), found, &tokens, now_secs(now_ms));
        Ok(s.to_json())
    })())
}

/// The tenant's logout URL (SPEC §4).
fn logout_url_js(client: &[u8], return_to: &str) -> String {
    reply((|| -> JsResult<String> {
        let c = config(client)?.c;
        Ok(logout_url(&c.domain.url, &c.client_id, opt(return_to)))
    })())
}

/// The request as JSON `{headers, body}`, then `members` (JSON members, each with a leading comma).
fn request(c: &Config, form: Vec<(String, String)>, assertion: &str, members: &str) -> String {
    let auth = match (c.c.auth_method, &c.c.client_secret) {
        (ClientAuthMethod::ClientSecretBasic, Some(secret)) => ClientAuth::Basic(secret),
        (ClientAuthMethod::ClientSecretPost, Some(secret)) => ClientAuth::Post(secret),
        _ => ClientAuth::Assertion(assertion),
    };
    // The URL is the driver's (it has the discovery document); only headers and body here.
    let telemetry = c.c.telemetry.then(|| telemetry_header(&[("runtime", c.runtime)]));
    let req = token_request("", &c.c.client_id, auth, form, telemetry.as_deref());
    let mut o = String::from(
        "{\"headers\":{\"Content-Type\":\"application/x-www-form-urlencoded\",\"Accept\":\"application/json\"",
    );
    for (k, v) in &req.headers {
        write_members(&mut o, &[(k, Some(v))]);
    }
    o.push_str("},\"body\":");
    write_string(&req.body, &mut o);
    o.push_str(members);
    o.push('}');
    o
}

// ---------------------------------------------------------------------------------------------
// Sealed sessions (SPEC §3.5): the framing; the driver runs HKDF, AES-CBC and HMAC in WebCrypto.

/// `[IV_LEN, KEY_LEN, HKDF info...]`: the sealing parameters.
fn seal_params() -> Vec<u8> {
    let mut v = vec![jwe::IV_LEN as u8, jwe::KEY_LEN as u8];
    v.extend_from_slice(jwe::HKDF_INFO);
    v
}

/// The HMAC input for a new seal: `AAD || IV || ciphertext || AL`.
fn seal_mac_input(iv: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    jwe::mac_input(jwe::protected_b64().as_bytes(), iv, ciphertext)
}

/// The compact JWE; empty when it would be too large to open again (nothing must be written).
fn seal_compact(iv: &[u8], ciphertext: &[u8], hmac: &[u8]) -> String {
    let sealed = jwe::compact(&jwe::protected_b64(), iv, ciphertext, jwe::tag_of(hmac));
    if sealed.len() > jwe::MAX_SEALED_LEN {
        return String::new();
    }
    sealed
}

/// A sealed value taken apart: `IV (16) || tag (32) || ciphertext length (4, big-endian) ||
/// HMAC input`, the ciphertext inside the HMAC input right after AAD and IV. Empty when it does
/// not have the shape of one of ours ("no session").
fn open_parts(sealed: &str) -> Vec<u8> {
    let Some(p) = jwe::parse_compact(sealed) else { return Vec::new() };
    let mut out = Vec::with_capacity(52 + p.aad.len() + p.iv.len() + p.ciphertext.len() + 8);
    out.extend_from_slice(&p.iv);
    out.extend_from_slice(&p.tag);
    out.extend_from_slice(&(p.ciphertext.len() as u32).to_be_bytes());
    out.extend_from_slice(&jwe::mac_input(p.aad.as_bytes(), &p.iv, &p.ciphertext));
    out
}

/// Compares an HMAC-SHA-512 output's first half with a tag, in time independent of the content.
fn tag_matches(hmac: &[u8], tag: &[u8]) -> bool {
    jwe::tags_equal(jwe::tag_of(hmac), tag)
}

/// The DER of a PKCS#8 PEM private key (checked by `Core::new`), for WebCrypto's import.
fn pem_der(pem: &str) -> Option<Vec<u8>> {
    pem_pkcs8_der(pem)
}

/// base64url without padding (JWS signatures, assertion ids).
fn base64url_js(bytes: &[u8]) -> String {
    base64url(bytes)
}

// ---------------------------------------------------------------------------------------------
// The boundary: three operations of one signature, [`text`], [`configure_export`] and [`bytes`],
// exported by `exports` below with numbers only (no wasm-bindgen).

/// Arguments packed by the driver (`pkg-templates/core.js` `pack`), in the order each operation
/// reads them: a number as 8 bytes (f64, little-endian); text or bytes as a 4-byte little-endian
/// length and the bytes (UTF-8 for text); an absent value as the length `u32::MAX`. Reading past
/// the end gives absent values and zeros, never a panic.
struct Args<'a>(&'a [u8]);

impl<'a> Args<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn opt(&mut self) -> Option<&'a [u8]> {
        let n = u32::from_le_bytes(self.take(4)?.try_into().ok()?);
        if n == u32::MAX {
            return None;
        }
        self.take(n as usize)
    }

    fn bytes(&mut self) -> &'a [u8] {
        self.opt().unwrap_or_default()
    }

    fn opt_str(&mut self) -> Option<&'a str> {
        self.opt().map(|b| core::str::from_utf8(b).unwrap_or_default())
    }

    fn str(&mut self) -> &'a str {
        self.opt_str().unwrap_or_default()
    }

    fn num(&mut self) -> f64 {
        self.take(8).and_then(|b| b.try_into().ok()).map_or(0.0, f64::from_le_bytes)
    }

    /// A classified option (`pkg-templates/client.js`, `tag`): a kind (a number), then its value:
    /// 0 absent, 1 wrong, 2 a string, 3 a number, 4 true, 5 false, 6 an array of strings (a count
    /// and as many strings). Any other kind reads as wrong; past the end of the input, as absent.
    #[inline(never)]
    fn given(&mut self) -> Given<'a> {
        match self.num() as u8 {
            0 => Given::Absent,
            2 => Given::Str(self.str()),
            3 => Given::Num(self.num()),
            4 => Given::Bool(true),
            5 => Given::Bool(false),
            6 => {
                let mut list = Vec::new();
                // Each member takes at least 4 bytes: a count past the input stops with it.
                for _ in 0..self.num() as usize {
                    if self.0.is_empty() {
                        break;
                    }
                    list.push(Secret::new(self.str()));
                }
                Given::Secrets(list)
            }
            _ => Given::Wrong,
        }
    }
}

/// The operations, by number (`pkg-templates/core.js` names them).
mod op {
    pub const CHECK_EXCHANGE: u32 = 1;
    pub const DISCOVERY: u32 = 2;
    pub const ASSERTION_INPUT: u32 = 3;
    pub const EXCHANGE_REQUEST: u32 = 4;
    pub const TOKENS: u32 = 5;
    pub const JWKS: u32 = 6;
    pub const ID_TOKEN_ALG: u32 = 7;
    pub const SELECT_KEY: u32 = 8;
    pub const ID_TOKEN_CLAIMS: u32 = 9;
    pub const NEW_STATE: u32 = 10;
    pub const VIEW: u32 = 11;
    pub const ACCESS_TOKEN: u32 = 12;
    pub const REFRESH_REQUEST: u32 = 13;
    pub const MERGE_REFRESH: u32 = 14;
    pub const LOGOUT_URL: u32 = 15;
    pub const SEAL_COMPACT: u32 = 16;
    pub const BASE64URL: u32 = 17;
    pub const SEAL_PARAMS: u32 = 32;
    pub const SEAL_MAC_INPUT: u32 = 33;
    pub const OPEN_PARTS: u32 = 34;
    pub const TAG_MATCHES: u32 = 35;
    pub const PEM_DER: u32 = 36;
}

/// An operation whose result is text (JSON, empty, or `!` and an error; see [`reply`]).
pub fn text(op: u32, input: &[u8]) -> String {
    let mut a = Args(input);
    let a = &mut a;
    match op {
        op::CHECK_EXCHANGE => check_exchange(a.str()),
        op::DISCOVERY => discovery(a.str(), a.num() as u16, a.opt()),
        op::ASSERTION_INPUT => assertion_input(a.bytes(), a.str(), a.num(), a.bytes()),
        op::EXCHANGE_REQUEST => exchange_request(a.bytes(), a.str(), a.str()),
        op::TOKENS => tokens(a.num() as u16, a.opt_str(), a.opt(), a.num() == 1.0),
        op::JWKS => jwks(a.num() as u16, a.opt()),
        op::ID_TOKEN_ALG => id_token_alg(a.str()),
        op::SELECT_KEY => select_key(a.str(), a.str()),
        op::ID_TOKEN_CLAIMS => id_token_claims(a.bytes(), a.str(), a.str(), a.num()),
        op::NEW_STATE => new_state_js(a.bytes(), a.bytes(), a.str(), a.str(), a.num(), a.bytes()),
        op::VIEW => view(a.bytes(), a.bytes(), a.num() as u8, a.num()),
        op::ACCESS_TOKEN => access_token(a.opt(), a.str(), a.str(), a.num()),
        op::REFRESH_REQUEST => refresh_request(a.bytes(), a.bytes(), a.str(), a.str()),
        op::MERGE_REFRESH => merge_refresh(a.bytes(), a.bytes(), a.str(), a.str(), a.num()),
        op::LOGOUT_URL => logout_url_js(a.bytes(), a.str()),
        op::SEAL_COMPACT => seal_compact(a.bytes(), a.bytes(), a.bytes()),
        op::BASE64URL => base64url_js(a.bytes()),
        _ => String::new(),
    }
}

/// [`configure`] as an export of its own, of the same signature as [`text`] (`_op` unused):
/// constructing a client then compiles only what configuring runs. V8 compiles a wasm function
/// on its first call, whole, and the dispatcher holds every other operation (measured in Node:
/// the first configure 2.4 -> 2.0 ms, median of 25 fresh processes). Its one argument: the
/// packed options (see [`config_and_pem`]).
pub fn configure_export(_op: u32, input: &[u8]) -> String {
    configure(Args(input).bytes())
}

/// An operation whose result is bytes.
pub fn bytes(op: u32, input: &[u8]) -> Vec<u8> {
    let mut a = Args(input);
    let a = &mut a;
    match op {
        op::SEAL_PARAMS => seal_params(),
        op::SEAL_MAC_INPUT => seal_mac_input(a.bytes(), a.bytes()),
        op::OPEN_PARTS => open_parts(a.str()),
        op::TAG_MATCHES => vec![u8::from(tag_matches(a.bytes(), a.bytes()))],
        op::PEM_DER => pem_der(a.str()).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The package's wasm exports: `room`, `text`, `configure` and `bytes`, over numbers only, and the
/// memory; the module imports nothing. Not wasm-bindgen: V8 compiles a wrapper for each import and
/// for each export whose signature its generic wrapper does not cover (wasm-bindgen returns a
/// string as two values) as it compiles the module, about 0.4-0.6 ms each, measured in Node 20;
/// plain `i32` signatures need none. The driver's side is `pkg-templates/core.js` (`call`).
///
/// A call: `room(n)` answers where to write the `n` bytes of packed arguments ([`Args`]), then
/// `text(op, at, n)` (or `bytes`, `configure`) answers the address of two `u32`s, the address and
/// the length of the result (UTF-8 text, or bytes), which stays in memory until the next `room`.
/// Nothing else survives a call (see `crate::arena`).
#[cfg(target_arch = "wasm32")]
mod exports {
    use alloc::vec::Vec;
    use core::cell::UnsafeCell;

    /// The last result and its [address, length].
    struct Last(UnsafeCell<(Vec<u8>, [usize; 2])>);

    // SAFETY: wasm32 without atomics has one thread (see `crate::arena`).
    unsafe impl Sync for Last {}

    static LAST: Last = Last(UnsafeCell::new((Vec::new(), [0; 2])));

    /// Room for `len` bytes of arguments. A call begins here: the previous result (the driver has
    /// copied it) and anything a trapped call left are given up, and the arena starts over.
    #[no_mangle]
    extern "C" fn room(len: usize) -> *mut u8 {
        // SAFETY: one thread, no reference to LAST outlives a call of an export, and nothing
        // allocated by an earlier call is used again (see `Arena::reset`).
        unsafe {
            let last = &mut (*LAST.0.get()).0;
            #[cfg(not(feature = "std"))]
            {
                core::mem::forget(core::mem::take(last));
                crate::ALLOCATOR.reset();
            }
            #[cfg(feature = "std")]
            {
                *last = Vec::new();
            }
        }
        core::mem::ManuallyDrop::new(Vec::<u8>::with_capacity(len)).as_mut_ptr()
    }

    /// Runs `f` over the arguments at `at` (from [`room`], of capacity `len`, written by the
    /// driver); answers where the result's [address, length] is.
    fn run(at: *mut u8, len: usize, f: impl FnOnce(&[u8]) -> Vec<u8>) -> *const usize {
        // SAFETY: `at` and `len` are what `room` allocated, and the driver filled all `len` bytes.
        let args = unsafe { Vec::from_raw_parts(at, len, len) };
        let out = f(&args);
        drop(args);
        // SAFETY: as in `room`.
        let last = unsafe { &mut *LAST.0.get() };
        last.1 = [out.as_ptr() as usize, out.len()];
        last.0 = out;
        last.1.as_ptr()
    }

    #[no_mangle]
    extern "C" fn text(op: u32, at: *mut u8, len: usize) -> *const usize {
        run(at, len, |a| super::text(op, a).into_bytes())
    }

    #[no_mangle]
    extern "C" fn configure(op: u32, at: *mut u8, len: usize) -> *const usize {
        run(at, len, |a| super::configure_export(op, a).into_bytes())
    }

    #[no_mangle]
    extern "C" fn bytes(op: u32, at: *mut u8, len: usize) -> *const usize {
        run(at, len, |a| super::bytes(op, a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs as `pkg-templates/core.js` `pack` does.
    enum A<'a> {
        N(f64),
        S(&'a [u8]),
        Absent,
    }

    fn pack(args: &[A]) -> Vec<u8> {
        let mut out = Vec::new();
        for a in args {
            match a {
                A::N(n) => out.extend_from_slice(&n.to_le_bytes()),
                A::S(s) => {
                    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                    out.extend_from_slice(s);
                }
                A::Absent => out.extend_from_slice(&u32::MAX.to_le_bytes()),
            }
        }
        out
    }

    #[test]
    fn args_read_in_order() {
        let packed = pack(&[
            A::S("héllo".as_bytes()),
            A::N(1_700_000_000_123.0),
            A::Absent,
            A::S(&[0, 255]),
            A::S(b""),
        ]);
        let mut a = Args(&packed);
        assert_eq!(a.str(), "héllo");
        assert_eq!(a.num(), 1_700_000_000_123.0);
        assert_eq!(a.opt(), None);
        assert_eq!(a.bytes(), &[0, 255]);
        assert_eq!(a.opt_str(), Some(""));
        // Past the end: absent values and zeros.
        assert_eq!((a.opt(), a.str(), a.num()), (None, "", 0.0));
    }

    /// The packed arguments of `configure` as the driver builds them for options with only a
    /// `domain`, a `clientId`, a `clientSecret` (client_secret_basic, then) and a `secret`.
    fn client_args(domain: &[u8], secret: &[u8]) -> Vec<u8> {
        use A::*;
        let mut args = vec![S(b"node"), N(1.0), N(2.0), S(domain), N(2.0), S(b"c"), N(2.0), S(b"s")];
        args.extend([N(0.0), N(0.0), N(2.0), S(secret)]);
        args.extend((0..7).map(|_| N(0.0)));
        pack(&args)
    }

    #[test]
    fn given_options_read_in_order() {
        use A::*;
        let packed = pack(&[
            N(0.0),
            N(1.0),
            N(2.0),
            S(b"d"),
            N(3.0),
            N(-1.5),
            N(4.0),
            N(5.0),
            N(6.0),
            N(2.0),
            S(b"a"),
            S(b"c"),
            N(7.0),
            N(6.0),
            N(0.0),
            N(2.0),
        ]);
        let mut a = Args(&packed);
        let read: Vec<Given> = (0..9).map(|_| a.given()).collect();
        assert_eq!(
            read,
            [
                Given::Absent,
                Given::Wrong,
                Given::Str("d"),
                Given::Num(-1.5),
                Given::Bool(true),
                Given::Bool(false),
                Given::Secrets(vec![Secret::new("a"), Secret::new("c")]),
                Given::Wrong,
                Given::Secrets(vec![]),
            ]
        );
        // A string kind with nothing after it: an empty string; past the end, the kind reads as
        // 0.0: absent.
        assert_eq!((a.given(), a.given()), (Given::Str(""), Given::Absent));
        // A count larger than what follows stops at the end of the input.
        assert_eq!(Args(&pack(&[N(6.0), N(1e9), S(b"x")])).given(), Given::Secrets(vec![Secret::new("x")]));
    }

    /// [`configure_export`] over packed client options (its one argument).
    fn configure_packed(options: &[u8]) -> String {
        configure_export(0, &pack(&[A::S(options)]))
    }

    #[test]
    fn configure_reads_classified_options() {
        let options = client_args(b"https://Tenant.auth0.com/", b"0123456789abcdef0123456789abcdef");
        let ok = configure_packed(&options);
        assert!(ok.starts_with("{\"domain\":\"https://tenant.auth0.com\""), "{ok}");
        assert!(ok.contains("\"auth\":\"client_secret_basic\""));
        // The operations read the same packed options (validated again at each call).
        let logout = text(op::LOGOUT_URL, &pack(&[A::S(&options), A::S(b"https://app.example.com/")]));
        assert_eq!(
            logout,
            "https://tenant.auth0.com/v2/logout?client_id=c&returnTo=https%3A%2F%2Fapp.example.com%2F"
        );
        // The first rule that fails, with its code: here the secret is too short; an operation
        // handed such options fails the same way.
        let short = client_args(b"tenant.auth0.com", b"short");
        let error = "!{\"class\":\"ConfigurationError\",\"code\":\"invalid_secret\"";
        assert!(configure_packed(&short).starts_with(error));
        assert!(text(op::LOGOUT_URL, &pack(&[A::S(&short), A::S(b"")])).starts_with(error));
        // Options that are not an object.
        let none = configure_packed(&pack(&[A::S(b"node"), A::N(0.0)]));
        assert!(none.contains("\"invalid_option\"") && none.contains("must be an object"), "{none}");
        // Cut anywhere: an error or a configuration, never a panic.
        for cut in 0..options.len() {
            assert!(!configure_packed(&options[..cut]).is_empty());
        }
    }

    #[test]
    fn malformed_args_never_panic() {
        let packed = pack(&[A::S(b"abcdef"), A::N(2.0)]);
        for cut in 0..packed.len() {
            let mut a = Args(&packed[..cut]);
            let _ = (a.str(), a.num(), a.opt());
        }
        // A length beyond the input, and text that is not UTF-8 (read as empty).
        assert_eq!(Args(&[9, 0, 0, 0, b'a']).opt(), None);
        assert_eq!(Args(&pack(&[A::S(&[0xff, 0xfe])])).str(), "");
        // Every operation on garbage answers (an error, empty or a value), and never panics.
        for op in 0..40 {
            let _ = (text(op, &[7, 0, 0]), bytes(op, &[255; 3]));
        }
    }

    #[test]
    fn operations_dispatch() {
        assert_eq!(text(op::BASE64URL, &pack(&[A::S(b"foob")])), "Zm9vYg");
        let config = configure_packed(&client_args(b"tenant.auth0.com", b"0123456789abcdef0123456789abcdef"));
        assert!(config.starts_with("{\"domain\":\"https://tenant.auth0.com\""), "{}", &config[..20]);
        assert!(text(op::CHECK_EXCHANGE, &pack(&[A::S(b"null")]))
            .starts_with("!{\"class\":\"CustomTokenExchangeError\""));
        assert_eq!(bytes(op::TAG_MATCHES, &pack(&[A::S(&[1; 64]), A::S(&[1; 32])])), [1]);
        assert_eq!(bytes(op::TAG_MATCHES, &pack(&[A::S(&[1; 64]), A::S(&[2; 32])])), [0]);
        assert_eq!(bytes(op::SEAL_PARAMS, &[])[..2], [jwe::IV_LEN as u8, jwe::KEY_LEN as u8]);
    }
}
