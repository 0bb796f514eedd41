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

/// Builds [`Args`] from `key: value` pairs; values are anything [`KwValue`] takes (integers,
/// strings, addresses, bools, nested `kw!{}` maps, lists: `Vec<Value>`, `Vec<Args>`,
/// `Vec<&str>`). Keys are identifiers or Rust keywords (`type`, as pyroute2 spells it).
///
/// ```
/// use rtnl_api::kw;
/// let a = kw! { dst: "10.0.0.0/24", gateway: "10.0.0.1", metrics: kw! { mtu: 1400 } };
/// assert_eq!(a.len(), 3);
/// let r = kw! { dst: "10.1.0.0/24", type: "blackhole" };
/// assert_eq!(r.keys().collect::<Vec<_>>(), ["dst", "type"]);
/// let m = kw! { multipath: vec![kw! { gateway: "10.0.0.1" }, kw! { gateway: "10.0.0.2" }] };
/// let f = kw! { flags: vec!["IFF_UP", "!IFF_NOARP"] };
/// # let _ = (m, f);
/// ```
#[macro_export]
macro_rules! kw {
    () => { $crate::Args::new() };
    ($($k:tt : $v:expr),+ $(,)?) => {
        // Keywords are token trees, so Rust keywords work as they are (`type`, `match`);
        // `r#match` is `match` too.
        $crate::Args::new()$(.with(stringify!($k).trim_start_matches("r#"), $crate::args::KwValue::kw_value($v)))+
    };
}

/// What a [`kw!`](crate::kw) value may be: everything `Value` converts from, plus lists of
/// maps (`Vec<Args>`: multipath hops) and of strings (`Vec<&str>`: flag names, alt names).
pub trait KwValue {
    /// The value.
    fn kw_value(self) -> Value;
}

macro_rules! kw_value_via_from {
    ($($t:ty),*) => {$(impl KwValue for $t { fn kw_value(self) -> Value { Value::from(self) } })*};
}
kw_value_via_from!(
    u8,
    u16,
    u32,
    u64,
    i8,
    i16,
    i32,
    i64,
    usize,
    &str,
    String,
    IpAddr,
    std::net::Ipv4Addr,
    std::net::Ipv6Addr,
    bool,
    Vec<u8>,
    Vec<Value>,
    Value,
    Args
);

impl KwValue for &String {
    fn kw_value(self) -> Value {
        Value::Str(self.clone())
    }
}

impl KwValue for Vec<Args> {
    fn kw_value(self) -> Value {
        Value::List(self.into_iter().map(Value::from).collect())
    }
}

impl KwValue for Vec<&str> {
    fn kw_value(self) -> Value {
        Value::List(self.into_iter().map(Value::from).collect())
    }
}

impl KwValue for Vec<String> {
    fn kw_value(self) -> Value {
        Value::List(self.into_iter().map(Value::from).collect())
    }
}

impl<const N: usize> KwValue for [&str; N] {
    fn kw_value(self) -> Value {
        Value::List(self.into_iter().map(Value::from).collect())
    }
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

/// A prefix whose length may also be a dotted mask (`"10.0.0.0/255.255.255.0"`, as pyroute2
/// takes `dst` and `address`), else as [`prefix_arg`] reads it.
pub(crate) fn prefix_or_mask_arg(k: &str, v: &Value) -> Result<(IpAddr, Option<u8>), ArgError> {
    if let Value::Str(s) = v
        && let Some((ip, mask)) = s.split_once('/')
        && mask.contains(['.', ':'])
    {
        let (ip, _) = prefix_arg(k, &Value::from(ip))?;
        return Ok((ip, Some(prefixlen_arg(k, &Value::from(mask))?)));
    }
    prefix_arg(k, v)
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

/// A MAC in any of the forms pyroute2 and iproute2 take, as colon text: `02:00:00:00:00:01`,
/// `02-00-00-00-00-01`, Cisco's `0200.0000.0001`; bytes pass through.
pub(crate) fn mac_arg(k: &str, v: &Value) -> Result<Value, ArgError> {
    let Value::Str(s) = v else {
        return Ok(v.clone());
    };
    let s = s.trim().to_ascii_lowercase();
    let cisco: Vec<&str> = s.split('.').collect();
    let text = if cisco.len() == 3 && cisco.iter().all(|g| g.len() == 4) {
        cisco
            .iter()
            .flat_map(|g| [&g[..2], &g[2..]])
            .collect::<Vec<_>>()
            .join(":")
    } else {
        s.replace('-', ":")
    };
    match rtnl_core::types::parse_lladdr(&text) {
        Some(_) => Ok(Value::Str(text)),
        None => Err(ArgError::new(
            k,
            format!("{s:?} is not a MAC (aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff)"),
        )),
    }
}

/// A prefix length given as a number or a mask (`24`, `"24"`, `"255.255.255.0"`, an IPv6
/// mask); a mask with holes (`255.0.255.0`) is refused, as iproute2 refuses it.
pub(crate) fn prefixlen_arg(k: &str, v: &Value) -> Result<u8, ArgError> {
    let mask = match v {
        Value::Str(s) if s.contains('.') || s.contains(':') => {
            s.trim().parse::<IpAddr>().map_err(|_| {
                ArgError::new(k, format!("{s:?} is neither a prefix length nor a mask"))
            })?
        }
        Value::Ip(ip) => *ip,
        v => return int_as(k, v, None),
    };
    let (bits, width) = match mask {
        IpAddr::V4(a) => (u128::from(u32::from(a)) << 96, 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    };
    let len = bits.leading_ones();
    if bits.checked_shl(len).unwrap_or(0) != 0 || len > width {
        return Err(ArgError::new(
            k,
            format!("{mask} is not a contiguous netmask"),
        ));
    }
    Ok(len as u8)
}

/// A range `"80:120"`, `"80-120"`, `[80, 120]`, `{start, end}` or one number (start = end).
pub(crate) fn range_arg(k: &str, v: &Value) -> Result<(u32, u32), ArgError> {
    let one = |x: &Value| int_as::<u32>(k, x, None);
    let (a, b) = match v {
        Value::Str(s) if s.contains([':', '-']) => {
            let (a, b) = s.split_once([':', '-']).unwrap_or((s, s));
            (one(&Value::from(a))?, one(&Value::from(b))?)
        }
        Value::List(l) if l.len() == 2 => (one(&l[0])?, one(&l[1])?),
        Value::Map(m) => {
            let get = |n: &str| m.iter().find(|(x, _)| x == n).map(|(_, v)| v);
            match (get("start"), get("end")) {
                (Some(a), Some(b)) => (one(a)?, one(b)?),
                _ => return Err(ArgError::new(k, "a range map has start and end")),
            }
        }
        v => {
            let n = one(v)?;
            (n, n)
        }
    };
    if a > b {
        return Err(ArgError::new(
            k,
            format!("range {a}-{b}: start is after end"),
        ));
    }
    Ok((a, b))
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
    fn macs_masks_and_ranges_in_every_spelling() {
        for m in ["02:AB:00:00:00:01", "02-ab-00-00-00-01", "02ab.0000.0001"] {
            assert_eq!(
                mac_arg("address", &m.into()).unwrap(),
                Value::from("02:ab:00:00:00:01"),
                "{m}"
            );
        }
        assert!(mac_arg("address", &"02ab.0000".into()).is_err());
        assert_eq!(prefixlen_arg("mask", &"255.255.255.0".into()).unwrap(), 24);
        assert_eq!(
            prefixlen_arg("mask", &"255.255.255.255".into()).unwrap(),
            32
        );
        assert_eq!(prefixlen_arg("mask", &"0.0.0.0".into()).unwrap(), 0);
        assert_eq!(prefixlen_arg("mask", &"ffff:ffff::".into()).unwrap(), 32);
        assert_eq!(prefixlen_arg("mask", &"24".into()).unwrap(), 24);
        assert!(prefixlen_arg("mask", &"255.0.255.0".into()).is_err());
        assert_eq!(range_arg("sport", &"80:120".into()).unwrap(), (80, 120));
        assert_eq!(range_arg("sport", &"80-120".into()).unwrap(), (80, 120));
        assert_eq!(range_arg("sport", &80.into()).unwrap(), (80, 80));
        assert!(range_arg("sport", &"120-80".into()).is_err());
    }

    #[test]
    fn kw_takes_keywords_and_lists() {
        let a = crate::kw! { type: "unicast", hops: vec![crate::kw! { a: 1 }], f: vec!["x"] };
        assert_eq!(a.keys().collect::<Vec<_>>(), ["type", "hops", "f"]);
        assert_eq!(
            a.get("hops"),
            Some(&Value::List(vec![Value::Map(vec![(
                "a".into(),
                Value::Int(1)
            )])]))
        );
        assert_eq!(a.get("f"), Some(&Value::List(vec![Value::from("x")])));
    }

    #[test]
    fn take_keeps_order() {
        let mut a = crate::kw! { a: 1, b: 2, c: 3 };
        assert_eq!(a.take("b"), Some(Value::Int(2)));
        assert_eq!(a.keys().collect::<Vec<_>>(), ["a", "c"]);
    }
}
