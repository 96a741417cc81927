//! JWT (RFC 7519) parsing and ID token claim checks (BEHAVIOUR.md §2.5, §3.2). Signatures are verified by
//! the host's WebCrypto; this module picks the key and checks everything else.

use super::encoding::{base64url_decode, split_byte};
use super::options::SigningAlg;
use super::response::{floor_int, Member};
use crate::error::{code, Error, ErrorKind};
#[allow(unused_imports)]
use crate::prelude::*;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Clock skew allowed on `exp` and `iat`, in seconds.
pub const LEEWAY: i64 = 60;

/// A compact JWS split into its parts, the header checked. The payload is JSON text for the host
/// to parse (its claims are checked by [`check_id_token_claims`] after the signature).
/// `Debug` shows the algorithm and key id only (the rest is a token).
#[derive(Clone)]
pub struct Jwt {
    /// The header's `alg`: one of the algorithms accepted.
    pub alg: SigningAlg,
    /// The header's `kid`, when it is a string.
    pub kid: Option<String>,
    /// The header's `typ`, as it came.
    pub typ: Member,
    /// The payload segment, base64url-decoded: JSON text.
    pub payload: Vec<u8>,
    /// `header.payload` as sent: the bytes the signature covers.
    pub signing_input: String,
    /// The signature segment, base64url-decoded; never empty.
    pub signature: Vec<u8>,
}

impl core::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Jwt").field("alg", &self.alg).field("kid", &self.kid).finish_non_exhaustive()
    }
}

/// What a compact JWS is read as: it names the token in messages and picks the error family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An ID token (or a token the client itself received): `IdTokenError`, BEHAVIOUR.md §3.2's codes.
    IdToken,
    /// An access token presented to an API: `VerifyAccessTokenError` `invalid_token` (RFC 6750
    /// §3.1) whatever failed, the message naming the check (BEHAVIOUR.md §13.2).
    AccessToken,
}

impl TokenKind {
    /// The error for a failed check: `rest` follows "the ID token" or "the access token".
    #[inline(never)]
    pub fn error(self, id_token_code: &'static str, rest: &'static str) -> Error {
        let mut message = String::from(match self {
            TokenKind::IdToken => "the ID token",
            TokenKind::AccessToken => "the access token",
        });
        message.push_str(rest);
        match self {
            TokenKind::IdToken => Error::id_token(id_token_code, message),
            TokenKind::AccessToken => Error::new(ErrorKind::VerifyAccessToken, code::INVALID_TOKEN, message),
        }
    }

    fn invalid(self, rest: &'static str) -> Error {
        self.error(code::INVALID_TOKEN, rest)
    }

    /// A header or payload that is not a base64url-encoded JSON object: `invalid_token`.
    pub fn not_json(self) -> Error {
        self.invalid("'s header or payload is not base64url JSON")
    }
}

/// The JOSE header members the core reads (RFC 7515 §4.1).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Header {
    /// `alg`: only RS256, PS256 and ES256 are accepted.
    pub alg: Member,
    /// `kid`: which JWKS key signed the token, when the header names one.
    pub kid: Member,
    /// `crit`: must be absent (no extension is understood).
    pub crit: Member,
    /// `typ`: an access token's must be `at+jwt` or `JWT` when present (RFC 9068 §2.1).
    pub typ: Member,
}

/// Reads a header segment's JSON text into a [`Header`], or `None` when it is not a JSON object:
/// the host's `JSON.parse` in wasm, serde_json in native tests.
pub type ParseHeader<'a> = &'a dyn Fn(&[u8]) -> Option<Header>;

/// Splits a compact JWS and checks its header (read by `parse`). Only RS256, PS256 and ES256 are
/// accepted: `none`, HS256 and anything else are `invalid_token` before any key is looked at.
pub fn decode(token: &str, parse: ParseHeader<'_>, kind: TokenKind) -> Result<Jwt, Error> {
    let (h, p, s) = segments(token, kind)?;
    let header = base64url_decode(h).and_then(|b| parse(&b)).ok_or_else(|| kind.not_json())?;
    let alg = header
        .alg
        .as_str()
        .and_then(SigningAlg::parse)
        .ok_or_else(|| kind.invalid("'s \"alg\" is not one of RS256, PS256, ES256"))?;
    if header.crit != Member::Absent {
        return Err(kind.invalid(" has a \"crit\" header this client does not understand"));
    }
    let payload = base64url_decode(p).ok_or_else(|| kind.not_json())?;
    let signature = base64url_decode(s)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| kind.invalid("'s signature is not base64url"))?;
    Ok(Jwt {
        alg,
        kid: header.kid.as_str().map(str::to_owned),
        typ: header.typ,
        payload,
        signing_input: token.get(..h.len() + 1 + p.len()).unwrap_or_default().to_owned(),
        signature,
    })
}

/// The one claim read from an access token: its `exp`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ExpClaim {
    /// `exp`: seconds since the epoch when it is a number; anything else is not used.
    pub exp: Member,
}

/// Reads a JSON object into [`ExpClaim`] (`JSON.parse` in wasm, serde_json in native tests).
pub type ParseExp<'a> = &'a dyn Fn(&[u8]) -> Option<ExpClaim>;

/// The `exp` of a token that is a compact JWS with a numeric `exp`, read without verification:
/// only to know when a stored access token is due (BEHAVIOUR.md §8.6), never to trust what it says.
pub fn unverified_exp(token: &str, parse: ParseExp<'_>) -> Option<i64> {
    let (_, payload, _) = segments(token, TokenKind::IdToken).ok()?;
    seconds(&parse(&base64url_decode(payload)?)?.exp)
}

/// The three segments of a compact JWS (header, payload, signature), not yet decoded.
fn segments(token: &str, kind: TokenKind) -> Result<(&str, &str, &str), Error> {
    let mut parts = split_byte(token, b'.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok((h, p, s)),
        _ => Err(kind.invalid(" is not a compact JWS")),
    }
}

/// `aud`: one audience or several (RFC 7519 §4.1.3).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Audience {
    /// No `aud` claim.
    #[default]
    Absent,
    /// A single audience, as a string.
    One(String),
    /// An array of audiences; members that are not strings match no client.
    Many(Vec<Member>),
    /// Any other JSON value: matches no client.
    Other,
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Aud;
        impl<'de> Visitor<'de> for Aud {
            type Value = Audience;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("an audience")
            }
            fn visit_str<E>(self, v: &str) -> Result<Audience, E> {
                Ok(Audience::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                let mut list = Vec::new();
                while let Some(m) = seq.next_element::<Member>()? {
                    list.push(m);
                }
                Ok(Audience::Many(list))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Audience, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Audience::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Audience, E> {
                Ok(Audience::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Audience, E> {
                Ok(Audience::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Audience, E> {
                Ok(Audience::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Audience, E> {
                Ok(Audience::Other)
            }
            fn visit_unit<E>(self) -> Result<Audience, E> {
                Ok(Audience::Other)
            }
        }
        d.deserialize_any(Aud)
    }
}

/// The ID token claims the core checks or reads (OpenID Connect Core §2); the claims object
/// itself stays with the host (it becomes the session's `user`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Claims {
    /// `iss`: must be the discovered issuer.
    pub iss: Member,
    /// `aud`: must contain the client id (not checked on an access token).
    pub aud: Audience,
    /// `azp`: when present, must be the client id; required when `aud` has several values.
    pub azp: Member,
    /// `exp`, seconds since the epoch: must be in the future, with [`LEEWAY`].
    pub exp: Member,
    /// `iat`, seconds since the epoch: must not be in the future, with [`LEEWAY`].
    pub iat: Member,
    /// Optional; checked like `iat` when present (BEHAVIOUR.md §9.5).
    pub nbf: Member,
    /// `sid`: the tenant's session id, kept as the session's `sid` (BEHAVIOUR.md §3.4).
    pub sid: Member,
}

/// A number of seconds, fractions rounded toward -inf; `None` beyond ±2^53 or when not a number.
pub fn seconds(m: &Member) -> Option<i64> {
    match m {
        Member::Num(n) => floor_int(*n),
        _ => None,
    }
}

/// A JSON Web Key as the core reads it (RFC 7517 §4, RFC 7518 §6): the members that select a
/// key and the public members WebCrypto imports.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Jwk {
    /// `kty`: `RSA` for RS256 and PS256, `EC` for ES256.
    pub kty: Member,
    /// `kid`: matched against the token's `kid`.
    pub kid: Member,
    /// `alg`: when present, must be the token's algorithm.
    pub alg: Member,
    /// `use`: when present, must be `sig`.
    #[serde(rename = "use")]
    pub use_: Member,
    /// `crv`: an EC key's curve; must be `P-256`.
    pub crv: Member,
    /// `n`: an RSA key's modulus, base64url.
    pub n: Member,
    /// `e`: an RSA key's public exponent, base64url.
    pub e: Member,
    /// `x`: an EC key's x coordinate, base64url.
    pub x: Member,
    /// `y`: an EC key's y coordinate, base64url.
    pub y: Member,
    /// `d`: a private key's member; a DPoP proof's key must not have it (RFC 9449 §4.2).
    pub d: Member,
}

/// A JWK Set: `keys` must be an array; members of it that are not objects are no keys.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Jwks {
    /// The set's `keys`, in order.
    pub keys: Vec<JwkEntry>,
}

/// One member of `keys`: a key when it is an object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JwkEntry(pub Option<Jwk>);

impl<'de> Deserialize<'de> for JwkEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> Visitor<'de> for Entry {
            type Value = JwkEntry;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("a JWK")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JwkEntry, A::Error> {
                Jwk::deserialize(MapAccessDeserializer::new(map)).map(|k| JwkEntry(Some(k)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JwkEntry, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JwkEntry(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
            fn visit_unit<E>(self) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
            fn visit_none<E>(self) -> Result<JwkEntry, E> {
                Ok(JwkEntry(None))
            }
        }
        d.deserialize_any(Entry)
    }
}

/// Whether `key` may verify `alg` signatures: its type (and curve) fit, `use` is `sig` or absent,
/// `alg` is the same or absent.
pub fn key_fits(key: &Jwk, alg: SigningAlg) -> bool {
    let kty_ok = match alg {
        SigningAlg::RS256 | SigningAlg::PS256 => key.kty.as_str() == Some("RSA"),
        SigningAlg::ES256 => key.kty.as_str() == Some("EC") && key.crv.as_str() == Some("P-256"),
    };
    let use_ok = key.use_ == Member::Absent || key.use_.as_str() == Some("sig");
    let alg_ok = key.alg == Member::Absent || key.alg.as_str() == Some(alg.name());
    kty_ok && use_ok && alg_ok
}

/// Picks the JWKS key for a token: same `kid` (when the token names one) and a type, use and
/// algorithm that fit. Without a `kid`, only an unambiguous single fitting key is used.
pub fn select_key<'a>(jwks: &'a Jwks, kid: Option<&str>, alg: SigningAlg) -> Option<&'a Jwk> {
    // With a kid: the first fitting key of that kid. Without: the only fitting key.
    let mut found = None;
    for k in jwks.keys.iter().filter_map(|e| e.0.as_ref()) {
        if !key_fits(k, alg) {
            continue;
        }
        match kid {
            Some(kid) if k.kid.as_str() == Some(kid) => return Some(k),
            Some(_) => {}
            None if found.is_some() => return None,
            None => found = Some(k),
        }
    }
    found
}

/// The public members of a JWK, for WebCrypto's `importKey("jwk", ...)`: private members
/// (should a JWKS ever carry them) and metadata WebCrypto may reject are left out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicJwk {
    /// The key type: `RSA` or `EC` (empty when the JWK had no string `kty`).
    pub kty: String,
    /// An RSA key's modulus.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// An RSA key's public exponent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// An EC key's curve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// An EC key's x coordinate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// An EC key's y coordinate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

/// The [`PublicJwk`] of a JWKS key: its public members that are strings, nothing else.
pub fn public_jwk(key: &Jwk) -> PublicJwk {
    let s = |m: &Member| m.as_str().map(str::to_owned);
    PublicJwk {
        kty: s(&key.kty).unwrap_or_default(),
        n: s(&key.n),
        e: s(&key.e),
        crv: s(&key.crv),
        x: s(&key.x),
        y: s(&key.y),
    }
}

/// Checks the claims of a signature-verified ID token (BEHAVIOUR.md §2.5): `iss` equals the discovered
/// issuer, `aud` contains `client_id` (with several, `azp` must be `client_id`), `exp` in the
/// future, `iat` and (when present) `nbf` not in the future, each with [`LEEWAY`]. `now` in
/// seconds.
pub fn check_id_token_claims(claims: &Claims, issuer: &str, client_id: &str, now: i64) -> Result<(), Error> {
    check_issuer(&claims.iss, issuer, TokenKind::IdToken)?;
    let bad_aud =
        || Error::id_token(code::INVALID_AUDIENCE, "the ID token's \"aud\" does not contain the client id");
    match &claims.aud {
        Audience::One(a) if a == client_id => {}
        Audience::Many(list) if list.iter().any(|a| a.as_str() == Some(client_id)) => {
            if list.len() > 1 {
                match claims.azp.as_str() {
                    Some(azp) if azp == client_id => {}
                    Some(_) => return Err(bad_aud()),
                    None => return Err(TokenKind::IdToken.invalid(" has several audiences and no \"azp\"")),
                }
            }
        }
        _ => return Err(bad_aud()),
    }
    if claims.azp != Member::Absent && claims.azp.as_str() != Some(client_id) {
        return Err(bad_aud());
    }
    check_times(&claims.exp, &claims.iat, &claims.nbf, now, LEEWAY, TokenKind::IdToken)
}

/// Checks the claims of a signature-verified access token whose `act` is to be read (BEHAVIOUR.md §8.7):
/// as an ID token's, but for `aud` (an access token is for an API, not for this client).
pub fn check_access_token_claims(claims: &Claims, issuer: &str, now: i64) -> Result<(), Error> {
    check_issuer(&claims.iss, issuer, TokenKind::IdToken)?;
    check_times(&claims.exp, &claims.iat, &claims.nbf, now, LEEWAY, TokenKind::IdToken)
}

/// `iss` must be the tenant's issuer.
pub fn check_issuer(iss: &Member, issuer: &str, kind: TokenKind) -> Result<(), Error> {
    if iss.as_str() != Some(issuer) {
        return Err(kind.error(code::INVALID_ISSUER, "'s \"iss\" is not the tenant's issuer"));
    }
    Ok(())
}

/// `exp` in the future, `iat` and (when present) `nbf` not in the future, each with `leeway`
/// seconds. `now` in seconds.
pub fn check_times(
    exp: &Member,
    iat: &Member,
    nbf: &Member,
    now: i64,
    leeway: i64,
    kind: TokenKind,
) -> Result<(), Error> {
    let exp = seconds(exp).ok_or_else(|| kind.invalid(" has no numeric \"exp\""))?;
    if exp + leeway <= now {
        return Err(kind.error(code::TOKEN_EXPIRED, " has expired"));
    }
    let iat = seconds(iat).ok_or_else(|| kind.invalid(" has no numeric \"iat\""))?;
    if iat > now + leeway {
        return Err(kind.invalid("'s \"iat\" is in the future"));
    }
    if *nbf != Member::Absent {
        let nbf = seconds(nbf).ok_or_else(|| kind.invalid("'s \"nbf\" is not a number"))?;
        if nbf > now + leeway {
            return Err(kind.invalid(" is not valid yet (\"nbf\" is in the future)"));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    fn decode(token: &str) -> Result<Jwt, Error> {
        super::decode(token, &crate::core::host_object, TokenKind::IdToken)
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", base64url(header.as_bytes()), base64url(payload.as_bytes()), base64url(b"sig"))
    }

    #[test]
    fn decodes_supported_algs_only() {
        let t = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"sub":"a"}"#);
        let j = decode(&t).unwrap();
        assert_eq!((j.alg, j.kid.as_deref()), (SigningAlg::RS256, Some("k1")));
        assert_eq!(j.signing_input, t[..t.rfind('.').unwrap()]);
        assert_eq!(j.signature, b"sig");
        assert_eq!(j.payload, br#"{"sub":"a"}"#);
        for alg in ["none", "HS256", "RS512", "", "rs256"] {
            let t = token(&format!(r#"{{"alg":"{alg}"}}"#), "{}");
            assert_eq!(decode(&t).unwrap_err().code(), "invalid_token", "{alg}");
        }
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.c2ln", &token("[]", "{}"), &token("{\"alg\"", "{}")] {
            assert_eq!(decode(bad).unwrap_err().code(), "invalid_token", "{bad}");
        }
        let unsigned = format!("{}.{}.", base64url(br#"{"alg":"RS256"}"#), base64url(b"{}"));
        assert_eq!(decode(&unsigned).unwrap_err().code(), "invalid_token");
        let crit = token(r#"{"alg":"RS256","crit":["x"]}"#, "{}");
        assert_eq!(decode(&crit).unwrap_err().code(), "invalid_token");
        let null_crit = token(r#"{"alg":"RS256","crit":null}"#, "{}");
        assert_eq!(decode(&null_crit).unwrap_err().code(), "invalid_token");
    }

    #[test]
    fn key_selection() {
        let jwks: Jwks = serde_json::from_str(
            r#"{"keys":[{"kty":"RSA","kid":"a","use":"sig","n":"n1","e":"AQAB"},"junk",7,{"kty":"RSA","kid":"b","alg":"RS256","n":"n2","e":"AQAB","d":"private"},{"kty":"EC","kid":"c","crv":"P-256","x":"x","y":"y"},{"kty":"RSA","kid":"enc","use":"enc","n":"n3","e":"AQAB"}]}"#,
        )
        .unwrap();
        assert_eq!(select_key(&jwks, Some("b"), SigningAlg::RS256).unwrap().n.as_str(), Some("n2"));
        assert_eq!(select_key(&jwks, Some("b"), SigningAlg::PS256), None); // alg pinned to RS256
        assert_eq!(select_key(&jwks, Some("c"), SigningAlg::ES256).unwrap().kid.as_str(), Some("c"));
        assert_eq!(select_key(&jwks, Some("c"), SigningAlg::RS256), None);
        assert_eq!(select_key(&jwks, Some("enc"), SigningAlg::RS256), None);
        assert_eq!(select_key(&jwks, Some("zzz"), SigningAlg::RS256), None);
        assert_eq!(select_key(&jwks, None, SigningAlg::RS256), None); // ambiguous
        assert_eq!(select_key(&jwks, None, SigningAlg::ES256).unwrap().kid.as_str(), Some("c"));
        assert_eq!(select_key(&Jwks::default(), None, SigningAlg::RS256), None);
        assert!(serde_json::from_str::<Jwks>("{}").is_err(), "keys is required");
        assert!(serde_json::from_str::<Jwks>(r#"{"keys":"x"}"#).is_err(), "keys must be an array");
        let k = select_key(&jwks, Some("b"), SigningAlg::RS256).unwrap();
        assert_eq!(serde_json::to_string(&public_jwk(k)).unwrap(), r#"{"kty":"RSA","n":"n2","e":"AQAB"}"#);
    }

    fn parse(text: &str) -> Claims {
        serde_json::from_str(text).unwrap()
    }

    fn claims(extra: &str) -> Claims {
        parse(&format!(r#"{{"iss":"https://t/","aud":"cid","exp":2000,"iat":1000{extra}}}"#))
    }

    fn check(c: &Claims, now: i64) -> Result<(), String> {
        check_id_token_claims(c, "https://t/", "cid", now).map_err(|e| e.code().to_owned())
    }

    #[test]
    fn claim_checks() {
        assert_eq!(check(&claims(""), 1500), Ok(()));
        // Leeway on both ends.
        assert_eq!(check(&claims(""), 2059), Ok(()));
        assert_eq!(check(&claims(""), 2060), Err("token_expired".into()));
        assert_eq!(check(&claims(""), 940), Ok(()));
        assert_eq!(check(&claims(""), 939), Err("invalid_token".into()));
        let wrong_iss = parse(r#"{"iss":"https://evil/","aud":"cid","exp":2000,"iat":1000}"#);
        assert_eq!(check(&wrong_iss, 1500), Err("invalid_issuer".into()));
        let wrong_aud = parse(r#"{"iss":"https://t/","aud":"other","exp":2000,"iat":1000}"#);
        assert_eq!(check(&wrong_aud, 1500), Err("invalid_audience".into()));
        let multi = parse(r#"{"iss":"https://t/","aud":["cid","api"],"exp":2000,"iat":1000}"#);
        assert_eq!(check(&multi, 1500), Err("invalid_token".into()));
        let multi_azp =
            parse(r#"{"iss":"https://t/","aud":["cid","api"],"azp":"cid","exp":2000,"iat":1000}"#);
        assert_eq!(check(&multi_azp, 1500), Ok(()));
        let multi_bad_azp =
            parse(r#"{"iss":"https://t/","aud":["cid","api"],"azp":"x","exp":2000,"iat":1000}"#);
        assert_eq!(check(&multi_bad_azp, 1500), Err("invalid_audience".into()));
        let single_list = parse(r#"{"iss":"https://t/","aud":["cid"],"exp":2000,"iat":1000}"#);
        assert_eq!(check(&single_list, 1500), Ok(()));
        let aud_object = parse(r#"{"iss":"https://t/","aud":{"cid":1},"exp":2000,"iat":1000}"#);
        assert_eq!(check(&aud_object, 1500), Err("invalid_audience".into()));
        let no_exp = parse(r#"{"iss":"https://t/","aud":"cid","iat":1000}"#);
        assert_eq!(check(&no_exp, 1500), Err("invalid_token".into()));
        let str_exp = parse(r#"{"iss":"https://t/","aud":"cid","exp":"2000","iat":1000}"#);
        assert_eq!(check(&str_exp, 1500), Err("invalid_token".into()));
        let no_iat = parse(r#"{"iss":"https://t/","aud":"cid","exp":2000}"#);
        assert_eq!(check(&no_iat, 1500), Err("invalid_token".into()));
        let fraction = parse(r#"{"iss":"https://t/","aud":"cid","exp":1999.9,"iat":1000}"#);
        assert_eq!(check(&fraction, 2058), Ok(()));
        assert_eq!(check(&claims(r#","azp":null"#), 1500), Err("invalid_audience".into()));
    }

    #[test]
    fn access_token_claims_skip_aud_only() {
        let c = |extra: &str| {
            parse(&format!(r#"{{"iss":"https://t/","aud":"https://api","exp":2000,"iat":1000{extra}}}"#))
        };
        let check = |c: &Claims, now| {
            check_access_token_claims(c, "https://t/", now).map_err(|e| e.code().to_owned())
        };
        assert_eq!(check(&c(""), 1500), Ok(()), "an API audience is fine");
        assert_eq!(check(&c(""), 2060), Err("token_expired".into()));
        assert_eq!(check(&c(r#","nbf":1600"#), 1500), Err("invalid_token".into()));
        let wrong_iss = parse(r#"{"iss":"https://evil/","aud":"x","exp":2000,"iat":1000}"#);
        assert_eq!(check(&wrong_iss, 1500), Err("invalid_issuer".into()));
    }

    #[test]
    fn nbf_is_checked_like_iat_when_present() {
        assert_eq!(check(&claims(r#","nbf":1000"#), 1500), Ok(()));
        assert_eq!(check(&claims(r#","nbf":1560"#), 1500), Ok(()), "60 s of leeway");
        assert_eq!(check(&claims(r#","nbf":1561"#), 1500), Err("invalid_token".into()));
        assert_eq!(check(&claims(r#","nbf":"1000""#), 1500), Err("invalid_token".into()));
        assert_eq!(check(&claims(""), 1500), Ok(()), "absent: nothing to check");
    }
}
