//! Module-level caches (one per wasm instance, i.e. per isolate), keyed by URL and shared by every
//! client: Workers often build a client per request, so discovery and JWKS must outlive it.
//!
//! Concurrent first calls share one request: the first caller spawns the fetch as a promise and
//! parks it in the cache; later callers await the same promise. A value already in hand is kept
//! while a new one is fetched and when that fetch fails (BEHAVIOUR.md §9.6); a failure is remembered for
//! [`Policy::retry_ms`] (zero: the next call tries again).

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
/// The last value fetched, with when it was fetched.
type Previous<T> = Option<(Rc<T>, f64)>;

enum Slot<T> {
    Ready {
        value: Rc<T>,
        fetched_at: f64,
    },
    Pending {
        promise: Promise,
        outcome: Outcome<T>,
        previous: Previous<T>,
    },
    /// The last fetch failed at `at`.
    Failed {
        error: Error,
        at: f64,
        previous: Previous<T>,
    },
}

/// How long values and failures are kept.
#[derive(Clone, Copy)]
pub struct Policy {
    /// A value younger than this is used without fetching.
    pub ttl_ms: f64,
    /// Within this long after a failed fetch, calls fail at once with its error.
    pub retry_ms: f64,
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
            if let Some(i) = self.entries.iter().position(|(_, s)| !matches!(s, Slot::Pending { .. })) {
                self.entries.remove(i);
            }
        }
        self.entries.push((key, slot)); // most recently used last
    }

    /// Age in ms of a value in hand, when the last fetch did not fail.
    pub fn age_ms(&self, key: &str) -> Option<f64> {
        self.entries.iter().find(|(k, _)| k == key).and_then(|(_, s)| match s {
            Slot::Ready { fetched_at, .. } => Some(now_ms() - fetched_at),
            _ => None,
        })
    }

    /// The last value fetched for `key`, however old, also while a fetch is in flight or after
    /// one failed.
    pub fn last_value(&self, key: &str) -> Option<Rc<T>> {
        self.entries.iter().find(|(k, _)| k == key).and_then(|(_, s)| match s {
            Slot::Ready { value, .. } => Some(value.clone()),
            Slot::Pending { previous, .. } | Slot::Failed { previous, .. } => {
                previous.as_ref().map(|(v, _)| v.clone())
            }
        })
    }
}

/// Returns the cached value for `key` if younger than the policy's TTL (unless `force`), fails at
/// once within the retry window of a failure, else shares or starts `fetch`.
pub async fn get_or_fetch<T, F, Fut>(
    cache: &'static crate::local::Local<RefCell<Cache<T>>>,
    key: &str,
    policy: Policy,
    force: bool,
    fetch: F,
) -> Result<Rc<T>, Error>
where
    T: 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, Error>> + 'static,
{
    enum Next<T> {
        Done(Result<Rc<T>, Error>),
        Wait(Promise, Outcome<T>),
    }
    let next = cache.with(|c| {
        let mut c = c.borrow_mut();
        let previous = match c.take(key) {
            Some(Slot::Ready { value, fetched_at }) if !force && now_ms() - fetched_at < policy.ttl_ms => {
                c.put(key.to_owned(), Slot::Ready { value: value.clone(), fetched_at });
                return Next::Done(Ok(value));
            }
            Some(Slot::Failed { error, at, previous }) if now_ms() - at < policy.retry_ms => {
                let result = Err(error.clone());
                c.put(key.to_owned(), Slot::Failed { error, at, previous });
                return Next::Done(result);
            }
            Some(Slot::Pending { promise, outcome, previous }) => {
                let next = Next::Wait(promise.clone(), outcome.clone());
                c.put(key.to_owned(), Slot::Pending { promise, outcome, previous });
                return next;
            }
            Some(Slot::Ready { value, fetched_at }) => Some((value, fetched_at)),
            Some(Slot::Failed { previous, .. }) => previous,
            None => None,
        };
        let outcome: Outcome<T> = Rc::new(RefCell::new(None));
        let fut = fetch();
        let (out, owned_key, kept) = (outcome.clone(), key.to_owned(), previous.clone());
        let promise = future_to_promise(async move {
            let result = fut.await.map(Rc::new);
            cache.with(|c| {
                let mut c = c.borrow_mut();
                c.take(&owned_key);
                match &result {
                    Ok(value) => c.put(owned_key, Slot::Ready { value: value.clone(), fetched_at: now_ms() }),
                    Err(error) if policy.retry_ms > 0.0 => {
                        c.put(owned_key, Slot::Failed { error: error.clone(), at: now_ms(), previous: kept })
                    }
                    Err(_) => {
                        if let Some((value, fetched_at)) = kept {
                            c.put(owned_key, Slot::Ready { value, fetched_at });
                        }
                    }
                }
            });
            *out.borrow_mut() = Some(result);
            Ok(JsValue::UNDEFINED)
        });
        c.put(key.to_owned(), Slot::Pending { promise: promise.clone(), outcome: outcome.clone(), previous });
        Next::Wait(promise, outcome)
    });
    match next {
        Next::Done(result) => result,
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
