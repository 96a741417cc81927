//! JSON through the host: texts parsed by `JSON.parse` and read with serde-wasm-bindgen, values
//! written with `JSON.stringify`; objects the core does not look into stay JavaScript objects.

use super::{is_plain_object, sys};
use crate::core::api::{ApiClaims, Confirmation};
use crate::core::jwt::{Audience, Header};
use crate::core::response::{Body, Member};
#[allow(unused_imports)]
use crate::prelude::*;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A body the host parsed as JSON ([`super::http::send`]), read into `T` with serde-wasm-bindgen:
/// what the core reads, and, for an object, the parsed value itself (else `undefined`).
pub fn json_body<T: serde::de::DeserializeOwned>(body: &Option<JsValue>) -> (Body<T>, JsValue) {
    let Some(v) = body else { return (Body::TooLarge, JsValue::UNDEFINED) };
    if !is_plain_object(v) {
        return (Body::NotJson, JsValue::UNDEFINED);
    }
    match serde_wasm_bindgen::from_value(v.clone()) {
        Ok(t) => (Body::Json(t), v.clone()),
        Err(_) => (Body::NotJson, JsValue::UNDEFINED),
    }
}

/// A JSON object the core does not look into (ID token claims, the session's `user`, `act`):
/// kept as the JavaScript object the host's `JSON.parse` made. It crosses serde as itself
/// (serde-wasm-bindgen's `preserve`); reading one accepts objects only.
#[derive(Clone, Debug, PartialEq)]
pub struct JsObject(pub JsValue);

impl JsObject {
    /// `self[key]`, when it is set.
    pub fn get(&self, key: &str) -> Option<JsValue> {
        Reflect::get(&self.0, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined())
    }

    /// `self[key]` when it is a string.
    pub fn str_at(&self, key: &str) -> Option<String> {
        self.get(key).and_then(|v| v.as_string())
    }

    /// `self[key]` when it is an object (not an array).
    pub fn object_at(&self, key: &str) -> Option<JsObject> {
        self.get(key).filter(is_plain_object).map(JsObject)
    }

    /// A shallow copy without `keys`: every other own property copied as an own data property
    /// (BEHAVIOUR.md §10.6: a claim named `__proto__` stays a claim, never the copy's prototype).
    pub fn without(&self, keys: &[&str]) -> JsObject {
        let copy = sys::object_entries(&self.0)
            .and_then(|entries| sys::object_from_entries(&entries))
            .unwrap_or_else(|_| Object::new().into());
        for k in keys {
            let _ = Reflect::delete_property(copy.unchecked_ref::<Object>(), &JsValue::from_str(k));
        }
        JsObject(copy)
    }
}

impl serde::Serialize for JsObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, s)
    }
}

impl<'de> serde::Deserialize<'de> for JsObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v: JsValue = serde_wasm_bindgen::preserve::deserialize(d)?;
        if is_plain_object(&v) {
            Ok(JsObject(v))
        } else {
            Err(serde::de::Error::custom("not an object"))
        }
    }
}

/// A JSON text (UTF-8 bytes) as the host's `JSON.parse` reads it, when it is an object.
pub fn parse_object(bytes: &[u8]) -> Option<JsObject> {
    let v = js_sys::JSON::parse(core::str::from_utf8(bytes).ok()?).ok()?;
    is_plain_object(&v).then_some(JsObject(v))
}

/// A JSON text read by `JSON.parse`, then, when it is an object, into `T` with serde-wasm-bindgen
/// (a JOSE header, a sealed session's plaintext).
pub fn from_json_text<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_wasm_bindgen::from_value(parse_object(bytes)?.0).ok()
}

/// `value` as JSON text: serde-wasm-bindgen (absent members as `null`), then `JSON.stringify`.
pub fn json_text<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    let v = value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true))?;
    js_sys::JSON::stringify(&v)?.as_string().ok_or_else(|| JsValue::from_str("JSON.stringify gave no text"))
}

/// `o[key]` of an object the host's `JSON.parse` made (no getters, no traps).
fn at(o: &JsValue, key: &'static wasm_bindgen::JsThreadLocal<js_sys::JsString>) -> JsValue {
    key.with(|k| sys::json_get(o, k))
}

/// A parsed JSON value as the core reads a member: a string, a number, or something else.
fn member(v: &JsValue) -> Member {
    if let Some(s) = v.as_string() {
        Member::Str(s)
    } else if v.is_undefined() {
        Member::Absent
    } else {
        v.as_f64().map_or(Member::Other, Member::Num)
    }
}

/// `aud` or `permissions`: a string, an array, or something else.
fn audience(v: &JsValue) -> Audience {
    if let Some(s) = v.as_string() {
        Audience::One(s)
    } else if v.is_undefined() {
        Audience::Absent
    } else if sys::is_array(v) == Ok(true) {
        Audience::Many(v.unchecked_ref::<js_sys::Array>().iter().map(|m| member(&m)).collect())
    } else {
        Audience::Other
    }
}

/// A JOSE header's JSON text read into a [`Header`] (`JSON.parse`, then its four members).
pub fn jose_header(bytes: &[u8]) -> Option<Header> {
    let o = parse_object(bytes)?.0;
    Some(Header {
        alg: member(&at(&o, &sys::ALG)),
        kid: member(&at(&o, &sys::KID)),
        crit: member(&at(&o, &sys::CRIT)),
        typ: member(&at(&o, &sys::TYP)),
    })
}

/// The members of an access token's claims that the API side checks.
pub fn api_claims(o: &JsObject) -> ApiClaims {
    let o = &o.0;
    let cnf = at(o, &sys::CNF);
    let cnf = if cnf.is_undefined() {
        Confirmation::Absent
    } else {
        let keys = if is_plain_object(&cnf) { Some(sys::json_keys(&cnf)) } else { None };
        match keys {
            Some(k) if k.length() == 1 && k.get(0).as_string().as_deref() == Some("jkt") => {
                at(&cnf, &sys::JKT).as_string().map_or(Confirmation::Other, Confirmation::Jkt)
            }
            _ => Confirmation::Other,
        }
    };
    ApiClaims {
        iss: member(&at(o, &sys::ISS)),
        aud: audience(&at(o, &sys::AUD)),
        exp: member(&at(o, &sys::EXP)),
        iat: member(&at(o, &sys::IAT)),
        nbf: member(&at(o, &sys::NBF)),
        scope: member(&at(o, &sys::SCOPE)),
        permissions: audience(&at(o, &sys::PERMISSIONS)),
        cnf,
    }
}
