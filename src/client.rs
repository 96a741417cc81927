//! `ServerClient`: the Rust API. It validates with `crate::core`, talks to the tenant through
//! `crate::host`, and reads its discovery and JWKS through `crate::tenant`.

use crate::core::dpop as rules_dpop;
use crate::core::encoding;
use crate::core::jwt::{self, Claims, TokenKind};
use crate::core::options::{
    parse_domain, validate_client, validate_exchange_options, ClientAuthMethod, ClientConfig, ClientOptions,
    CustomTokenExchangeOptions, DomainUrl, ExchangeInput, Faults, SigningKey,
};
use crate::core::request::{
    client_assertion, exchange_form, signing_input, telemetry, telemetry_header, token_request, ClientAuth,
};
use crate::core::response::{token_error, token_success, Body, Discovery, ErrorBody, TokenResponse};
use crate::dpop::DpopKey;
use crate::error::{code, Cause, Error, Secret};
use crate::host::{self, HttpFailure, JsObject};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::store::Store;
use crate::tenant::{self, failure_cause, failure_error, SignatureFailure};
use alloc::rc::Rc;
use core::cell::{OnceCell, RefCell};
use js_sys::Function;
use wasm_bindgen::JsValue;

/// Longest answer of a `domain` resolver read (BEHAVIOUR.md §11.4; a host name is at most 253).
const MAX_RESOLVED_DOMAIN_CHARS: usize = 253;

crate::local::local! {
    /// The `Auth0-Client` header: the same for every client of the isolate, built on first use.
    static TELEMETRY: OnceCell<Option<String>> = const { OnceCell::new() };
}

impl Default for Secret {
    fn default() -> Self {
        Secret::new("")
    }
}

/// What a verified token is checked as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verify {
    /// `aud` must name this client (BEHAVIOUR.md §2.5).
    IdToken,
    /// `aud` is an API's, not checked (BEHAVIOUR.md §8.7).
    AccessToken,
}

/// The result of a token exchange (BEHAVIOUR.md §2.4).
pub type TokenExchangeResponse = TokenResponse<JsObject>;

pub(crate) struct Inner {
    config: ClientConfig,
    /// Makes a refresh idempotent per refresh token across isolates (`ClientOptions::refresh_coordinator`).
    pub(crate) refresh_coordinator: Option<JsValue>,
    /// `ClientOptions::refresh_coordinator_fallback`.
    pub(crate) refresh_coordinator_fallback: bool,
    domain_resolver: Option<Function>,
    pub(crate) store: Option<Store>,
    pub(crate) fetch: Option<Function>,
    signing_key: Option<SigningKey>,
    /// The imported signing key, once imported.
    imported_key: RefCell<Option<JsValue>>,
    /// `ClientOptions::dpop_key_pair`, checked.
    pub(crate) dpop: Option<DpopKey>,
}

/// An Auth0 client for Custom Token Exchange and sessions, for programs built to
/// `wasm32-unknown-unknown` (it calls the host's `fetch` and WebCrypto). Cheap to build and to
/// clone; discovery and JWKS caches are shared by every client of the instance.
///
/// # Example
/// ```no_run
/// # async fn run() -> Result<(), auth0_edge::Error> {
/// use auth0_edge::{ClientOptions, CustomTokenExchangeOptions, Secret, ServerClient};
/// use wasm_bindgen::JsValue;
///
/// let auth0 = ServerClient::new(ClientOptions {
///     domain: "your-tenant.eu.auth0.com".into(),
///     client_id: "your-client-id".into(),
///     client_secret: Some(Secret::new("your-client-secret")),
///     secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
///     state_store: Some(auth0_edge::stores::memory_store()),
///     ..Default::default()
/// })?;
/// let tokens = auth0
///     .custom_token_exchange(
///         &CustomTokenExchangeOptions {
///             subject_token: Secret::new("a-legacy-token"),
///             subject_token_type: "urn:acme:legacy-token".into(),
///             audience: Some("https://api.example.com".into()),
///             ..Default::default()
///         },
///         &JsValue::UNDEFINED,
///     )
///     .await?;
/// let _bearer = tokens.access_token.expose();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ServerClient {
    inner: Rc<Inner>,
}

impl core::fmt::Debug for ServerClient {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerClient")
            .field(
                "domain",
                &self.inner.config.domain.as_ref().map_or("(resolved per call)", |d| d.url.as_str()),
            )
            .field("client_id", &self.inner.config.client_id)
            .finish_non_exhaustive()
    }
}

impl ServerClient {
    /// Validates `options` (BEHAVIOUR.md §1): a [`ErrorKind::Configuration`](crate::ErrorKind) error
    /// names the first wrong one. Makes no network call.
    ///
    /// # Example
    /// ```no_run
    /// # use auth0_edge::{ClientOptions, Secret, ServerClient};
    /// let auth0 = ServerClient::new(ClientOptions {
    ///     domain: "your-tenant.eu.auth0.com".into(),
    ///     client_id: "your-client-id".into(),
    ///     client_secret: Some(Secret::new("your-client-secret")),
    ///     secret: vec![Secret::new("a-session-secret-of-at-least-32-characters")],
    ///     ..Default::default()
    /// });
    /// assert!(auth0.is_ok());
    /// ```
    pub fn new(options: ClientOptions) -> Result<ServerClient, Error> {
        Self::build(options, true)
    }

    /// A client for token exchanges only (an `ApiClient`'s): no session secret is needed.
    pub(crate) fn without_sessions(options: ClientOptions) -> Result<ServerClient, Error> {
        Self::build(options, false)
    }

    fn build(options: ClientOptions, with_sessions: bool) -> Result<ServerClient, Error> {
        let config = validate_client(&options, &Faults::NONE, with_sessions)?;
        let ClientOptions {
            fetch,
            client_assertion_signing_key: signing_key,
            domain_resolver,
            state_store,
            refresh_coordinator,
            refresh_coordinator_fallback,
            dpop_key_pair,
            ..
        } = options;
        let dpop = dpop_key_pair.map(|pair| DpopKey::new(pair, fetch.is_some())).transpose()?;
        let store = state_store.map(Store);
        Ok(ServerClient {
            inner: Rc::new(Inner {
                config,
                refresh_coordinator,
                refresh_coordinator_fallback: refresh_coordinator_fallback.unwrap_or(false),
                store,
                fetch,
                signing_key,
                domain_resolver,
                imported_key: RefCell::new(None),
                dpop,
            }),
        })
    }

    /// The tenant for this operation (BEHAVIOUR.md §8.4): the static `domain`, or the resolver's answer
    /// for these store options (awaited within the timeout), validated as a static one.
    pub(crate) async fn tenant(&self, store_options: &JsValue) -> Result<DomainUrl, Error> {
        if let Some(d) = &self.inner.config.domain {
            return Ok(d.clone());
        }
        let bad = || {
            Error::config(code::INVALID_DOMAIN, "the \"domain\" function did not answer a tenant's domain")
        };
        let resolver = self.inner.domain_resolver.as_ref().ok_or_else(bad)?;
        let timeout = self.inner.config.timeout_ms;
        let answer = match resolver.call1(&JsValue::UNDEFINED, store_options) {
            Ok(v) => host::settle(&v, timeout).await,
            Err(e) => Err(HttpFailure::Network(e)),
        };
        let answer = answer.map_err(|f| bad().cause(failure_cause(f, timeout)))?;
        let domain = host::value::short_string(&answer, MAX_RESOLVED_DOMAIN_CHARS).ok_or_else(bad)?;
        let tenant = parse_domain(&domain)?;
        // BEHAVIOUR.md §10.1: only a listed tenant receives the client's credentials.
        if !self.inner.config.allowed_domains.iter().any(|a| a.same_tenant(&tenant)) {
            let mut message = String::from("the \"domain\" function answered ");
            message.push_str(&tenant.host);
            message.push_str(", which is not in \"allowedDomains\"");
            return Err(Error::config(code::DOMAIN_NOT_ALLOWED, message));
        }
        Ok(tenant)
    }

    /// The validated options, defaults filled in.
    ///
    /// # Example
    /// ```no_run
    /// # fn run(auth0: auth0_edge::ServerClient) {
    /// let config = auth0.config();
    /// assert_eq!(config.state_identifier, "_a0_session"); // the default
    /// assert_eq!(config.auth_method, auth0_edge::ClientAuthMethod::ClientSecretBasic);
    /// # }
    /// ```
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// Exchanges a subject token (and optionally an actor token) for Auth0 tokens (BEHAVIOUR.md §2).
    /// `store_options` go to a `domain` resolver, if the client has one.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, user_token: String, service_token: String)
    /// # -> Result<(), auth0_edge::Error> {
    /// use auth0_edge::{CustomTokenExchangeOptions, Secret};
    /// let tokens = auth0
    ///     .custom_token_exchange(
    ///         &CustomTokenExchangeOptions {
    ///             subject_token: Secret::new(user_token),
    ///             subject_token_type: "urn:ietf:params:oauth:token-type:access_token".into(),
    ///             actor_token: Some(Secret::new(service_token)),
    ///             actor_token_type: Some("urn:ietf:params:oauth:token-type:access_token".into()),
    ///             ..Default::default()
    ///         },
    ///         &wasm_bindgen::JsValue::UNDEFINED,
    ///     )
    ///     .await?;
    /// let _actor = tokens.act.and_then(|act| act.str_at("sub")); // verified, or None
    /// # Ok(()) }
    /// ```
    pub async fn custom_token_exchange(
        &self,
        options: &CustomTokenExchangeOptions,
        store_options: &JsValue,
    ) -> Result<TokenExchangeResponse, Error> {
        let input = validate_exchange_options(options, &Faults::NONE)?;
        let tenant = self.tenant(store_options).await?;
        let (discovery, tokens) = self.exchange_tokens(&input, &tenant).await?;
        // `act` only from a verified token: the ID token, else a JWT access token signed by a
        // key of the tenant's JWKS (BEHAVIOUR.md §2.5, §8.7). Any failure leaves it undefined.
        let verified = match (&input.actor, &tokens.id_token) {
            (Some(_), Some(id_token)) => self.verify_id_token(&discovery, id_token.expose()).await.ok(),
            (Some(_), None) => {
                self.verify_jws(&discovery, tokens.access_token.expose(), Verify::AccessToken).await.ok()
            }
            _ => None,
        };
        let act = verified.and_then(|(claims, _)| claims.object_at("act"));
        Ok(TokenResponse { act, ..tokens })
    }

    /// Discovery, then the token-exchange request: the part shared by exchange and login.
    pub(crate) async fn exchange_tokens(
        &self,
        input: &ExchangeInput,
        tenant: &DomainUrl,
    ) -> Result<(Rc<Discovery>, TokenExchangeResponse), Error> {
        let discovery = self.discovery(tenant).await?;
        let form = exchange_form(&self.inner.config.client_id, input);
        let tokens = self.token_call(&discovery, form).await?;
        Ok((discovery, tokens))
    }

    pub(crate) async fn discovery(&self, tenant: &DomainUrl) -> Result<Rc<Discovery>, Error> {
        tenant::discovery(self.inner.fetch.as_ref(), self.inner.config.timeout_ms, tenant).await
    }

    /// POSTs a form to the token endpoint with client authentication and reads the result. With a
    /// DPoP key each attempt carries a fresh proof, and a nonce challenge is met by one retry
    /// with the server's nonce (BEHAVIOUR.md §12).
    pub(crate) async fn token_call(
        &self,
        discovery: &Discovery,
        form: Vec<(String, String)>,
    ) -> Result<TokenExchangeResponse, Error> {
        let dpop = self.inner.dpop.as_ref();
        let mut form = form;
        let mut retried = false;
        loop {
            // With a key the form is kept while a nonce challenge may still ask for it again.
            let this_form =
                if dpop.is_some() && !retried { form.clone() } else { core::mem::take(&mut form) };
            let r = self.token_post(discovery, this_form).await?;
            let nonce = dpop.and_then(|_| r.header("dpop-nonce"));
            if let (Some(key), Some(nonce)) = (dpop, &nonce) {
                key.remember_nonce(&discovery.token_endpoint, false, nonce);
            }
            if r.status != 200 {
                let (body, parsed) = host::json_body::<ErrorBody>(&r.body);
                let challenge = dpop.is_some()
                    && !retried
                    && matches!(&body, Body::Json(b) if rules_dpop::is_nonce_challenge(r.status, b.error.as_str(), nonce.as_deref()));
                if challenge {
                    retried = true;
                    continue;
                }
                let (e, body_is_cause) = token_error(r.status, r.content_type.as_deref(), &body);
                return Err(if body_is_cause { e.cause(Cause::Js(parsed)) } else { e });
            }
            let tokens: TokenExchangeResponse = token_success(host::json_body(&r.body).0)?;
            rules_dpop::check_token_type(dpop.is_some(), &tokens.token_type)?;
            return Ok(tokens);
        }
    }

    /// One POST of `form` to the token endpoint: client authentication, telemetry and, with a
    /// DPoP key, a fresh proof.
    async fn token_post(
        &self,
        discovery: &Discovery,
        form: Vec<(String, String)>,
    ) -> Result<host::HttpResponse, Error> {
        let c = &self.inner.config;
        let assertion;
        // Validation guarantees a secret for the secret methods; no panic path either way.
        let auth = match (c.auth_method, &c.client_secret) {
            (ClientAuthMethod::ClientSecretBasic, Some(secret)) => ClientAuth::Basic(secret),
            (ClientAuthMethod::ClientSecretPost, Some(secret)) => ClientAuth::Post(secret),
            _ => {
                assertion = self.client_assertion(&discovery.issuer).await?;
                ClientAuth::Assertion(&assertion)
            }
        };
        let req = TELEMETRY.with(|t| {
            let header = match c.telemetry {
                true => t
                    .get_or_init(|| {
                        host::json_text(&telemetry(&host::runtime_name())).ok().map(|j| telemetry_header(&j))
                    })
                    .as_deref(),
                false => None,
            };
            token_request(&discovery.token_endpoint, &c.client_id, auth, form, header)
        });
        let proof = match &self.inner.dpop {
            Some(key) => Some(key.proof("POST", &req.url, None).await?),
            None => None,
        };
        let mut headers: Vec<(&str, &str)> =
            vec![("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")];
        headers.extend(req.headers.iter().map(|(k, v)| (*k, v.as_str())));
        if let Some(p) = &proof {
            headers.push(("DPoP", p));
        }
        host::send(self.inner.fetch.as_ref(), "POST", &req.url, &headers, Some(&req.body), c.timeout_ms)
            .await
            .map_err(|f| failure_error("Token exchange", &req.url, f, c.timeout_ms, None))
    }

    /// A signed `private_key_jwt` assertion for `audience` (the issuer).
    async fn client_assertion(&self, audience: &str) -> Result<String, Error> {
        let c = &self.inner.config;
        let key_error = || {
            Error::config(
                code::CONFIGURATION_ERROR,
                "\"clientAssertionSigningKey\" could not be used to sign",
            )
        };
        let existing = self.inner.imported_key.borrow().clone();
        let key = match existing {
            Some(k) => k,
            None => {
                let k = match self.inner.signing_key.as_ref().ok_or_else(key_error)? {
                    SigningKey::CryptoKey(k) => k.clone(),
                    SigningKey::Pem(pem) => {
                        let der = encoding::pem_pkcs8_der(pem.expose()).ok_or_else(key_error)?;
                        host::import_signing_key(c.signing_alg, &der)
                            .await
                            .map_err(|e| key_error().cause(Cause::Js(e)))?
                    }
                };
                *self.inner.imported_key.borrow_mut() = Some(k.clone());
                k
            }
        };
        let jti = host::random_bytes(16).map_err(|e| key_error().cause(Cause::Js(e)))?;
        let jti = encoding::base64url(&jti);
        let (header, claims) =
            client_assertion(c.signing_alg, &c.client_id, audience, host::now_secs(), &jti);
        let json = |v: Result<String, JsValue>| v.map_err(|e| key_error().cause(Cause::Js(e)));
        let mut input = signing_input(&json(host::json_text(&header))?, &json(host::json_text(&claims))?);
        let sig = host::sign(c.signing_alg, &key, input.as_bytes())
            .await
            .map_err(|e| key_error().cause(Cause::Js(e)))?;
        input.push('.');
        input.push_str(&encoding::base64url(&sig));
        Ok(input)
    }

    /// Verifies an ID token's signature against the tenant's JWKS and checks its claims
    /// (BEHAVIOUR.md §2.5, §3.2). Returns the claims.
    pub(crate) async fn verify_id_token(
        &self,
        discovery: &Discovery,
        token: &str,
    ) -> Result<(JsObject, Claims), Error> {
        self.verify_jws(discovery, token, Verify::IdToken).await
    }

    /// Verifies a compact JWS against the tenant's JWKS and checks its claims as `kind` says.
    /// An ID token's unknown `kid` refetches the JWKS (at most every 30 s); an access token's
    /// does not: its key must be one the tenant already publishes.
    async fn verify_jws(
        &self,
        discovery: &Discovery,
        token: &str,
        kind: Verify,
    ) -> Result<(JsObject, Claims), Error> {
        let tk = TokenKind::IdToken;
        let jwt = jwt::decode(token, &host::jose_header, tk)?;
        // The claims object as the host parsed it, and the claims the core checks, read from it.
        let object = host::parse_object(&jwt.payload).ok_or_else(|| tk.not_json())?;
        let claims: Claims = serde_wasm_bindgen::from_value(object.0.clone()).map_err(|_| tk.not_json())?;
        let fetch = self.inner.fetch.as_ref();
        let timeout = self.inner.config.timeout_ms;
        tenant::verify_signature(fetch, timeout, discovery, &jwt, kind == Verify::IdToken)
            .await
            .map_err(SignatureFailure::into_id_token_error)?;
        let now = host::now_secs() as i64;
        match kind {
            Verify::IdToken => {
                jwt::check_id_token_claims(&claims, &discovery.issuer, &self.inner.config.client_id, now)?
            }
            Verify::AccessToken => jwt::check_access_token_claims(&claims, &discovery.issuer, now)?,
        }
        Ok((object, claims))
    }
}
