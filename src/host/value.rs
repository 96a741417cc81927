//! Reading values that come from a caller (BEHAVIOUR.md §11): options, store results, a resolver's answer,
//! a custom `fetch`'s Response. Each read is a caught `Reflect` call or a `typeof` test, so a
//! getter, a Proxy trap or a thenable that throws becomes an `Err` here instead of an exception
//! unwinding through wasm frames; a string is measured before it is copied into wasm memory; and
//! nothing here formats a value.

#![cfg_attr(not(feature = "npm"), allow(dead_code))] // `own` and `list` serve the package's option readers

#[allow(unused_imports)]
use crate::prelude::*;

use super::sys;
use js_sys::{Array, Function, JsString};
use wasm_bindgen::{JsCast, JsValue};

/// Why a caller's value could not be read as what was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bad {
    /// Another type, or reading it threw.
    WrongType,
    /// A string (or a list) over its limit, found before it was copied.
    TooLong,
}

/// `null` or `undefined`.
pub fn is_nullish(v: &JsValue) -> bool {
    v.is_null() || v.is_undefined()
}

/// An object that is not an array, a function, null, or a revoked Proxy.
pub fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && sys::is_array(v) == Ok(false)
}

/// `o[key]` when `o` has an own property `key` (inherited ones, `Object.prototype`'s included,
/// are never read): `Ok(undefined)` when it has none, `Err` when looking or reading threw.
pub fn own(o: &JsValue, key: &str) -> Result<JsValue, Bad> {
    own_property(o, &JsValue::from_str(key)).map(|v| v.unwrap_or(JsValue::UNDEFINED))
}

/// As [`own`], for a name known at compile time (its JavaScript string is made once); `Ok(None)`
/// when `o` has no own `name`.
pub fn own_key(o: &JsValue, name: &'static str) -> Result<Option<JsValue>, Bad> {
    own_property(
        o,
        &KEYS.with(|k| {
            let mut k = k.borrow_mut();
            let at = name.as_ptr() as usize;
            match k.iter().find(|(p, _)| *p == at) {
                Some((_, v)) => v.clone(),
                None => {
                    let v = JsValue::from_str(name);
                    k.push((at, v.clone()));
                    v
                }
            }
        }),
    )
}

std::thread_local! {
    /// Option names as JavaScript strings, each made once (found by the name's address).
    static KEYS: core::cell::RefCell<Vec<(usize, JsValue)>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// The own property `key` of `o`: `Ok(None)` when it has none, `Err` when looking or reading threw.
fn own_property(o: &JsValue, key: &JsValue) -> Result<Option<JsValue>, Bad> {
    match sys::own_descriptor(o, key) {
        Ok(d) if d.is_undefined() => Ok(None),
        Ok(_) => sys::get_of(o, key).map(Some).map_err(|_| Bad::WrongType),
        Err(_) => Err(Bad::WrongType),
    }
}

/// `o[key]` through its prototype chain (a method, a host object's getter), `None` when it threw.
pub fn get(o: &JsValue, key: &str) -> Option<JsValue> {
    if !o.is_object() && !o.is_function() {
        return None;
    }
    sys::get(o, key).ok()
}

/// A thrown value's `message`, when it is a string of at most 512 units (caught reads).
pub fn error_message(error: &JsValue) -> Option<String> {
    get(error, "message").and_then(|m| short_string(&m, 512))
}

/// Calls `o[name](...args)` with `this` = `o`: `Err` when there is no such method or it threw.
pub fn call_method(o: &JsValue, name: &str, args: &Array) -> Result<JsValue, JsValue> {
    let f = get(o, name)
        .filter(JsValue::is_function)
        .ok_or_else(|| JsValue::from(js_sys::TypeError::new("no such method")))?;
    f.unchecked_ref::<Function>().apply(o, args)
}

/// The length of a string in UTF-16 units. UTF-8 is never shorter, so a string over a byte limit
/// by this count is over it in UTF-8 too: found without copying it.
pub fn js_len(v: &JsValue) -> Option<usize> {
    v.is_string().then(|| v.unchecked_ref::<JsString>().length() as usize)
}

/// `v` as a string of at most `limit` UTF-16 units: `Ok(None)` when nullish. The copy is at most
/// three times `limit` bytes; the exact UTF-8 limit is the core's to check.
pub fn string(v: &JsValue, limit: usize) -> Result<Option<String>, Bad> {
    if is_nullish(v) {
        return Ok(None);
    }
    match js_len(v) {
        None => Err(Bad::WrongType),
        Some(n) if n > limit => Err(Bad::TooLong),
        Some(n) if n > 64 => Ok(copy_string(v, n)),
        Some(_) => Ok(v.as_string()),
    }
}

std::thread_local! {
    static ENCODER: sys::Utf8Encoder = sys::Utf8Encoder::new();
}

/// The string `v` (of `units` UTF-16 units) as UTF-8: written by the host's `TextEncoder` in one
/// call when it is ASCII (a token, a sealed session), else copied by wasm-bindgen, whose copy
/// loops over the string in JavaScript a unit at a time.
fn copy_string(v: &JsValue, units: usize) -> Option<String> {
    let mut bytes: Vec<u8> = Vec::with_capacity(units);
    // SAFETY: the view covers the vector's capacity and lives only for the call, during which
    // nothing in wasm runs (so memory cannot grow and detach it).
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr(), units) };
    let done = ENCODER.with(|e| e.encode_into(v, &view));
    if done.read() as usize != units {
        return v.as_string();
    }
    // SAFETY: the encoder wrote `written` initialized bytes, within the capacity.
    unsafe { bytes.set_len((done.written() as usize).min(units)) };
    String::from_utf8(bytes).ok()
}

/// `v` as a string when it is one of at most `limit` units; anything else is `None`.
pub fn short_string(v: &JsValue, limit: usize) -> Option<String> {
    string(v, limit).ok().flatten()
}

/// The items of an array (a real one or a Proxy of one) of at most `max` items, each read once:
/// `Ok(None)` when `v` is not an array.
pub fn list(v: &JsValue, max: usize) -> Result<Option<Vec<JsValue>>, Bad> {
    match sys::is_array(v) {
        Ok(false) => return Ok(None),
        Ok(true) => {}
        Err(_) => return Err(Bad::WrongType),
    }
    let n = sys::get(v, "length").ok().and_then(|n| n.as_f64()).ok_or(Bad::WrongType)?;
    if n > max as f64 {
        return Err(Bad::TooLong);
    }
    let mut items = Vec::with_capacity(n as usize);
    let mut key = String::new();
    for i in 0..n as usize {
        key.clear();
        crate::error::push_u64(&mut key, i as u64);
        items.push(sys::get(v, &key).map_err(|_| Bad::WrongType)?);
    }
    Ok(Some(items))
}
