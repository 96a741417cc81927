//! Sessions (BEHAVIOUR.md §3, §4, §5): `login_with_custom_token_exchange`, `get_session`, `get_user`,
//! `get_access_token`, `logout`: sealing with WebCrypto, reading and writing through the store
//! (`crate::store`).

use crate::client::ServerClient;
use crate::core::options::{
    is_loopback, parse_domain, session_transfer_audience, session_transfer_input, validate_exchange_options,
    with_openid, CustomTokenExchangeOptions, DomainUrl, Faults, SessionTransferOptions, ID_TOKEN_TYPE,
};
use crate::core::request::refresh_form;
use crate::core::state::{
    login_state, logout_url, token_expires_at, LogoutOptions, State, TokenSet, DEFAULT_AUDIENCE,
    EXPIRY_MARGIN, PROTOCOL_CLAIMS,
};
use crate::core::{jwe, options::ClientConfig};
use crate::error::{code, Cause, Error, ErrorKind, Secret};
use crate::host::{self, JsObject, SealKeys};
use crate::local::push_bounded;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::store::{store_error, Store};
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::JsValue;

crate::local::local! {
    /// Derived sealing keys per (secret, identifier): HKDF and two imports once per isolate.
    static SEAL_KEYS: RefCell<Vec<(Secret, String, Rc<SealKeys>)>> = const { RefCell::new(Vec::new()) };
    /// Sessions sealed or opened lately: (sealed value, the secret that seals it, identifier,
    /// plaintext). A value read back right after it was written (login, then getSession) opens
    /// without HMAC and decryption; only for the same identifier and a secret the client holds.
    /// The plaintext is parsed again on each read: callers never share an object.
    static OPENED: RefCell<Vec<(String, Secret, String, Rc<[u8]>)>> = const { RefCell::new(Vec::new()) };
}

/// The session state of the client: the user and `act` as JavaScript objects.
pub type Session = State<JsObject>;

fn remember(sealed: &str, secret: &Secret, identifier: &str, plaintext: &Rc<[u8]>) {
    OPENED.with(|c| {
        let mut c = c.borrow_mut();
        c.retain(|(s, _, _, _)| s != sealed);
        push_bounded(
            &mut c,
            8,
            (sealed.to_owned(), secret.clone(), identifier.to_owned(), plaintext.clone()),
        );
    });
}

fn remembered(config: &ClientConfig, sealed: &str) -> Option<Rc<[u8]>> {
    OPENED.with(|c| {
        c.borrow()
            .iter()
            .find(|(s, secret, id, _)| {
                s == sealed && *id == config.state_identifier && config.secrets.contains(secret)
            })
            .map(|(_, _, _, plaintext)| plaintext.clone())
    })
}

/// The sealing keys for `secret` under `identifier` (HKDF-SHA-256, BEHAVIOUR.md §3.5), cached.
async fn seal_keys(secret: &Secret, identifier: &str) -> Result<Rc<SealKeys>, JsValue> {
    let cached = SEAL_KEYS.with(|c| {
        c.borrow().iter().find(|(s, i, _)| s == secret && i == identifier).map(|(_, _, k)| k.clone())
    });
    if let Some(k) = cached {
        return Ok(k);
    }
    let keys = Rc::new(
        host::seal_keys(
            secret.expose().as_bytes(),
            identifier.as_bytes(),
            jwe::HKDF_INFO,
            jwe::KEY_LEN as u32,
        )
        .await?,
    );
    SEAL_KEYS.with(|c| {
        push_bounded(&mut c.borrow_mut(), 16, (secret.clone(), identifier.to_owned(), keys.clone()))
    });
    Ok(keys)
}

/// Seals a state with the first secret.
async fn seal(config: &ClientConfig, state: &Session) -> Result<String, Error> {
    let fail = |e: JsValue| store_error("the session could not be sealed").cause(Cause::Js(e));
    let plaintext: Rc<[u8]> = host::json_text(state).map_err(fail)?.into_bytes().into();
    let sealed = seal_bytes(config, &plaintext).await?;
    remember(&sealed, &config.secrets[0], &config.state_identifier, &plaintext);
    Ok(sealed)
}

/// Seals bytes with the first secret, as a session is sealed.
async fn seal_bytes(config: &ClientConfig, plaintext: &[u8]) -> Result<String, Error> {
    let fail = |e: JsValue| store_error("the session could not be sealed").cause(Cause::Js(e));
    let keys = seal_keys(&config.secrets[0], &config.state_identifier).await.map_err(fail)?;
    let iv = host::random_bytes(jwe::IV_LEN).map_err(fail)?;
    let aad = jwe::protected_b64();
    let ciphertext = keys.encrypt(&iv, plaintext).await.map_err(fail)?;
    let mac = keys.hmac(&jwe::mac_input(aad.as_bytes(), &iv, &ciphertext)).await.map_err(fail)?;
    let sealed = jwe::compact(&aad, &iv, &ciphertext, jwe::tag_of(&mac));
    // What could not be opened again must not be written: a session is never written and lost.
    if sealed.len() > jwe::MAX_SEALED_LEN {
        return Err(store_error("the session would be larger than 1 MiB sealed: nothing was written"));
    }
    Ok(sealed)
}

/// Opens what [`seal_bytes`] sealed, with each secret in turn.
async fn open_bytes(config: &ClientConfig, sealed: &str) -> Option<(Vec<u8>, Secret)> {
    let parts = jwe::parse_compact(sealed, &host::from_json_text)?;
    let mac_input = jwe::mac_input(parts.aad.as_bytes(), &parts.iv, &parts.ciphertext);
    for secret in &config.secrets {
        let Ok(keys) = seal_keys(secret, &config.state_identifier).await else { continue };
        let Ok(mac) = keys.hmac(&mac_input).await else { continue };
        if jwe::tags_equal(jwe::tag_of(&mac), &parts.tag) {
            return Some((keys.decrypt(&parts.iv, &parts.ciphertext).await.ok()?, secret.clone()));
        }
    }
    None
}

/// Opens a sealed state with each secret in turn; anything that does not open and parse is `None`.
async fn open(config: &ClientConfig, sealed: &str) -> Option<Session> {
    if let Some(plaintext) = remembered(config, sealed) {
        return host::from_json_text(&plaintext);
    }
    let (plaintext, secret) = open_bytes(config, sealed).await?;
    let plaintext: Rc<[u8]> = plaintext.into();
    let state = host::from_json_text(&plaintext)?;
    remember(sealed, &secret, &config.state_identifier, &plaintext);
    Some(state)
}

/// A session transfer token (BEHAVIOUR.md §8.3): hand it to the web application's login
/// ([`ServerClient::build_session_transfer_redirect`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionTransfer {
    /// The token (the response's `access_token`).
    pub session_transfer_token: Secret,
    /// As the server sent it, `""` when it did not.
    pub issued_token_type: String,
    /// Seconds, when the server says.
    pub expires_in: Option<u64>,
    /// As the server sent it (`Bearer` when it did not).
    pub token_type: String,
    /// The granted scopes, when the server says.
    pub scope: Option<String>,
}

/// Options of [`ServerClient::get_access_token`] (BEHAVIOUR.md §8.5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetAccessTokenOptions {
    /// The API (default `"default"`: the token set of a login without an audience).
    pub audience: Option<String>,
    /// Scopes the token must carry (space-separated).
    pub scope: Option<String>,
}

/// What a refresh needs of `get_access_token`'s call: owned, as a coordinator's callback outlives
/// the call.
#[derive(Clone)]
struct Refresh {
    state: Session,
    audience: String,
    scope: Option<String>,
    /// The index of the token set being refreshed, when the session has one for the audience.
    found: Option<usize>,
    refresh_token: Secret,
}

/// A refresh under way: the promise its waiters await and, once it settles, its result.
struct Flight {
    done: js_sys::Promise,
    resolve: Option<js_sys::Function>,
    result: RefCell<Option<Result<TokenSet, Error>>>,
}

impl Flight {
    /// The leader's result, once it has settled.
    async fn wait(&self) -> Result<TokenSet, Error> {
        let _ = wasm_bindgen_futures::JsFuture::from(self.done.clone()).await;
        self.result.borrow().clone().unwrap_or_else(|| {
            Err(access_error(code::REFRESH_TOKEN_ERROR, "the refresh this call waited for was abandoned"))
        })
    }
}

crate::local::local! {
    /// Refreshes under way in this isolate, by refresh token. An entry leaves when its refresh
    /// settles (or is dropped).
    static REFRESHING: RefCell<Vec<(Secret, Rc<Flight>)>> = const { RefCell::new(Vec::new()) };
}

fn in_flight(refresh_token: &Secret) -> Option<Rc<Flight>> {
    REFRESHING.with(|r| r.borrow().iter().find(|(t, _)| t == refresh_token).map(|(_, f)| f.clone()))
}

/// The caller that performs a refresh; its waiters are released when it settles or is dropped.
struct Leading(Rc<Flight>);

impl Leading {
    fn start(refresh_token: Secret) -> Leading {
        let mut resolve = None;
        let done = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
        let flight = Rc::new(Flight { done, resolve, result: RefCell::new(None) });
        REFRESHING.with(|r| r.borrow_mut().push((refresh_token, flight.clone())));
        Leading(flight)
    }

    fn settle(&self, result: &Result<TokenSet, Error>) {
        *self.0.result.borrow_mut() = Some(result.clone());
    }
}

impl Drop for Leading {
    fn drop(&mut self) {
        REFRESHING.with(|r| r.borrow_mut().retain(|(_, f)| !Rc::ptr_eq(f, &self.0)));
        if let Some(resolve) = &self.0.resolve {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

fn access_error(code: &'static str, message: &'static str) -> Error {
    Error::new(ErrorKind::AccessToken, code, message)
}

impl ServerClient {
    /// The state store; without one every session method is a configuration error (BEHAVIOUR.md §9.1),
    /// raised before any network call.
    pub(crate) fn store(&self) -> Result<&Store, Error> {
        self.inner().store.as_ref().ok_or_else(|| {
            Error::config(
                code::MISSING_STATE_STORE,
                "sessions need a stateStore (CookieStore, KvStore, DenoKvStore, or MemoryStore for tests)",
            )
        })
    }

    /// The state store, once it has accepted `store_options` for an operation that reads, or
    /// also writes (`for_write`): checked before any request (see [`Store::check`]).
    async fn checked_store(&self, store_options: &JsValue, for_write: bool) -> Result<&Store, Error> {
        let store = self.store()?;
        store.check(store_options, for_write, self.config().timeout_ms).await?;
        Ok(store)
    }

    /// Exchanges tokens and opens a session (BEHAVIOUR.md §3). The ID token, when one comes back, is
    /// verified strictly: a failure is an `IdToken` error and no session is written.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, store_options: wasm_bindgen::JsValue)
    /// # -> Result<(), auth0_edge::Error> {
    /// use auth0_edge::{CustomTokenExchangeOptions, Secret};
    /// let session = auth0
    ///     .login_with_custom_token_exchange(
    ///         &CustomTokenExchangeOptions {
    ///             subject_token: Secret::new("a-legacy-token"),
    ///             subject_token_type: "urn:acme:legacy-token".into(),
    ///             ..Default::default()
    ///         },
    ///         &store_options, // e.g. { request, headers } for a cookie-carrying store
    ///     )
    ///     .await?;
    /// let _sub = session.user.and_then(|u| u.str_at("sub"));
    /// # Ok(()) }
    /// ```
    pub async fn login_with_custom_token_exchange(
        &self,
        options: &CustomTokenExchangeOptions,
        store_options: &JsValue,
    ) -> Result<Session, Error> {
        let store = self.store()?;
        let mut input = validate_exchange_options(options, &Faults::NONE)?;
        let config = self.config();
        store.check(store_options, true, config.timeout_ms).await?;
        let tenant = self.tenant(store_options).await?;
        with_openid(&mut input.scope);
        let (discovery, tokens) = self.exchange_tokens(&input, &tenant).await?;
        let claims = match &tokens.id_token {
            Some(t) => Some(self.verify_id_token(&discovery, t.expose()).await?),
            None => None,
        };
        // The session id is the ID token's sid; 64 random bytes only when there is none.
        let sid = claims.as_ref().and_then(|(_, c)| c.sid.as_str());
        let has_sid = sid.is_some_and(|s| !s.is_empty());
        let random = if has_sid {
            Vec::new()
        } else {
            host::random_bytes(64)
                .map_err(|e| store_error("no randomness for the session id").cause(Cause::Js(e)))?
        };
        let user = claims.as_ref().map(|(object, _)| object.without(&PROTOCOL_CLAIMS));
        let now = host::now_secs() as i64;
        let session_end = now.saturating_add(config.session_duration as i64);
        let expires_at = token_expires_at(&tokens, now, session_end, &host::from_json_text);
        let state = login_state(&tokens, user, sid, &input, &tenant.host, (now, expires_at), &random);
        let sealed = seal(config, &state).await?;
        // removeIfExists: replace any session, letting the store rotate its key (BEHAVIOUR.md §3.6).
        store.set(&config.state_identifier, sealed, true, store_options, config.timeout_ms).await?;
        Ok(state)
    }

    /// The session, or `None` when absent, unreadable, malformed or expired (an expired one is
    /// deleted, best effort). Only a failing store is an error.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, store_options: wasm_bindgen::JsValue)
    /// # -> Result<(), auth0_edge::Error> {
    /// if let Some(session) = auth0.get_session(&store_options).await? {
    ///     let _audiences: Vec<&str> = session.token_sets.iter().map(|t| t.audience.as_str()).collect();
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_session(&self, store_options: &JsValue) -> Result<Option<Session>, Error> {
        self.checked_store(store_options, false).await?;
        let tenant = self.tenant(store_options).await?;
        self.read_session(&tenant, store_options).await
    }

    /// [`ServerClient::get_session`] for a tenant already resolved.
    async fn read_session(
        &self,
        tenant: &DomainUrl,
        store_options: &JsValue,
    ) -> Result<Option<Session>, Error> {
        let config = self.config();
        let store = self.store()?;
        let Some(sealed) = store.get(&config.state_identifier, store_options, config.timeout_ms).await?
        else {
            return Ok(None);
        };
        let Some(state) = open(config, &sealed).await else { return Ok(None) };
        // Another tenant's session is none of ours, and is left for its own client; under a
        // domain resolver so is one that does not say whose it is.
        if !state.belongs_to(&tenant.host, config.domain.is_some()) {
            return Ok(None);
        }
        if state.is_expired(host::now_secs() as i64, config.session_duration) {
            // Best effort: the answer is "no session" whether or not the delete succeeds.
            let _ = store.delete(&config.state_identifier, store_options, config.timeout_ms).await;
            return Ok(None);
        }
        Ok(Some(state))
    }

    /// The session's `user`, if there is a session with one.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, store_options: wasm_bindgen::JsValue)
    /// # -> Result<(), auth0_edge::Error> {
    /// let signed_in = auth0.get_user(&store_options).await?.is_some();
    /// # Ok(()) }
    /// ```
    pub async fn get_user(&self, store_options: &JsValue) -> Result<Option<JsObject>, Error> {
        Ok(self.get_session(store_options).await?.and_then(|s| s.user))
    }

    /// The token set for `options.audience` (default `"default"`) with at least
    /// `options.scope`, from the session while its access token has more than 30 s left, else
    /// refreshed through the provider and stored (BEHAVIOUR.md §4, §8.5).
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, store_options: wasm_bindgen::JsValue)
    /// # -> Result<(), auth0_edge::Error> {
    /// use auth0_edge::GetAccessTokenOptions;
    /// let api = GetAccessTokenOptions { audience: Some("https://api.example.com".into()), scope: None };
    /// let set = auth0.get_access_token(&api, &store_options).await?;
    /// let _header = format!("Bearer {}", set.access_token.expose());
    /// # Ok(()) }
    /// ```
    pub async fn get_access_token(
        &self,
        options: &GetAccessTokenOptions,
        store_options: &JsValue,
    ) -> Result<TokenSet, Error> {
        let audience = options.audience.as_deref().filter(|a| !a.is_empty());
        let scope = options.scope.as_deref().filter(|s| !s.is_empty());
        // A refresh writes: a store that cannot write would lose a rotated refresh token.
        self.checked_store(store_options, true).await?;
        let tenant = self.tenant(store_options).await?;
        let state = self.read_session(&tenant, store_options).await?.ok_or_else(|| {
            access_error(code::MISSING_SESSION, "there is no session: the user needs to log in")
        })?;
        let audience = audience.unwrap_or(DEFAULT_AUDIENCE);
        let now = host::now_secs() as i64;
        let found = state.find_token_set(audience, scope);
        // With a DPoP key only a DPoP-bound token is handed out: a stored Bearer one (from before
        // the key, or sealed by an SDK that records no type) is refreshed (BEHAVIOUR.md §12.5).
        let usable = |t: &TokenSet| self.inner().dpop.is_none() || t.is_dpop_bound();
        if let Some(i) = found {
            if state.token_sets[i].expires_at > now + EXPIRY_MARGIN && usable(&state.token_sets[i]) {
                return Ok(state.token_sets[i].clone());
            }
        }
        let refresh_token = state.refresh_token.clone().ok_or_else(|| {
            access_error(
                code::MISSING_REFRESH_TOKEN,
                "the access token has expired, is missing or is not DPoP-bound, and the session has no refresh token",
            )
        })?;
        // One refresh per refresh token in this isolate: a refresh already under way for it is
        // awaited, not repeated (a rotated refresh token presented twice revokes the grant).
        if let Some(flight) = in_flight(&refresh_token) {
            return flight.wait().await;
        }
        let flight = Leading::start(refresh_token.clone());
        let refresh = Refresh {
            state,
            audience: audience.to_owned(),
            scope: scope.map(str::to_owned),
            found,
            refresh_token,
        };
        let result = match self.inner().refresh_coordinator.clone() {
            None => self.refresh(refresh, &tenant, store_options).await,
            Some(coordinator) => self.coordinated(&coordinator, refresh, &tenant, store_options).await,
        };
        flight.settle(&result);
        result
    }

    /// A refresh through the `refresh_coordinator`: `run(key, refresh)` with a key derived from
    /// the refresh token under the session secret (the token itself never leaves), and a function
    /// that performs the refresh and answers its token set sealed with the session secret. A
    /// coordinator answers one sealed result to every caller with the key within its window.
    async fn coordinated(
        &self,
        coordinator: &JsValue,
        refresh: Refresh,
        tenant: &DomainUrl,
        store_options: &JsValue,
    ) -> Result<TokenSet, Error> {
        let config = self.config();
        let failed = |why: &'static str, cause: Option<JsValue>| {
            let e = access_error(code::REFRESH_TOKEN_ERROR, why);
            match cause {
                Some(c) => e.cause(Cause::Js(c)),
                None => e,
            }
        };
        let keys = seal_keys(&config.secrets[0], &config.state_identifier)
            .await
            .map_err(|e| failed("no key for the refresh coordinator", Some(e)))?;
        let mut input = b"auth0-edge refresh token ".to_vec();
        input.extend_from_slice(refresh.refresh_token.expose().as_bytes());
        let mac =
            keys.hmac(&input).await.map_err(|e| failed("no key for the refresh coordinator", Some(e)))?;
        let key = crate::core::encoding::base64url(&mac[..32]);
        // The leader's own error, for its caller (the coordinator sees only that it failed).
        let leader_error: Rc<RefCell<Option<Error>>> = Rc::new(RefCell::new(None));
        // Whether the coordinator started this caller's refresh (then no fallback may repeat it).
        let started = Rc::new(core::cell::Cell::new(false));
        let fallback = self.inner().refresh_coordinator_fallback.then(|| refresh.clone());
        let run = {
            let (client, tenant, so, slot) =
                (self.clone(), tenant.clone(), store_options.clone(), leader_error.clone());
            let started = started.clone();
            wasm_bindgen::closure::Closure::once_into_js(move || -> js_sys::Promise {
                started.set(true);
                wasm_bindgen_futures::future_to_promise(async move {
                    let sealed = match client.refresh(refresh, &tenant, &so).await {
                        Ok(set) => match host::json_text(&set) {
                            Ok(json) => seal_bytes(client.config(), json.as_bytes()).await,
                            Err(e) => Err(failed("the refreshed token set could not be sealed", Some(e))),
                        },
                        Err(e) => Err(e),
                    };
                    sealed.map(|s| JsValue::from_str(&s)).map_err(|e| {
                        *slot.borrow_mut() = Some(e);
                        js_sys::Error::new("the refresh failed").into()
                    })
                })
            })
        };
        let args = js_sys::Array::of2(&JsValue::from_str(&key), &run);
        let answer = match host::value::call_method(coordinator, "run", &args) {
            Ok(p) => host::settle(&p, config.timeout_ms.saturating_mul(4)).await,
            Err(e) => Err(host::HttpFailure::Network(e)),
        };
        if let Some(e) = leader_error.borrow_mut().take() {
            return Err(e);
        }
        // The coordinator failed before this caller's refresh began: with the fallback, refresh
        // within this isolate (availability over the cross-isolate guarantee).
        if let (Err(_), false, Some(refresh)) = (&answer, started.get(), fallback) {
            return self.refresh(refresh, tenant, store_options).await;
        }
        let sealed = match answer {
            Ok(v) => host::value::short_string(&v, crate::store::MAX_SEALED_CHARS),
            Err(host::HttpFailure::Timeout) => {
                return Err(failed("the refresh coordinator did not answer in time", None))
            }
            Err(host::HttpFailure::Network(e)) => {
                return Err(failed("the refresh coordinator failed", Some(e)))
            }
        };
        let opened = match sealed {
            Some(s) => open_bytes(config, &s).await,
            None => None,
        };
        opened.and_then(|(plaintext, _)| host::from_json_text::<TokenSet>(&plaintext)).ok_or_else(|| {
            failed("the refresh coordinator answered something that is not a sealed token set", None)
        })
    }

    /// The refresh of `get_access_token`: the grant, the new ID token's checks, the merge into
    /// the session and its write; the token set for `audience`.
    async fn refresh(
        &self,
        refresh: Refresh,
        tenant: &DomainUrl,
        store_options: &JsValue,
    ) -> Result<TokenSet, Error> {
        let Refresh { mut state, audience, scope, found, refresh_token } = refresh;
        let (audience, scope) = (audience.as_str(), scope.as_deref());
        let config = self.config();
        let refresh_failed = |e: Error| {
            let status = e.http_status();
            let mut err = access_error(code::REFRESH_TOKEN_ERROR, "the access token could not be refreshed")
                .cause(Cause::Error(Box::new(e)));
            if let Some(s) = status {
                err = err.status(s);
            }
            err
        };
        // The session belongs to this tenant (read_session checked), so the refresh goes there.
        let discovery = self.discovery(tenant).await.map_err(refresh_failed)?;
        let mut form = refresh_form(&config.client_id, &refresh_token);
        if let Some(s) = scope {
            form.push(("scope".into(), s.into()));
        }
        let tokens = self.token_call(&discovery, form).await.map_err(refresh_failed)?;
        // A new ID token replaces the stored one only once verified (BEHAVIOUR.md §9.5), and only when it
        // is the same user's: the same `iss` and `sub` as the session's (BEHAVIOUR.md §10.5, OIDC Core
        // §12.2; the verification checked that its `aud` has this client).
        if let Some(id_token) = &tokens.id_token {
            let (claims, _) =
                self.verify_id_token(&discovery, id_token.expose()).await.map_err(refresh_failed)?;
            let same_user = state.user.as_ref().is_some_and(|user| {
                let sub = user.str_at("sub");
                sub.is_some() && sub == claims.str_at("sub") && user.str_at("iss") == claims.str_at("iss")
            });
            if !same_user {
                return Err(refresh_failed(Error::id_token(
                    code::INVALID_TOKEN,
                    "the refreshed ID token is not the session user's: its \"iss\" or \"sub\" differs",
                )));
            }
        }
        let session_end = state.expires_at(config.session_duration);
        let expires_at =
            token_expires_at(&tokens, host::now_secs() as i64, session_end, &host::from_json_text);
        let index = state.merge_refresh(audience, scope, found, &tokens, expires_at);
        let sealed = seal(config, &state).await?;
        self.store()?.set(&config.state_identifier, sealed, false, store_options, config.timeout_ms).await?;
        Ok(state.token_sets.swap_remove(index))
    }

    /// A session transfer token for the user (Auth0's native-to-web SSO, BEHAVIOUR.md §8.3): a token
    /// exchange whose audience is `urn:{host}:session_transfer`, the actor defaulting to the
    /// current session's ID token. Reads the session only for that default; writes none.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, store_options: wasm_bindgen::JsValue)
    /// # -> Result<(), auth0_edge::Error> {
    /// use auth0_edge::{Secret, SessionTransferOptions};
    /// let transfer = auth0
    ///     .request_session_transfer_token(
    ///         &SessionTransferOptions {
    ///             subject_token: Secret::new("the-user's-access-token"),
    ///             subject_token_type: "urn:ietf:params:oauth:token-type:access_token".into(),
    ///             ..Default::default() // the session's ID token acts
    ///         },
    ///         &store_options,
    ///     )
    ///     .await?;
    /// let _url = auth0.build_session_transfer_redirect("https://web.example.com/login", &transfer, None)?;
    /// # Ok(()) }
    /// ```
    pub async fn request_session_transfer_token(
        &self,
        options: &SessionTransferOptions,
        store_options: &JsValue,
    ) -> Result<SessionTransfer, Error> {
        let mut input = session_transfer_input(options, &Faults::NONE)?;
        if input.actor.is_none() {
            self.checked_store(store_options, false).await?;
        }
        let tenant = self.tenant(store_options).await?;
        input.audience = vec![session_transfer_audience(&tenant.host)];
        if input.actor.is_none() {
            let session = self.read_session(&tenant, store_options).await?;
            let id_token = session.and_then(|s| s.id_token).ok_or_else(|| {
                Error::exchange(
                    code::MISSING_ACTOR_TOKEN,
                    "no \"actorToken\" was given and there is no session with an ID token to act for",
                )
            })?;
            input.actor = Some((id_token, ID_TOKEN_TYPE.into()));
        }
        let (_, t) = self.exchange_tokens(&input, &tenant).await?;
        Ok(SessionTransfer {
            session_transfer_token: t.access_token,
            issued_token_type: t.issued_token_type.unwrap_or_default(),
            expires_in: t.expires_in,
            token_type: t.token_type,
            scope: t.scope,
        })
    }

    /// `target_login_url` with `session_transfer_token` (and `organization`) added to its query,
    /// the parameters it has kept (BEHAVIOUR.md §8.3). It must be an absolute `https:` URL (`http:` only
    /// for loopback hosts), else `ConfigurationError` `invalid_parameter`.
    ///
    /// # Example
    /// ```no_run
    /// # fn run(auth0: auth0_edge::ServerClient, transfer: auth0_edge::SessionTransfer)
    /// # -> Result<(), auth0_edge::Error> {
    /// let url = auth0.build_session_transfer_redirect("https://web.example.com/login?lang=en", &transfer, Some("org_acme"))?;
    /// assert!(url.contains("&session_transfer_token="));
    /// # Ok(()) }
    /// ```
    pub fn build_session_transfer_redirect(
        &self,
        target_login_url: &str,
        transfer: &SessionTransfer,
        organization: Option<&str>,
    ) -> Result<String, Error> {
        session_transfer_redirect(
            target_login_url,
            transfer.session_transfer_token.expose(),
            organization,
            &self.config().allowed_redirect_origins,
        )
    }

    /// Deletes the session and returns the tenant's logout URL (BEHAVIOUR.md §8.5): discovery's
    /// `end_session_endpoint` when the tenant advertises one, else `/v2/logout` (also when
    /// discovery cannot be read: the session is gone either way).
    ///
    /// # Example
    /// ```no_run
    /// # async fn run(auth0: auth0_edge::ServerClient, store_options: wasm_bindgen::JsValue)
    /// # -> Result<(), auth0_edge::Error> {
    /// use auth0_edge::LogoutOptions;
    /// let bye = LogoutOptions { return_to: Some("https://app.example.com/".into()), federated: false };
    /// let _redirect_to = auth0.logout(&bye, &store_options).await?;
    /// # Ok(()) }
    /// ```
    pub async fn logout(&self, options: &LogoutOptions, store_options: &JsValue) -> Result<String, Error> {
        let config = self.config();
        let store = self.checked_store(store_options, true).await?;
        store.delete(&config.state_identifier, store_options, config.timeout_ms).await?;
        let tenant = self.tenant(store_options).await?;
        let discovery = self.discovery(&tenant).await.ok();
        let end_session = discovery.as_ref().and_then(|d| d.end_session_endpoint.as_deref());
        Ok(logout_url(&tenant.url, end_session, &config.client_id, options))
    }
}

/// [`ServerClient::build_session_transfer_redirect`] for a token already in hand (the JavaScript
/// binding's path, which has the result object, not a [`SessionTransfer`]): BEHAVIOUR.md §8.3, §10.3.
pub(crate) fn session_transfer_redirect(
    target_login_url: &str,
    token: &str,
    organization: Option<&str>,
    allowed_origins: &[DomainUrl],
) -> Result<String, Error> {
    let bad = |message: &'static str| Error::config(code::INVALID_PARAMETER, message);
    let scheme = "\"targetLoginUrl\" must be an absolute https: URL (http: only for loopback hosts)";
    let url = web_sys::Url::new(target_login_url).map_err(|_| bad(scheme))?;
    let host = url.hostname().to_ascii_lowercase();
    match url.protocol().as_str() {
        "https:" => {}
        "http:" if is_loopback(&host) => {}
        _ => return Err(bad(scheme)),
    }
    if !url.username().is_empty() || !url.password().is_empty() {
        return Err(bad("\"targetLoginUrl\" must not carry user info"));
    }
    if !allowed_origins.is_empty() {
        let origin = parse_domain(&url.origin()).ok();
        if !origin.is_some_and(|o| allowed_origins.iter().any(|a| a.same_tenant(&o))) {
            return Err(bad("\"targetLoginUrl\" is not on an origin of \"allowedRedirectOrigins\""));
        }
    }
    // The URL's own searchParams, set (not appended): a planted token or organization in the
    // query is replaced, never read first by the target; the fragment is dropped.
    url.set_hash("");
    let query = url.search_params();
    query.set("session_transfer_token", token);
    if let Some(o) = organization.filter(|o| !o.is_empty()) {
        query.set("organization", o);
    }
    Ok(url.href())
}
