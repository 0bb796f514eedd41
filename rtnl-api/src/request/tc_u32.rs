//! The `u32_sel` routine of the u32 classifier (iproute2 tc/f_u32.c): `match` clauses in
//! iproute2's words and pyroute2's `keys` strings into `struct tc_u32_sel` and its keys, and
//! u32's own `htid:hash:node` handles.
//!
//! Plain data in, a [`Value`] for the schema encoder out: no I/O, nothing sent.

use std::net::IpAddr;

use rtnl_core::ArgError;

use crate::args::Value;

/// `TC_U32_TERMINAL`.
pub const TC_U32_TERMINAL: u8 = 1;

/// One key: value and mask in host order (the schema writes them in network order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// `val`.
    pub val: u32,
    /// `mask`.
    pub mask: u32,
    /// `off`.
    pub off: i32,
    /// `offmask` (-1: relative to the next header).
    pub offmask: i32,
}

/// A selector being assembled.
#[derive(Debug, Default, Clone)]
pub struct Sel {
    /// `flags` (`TC_U32_TERMINAL` ...).
    pub flags: u8,
    /// The keys, merged as tc merges them.
    pub keys: Vec<Key>,
}

impl Sel {
    /// `pack_key`: a key at an offset already used merges into it (same bits must agree).
    fn pack(
        &mut self,
        k: &str,
        val: u32,
        mask: u32,
        off: i32,
        offmask: i32,
    ) -> Result<(), ArgError> {
        let val = val & mask;
        if let Some(e) = self
            .keys
            .iter_mut()
            .find(|e| e.off == off && e.offmask == offmask)
        {
            if (val ^ e.val) & mask & e.mask != 0 {
                return Err(ArgError::new(
                    k,
                    format!("clashes with an earlier match at offset {off}"),
                ));
            }
            e.val |= val;
            e.mask |= mask;
            return Ok(());
        }
        if self.keys.len() >= 128 {
            return Err(ArgError::new(k, "more than 128 keys"));
        }
        self.keys.push(Key {
            val,
            mask,
            off,
            offmask,
        });
        Ok(())
    }

    /// `pack_key16`: a 16-bit value at `off` (2-aligned) within its 32-bit word.
    fn pack16(
        &mut self,
        k: &str,
        val: u32,
        mask: u32,
        off: i32,
        offmask: i32,
    ) -> Result<(), ArgError> {
        if val > 0xffff || mask > 0xffff {
            return Err(ArgError::new(k, "a u16 value and mask must fit 16 bits"));
        }
        let (val, mask) = if off & 3 == 0 {
            (val << 16, mask << 16)
        } else {
            (val, mask)
        };
        self.pack(k, val, mask, off & !3, offmask)
    }

    /// `pack_key8`: an 8-bit value at `off` within its 32-bit word.
    fn pack8(
        &mut self,
        k: &str,
        val: u32,
        mask: u32,
        off: i32,
        offmask: i32,
    ) -> Result<(), ArgError> {
        if val > 0xff || mask > 0xff {
            return Err(ArgError::new(k, "a u8 value and mask must fit 8 bits"));
        }
        let shift = 8 * (3 - (off & 3)) as u32;
        self.pack(k, val << shift, mask << shift, off & !3, offmask)
    }

    /// One `match` clause, in iproute2's words: `ip src 10.0.0.0/24`, `ip dport 80 0xffff`,
    /// `ip protocol 6 0xff`, `ip tos 0x10 0xff`, `u32 V M at O`, `u16 V M at O`, `u8 V M at O`
    /// (`at nexthdr+O` for an offset from the next header; no `at` is offset 0, as tc).
    pub fn add_match(&mut self, k: &str, text: &str) -> Result<(), ArgError> {
        let w: Vec<&str> = text.split_whitespace().collect();
        let bad = |why: &str| ArgError::new(k, format!("{text:?}: {why}"));
        let num = |i: usize| -> Result<u32, ArgError> {
            let s = w.get(i).ok_or_else(|| bad("a value is missing"))?;
            parse_u32(s).ok_or_else(|| bad(&format!("{s:?} is not a number")))
        };
        let at = |i: usize| -> Result<(i32, i32), ArgError> {
            match (w.get(i), w.get(i + 1)) {
                (Some(&"at"), Some(o)) => {
                    let (o, offmask) = match o.strip_prefix("nexthdr+") {
                        Some(r) => (r, -1),
                        None => (*o, 0),
                    };
                    let off = o
                        .parse::<i32>()
                        .map_err(|_| bad("the offset after `at` is not a number"))?;
                    Ok((off, offmask))
                }
                // tc's parse_u32: without `at`, the offset is 0.
                (None, _) => Ok((0, 0)),
                _ => Err(bad("expected `at OFFSET`")),
            }
        };
        match w.as_slice() {
            ["u32", ..] => {
                let (off, om) = at(3)?;
                self.pack(k, num(1)?, num(2)?, off, om)
            }
            ["u16", ..] => {
                let (off, om) = at(3)?;
                self.pack16(k, num(1)?, num(2)?, off, om)
            }
            ["u8", ..] => {
                let (off, om) = at(3)?;
                self.pack8(k, num(1)?, num(2)?, off, om)
            }
            ["ip", f @ ("src" | "dst"), p] => {
                let (ip, len) = crate::args::prefix_arg(k, &Value::Str(p.to_string()))?;
                let IpAddr::V4(a) = ip else {
                    return Err(bad("`ip` matches IPv4 addresses"));
                };
                let len = len.unwrap_or(32) as u32;
                let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                let off = if *f == "src" { 12 } else { 16 };
                self.pack(k, u32::from(a), mask, off, 0)
            }
            ["ip", f @ ("sport" | "dport"), ..] => {
                let off = if *f == "sport" { 20 } else { 22 };
                self.pack16(k, num(2)?, num(3)?, off, 0)
            }
            ["ip", "protocol", ..] => self.pack8(k, num(2)?, num(3)?, 9, 0),
            ["ip", "tos" | "dsfield", ..] => self.pack8(k, num(2)?, num(3)?, 1, 0),
            _ => Err(bad(
                "not a match this encoder knows (ip src|dst PREFIX, ip sport|dport|protocol|tos V M, u32|u16|u8 V M at O)",
            )),
        }
    }

    /// pyroute2's `keys` strings, as pyroute2 0.9 reads them (cls_u32.py): `"VAL/MASK+OFF"`
    /// (numbers as Python's `int(x, 0)`: `0x..` hex or decimal) puts the bytes MASK covers at
    /// byte OFF onwards (`"0x50/0xffff+20"` is bytes 20..22 = 0x0050); the bytes of all keys
    /// are then regrouped into 4-byte keys from the first covered byte. `0/0+OFF` is a
    /// match-all key at OFF.
    pub fn add_keys(&mut self, k: &str, keys: &[&str]) -> Result<(), ArgError> {
        let mut bytes = [(0u8, 0u8); 256];
        for text in keys {
            let bad = |why: &str| {
                ArgError::new(
                    k,
                    format!("{text:?} is not a u32 key \"VAL/MASK+OFF\": {why}"),
                )
            };
            let key = text.split('@').next().unwrap_or("");
            let (key, off) = key.split_once('+').unwrap_or((key, "0"));
            let (val, mask) = key.split_once('/').ok_or_else(|| bad("no /MASK"))?;
            let num =
                |s: &str| parse_u32(s.trim()).ok_or_else(|| bad(&format!("{s:?} is not a number")));
            let mut off = num(off)? as usize;
            // pyroute2's "little trick": each leading 00 of a hex mask moves the key one byte
            // on (`/0x00ff+8` is `/0xff+9`).
            let mask = match mask.trim().strip_prefix("0x") {
                Some(mut m) => {
                    while let Some(rest) = m.strip_prefix("00") {
                        off += 1;
                        m = rest;
                    }
                    u32::from_str_radix(if m.is_empty() { "0" } else { m }, 16)
                        .map_err(|_| bad(&format!("{m:?} is not a hex mask")))?
                }
                None => num(mask)?,
            };
            let val = num(val)?;
            if val == 0 && mask == 0 {
                self.keys.push(Key {
                    val: 0,
                    mask: 0,
                    off: off as i32,
                    offmask: 0,
                });
            }
            for (i, m) in mask.to_be_bytes().into_iter().enumerate() {
                if m > 0 {
                    let slot = bytes.get_mut(off).ok_or_else(|| bad("beyond byte 255"))?;
                    *slot = ((val >> (24 - 8 * i)) as u8 & m, m);
                    off += 1;
                }
            }
        }
        let mut cur: Option<(Key, i32)> = None;
        for (off, (v, m)) in bytes.iter().enumerate() {
            if *m > 0 && cur.is_none() {
                cur = Some((
                    Key {
                        val: 0,
                        mask: 0,
                        off: off as i32,
                        offmask: 0,
                    },
                    24,
                ));
            }
            if let Some((key, bits)) = cur.as_mut() {
                key.mask |= u32::from(*m) << *bits;
                key.val |= u32::from(*v) << *bits;
                *bits -= 8;
                if *bits < 0 || off == 255 {
                    self.keys.push(*key);
                    cur = None;
                }
            }
        }
        if self.keys.len() > 128 {
            return Err(ArgError::new(k, "more than 128 keys"));
        }
        // pyroute2 always marks its selector terminal.
        self.flags |= TC_U32_TERMINAL;
        Ok(())
    }

    /// The value of TCA_U32_SEL for the schema encoder: `[header, [keys]]` (nkeys is set from
    /// the keys).
    pub fn value(&self) -> Value {
        let keys = self
            .keys
            .iter()
            .map(|k| {
                Value::map([
                    ("mask", Value::Int(k.mask as i128)),
                    ("val", Value::Int(k.val as i128)),
                    ("off", Value::Int(k.off as i128)),
                    ("offmask", Value::Int(k.offmask as i128)),
                ])
            })
            .collect();
        Value::List(vec![
            Value::map([("flags", Value::Int(self.flags as i128))]),
            Value::List(keys),
        ])
    }
}

/// A number as tc's `get_u32(.., 0)` reads it: decimal, `0x` hex, `0` octal.
pub fn parse_u32(s: &str) -> Option<u32> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u32::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

/// `get_u32_handle`: `htid:hash:node` (hex; each part may be empty) into
/// `htid << 20 | hash << 12 | node`.
pub fn u32_handle(k: &str, s: &str) -> Result<u32, ArgError> {
    let bad = |why: &str| {
        ArgError::new(
            k,
            format!("{s:?} is not a u32 handle (htid:hash:node): {why}"),
        )
    };
    let mut parts = s.split(':');
    let mut part = |max: u32| -> Result<u32, ArgError> {
        match parts.next() {
            None | Some("") => Ok(0),
            Some(p) => {
                let v = u32::from_str_radix(p.trim_start_matches("0x"), 16)
                    .map_err(|_| bad("not hex"))?;
                if v > max {
                    Err(bad("out of range"))
                } else {
                    Ok(v)
                }
            }
        }
    };
    let htid = part(0xfff)?;
    let hash = part(0xff)?;
    let node = part(0xfff)?;
    if parts.next().is_some() {
        return Err(bad("more than three parts"));
    }
    Ok(htid << 20 | hash << 12 | node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_as_tc_packs_them() {
        let mut s = Sel::default();
        s.add_match("match", "ip dst 10.0.0.1/32").unwrap();
        s.add_match("match", "ip dport 80 0xffff").unwrap();
        assert_eq!(
            s.keys,
            [
                Key {
                    val: 0x0a00_0001,
                    mask: 0xffff_ffff,
                    off: 16,
                    offmask: 0
                },
                Key {
                    val: 80,
                    mask: 0xffff,
                    off: 20,
                    offmask: 0
                },
            ]
        );
        // sport shares dport's word: merged, as tc does.
        s.add_match("match", "ip sport 1024 0xffff").unwrap();
        assert_eq!(
            s.keys[1],
            Key {
                val: 1024 << 16 | 80,
                mask: 0xffff_ffff,
                off: 20,
                offmask: 0
            }
        );
        s.add_match("match", "ip protocol 6 0xff").unwrap();
        assert_eq!(
            s.keys[2],
            Key {
                val: 6 << 16,
                mask: 0xff << 16,
                off: 8,
                offmask: 0
            }
        );
        s.add_match("match", "ip src 192.168.0.0/16").unwrap();
        assert_eq!(
            s.keys[3],
            Key {
                val: 0xc0a8_0000,
                mask: 0xffff_0000,
                off: 12,
                offmask: 0
            }
        );
        s.add_match("match", "u32 0x1 0xff at nexthdr+4").unwrap();
        assert_eq!(s.keys[4].offmask, -1);
        // A clash with an earlier match at the same bits.
        assert!(s.add_match("match", "ip dport 81 0xffff").is_err());
        assert!(s.add_match("match", "ip dport 70000 0xffff").is_err());
        assert!(s.add_match("match", "tcp dport 80 0xffff").is_err());
        // A malformed offset is refused (`u32 1 1` alone is tc's offset 0: next test).
        assert!(s.add_match("match", "u32 1 1 at").is_err());
        assert!(s.add_match("match", "u32 1 1 at x").is_err());
    }

    #[test]
    fn a_u32_match_without_at_is_at_offset_0_as_tc_reads_it() {
        let (mut a, mut b) = (Sel::default(), Sel::default());
        a.add_match("match", "u32 0x1 0xff").unwrap();
        b.add_match("match", "u32 0x1 0xff at 0").unwrap();
        assert_eq!(a.keys, b.keys);
        assert!(a.add_match("match", "u16 1 0xffff after 4").is_err());
    }

    #[test]
    fn pyroute2_keys() {
        let mut s = Sel::default();
        s.add_keys("keys", &["0x0a000001/0xffffffff+16", "0x50/0xffff+20"])
            .unwrap();
        let k = |val, mask, off| Key {
            val,
            mask,
            off,
            offmask: 0,
        };
        assert_eq!(s.keys[0], k(0x0a00_0001, 0xffff_ffff, 16));
        // pyroute2's bytes 20..22, as it sends them.
        assert_eq!(s.keys[1], k(0x0050_0000, 0xffff_0000, 20));
        // The example of its docstring.
        let mut s = Sel::default();
        let keys = [
            "0x0006/0x00ff+8",
            "0x0000/0xffc0+2",
            "0x5/0xf+0",
            "0x10/0xff+33",
        ];
        s.add_keys("keys", &keys).unwrap();
        assert_eq!(
            s.keys,
            [
                k(0x0500_0000, 0x0f00_ffc0, 0),
                k(0x0600_0000, 0xff00_0000, 9),
                k(0x1000_0000, 0xff00_0000, 33)
            ]
        );
        assert!(Sel::default().add_keys("keys", &["nope"]).is_err());
    }

    #[test]
    fn u32_handles() {
        assert_eq!(u32_handle("ht", "800:").unwrap(), 0x8000_0000);
        assert_eq!(u32_handle("handle", "800::1").unwrap(), 0x8000_0001);
        assert_eq!(u32_handle("handle", "1:2:3").unwrap(), 0x0010_2003);
        assert!(u32_handle("ht", "1000:").is_err());
    }
}
