//! The `u32_sel` routine of the u32 classifier (iproute2 tc/f_u32.c): `match` clauses in
//! iproute2's words (every selector tc has) and pyroute2's `keys` strings, `offset` and
//! `hashkey` into `struct tc_u32_sel` and its keys; `match mark`; a `sample`'s bucket; u32's own
//! `htid:hash:node` handles.
//!
//! Plain data in, a [`Value`] for the schema encoder out: no I/O, nothing sent.

use std::net::IpAddr;

use rtnl_core::ArgError;

use crate::args::Value;

/// `TC_U32_TERMINAL`: the selector decides (classid, action or police given).
pub const TC_U32_TERMINAL: u8 = 1;
/// `TC_U32_OFFSET`: `offset plus P`.
pub const TC_U32_OFFSET: u8 = 2;
/// `TC_U32_VAROFFSET`: `offset at O mask M shift S`.
pub const TC_U32_VAROFFSET: u8 = 4;
/// `TC_U32_EAT`: `offset eat`.
pub const TC_U32_EAT: u8 = 8;

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

/// A selector being assembled: `struct tc_u32_sel`, its keys, and the `match mark` that tc
/// sends beside it (TCA_U32_MARK).
#[derive(Debug, Default, Clone)]
pub struct Sel {
    /// `flags` (`TC_U32_TERMINAL` ...).
    pub flags: u8,
    /// `offshift` (`offset shift`).
    pub offshift: u8,
    /// `offmask` (`offset mask`, host order).
    pub offmask: u16,
    /// `off` (`offset plus`).
    pub off: u16,
    /// `offoff` (`offset at`).
    pub offoff: i16,
    /// `hoff` (`hashkey at`).
    pub hoff: i16,
    /// `hmask` (`hashkey mask`, host order).
    pub hmask: u32,
    /// The keys, merged as tc merges them.
    pub keys: Vec<Key>,
    /// `match mark VAL MASK`: `(val, mask)`.
    pub mark: Option<(u32, u32)>,
}

/// How a selector word reads its value (tc/f_u32.c's parse_* routines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// `V M [at O]`, 32 bits.
    U32,
    /// `V M [at O]`, 16 bits.
    U16,
    /// `V M [at O]`, 8 bits.
    U8,
    /// `PREFIX [at O]`, IPv4.
    Ip4,
    /// `PREFIX [at O]`, IPv6: one key per 32 bits of the prefix.
    Ip6,
    /// `V M`: the IPv6 traffic class (bits 20..28 of the first word).
    Ip6Class,
    /// `MAC [at O]`: six bytes.
    Ether,
    /// No value: a fixed 16-bit value and mask (`ip nofrag`, `df` ...).
    Fixed(u32, u32),
}

/// The selector words: `(protocol, word, abbreviable, how, offset, offmask)`, in tc's order
/// (the first that fits wins; an abbreviable word also matches a prefix of it, as tc's
/// `matches()`).
const FIELDS: &[(&str, &str, bool, Field, i32, i32)] = &[
    ("ip", "src", false, Field::Ip4, 12, 0),
    ("ip", "dst", false, Field::Ip4, 16, 0),
    ("ip", "tos", false, Field::U8, 1, 0),
    ("ip", "dsfield", true, Field::U8, 1, 0),
    ("ip", "precedence", true, Field::U8, 1, 0),
    ("ip", "ihl", false, Field::U8, 0, 0),
    ("ip", "protocol", false, Field::U8, 9, 0),
    ("ip", "nofrag", false, Field::Fixed(0, 0x3fff), 6, 0),
    ("ip", "firstfrag", false, Field::Fixed(0x2000, 0x3fff), 6, 0),
    ("ip", "df", false, Field::Fixed(0x4000, 0x4000), 6, 0),
    ("ip", "mf", false, Field::Fixed(0x2000, 0x2000), 6, 0),
    ("ip", "dport", false, Field::U16, 22, 0),
    ("ip", "sport", false, Field::U16, 20, 0),
    ("ip", "icmp_type", false, Field::U8, 20, 0),
    ("ip", "icmp_code", false, Field::U8, 21, 0),
    ("ip6", "src", false, Field::Ip6, 8, 0),
    ("ip6", "dst", false, Field::Ip6, 24, 0),
    ("ip6", "priority", false, Field::Ip6Class, 0, 0),
    ("ip6", "protocol", false, Field::U8, 6, 0),
    ("ip6", "flowlabel", false, Field::U32, 0, 0),
    ("ip6", "dport", false, Field::U16, 42, 0),
    ("ip6", "sport", false, Field::U16, 40, 0),
    ("ip6", "icmp_type", false, Field::U8, 40, 0),
    // tc's offmask 1 here (sic): a key of its own beside icmp_type's.
    ("ip6", "icmp_code", false, Field::U8, 41, 1),
    ("udp", "src", false, Field::U16, 0, -1),
    ("udp", "dst", false, Field::U16, 2, -1),
    ("tcp", "src", false, Field::U16, 0, -1),
    ("tcp", "dst", false, Field::U16, 2, -1),
    ("icmp", "type", false, Field::U8, 0, -1),
    ("icmp", "code", false, Field::U8, 1, -1),
    ("ether", "src", false, Field::Ether, -8, 0),
    ("ether", "dst", false, Field::Ether, -14, 0),
];

/// The selector kinds after `match`, in tc's order (each may be abbreviated).
const SELECTORS: &[&str] = &[
    "u32", "u16", "u8", "ip", "ip6", "udp", "tcp", "icmp", "mark", "ether",
];

/// tc's `matches(word, name)`: `word` is a non-empty prefix of `name`.
pub(crate) fn abbrev(word: &str, name: &str) -> bool {
    !word.is_empty() && name.starts_with(word)
}

/// The words of one clause being read, for errors that quote it.
struct Words<'a> {
    k: &'a str,
    text: &'a str,
    w: Vec<&'a str>,
    i: usize,
}

impl<'a> Words<'a> {
    fn new(k: &'a str, text: &'a str) -> Self {
        Words {
            k,
            text,
            w: text.split_whitespace().collect(),
            i: 0,
        }
    }

    fn bad(&self, why: impl std::fmt::Display) -> ArgError {
        ArgError::new(self.k, format!("{:?}: {why}", self.text))
    }

    fn peek(&self) -> Option<&'a str> {
        self.w.get(self.i).copied()
    }

    fn next(&mut self, what: &str) -> Result<&'a str, ArgError> {
        let w = self
            .peek()
            .ok_or_else(|| self.bad(format!("{what} is missing")))?;
        self.i += 1;
        Ok(w)
    }

    /// tc's `get_u32(.., 0)`.
    fn num(&mut self, what: &str) -> Result<u32, ArgError> {
        let s = self.next(what)?;
        parse_u32(s).ok_or_else(|| self.bad(format!("{what} {s:?} is not a number")))
    }

    /// tc's `get_u32(.., 16)`: a mask is hex, with or without 0x.
    fn hex(&mut self, what: &str) -> Result<u32, ArgError> {
        let s = self.next(what)?;
        let h = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .unwrap_or(s);
        u32::from_str_radix(h, 16)
            .ok()
            .filter(|_| !h.starts_with('+'))
            .ok_or_else(|| self.bad(format!("{what} {s:?} is not a hex number")))
    }

    /// tc's `get_integer(.., 0)`.
    fn int(&mut self, what: &str) -> Result<i32, ArgError> {
        let s = self.next(what)?;
        parse_i32(s).ok_or_else(|| self.bad(format!("{what} {s:?} is not an integer")))
    }

    /// `[at [nexthdr+]OFF]` (parse_at): the offset and offmask, or the defaults.
    fn at(&mut self, off: i32, offmask: i32) -> Result<(i32, i32), ArgError> {
        if self.peek() != Some("at") {
            return Ok((off, offmask));
        }
        self.i += 1;
        let w = self.next("the offset after `at`")?;
        let (s, offmask) = match w.strip_prefix("nexthdr+") {
            Some(r) if !r.is_empty() => (r, -1),
            _ if abbrev(w, "nexthdr+") => (self.next("the offset after `nexthdr+`")?, -1),
            _ => (w, offmask),
        };
        let off = parse_i32(s)
            .ok_or_else(|| self.bad(format!("the offset {s:?} after `at` is not an integer")))?;
        Ok((off, offmask))
    }

    /// Nothing may follow.
    fn end(&self) -> Result<(), ArgError> {
        match self.peek() {
            None => Ok(()),
            Some(w) => Err(self.bad(format!("{w:?} does not belong here"))),
        }
    }
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
        if off % 4 != 0 {
            return Err(ArgError::new(
                k,
                format!("a u32 match is at a multiple of 4, not at {off}"),
            ));
        }
        self.keys.push(Key {
            val,
            mask,
            off,
            offmask,
        });
        Ok(())
    }

    /// `pack_key16`: a 16-bit value at `off` within its 32-bit word (the upper half when
    /// `off` is a multiple of 4, else the lower, as tc).
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

    /// One `match` clause, in iproute2's words (tc/f_u32.c `parse_selector`):
    /// `u32|u16|u8 V M [at [nexthdr+]O]`; `ip src|dst PREFIX`, `ip tos|dsfield|precedence|ihl|
    /// protocol|sport|dport|icmp_type|icmp_code V M`, `ip nofrag|firstfrag|df|mf`;
    /// `ip6 src|dst PREFIX`, `ip6 priority|protocol|flowlabel|sport|dport|icmp_type|icmp_code
    /// V M`; `tcp|udp src|dst V M` and `icmp type|code V M` (from the next header);
    /// `ether src|dst MAC`; `mark V M` (TCA_U32_MARK). Values as tc reads them: V decimal,
    /// 0x-hex or 0-octal, M hex; `at O` moves any of them but the fixed ones and `ip6
    /// priority`.
    pub fn add_match(&mut self, k: &str, text: &str) -> Result<(), ArgError> {
        let mut w = Words::new(k, text);
        let sel = w.next("the selector (u32, ip, ip6, tcp, udp, icmp, mark, ether ...)")?;
        let Some(&sel) = SELECTORS.iter().find(|s| abbrev(sel, s)) else {
            return Err(w.bad(format!(
                "{sel:?} is not a selector; one of {}",
                SELECTORS.join(", ")
            )));
        };
        let (how, off, offmask) = match sel {
            "u32" => (Field::U32, 0, 0),
            "u16" => (Field::U16, 0, 0),
            "u8" => (Field::U8, 0, 0),
            "mark" => {
                let (val, mask) = (w.num("the mark")?, w.num("the mark's mask")?);
                w.end()?;
                if val & mask != val {
                    return Err(w.bad("the mark has bits outside its mask"));
                }
                if self.mark.is_some() {
                    return Err(w.bad("a second mark (a filter has one)"));
                }
                self.mark = Some((val, mask));
                return Ok(());
            }
            proto => {
                let word = w.next(&format!("the {proto} field"))?;
                let Some(&(_, _, _, how, off, om)) = FIELDS
                    .iter()
                    .find(|f| f.0 == proto && (f.1 == word || (f.2 && abbrev(word, f.1))))
                else {
                    let names: Vec<&str> = FIELDS
                        .iter()
                        .filter(|f| f.0 == proto)
                        .map(|f| f.1)
                        .collect();
                    return Err(w.bad(format!(
                        "{proto} has no field {word:?}; one of {}",
                        names.join(", ")
                    )));
                };
                (how, off, om)
            }
        };
        self.field(&mut w, how, off, offmask)?;
        w.end()
    }

    /// The value of one selector field and its keys.
    fn field(&mut self, w: &mut Words, how: Field, off: i32, offmask: i32) -> Result<(), ArgError> {
        let k = w.k;
        match how {
            Field::U32 | Field::U16 | Field::U8 => {
                let (val, mask) = (w.num("the value")?, w.hex("the mask")?);
                if how == Field::U8 && (val > 0xff || mask > 0xff) {
                    return Err(w.bad("a u8 value and mask must fit 8 bits"));
                }
                let (off, om) = w.at(off, offmask)?;
                let r = match how {
                    Field::U32 => self.pack(k, val, mask, off, om),
                    Field::U16 => self.pack16(k, val, mask, off, om),
                    _ => self.pack8(k, val, mask, off, om),
                };
                r.map_err(|e| w.bad(e.reason))
            }
            Field::Ip6Class => {
                let (val, mask) = (w.num("the value")?, w.hex("the mask")?);
                if val > 0xff || mask > 0xff {
                    return Err(w.bad("a traffic class and its mask must fit 8 bits"));
                }
                self.pack(k, val << 20, mask << 20, off, offmask)
                    .map_err(|e| w.bad(e.reason))
            }
            Field::Fixed(val, mask) => self
                .pack16(k, val, mask, off, offmask)
                .map_err(|e| w.bad(e.reason)),
            Field::Ip4 | Field::Ip6 => {
                let p = w.next("the prefix")?;
                let (ip, len) = crate::args::prefix_arg(k, &Value::Str(p.to_string()))
                    .map_err(|e| w.bad(e.reason))?;
                let (off, om) = w.at(off, offmask)?;
                let words: Vec<u32> = match (ip, how) {
                    (IpAddr::V4(a), Field::Ip4) => vec![u32::from(a)],
                    (IpAddr::V6(a), Field::Ip6) => a
                        .octets()
                        .chunks(4)
                        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                    (_, Field::Ip4) => return Err(w.bad(format!("{p:?} is not an IPv4 prefix"))),
                    _ => return Err(w.bad(format!("{p:?} is not an IPv6 prefix"))),
                };
                let mut left = u32::from(len.unwrap_or(words.len() as u8 * 32));
                for (i, word) in words.into_iter().enumerate() {
                    if left == 0 && how == Field::Ip6 {
                        break;
                    }
                    // ip: a /0 is one key of mask 0; ip6 sends the words the prefix covers.
                    let bits = left.min(32);
                    let mask = if bits == 0 {
                        0
                    } else {
                        u32::MAX << (32 - bits)
                    };
                    self.pack(k, word, mask, off + 4 * i as i32, om)
                        .map_err(|e| w.bad(e.reason))?;
                    left -= bits;
                }
                Ok(())
            }
            Field::Ether => {
                let m = w.next("the MAC address")?;
                let bytes: Vec<u8> = m
                    .split(':')
                    .map(|b| {
                        (1..=2)
                            .contains(&b.len())
                            .then(|| u8::from_str_radix(b, 16).ok())
                            .flatten()
                    })
                    .collect::<Option<_>>()
                    .filter(|b: &Vec<u8>| b.len() == 6)
                    .ok_or_else(|| w.bad(format!("{m:?} is not a MAC address")))?;
                let (off, om) = w.at(off, offmask)?;
                for (i, b) in bytes.into_iter().enumerate() {
                    self.pack8(k, b.into(), 0xff, off + i as i32, om)
                        .map_err(|e| w.bad(e.reason))?;
                }
                Ok(())
            }
        }
    }

    /// `offset [plus P] [at O] [mask M] [shift S] [eat]` (parse_offset): where the next
    /// header starts, fixed (`plus`) or read from the packet (`at`, `mask`, `shift`).
    pub fn add_offset(&mut self, k: &str, text: &str) -> Result<(), ArgError> {
        let mut w = Words::new(k, text);
        if w.peek().is_none() {
            return Err(w.bad("plus, at, mask, shift or eat is missing"));
        }
        while let Some(word) = w.peek() {
            w.i += 1;
            if abbrev(word, "plus") {
                let p = w.int("plus")?;
                self.off = u16::try_from(p)
                    .or_else(|_| i16::try_from(p).map(|p| p as u16))
                    .map_err(|_| w.bad(format!("plus {p} does not fit 16 bits")))?;
                self.flags |= TC_U32_OFFSET;
            } else if abbrev(word, "at") {
                let o = w.int("at")?;
                self.offoff = i16::try_from(o)
                    .ok()
                    .filter(|o| o % 2 == 0)
                    .ok_or_else(|| w.bad(format!("at {o}: an even offset of 16 bits")))?;
                self.flags |= TC_U32_VAROFFSET;
            } else if abbrev(word, "mask") {
                let m = w.hex("mask")?;
                self.offmask = u16::try_from(m)
                    .map_err(|_| w.bad(format!("mask {m:#x} does not fit 16 bits")))?;
                self.flags |= TC_U32_VAROFFSET;
            } else if abbrev(word, "shift") {
                let s = w.int("shift")?;
                self.offshift =
                    u8::try_from(s).map_err(|_| w.bad(format!("shift {s} is not 0..=255")))?;
                self.flags |= TC_U32_VAROFFSET;
            } else if abbrev(word, "eat") {
                self.flags |= TC_U32_EAT;
            } else {
                return Err(w.bad(format!(
                    "{word:?} is not an offset word (plus, at, mask, shift, eat)"
                )));
            }
        }
        Ok(())
    }

    /// `hashkey [mask M] [at O]` (parse_hashkey): the bits of the word at O that pick the
    /// bucket of the table `link` names.
    pub fn add_hashkey(&mut self, k: &str, text: &str) -> Result<(), ArgError> {
        let mut w = Words::new(k, text);
        if w.peek().is_none() {
            return Err(w.bad("mask or at is missing"));
        }
        while let Some(word) = w.peek() {
            w.i += 1;
            if abbrev(word, "mask") {
                self.hmask = w.hex("mask")?;
            } else if abbrev(word, "at") {
                let o = w.int("at")?;
                self.hoff = i16::try_from(o)
                    .ok()
                    .filter(|o| o % 4 == 0)
                    .ok_or_else(|| w.bad(format!("at {o}: a multiple of 4 of 16 bits")))?;
            } else {
                return Err(w.bad(format!("{word:?} is not a hashkey word (mask, at)")));
            }
        }
        Ok(())
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
            Value::map([
                ("flags", Value::Int(self.flags.into())),
                ("offshift", Value::Int(self.offshift.into())),
                ("offmask", Value::Int(self.offmask.into())),
                ("off", Value::Int(self.off.into())),
                ("offoff", Value::Int(self.offoff.into())),
                ("hoff", Value::Int(self.hoff.into())),
                ("hmask", Value::Int(self.hmask.into())),
            ]),
            Value::List(keys),
        ])
    }

    /// The value of TCA_U32_MARK, when a `match mark` was given.
    pub fn mark_value(&self) -> Option<Value> {
        self.mark.map(|(val, mask)| {
            Value::map([
                ("val", Value::Int(val.into())),
                ("mask", Value::Int(mask.into())),
                ("success", Value::Int(0)),
            ])
        })
    }
}

/// `sample SELECTOR [divisor N]`: the bucket a packet carrying SELECTOR's one key hashes to,
/// as bits 12..20 of TCA_U32_HASH: tc's `u32_hash_fold` (the key's masked value shifted down
/// to its mask's lowest bit) modulo the divisor (default 256).
pub fn sample(k: &str, text: &str) -> Result<u32, ArgError> {
    let w: Vec<&str> = text.split_whitespace().collect();
    let (sel, div) = match w.as_slice() {
        [s @ .., "divisor", d] => (s, Some(*d)),
        s => (s, None),
    };
    let divisor = match div {
        Some(d) => divisor_arg(k, d)?,
        None => 256,
    };
    let mut s = Sel::default();
    s.add_match(k, &sel.join(" "))?;
    let [key] = s.keys.as_slice() else {
        return Err(ArgError::new(
            k,
            format!(
                "{text:?}: a sample is one key (one 32-bit word), not {}",
                s.keys.len()
            ),
        ));
    };
    if s.mark.is_some() {
        return Err(ArgError::new(
            k,
            format!("{text:?}: a mark is not a sample"),
        ));
    }
    let fold = match key.mask {
        0 => 0,
        m => (key.val & m) >> m.trailing_zeros(),
    };
    Ok((fold % divisor) << 12)
}

/// A hash table's divisor as tc takes it (`get_unsigned`, base 0): a power of two, 1..=256.
pub fn divisor_arg(k: &str, s: &str) -> Result<u32, ArgError> {
    parse_u32(s)
        .filter(|d| (1..=256).contains(d) && d.is_power_of_two())
        .ok_or_else(|| ArgError::new(k, format!("{s:?} is not a power of two 1..=256")))
}

/// Where tc writes each u32 attribute as it parses: after the keyword that gives it, so the
/// rank of an attribute is the place of its keyword among `order` (the caller's keywords);
/// those written at the end (hash, sel, flags) rank last.
pub fn rank(attr: &str, order: &[String]) -> usize {
    let keys: &[&str] = match attr {
        "classid" => &["classid", "flowid", "target"],
        "act" => &["action", "actions"],
        "mark" => &["match"],
        "link" | "divisor" | "indev" | "police" => &[attr][..],
        _ => &[],
    };
    order
        .iter()
        .position(|o| keys.contains(&o.as_str()))
        .unwrap_or(usize::MAX)
}

/// A signed number as tc's `get_integer(.., 0)` reads it: an optional sign, then decimal,
/// `0x` hex or `0` octal.
pub fn parse_i32(s: &str) -> Option<i32> {
    let (neg, m) = match s.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if m.starts_with(['+', '-']) {
        return None;
    }
    let v = i64::from(parse_u32(m)?);
    i32::try_from(if neg { -v } else { v }).ok()
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
/// `htid << 20 | hash << 12 | node`, or a raw `0x` number (a plain number without a colon is
/// refused, as tc does).
pub fn u32_handle(k: &str, s: &str) -> Result<u32, ArgError> {
    let bad = |why: &str| {
        ArgError::new(
            k,
            format!("{s:?} is not a u32 handle (htid:hash:node): {why}"),
        )
    };
    if !s.contains(':') {
        return match s.strip_prefix("0x") {
            Some(h) => u32::from_str_radix(h, 16).map_err(|_| bad("not hex")),
            None => Err(bad("no colon (write 800: for a table, 800::1 for a node)")),
        };
    }
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
    fn every_selector_word_as_tc_packs_it() {
        let keys = |clauses: &[&str]| {
            let mut s = Sel::default();
            for c in clauses {
                s.add_match("match", c).unwrap();
            }
            s.keys
                .iter()
                .map(|k| (k.val, k.mask, k.off, k.offmask))
                .collect::<Vec<_>>()
        };
        // ip6 prefixes: whole words, then the partial one; none for /0.
        assert_eq!(
            keys(&["ip6 src 2001:db8:f::/45"]),
            [
                (0x2001_0db8, u32::MAX, 8, 0),
                (0x0008_0000, 0xfff8_0000, 12, 0)
            ]
        );
        assert!(keys(&["ip6 dst ::/0"]).is_empty());
        // Traffic class and flow label share word 0; icmp_code has tc's offmask 1.
        assert_eq!(
            keys(&["ip6 priority 0x10 0xff", "ip6 flowlabel 0x12345 0xfffff"]),
            [(0x0101_2345, 0x0fff_ffff, 0, 0)]
        );
        assert_eq!(
            keys(&["ip6 icmp_type 128 0xff", "ip6 icmp_code 1 ff"]),
            [
                (0x8000_0000, 0xff00_0000, 40, 0),
                (0x0001_0000, 0x00ff_0000, 40, 1)
            ]
        );
        // Masks are hex with or without 0x (tc's get_u32(.., 16)); values decimal/0x/octal.
        assert_eq!(keys(&["u8 010 ff at 9"]), keys(&["u8 8 0xff at 9"]));
        assert_eq!(keys(&["u16 80 ffff at 22"]), [(80, 0xffff, 20, 0)]);
        assert_eq!(
            keys(&["ip nofrag", "ip protocol 6 0xff"]),
            [(0, 0x3fff, 4, 0), (0x0006_0000, 0x00ff_0000, 8, 0)]
        );
        assert_eq!(
            keys(&["ip df", "ip mf", "ip firstfrag"]),
            [(0x6000, 0x7fff, 4, 0)]
        );
        assert_eq!(
            keys(&["tcp dst 80 0xffff", "icmp code 3 0xff"]),
            [(0x0003_0050, 0x00ff_ffff, 0, -1)]
        );
        assert_eq!(
            keys(&["ether src 02:00:00:00:00:01", "ether dst 2:0:0:0:a:b"]),
            [
                (0x0200_0000, u32::MAX, -8, 0),
                (0x0001_0000, 0xffff_0000, -4, 0),
                (0x0000_0200, 0x0000_ffff, -16, 0),
                (0x0000_0a0b, u32::MAX, -12, 0)
            ]
        );
        // tc's abbreviations: `ip dsf`, `ip prec`, `u` for u32, `ic` for icmp.
        assert_eq!(keys(&["ip dsf 0x10 0xfc"]), keys(&["ip tos 0x10 0xfc"]));
        assert_eq!(keys(&["ip prec 0xa0 0xe0"]), keys(&["ip tos 0xa0 0xe0"]));
        assert_eq!(keys(&["u 1 1 at 4"]), keys(&["u32 1 1 at 4"]));
        assert_eq!(keys(&["ic type 8 ff"]), keys(&["icmp type 8 ff"]));
        let mut s = Sel::default();
        s.add_match("match", "mark 0x10 0xff").unwrap();
        assert_eq!((s.mark, s.keys.len()), (Some((0x10, 0xff)), 0));
    }

    #[test]
    fn a_bad_selector_is_an_arg_error_naming_it() {
        for (clause, needle) in [
            ("ip6 dst 2001:db8::/129", "longer than 128"),
            ("ip src 2001:db8::1", "not an IPv4"),
            ("ip6 src 10.0.0.1", "not an IPv6"),
            ("ip bogus 1 2", "sport"),
            ("frob 1 2", "ether"),
            ("ip nofrag at 4", "\"at\" does not belong"),
            ("ether src 02:00", "not a MAC"),
            ("u32 1 1 at 2", "multiple of 4"),
            ("u8 0x100 0xff at 1", "fit 8 bits"),
            ("mark 3 1", "outside its mask"),
            ("ip6 priority 0x100 0xff", "fit 8 bits"),
            ("ip dport 80", "mask is missing"),
            ("ip dport 80 zz", "not a hex number"),
            ("u32 1 1 at nexthdr+", "missing"),
            ("", "selector"),
        ] {
            let e = Sel::default().add_match("match", clause).unwrap_err();
            assert!(
                e.name == "match" && e.reason.contains(needle),
                "{clause}: {e}"
            );
        }
        let mut s = Sel::default();
        s.add_match("match", "mark 1 1").unwrap();
        assert!(s.add_match("match", "mark 2 2").is_err());
    }

    #[test]
    fn offset_hashkey_and_sample() {
        let mut s = Sel::default();
        s.add_offset("offset", "at 0 mask 0f00 shift 6 eat")
            .unwrap();
        s.add_offset("offset", "plus 20").unwrap();
        assert_eq!((s.offoff, s.offmask, s.offshift, s.off), (0, 0x0f00, 6, 20));
        assert_eq!(s.flags, TC_U32_OFFSET | TC_U32_VAROFFSET | TC_U32_EAT);
        s.add_hashkey("hashkey", "mask 0x000000ff at 20").unwrap();
        assert_eq!((s.hmask, s.hoff), (0xff, 20));
        for (k, text, needle) in [
            ("offset", "at 3", "even"),
            ("offset", "mask 10000", "16 bits"),
            ("offset", "frob", "plus, at, mask"),
            ("offset", "", "missing"),
            ("hashkey", "at 6", "multiple of 4"),
            ("hashkey", "mask", "missing"),
        ] {
            let e = if k == "offset" {
                s.add_offset(k, text)
            } else {
                s.add_hashkey(k, text)
            }
            .unwrap_err();
            assert!(e.name == k && e.reason.contains(needle), "{text}: {e}");
        }
        // 10.0.0.5 folds to itself, modulo 256 or 16; a byte at bit 16 folds down.
        assert_eq!(sample("sample", "ip src 10.0.0.5/32").unwrap(), 5 << 12);
        assert_eq!(
            sample("sample", "ip src 10.0.0.21/32 divisor 16").unwrap(),
            5 << 12
        );
        assert_eq!(sample("sample", "ip protocol 6 0xff").unwrap(), 6 << 12);
        assert!(sample("sample", "ip6 dst 2001:db8::/64").is_err());
        assert!(sample("sample", "mark 1 1").is_err());
        assert!(sample("sample", "ip src 10.0.0.5 divisor 3").is_err());
        assert!(sample("sample", "ip src 10.0.0.5 divisor 512").is_err());
    }

    #[test]
    fn u32_handles() {
        assert_eq!(u32_handle("ht", "0x80000000").unwrap(), 0x8000_0000);
        assert!(u32_handle("ht", "800").is_err());
        assert_eq!(u32_handle("ht", "800:").unwrap(), 0x8000_0000);
        assert_eq!(u32_handle("handle", "800::1").unwrap(), 0x8000_0001);
        assert_eq!(u32_handle("handle", "1:2:3").unwrap(), 0x0010_2003);
        assert!(u32_handle("ht", "1000:").is_err());
    }
}
