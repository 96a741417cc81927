//! DPoP (RFC 9449) on the wire: proofs signed with the client's key through WebCrypto, the
//! servers' latest nonces kept (BEHAVIOUR.md §12). The proof's parts are built by
//! [`crate::core::dpop`]; this module signs them.

use crate::client::ServerClient;
use crate::core::dpop::{self as rules, ProofClaims, ProofHeader};
use crate::core::encoding::base64url;
use crate::core::jwt::PublicJwk;
use crate::core::options::{DpopKeyPair, SigningAlg};
use crate::error::{code, Cause, Error, ErrorKind, Secret};
use crate::host::{self, value, HttpFailure};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::session::GetAccessTokenOptions;
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

crate::local::local! {
    /// The latest `DPoP-Nonce` under each [`nonce_key`] (RFC 9449 §8.2), at most 32: shared by the
    /// isolate's clients that use the runtime's `fetch`.
    static NONCES: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Where a client keeps the servers' nonces: the isolate's, or its own when it has a custom
/// `fetch` (what a caller's transport answers must not change another client's calls).
enum Nonces {
    Isolate,
    Own(RefCell<Vec<(String, String)>>),
}

impl Nonces {
    fn with<T>(&self, f: impl FnOnce(&mut Vec<(String, String)>) -> T) -> T {
        match self {
            Nonces::Isolate => NONCES.with(|n| f(&mut n.borrow_mut())),
            Nonces::Own(n) => f(&mut n.borrow_mut()),
        }
    }
}

/// What a nonce is kept under: a token endpoint's URL (its `htu`), an API's origin. An API on the
/// authorization server's origin then keeps its own nonce, not the token endpoint's.
fn nonce_key(url: &str, to_api: bool) -> &str {
    if to_api {
        rules::origin(url)
    } else {
        rules::htu(url)
    }
}

/// A key pair checked for DPoP, its public half exported once.
pub(crate) struct DpopKey {
    pair: DpopKeyPair,
    public: RefCell<Option<Rc<Public>>>,
    nonces: Nonces,
}

/// The public half as the proofs carry it.
struct Public {
    alg: SigningAlg,
    jwk: PublicJwk,
    /// The proofs' JOSE header as JSON, base64url-encoded: the same for every proof of the key.
    header: String,
}

fn key_error(what: &'static str) -> Error {
    Error::config(code::CONFIGURATION_ERROR, what)
}

/// A CryptoKey's string property (`type`, or one of its `algorithm`'s).
fn prop(v: &JsValue, name: &str) -> Option<String> {
    value::get(v, name).and_then(|s| value::short_string(&s, 64))
}

impl DpopKey {
    /// Checks what can be checked without awaiting: both are CryptoKeys of the right types, the
    /// private one may sign, and the algorithm is ECDSA P-256 or RSASSA-PKCS1-v1_5 / RSA-PSS.
    /// `own_nonces`: the client has a custom `fetch`, so it keeps the nonces it is sent.
    pub(crate) fn new(pair: DpopKeyPair, own_nonces: bool) -> Result<DpopKey, Error> {
        let invalid = || {
            Error::config(
                code::INVALID_OPTION,
                "\"dpopKeyPair\" must be a CryptoKeyPair: ECDSA P-256 (ES256) or RSA (RS256, PS256) keys, the private key with usage \"sign\"",
            )
        };
        let (private, public): (&JsValue, &JsValue) = (pair.private_key.as_ref(), pair.public_key.as_ref());
        if prop(private, "type").as_deref() != Some("private")
            || prop(public, "type").as_deref() != Some("public")
        {
            return Err(invalid());
        }
        let algorithm = value::get(private, "algorithm").unwrap_or_default();
        let supported = match prop(&algorithm, "name").as_deref() {
            Some("ECDSA") => prop(&algorithm, "namedCurve").as_deref() == Some("P-256"),
            Some("RSASSA-PKCS1-v1_5" | "RSA-PSS") => {
                value::get(&algorithm, "hash").and_then(|h| prop(&h, "name")).as_deref() == Some("SHA-256")
            }
            _ => false,
        };
        let can_sign = value::get(private, "usages")
            .and_then(|u| u.dyn_into::<js_sys::Array>().ok())
            .is_some_and(|u| u.iter().take(8).any(|x| x == "sign"));
        if !supported || !can_sign {
            return Err(invalid());
        }
        let nonces = if own_nonces { Nonces::Own(RefCell::new(Vec::new())) } else { Nonces::Isolate };
        Ok(DpopKey { pair, public: RefCell::new(None), nonces })
    }

    /// Keeps `nonce` as the latest for requests like this one (see [`nonce_key`]); one that is not
    /// a nonce is ignored.
    pub(crate) fn remember_nonce(&self, url: &str, to_api: bool, nonce: &str) {
        if !rules::valid_nonce(nonce) {
            return;
        }
        let key = nonce_key(url, to_api);
        self.nonces.with(|n| match n.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = nonce.to_owned(),
            None => crate::local::push_bounded(n, 32, (key.to_owned(), nonce.to_owned())),
        });
    }

    fn nonce_for(&self, url: &str, to_api: bool) -> Option<String> {
        let key = nonce_key(url, to_api);
        self.nonces.with(|n| n.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    /// The public JWK and its algorithm, exported on first use.
    async fn public(&self) -> Result<Rc<Public>, Error> {
        if let Some(p) = self.public.borrow().clone() {
            return Ok(p);
        }
        let p = Rc::new(export_public(&self.pair.public_key).await?);
        *self.public.borrow_mut() = Some(p.clone());
        Ok(p)
    }

    /// A fresh proof for `method` on `url` (with the latest nonce kept for it, and `ath` when it
    /// goes with `access_token`).
    pub(crate) async fn proof(
        &self,
        method: &str,
        url: &str,
        access_token: Option<&str>,
    ) -> Result<String, Error> {
        let public = self.public().await?;
        let failed =
            |e: JsValue| key_error("\"dpopKeyPair\" could not sign a DPoP proof").cause(Cause::Js(e));
        let jti = base64url(&host::random_bytes(16).map_err(failed)?);
        let ath = match access_token {
            Some(t) => Some(base64url(&host::sha256(t.as_bytes()).await.map_err(failed)?)),
            None => None,
        };
        let nonce = self.nonce_for(url, access_token.is_some());
        let claims = ProofClaims {
            jti: &jti,
            htm: method,
            htu: rules::htu(url),
            iat: host::now_secs(),
            nonce: nonce.as_deref(),
            ath: ath.as_deref(),
        };
        let mut jws = public.header.clone();
        jws.push('.');
        jws.push_str(&base64url(host::json_text(&claims).map_err(failed)?.as_bytes()));
        let signature =
            host::sign(public.alg, self.pair.private_key.as_ref(), jws.as_bytes()).await.map_err(failed)?;
        jws.push('.');
        jws.push_str(&base64url(&signature));
        Ok(jws)
    }
}

/// A public key as a proof carries it: its JWK and the algorithm it verifies.
async fn export_public(key: &web_sys::CryptoKey) -> Result<Public, Error> {
    let unusable = || key_error("the public key of \"dpopKeyPair\" could not be exported as a JWK");
    let jwk = host::export_jwk(key).await.map_err(|e| unusable().cause(Cause::Js(e)))?;
    let s = |name: &str| value::get(&jwk, name).and_then(|v| value::short_string(&v, 4096));
    let public = PublicJwk {
        kty: s("kty").unwrap_or_default(),
        n: s("n"),
        e: s("e"),
        crv: s("crv"),
        x: s("x"),
        y: s("y"),
    };
    let alg = rules::key_alg(&public, s("alg").as_deref()).ok_or_else(unusable)?;
    let header =
        host::json_text(&ProofHeader::new(alg, &public)).map_err(|e| unusable().cause(Cause::Js(e)))?;
    Ok(Public { alg, header: base64url(header.as_bytes()), jwk: public })
}

/// The JWK thumbprint (RFC 7638: SHA-256, base64url) of a DPoP public key: the `cnf.jkt` of the
/// tokens bound to it.
pub async fn thumbprint(public_key: &web_sys::CryptoKey) -> Result<String, Error> {
    let public = export_public(public_key).await?;
    let input = rules::thumbprint_input(&public.jwk)
        .ok_or_else(|| key_error("the public key of \"dpopKeyPair\" has no JWK thumbprint"))?;
    let digest =
        host::sha256(input.as_bytes()).await.map_err(|e| key_error("SHA-256 failed").cause(Cause::Js(e)))?;
    Ok(base64url(&digest))
}

/// A DPoP key pair from the private JWK of an ECDSA P-256 key (`{"kty":"EC","crv":"P-256","x",
/// "y","d"}`, e.g. a Worker secret): the private key imported non-extractable. Anything else is
/// `ConfigurationError` `invalid_option` (the message names no part of the key).
pub async fn import_key_pair_jwk(jwk_json: &str) -> Result<DpopKeyPair, Error> {
    let invalid =
        || Error::config(code::INVALID_OPTION, "the DPoP key is not the private JWK of an ECDSA P-256 key");
    let parsed = host::parse_object(jwk_json.as_bytes()).ok_or_else(invalid)?;
    let member = |name: &str| value::get(&parsed.0, name).and_then(|v| value::short_string(&v, 256));
    let (private, public) = (js_sys::Object::new(), js_sys::Object::new());
    for name in ["kty", "crv", "x", "y", "d"] {
        let v = member(name).ok_or_else(invalid)?;
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&private, &name.into(), &v.as_str().into());
        if name != "d" {
            let _ = js_sys::Reflect::set(&public, &name.into(), &v.as_str().into());
        }
    }
    let private_key = host::import_es256_jwk(&private, true).await.map_err(|_| invalid())?;
    let public_key = host::import_es256_jwk(&public, false).await.map_err(|_| invalid())?;
    Ok(DpopKeyPair { private_key, public_key })
}

/// A new DPoP key pair for [`crate::ClientOptions::dpop_key_pair`]: ECDSA P-256 (ES256), the
/// private key non-extractable (it can sign proofs, never leave the isolate).
pub async fn generate_key_pair() -> Result<DpopKeyPair, Error> {
    let (private_key, public_key) = host::generate_es256()
        .await
        .map_err(|e| key_error("WebCrypto could not generate an ECDSA P-256 key pair").cause(Cause::Js(e)))?;
    Ok(DpopKeyPair { private_key, public_key })
}

/// The headers of one request to an API with a DPoP-bound access token.
#[derive(Clone, Debug)]
pub struct DpopHeaders {
    /// `DPoP <access token>` (it carries the token: `Debug` shows nothing of it).
    pub authorization: Secret,
    /// The proof: a fresh `jti`, `htm`, `htu`, `iat`, `ath` and the API origin's latest nonce.
    pub dpop: String,
}

fn missing_key() -> Error {
    Error::config(
        code::MISSING_DPOP_KEY_PAIR,
        "a DPoP-bound token needs the client's \"dpopKeyPair\" to prove possession",
    )
}

/// Longest header of an API's answer read (`WWW-Authenticate`, `DPoP-Nonce`).
const MAX_API_HEADER_CHARS: usize = 4096;

impl ServerClient {
    /// The headers of a request with a DPoP-bound `access_token` to `method` `url` (BEHAVIOUR.md
    /// §12.6): `Authorization: DPoP <token>` and a fresh proof with `ath` and the API origin's
    /// latest nonce. Without a `dpop_key_pair`, `ConfigurationError` `missing_dpop_key_pair`.
    pub async fn get_dpop_headers(
        &self,
        url: &str,
        method: &str,
        access_token: &Secret,
    ) -> Result<DpopHeaders, Error> {
        let key = self.inner().dpop.as_ref().ok_or_else(missing_key)?;
        let dpop = key.proof(method, url, Some(access_token.expose())).await?;
        let mut authorization = String::from("DPoP ");
        authorization.push_str(access_token.expose());
        Ok(DpopHeaders { authorization: Secret::new(authorization), dpop })
    }

    /// Calls an API with the session's access token for `options` (BEHAVIOUR.md §12.6): the token
    /// `get_access_token` gives (refreshed when due), sent as `Authorization: DPoP` with a fresh
    /// proof when it is bound to the key, as `Bearer` otherwise. An API's nonce challenge (`401`,
    /// `WWW-Authenticate: DPoP error="use_dpop_nonce"`, a `DPoP-Nonce`) is met by one retry. The
    /// API's response comes back as it came, its body unread, whatever its status; a request
    /// that cannot be sent (or answered within the timeout) is `AccessTokenError`
    /// `api_request_failed`.
    pub async fn fetch_with_auth(
        &self,
        request: &web_sys::Request,
        options: &GetAccessTokenOptions,
        store_options: &JsValue,
    ) -> Result<web_sys::Response, Error> {
        let set = self.get_access_token(options, store_options).await?;
        let key = match set.is_dpop_bound() {
            true => Some(self.inner().dpop.as_ref().ok_or_else(missing_key)?),
            false => None,
        };
        let timeout = self.config().timeout_ms;
        let failed = |what: &'static str, cause: Option<JsValue>| {
            let e = Error::new(ErrorKind::AccessToken, code::API_REQUEST_FAILED, what);
            match cause {
                Some(c) => e.cause(Cause::Js(c)),
                None => e,
            }
        };
        let (url, method) = (request.url(), request.method());
        // A retry needs the request again: a copy is kept (its body teed) while one may come.
        let mut spare = match key {
            Some(_) => Some(
                web_sys::Request::clone(request)
                    .map_err(|e| failed("the request could not be copied for a retry", Some(e)))?,
            ),
            None => None,
        };
        let mut source: web_sys::Request = Clone::clone(request);
        loop {
            let headers = web_sys::Headers::new_with_headers(&source.headers())
                .map_err(|e| failed("the request's headers could not be read", Some(e)))?;
            let set_header = |name: &str, value: &str| {
                headers
                    .set(name, value)
                    .map_err(|e| failed("the Authorization header could not be set", Some(e)))
            };
            match key {
                Some(_) => {
                    let h = self.get_dpop_headers(&url, &method, &set.access_token).await?;
                    set_header("Authorization", h.authorization.expose())?;
                    set_header("DPoP", &h.dpop)?;
                }
                None => {
                    let mut bearer = String::from("Bearer ");
                    bearer.push_str(set.access_token.expose());
                    set_header("Authorization", &bearer)?;
                }
            }
            let init = web_sys::RequestInit::new();
            init.set_headers(&headers);
            let req = web_sys::Request::new_with_request_and_init(&source, &init)
                .map_err(|e| failed("the request could not be built", Some(e)))?;
            let sent = host::dispatch(self.inner().fetch.as_ref(), &req, None)
                .map_err(|e| failed("the API request failed", Some(e)))?;
            let response = host::settle(&sent, timeout).await.map_err(|f| match f {
                HttpFailure::Timeout => {
                    failed("the API did not answer in time", Some(host::timeout_cause(timeout)))
                }
                HttpFailure::Network(e) => failed("the API request failed", Some(e)),
            })?;
            // What came back is read as a caller's value: a custom `fetch` may answer anything.
            if !response.is_instance_of::<web_sys::Response>() {
                return Err(failed("fetch did not return a Response", None));
            }
            let answer_headers = host::response_headers(&response);
            let header =
                |name: &str| host::response_header(answer_headers.as_ref(), name, MAX_API_HEADER_CHARS);
            let nonce = header("dpop-nonce");
            if let (Some(k), Some(n)) = (key, &nonce) {
                k.remember_nonce(&url, true, n);
            }
            let status = value::get(&response, "status").and_then(|s| s.as_f64());
            let challenged = status == Some(401.0)
                && nonce.is_some()
                && header("www-authenticate").is_some_and(|w| rules::is_api_nonce_challenge(&w));
            match (challenged, spare.take()) {
                (true, Some(next)) => {
                    if let Some(body) = value::get(&response, "body").filter(|b| !value::is_nullish(b)) {
                        let _ = value::call_method(&body, "cancel", &js_sys::Array::new());
                    }
                    source = next;
                }
                _ => return Ok(response.unchecked_into()),
            }
        }
    }
}
