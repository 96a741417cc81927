//! Validation of client options (SPEC §1) and of `customTokenExchange` options (SPEC §2.1), on a
//! model that can say "present but of the wrong type", so the JavaScript rules are decided here,
//! natively testable, and the wasm layer only classifies values.
//!
//! - [`client`]: the client options, the auth method and signing algorithm;
//! - [`domain`]: the tenant's domain (a small URL parser of its own: no path, query or user info);
//! - [`exchange`]: the exchange options, `authorizationParams` and their limits.

#[allow(unused_imports)]
use crate::prelude::*;

pub mod client;
pub mod domain;
pub mod exchange;

pub use client::*;
pub use domain::*;
pub use exchange::*;

/// One option as the caller gave it.
#[derive(Clone, Debug, PartialEq)]
pub enum Input<T = String> {
    /// `undefined` or `null` (or not set in Rust).
    Absent,
    /// Present and of the expected type.
    Given(T),
    /// Present, but not of the expected type (e.g. `audience: 42`).
    WrongType,
    /// A string longer than its limit (SPEC §9.3), found before it was copied into wasm memory.
    TooLong,
}

impl<T> Input<T> {
    /// The given value mapped; the other states kept.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Input<U> {
        match self {
            Input::Absent => Input::Absent,
            Input::Given(v) => Input::Given(f(v)),
            Input::WrongType => Input::WrongType,
            Input::TooLong => Input::TooLong,
        }
    }

    fn given(&self) -> Option<&T> {
        match self {
            Input::Given(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> Default for Input<T> {
    fn default() -> Self {
        Input::Absent
    }
}

impl<T> From<Option<T>> for Input<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Input::Absent, Input::Given)
    }
}

/// "Blank": empty after trimming Unicode whitespace, that is, nothing but whitespace (a char
/// walk, not `trim()`, whose searchers weigh more in wasm).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Characters (Unicode scalar values) in `s`: bytes that do not continue a UTF-8 sequence.
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::error::Secret;

    pub fn raw(subject: &str, ty: &str) -> RawExchangeOptions {
        RawExchangeOptions {
            subject_token: Input::Given(subject.into()),
            subject_token_type: Input::Given(ty.into()),
            ..Default::default()
        }
    }

    pub fn code_of(r: &RawExchangeOptions) -> String {
        validate_exchange_options(r).unwrap_err().code().to_owned()
    }

    pub fn client(domain: &str) -> RawClientOptions {
        RawClientOptions {
            domain: Input::Given(domain.into()),
            client_id: Input::Given("cid".into()),
            client_secret: Input::Given("shh".into()),
            secret: Input::Given(vec![Secret::new("x".repeat(32))]),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{client, raw};
    use super::*;

    #[test]
    fn messages_never_echo_values() {
        let mut r = raw("Bearer SECRET-TOKEN-123", "urn:x");
        let e = validate_exchange_options(&r).unwrap_err();
        assert!(!e.message().contains("SECRET-TOKEN-123"));
        r.subject_token = Input::Given("ok".into());
        r.actor_token = Input::Given("Bearer ACTOR-456".into());
        assert!(!validate_exchange_options(&r).unwrap_err().message().contains("ACTOR-456"));
        let mut c = client("http://evil.example.com");
        c.client_secret = Input::Given("CLIENT-SECRET-789".into());
        let e = validate_client_options(&c).unwrap_err();
        assert!(!e.message().contains("evil") && !e.message().contains("CLIENT-SECRET-789"));
    }
}
