//! Options as the JavaScript package hands them over, every value already classified by the
//! package's driver (`pkg-templates/client.js`), read into the validation model of
//! [`super::options`].
//!
//! `customTokenExchange` options come as JSON text:
//! - a string, number, boolean or array is the value itself; a missing key or `null` is absent;
//! - `{}` is "present, but of a type JSON cannot carry or the option does not take" (a function
//!   where a string belongs, a symbol, a non-finite number, a value whose getter threw);
//! - `authorizationParams` is an array of `[key, value]` pairs (own entries, in order; numbers and
//!   booleans already in their JavaScript string form), or `{}` when it is not a plain object;
//! - the whole options value is `null` when it is not a plain object.
//!
//! `ServerClient` options come as a sequence of [`Given`] values, one per option in a fixed order
//! (see [`client_options`]), read straight from the packed arguments by the wasm shell: building a
//! client runs no JSON parser (in Node, the first client compiled 4 KB less wasm, see the commit).
//! `fetch`, `stateStore` and a `CryptoKey` `clientAssertionSigningKey` are `true` when they have
//! the right shape (a function; an object with `get`/`set`/`delete`; a private key).

use super::json::{all_some, write_members, write_string, Value};
use super::options::{ClientConfig, Input, ParamValue, RawClientOptions, RawExchangeOptions};
use crate::error::push_u64;
use crate::error::Secret;
#[allow(unused_imports)]
use crate::prelude::*;

fn absent(v: Option<&Value>) -> bool {
    matches!(v, None | Some(Value::Null))
}

fn string(v: Option<&Value>) -> Input {
    match v {
        Some(Value::Str(s)) => Input::Given(s.clone()),
        _ if absent(v) => Input::Absent,
        _ => Input::WrongType,
    }
}

fn secret(v: Option<&Value>) -> Input<Secret> {
    match string(v) {
        Input::Given(s) => Input::Given(Secret::new(s)),
        Input::Absent => Input::Absent,
        Input::WrongType => Input::WrongType,
    }
}

/// An array of strings.
fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Arr(items) => all_some(items, |s| s.as_str().map(str::to_owned)),
        _ => None,
    }
}

fn param_value(v: &Value) -> ParamValue {
    match v {
        Value::Null => ParamValue::Absent,
        Value::Str(s) | Value::Num(s) => ParamValue::Str(s.clone()),
        Value::Bool(b) => ParamValue::Str(if *b { "true" } else { "false" }.into()),
        Value::Arr(_) => strings(v).map_or(ParamValue::Invalid, ParamValue::List),
        Value::Obj(_) => ParamValue::Invalid,
    }
}

/// One classified `ServerClient` option, as the driver packs it (`pkg-templates/client.js`, `tag`).
/// (No `Debug` outside tests: a `Str` may be a client secret.)
#[derive(Clone)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub enum Given<'a> {
    /// Missing, `undefined` or `null`.
    Absent,
    /// Present, but of a type the option does not take (or its getter threw).
    Wrong,
    Str(&'a str),
    /// A finite number.
    Num(f64),
    /// A boolean; also `true` for a host object of the right shape.
    Bool(bool),
    /// An array of strings (an array with any other member is [`Given::Wrong`]): only `secret`
    /// takes one.
    Secrets(Vec<Secret>),
}

impl Given<'_> {
    #[inline(never)]
    fn string(&self) -> Input {
        match self {
            Given::Str(s) => Input::Given((*s).to_owned()),
            Given::Absent => Input::Absent,
            _ => Input::WrongType,
        }
    }

    #[inline(never)]
    fn secret(&self) -> Input<Secret> {
        match self {
            Given::Str(s) => Input::Given(Secret::new(*s)),
            Given::Absent => Input::Absent,
            _ => Input::WrongType,
        }
    }

    #[inline(never)]
    fn number(&self) -> Input<f64> {
        match self {
            Given::Num(n) => Input::Given(*n),
            Given::Absent => Input::Absent,
            _ => Input::WrongType,
        }
    }

    /// A host object checked by the driver: `true` when of the right shape.
    #[inline(never)]
    fn shape(&self) -> Input<()> {
        match self {
            Given::Bool(true) => Input::Given(()),
            Given::Absent => Input::Absent,
            _ => Input::WrongType,
        }
    }
}

/// The number of [`Given`] values of [`client_options`].
pub const CLIENT_OPTIONS: usize = 13;

/// `ServerClient` options from the classified values `given`, in this order (the driver's
/// `CLIENT_KEYS`, then the host objects): `domain`, `clientId`, `clientSecret`,
/// `clientAuthMethod`, `clientAssertionSigningAlg`, `secret`, `stateIdentifier`,
/// `sessionDuration`, `timeoutMs`, `telemetry`, `fetch`, `stateStore`,
/// `clientAssertionSigningKey` (missing ones are absent); `None` when the options are not an
/// object. The PEM of a `clientAssertionSigningKey` given as a string is returned alongside,
/// for the caller's PKCS#8 check.
pub fn client_options<'a>(given: Option<&[Given<'a>]>) -> (RawClientOptions, Option<&'a str>) {
    let Some(given) = given else {
        return (RawClientOptions { is_object: false, ..RawClientOptions::default() }, None);
    };
    let g = |i: usize| given.get(i).unwrap_or(&Given::Absent);
    let key = g(12);
    let pem = match key {
        Given::Str(pem) => Some(*pem),
        _ => None,
    };
    let raw = RawClientOptions {
        is_object: true,
        domain: g(0).string(),
        client_id: g(1).string(),
        client_secret: g(2).secret(),
        client_auth_method: g(3).string(),
        client_assertion_signing_alg: g(4).string(),
        secret: match g(5) {
            Given::Str(s) => Input::Given(vec![Secret::new(*s)]),
            Given::Secrets(list) => Input::Given(list.clone()),
            Given::Absent => Input::Absent,
            _ => Input::WrongType,
        },
        state_identifier: g(6).string(),
        session_duration: g(7).number(),
        timeout_ms: g(8).number(),
        telemetry: match g(9) {
            Given::Bool(b) => Input::Given(*b),
            Given::Absent => Input::Absent,
            _ => Input::WrongType,
        },
        fetch: g(10).shape(),
        state_store: g(11).shape(),
        client_assertion_signing_key: if pem.is_some() { Input::Given(()) } else { key.shape() },
    };
    (raw, pem)
}

/// `customTokenExchange` / `loginWithCustomTokenExchange` options.
pub fn exchange_options(v: &Value) -> RawExchangeOptions {
    let get = |k| v.get(k);
    let params = get("authorizationParams");
    RawExchangeOptions {
        is_object: v.is_object(),
        subject_token: secret(get("subjectToken")),
        subject_token_type: string(get("subjectTokenType")),
        audience: string(get("audience")),
        scope: string(get("scope")),
        actor_token: secret(get("actorToken")),
        actor_token_type: string(get("actorTokenType")),
        organization: string(get("organization")),
        authorization_params: match params {
            Some(Value::Arr(pairs)) => all_some(pairs, |pair| match pair {
                Value::Arr(kv) => match (kv.first(), kv.get(1)) {
                    (Some(Value::Str(k)), value) => {
                        Some((k.clone(), value.map_or(ParamValue::Absent, param_value)))
                    }
                    _ => None,
                },
                _ => None,
            })
            .map_or(Input::WrongType, Input::Given),
            p if absent(p) => Input::Absent,
            _ => Input::WrongType,
        },
    }
}

/// A validated configuration as JSON, for the driver: what it reads (`domain`, `auth`, `alg`,
/// `id`, `secrets`, `timeout`), and the key of its memo of session views, so it holds every
/// setting a view depends on. Members: `domain`, `host`, `clientId`, `clientSecret`, `auth`,
/// `alg`, `secrets`, `id`, `duration`, `timeout`.
pub fn config_json(c: &ClientConfig) -> String {
    let mut o = String::from("{\"domain\":");
    write_string(&c.domain.url, &mut o);
    write_members(
        &mut o,
        &[
            ("host", Some(&c.domain.host)),
            ("clientId", Some(&c.client_id)),
            ("clientSecret", c.client_secret.as_ref().map(|s| s.expose())),
            ("auth", Some(c.auth_method.name())),
            ("alg", Some(c.signing_alg.name())),
            ("id", Some(&c.state_identifier)),
        ],
    );
    o.push_str(",\"secrets\":[");
    for (i, s) in c.secrets.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        write_string(s.expose(), &mut o);
    }
    o.push_str("],\"duration\":");
    push_u64(&mut o, c.session_duration);
    o.push_str(",\"timeout\":");
    push_u64(&mut o, u64::from(c.timeout_ms));
    o.push('}');
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse;

    /// `client_options` over options given in the documented order.
    fn options(values: Vec<Given<'static>>) -> (RawClientOptions, Option<&'static str>) {
        assert_eq!(values.len(), CLIENT_OPTIONS);
        client_options(Some(&values))
    }

    #[test]
    fn client_options_classification() {
        use Given::*;
        let (raw, pem) = options(vec![
            Str("a.auth0.com"),
            Wrong,
            Absent,
            Str("private_key_jwt"),
            Num(1.0),
            Secrets(vec![Secret::new("x"), Secret::new("y")]),
            Str("sid"),
            Num(60.0),
            Num(1.5),
            Bool(false),
            Bool(true),
            Wrong,
            Str("-----BEGIN PRIVATE KEY-----"),
        ]);
        assert!(raw.is_object);
        assert_eq!(raw.domain, Input::Given("a.auth0.com".into()));
        assert_eq!(raw.client_id, Input::WrongType);
        assert_eq!(raw.client_secret, Input::Absent);
        assert_eq!(raw.client_auth_method, Input::Given("private_key_jwt".into()));
        assert_eq!(raw.client_assertion_signing_alg, Input::WrongType);
        assert_eq!(raw.secret, Input::Given(vec![Secret::new("x"), Secret::new("y")]));
        assert_eq!(raw.state_identifier, Input::Given("sid".into()));
        assert_eq!(raw.session_duration, Input::Given(60.0));
        assert_eq!(raw.timeout_ms, Input::Given(1.5));
        assert_eq!(raw.telemetry, Input::Given(false));
        assert_eq!(raw.fetch, Input::Given(()));
        assert_eq!(raw.state_store, Input::WrongType);
        assert_eq!(raw.client_assertion_signing_key, Input::Given(()));
        assert_eq!(pem, Some("-----BEGIN PRIVATE KEY-----"));

        let (raw, pem) = options(vec![
            Absent,
            Absent,
            Num(1.0),
            Absent,
            Absent,
            Wrong,
            Bool(true),
            Str("60"),
            Absent,
            Str("yes"),
            Bool(false),
            Absent,
            Wrong,
        ]);
        assert_eq!(raw.client_secret, Input::WrongType);
        assert_eq!(raw.secret, Input::WrongType);
        assert_eq!(raw.state_identifier, Input::WrongType);
        assert_eq!(raw.session_duration, Input::WrongType);
        assert_eq!(raw.timeout_ms, Input::Absent);
        assert_eq!(raw.telemetry, Input::WrongType);
        assert_eq!(raw.fetch, Input::WrongType);
        assert_eq!(raw.state_store, Input::Absent);
        assert_eq!(raw.client_assertion_signing_key, Input::WrongType);
        assert_eq!(pem, None);
        // One secret as a string; a key that is a CryptoKey of the right shape.
        let mut v = vec![Absent; 13];
        v[5] = Str("only");
        v[12] = Bool(true);
        let (raw, pem) = options(v);
        assert_eq!(raw.secret, Input::Given(vec![Secret::new("only")]));
        assert_eq!((raw.client_assertion_signing_key, pem), (Input::Given(()), None));

        let (raw, pem) = client_options(None);
        assert!(!raw.is_object && pem.is_none());
        // Fewer values than options (the shell always gives all): the rest are absent.
        let (raw, _) = client_options(Some(&[Str("d")]));
        assert_eq!((raw.domain, raw.client_id), (Input::Given("d".into()), Input::Absent));
    }

    #[test]
    fn config_json_members() {
        use Given::*;
        let mut v = vec![Absent; 13];
        v[0] = Str("tenant.example.com:8443");
        v[1] = Str("id");
        v[2] = Str("s");
        v[5] = Secrets(vec![Secret::new("a-secret-of-at-least-32-characters!!")]);
        v[7] = Num(60.0);
        v[8] = Num(900.0);
        let (raw, _) = options(v);
        let c = crate::core::options::validate_client_options(&raw).unwrap();
        let v = parse(&config_json(&c)).unwrap();
        let s = |k| v.str_at(k).unwrap();
        assert_eq!((s("domain"), s("host")), ("https://tenant.example.com:8443", "tenant.example.com:8443"));
        assert_eq!(
            (s("clientId"), s("clientSecret"), s("auth"), s("alg")),
            ("id", "s", "client_secret_basic", "RS256")
        );
        assert_eq!(s("id"), "_a0_session");
        let n = |k| v.get(k).and_then(Value::as_int).unwrap();
        assert_eq!((n("duration"), n("timeout")), (60, 900));
        let secrets = Value::Arr(vec![Value::Str("a-secret-of-at-least-32-characters!!".into())]);
        assert_eq!(v.get("secrets"), Some(&secrets));
        assert_eq!(v.get("telemetry"), None);
        // A fraction is handed over as is, and validation refuses it.
        let mut v = vec![Absent; 13];
        v[0] = Str("tenant.example.com");
        v[1] = Str("id");
        v[2] = Str("s");
        v[5] = Str("a-secret-of-at-least-32-characters!!");
        v[8] = Num(900.5);
        let e = crate::core::options::validate_client_options(&options(v).0).unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            ("invalid_option", "\"timeoutMs\" must be a positive whole number of milliseconds")
        );
    }

    #[test]
    fn exchange_options_classification() {
        let v = parse(
            r#"{"subjectToken":"t","subjectTokenType":"urn:x","audience":null,"scope":{},
                "authorizationParams":[["a","1"],["b",["x","y"]],["c",null],["d",{}],["e",["x",2]],["f",true]]}"#,
        )
        .unwrap();
        let raw = exchange_options(&v);
        assert_eq!(raw.subject_token, Input::Given(Secret::new("t")));
        assert_eq!(raw.audience, Input::Absent);
        assert_eq!(raw.scope, Input::WrongType);
        assert_eq!(
            raw.authorization_params,
            Input::Given(vec![
                ("a".into(), ParamValue::Str("1".into())),
                ("b".into(), ParamValue::List(vec!["x".into(), "y".into()])),
                ("c".into(), ParamValue::Absent),
                ("d".into(), ParamValue::Invalid),
                ("e".into(), ParamValue::Invalid),
                ("f".into(), ParamValue::Str("true".into())),
            ])
        );
        let raw = exchange_options(&parse(r#"{"authorizationParams":{}}"#).unwrap());
        assert_eq!(raw.authorization_params, Input::WrongType);
        assert!(!exchange_options(&Value::Null).is_object);
    }
}
