//! Where sessions live (SPEC §5): the injected state store, a JavaScript object with `get`,
//! `set` and `delete`, each call awaited within the client's timeout; or, without one, this
//! isolate's memory.

use crate::error::{code, Cause, Error, ErrorKind};
use crate::host::{self, HttpFailure};
#[allow(unused_imports)]
use crate::prelude::*;
use core::cell::RefCell;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Where sessions live.
#[derive(Clone, Debug, Default)]
pub enum Store {
    /// One session per identifier for the whole isolate (tests, single-user tools).
    #[default]
    Memory,
    /// An object with `get`, `set` and `delete` methods (SPEC §5).
    Js(JsValue),
}

crate::local::local! {
    /// The default store's contents: (identifier, sealed value).
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn store_error(message: &'static str) -> Error {
    Error::new(ErrorKind::Store, code::STORE_ERROR, message)
}

fn store_failure(message: &'static str, f: HttpFailure, timeout_ms: u32) -> Error {
    store_error(message).cause(Cause::Js(match f {
        HttpFailure::Network(cause) => cause,
        HttpFailure::Timeout => host::timeout_cause(timeout_ms),
    }))
}

/// Calls `store[method](...args)` and awaits its result within the client's timeout.
async fn call_store(
    store: &JsValue,
    method: &str,
    args: &[JsValue],
    timeout_ms: u32,
) -> Result<JsValue, HttpFailure> {
    let f = Reflect::get(store, &JsValue::from_str(method))
        .ok()
        .filter(JsValue::is_function)
        .map(|f| f.unchecked_into::<Function>())
        .ok_or_else(|| HttpFailure::Network(JsValue::from_str("the state store has no such method")))?;
    let args: Array = args.iter().collect();
    let result = f.apply(store, &args).map_err(HttpFailure::Network)?;
    host::settle(&result, timeout_ms).await
}

impl Store {
    pub(crate) async fn get(
        &self,
        id: &str,
        store_options: &JsValue,
        timeout_ms: u32,
    ) -> Result<Option<String>, Error> {
        match self {
            Store::Memory => {
                Ok(MEMORY.with(|m| m.borrow().iter().find(|(k, _)| k == id).map(|(_, v)| v.clone())))
            }
            Store::Js(store) => {
                let v = call_store(store, "get", &[id.into(), store_options.clone()], timeout_ms)
                    .await
                    .map_err(|f| store_failure("the state store's get failed", f, timeout_ms))?;
                // Anything but a string (null, undefined, garbage) is "no session".
                Ok(v.as_string())
            }
        }
    }

    pub(crate) async fn set(
        &self,
        id: &str,
        value: String,
        remove_if_exists: bool,
        so: &JsValue,
        timeout_ms: u32,
    ) -> Result<(), Error> {
        match self {
            Store::Memory => {
                MEMORY.with(|m| {
                    let mut m = m.borrow_mut();
                    m.retain(|(k, _)| k != id);
                    m.push((id.to_owned(), value));
                });
                Ok(())
            }
            Store::Js(store) => {
                let args = [id.into(), value.into(), remove_if_exists.into(), so.clone()];
                call_store(store, "set", &args, timeout_ms).await.map(|_| ()).map_err(|f| {
                    store_failure("the state store's set failed: no session was written", f, timeout_ms)
                })
            }
        }
    }

    pub(crate) async fn delete(&self, id: &str, so: &JsValue, timeout_ms: u32) -> Result<(), Error> {
        match self {
            Store::Memory => {
                MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| k != id));
                Ok(())
            }
            Store::Js(store) => call_store(store, "delete", &[id.into(), so.clone()], timeout_ms)
                .await
                .map(|_| ())
                .map_err(|f| store_failure("the state store's delete failed", f, timeout_ms)),
        }
    }
}
