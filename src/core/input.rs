//! Options as the JavaScript package hands them over: JSON text in which every value has already
//! been classified by the package's driver (`pkg-templates/client.js`, `encodeOptions`), read into
//! the validation model of [`super::options`]. The encoding:
//!
//! - a string, number, boolean or array is the value itself; a missing key or `null` is absent;
//! - `{}` is "present, but of a type JSON cannot carry or the option does not take" (a function
//!   where a string belongs, a symbol, a non-finite number, a value whose getter threw);
//! - `fetch`, `stateStore` and a `CryptoKey` `clientAssertionSigningKey` are `true` when they have
//!   the right shape (a function; an object with `get`/`set`/`delete`; a private key), else `{}`;
//! - `authorizationParams` is an array of `[key, value]` pairs (own entries, in order; numbers and
//!   booleans already in their JavaScript string form), or `{}` when it is not a plain object;
//! - the whole options value is `null` when it is not a plain object.

use super::json::{all_some, write_members, write_string, Value};
use super::options::{
    ClientAuthMethod, ClientConfig, DomainUrl, Input, ParamValue, RawClientOptions, RawExchangeOptions,
    SigningAlg,
};
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

/// A whole number; any other number is kept as a value no rule accepts (the same error as a wrong
/// type, which is what the rules give a fraction).
fn number(v: Option<&Value>) -> Input<f64> {
    match v {
        Some(n @ Value::Num(_)) => Input::Given(n.as_int().map_or(-1.0, |n| n as f64)),
        _ if absent(v) => Input::Absent,
        _ => Input::WrongType,
    }
}

fn shape(v: Option<&Value>) -> Input<()> {
    match v {
        Some(Value::Bool(true)) => Input::Given(()),
        _ if absent(v) => Input::Absent,
        _ => Input::WrongType,
    }
}

fn secrets(list: Vec<String>) -> Vec<Secret> {
    let mut out = Vec::with_capacity(list.len());
    for s in list {
        out.push(Secret::new(s));
    }
    out
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

/// `ServerClient` options. The PEM of a `clientAssertionSigningKey` given as a string is returned
/// alongside, for the caller's PKCS#8 check.
pub fn client_options(v: &Value) -> (RawClientOptions, Option<String>) {
    let get = |k| v.get(k);
    let key = get("clientAssertionSigningKey");
    let pem = key.and_then(Value::as_str).map(str::to_owned);
    let raw = RawClientOptions {
        is_object: v.is_object(),
        domain: string(get("domain")),
        client_id: string(get("clientId")),
        client_secret: secret(get("clientSecret")),
        client_auth_method: string(get("clientAuthMethod")),
        client_assertion_signing_key: if pem.is_some() { Input::Given(()) } else { shape(key) },
        client_assertion_signing_alg: string(get("clientAssertionSigningAlg")),
        secret: match get("secret") {
            Some(Value::Str(s)) => Input::Given(vec![Secret::new(s.clone())]),
            Some(list @ Value::Arr(_)) => {
                strings(list).map_or(Input::WrongType, |l| Input::Given(secrets(l)))
            }
            s if absent(s) => Input::Absent,
            _ => Input::WrongType,
        },
        state_identifier: string(get("stateIdentifier")),
        session_duration: number(get("sessionDuration")),
        timeout_ms: number(get("timeoutMs")),
        telemetry: match get("telemetry") {
            Some(Value::Bool(b)) => Input::Given(*b),
            t if absent(t) => Input::Absent,
            _ => Input::WrongType,
        },
        fetch: shape(get("fetch")),
        state_store: shape(get("stateStore")),
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

/// A validated configuration as JSON, for the driver to keep and hand back with each call (the
/// wasm side keeps nothing between calls). `telemetry`: the `Auth0-Client` header, if sent.
/// Members: `domain`, `host`, `clientId`, `clientSecret`, `auth`, `alg`, `secrets`, `id`,
/// `duration`, `timeout`, `telemetry`.
pub fn config_json(c: &ClientConfig, telemetry: Option<&str>) -> String {
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
            ("telemetry", telemetry),
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

/// Reads [`config_json`]'s output back: the configuration and the telemetry header.
pub fn config_of(v: &Value) -> Option<(ClientConfig, Option<String>)> {
    let s = |k| v.str_at(k).map(str::to_owned);
    let n = |k| v.get(k).and_then(Value::as_int).filter(|n| *n >= 0);
    let config = ClientConfig {
        domain: DomainUrl { url: s("domain")?, host: s("host")? },
        client_id: s("clientId")?,
        client_secret: s("clientSecret").map(Secret::new),
        auth_method: ClientAuthMethod::parse(v.str_at("auth")?)?,
        signing_alg: SigningAlg::parse(v.str_at("alg")?)?,
        secrets: secrets(strings(v.get("secrets")?)?),
        state_identifier: s("id")?,
        session_duration: n("duration")? as u64,
        timeout_ms: n("timeout")? as u32,
        telemetry: v.get("telemetry").is_some(),
    };
    Some((config, s("telemetry")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::parse;

    #[test]
    fn client_options_classification() {
        let v = parse(
            r#"{"domain":"a.auth0.com","clientId":{},"secret":["x","y"],"timeoutMs":1.5,
                "sessionDuration":60,"fetch":true,"stateStore":{},"telemetry":false,
                "clientAssertionSigningKey":"-----BEGIN PRIVATE KEY-----"}"#,
        )
        .unwrap();
        let (raw, pem) = client_options(&v);
        assert!(raw.is_object);
        assert_eq!(raw.domain, Input::Given("a.auth0.com".into()));
        assert_eq!(raw.client_id, Input::WrongType);
        assert_eq!(raw.client_secret, Input::Absent);
        assert_eq!(raw.secret, Input::Given(vec![Secret::new("x"), Secret::new("y")]));
        assert_eq!(raw.timeout_ms, Input::Given(-1.0));
        assert_eq!(raw.session_duration, Input::Given(60.0));
        assert_eq!(raw.fetch, Input::Given(()));
        assert_eq!(raw.state_store, Input::WrongType);
        assert_eq!(raw.telemetry, Input::Given(false));
        assert_eq!(raw.client_assertion_signing_key, Input::Given(()));
        assert_eq!(pem.as_deref(), Some("-----BEGIN PRIVATE KEY-----"));
        let (raw, _) =
            client_options(&parse(r#"{"secret":["x",1],"clientAssertionSigningKey":{}}"#).unwrap());
        assert_eq!(raw.secret, Input::WrongType);
        assert_eq!(raw.client_assertion_signing_key, Input::WrongType);
        assert!(!client_options(&Value::Null).0.is_object);
    }

    #[test]
    fn config_round_trip() {
        let v = parse(
            r#"{"domain":"tenant.example.com:8443","clientId":"id","clientSecret":"s","secret":["a-secret-of-at-least-32-characters!!"],
                "sessionDuration":60,"timeoutMs":900}"#,
        )
        .unwrap();
        let (raw, _) = client_options(&v);
        let c = crate::core::options::validate_client_options(&raw).unwrap();
        let text = config_json(&c, Some("hdr"));
        let (back, telemetry) = config_of(&parse(&text).unwrap()).unwrap();
        assert_eq!(back.domain, c.domain);
        assert_eq!(back.client_id, "id");
        assert_eq!(back.client_secret, c.client_secret);
        assert_eq!(back.auth_method, c.auth_method);
        assert_eq!(back.signing_alg, c.signing_alg);
        assert_eq!(back.secrets, c.secrets);
        assert_eq!((back.session_duration, back.timeout_ms), (60, 900));
        assert_eq!(telemetry.as_deref(), Some("hdr"));
        assert!(config_of(&parse(r#"{"domain":"x"}"#).unwrap()).is_none());
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
