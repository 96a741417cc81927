//! `ApiClient`: the API's side of Auth0 (BEHAVIOUR.md §13). An edge function in front of an API
//! verifies the access tokens it is presented, with the tenant's discovery and JWKS read and
//! cached as `ServerClient` reads them (`crate::tenant`).

use crate::core::api::{answer, check_api_claims, check_typ, ApiChecks, ApiClaims, Confirmation};
use crate::core::jwt::{self, TokenKind};
use crate::core::options::{
    validate_api_options, validate_verify_options, ApiClientOptions, ApiConfig, Faults,
    VerifyAccessTokenOptions,
};
use crate::error::{code, Cause, Error, ErrorKind};
use crate::host::{self, JsObject};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tenant::{self, SignatureFailure};
use alloc::rc::Rc;
use js_sys::Function;

struct Inner {
    config: ApiConfig,
    fetch: Option<Function>,
}

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
            .field("domain", &self.inner.config.domain.url)
            .field("audience", &self.inner.config.audience)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// Validates `options` (BEHAVIOUR.md §13.1): a `Configuration` error names the first wrong
    /// one. Makes no network call.
    pub fn new(options: ApiClientOptions) -> Result<ApiClient, Error> {
        let config = validate_api_options(&options, &Faults::NONE)?;
        Ok(ApiClient { inner: Rc::new(Inner { config, fetch: options.fetch }) })
    }

    /// The validated options, defaults filled in.
    pub fn config(&self) -> &ApiConfig {
        &self.inner.config
    }

    /// Verifies an access token (BEHAVIOUR.md §13.2) and returns its claims, as the host parsed
    /// them. A refusal is an [`ErrorKind::VerifyAccessToken`] error with an RFC 6750 code, the
    /// status to answer ([`Error::response_status`]) and its challenge
    /// ([`Error::www_authenticate`]); the message names the failed check, never the token.
    pub async fn verify_access_token(&self, options: &VerifyAccessTokenOptions) -> Result<JsObject, Error> {
        self.verify(options).await.map_err(|e| answer(e, &options.scopes))
    }

    async fn verify(&self, options: &VerifyAccessTokenOptions) -> Result<JsObject, Error> {
        validate_verify_options(options, &Faults::NONE)?;
        let (c, fetch) = (&self.inner.config, self.inner.fetch.as_ref());
        let kind = TokenKind::AccessToken;
        let jwt = jwt::decode(options.access_token.expose(), &host::from_json_text, kind)?;
        check_typ(&jwt.typ)?;
        let object = host::parse_object(&jwt.payload).ok_or_else(|| kind.not_json())?;
        let claims: ApiClaims =
            serde_wasm_bindgen::from_value(object.0.clone()).map_err(|_| kind.not_json())?;
        let discovery = tenant::discovery(fetch, c.timeout_ms, &c.domain).await.map_err(unavailable)?;
        // An unknown `kid` refetches the JWKS (at most every 30 s): the tenant may have rotated.
        tenant::verify_signature(fetch, c.timeout_ms, &discovery, &jwt, true).await.map_err(|f| match f {
            SignatureFailure::Jwks(e) => unavailable(e),
            SignatureFailure::NoKey => {
                kind.error(code::INVALID_TOKEN, "'s \"kid\" and \"alg\" match no key of the tenant's JWKS")
            }
            SignatureFailure::Invalid(_) => kind.error(code::INVALID_TOKEN, "'s signature is not valid"),
        })?;
        let checks = ApiChecks {
            issuer: &discovery.issuer,
            audience: &c.audience,
            now: host::now_secs() as i64,
            leeway: i64::from(c.leeway),
            required_claims: &options.required_claims,
            scopes: &options.scopes,
        };
        let has = |name: &str| host::value::own(&object.0, name).is_ok_and(|v| !v.is_undefined());
        check_api_claims(&claims, &has, &checks)?;
        if claims.cnf != Confirmation::Absent {
            // RFC 9449 §7.2: a bound token presented as a Bearer token is refused.
            return Err(
                kind.error(code::INVALID_TOKEN, " is bound to a key (\"cnf\"): it is not a Bearer token")
            );
        }
        Ok(object)
    }
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
