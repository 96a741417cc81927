//! The tenant's domain (BEHAVIOUR.md §1 `domain`): a host name, or an https URL of one (http only for a
//! loopback host), normalised to the base URL requests are built on.

use super::super::encoding::{all_bytes, find_byte, split_byte, split_once_byte};
use crate::error::{code, Error};
#[allow(unused_imports)]
use crate::prelude::*;

/// The tenant's base URL, checked (BEHAVIOUR.md §1 `domain`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainUrl {
    /// `https://host[:port]` (or `http://` for loopback), no trailing slash.
    pub url: String,
    /// `host[:port]`, as auth0-server-python stores it in the session's `domain`.
    pub host: String,
    /// Whether `domain` named its scheme; without one https is implied.
    pub scheme_given: bool,
}

impl DomainUrl {
    /// A failed discovery's advice, when it is the likely cause: a loopback `domain` written
    /// without a scheme got https, and a local test server usually speaks plain http.
    pub fn scheme_hint(&self) -> Option<String> {
        let host = match self.host.rsplit_once(':') {
            Some((h, port)) if !port.contains(']') => h,
            _ => self.host.as_str(),
        };
        (!self.scheme_given && is_loopback(host)).then(|| {
            let mut hint = String::from("; \"domain\" has no scheme, so https was used: for a local server without TLS write \"http://");
            hint.push_str(&self.host);
            hint.push('"');
            hint
        })
    }

    /// The same tenant as `other` (BEHAVIOUR.md §10.1): the same URL once a default port (`:443` for
    /// https, `:80` for http) is dropped; both are already lower case without a trailing slash.
    pub fn same_tenant(&self, other: &DomainUrl) -> bool {
        fn key(d: &DomainUrl) -> &str {
            let default = if d.url.starts_with("https:") { ":443" } else { ":80" };
            d.url.strip_suffix(default).unwrap_or(&d.url)
        }
        key(self) == key(other)
    }
}

/// Is `host` (lowercase, without port) a loopback name: `localhost`, `127.0.0.0/8`, `[::1]`?
pub fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    if !host.starts_with("127.") {
        return false;
    }
    // Four decimal parts, each 0-255.
    let mut parts = 0;
    for p in split_byte(host, b'.') {
        parts += 1;
        if p.is_empty() || p.len() > 3 || !all_bytes(p, |b| b.is_ascii_digit()) || decimal(p) > 255 {
            return false;
        }
    }
    parts == 4
}

/// Parses `domain`: `tenant.auth0.com`, `tenant.auth0.com:8443`, `https://tenant.auth0.com/`, or
/// `http://127.0.0.1:3000` (http only for loopback). No path, query, fragment or credentials.
pub fn parse_domain(domain: &str) -> Result<DomainUrl, Error> {
    let bad = || {
        Error::config(code::INVALID_DOMAIN, "\"domain\" must be a host name or an https URL of the tenant")
    };
    // Lowercased first: the scheme and host are case-insensitive, and the URL is kept lowercase.
    let lower = domain.to_ascii_lowercase();
    let (scheme, rest, scheme_given) = if let Some(r) = lower.strip_prefix("https://") {
        ("https", r, true)
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http", r, true)
    } else if contains_bytes(lower.as_bytes(), b"://") {
        return Err(bad());
    } else {
        ("https", lower.as_str(), false)
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(bad());
    }
    // Host: a bracketed IPv6 literal or a DNS name / IPv4 address.
    // (Slicing only through split_at_checked/split_once_byte: no panic path.)
    let (host, port) =
        if let Some((inner, _)) = authority.strip_prefix('[').and_then(|a| split_once_byte(a, b']')) {
            let (host, port) = authority.split_at_checked(inner.len() + 2).ok_or_else(bad)?;
            if inner.is_empty() || !all_bytes(inner, |b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                return Err(bad());
            }
            (host, port)
        } else {
            let end = find_byte(authority.as_bytes(), b':').unwrap_or(authority.len());
            let (host, port) = authority.split_at_checked(end).ok_or_else(bad)?;
            let labels_ok = split_byte(host, b'.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && all_bytes(l, |b| b.is_ascii_alphanumeric() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
            if host.is_empty() || host.len() > 253 || !labels_ok {
                return Err(bad());
            }
            (host, port)
        };
    if !port.is_empty() {
        let digits = port.strip_prefix(':').ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 5 || !all_bytes(digits, |b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n = decimal(digits);
        if n == 0 || n > 65535 {
            return Err(bad());
        }
    }
    if scheme == "http" && !is_loopback(host) {
        return Err(Error::config(
            code::INVALID_DOMAIN,
            "\"domain\" may use http:// only for a loopback host (localhost, 127.0.0.0/8, [::1])",
        ));
    }
    let mut url = String::with_capacity(scheme.len() + 3 + authority.len());
    url.push_str(scheme);
    url.push_str("://");
    url.push_str(authority);
    Ok(DomainUrl { url, host: authority.to_owned(), scheme_given })
}

/// The value of a string of at most five ASCII digits (checked by the caller).
fn decimal(digits: &str) -> u32 {
    let mut n = 0;
    for b in digits.bytes() {
        n = n * 10 + u32::from(b.wrapping_sub(b'0'));
    }
    n
}

/// Whether `needle` occurs in `haystack`, ignoring ASCII case (a content type matches in any case;
/// a plain window search: much smaller in wasm than `str::contains`'s two-way searcher, and our
/// haystacks are short).
pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}
