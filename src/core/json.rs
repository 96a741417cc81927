//! A small JSON (RFC 8259) value type with a parser and a serializer.
//!
//! Why not `serde_json`: the package must stay under 30 KB gzipped and STYLE.md measured serde's
//! deserializer alone at about 17 KB gz. This module is a few KB, has no `unsafe`, bounds its
//! recursion depth (arbitrary input never overflows the stack) and is tested and fuzzed natively.
//!
//! Numbers keep their source text, so a claim such as a 20-digit id survives a parse/serialize
//! round trip exactly (JavaScript's `JSON.parse` would round it).

#[allow(unused_imports)]
use crate::prelude::*;
/// Deepest nesting accepted. Token responses, JWT claims and session states are shallow; this only
/// stops hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, as the (grammar-checked) text it was written with.
    Num(String),
    Str(String),
    Arr(Vec<Value>),
    /// Members in document order. Lookups take the last duplicate, as `JSON.parse` does.
    Obj(Vec<(String, Value)>),
}

/// Reads a [`Value`] from a serde deserializer (in wasm, what the host's `JSON.parse` gave,
/// through serde-wasm-bindgen; natively, serde_json), refusing values nested deeper than
/// `max_depth` exactly as [`parse_with_depth`] does (the root is at depth 0).
#[derive(Clone, Copy, Debug)]
pub struct ValueSeed {
    depth: usize,
    max_depth: usize,
}

impl ValueSeed {
    pub fn new(max_depth: usize) -> Self {
        ValueSeed { depth: 0, max_depth: max_depth.min(MAX_DEPTH) }
    }

    fn child(self) -> Self {
        ValueSeed { depth: self.depth + 1, ..self }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.depth > self.max_depth {
            return Err(serde::de::Error::custom("nested too deep"));
        }
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueSeed {
    type Value = Value;

    fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Num(v.to_string()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        if v.is_finite() {
            Ok(Value::Num(v.to_string()))
        } else {
            Err(E::custom("not a JSON number"))
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.child())? {
            items.push(v);
        }
        Ok(Value::Arr(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self.child())?;
            members.push((k, v));
        }
        Ok(Value::Obj(members))
    }
}

/// Why a text is not JSON. Carries a byte offset, never the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Obj(_))
    }

    /// The member `key` if it is a string.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// An integer-valued number (`3600`, `3600.0`, `3.6e3`), or `None` for anything else,
    /// including numbers beyond ±2^53 (not exact in JavaScript either).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Num(text) => int_of_number_text(text, false),
            _ => None,
        }
    }

    /// A number rounded toward negative infinity (NumericDate claims may carry fractions).
    pub fn as_int_floor(&self) -> Option<i64> {
        match self {
            Value::Num(text) => int_of_number_text(text, true),
            _ => None,
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    pub fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            Value::Num(text) => out.push_str(text),
            Value::Str(s) => write_string(s, out),
            Value::Arr(items) => write_array(items, out),
            Value::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// Appends `,"key":"value"` for each member given (`None`: left out).
pub fn write_members(out: &mut String, members: &[(&str, Option<&str>)]) {
    for (k, v) in members {
        if let Some(v) = v {
            out.push_str(",\"");
            out.push_str(k);
            out.push_str("\":");
            write_string(v, out);
        }
    }
}

/// `f` of each item, or `None` as soon as one gives `None`: what `collect::<Option<Vec<_>>>()`
/// does, as one small loop per use instead of the iterator adapters each use instantiates (about
/// 0.5 KB of wasm apiece).
pub fn all_some<T, U>(items: &[T], mut f: impl FnMut(&T) -> Option<U>) -> Option<Vec<U>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(f(item)?);
    }
    Some(out)
}

/// The members whose name is not in `names`, in order (cloned).
pub fn members_except(members: &[(String, Value)], names: &[&str]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (k, v) in members {
        if !names.contains(&k.as_str()) {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

/// Writes `items` as a JSON array (as `Value::Arr(items).write_json` would, without owning them).
pub fn write_array(items: &[Value], out: &mut String) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item.write_json(out);
    }
    out.push(']');
}

/// Writes `s` as a JSON string literal.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    // Copy runs of characters that need no escape at once (found by a scan, not a match per byte).
    let bytes = s.as_bytes();
    let mut run = 0;
    loop {
        let at = run + plain_len(bytes.get(run..).unwrap_or_default());
        let Some(&b) = bytes.get(at) else { break };
        out.push_str(s.get(run..at).unwrap_or_default());
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                out.push_str("\\u00");
                out.push(hex_digit(b >> 4));
                out.push(hex_digit(b & 0xf));
            }
        }
        run = at + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// The length of the leading run of `bytes` that a JSON string holds as is: up to the first `"`,
/// `\\` or control character (or all of it). Eight bytes per step (SWAR: for each byte of a word,
/// the high bit of `(x - 0x01) & !x & 0x80` is set where x is 0, and the lowest set bit is exact, as
/// a borrow only runs upward), since strings are mostly tokens: long runs with nothing to escape.
pub(crate) fn plain_len(bytes: &[u8]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for chunk in chunks {
        let w = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let quote = w ^ (LO * u64::from(b'"'));
        let backslash = w ^ (LO * u64::from(b'\\'));
        let hits = ((quote.wrapping_sub(LO) & !quote)
            | (backslash.wrapping_sub(LO) & !backslash)
            | (w.wrapping_sub(LO * 0x20) & !w))
            & HI;
        if hits != 0 {
            return at + (hits.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(tail.len())
}

fn hex_digit(n: u8) -> char {
    char::from(b"0123456789abcdef"[(n & 0xf) as usize])
}

/// Parses one JSON text (surrounding whitespace allowed, nothing else after it).
pub fn parse(input: &str) -> Result<Value, ParseError> {
    parse_with_depth(input, MAX_DEPTH)
}

/// [`parse`] with a smaller nesting limit (values that will be nested inside another document,
/// such as ID token claims inside a session, must leave room for it).
pub fn parse_with_depth(input: &str, max_depth: usize) -> Result<Value, ParseError> {
    let mut p = Parser { src: input, s: input.as_bytes(), i: 0, max_depth: max_depth.min(MAX_DEPTH) };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err());
    }
    Ok(v)
}

/// Parses bytes that must be UTF-8 JSON.
pub fn parse_bytes(input: &[u8]) -> Result<Value, ParseError> {
    match core::str::from_utf8(input) {
        Ok(s) => parse(s),
        Err(e) => Err(ParseError { offset: e.valid_up_to() }),
    }
}

struct Parser<'a> {
    /// The input, for slicing out runs of string content (already valid UTF-8: no re-validation).
    src: &'a str,
    s: &'a [u8],
    i: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn err(&self) -> ParseError {
        ParseError { offset: self.i }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Whether the input continues with `lit` (no panic path: `get`, not indexing).
    fn looking_at(&self, lit: &[u8]) -> bool {
        self.s.get(self.i..).is_some_and(|rest| rest.starts_with(lit))
    }

    fn eat(&mut self, lit: &[u8]) -> Result<(), ParseError> {
        if self.looking_at(lit) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > self.max_depth {
            return Err(self.err());
        }
        match self.peek() {
            Some(b'n') => self.eat(b"null").map(|_| Value::Null),
            Some(b't') => self.eat(b"true").map(|_| Value::Bool(true)),
            Some(b'f') => self.eat(b"false").map(|_| Value::Bool(false)),
            Some(b'"') => self.string().map(Value::Str),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(Value::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Arr(items));
                        }
                        _ => return Err(self.err()),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(Value::Obj(members));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return Err(self.err());
                    }
                    let key = self.string()?;
                    self.ws();
                    self.eat(b":")?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    members.push((key, v));
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Obj(members));
                        }
                        _ => return Err(self.err()),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.err()),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err()),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err());
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err());
            }
        }
        // ASCII by construction: character boundaries of the input.
        let text = self.src.get(start..self.i).ok_or_else(|| self.err())?;
        Ok(Value::Num(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err()),
            };
            n = n * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run of plain bytes at once: a scan, then one copy. The run ends at an
            // ASCII byte, so both ends are character boundaries of the (valid UTF-8) input.
            let start = self.i;
            self.i += plain_len(self.s.get(start..).unwrap_or_default());
            out.push_str(self.src.get(start..self.i).ok_or_else(|| self.err())?);
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.peek().ok_or_else(|| self.err())?;
                    self.i += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.looking_at(b"\\u") {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    self.i = save;
                                    hi
                                }
                            } else {
                                hi
                            };
                            // A lone surrogate (legal in JSON text, not in a Rust string).
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err());
                        }
                    }
                }
                _ => return Err(self.err()), // end of input or a raw control character
            }
        }
    }
}

/// How many ASCII digits `b` starts with (a counted loop: smaller in wasm than `position`).
fn digit_run(b: &[u8]) -> usize {
    let mut n = 0;
    while b.get(n).is_some_and(u8::is_ascii_digit) {
        n += 1;
    }
    n
}

/// Reads a JSON number text (also used for numeric strings such as `"3600"`) as an integer.
/// `floor` false: only exact integers; `floor` true: fractions rounded toward -inf.
/// `None` for text that is not a JSON number or is beyond ±2^53.
pub fn int_of_number_text(text: &str, floor: bool) -> Option<i64> {
    const LIMIT: i64 = 1 << 53;
    let b = text.as_bytes();
    let (neg, rest) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let (int_part, mut tail) = rest.split_at_checked(digit_run(rest))?;
    if int_part.is_empty() || (int_part.len() > 1 && int_part.first() == Some(&b'0')) {
        return None;
    }
    let mut frac: &[u8] = &[];
    if let Some((b'.', t)) = tail.split_first() {
        (frac, tail) = t.split_at_checked(digit_run(t))?;
        if frac.is_empty() {
            return None;
        }
    }
    let mut exp: i64 = 0;
    if let Some((b'e' | b'E', t)) = tail.split_first() {
        let (eneg, t) = match t.split_first() {
            Some((b'-', t)) => (true, t),
            Some((b'+', t)) => (false, t),
            _ => (false, t),
        };
        if t.is_empty() || digit_run(t) != t.len() {
            return None;
        }
        for &d in t {
            exp = (exp * 10 + i64::from(d - b'0')).min(10_000);
        }
        if eneg {
            exp = -exp;
        }
        tail = &[];
    }
    if !tail.is_empty() {
        return None;
    }
    // value = digits(int_part ++ frac) * 10^(exp - frac.len())
    let shift = exp - frac.len() as i64;
    let total = int_part.len() + frac.len();
    // Digits kept: all of them when shift >= 0, else all but the last -shift.
    let keep = if shift >= 0 { total } else { total.saturating_sub((-shift) as usize) };
    let mut n: i64 = 0;
    let mut dropped_nonzero = false;
    for (i, &d) in int_part.iter().chain(frac).enumerate() {
        if i < keep {
            n = n * 10 + i64::from(d - b'0');
            if n > LIMIT {
                return None;
            }
        } else if d != b'0' {
            dropped_nonzero = true;
        }
    }
    if shift > 0 {
        for _ in 0..shift {
            n *= 10;
            if n > LIMIT {
                return None;
            }
        }
    }
    if dropped_nonzero && !floor {
        return None;
    }
    if neg {
        n = -n;
        if dropped_nonzero {
            n -= 1;
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_len_stops_where_a_byte_needs_escaping() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).unwrap_or(b.len());
        // Every stop byte at every offset of a 0..=20-byte run, among bytes that are near misses
        // (0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xFF) and runs with several stops.
        let fillers = [b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xff, b'a'];
        for stop in [b'"', b'\\', 0x00, 0x01, 0x1f, b'\n'] {
            for len in 0..=20 {
                for at in 0..=len {
                    for (k, &f) in fillers.iter().enumerate() {
                        let mut v: Vec<u8> =
                            (0..len).map(|i| fillers[(i + k) % fillers.len()].max(f)).collect();
                        if at < len {
                            v[at] = stop;
                            if at + 3 < len {
                                v[at + 3] = b'"';
                            }
                        }
                        assert_eq!(plain_len(&v), naive(&v), "{v:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn parses_and_round_trips() {
        let text = r#"{"a":[1,-2.5e3,true,false,null],"b":{"c":"x\"y\\z\u00e9\ud83d\ude00"},"n":12345678901234567890}"#;
        let v = parse(text).unwrap();
        assert_eq!(v.get("b").unwrap().str_at("c"), Some("x\"y\\zé😀"));
        let again = parse(&v.to_json()).unwrap();
        assert_eq!(v, again);
        // Big numbers keep their text.
        assert!(v.to_json().contains("12345678901234567890"));
    }

    #[test]
    fn rejects_bad_json() {
        for bad in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "tru",
            "\"a",
            "\"\\x\"",
            "\"\u{1}\"",
            "{} x",
            "[1 2]",
            "{1:2}",
            "nul",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should fail");
        }
        assert!(parse_bytes(&[b'"', 0xff, b'"']).is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(parse(&deep).is_err());
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn duplicate_keys_take_the_last() {
        assert_eq!(parse(r#"{"a":"1","a":"2"}"#).unwrap().str_at("a"), Some("2"));
    }

    #[test]
    fn lone_surrogate_becomes_replacement_char() {
        assert_eq!(parse(r#""\ud800x""#).unwrap(), Value::Str("\u{FFFD}x".into()));
    }

    #[test]
    fn integers() {
        let cases: &[(&str, Option<i64>, Option<i64>)] = &[
            ("3600", Some(3600), Some(3600)),
            ("3600.0", Some(3600), Some(3600)),
            ("3.6e3", Some(3600), Some(3600)),
            ("36e2", Some(3600), Some(3600)),
            ("1.5", None, Some(1)),
            ("-1.5", None, Some(-2)),
            ("-0", Some(0), Some(0)),
            ("0", Some(0), Some(0)),
            ("1e400", None, None),
            ("9007199254740993", None, None),
            ("1e-5", None, Some(0)),
            ("abc", None, None),
            ("", None, None),
            ("012", None, None),
            ("1.", None, None),
            ("-", None, None),
            ("-1", Some(-1), Some(-1)),
            ("1.5e1", Some(15), Some(15)),
            ("-12.75", None, Some(-13)),
            ("1.25e1", None, Some(12)),
            ("9007199254740992", Some(9_007_199_254_740_992), Some(9_007_199_254_740_992)),
            ("1e", None, None),
            ("1e+2", Some(100), Some(100)),
            ("0.000", Some(0), Some(0)),
        ];
        for (text, exact, floor) in cases {
            assert_eq!(int_of_number_text(text, false), *exact, "exact {text}");
            assert_eq!(int_of_number_text(text, true), *floor, "floor {text}");
        }
    }

    #[test]
    fn escapes_control_characters() {
        let v = Value::Str("a\u{1}\n".into());
        assert_eq!(v.to_json(), "\"a\\u0001\\n\"");
    }
}
