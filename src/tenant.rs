//! The tenant, as every client of the crate reads it: its discovery document and JWKS (cached
//! per isolate, shared by `ServerClient` and `ApiClient`), JWS signatures checked against that
//! JWKS, and the errors of a failed request to it.

use crate::cache::{self, Cache};
use crate::core::jwt::{self, Jwks, Jwt};
use crate::core::options::DomainUrl;
use crate::core::response::{http_status_text, parse_discovery, url_for_message, Body, Discovery};
use crate::error::{code, push_u64, Cause, Error};
use crate::host::{self, HttpFailure};
#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::Function;
use wasm_bindgen::JsValue;

/// Discovery and JWKS are reused for 10 minutes (BEHAVIOUR.md §2.2, §2.5).
const CACHE_TTL_MS: f64 = 600_000.0;
/// An unknown `kid` refetches the JWKS at most this often.
const JWKS_REFETCH_MS: f64 = 30_000.0;
/// Discovery: a failure is not remembered (the next call tries again).
const DISCOVERY_POLICY: cache::Policy = cache::Policy { ttl_ms: CACHE_TTL_MS, retry_ms: 0.0 };
/// JWKS: a failed fetch is not retried for 30 s (BEHAVIOUR.md §9.6).
const JWKS_POLICY: cache::Policy = cache::Policy { ttl_ms: CACHE_TTL_MS, retry_ms: 30_000.0 };

crate::local::local! {
    static DISCOVERY: RefCell<Cache<Discovery>> = const { RefCell::new(Cache::new(100)) };
    static JWKS: RefCell<Cache<Jwks>> = const { RefCell::new(Cache::new(100)) };
}

/// `{what} failed ({url}): {reason}` (BEHAVIOUR.md §8.8), the URL without its query, the reason "timed
/// out after N ms" or "network error: ..." from the runtime's error, which is the cause.
pub(crate) fn failure_message(what: &str, url: &str, failure: &HttpFailure, timeout_ms: u32) -> String {
    let mut message = String::from(what);
    message.push_str(" failed (");
    message.push_str(url_for_message(url));
    message.push_str("): ");
    match failure {
        HttpFailure::Timeout => {
            message.push_str("timed out after ");
            push_u64(&mut message, u64::from(timeout_ms));
            message.push_str(" ms");
        }
        HttpFailure::Network(cause) => message.push_str(&host::failure_reason(cause)),
    }
    message
}

/// The runtime's error (or the deadline's) behind a failed request.
pub(crate) fn failure_cause(failure: HttpFailure, timeout_ms: u32) -> Cause {
    Cause::Js(match failure {
        HttpFailure::Timeout => host::timeout_cause(timeout_ms),
        HttpFailure::Network(cause) => cause,
    })
}

/// `token_exchange_failed` for a failed request; `hint`, when given, ends the message.
pub(crate) fn failure_error(
    what: &str,
    url: &str,
    failure: HttpFailure,
    timeout_ms: u32,
    hint: Option<&str>,
) -> Error {
    let mut message = failure_message(what, url, &failure, timeout_ms);
    message.extend(hint);
    Error::exchange(code::TOKEN_EXCHANGE_FAILED, message).cause(failure_cause(failure, timeout_ms))
}

/// The tenant's OpenID configuration, cached for 10 minutes (BEHAVIOUR.md §2.2); a failure is
/// not remembered.
pub(crate) async fn discovery(
    fetch: Option<&Function>,
    timeout: u32,
    tenant: &DomainUrl,
) -> Result<Rc<Discovery>, Error> {
    let domain_url = tenant.url.clone();
    let fetch = fetch.cloned();
    let key = domain_url.clone();
    let hint = tenant.scheme_hint();
    cache::get_or_fetch(&DISCOVERY, &key, DISCOVERY_POLICY, false, move || async move {
        let mut url = domain_url.clone();
        url.push_str("/.well-known/openid-configuration");
        let r = host::send(fetch.as_ref(), "GET", &url, &[("Accept", "application/json")], None, timeout)
            .await
            // A scheme-less local domain got https: the hint says so (a plain-http port fails
            // opaquely).
            .map_err(|f| failure_error("OIDC discovery", &url, f, timeout, hint.as_deref()))?;
        let body = if r.status == 200 { host::json_body(&r.body).0 } else { Body::NotJson };
        parse_discovery(&domain_url, r.status, body).map_err(|e| {
            // BEHAVIOUR.md §2.2, §8.8: a failed discovery's cause is what came back, in a sentence.
            if e.code() != code::TOKEN_EXCHANGE_FAILED {
                return e;
            }
            let mut what = http_status_text(r.status);
            if let Some(ct) = &r.content_type {
                what.push_str(", ");
                what.push_str(ct);
            }
            e.cause(Cause::Js(js_sys::Error::new(&what).into()))
        })
    })
    .await
}

/// The tenant's JWKS: cached, refetched when `force` (an unknown `kid`), and while a fetch
/// fails the keys already in hand are kept (BEHAVIOUR.md §9.6).
pub(crate) async fn jwks(
    fetch: Option<&Function>,
    timeout: u32,
    uri: &str,
    force: bool,
) -> Result<Rc<Jwks>, Error> {
    let fetch = fetch.cloned();
    let url = uri.to_owned();
    let fetched = cache::get_or_fetch(&JWKS, uri, JWKS_POLICY, force, move || async move {
        let fetch_error = |why: &str| {
            let mut m = String::from("the JWKS could not be fetched (");
            m.push_str(url_for_message(&url));
            m.push_str("): ");
            m.push_str(why);
            Error::id_token(code::JWKS_FETCH_ERROR, m)
        };
        let r = host::send(fetch.as_ref(), "GET", &url, &[("Accept", "application/json")], None, timeout)
            .await
            .map_err(|f| {
                let message = failure_message("the JWKS fetch", &url, &f, timeout);
                Error::id_token(code::JWKS_FETCH_ERROR, message).cause(failure_cause(f, timeout))
            })?;
        if r.status != 200 {
            return Err(fetch_error(&http_status_text(r.status)).status(r.status));
        }
        match host::json_body::<Jwks>(&r.body).0 {
            Body::Json(jwks) => Ok(jwks),
            Body::TooLarge => Err(fetch_error("larger than 1 MiB")),
            Body::NotJson => Err(fetch_error("not a JSON object")),
        }
    })
    .await;
    match fetched {
        // An outage or a stale entry: the keys in hand still verify what they signed.
        Err(e) if !force => JWKS.with(|c| c.borrow().last_value(uri)).ok_or(e),
        other => other,
    }
}

/// Why a signature did not verify.
pub(crate) enum SignatureFailure {
    /// The JWKS could not be read (`jwks_fetch_error`), or discovery names none.
    Jwks(Error),
    /// No key of the JWKS fits the token's `kid` and `alg`, even after a refetch.
    NoKey,
    /// The signature is wrong, or WebCrypto refused the key (its error).
    Invalid(Option<JsValue>),
}

impl SignatureFailure {
    /// As a login reports it (BEHAVIOUR.md §3.2): an `IdTokenError`.
    pub(crate) fn into_id_token_error(self) -> Error {
        match self {
            SignatureFailure::Jwks(e) => e,
            SignatureFailure::NoKey => Error::id_token(
                code::JWKS_KEY_NOT_FOUND,
                "no key in the JWKS matches the ID token's \"kid\" and \"alg\"",
            ),
            SignatureFailure::Invalid(cause) => {
                let e = Error::id_token(code::INVALID_SIGNATURE, "the ID token's signature is not valid");
                match cause {
                    Some(c) => e.cause(Cause::Js(c)),
                    None => e,
                }
            }
        }
    }
}

/// Verifies `jwt`'s signature with the key of the tenant's JWKS its `kid` and `alg` select. With
/// `refetch`, an unknown `kid` refetches the JWKS (at most every 30 s, BEHAVIOUR.md §9.6): keys rotate.
pub(crate) async fn verify_signature(
    fetch: Option<&Function>,
    timeout: u32,
    discovery: &Discovery,
    jwt: &Jwt,
    refetch: bool,
) -> Result<(), SignatureFailure> {
    let uri = discovery.jwks_uri.as_deref().ok_or_else(|| {
        SignatureFailure::Jwks(Error::id_token(
            code::JWKS_FETCH_ERROR,
            "the discovery document has no \"jwks_uri\"",
        ))
    })?;
    let mut jwks = jwks(fetch, timeout, uri, false).await.map_err(SignatureFailure::Jwks)?;
    if jwt::select_key(&jwks, jwt.kid.as_deref(), jwt.alg).is_none()
        && refetch
        && JWKS.with(|c| c.borrow().age_ms(uri)).is_some_and(|age| age >= JWKS_REFETCH_MS)
    {
        jwks = self::jwks(fetch, timeout, uri, true).await.map_err(SignatureFailure::Jwks)?;
    }
    let jwk = jwt::select_key(&jwks, jwt.kid.as_deref(), jwt.alg).ok_or(SignatureFailure::NoKey)?;
    match host::verify(jwt.alg, &jwt::public_jwk(jwk), &jwt.signature, jwt.signing_input.as_bytes()).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(SignatureFailure::Invalid(None)),
        Err(e) => Err(SignatureFailure::Invalid(Some(e))),
    }
}
