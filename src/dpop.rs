//! DPoP (RFC 9449) on the wire: proofs signed with the client's key through WebCrypto, the
//! servers' nonces kept per origin (BEHAVIOUR.md §12). The proof's parts are built by
//! [`crate::core::dpop`]; this module signs them.

use crate::core::dpop::{self as rules, ProofClaims, ProofHeader};
use crate::core::encoding::base64url;
use crate::core::jwt::PublicJwk;
use crate::core::options::{DpopKeyPair, SigningAlg};
use crate::core::request::signing_input;
use crate::error::{code, Cause, Error};
use crate::host::{self, value};
#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

crate::local::local! {
    /// The latest `DPoP-Nonce` of each server origin (RFC 9449 §8.2), at most 32 origins: shared by
    /// the isolate's clients that use the runtime's `fetch`.
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

    /// Keeps `nonce` as the latest of `url`'s origin; one that is not a nonce is ignored.
    pub(crate) fn remember_nonce(&self, url: &str, nonce: &str) {
        if !rules::valid_nonce(nonce) {
            return;
        }
        let origin = rules::origin(url);
        self.nonces.with(|n| match n.iter_mut().find(|(o, _)| o == origin) {
            Some(entry) => entry.1 = nonce.to_owned(),
            None => crate::local::push_bounded(n, 32, (origin.to_owned(), nonce.to_owned())),
        });
    }

    fn nonce_for(&self, url: &str) -> Option<String> {
        let origin = rules::origin(url);
        self.nonces.with(|n| n.iter().find(|(o, _)| o == origin).map(|(_, v)| v.clone()))
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

    /// A fresh proof for `method` on `url` (with the origin's latest nonce, and `ath` when it goes
    /// with `access_token`).
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
        let nonce = self.nonce_for(url);
        let claims = ProofClaims {
            jti: &jti,
            htm: method,
            htu: rules::htu(url),
            iat: host::now_secs(),
            nonce: nonce.as_deref(),
            ath: ath.as_deref(),
        };
        let header = ProofHeader::new(public.alg, &public.jwk);
        let mut jws = signing_input(
            &host::json_text(&header).map_err(failed)?,
            &host::json_text(&claims).map_err(failed)?,
        );
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
    Ok(Public { alg, jwk: public })
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

/// A new DPoP key pair for [`crate::ClientOptions::dpop_key_pair`]: ECDSA P-256 (ES256), the
/// private key non-extractable (it can sign proofs, never leave the isolate).
pub async fn generate_key_pair() -> Result<DpopKeyPair, Error> {
    let (private_key, public_key) = host::generate_es256()
        .await
        .map_err(|e| key_error("WebCrypto could not generate an ECDSA P-256 key pair").cause(Cause::Js(e)))?;
    Ok(DpopKeyPair { private_key, public_key })
}
