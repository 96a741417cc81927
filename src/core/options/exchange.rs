//! `customTokenExchange` options (SPEC §2.1, §2.3, §8.2, §9.3): the rules in order, the
//! `authorizationParams` extras and the size limits.

use super::{is_blank, Input};
use crate::error::{code, Error, Secret};
#[allow(unused_imports)]
use crate::prelude::*;

/// One `authorizationParams` value.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A string, or a number/boolean already turned into its JavaScript string form.
    Str(String),
    /// An array of strings: sent as repeated keys.
    List(Vec<String>),
    /// `null`/`undefined`: omitted.
    Absent,
    /// An object, a function, an array with a non-string member: `invalid_parameter`.
    Invalid,
    /// Longer than [`MAX_OPTION_BYTES`], found before it was copied into wasm memory.
    TooLong,
    /// An array of more than [`MAX_PARAM_VALUES`] values, found before it was copied.
    TooMany,
}

/// Most values one `authorizationParams` array may carry.
pub const MAX_PARAM_VALUES: usize = 20;
/// Longest `subjectToken` and `actorToken`, in UTF-8 bytes (SPEC §9.3).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// Longest other string option, and longest `authorizationParams` value, in UTF-8 bytes.
pub const MAX_OPTION_BYTES: usize = 8 * 1024;
/// Most UTF-8 bytes of `authorizationParams` altogether, keys and values.
pub const MAX_PARAMS_BYTES: usize = 64 * 1024;

/// `customTokenExchange` options as given.
#[derive(Clone, Debug)]
pub struct RawExchangeOptions {
    /// False when the options argument itself is not an object (SPEC §2.1 rule 1).
    pub is_object: bool,
    /// `subjectToken`: the token to exchange.
    pub subject_token: Input<Secret>,
    /// `subjectTokenType`: the type of `subjectToken`.
    pub subject_token_type: Input,
    /// `audience`.
    pub audience: Input,
    /// `scope`.
    pub scope: Input,
    /// `actorToken`: the token of the party acting for the subject.
    pub actor_token: Input<Secret>,
    /// `actorTokenType`: the type of `actorToken`.
    pub actor_token_type: Input,
    /// `organization`.
    pub organization: Input,
    /// `requestedTokenType` (SPEC §8.2).
    pub requested_token_type: Input,
    /// `authorizationParams`: absent, an object's own entries in order, or not an object.
    pub authorization_params: Input<Vec<(String, ParamValue)>>,
}

impl Default for RawExchangeOptions {
    fn default() -> Self {
        RawExchangeOptions {
            is_object: true,
            subject_token: Input::Absent,
            subject_token_type: Input::Absent,
            audience: Input::Absent,
            scope: Input::Absent,
            actor_token: Input::Absent,
            actor_token_type: Input::Absent,
            organization: Input::Absent,
            requested_token_type: Input::Absent,
            authorization_params: Input::Absent,
        }
    }
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
    /// `requested_token_type`, sent after `organization` (SPEC §8.2).
    pub requested_token_type: Option<String>,
    /// Remaining extras in order, reserved keys removed.
    pub extras: Vec<(String, String)>,
    /// The typed `audience` option (for the session's token set), if given.
    pub typed_audience: Option<String>,
    /// The typed `scope` option, if given.
    pub typed_scope: Option<String>,
}

/// Keys `authorizationParams` can never set (SPEC §2.3, §8.2).
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

/// Trimmed value starts with `bearer` + whitespace, or is `bearer` alone, any case (SPEC §2.1
/// rule 4, §8.9): `bearer` after any leading whitespace, then whitespace or nothing.
fn has_bearer_prefix(token: &str) -> bool {
    let mut chars = token.chars().skip_while(|c| c.is_whitespace());
    "bearer".chars().all(|b| chars.next().is_some_and(|c| c.to_ascii_lowercase() == b))
        && chars.next().is_none_or(char::is_whitespace)
}

fn token_error(message: &'static str) -> Error {
    Error::exchange(code::INVALID_TOKEN_FORMAT, message)
}

/// An optional string option: `""` counts as absent; a wrong type is `invalid_parameter`.
fn optional(v: &Input, name: &'static str) -> Result<Option<String>, Error> {
    match v {
        Input::Absent => Ok(None),
        Input::Given(s) if s.is_empty() => Ok(None),
        Input::Given(s) => Ok(Some(s.clone())),
        Input::WrongType | Input::TooLong => Err(Error::exchange(code::INVALID_PARAMETER, name)),
    }
}

/// The token type of an ID token acting for a session transfer (RFC 8693 §3).
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";

/// A session transfer's exchange (SPEC §8.3): `subjectToken`, `subjectTokenType`, the actor pair,
/// `scope` and `organization` validated as §2.1 (rules 1 to 7) with a blank `organization`
/// refused. Other keys of `raw` are ignored; the audience is set once the tenant is known
/// ([`session_transfer_audience`]).
pub fn session_transfer_input(raw: &RawExchangeOptions) -> Result<ExchangeInput, Error> {
    let raw = RawExchangeOptions {
        audience: Input::Absent,
        requested_token_type: Input::Absent,
        authorization_params: Input::Absent,
        ..raw.clone()
    };
    let input = validate_exchange_options(&raw)?;
    if matches!(&raw.organization, Input::Given(o) if is_blank(o)) {
        return Err(Error::exchange(code::INVALID_PARAMETER, "\"organization\" must not be blank"));
    }
    Ok(input)
}

/// `urn:{domain_host}:session_transfer`, the audience of a session transfer (SPEC §8.3).
pub fn session_transfer_audience(domain_host: &str) -> String {
    let mut audience = String::from("urn:");
    audience.push_str(domain_host);
    audience.push_str(":session_transfer");
    audience
}

/// A login's scope always asks for `openid`, so that a session always has a user (SPEC §8.1):
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

fn too_many() -> Error {
    Error::exchange(code::INVALID_PARAMETER, "an \"authorizationParams\" array may hold at most 20 values")
}

/// Whether a string option is over `limit` UTF-8 bytes (or was found so before being copied).
fn too_long<T>(v: &Input<T>, len: impl Fn(&T) -> usize, limit: usize) -> bool {
    match v {
        Input::TooLong => true,
        Input::Given(s) => len(s) > limit,
        _ => false,
    }
}

/// SPEC §9.3: the size limits, checked before every other rule.
fn check_sizes(raw: &RawExchangeOptions) -> Result<(), Error> {
    if too_long(&raw.subject_token, |t| t.expose().len(), MAX_TOKEN_BYTES) {
        return Err(token_error("\"subjectToken\" is longer than 64 KiB"));
    }
    if too_long(&raw.actor_token, |t| t.expose().len(), MAX_TOKEN_BYTES) {
        return Err(token_error("\"actorToken\" is longer than 64 KiB"));
    }
    let options: [(&Input, &'static str); 6] = [
        (&raw.subject_token_type, "\"subjectTokenType\" is longer than 8 KiB"),
        (&raw.audience, "\"audience\" is longer than 8 KiB"),
        (&raw.scope, "\"scope\" is longer than 8 KiB"),
        (&raw.actor_token_type, "\"actorTokenType\" is longer than 8 KiB"),
        (&raw.organization, "\"organization\" is longer than 8 KiB"),
        (&raw.requested_token_type, "\"requestedTokenType\" is longer than 8 KiB"),
    ];
    for (v, message) in options {
        if too_long(v, String::len, MAX_OPTION_BYTES) {
            return Err(Error::exchange(code::INVALID_PARAMETER, message));
        }
    }
    let all =
        || Error::exchange(code::INVALID_PARAMETER, "\"authorizationParams\" is larger than 64 KiB in all");
    let params = match &raw.authorization_params {
        Input::TooLong => return Err(all()),
        Input::Given(p) => p,
        _ => return Ok(()),
    };
    let mut total = 0usize;
    for (key, value) in params {
        let long = || {
            Error::exchange(code::INVALID_PARAMETER, "an \"authorizationParams\" value is longer than 8 KiB")
        };
        total += key.len();
        match value {
            ParamValue::TooLong => return Err(long()),
            ParamValue::Str(s) if s.len() > MAX_OPTION_BYTES => return Err(long()),
            ParamValue::Str(s) => total += s.len(),
            ParamValue::List(list) => {
                for s in list {
                    if s.len() > MAX_OPTION_BYTES {
                        return Err(long());
                    }
                    total += s.len();
                }
            }
            ParamValue::Absent | ParamValue::Invalid | ParamValue::TooMany => {}
        }
    }
    if total > MAX_PARAMS_BYTES {
        return Err(all());
    }
    Ok(())
}

/// SPEC §2.1: the rules in order, then the `authorizationParams` rules of §2.3.
pub fn validate_exchange_options(raw: &RawExchangeOptions) -> Result<ExchangeInput, Error> {
    if raw.is_object {
        check_sizes(raw)?;
    }
    // Rule 1
    let (subject_token, subject_token_type) =
        match (&raw.is_object, &raw.subject_token, &raw.subject_token_type) {
            (true, Input::Given(t), Input::Given(tt)) => (t, tt),
            _ => {
                return Err(token_error(
                    "\"subjectToken\" and \"subjectTokenType\" are required and must be strings",
                ))
            }
        };
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
    let actor_token = match &raw.actor_token {
        Input::Absent => None,
        Input::WrongType | Input::TooLong => return Err(token_error("\"actorToken\" must be a string")),
        Input::Given(t) if is_blank(t.expose()) => {
            return Err(token_error("\"actorToken\" must not be blank"))
        }
        Input::Given(t) if has_bearer_prefix(t.expose()) => {
            return Err(token_error("\"actorToken\" must not carry a \"Bearer\" prefix: pass the raw token"))
        }
        Input::Given(t) => Some(t),
    };
    let actor_type = raw.actor_token_type.given().filter(|t| !is_blank(t));
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
    if raw.actor_token_type == Input::WrongType {
        return Err(Error::exchange(code::INVALID_PARAMETER, "\"actorTokenType\" must be a string"));
    }
    let audience = optional(&raw.audience, "\"audience\" must be a string")?;
    let scope = optional(&raw.scope, "\"scope\" must be a string")?;
    let organization = optional(&raw.organization, "\"organization\" must be a string")?;
    let requested_token_type = match &raw.requested_token_type {
        Input::Absent => None,
        Input::Given(t) if !is_blank(t) => Some(t.clone()),
        _ => {
            return Err(Error::exchange(
                code::INVALID_PARAMETER,
                "\"requestedTokenType\" must be a non-blank string",
            ))
        }
    };
    let params: &[(String, ParamValue)] = match &raw.authorization_params {
        Input::Absent => &[],
        Input::Given(p) => p,
        Input::WrongType | Input::TooLong => {
            return Err(Error::exchange(code::INVALID_PARAMETER, "\"authorizationParams\" must be an object"))
        }
    };
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
    for (key, value) in params {
        let values: Vec<String> =
            match value {
                ParamValue::Absent => continue,
                ParamValue::Invalid | ParamValue::TooLong => return Err(Error::exchange(
                    code::INVALID_PARAMETER,
                    "\"authorizationParams\" values must be strings, numbers, booleans or arrays of strings",
                )),
                ParamValue::TooMany => return Err(too_many()),
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
    use super::super::test_support::{code_of, raw};
    use super::*;

    #[test]
    fn rule1_shape() {
        let mut r = raw("t", "urn:x");
        r.is_object = false;
        assert_eq!(code_of(&r), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.subject_token = Input::WrongType;
        assert_eq!(code_of(&r), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.subject_token_type = Input::Absent;
        assert_eq!(code_of(&r), "invalid_token_format");
    }

    #[test]
    fn rules_2_to_4_blank_and_bearer() {
        for bad in ["", "   ", "\u{3000}\t\n", "Bearer abc", "bearer\tabc", "  BEARER  abc", "bEaReR\u{a0}x"]
        {
            assert_eq!(code_of(&raw(bad, "urn:x")), "invalid_token_format", "{bad:?}");
        }
        assert_eq!(code_of(&raw("t", " \u{2003}")), "invalid_token_format");
        // Not a prefix: kept and sent as given, untrimmed.
        // SPEC §8.9: the word alone, trimmed, is a prefix without a token.
        for bad in ["Bearer", "Bearer ", " bEARER\t", "bearer\u{3000}"] {
            assert_eq!(code_of(&raw(bad, "urn:x")), "invalid_token_format", "{bad:?}");
        }
        for ok in ["bearerabc", "Bearer1", " tok ", "my Bearer x"] {
            let v = validate_exchange_options(&raw(ok, "urn:x")).unwrap();
            assert_eq!(v.subject_token.expose(), ok);
        }
    }

    #[test]
    fn session_transfer_options() {
        let mut r = raw("t", "urn:x");
        r.audience = Input::Given("https://not-this".into());
        r.authorization_params = Input::Given(vec![("audience".into(), ParamValue::Str("no".into()))]);
        let v = session_transfer_input(&r).unwrap();
        assert!(
            v.audience.is_empty() && v.extras.is_empty() && v.actor.is_none(),
            "no audience of the caller's"
        );
        assert_eq!(
            session_transfer_audience("tenant.auth0.com:8443"),
            "urn:tenant.auth0.com:8443:session_transfer"
        );
        let mut r = raw("t", "urn:x");
        r.organization = Input::Given("  ".into());
        assert_eq!(session_transfer_input(&r).unwrap_err().code(), "invalid_parameter");
        let mut r = raw("t", "urn:x");
        r.actor_token_type = Input::Given(ID_TOKEN_TYPE.into());
        assert_eq!(session_transfer_input(&r).unwrap_err().code(), "missing_actor_token");
        assert_eq!(
            session_transfer_input(&raw("Bearer x", "urn:x")).unwrap_err().code(),
            "invalid_token_format"
        );
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
        r.requested_token_type = Input::Given("urn:ietf:params:oauth:token-type:jwt".into());
        r.authorization_params =
            Input::Given(vec![("requested_token_type".into(), ParamValue::Str("urn:evil".into()))]);
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.requested_token_type.as_deref(), Some("urn:ietf:params:oauth:token-type:jwt"));
        assert!(v.extras.is_empty(), "authorizationParams can never set it");
        for bad in [Input::Given("  ".into()), Input::Given(String::new()), Input::WrongType] {
            let mut r = raw("t", "urn:x");
            r.requested_token_type = bad;
            assert_eq!(code_of(&r), "invalid_parameter");
        }
    }

    #[test]
    fn size_limits_come_first() {
        let at = |n: usize| "a".repeat(n);
        // Tokens: 64 KiB of UTF-8 (a 3-byte character counts 3).
        assert!(validate_exchange_options(&raw(&at(MAX_TOKEN_BYTES), "urn:x")).is_ok());
        assert_eq!(code_of(&raw(&at(MAX_TOKEN_BYTES + 1), "urn:x")), "invalid_token_format");
        let wide = "\u{20ac}".repeat(MAX_TOKEN_BYTES / 3 + 1);
        assert_eq!(code_of(&raw(&wide, "urn:x")), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.subject_token = Input::TooLong;
        assert_eq!(code_of(&r), "invalid_token_format");
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given(Secret::new(at(MAX_TOKEN_BYTES + 1)));
        r.actor_token_type = Input::Given("urn:y".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        // Other options: 8 KiB; before rule 2 (a blank subject token).
        let mut r = raw("", "urn:x");
        r.scope = Input::Given(at(MAX_OPTION_BYTES + 1));
        assert_eq!(code_of(&r), "invalid_parameter");
        let mut r = raw("t", "urn:x");
        r.audience = Input::Given(at(MAX_OPTION_BYTES));
        assert!(validate_exchange_options(&r).is_ok());
        r.organization = Input::TooLong;
        assert_eq!(code_of(&r), "invalid_parameter");
        // authorizationParams: 8 KiB a value (also in a list), 64 KiB in all.
        let params = |p: Vec<(&str, ParamValue)>| {
            let mut r = raw("t", "urn:x");
            r.authorization_params = Input::Given(p.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
            r
        };
        assert!(
            validate_exchange_options(&params(vec![("x", ParamValue::Str(at(MAX_OPTION_BYTES)))])).is_ok()
        );
        for bad in [
            params(vec![("x", ParamValue::Str(at(MAX_OPTION_BYTES + 1)))]),
            params(vec![("x", ParamValue::List(vec!["a".into(), at(MAX_OPTION_BYTES + 1)]))]),
            params(vec![("x", ParamValue::TooLong)]),
            params((0..9).map(|_| ("k", ParamValue::Str(at(MAX_OPTION_BYTES)))).collect()),
        ] {
            assert_eq!(code_of(&bad), "invalid_parameter");
        }
        let mut r = raw("t", "urn:x");
        r.authorization_params = Input::TooLong;
        assert_eq!(code_of(&r), "invalid_parameter");
    }

    #[test]
    fn rule_order_is_kept() {
        // Rule 2 before rule 8.
        let mut r = raw("", "urn:x");
        r.audience = Input::WrongType;
        assert_eq!(code_of(&r), "invalid_token_format");
        // Rule 3 before rule 4.
        assert_eq!(code_of(&raw("Bearer x", "")), "invalid_token_format");
        // Rule 5 before rule 6.
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given("Bearer a".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        // Rule 6 before rule 8.
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given("a".into());
        r.scope = Input::WrongType;
        assert_eq!(code_of(&r), "missing_actor_token_type");
    }

    #[test]
    fn rules_5_to_7_actor() {
        let mut r = raw("t", "urn:x");
        r.actor_token = Input::Given("".into());
        r.actor_token_type = Input::Given("urn:y".into());
        assert_eq!(code_of(&r), "invalid_token_format");
        r.actor_token = Input::WrongType;
        assert_eq!(code_of(&r), "invalid_token_format");
        r.actor_token = Input::Given("a".into());
        r.actor_token_type = Input::Given("  ".into());
        assert_eq!(code_of(&r), "missing_actor_token_type");
        r.actor_token_type = Input::Absent;
        assert_eq!(code_of(&r), "missing_actor_token_type");
        let mut r = raw("t", "urn:x");
        r.actor_token_type = Input::Given("urn:y".into());
        assert_eq!(code_of(&r), "missing_actor_token");
        // A blank actor type without an actor token is simply absent.
        r.actor_token_type = Input::Given(" ".into());
        assert_eq!(validate_exchange_options(&r).unwrap().actor, None);
        // Both given.
        r.actor_token = Input::Given("a".into());
        r.actor_token_type = Input::Given("urn:y".into());
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.actor, Some((Secret::new("a"), "urn:y".into())));
    }

    #[test]
    fn rule8_wrong_types() {
        for field in 0..5 {
            let mut r = raw("t", "urn:x");
            match field {
                0 => r.audience = Input::WrongType,
                1 => r.scope = Input::WrongType,
                2 => r.organization = Input::WrongType,
                3 => r.authorization_params = Input::WrongType,
                _ => r.authorization_params = Input::Given(vec![("x".into(), ParamValue::Invalid)]),
            }
            assert_eq!(code_of(&r), "invalid_parameter", "field {field}");
        }
        let mut r = raw("t", "urn:x");
        r.authorization_params = Input::Given(vec![("x".into(), ParamValue::List(vec!["v".into(); 21]))]);
        assert_eq!(code_of(&r), "invalid_parameter");
        r.authorization_params = Input::Given(vec![("x".into(), ParamValue::List(vec!["v".into(); 20]))]);
        assert_eq!(validate_exchange_options(&r).unwrap().extras.len(), 20);
        // Even a reserved key with an invalid value is an error (values are checked first).
        r.authorization_params = Input::Given(vec![("grant_type".into(), ParamValue::Invalid)]);
        assert_eq!(code_of(&r), "invalid_parameter");
    }

    #[test]
    fn empty_optional_counts_as_absent() {
        let mut r = raw("t", "urn:x");
        r.audience = Input::Given("".into());
        r.authorization_params =
            Input::Given(vec![("audience".into(), ParamValue::Str("https://api".into()))]);
        let v = validate_exchange_options(&r).unwrap();
        assert_eq!(v.audience, vec!["https://api".to_string()]);
        assert_eq!(v.typed_audience, None);
    }

    #[test]
    fn authorization_params_rules() {
        let mut r = raw("t", "urn:x");
        r.scope = Input::Given("openid".into());
        r.authorization_params = Input::Given(vec![
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
            ("gone".into(), ParamValue::Absent),
            ("empty".into(), ParamValue::Str("".into())),
        ]);
        let v = validate_exchange_options(&r).unwrap();
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
