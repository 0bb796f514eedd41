//! serde for [`Value`] (feature `serde`): keyword arguments read from and written to JSON, TOML
//! or any self-describing format, so a request file can drive the keyword API.
//!
//! Integers become [`Value::Int`], text [`Value::Str`] (addresses, names and MACs stay text: the
//! encoder parses them for the attribute at hand), booleans [`Value::Bool`], arrays
//! [`Value::List`] and objects [`Value::Map`] in the document's order (pyroute2 sends keywords in
//! the order they are written). A fractional number or `null` is an error naming what was found,
//! never a silent zero.

use core::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::value::Value;

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
                (Ok(v), _) => s.serialize_i64(v),
                (_, Ok(v)) => s.serialize_u64(v),
                _ => s.serialize_i128(*i),
            },
            Value::Str(v) => s.serialize_str(v),
            Value::Bytes(b) => s.serialize_bytes(b),
            Value::Ip(ip) => s.collect_str(ip),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::List(items) => s.collect_seq(items),
            Value::Map(pairs) => {
                let mut m = s.serialize_map(Some(pairs.len()))?;
                for (k, v) in pairs {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string, a boolean, a list or a map")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        i128::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("{v} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Err(E::invalid_type(de::Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Bytes(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.push((k, v));
        }
        Ok(Value::Map(out))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_order_and_back() {
        let v: Value =
            serde_json::from_str(r#"{"ifname": "br0", "mtu": 1400, "up": true, "l": [1, "x"]}"#)
                .unwrap();
        assert_eq!(
            v,
            Value::Map(vec![
                ("ifname".into(), "br0".into()),
                ("mtu".into(), 1400.into()),
                ("up".into(), true.into()),
                ("l".into(), Value::List(vec![1.into(), "x".into()])),
            ])
        );
        let back = serde_json::to_string(&v).unwrap();
        assert_eq!(back, r#"{"ifname":"br0","mtu":1400,"up":true,"l":[1,"x"]}"#);
        let e = serde_json::from_str::<Value>("1.5")
            .unwrap_err()
            .to_string();
        assert!(e.contains("floating point"), "{e}");
        assert!(serde_json::from_str::<Value>("null").is_err());
        assert_eq!(
            serde_json::from_str::<Value>("18446744073709551615").unwrap(),
            Value::Int(u64::MAX.into())
        );
    }
}
