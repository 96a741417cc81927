//! Options of [`ApiClient`](crate::ApiClient) and of its verification (BEHAVIOUR.md §13.1).

use super::client::{
    invalid_option, positive_int, validate_client, ClientOptions, SigningKey, DEFAULT_TIMEOUT_MS,
};
use super::{is_blank, parse_domain, DomainUrl, Faults, MAX_OPTION_BYTES, MAX_TOKEN_BYTES};
use crate::core::api::{bad_proof, malformed, no_credentials, Scheme};
use crate::error::{code, Error, Secret};
#[allow(unused_imports)]
use crate::prelude::*;
use js_sys::Function;
use wasm_bindgen::JsValue;

/// Default clock skew allowed on `exp`, `iat` and `nbf`, in seconds.
pub const DEFAULT_LEEWAY: u32 = 60;
/// Largest `leeway` taken, in seconds.
pub const MAX_LEEWAY: u32 = 600;
/// Most `requiredClaims` or `scopes` one verification takes.
pub const MAX_LISTED_CLAIMS: usize = 100;

/// Options of [`ApiClient::new`](crate::ApiClient::new). `Default` leaves everything unset.
#[derive(Clone, Debug, Default)]
pub struct ApiClientOptions {
    /// The tenant: `tenant.eu.auth0.com` or `https://tenant.eu.auth0.com` (`http://` only for
    /// loopback), as [`ClientOptions::domain`](crate::ClientOptions::domain). Empty with
    /// `allowed_domains`: the tenant is then the one whose issuer the token names.
    pub domain: String,
    /// An API trusting several tenants (or custom domains of one), instead of `domain`: a
    /// token's `iss` must be the issuer of one of them (`https://<domain>/`), whose discovery and
    /// JWKS then verify it (BEHAVIOUR.md §13.1).
    pub allowed_domains: Vec<String>,
    /// The API's identifier (its `audience`): a token's `aud` must contain it.
    pub audience: String,
    /// A `fetch` to use instead of `globalThis.fetch` (discovery and JWKS).
    pub fetch: Option<Function>,
    /// Per request to the tenant, in ms. Default 5000.
    pub timeout_ms: Option<u32>,
    /// Clock skew allowed on `exp`, `iat` and `nbf`, in seconds (0 to 600). Default 60.
    pub leeway: Option<u32>,
    /// For [`ApiClient::get_token_on_behalf_of`](crate::ApiClient::get_token_on_behalf_of): the
    /// API's own client at the tenant (an application allowed the token-exchange grant).
    pub client_id: Option<String>,
    /// Its client secret (`client_secret_basic`).
    pub client_secret: Option<Secret>,
    /// Or its `private_key_jwt` key: a PKCS#8 PEM or a WebCrypto `CryptoKey` that may sign.
    pub client_assertion_signing_key: Option<SigningKey>,
    /// DPoP proofs accepted by other isolates too (BEHAVIOUR.md §13.3): a JavaScript object whose
    /// `firstUse(key, ttlSeconds)` resolves to `true` the first time it sees `key` (and keeps it
    /// `ttlSeconds`), `false` after, e.g. [`crate::stores::durable_object_replay_cache`]. Without
    /// it, each isolate remembers the proofs it accepted.
    pub dpop_replay_cache: Option<JsValue>,
}

/// The client that exchanges tokens on an API's behalf, when the options name one: its
/// credentials, the API's tenant, `fetch` and `timeout_ms`.
pub fn exchange_client_options(o: &ApiClientOptions, faults: &Faults) -> Option<ClientOptions> {
    let named = ["clientId", "clientSecret", "clientAssertionSigningKey"].iter().any(|k| faults.has(k));
    if !named
        && o.client_id.is_none()
        && o.client_secret.is_none()
        && o.client_assertion_signing_key.is_none()
    {
        return None;
    }
    Some(ClientOptions {
        // With `allowed_domains`, the tenant of each exchange is the token's (set per call).
        domain: if o.domain.is_empty() {
            o.allowed_domains.first().cloned().unwrap_or_default()
        } else {
            o.domain.clone()
        },
        client_id: o.client_id.clone().unwrap_or_default(),
        client_secret: o.client_secret.clone(),
        client_assertion_signing_key: o.client_assertion_signing_key.clone(),
        fetch: o.fetch.clone(),
        timeout_ms: o.timeout_ms,
        ..Default::default()
    })
}

/// [`ApiClientOptions`] checked, defaults filled in.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// The tenant, when one is configured.
    pub domain: Option<DomainUrl>,
    /// The tenants a token may come from, when `domain` is not given.
    pub allowed_domains: Vec<DomainUrl>,
    /// The API's identifier.
    pub audience: String,
    /// Per request to the tenant, in ms.
    pub timeout_ms: u32,
    /// Clock skew allowed, in seconds.
    pub leeway: u32,
}

/// BEHAVIOUR.md §13.1, in this order: the options object, `domain`, `audience`, the optional
/// options, then (when any is given) the exchanging client's `clientId` and credentials as §1
/// checks them. A `ConfigurationError` names the first wrong one.
pub fn validate_api_options(o: &ApiClientOptions, faults: &Faults) -> Result<ApiConfig, Error> {
    if !faults.is_object() {
        return Err(invalid_option("ApiClient options must be an object"));
    }
    let listed = !o.allowed_domains.is_empty() && !faults.has("allowedDomains");
    let (domain, allowed_domains) = match () {
        _ if faults.has("domain") || (o.domain.is_empty() && !listed) => {
            return Err(Error::config(
                code::INVALID_DOMAIN,
                "\"domain\" is required: the tenant's domain (or \"allowedDomains\", the tenants a token may come from)",
            ))
        }
        _ if !o.domain.is_empty() => (Some(parse_domain(&o.domain)?), Vec::new()),
        _ => {
            let list = o.allowed_domains.iter().map(|d| parse_domain(d)).collect::<Result<Vec<_>, _>>();
            let list = list.map_err(|_| {
                Error::config(code::INVALID_DOMAIN, "\"allowedDomains\" must be an array of tenant domains, each as \"domain\" is")
            })?;
            (None, list)
        }
    };
    if faults.has("allowedDomains") {
        return Err(Error::config(
            code::INVALID_DOMAIN,
            "\"allowedDomains\" must be an array of tenant domains, each as \"domain\" is",
        ));
    }
    if faults.has("audience") || is_blank(&o.audience) || o.audience.len() > MAX_OPTION_BYTES {
        return Err(invalid_option("\"audience\" is required: the API's identifier, a non-blank string"));
    }
    let message = "\"timeoutMs\" must be a positive whole number of milliseconds";
    let timeout_ms =
        positive_int(faults, "timeoutMs", o.timeout_ms, 2_147_483_647.0, DEFAULT_TIMEOUT_MS, message)?;
    let leeway = match o.leeway {
        _ if faults.has("leeway") => None,
        None => Some(DEFAULT_LEEWAY),
        Some(n) if n <= MAX_LEEWAY => Some(n),
        Some(_) => None,
    }
    .ok_or_else(|| invalid_option("\"leeway\" must be a whole number of seconds from 0 to 600"))?;
    if faults.has("fetch") {
        return Err(invalid_option("\"fetch\" must be a function"));
    }
    if faults.has("dpopReplayCache") {
        return Err(invalid_option(
            "\"dpopReplayCache\" must be an object with a firstUse(key, ttlSeconds) method",
        ));
    }
    // The exchanging client's rules (§1): `clientId`, then the credentials; no session secret.
    if let Some(client) = exchange_client_options(o, faults) {
        validate_client(&client, faults, false)?;
    }
    Ok(ApiConfig { domain, allowed_domains, audience: o.audience.clone(), timeout_ms, leeway })
}

/// Options of [`ApiClient::verify_access_token`](crate::ApiClient::verify_access_token).
#[derive(Clone, Debug, Default)]
pub struct VerifyAccessTokenOptions {
    /// The access token as presented, without its scheme (`Bearer`).
    pub access_token: Secret,
    /// Claims that must be present (any value), beyond those always checked.
    pub required_claims: Vec<String>,
    /// Scopes the token must grant, each in its `scope` or its `permissions` (Auth0 RBAC).
    pub scopes: Vec<String>,
    /// How the token was presented: `Bearer` (the default) or `DPoP`, without case.
    pub scheme: Option<String>,
    /// With the `DPoP` scheme: the request's `DPoP` header, the proof (RFC 9449 §4).
    pub dpop_proof: Option<String>,
    /// With the `DPoP` scheme: the request's method, which the proof's `htm` must be.
    pub http_method: Option<String>,
    /// With the `DPoP` scheme: the request's URL, which the proof's `htu` must be.
    pub http_url: Option<String>,
}

impl VerifyAccessTokenOptions {
    /// Whether the token came with the `DPoP` scheme: its refusals get a `DPoP` challenge.
    pub fn is_dpop(&self) -> bool {
        self.scheme.as_deref().and_then(Scheme::parse) == Some(Scheme::Dpop)
    }
}

/// Options of [`ApiClient::verify_request`](crate::ApiClient::verify_request): what the token must
/// grant; the token, its scheme and proof, the method and URL come from the request.
#[derive(Clone, Debug, Default)]
pub struct VerifyRequestOptions {
    /// Claims that must be present (any value), beyond those always checked.
    pub required_claims: Vec<String>,
    /// Scopes the token must grant, each in its `scope` or its `permissions` (Auth0 RBAC).
    pub scopes: Vec<String>,
}

/// BEHAVIOUR.md §13.2's input rules: no token is `invalid_request` with a bare challenge (a
/// request without credentials); a token with its scheme or a blank one `invalid_request`; a
/// token over 64 KiB `invalid_token`; a wrong `requiredClaims` or `scopes` a `ConfigurationError`
/// (the API's own mistake); then the scheme (§13.3): an unknown one `invalid_request`, `DPoP`
/// without a proof `invalid_dpop_proof`, or without the method and URL a `ConfigurationError`, a
/// proof with `Bearer` `invalid_request`. Answers the scheme.
pub fn validate_verify_options(o: &VerifyAccessTokenOptions, faults: &Faults) -> Result<Scheme, Error> {
    if !faults.is_object() {
        return Err(invalid_option("verifyAccessToken options must be an object"));
    }
    let token = o.access_token.expose();
    match faults.of("accessToken") {
        Some(super::Fault::TooLong) => {
            return Err(Error::new(
                crate::ErrorKind::VerifyAccessToken,
                code::INVALID_TOKEN,
                "the access token is too long",
            ))
        }
        Some(_) => return Err(malformed("\"accessToken\" must be a string")),
        None if token.is_empty() => return Err(no_credentials()),
        None => {}
    }
    if token.len() > MAX_TOKEN_BYTES {
        return Err(Error::new(
            crate::ErrorKind::VerifyAccessToken,
            code::INVALID_TOKEN,
            "the access token is too long",
        ));
    }
    if is_blank(token) || token.contains(' ') {
        return Err(malformed("\"accessToken\" must be the token alone: no scheme, no spaces"));
    }
    let listed = |key: &str, list: &[String]| {
        !faults.has(key)
            && list.len() <= MAX_LISTED_CLAIMS
            && list.iter().all(|s| !is_blank(s) && s.len() <= 256 && !s.contains([' ', '"', '\\']))
    };
    if !listed("requiredClaims", &o.required_claims) {
        return Err(invalid_option("\"requiredClaims\" must be an array of at most 100 claim names"));
    }
    if !listed("scopes", &o.scopes) {
        return Err(invalid_option("\"scopes\" must be an array of at most 100 scope names"));
    }
    if faults.has("httpMethod") || faults.has("httpUrl") {
        return Err(invalid_option("\"httpMethod\" and \"httpUrl\" must be strings: the request's"));
    }
    let scheme = match (&o.scheme, faults.has("scheme")) {
        (None, false) => Scheme::Bearer,
        (Some(s), false) => {
            Scheme::parse(s).ok_or_else(|| malformed("\"scheme\" must be \"Bearer\" or \"DPoP\""))?
        }
        (_, true) => return Err(malformed("\"scheme\" must be \"Bearer\" or \"DPoP\"")),
    };
    let proof = match (&o.dpop_proof, faults.of("dpopProof")) {
        (_, Some(_)) => return Err(bad_proof("the DPoP proof is not a string of at most 8 KiB")),
        (Some(p), None) => Some(p),
        (None, None) => None,
    };
    match (scheme, proof) {
        (Scheme::Bearer, Some(_)) => Err(malformed("a DPoP proof came with the Bearer scheme")),
        (Scheme::Dpop, None) => Err(bad_proof("the request has no DPoP proof")),
        (Scheme::Dpop, Some(_)) if o.http_method.is_none() || o.http_url.is_none() => Err(invalid_option(
            "\"httpMethod\" and \"httpUrl\" are required with the DPoP scheme: the request's",
        )),
        _ => Ok(scheme),
    }
}

/// Options of [`ApiClient::get_token_on_behalf_of`](crate::ApiClient::get_token_on_behalf_of).
#[derive(Clone, Debug, Default)]
pub struct OnBehalfOfOptions {
    /// The downstream API's identifier: the audience of the token asked for.
    pub audience: String,
    /// Space-separated scopes to ask for.
    pub scope: Option<String>,
}
