//! Module-level caches (one per wasm instance, i.e. per isolate), keyed by URL and shared by every
//! client: Workers often build a client per request, so discovery and JWKS must outlive it.
//!
//! Concurrent first calls share one request: the first caller spawns the fetch as a promise and
//! parks it in the cache; later callers await the same promise. A failure is handed to every
//! waiter and then forgotten, so the next call tries again.

use crate::error::Error;
use crate::host::now_ms;
#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::RefCell;
use core::future::Future;
use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

type Outcome<T> = Rc<RefCell<Option<Result<Rc<T>, Error>>>>;

enum Slot<T> {
    Ready { value: Rc<T>, fetched_at: f64 },
    Pending { promise: Promise, outcome: Outcome<T> },
}

/// A small LRU map from URL to a fetched value.
pub struct Cache<T> {
    entries: Vec<(String, Slot<T>)>,
    capacity: usize,
}

impl<T> Cache<T> {
    pub const fn new(capacity: usize) -> Self {
        Cache { entries: Vec::new(), capacity }
    }

    fn take(&mut self, key: &str) -> Option<Slot<T>> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(i).1)
    }

    fn put(&mut self, key: String, slot: Slot<T>) {
        self.take(&key);
        if self.entries.len() >= self.capacity {
            // Evict the least recently used entry that is not in flight.
            if let Some(i) = self.entries.iter().position(|(_, s)| matches!(s, Slot::Ready { .. })) {
                self.entries.remove(i);
            }
        }
        self.entries.push((key, slot)); // most recently used last
    }

    /// Age in ms of a ready entry.
    pub fn age_ms(&self, key: &str) -> Option<f64> {
        self.entries.iter().find(|(k, _)| k == key).and_then(|(_, s)| match s {
            Slot::Ready { fetched_at, .. } => Some(now_ms() - fetched_at),
            Slot::Pending { .. } => None,
        })
    }
}

/// Returns the cached value for `key` if younger than `ttl_ms` (and not `stale`), else shares or
/// starts `fetch`.
pub async fn get_or_fetch<T, F, Fut>(
    cache: &'static crate::local::Local<RefCell<Cache<T>>>,
    key: &str,
    ttl_ms: f64,
    fetch: F,
) -> Result<Rc<T>, Error>
where
    T: 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, Error>> + 'static,
{
    enum Next<T> {
        Done(Rc<T>),
        Wait(Promise, Outcome<T>),
    }
    let next = cache.with(|c| {
        let mut c = c.borrow_mut();
        match c.take(key) {
            Some(Slot::Ready { value, fetched_at }) if now_ms() - fetched_at < ttl_ms => {
                c.put(key.to_owned(), Slot::Ready { value: value.clone(), fetched_at });
                Next::Done(value)
            }
            Some(Slot::Pending { promise, outcome }) => {
                c.put(key.to_owned(), Slot::Pending { promise: promise.clone(), outcome: outcome.clone() });
                Next::Wait(promise, outcome)
            }
            _ => {
                let outcome: Outcome<T> = Rc::new(RefCell::new(None));
                let fut = fetch();
                let (out, owned_key) = (outcome.clone(), key.to_owned());
                let promise = future_to_promise(async move {
                    let result = fut.await.map(Rc::new);
                    cache.with(|c| {
                        let mut c = c.borrow_mut();
                        c.take(&owned_key);
                        if let Ok(value) = &result {
                            c.put(owned_key, Slot::Ready { value: value.clone(), fetched_at: now_ms() });
                        }
                    });
                    *out.borrow_mut() = Some(result);
                    Ok(JsValue::UNDEFINED)
                });
                c.put(key.to_owned(), Slot::Pending { promise: promise.clone(), outcome: outcome.clone() });
                Next::Wait(promise, outcome)
            }
        }
    });
    match next {
        Next::Done(v) => Ok(v),
        Next::Wait(promise, outcome) => {
            // The spawned task never rejects: it records its outcome, then resolves.
            let _ = JsFuture::from(promise).await;
            let result = outcome.borrow().clone();
            result.unwrap_or_else(|| {
                Err(crate::error::Error::exchange(
                    crate::error::code::TOKEN_EXCHANGE_FAILED,
                    "internal: a shared fetch ended without a result",
                ))
            })
        }
    }
}

/// Drops a ready entry (e.g. a JWKS that lacks a `kid`), leaving in-flight fetches alone.
pub fn invalidate<T>(cache: &'static crate::local::Local<RefCell<Cache<T>>>, key: &str) {
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(slot) = c.take(key) {
            if let Slot::Pending { .. } = slot {
                c.put(key.to_owned(), slot);
            }
        }
    });
}
