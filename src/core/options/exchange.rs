//! `customTokenExchange` options (BEHAVIOUR.md §2.1, §2.3, §8.2, §9.3): the rules in order, the
//! `authorizationParams` extras and the size limits.

use super::{is_blank, Fault, Faults};
use crate::error::{code, Error, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// One `authorizationParams` value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A string (JavaScript numbers and booleans arrive in their string form).
    Str(String),
    /// Several values: sent as repeated keys, at most [`MAX_PARAM_VALUES`].
    List(Vec<String>),
}

/// Most values one `authorizationParams` array may carry.
pub const MAX_PARAM_VALUES: usize = 20;
/// Longest `subjectToken` and `actorToken`, in UTF-8 bytes (BEHAVIOUR.md §9.3).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// Longest other string option, and longest `authorizationParams` value, in UTF-8 bytes.
pub const MAX_OPTION_BYTES: usize = 8 * 1024;
/// Most UTF-8 bytes of `authorizationParams` altogether, keys and values.
pub const MAX_PARAMS_BYTES: usize = 64 * 1024;

/// Options of [`ServerClient::custom_token_exchange`](crate::ServerClient::custom_token_exchange)
/// and of the login (BEHAVIOUR.md §2).
#[derive(Clone, Debug, Default)]
pub struct CustomTokenExchangeOptions {
    /// The token to exchange, exactly as issued (no `Bearer ` prefix), at most 64 KiB.
    pub subject_token: Secret,
    /// A URN naming the subject token's type, e.g. `urn:acme:legacy-token`.
    pub subject_token_type: String,
    /// The API the access token is for.
    pub audience: Option<String>,
    /// Space-separated scopes (a login adds `openid` when missing).
    pub scope: Option<String>,
    /// For delegation: the acting party's token. Requires `actor_token_type`.
    pub actor_token: Option<Secret>,
    /// The actor token's type URN. Requires `actor_token`.
    pub actor_token_type: Option<String>,
    /// An Auth0 organization id or name.
    pub organization: Option<String>,
    /// The token type asked for (`requested_token_type`, RFC 8693 §2.1), e.g.
    /// `urn:ietf:params:oauth:token-type:jwt`.
    pub requested_token_type: Option<String>,
    /// Extra form parameters, in order.
    pub authorization_params: Vec<(String, ParamValue)>,
}

/// Options of [`ServerClient::request_session_transfer_token`](crate::ServerClient::request_session_transfer_token)
/// (BEHAVIOUR.md §8.3).
#[derive(Clone, Debug, Default)]
pub struct SessionTransferOptions {
    /// The token to exchange, exactly as issued.
    pub subject_token: Secret,
    /// A URN naming the subject token's type.
    pub subject_token_type: String,
    /// Default: the current session's ID token (as `urn:ietf:params:oauth:token-type:id_token`).
    pub actor_token: Option<Secret>,
    /// Required with `actor_token`.
    pub actor_token_type: Option<String>,
    /// Space-separated scopes.
    pub scope: Option<String>,
    /// An Auth0 organization id or name; not blank.
    pub organization: Option<String>,
}

/// Validated exchange input: what goes into the form, and nothing else.
#[derive(Clone, Debug, PartialEq)]
pub struct ExchangeInput {
    /// `subject_token`, exactly as given.
    pub subject_token: Secret,
    /// `subject_token_type`.
    pub subject_token_type: String,
    /// The typed option, or else `authorizationParams.audience` (possibly repeated).
    pub audience: Vec<String>,
    /// The typed option, or else `authorizationParams.scope` (possibly repeated).
    pub scope: Vec<String>,
    /// `actor_token` and `actor_token_type`: both or neither.
    pub actor: Option<(Secret, String)>,
    /// The typed option, or else `authorizationParams.organization` (possibly repeated).
    pub organization: Vec<String>,
    /// `requested_token_type`, sent after `organization` (BEHAVIOUR.md §8.2).
    pub requested_token_type: Option<String>,
    /// Remaining extras in order, reserved keys removed.
    pub extras: Vec<(String, String)>,
    /// The typed `audience` option (for the session's token set), if given.
    pub typed_audience: Option<String>,
    /// The typed `scope` option, if given.
    pub typed_scope: Option<String>,
}

/// Keys `authorizationParams` can never set (BEHAVIOUR.md §2.3, §8.2).
pub const RESERVED_PARAMS: [&str; 10] = [
    "grant_type",
    "client_id",
    "client_secret",
    "client_assertion",
    "client_assertion_type",
    "subject_token",
    "subject_token_type",
    "actor_token",
    "actor_token_type",
    "requested_token_type",
];

/// Keys `authorizationParams` may set only when the typed option is absent.
const TYPED_PARAMS: [&str; 3] = ["audience", "scope", "organization"];

/// Trimmed value starts with `bearer` + whitespace, or is `bearer` alone, any case (BEHAVIOUR.md §2.1
/// rule 4, §8.9): `bearer` after any leading whitespace, then whitespace or nothing.
fn has_bearer_prefix(token: &str) -> bool {
    let mut chars = token.chars().skip_while(|c| c.is_whitespace());
    "bearer".chars().all(|b| chars.next().is_some_and(|c| c.to_ascii_lowercase() == b))
        && chars.next().is_none_or(char::is_whitespace)
}

fn token_error(message: &'static str) -> Error {
    Error::exchange(code::INVALID_TOKEN_FORMAT, message)
}

/// An optional string option: `""` counts as absent; a fault is `invalid_parameter`.
fn optional(
    v: &Option<String>,
    faults: &Faults,
    key: &str,
    message: &'static str,
) -> Result<Option<String>, Error> {
    match v {
        _ if faults.has(key) => Err(Error::exchange(code::INVALID_PARAMETER, message)),
        Some(s) if !s.is_empty() => Ok(Some(s.clone())),
        _ => Ok(None),
    }
}

/// The token type of an ID token acting for a session transfer (RFC 8693 §3).
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";

/// A session transfer's exchange (BEHAVIOUR.md §8.3): its options validated as §2.1 (rules 1 to 7),
/// with a blank `organization` refused. The audience is set once the tenant is known
/// ([`session_transfer_audience`]).
pub fn session_transfer_input(o: &SessionTransferOptions, faults: &Faults) -> Result<ExchangeInput, Error> {
    let exchange = CustomTokenExchangeOptions {
        subject_token: o.subject_token.clone(),
        subject_token_type: o.subject_token_type.clone(),
        scope: o.scope.clone(),
        actor_token: o.actor_token.clone(),
        actor_token_type: o.actor_token_type.clone(),
        organization: o.organization.clone(),
        ..Default::default()
    };
    let input = validate_exchange_options(&exchange, faults)?;
    if o.organization.as_deref().is_some_and(is_blank) {
        return Err(Error::exchange(code::INVALID_PARAMETER, "\"organization\" must not be blank"));
    }
    Ok(input)
}

/// `urn:{domain_host}:session_transfer`, the audience of a session transfer (BEHAVIOUR.md §8.3).
pub fn session_transfer_audience(domain_host: &str) -> String {
    let mut audience = String::from("urn:");
    audience.push_str(domain_host);
    audience.push_str(":session_transfer");
    audience
}

/// A login's scope always asks for `openid`, so that a session always has a user (BEHAVIOUR.md §8.1):
/// put in front of the first value when no value has it (`"a b"` becomes `"openid a b"`, none
/// becomes `"openid"`), never twice.
pub fn with_openid(scope: &mut Vec<String>) {
    if scope.iter().any(|s| s.split_ascii_whitespace().any(|t| t == "openid")) {
        return;
    }
    match scope.first_mut() {
        Some(first) if !first.trim_ascii().is_empty() => first.insert_str(0, "openid "),
        Some(first) => *first = "openid".into(),
        None => scope.push("openid".into()),
    }
}

fn invalid_value() -> Error {
    Error::exchange(
        code::INVALID_PARAMETER,
        "\"authorizationParams\" values must be strings, numbers, booleans or arrays of strings",
    )
}

fn too_many() -> Error {
    Error::exchange(code::INVALID_PARAMETER, "an \"authorizationParams\" array may hold at most 20 values")
}

/// BEHAVIOUR.md §9.3: the size limits, checked before every other rule: what the reader found too long
/// to copy, and what a Rust caller's strings measure.
fn check_sizes(o: &CustomTokenExchangeOptions, faults: &Faults) -> Result<(), Error> {
    let long = |key: &str, len: Option<usize>, limit: usize| {
        faults.of(key) == Some(Fault::TooLong) || len.is_some_and(|n| n > limit)
    };
    if long("subjectToken", Some(o.subject_token.expose().len()), MAX_TOKEN_BYTES) {
        return Err(token_error("\"subjectToken\" is longer than 64 KiB"));
    }
    if long("actorToken", o.actor_token.as_ref().map(|t| t.expose().len()), MAX_TOKEN_BYTES) {
        return Err(token_error("\"actorToken\" is longer than 64 KiB"));
    }
    let options: [(&str, Option<&String>, &'static str); 6] = [
        ("subjectTokenType", Some(&o.subject_token_type), "\"subjectTokenType\" is longer than 8 KiB"),
        ("audience", o.audience.as_ref(), "\"audience\" is longer than 8 KiB"),
        ("scope", o.scope.as_ref(), "\"scope\" is longer than 8 KiB"),
        ("actorTokenType", o.actor_token_type.as_ref(), "\"actorTokenType\" is longer than 8 KiB"),
        ("organization", o.organization.as_ref(), "\"organization\" is longer than 8 KiB"),
        (
            "requestedTokenType",
            o.requested_token_type.as_ref(),
            "\"requestedTokenType\" is longer than 8 KiB",
        ),
    ];
    for (key, v, message) in options {
        if long(key, v.map(String::len), MAX_OPTION_BYTES) {
            return Err(Error::exchange(code::INVALID_PARAMETER, message));
        }
    }
    let all =
        || Error::exchange(code::INVALID_PARAMETER, "\"authorizationParams\" is larger than 64 KiB in all");
    let long_value =
        || Error::exchange(code::INVALID_PARAMETER, "an \"authorizationParams\" value is longer than 8 KiB");
    match faults.of("authorizationParams") {
        Some(Fault::TooLong) => return Err(all()),
        Some(Fault::ValueTooLong) => return Err(long_value()),
        _ => {}
    }
    let mut total = 0usize;
    for (key, value) in &o.authorization_params {
        total += key.len();
        let values = match value {
            ParamValue::Str(s) => core::slice::from_ref(s),
            ParamValue::List(list) => list.as_slice(),
        };
        for s in values {
            if s.len() > MAX_OPTION_BYTES {
                return Err(long_value());
            }
            total += s.len();
        }
    }
    if total > MAX_PARAMS_BYTES {
        return Err(all());
    }
    Ok(())
}

/// BEHAVIOUR.md §2.1: the rules in order, then the `authorizationParams` rules of §2.3. `faults` are
/// what a JavaScript reader found (none for a Rust caller), each refused where its rule stands.
pub fn validate_exchange_options(
    o: &CustomTokenExchangeOptions,
    faults: &Faults,
) -> Result<ExchangeInput, Error> {
    if faults.is_object() {
        check_sizes(o, faults)?;
    }
    // Rule 1
    if !faults.is_object() || faults.has("subjectToken") || faults.has("subjectTokenType") {
        return Err(token_error(
            "\"subjectToken\" and \"subjectTokenType\" are required and must be strings",
        ));
    }
    let (subject_token, subject_token_type) = (&o.subject_token, &o.subject_token_type);
    // Rules 2, 3, 4
    if is_blank(subject_token.expose()) {
        return Err(token_error("\"subjectToken\" must not be blank"));
    }
    if is_blank(subject_token_type) {
        return Err(token_error("\"subjectTokenType\" must not be blank"));
    }
    if has_bearer_prefix(subject_token.expose()) {
        return Err(token_error("\"subjectToken\" must not carry a \"Bearer\" prefix: pass the raw token"));
    }
    // Rule 5
    let actor_token = match &o.actor_token {
        _ if faults.has("actorToken") => return Err(token_error("\"actorToken\" must be a string")),
        None => None,
        Some(t) if is_blank(t.expose()) => return Err(token_error("\"actorToken\" must not be blank")),
        Some(t) if has_bearer_prefix(t.expose()) => {
            return Err(token_error("\"actorToken\" must not carry a \"Bearer\" prefix: pass the raw token"))
        }
        Some(t) => Some(t),
    };
    let actor_type = o.actor_token_type.as_ref().filter(|t| !is_blank(t));
    // Rules 6, 7
    let actor = match (actor_token, actor_type) {
        (Some(_), None) => {
            return Err(Error::exchange(
                code::MISSING_ACTOR_TOKEN_TYPE,
                "\"actorTokenType\" is required when \"actorToken\" is given",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::exchange(
                code::MISSING_ACTOR_TOKEN,
                "\"actorToken\" is required when \"actorTokenType\" is given",
            ))
        }
        (Some(t), Some(tt)) => Some((t.clone(), tt.clone())),
        (None, None) => None,
    };
    // Rule 8
    if faults.has("actorTokenType") {
        return Err(Error::exchange(code::INVALID_PARAMETER, "\"actorTokenType\" must be a string"));
    }
    let audience = optional(&o.audience, faults, "audience", "\"audience\" must be a string")?;
    let scope = optional(&o.scope, faults, "scope", "\"scope\" must be a string")?;
    let organization =
        optional(&o.organization, faults, "organization", "\"organization\" must be a string")?;
    let requested_token_type = match &o.requested_token_type {
        Some(t) if !faults.has("requestedTokenType") && !is_blank(t) => Some(t.clone()),
        None if !faults.has("requestedTokenType") => None,
        _ => {
            return Err(Error::exchange(
                code::INVALID_PARAMETER,
                "\"requestedTokenType\" must be a non-blank string",
            ))
        }
    };
    match faults.of("authorizationParams") {
        Some(Fault::WrongType) => {
            return Err(Error::exchange(code::INVALID_PARAMETER, "\"authorizationParams\" must be an object"))
        }
        Some(Fault::TooManyValues) => return Err(too_many()),
        Some(_) => return Err(invalid_value()),
        None => {}
    }
    let mut input = ExchangeInput {
        subject_token: subject_token.clone(),
        subject_token_type: subject_token_type.clone(),
        audience: audience.clone().map_or_else(Vec::new, |a| vec![a]),
        scope: scope.clone().map_or_else(Vec::new, |s| vec![s]),
        actor,
        organization: organization.map_or_else(Vec::new, |o| vec![o]),
        requested_token_type,
        extras: Vec::new(),
        typed_audience: audience,
        typed_scope: scope,
    };
    for (key, value) in &o.authorization_params {
        let values: Vec<String> = match value {
            ParamValue::List(list) if list.len() > MAX_PARAM_VALUES => return Err(too_many()),
            ParamValue::List(list) => list.clone(),
            ParamValue::Str(s) => vec![s.clone()],
        };
        if RESERVED_PARAMS.contains(&key.as_str()) {
            continue;
        }
        let slot = match key.as_str() {
            "audience" => Some(&mut input.audience),
            "scope" => Some(&mut input.scope),
            "organization" => Some(&mut input.organization),
            _ => None,
        };
        match slot {
            Some(slot) if slot.is_empty() => *slot = values,
            Some(_) => {} // the typed option wins
            None => {
                for v in values {
                    input.extras.push((key.clone(), v));
                }
            }
        }
    }
    debug_assert!(TYPED_PARAMS.iter().all(|k| !input.extras.iter().any(|(e, _)| e == k)));
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{code_of, code_with, raw, wrong};
    use super::*;

    #[test]
    fn rule1_shape() {
        let r = raw("t", "urn:x");
        assert_eq!(code_with(&r, &Faults::not_object()), "invalid_token_format");
        assert_eq!(code_with(&r, &wrong("subjectToken")), "invalid_token_format");
        assert_eq!(code_with(&r, &wrong("subjectTokenType")), "invalid_token_format");
    }

    #[test]
    fn rules_2_to_4_blank_and_bearer() {
        for bad in ["", "   ", "\u{3000}\t\n", "Bearer abc", "bearer\tabc", "  BEARER  abc", "bEaReR\u{a0}x"]
        {
            assert_eq!(code_of(&raw(bad, "urn:x")), "invalid_token_format", "{bad:?}");
        }
        assert_eq!(code_of(&raw("t", " \u{2003}")), "invalid_token_format");
        // BEHAVIOUR.md §8.9: the word alone, trimmed, is a prefix without a token.
        for bad in ["Bearer", "Bearer ", " bEARER\t", "bearer\u{3000}"] {
            assert_eq!(code_of(&raw(bad, "urn:x")), "invalid_token_format", "{bad:?}");
        }
        // Not a prefix: kept and sent as given, untrimmed.
        for ok in ["bearerabc", "Bearer1", " tok ", "my Bearer x"] {
            let v = validate_exchange_options(&raw(ok, "urn:x"), &Faults::NONE).unwrap();
            assert_eq!(v.subject_token.expose(), ok);
        }
    }

    #[test]
    fn session_transfer_options() {
        let transfer = |subject: &str| SessionTransferOptions {
            subject_token: Secret::new(subject),
            subject_token_type: "urn:x".into(),
            ..Default::default()
        };
        let v = session_transfer_input(&transfer("t"), &Faults::NONE).unwrap();
        assert!(v.audience.is_empty() && v.extras.is_empty() && v.actor.is_none(), "no audience yet");
        assert_eq!(
            session_transfer_audience("tenant.auth0.com:8443"),
            "urn:tenant.auth0.com:8443:session_transfer"
        );
        for blank in ["  ", ""] {
            let o = SessionTransferOptions { organization: Some(blank.into()), ..transfer("t") };
            assert_eq!(session_transfer_input(&o, &Faults::NONE).unwrap_err().code(), "invalid_parameter");
        }
        let o = SessionTransferOptions { actor_token_type: Some(ID_TOKEN_TYPE.into()), ..transfer("t") };
        assert_eq!(session_transfer_input(&o, &Faults::NONE).unwrap_err().code(), "missing_actor_token");
        let e = session_transfer_input(&transfer("Bearer x"), &Faults::NONE).unwrap_err();
        assert_eq!(e.code(), "invalid_token_format");
        let e = session_transfer_input(&transfer("t"), &wrong("organization")).unwrap_err();
        assert_eq!(e.code(), "invalid_parameter");
    }

    #[test]
    fn a_login_scope_always_has_openid() {
        let with = |v: &[&str]| {
            let mut s: Vec<String> = v.iter().map(|s| s.to_string()).collect();
            with_openid(&mut s);
            s
        };
        assert_eq!(with(&[]), ["openid"]);
        assert_eq!(with(&["a b"]), ["openid a b"]);
        assert_eq!(with(&["openid"]), ["openid"]);
        assert_eq!(with(&["profile openid email"]), ["profile openid email"]);
        assert_eq!(with(&["a", "openid"]), ["a", "openid"], "a later value has it");
        assert_eq!(with(&["openidx"]), ["openid openidx"], "a token, not a prefix");
        assert_eq!(with(&[" "]), ["openid"]);
    }

    #[test]
    fn requested_token_type_is_typed_sent_after_organization_and_reserved() {
        let mut r = raw("t", "urn:x");
        r.requested_token_type = Some("urn:ietf:params:oauth:token-type:jwt".into());
        r.authorization_params = vec![("requested_token_type".into(), ParamValue::Str("urn:evil".into()))];
        let v = validate_exchange_options(&r, &Faults::NONE).unwrap();
        assert_eq!(v.requested_token_type.as_deref(), Some("urn:ietf:params:oauth:token-type:jwt"));
        assert!(v.extras.is_empty(), "authorizationParams can never set it");
        for bad in ["  ", ""] {
            let mut r = raw("t", "urn:x");
            r.requested_token_type = Some(bad.into());
            assert_eq!(code_of(&r), "invalid_parameter");
        }
        assert_eq!(code_with(&raw("t", "urn:x"), &wrong("requestedTokenType")), "invalid_parameter");
    }

    #[test]
    fn size_limits_come_first() {
        let at = |n: usize| "a".repeat(n);
        let long = |key: &'static str| {
            let mut f = Faults::NONE;
            f.note(key, Fault::TooLong);
            f
        };
        // Tokens: 64 KiB of UTF-8 (a 3-byte character counts 3).
        assert!(validate_exchange_options(&raw(&at(MAX_TOKEN_BYTES), "urn:x"), &Faults::NONE).is_ok());
        assert_eq!(code_of(&raw(&at(MAX_TOKEN_BYTES + 1), "urn:x")), "invalid_token_format");
        let wide = "\u{20ac}".repeat(MAX_TOKEN_BYTES / 3 + 1);
        assert_eq!(code_of(&raw(&wide, "urn:x")), "invalid_token_format");
        // Found too long by the reader: first, even before a wrong type of rule 1.
        let mut f = long("subjectToken");
        f.note("subjectTokenType", Fault::WrongType);
        assert_eq!(code_with(&raw("", "urn:x"), &f), "invalid_token_format");
        let e = validate_exchange_options(&raw("", "urn:x"), &f).unwrap_err();
        assert!(e.message().contains("64 KiB"));
        let mut r = raw("t", "urn:x");
        r.actor_token = Some(Secret::new(at(MAX_TOKEN_BYTES + 1)));
        r.actor_token_type = Some("urn:y".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        // Other options: 8 KiB; before rule 2 (a blank subject token).
        let mut r = raw("", "urn:x");
        r.scope = Some(at(MAX_OPTION_BYTES + 1));
        assert_eq!(code_of(&r), "invalid_parameter");
        let mut r = raw("t", "urn:x");
        r.audience = Some(at(MAX_OPTION_BYTES));
        assert!(validate_exchange_options(&r, &Faults::NONE).is_ok());
        assert_eq!(code_with(&r, &long("organization")), "invalid_parameter");
        // authorizationParams: 8 KiB a value (also in a list), 64 KiB in all.
        let params = |p: Vec<(&str, ParamValue)>| {
            let mut r = raw("t", "urn:x");
            r.authorization_params = p.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            r
        };
        let ok = params(vec![("x", ParamValue::Str(at(MAX_OPTION_BYTES)))]);
        assert!(validate_exchange_options(&ok, &Faults::NONE).is_ok());
        for bad in [
            params(vec![("x", ParamValue::Str(at(MAX_OPTION_BYTES + 1)))]),
            params(vec![("x", ParamValue::List(vec!["a".into(), at(MAX_OPTION_BYTES + 1)]))]),
            params((0..9).map(|_| ("k", ParamValue::Str(at(MAX_OPTION_BYTES)))).collect()),
        ] {
            assert_eq!(code_of(&bad), "invalid_parameter");
        }
        for fault in [Fault::TooLong, Fault::ValueTooLong] {
            let mut f = Faults::NONE;
            f.note("authorizationParams", fault);
            // Before rule 2.
            assert_eq!(code_with(&raw("", "urn:x"), &f), "invalid_parameter");
        }
    }

    #[test]
    fn rule_order_is_kept() {
        // Rule 2 before rule 8.
        assert_eq!(code_with(&raw("", "urn:x"), &wrong("audience")), "invalid_token_format");
        // Rule 4 before rule 8: a wrong-typed audience loses to a Bearer subject token.
        assert_eq!(code_with(&raw("Bearer x", "urn:x"), &wrong("audience")), "invalid_token_format");
        // Rule 3 before rule 4.
        assert_eq!(code_of(&raw("Bearer x", "")), "invalid_token_format");
        // Rule 5 before rule 6.
        let mut r = raw("t", "urn:x");
        r.actor_token = Some("Bearer a".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        // Rule 6 before rule 8.
        let mut r = raw("t", "urn:x");
        r.actor_token = Some("a".into());
        assert_eq!(code_with(&r, &wrong("scope")), "missing_actor_token_type");
        // A wrong-typed actor token type is absent for rules 6 and 7, then refused by rule 8.
        assert_eq!(code_with(&r, &wrong("actorTokenType")), "missing_actor_token_type");
        assert_eq!(code_with(&raw("t", "urn:x"), &wrong("actorTokenType")), "invalid_parameter");
    }

    #[test]
    fn rules_5_to_7_actor() {
        let mut r = raw("t", "urn:x");
        r.actor_token = Some("".into());
        r.actor_token_type = Some("urn:y".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        r.actor_token = None;
        assert_eq!(code_with(&r, &wrong("actorToken")), "invalid_token_format");
        r.actor_token = Some("a".into());
        r.actor_token_type = Some("  ".into());
        assert_eq!(code_of(&r), "missing_actor_token_type");
        r.actor_token_type = None;
        assert_eq!(code_of(&r), "missing_actor_token_type");
        let mut r = raw("t", "urn:x");
        r.actor_token_type = Some("urn:y".into());
        assert_eq!(code_of(&r), "missing_actor_token");
        // A blank actor type without an actor token is simply absent.
        r.actor_token_type = Some(" ".into());
        assert_eq!(validate_exchange_options(&r, &Faults::NONE).unwrap().actor, None);
        // Both given.
        r.actor_token = Some("a".into());
        r.actor_token_type = Some("urn:y".into());
        let v = validate_exchange_options(&r, &Faults::NONE).unwrap();
        assert_eq!(v.actor, Some((Secret::new("a"), "urn:y".into())));
    }

    #[test]
    fn rule8_wrong_types() {
        for key in ["audience", "scope", "organization", "authorizationParams"] {
            assert_eq!(code_with(&raw("t", "urn:x"), &wrong(key)), "invalid_parameter", "{key}");
        }
        for fault in [Fault::ValueInvalid, Fault::TooManyValues] {
            let mut f = Faults::NONE;
            f.note("authorizationParams", fault);
            assert_eq!(code_with(&raw("t", "urn:x"), &f), "invalid_parameter");
        }
        let mut r = raw("t", "urn:x");
        r.authorization_params = vec![("x".into(), ParamValue::List(vec!["v".into(); 21]))];
        assert_eq!(code_of(&r), "invalid_parameter");
        r.authorization_params = vec![("x".into(), ParamValue::List(vec!["v".into(); 20]))];
        assert_eq!(validate_exchange_options(&r, &Faults::NONE).unwrap().extras.len(), 20);
        // Even a reserved key with too many values is an error (values are checked first).
        r.authorization_params = vec![("grant_type".into(), ParamValue::List(vec!["v".into(); 21]))];
        assert_eq!(code_of(&r), "invalid_parameter");
    }

    #[test]
    fn empty_optional_counts_as_absent() {
        let mut r = raw("t", "urn:x");
        r.audience = Some("".into());
        r.authorization_params = vec![("audience".into(), ParamValue::Str("https://api".into()))];
        let v = validate_exchange_options(&r, &Faults::NONE).unwrap();
        assert_eq!(v.audience, vec!["https://api".to_string()]);
        assert_eq!(v.typed_audience, None);
    }

    #[test]
    fn authorization_params_rules() {
        let mut r = raw("t", "urn:x");
        r.scope = Some("openid".into());
        r.authorization_params = vec![
            ("grant_type".into(), ParamValue::Str("password".into())),
            ("client_secret".into(), ParamValue::Str("x".into())),
            ("actor_token".into(), ParamValue::Str("sneaky".into())),
            ("actor_token_type".into(), ParamValue::Str("urn:y".into())),
            ("subject_token".into(), ParamValue::Str("other".into())),
            ("Grant_Type".into(), ParamValue::Str("kept".into())),
            ("scope".into(), ParamValue::Str("ignored".into())),
            ("organization".into(), ParamValue::List(vec!["org_1".into()])),
            ("resource".into(), ParamValue::List(vec!["a".into(), "b".into()])),
            ("n".into(), ParamValue::Str("42".into())),
            ("empty".into(), ParamValue::Str("".into())),
        ];
        let v = validate_exchange_options(&r, &Faults::NONE).unwrap();
        assert_eq!(v.scope, vec!["openid".to_string()]);
        assert_eq!(v.organization, vec!["org_1".to_string()]);
        assert_eq!(v.actor, None);
        assert_eq!(v.subject_token.expose(), "t");
        let extras: Vec<(&str, &str)> = v.extras.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            extras,
            vec![("Grant_Type", "kept"), ("resource", "a"), ("resource", "b"), ("n", "42"), ("empty", "")]
        );
    }
}
