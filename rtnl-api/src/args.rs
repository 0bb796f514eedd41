//! Keyword arguments, pyroute2 style: an ordered list of `(name, value)` pairs.
//!
//! pyroute2 sends attributes in the order the caller wrote the keywords; [`Args`] keeps that
//! order so our requests match its bytes. Build one with the [`kw!`](crate::kw) macro or
//! [`Args::new`] + [`Args::with`].

use std::net::IpAddr;

use rtnl_core::ArgError;
pub use rtnl_core::spec::Value;

/// Ordered keyword arguments.
///
/// ```
/// use rtnl_api::{kw, Args, Value};
/// let a: Args = kw! { ifname: "br0", kind: "bridge", mtu: 1400 };
/// assert_eq!(a.keys().collect::<Vec<_>>(), ["ifname", "kind", "mtu"]);
/// // The same, from pairs (a JSON object, a config file ...):
/// let b: Args = [("ifname", Value::from("br0")), ("kind", "bridge".into()), ("mtu", 1400.into())]
///     .into_iter()
///     .collect();
/// assert_eq!(a, b);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
// The field is private to the crate so its representation can change without a major release.
pub struct Args(pub(crate) Vec<(String, Value)>);

/// Builds [`Args`] from `key: value` pairs; values are anything `Into<Value>` (integers,
/// strings, addresses, bools, nested `kw!{}` maps, `Vec<Value>` lists).
///
/// ```
/// use rtnl_api::kw;
/// let a = kw! { dst: "10.0.0.0/24", gateway: "10.0.0.1", metrics: kw! { mtu: 1400 } };
/// assert_eq!(a.len(), 3);
/// ```
#[macro_export]
macro_rules! kw {
    () => { $crate::Args::new() };
    ($($k:ident : $v:expr),+ $(,)?) => {
        $crate::Args::new()$(.with(stringify!($k), $crate::Value::from($v)))+
    };
}

impl From<Args> for Value {
    fn from(a: Args) -> Value {
        Value::Map(a.0)
    }
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Args(Vec::new())
    }

    /// Adds one argument (builder style).
    pub fn with(mut self, k: impl Into<String>, v: impl Into<Value>) -> Self {
        self.0.push((k.into(), v.into()));
        self
    }

    /// Adds or replaces an argument.
    pub fn set(&mut self, k: impl Into<String>, v: impl Into<Value>) {
        let k = k.into();
        let v = v.into();
        match self.0.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// Number of arguments.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The arguments, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The value of `k`.
    pub fn get(&self, k: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v)
    }

    /// Removes and returns `k`.
    pub fn take(&mut self, k: &str) -> Option<Value> {
        let i = self.0.iter().position(|(n, _)| n == k)?;
        Some(self.0.remove(i).1)
    }

    /// Removes the first of `keys` present (aliases: `proto`/`protocol`).
    pub fn take_any(&mut self, keys: &[&str]) -> Option<(String, Value)> {
        let i = self
            .0
            .iter()
            .position(|(n, _)| keys.contains(&n.as_str()))?;
        Some(self.0.remove(i))
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Args {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(it: I) -> Self {
        Args(it.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl IntoIterator for Args {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Serialized as a map, in order (feature `serde`).
#[cfg(feature = "serde")]
impl serde::Serialize for Args {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// Read from a map (a JSON object ...), in the document's order, so a request file can drive
/// the keyword API (feature `serde`):
///
/// ```
/// let a: rtnl_api::Args = serde_json::from_str(r#"{"ifname": "br0", "mtu": 1400}"#).unwrap();
/// assert_eq!(a, rtnl_api::kw! { ifname: "br0", mtu: 1400 });
/// ```
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Args {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Args, D::Error> {
        match <Value as serde::Deserialize>::deserialize(d)? {
            Value::Map(pairs) => Ok(Args(pairs)),
            other => Err(serde::de::Error::custom(format!(
                "keyword arguments are a map of name to value, got {other:?}"
            ))),
        }
    }
}

/// An integer argument (numbers, numeric strings, or a name resolved by `names`).
pub(crate) fn int_arg(
    k: &str,
    v: &Value,
    names: Option<&rtnl_core::spec::EnumSpec>,
) -> Result<i128, ArgError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i128),
        Value::Str(s) => rtnl_core::spec::parse_int(s)
            .or_else(|| names.and_then(|e| e.parse(s)).map(|v| v as i128))
            .ok_or_else(|| match names {
                Some(e) => ArgError::new(
                    k,
                    format!("{s:?} is neither a number nor a name of {}", e.name),
                ),
                None => ArgError::new(k, format!("{s:?} is not a number")),
            }),
        other => Err(ArgError::new(
            k,
            format!("expected an integer, got {other:?}"),
        )),
    }
}

/// An integer argument that must fit `T`.
pub(crate) fn int_as<T: TryFrom<i128>>(
    k: &str,
    v: &Value,
    names: Option<&rtnl_core::spec::EnumSpec>,
) -> Result<T, ArgError> {
    let i = int_arg(k, v, names)?;
    T::try_from(i).map_err(|_| ArgError::new(k, format!("{i} is out of range")))
}

/// A string argument.
pub(crate) fn str_arg<'v>(k: &str, v: &'v Value) -> Result<&'v str, ArgError> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(ArgError::new(
            k,
            format!("expected a string, got {other:?}"),
        )),
    }
}

/// An address with an optional prefix length: `"10.0.0.0/24"`, `"2001:db8::1"`, an `IpAddr`.
pub(crate) fn prefix_arg(k: &str, v: &Value) -> Result<(IpAddr, Option<u8>), ArgError> {
    match v {
        Value::Ip(ip) => Ok((*ip, None)),
        Value::Str(s) => {
            let (addr, len) = match s.split_once('/') {
                Some((a, l)) => (a, Some(l)),
                None => (s.as_str(), None),
            };
            let ip: IpAddr = addr
                .trim()
                .parse()
                .map_err(|_| ArgError::new(k, format!("{s:?} is not an IP address or prefix")))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let len = match len {
                Some(l) => {
                    let n: u8 = l
                        .trim()
                        .parse()
                        .map_err(|_| ArgError::new(k, format!("{l:?} is not a prefix length")))?;
                    if n > max {
                        return Err(ArgError::new(
                            k,
                            format!("prefix length {n} is longer than {max}"),
                        ));
                    }
                    Some(n)
                }
                None => None,
            };
            Ok((ip, len))
        }
        other => Err(ArgError::new(
            k,
            format!("expected an address like \"10.0.0.0/24\", got {other:?}"),
        )),
    }
}

/// Address family number of an address.
pub(crate) fn family_of(ip: &IpAddr) -> u8 {
    if ip.is_ipv4() { 2 } else { 10 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            prefix_arg("dst", &"10.0.0.0/24".into()).unwrap(),
            ("10.0.0.0".parse().unwrap(), Some(24))
        );
        assert!(
            prefix_arg("dst", &"10.0.0.0/33".into())
                .unwrap_err()
                .to_string()
                .contains("dst")
        );
        assert!(prefix_arg("dst", &"nope".into()).is_err());
    }

    #[test]
    fn take_keeps_order() {
        let mut a = crate::kw! { a: 1, b: 2, c: 3 };
        assert_eq!(a.take("b"), Some(Value::Int(2)));
        assert_eq!(a.keys().collect::<Vec<_>>(), ["a", "c"]);
    }
}
