//! WebCrypto through web-sys: ID token and JWKS signature checks, `private_key_jwt` signing, and
//! the sealing keys of sessions (HKDF, AES-CBC, HMAC).

use super::sys;
use crate::core::jwt::PublicJwk;
use crate::core::options::SigningAlg;
#[allow(unused_imports)]
use crate::prelude::*;
use core::cell::RefCell;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AesCbcParams, CryptoKey, EcKeyImportParams, EcdsaParams, HkdfParams, HmacImportParams,
    RsaHashedImportParams, RsaPssParams, SubtleCrypto,
};

pub(super) fn crypto() -> Result<web_sys::Crypto, JsValue> {
    let c = sys::CRYPTO.with(JsValue::clone);
    if c.is_object() {
        Ok(c.unchecked_into())
    } else {
        Err(JsValue::from_str("WebCrypto (globalThis.crypto) is not available in this runtime"))
    }
}

fn subtle() -> Result<SubtleCrypto, JsValue> {
    std::thread_local! {
        static SUBTLE: core::cell::OnceCell<SubtleCrypto> = const { core::cell::OnceCell::new() };
    }
    if let Some(s) = SUBTLE.with(|s| s.get().cloned()) {
        return Ok(s);
    }
    let s = crypto()?.subtle();
    SUBTLE.with(|c| c.set(s.clone()).ok());
    Ok(s)
}

async fn await_promise(p: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p?).await
}

fn bytes_of(v: &JsValue) -> Vec<u8> {
    Uint8Array::new(v).to_vec()
}

fn usages(usage: &str) -> JsValue {
    Array::of1(&JsValue::from_str(usage)).into()
}

/// The `importKey` parameters of a JWS algorithm.
fn import_params(alg: SigningAlg) -> Object {
    match alg {
        SigningAlg::RS256 | SigningAlg::PS256 => {
            let p = RsaHashedImportParams::new_with_str("SHA-256");
            let name = if alg == SigningAlg::RS256 { "RSASSA-PKCS1-v1_5" } else { "RSA-PSS" };
            let _ = Reflect::set(&p, &"name".into(), &name.into());
            p.into()
        }
        SigningAlg::ES256 => {
            let p = EcKeyImportParams::new("ECDSA");
            p.set_named_curve("P-256");
            p.into()
        }
    }
}

/// The `sign`/`verify` parameters of a JWS algorithm (ES256 signatures are raw r||s, as JWS's).
fn sign_params(alg: SigningAlg) -> Object {
    // Made once per algorithm: WebCrypto only reads them.
    std::thread_local! {
        static PARAMS: [Object; 3] = [new_sign_params(SigningAlg::RS256), new_sign_params(SigningAlg::PS256), new_sign_params(SigningAlg::ES256)];
    }
    let at = match alg {
        SigningAlg::RS256 => 0,
        SigningAlg::PS256 => 1,
        SigningAlg::ES256 => 2,
    };
    PARAMS.with(|p| p[at].clone())
}

fn new_sign_params(alg: SigningAlg) -> Object {
    match alg {
        SigningAlg::RS256 => web_sys::Algorithm::new("RSASSA-PKCS1-v1_5").into(),
        SigningAlg::PS256 => RsaPssParams::new("RSA-PSS", 32).into(),
        SigningAlg::ES256 => EcdsaParams::new_with_str("ECDSA", "SHA-256").into(),
    }
}

crate::local::local! {
    /// Imported JWKS keys by algorithm and JWK: imported once per isolate, at most 32 kept
    /// (the oldest dropped first).
    static VERIFY_KEYS: RefCell<Vec<(SigningAlg, PublicJwk, CryptoKey)>> = const { RefCell::new(Vec::new()) };
}

async fn verify_key(alg: SigningAlg, jwk: &PublicJwk) -> Result<CryptoKey, JsValue> {
    let cached = VERIFY_KEYS
        .with(|c| c.borrow().iter().find(|(a, j, _)| *a == alg && j == jwk).map(|(_, _, k)| k.clone()));
    if let Some(k) = cached {
        return Ok(k);
    }
    let data: Object = serde_wasm_bindgen::to_value(jwk)?.unchecked_into();
    let key: CryptoKey = await_promise(subtle()?.import_key_with_object(
        "jwk",
        &data,
        &import_params(alg),
        false,
        &usages("verify"),
    ))
    .await?
    .unchecked_into();
    VERIFY_KEYS
        .with(|c| crate::local::push_bounded(&mut c.borrow_mut(), 32, (alg, jwk.clone(), key.clone())));
    Ok(key)
}

/// Verifies a JWS signature with a public JWK.
pub async fn verify(
    alg: SigningAlg,
    jwk: &PublicJwk,
    signature: &[u8],
    data: &[u8],
) -> Result<bool, JsValue> {
    let key = verify_key(alg, jwk).await?;
    let ok = await_promise(subtle()?.verify_with_object_and_u8_array_and_u8_array(
        &sign_params(alg),
        &key,
        signature,
        data,
    ))
    .await?;
    Ok(ok.is_truthy())
}

/// Imports a PKCS#8 private key (DER) for signing with `alg`, non-extractable.
pub async fn import_signing_key(alg: SigningAlg, der: &[u8]) -> Result<JsValue, JsValue> {
    let der = Uint8Array::from(der);
    await_promise(subtle()?.import_key_with_object(
        "pkcs8",
        &der,
        &import_params(alg),
        false,
        &usages("sign"),
    ))
    .await
}

/// Signs `data`, returning the raw JWS signature bytes.
pub async fn sign(alg: SigningAlg, key: &JsValue, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let key: &CryptoKey = key.unchecked_ref();
    Ok(bytes_of(&await_promise(subtle()?.sign_with_object_and_u8_array(&sign_params(alg), key, data)).await?))
}

/// A non-extractable HMAC-SHA-512 key and a non-extractable AES-256-CBC key.
pub struct SealKeys {
    mac: CryptoKey,
    enc: CryptoKey,
}

/// The A256CBC-HS512 keys of a session secret: HKDF-SHA-256 of `secret` (salt, info) to `len`
/// bytes, then (RFC 7518 §5.2.2.1) the first half as the HMAC-SHA-512 key and the second half as
/// the AES-256-CBC key.
pub async fn seal_keys(secret: &[u8], salt: &[u8], info: &[u8], len: u32) -> Result<SealKeys, JsValue> {
    let s = subtle()?;
    let ikm: CryptoKey = await_promise(s.import_key_with_str(
        "raw",
        &Uint8Array::from(secret),
        "HKDF",
        false,
        &usages("deriveBits"),
    ))
    .await?
    .unchecked_into();
    let params =
        HkdfParams::new_with_str("HKDF", "SHA-256", &Uint8Array::from(info), &Uint8Array::from(salt));
    let okm = bytes_of(&await_promise(s.derive_bits_with_object(&params, &ikm, len * 8)).await?);
    let (mac_key, enc_key) = okm.split_at(okm.len() / 2);
    let mac = await_promise(s.import_key_with_object(
        "raw",
        &Uint8Array::from(mac_key),
        &HmacImportParams::new_with_str("HMAC", "SHA-512"),
        false,
        &usages("sign"),
    ))
    .await?
    .unchecked_into();
    let both: JsValue = Array::of2(&"encrypt".into(), &"decrypt".into()).into();
    let enc =
        await_promise(s.import_key_with_str("raw", &Uint8Array::from(enc_key), "AES-CBC", false, &both))
            .await?
            .unchecked_into();
    Ok(SealKeys { mac, enc })
}

impl SealKeys {
    pub async fn hmac(&self, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        Ok(bytes_of(&await_promise(subtle()?.sign_with_str_and_u8_array("HMAC", &self.mac, data)).await?))
    }

    /// AES-256-CBC with PKCS#7 padding.
    pub async fn encrypt(&self, iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = AesCbcParams::new("AES-CBC", &Uint8Array::from(iv));
        Ok(bytes_of(
            &await_promise(subtle()?.encrypt_with_object_and_u8_array(&params, &self.enc, plaintext)).await?,
        ))
    }

    pub async fn decrypt(&self, iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, JsValue> {
        let params = AesCbcParams::new("AES-CBC", &Uint8Array::from(iv));
        Ok(bytes_of(
            &await_promise(subtle()?.decrypt_with_object_and_u8_array(&params, &self.enc, ciphertext))
                .await?,
        ))
    }
}

/// SHA-256 of `data`.
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, JsValue> {
    Ok(bytes_of(&await_promise(subtle()?.digest_with_str_and_u8_array("SHA-256", data)).await?))
}

/// A public key exported as a JWK (a plain object).
pub async fn export_jwk(key: &CryptoKey) -> Result<JsValue, JsValue> {
    await_promise(subtle()?.export_key("jwk", key)).await
}

/// A new ECDSA P-256 key pair (`privateKey`, `publicKey`), the private key non-extractable.
pub async fn generate_es256() -> Result<(CryptoKey, CryptoKey), JsValue> {
    let params = EcKeyImportParams::new("ECDSA");
    params.set_named_curve("P-256");
    let usages: JsValue = Array::of2(&"sign".into(), &"verify".into()).into();
    let pair = await_promise(subtle()?.generate_key_with_object(&params, false, &usages)).await?;
    let key = |name: &str| -> Result<CryptoKey, JsValue> { Reflect::get(&pair, &name.into())?.dyn_into() };
    Ok((key("privateKey")?, key("publicKey")?))
}

/// An ECDSA P-256 key from a JWK object: the private key non-extractable (usage `sign`), the
/// public one exportable (usage `verify`).
pub async fn import_es256_jwk(jwk: &Object, private: bool) -> Result<CryptoKey, JsValue> {
    let usage = if private { "sign" } else { "verify" };
    let key = await_promise(subtle()?.import_key_with_object(
        "jwk",
        jwk,
        &import_params(SigningAlg::ES256),
        !private,
        &usages(usage),
    ))
    .await?;
    key.dyn_into()
}
