//! `ApiClient`: the API's side of Auth0 (BEHAVIOUR.md §13). An edge function in front of an API
//! verifies the access tokens it is presented, with the tenant's discovery and JWKS read and
//! cached as `ServerClient` reads them (`crate::tenant`).

use crate::client::{ServerClient, TokenExchangeResponse};
use crate::core::api::{
    answer, bad_proof, check_api_claims, check_proof_claims, check_proof_key, check_typ, malformed,
    no_credentials, ApiChecks, ApiClaims, Confirmation, ProofClaimsIn, ProofExpect, ProofKey, ReplayCache,
    Scheme,
};
use crate::core::dpop::thumbprint_input;
use crate::core::encoding::{base64url, base64url_decode};
use crate::core::jwt::{self, public_jwk, TokenKind};
use crate::core::options::{
    exchange_client_options, invalid_option, validate_api_options, validate_exchange_options,
    validate_verify_options, ApiClientOptions, ApiConfig, ClientOptions, CustomTokenExchangeOptions,
    DomainUrl, Faults, OnBehalfOfOptions, VerifyAccessTokenOptions, VerifyRequestOptions, MAX_OPTION_BYTES,
    MAX_TOKEN_BYTES,
};
use crate::error::{code, Cause, Error, ErrorKind, Secret};
use crate::host::{self, value, JsObject};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tenant::{self, failure_cause, SignatureFailure};
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Array, Function};
use wasm_bindgen::JsValue;

/// How old a DPoP proof may be (its `iat`), in seconds.
const PROOF_MAX_AGE: i64 = 300;
/// How far ahead of this clock a proof's `iat` may be, in seconds.
const PROOF_LEEWAY: i64 = 30;
/// Most proofs remembered against replay in one isolate.
const MAX_PROOFS_SEEN: usize = 10_000;

crate::local::local! {
    /// The DPoP proofs this isolate has accepted, until their window passes (BEHAVIOUR.md §13.3).
    static PROOFS_SEEN: RefCell<ReplayCache> = const { RefCell::new(ReplayCache::new(MAX_PROOFS_SEEN)) };
}

struct Inner {
    config: ApiConfig,
    fetch: Option<Function>,
    /// The API's own client at the tenant, for exchanges on a caller's behalf.
    exchanger: Option<ServerClient>,
    /// Its options, for a client per tenant when the tenant is the token's (`allowed_domains`).
    exchange_options: Option<ClientOptions>,
    /// `ApiClientOptions::dpop_replay_cache`.
    replay_cache: Option<JsValue>,
}

/// RFC 8693's type of an access token: the incoming token's, and the one asked for.
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// Verifies Auth0 access tokens presented to an API (RFC 9068 JWTs signed by the tenant), for
/// programs built to `wasm32-unknown-unknown`. Needs no client secret. Cheap to clone; the
/// discovery and JWKS caches are the isolate's, shared with every `ServerClient`.
///
/// # Example
/// ```no_run
/// # async fn run(token: String) -> Result<(), auth0_edge::Error> {
/// use auth0_edge::{ApiClient, ApiClientOptions, Secret, VerifyAccessTokenOptions};
/// let api = ApiClient::new(ApiClientOptions {
///     domain: "your-tenant.eu.auth0.com".into(),
///     audience: "https://api.example.com".into(),
///     ..Default::default()
/// })?;
/// let claims = api
///     .verify_access_token(&VerifyAccessTokenOptions {
///         access_token: Secret::new(token),
///         scopes: vec!["read:data".into()],
///         ..Default::default()
///     })
///     .await?;
/// let _user = claims.str_at("sub");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ApiClient {
    inner: Rc<Inner>,
}

impl core::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ApiClient")
            .field(
                "domain",
                &self.inner.config.domain.as_ref().map_or("(the token's issuer)", |d| d.url.as_str()),
            )
            .field("audience", &self.inner.config.audience)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Validates `options` (BEHAVIOUR.md §13.1): a `Configuration` error names the first wrong
    /// one. Makes no network call.
    pub fn new(options: ApiClientOptions) -> Result<ApiClient, Error> {
        let config = validate_api_options(&options, &Faults::NONE)?;
        let exchange_options = exchange_client_options(&options, &Faults::NONE);
        let exchanger = exchange_options.clone().map(ServerClient::without_sessions).transpose()?;
        let inner = Inner {
            config,
            fetch: options.fetch,
            exchanger,
            exchange_options,
            replay_cache: options.dpop_replay_cache,
        };
        Ok(ApiClient { inner: Rc::new(inner) })
    }

    /// Exchanges a caller's access token, verified first as [`verify_access_token`](Self::verify_access_token)
    /// verifies a Bearer token (for this API's audience), for a token of another API on the
    /// caller's behalf (BEHAVIOUR.md §13.6): a token exchange with the incoming token as subject,
    /// `subject_token_type` and `requested_token_type` `urn:ietf:params:oauth:token-type:access_token`.
    /// A token that does not verify is never sent to the tenant. Needs `client_id` and a credential.
    pub async fn get_token_on_behalf_of(
        &self,
        access_token: &Secret,
        options: &OnBehalfOfOptions,
    ) -> Result<TokenExchangeResponse, Error> {
        let exchanger = self.inner.exchanger.as_ref().ok_or_else(|| {
            Error::config(
                code::MISSING_CLIENT_CREDENTIALS,
                "getTokenOnBehalfOf needs the API's \"clientId\" and a \"clientSecret\" or \"clientAssertionSigningKey\"",
            )
        })?;
        let exchange = CustomTokenExchangeOptions {
            subject_token: access_token.clone(),
            subject_token_type: ACCESS_TOKEN_TYPE.into(),
            audience: Some(options.audience.clone()),
            scope: options.scope.clone(),
            requested_token_type: Some(ACCESS_TOKEN_TYPE.into()),
            ..Default::default()
        };
        // Before any request: the incoming token's form, then the exchange's own rules (the
        // audience is required here); then the token is verified.
        let incoming = VerifyAccessTokenOptions { access_token: access_token.clone(), ..Default::default() };
        validate_verify_options(&incoming, &Faults::NONE).map_err(|e| answer(e, &[], false))?;
        if options.audience.is_empty() {
            return Err(Error::exchange(
                code::INVALID_PARAMETER,
                "\"audience\" is required: the downstream API's identifier",
            ));
        }
        validate_exchange_options(&exchange, &Faults::NONE)?;
        let (_, tenant) = self.verify(&incoming).await.map_err(|e| answer(e, &[], false))?;
        // The exchange goes to the tenant that issued the token.
        match (&self.inner.config.domain, &self.inner.exchange_options) {
            (None, Some(template)) => {
                let per_tenant = ClientOptions { domain: tenant.url.clone(), ..template.clone() };
                let exchanger = ServerClient::without_sessions(per_tenant)?;
                exchanger.custom_token_exchange(&exchange, &JsValue::UNDEFINED).await
            }
            _ => exchanger.custom_token_exchange(&exchange, &JsValue::UNDEFINED).await,
        }
    }

    /// The validated options, defaults filled in.
    pub fn config(&self) -> &ApiConfig {
        &self.inner.config
    }

    /// Verifies an access token (BEHAVIOUR.md §13.2) and returns its claims, as the host parsed
    /// them. With the `DPoP` scheme, the token must be bound to a key and the proof must hold for
    /// the request (§13.3). A refusal is an [`ErrorKind::VerifyAccessToken`] error with an RFC
    /// 6750 (or RFC 9449) code, the status to answer ([`Error::response_status`]) and its
    /// challenge ([`Error::www_authenticate`]); the message names the failed check, never the token.
    pub async fn verify_access_token(&self, options: &VerifyAccessTokenOptions) -> Result<JsObject, Error> {
        let dpop = options.is_dpop();
        self.verify(options).await.map(|(claims, _)| claims).map_err(|e| answer(e, &options.scopes, dpop))
    }

    /// Verifies the access token of a request (BEHAVIOUR.md §13.4): its one `Authorization`
    /// header (`Bearer` or `DPoP`, without case), its `DPoP` proof, method and URL.
    pub async fn verify_request(
        &self,
        request: &JsValue,
        options: &VerifyRequestOptions,
    ) -> Result<JsObject, Error> {
        let read = read_request(request).map_err(|e| answer(e, &options.scopes, false))?;
        let (scheme, token, proof, method, url) = read;
        self.verify_access_token(&VerifyAccessTokenOptions {
            access_token: token,
            required_claims: options.required_claims.clone(),
            scopes: options.scopes.clone(),
            scheme: Some(scheme.into()),
            dpop_proof: proof,
            http_method: Some(method),
            http_url: Some(url),
        })
        .await
    }

    /// The claims of a verified token, and the tenant that issued it.
    async fn verify(&self, options: &VerifyAccessTokenOptions) -> Result<(JsObject, DomainUrl), Error> {
        let scheme = validate_verify_options(options, &Faults::NONE)?;
        let (c, fetch) = (&self.inner.config, self.inner.fetch.as_ref());
        let kind = TokenKind::AccessToken;
        let jwt = jwt::decode(options.access_token.expose(), &host::jose_header, kind)?;
        check_typ(&jwt.typ)?;
        let object = host::parse_object(&jwt.payload).ok_or_else(|| kind.not_json())?;
        let claims: ApiClaims = host::api_claims(&object);
        // The tenant: the configured one, or among `allowed_domains` the one the token names.
        let issued_by =
            |d: &&DomainUrl| claims.iss.as_str().is_some_and(|i| i.strip_suffix('/').unwrap_or(i) == d.url);
        let domain = match &c.domain {
            Some(d) => d,
            None => c.allowed_domains.iter().find(issued_by).ok_or_else(|| {
                kind.error(
                    code::INVALID_TOKEN,
                    "'s \"iss\" is not the issuer of a tenant in \"allowedDomains\"",
                )
            })?,
        };
        let discovery = tenant::discovery(fetch, c.timeout_ms, domain).await.map_err(unavailable)?;
        // An unknown `kid` refetches the JWKS (at most every 30 s): the tenant may have rotated.
        tenant::verify_signature(fetch, c.timeout_ms, &discovery, &jwt, true).await.map_err(|f| match f {
            SignatureFailure::Jwks(e) => unavailable(e),
            SignatureFailure::NoKey => {
                kind.error(code::INVALID_TOKEN, "'s \"kid\" and \"alg\" match no key of the tenant's JWKS")
            }
            SignatureFailure::Invalid(_) => kind.error(code::INVALID_TOKEN, "'s signature is not valid"),
        })?;
        let now = host::now_secs() as i64;
        let checks = ApiChecks {
            issuer: &discovery.issuer,
            audience: &c.audience,
            now,
            leeway: i64::from(c.leeway),
            required_claims: &options.required_claims,
            scopes: &options.scopes,
        };
        let has = |name: &str| value::own(&object.0, name).is_ok_and(|v| !v.is_undefined());
        check_api_claims(&claims, &has, &checks)?;
        match (scheme, &claims.cnf) {
            (Scheme::Bearer, Confirmation::Absent) => {}
            // RFC 9449 §7.2: a bound token presented as a Bearer token is refused (with a DPoP challenge).
            (Scheme::Bearer, _) => {
                let e =
                    kind.error(code::INVALID_TOKEN, " is bound to a key (\"cnf\"): it is not a Bearer token");
                return Err(answer(e, &options.scopes, true));
            }
            (Scheme::Dpop, Confirmation::Jkt(jkt)) => self.check_proof(options, jkt, now).await?,
            (Scheme::Dpop, _) => {
                return Err(kind.error(code::INVALID_TOKEN, " is not bound to a key (no \"cnf.jkt\")"))
            }
        }
        Ok((object, domain.clone()))
    }

    /// The DPoP proof of a bound token (BEHAVIOUR.md §13.3): its header, claims, key (the token's
    /// `cnf.jkt`), signature, then its `jti` never seen before in its window.
    async fn check_proof(
        &self,
        options: &VerifyAccessTokenOptions,
        jkt: &str,
        now: i64,
    ) -> Result<(), Error> {
        let (Some(proof), Some(method), Some(url)) =
            (&options.dpop_proof, &options.http_method, &options.http_url)
        else {
            return Err(bad_proof("the request has no DPoP proof"));
        };
        let not_jws = || bad_proof("the DPoP proof is not a compact JWS signed with ES256, PS256 or RS256");
        let jwt = jwt::decode(proof, &host::jose_header, TokenKind::AccessToken).map_err(|_| not_jws())?;
        let header = jwt.signing_input.split('.').next().and_then(base64url_decode).ok_or_else(not_jws)?;
        let key: ProofKey = host::from_json_text(&header).ok_or_else(not_jws)?;
        let jwk = public_jwk(check_proof_key(&jwt, &key)?);
        let claims: ProofClaimsIn = host::from_json_text(&jwt.payload).ok_or_else(not_jws)?;
        let failed = |e: JsValue| bad_proof("the DPoP proof could not be checked").cause(Cause::Js(e));
        let sha256 = |data: String| async move { host::sha256(data.as_bytes()).await.map(|h| base64url(&h)) };
        let ath = sha256(options.access_token.expose().to_owned()).await.map_err(failed)?;
        let expect =
            ProofExpect { method, url, ath: &ath, now, max_age: PROOF_MAX_AGE, leeway: PROOF_LEEWAY };
        check_proof_claims(&claims, &expect)?;
        let input = thumbprint_input(&jwk).ok_or_else(not_jws)?;
        if sha256(input).await.map_err(failed)? != jkt {
            return Err(bad_proof("the DPoP proof's key is not the one the access token is bound to"));
        }
        let valid = host::verify(jwt.alg, &jwk, &jwt.signature, jwt.signing_input.as_bytes()).await;
        if !valid.map_err(failed)? {
            return Err(bad_proof("the DPoP proof's signature is not valid"));
        }
        // Remembered only once it verifies: a forged proof cannot block a real one.
        let iat = jwt::seconds(&claims.iat).unwrap_or(now);
        let mut seen_key = String::from(jkt);
        seen_key.push(' ');
        seen_key.push_str(claims.jti.as_str().unwrap_or_default());
        let until = iat + PROOF_MAX_AGE + PROOF_LEEWAY;
        let replayed = || bad_proof("the DPoP proof's \"jti\" was used before");
        if !PROOFS_SEEN.with(|s| s.borrow_mut().first_use(&seen_key, now, until)) {
            return Err(replayed());
        }
        // Then the isolates' shared cache, under a hash of the key (jti is the caller's text).
        let Some(cache) = &self.inner.replay_cache else { return Ok(()) };
        let key = sha256(seen_key).await.map_err(failed)?;
        let args = Array::of2(&JsValue::from_str(&key), &JsValue::from_f64((until - now).max(1) as f64));
        let timeout = self.inner.config.timeout_ms;
        let answer = match value::call_method(cache, "firstUse", &args) {
            Ok(p) => host::settle(&p, timeout).await.map_err(|f| failure_cause(f, timeout)),
            Err(e) => Err(Cause::Js(e)),
        };
        match answer.as_ref().map(JsValue::as_bool) {
            Ok(Some(true)) => Ok(()),
            Ok(Some(false)) => Err(replayed()),
            _ => {
                let e = Error::new(
                    ErrorKind::VerifyAccessToken,
                    code::TEMPORARILY_UNAVAILABLE,
                    "the DPoP replay cache did not answer true or false",
                );
                Err(match answer {
                    Err(cause) => e.cause(cause),
                    Ok(_) => e,
                })
            }
        }
    }
}

/// What a request presents (BEHAVIOUR.md §13.4): its scheme and token (one `Authorization`
/// header), its `DPoP` proof, method and URL. Every read of the caller's object is caught.
fn read_request(request: &JsValue) -> Result<(&'static str, Secret, Option<String>, String, String), Error> {
    let not_request = || invalid_option("\"request\" must be a Request");
    let headers = value::get(request, "headers").filter(|h| h.is_object()).ok_or_else(not_request)?;
    let text = |v: Option<JsValue>, limit| v.and_then(|v| value::string(&v, limit).ok().flatten());
    let method = text(value::get(request, "method"), MAX_OPTION_BYTES).ok_or_else(not_request)?;
    let url = text(value::get(request, "url"), MAX_TOKEN_BYTES).ok_or_else(not_request)?;
    let header = |name: &str| {
        let v = value::call_method(&headers, "get", &Array::of1(&JsValue::from_str(name)))
            .map_err(|_| not_request())?;
        match value::string(&v, MAX_TOKEN_BYTES + 64) {
            Ok(s) => Ok(s),
            Err(_) if v.is_null() => Ok(None),
            Err(_) => Err(malformed("a header of the request is too long")),
        }
    };
    let Some(authorization) = header("authorization")? else { return Err(no_credentials()) };
    // Several `Authorization` headers arrive joined by ", "; no token holds a comma.
    if authorization.contains(',') {
        return Err(malformed("the request has more than one Authorization header"));
    }
    let (scheme, token) = authorization.trim().split_once(' ').unwrap_or((authorization.trim(), ""));
    let scheme = match Scheme::parse(scheme) {
        Some(Scheme::Bearer) => "Bearer",
        Some(Scheme::Dpop) => "DPoP",
        None => return Err(no_credentials()),
    };
    let token = token.trim_start_matches(' ');
    if token.is_empty() {
        return Err(malformed("the Authorization header has no token"));
    }
    let proof = header("dpop")?;
    if proof.as_deref().is_some_and(|p| p.contains(',')) {
        return Err(bad_proof("the request has more than one DPoP header"));
    }
    Ok((scheme, Secret::new(token), proof, method, url))
}

/// The tenant could not be read: `temporarily_unavailable` (503), the failure as the cause; a
/// tenant misconfiguration (a `ConfigurationError`) stays what it is.
fn unavailable(e: Error) -> Error {
    if e.kind() == ErrorKind::Configuration {
        return e;
    }
    Error::new(
        ErrorKind::VerifyAccessToken,
        code::TEMPORARILY_UNAVAILABLE,
        "the tenant's discovery document or JWKS could not be read",
    )
    .cause(Cause::Error(Box::new(e)))
}
