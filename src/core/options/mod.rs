//! The options of the Rust API, the one model of them, and their validation: client options
//! (BEHAVIOUR.md §1) and `customTokenExchange` options (BEHAVIOUR.md §2.1). The JavaScript binding reads into the
//! same structs and adds [`Faults`] (what a struct cannot hold: a wrong type, a string too long to
//! copy), so every rule is decided here, in order, natively testable.
//!
//! - [`client`]: the client options, the auth method and signing algorithm;
//! - [`domain`]: the tenant's domain (a small URL parser of its own: no path, query or user info);
//! - [`exchange`]: the exchange options, `authorizationParams` and their limits.

use crate::error::Error;
#[allow(unused_imports)]
use crate::prelude::*;

pub mod api;
pub mod client;
pub mod domain;
pub mod exchange;

pub use api::*;
pub use client::*;
pub use domain::*;
pub use exchange::*;

/// What a reader of JavaScript values found that a typed options struct cannot hold: the options
/// argument not an object, or an option of the wrong type (or whose read threw), or a string too
/// long to copy (BEHAVIOUR.md §9.3). Empty for Rust callers, whose types say it all. Validation consults
/// it where each rule stands, so both kinds of caller meet the rules in one order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    not_object: bool,
    found: Vec<(&'static str, Fault)>,
}

/// What was wrong with one option, named by its JavaScript key in [`Faults`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Not of the option's type (`audience: 42`), or its read threw.
    WrongType,
    /// A string longer than its limit, or a list with more items than its limit.
    TooLong,
    /// An `authorizationParams` value longer than 8 KiB.
    ValueTooLong,
    /// An `authorizationParams` value that is not a string, number, boolean or array of strings.
    ValueInvalid,
    /// An `authorizationParams` array of more than [`MAX_PARAM_VALUES`] values.
    TooManyValues,
}

impl Faults {
    /// No fault: what a Rust caller's options carry.
    pub const NONE: Faults = Faults { not_object: false, found: Vec::new() };

    /// The options argument is not an object.
    pub fn not_object() -> Faults {
        Faults { not_object: true, found: Vec::new() }
    }

    /// Records `fault` against the option `key`.
    pub fn note(&mut self, key: &'static str, fault: Fault) {
        self.found.push((key, fault));
    }

    /// Whether the options argument was an object.
    pub fn is_object(&self) -> bool {
        !self.not_object
    }

    /// The first fault recorded against `key`.
    pub fn of(&self, key: &str) -> Option<Fault> {
        self.found.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
    }

    /// Whether nothing was found wrong.
    pub fn is_empty(&self) -> bool {
        !self.not_object && self.found.is_empty()
    }

    /// Whether `key` has a fault of any kind.
    pub fn has(&self, key: &str) -> bool {
        self.of(key).is_some()
    }

    /// `validate`'s error when there is any fault; `Ok` when there is none, so that the typed
    /// options go on to the public method, which validates them. A fault no rule claims (an
    /// option whose only rule is its type) is refused after the rules, by its name.
    pub fn reject<T>(&self, validate: impl FnOnce(&Faults) -> Result<T, Error>) -> Result<(), Error> {
        if self.is_empty() {
            return Ok(());
        }
        self.unclaimed(validate(self).err())
    }

    /// `error`, else the first fault refused by its name.
    fn unclaimed(&self, error: Option<Error>) -> Result<(), Error> {
        if let Some(e) = error {
            return Err(e);
        }
        let (key, fault) = self.found.first().copied().unwrap_or(("options", Fault::WrongType));
        let mut message = String::from("\"");
        message.push_str(key);
        message.push_str(match fault {
            Fault::TooLong | Fault::ValueTooLong => "\" is too long",
            _ => "\" is not of its type",
        });
        Err(Error::config(crate::error::code::INVALID_OPTION, message))
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

    pub fn raw(subject: &str, ty: &str) -> CustomTokenExchangeOptions {
        CustomTokenExchangeOptions {
            subject_token: Secret::new(subject),
            subject_token_type: ty.into(),
            ..Default::default()
        }
    }

    pub fn code_with(o: &CustomTokenExchangeOptions, faults: &Faults) -> String {
        let code = validate_exchange_options(o, faults).unwrap_err().code().to_owned();
        // Every fault fails some rule, with the same error: what the binding relies on.
        assert_eq!(
            faults.reject(|f| validate_exchange_options(o, f)).map_err(|e| e.code().to_owned()),
            match faults.is_empty() {
                true => Ok(()),
                false => Err(code.clone()),
            }
        );
        code
    }

    pub fn code_of(o: &CustomTokenExchangeOptions) -> String {
        code_with(o, &Faults::NONE)
    }

    pub fn wrong(key: &'static str) -> Faults {
        let mut f = Faults::NONE;
        f.note(key, Fault::WrongType);
        f
    }

    pub fn client(domain: &str) -> ClientOptions {
        ClientOptions {
            domain: domain.into(),
            client_id: "cid".into(),
            client_secret: Some("shh".into()),
            secret: vec![Secret::new("x".repeat(32))],
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{client, raw};
    use super::*;

    #[test]
    fn a_fault_no_rule_claims_is_refused_by_name() {
        let mut f = Faults::NONE;
        f.note("someNewOption", Fault::WrongType);
        let o = raw("t", "urn:x");
        let e = f.reject(|f| validate_exchange_options(&o, f)).unwrap_err();
        assert_eq!((e.code(), e.js_message()), ("invalid_option", "\"someNewOption\" is not of its type"));
    }

    #[test]
    fn messages_never_echo_values() {
        let mut r = raw("Bearer SECRET-TOKEN-123", "urn:x");
        let e = validate_exchange_options(&r, &Faults::NONE).unwrap_err();
        assert!(!e.message().contains("SECRET-TOKEN-123"));
        r.subject_token = "ok".into();
        r.actor_token = Some("Bearer ACTOR-456".into());
        let e = validate_exchange_options(&r, &Faults::NONE).unwrap_err();
        assert!(!e.message().contains("ACTOR-456"));
        let mut c = client("http://evil.example.com");
        c.client_secret = Some("CLIENT-SECRET-789".into());
        let e = validate_client_options(&c, &Faults::NONE).unwrap_err();
        assert!(!e.message().contains("evil") && !e.message().contains("CLIENT-SECRET-789"));
    }
}
