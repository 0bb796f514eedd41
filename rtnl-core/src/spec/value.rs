//! [`Value`]: a keyword argument's value as pyroute2 users write it (`1400`, `"10.0.0.1/24"`,
//! `{"kind": "bridge"}`), its `From` conversions, and [`parse_int`].
//!
//! A plain value type: it knows nothing of attribute sets or wire formats (the encoder decides
//! what a value means for an attribute) and never panics on any text.

use std::net::IpAddr;

use super::tables::EnumSpec;

/// A keyword argument's value, as pyroute2 users write them.
///
/// ```
/// use rtnl_core::spec::Value;
/// let v: Value = 1400u32.into();
/// assert_eq!(v, Value::Int(1400));
/// let m = Value::map([("kind", "bridge")]);
/// assert!(matches!(m, Value::Map(_)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer.
    Int(i128),
    /// Text: numbers, names, addresses, MACs and strings are all accepted as text.
    Str(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// An address.
    Ip(IpAddr),
    /// A flag.
    Bool(bool),
    /// A list (multipath hops, label stacks, indexed arrays).
    List(Vec<Value>),
    /// Named values (a nest, a struct by field names).
    Map(Vec<(String, Value)>),
}

impl Value {
    /// A map from pairs.
    pub fn map<K: Into<String>, V: Into<Value>>(pairs: impl IntoIterator<Item = (K, V)>) -> Value {
        Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    pub(super) fn as_int(&self, e: Option<&EnumSpec>) -> Option<i128> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i128),
            Value::Str(s) => parse_int(s).or_else(|| e.and_then(|e| e.parse(s)).map(|v| v as i128)),
            _ => None,
        }
    }
}

macro_rules! value_from_int {
    ($($t:ty),*) => {$(impl From<$t> for Value { fn from(v: $t) -> Self { Value::Int(v as i128) } })*};
}
value_from_int!(u8, u16, u32, u64, i8, i16, i32, i64, usize);

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Str(v)
    }
}
impl From<IpAddr> for Value {
    fn from(v: IpAddr) -> Self {
        Value::Ip(v)
    }
}
impl From<std::net::Ipv4Addr> for Value {
    fn from(v: std::net::Ipv4Addr) -> Self {
        Value::Ip(v.into())
    }
}
impl From<std::net::Ipv6Addr> for Value {
    fn from(v: std::net::Ipv6Addr) -> Self {
        Value::Ip(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::List(v)
    }
}

/// Parses decimal or `0x` hex integers, with an optional `-`.
pub fn parse_int(s: &str) -> Option<i128> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()?
    } else if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        body.parse().ok()?
    } else {
        return None;
    };
    if neg { v.checked_neg() } else { Some(v) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_takes_decimal_and_hex_and_never_overflows() {
        assert_eq!(parse_int(" 42 "), Some(42));
        assert_eq!(parse_int("-0x10"), Some(-16));
        assert_eq!(parse_int("4x"), None);
        assert_eq!(parse_int(""), None);
        // from_str_radix takes a sign of its own: i128::MIN negated does not fit.
        assert_eq!(parse_int("-0x-80000000000000000000000000000000"), None);
    }
}
