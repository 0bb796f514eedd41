//! Value types of attribute payloads that are not plain integers: link-layer addresses, MPLS label
//! stacks, `nla_bitfield32`; and the checked payload readers the generated getters call.
//!
//! Every reader checks the payload length and returns a [`DecodeError`] naming the attribute; none
//! panics.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::DecodeError;

/// A link-layer address of any length (a MAC is 6 bytes), printed as `aa:bb:cc:dd:ee:ff`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LlAddr<'a>(pub(crate) &'a [u8]);

impl<'a> LlAddr<'a> {
    /// An address over `bytes`.
    pub const fn new(bytes: &'a [u8]) -> Self {
        LlAddr(bytes)
    }

    /// The address bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

impl fmt::Display for LlAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for LlAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LlAddr({self})")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LlAddr<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Parses `aa:bb:cc:dd:ee:ff` (any number of hex bytes separated by `:` or `-`).
///
/// ```
/// assert_eq!(rtnl_core::types::parse_lladdr("02:00:00:00:00:0a"), Some(vec![2, 0, 0, 0, 0, 10]));
/// assert_eq!(rtnl_core::types::parse_lladdr("zz"), None);
/// ```
pub fn parse_lladdr(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() {
        return None;
    }
    s.split([':', '-'])
        .map(|p| {
            if p.len() <= 2 && !p.is_empty() {
                u8::from_str_radix(p, 16).ok()
            } else {
                None
            }
        })
        .collect()
}

/// One MPLS label stack entry (`struct mpls_label`, network order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MplsLabel {
    /// The 20-bit label.
    pub label: u32,
    /// Traffic class (3 bits).
    pub tc: u8,
    /// Bottom of stack.
    pub bos: bool,
    /// Time to live.
    pub ttl: u8,
}

impl MplsLabel {
    /// Decodes one big-endian entry.
    pub fn from_be(v: u32) -> Self {
        MplsLabel {
            label: v >> 12,
            tc: ((v >> 9) & 7) as u8,
            bos: (v >> 8) & 1 == 1,
            ttl: v as u8,
        }
    }
    /// Encodes into the big-endian entry.
    pub fn to_be(&self) -> u32 {
        (self.label << 12)
            | ((self.tc as u32 & 7) << 9)
            | ((self.bos as u32) << 8)
            | self.ttl as u32
    }
}

/// An MPLS label stack, as found in `RTA_NEWDST` and `MPLS_IPTUNNEL_DST`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MplsLabels<'a>(pub(crate) &'a [u8]);

impl<'a> MplsLabels<'a> {
    /// A label stack over `bytes` (4 bytes per entry, network order).
    pub const fn new(bytes: &'a [u8]) -> Self {
        MplsLabels(bytes)
    }

    /// The stack's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The entries (a trailing partial entry is ignored: the getter already checked the length).
    pub fn iter(&self) -> impl Iterator<Item = MplsLabel> + '_ {
        self.0
            .chunks_exact(4)
            .map(|c| MplsLabel::from_be(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
    }
}

impl fmt::Display for MplsLabels<'_> {
    /// iproute2's form: `100/200`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, l) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            write!(f, "{}", l.label)?;
        }
        Ok(())
    }
}

impl fmt::Debug for MplsLabels<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MplsLabels({self})")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MplsLabels<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Encodes labels `[100, 200]` as a label stack with the bottom-of-stack bit on the last one.
pub fn encode_mpls(labels: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(labels.len() * 4);
    for (i, l) in labels.iter().enumerate() {
        let e = MplsLabel {
            label: *l,
            tc: 0,
            bos: i + 1 == labels.len(),
            ttl: 0,
        };
        out.extend_from_slice(&e.to_be().to_be_bytes());
    }
    out
}

/// `struct nla_bitfield32`: which bits of `selector` are valid, and their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bitfield32 {
    /// The bit values.
    pub value: u32,
    /// Which bits `value` sets.
    pub selector: u32,
}

impl Bitfield32 {
    /// The 8 payload bytes.
    pub fn to_bytes(&self) -> [u8; 8] {
        let mut b = [0; 8];
        b[..4].copy_from_slice(&self.value.to_ne_bytes());
        b[4..].copy_from_slice(&self.selector.to_ne_bytes());
        b
    }
}

/// Checked readers of attribute payloads. `what` names the attribute in the error.
pub mod read {
    use super::*;

    fn exact<const N: usize>(p: &[u8], what: &'static str) -> Result<[u8; N], DecodeError> {
        p.get(..N)
            .filter(|_| p.len() == N || (p.len() > N && p[N..].iter().all(|b| *b == 0)))
            .and_then(|s| s.try_into().ok())
            .ok_or(DecodeError::new(what, 0, "payload has the wrong length"))
    }

    /// A native-endian `u8`.
    pub fn u8(p: &[u8], what: &'static str) -> Result<u8, DecodeError> {
        Ok(exact::<1>(p, what)?[0])
    }
    /// A native-endian `u16`.
    pub fn u16(p: &[u8], what: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_ne_bytes(exact(p, what)?))
    }
    /// A native-endian `u32`.
    pub fn u32(p: &[u8], what: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_ne_bytes(exact(p, what)?))
    }
    /// A native-endian `u64`.
    pub fn u64(p: &[u8], what: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_ne_bytes(exact(p, what)?))
    }
    /// A native-endian `i8`.
    pub fn s8(p: &[u8], what: &'static str) -> Result<i8, DecodeError> {
        Ok(exact::<1>(p, what)?[0] as i8)
    }
    /// A native-endian `i16`.
    pub fn s16(p: &[u8], what: &'static str) -> Result<i16, DecodeError> {
        Ok(i16::from_ne_bytes(exact(p, what)?))
    }
    /// A native-endian `i32`.
    pub fn s32(p: &[u8], what: &'static str) -> Result<i32, DecodeError> {
        Ok(i32::from_ne_bytes(exact(p, what)?))
    }
    /// A native-endian `i64`.
    pub fn s64(p: &[u8], what: &'static str) -> Result<i64, DecodeError> {
        Ok(i64::from_ne_bytes(exact(p, what)?))
    }
    /// A network-order `u16`, returned in host order.
    pub fn be16(p: &[u8], what: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(exact(p, what)?))
    }
    /// A network-order `u32`, returned in host order.
    pub fn be32(p: &[u8], what: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(exact(p, what)?))
    }
    /// A network-order `u64`, returned in host order.
    pub fn be64(p: &[u8], what: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(exact(p, what)?))
    }
    /// A NUL-terminated (or unterminated) UTF-8 string.
    pub fn string<'a>(p: &'a [u8], what: &'static str) -> Result<&'a str, DecodeError> {
        let end = p.iter().position(|b| *b == 0).unwrap_or(p.len());
        std::str::from_utf8(&p[..end]).map_err(|_| DecodeError::new(what, 0, "string is not UTF-8"))
    }
    /// An IPv4 address.
    pub fn ip4(p: &[u8], what: &'static str) -> Result<Ipv4Addr, DecodeError> {
        Ok(Ipv4Addr::from(exact::<4>(p, what)?))
    }
    /// An IPv6 address.
    pub fn ip6(p: &[u8], what: &'static str) -> Result<Ipv6Addr, DecodeError> {
        Ok(Ipv6Addr::from(exact::<16>(p, what)?))
    }
    /// An IPv4 or IPv6 address, by length.
    pub fn ipaddr(p: &[u8], what: &'static str) -> Result<IpAddr, DecodeError> {
        match p.len() {
            4 => Ok(IpAddr::V4(ip4(p, what)?)),
            16 => Ok(IpAddr::V6(ip6(p, what)?)),
            _ => Err(DecodeError::new(
                what,
                0,
                "address is neither 4 nor 16 bytes",
            )),
        }
    }
    /// An `nla_bitfield32`.
    pub fn bitfield32(p: &[u8], what: &'static str) -> Result<Bitfield32, DecodeError> {
        let b: [u8; 8] = exact(p, what)?;
        Ok(Bitfield32 {
            value: u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
            selector: u32::from_ne_bytes([b[4], b[5], b[6], b[7]]),
        })
    }
    /// An MPLS label stack (a multiple of 4 bytes).
    pub fn mpls<'a>(p: &'a [u8], what: &'static str) -> Result<MplsLabels<'a>, DecodeError> {
        if !p.len().is_multiple_of(4) {
            return Err(DecodeError::new(
                what,
                0,
                "label stack is not a multiple of 4 bytes",
            ));
        }
        Ok(MplsLabels(p))
    }
    /// A flag: present means true; a payload is tolerated.
    pub fn flag(_p: &[u8], _what: &'static str) -> Result<bool, DecodeError> {
        Ok(true)
    }
    /// A zero-copy struct view at the start of `p` (a longer payload is allowed: kernels append
    /// fields to structs over time).
    pub fn structure<'a, T>(p: &'a [u8], what: &'static str) -> Result<&'a T, DecodeError>
    where
        T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
    {
        T::ref_from_prefix(p)
            .map(|(t, _)| t)
            .map_err(|_| DecodeError::new(what, 0, "payload shorter than its struct"))
    }
    /// A struct followed by the rest of the payload.
    pub fn struct_prefix<'a, T>(
        p: &'a [u8],
        what: &'static str,
    ) -> Result<(&'a T, &'a [u8]), DecodeError>
    where
        T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
    {
        T::ref_from_prefix(p)
            .map_err(|_| DecodeError::new(what, 0, "payload shorter than its struct"))
    }
    /// A struct followed by trailing structs that fill the rest of the payload (a partial entry
    /// at the end is an error: those bytes would otherwise be lost).
    pub fn struct_rest<'a, T, U>(
        p: &'a [u8],
        what: &'static str,
    ) -> Result<(&'a T, &'a [U]), DecodeError>
    where
        T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
        U: zerocopy::FromBytes + zerocopy::Immutable + zerocopy::Unaligned,
    {
        let (head, rest) = struct_prefix::<T>(p, what)?;
        let tail = <[U] as zerocopy::FromBytes>::ref_from_bytes(rest).map_err(|_| {
            DecodeError::new(
                what,
                std::mem::size_of::<T>(),
                "trailing bytes are not a whole number of entries",
            )
        })?;
        Ok((head, tail))
    }

    /// Structs filling the whole payload, with no header (NHA_GROUP); a partial entry at the
    /// end is an error.
    pub fn struct_array<'a, T>(p: &'a [u8], what: &'static str) -> Result<&'a [T], DecodeError>
    where
        T: zerocopy::FromBytes + zerocopy::Immutable + zerocopy::Unaligned,
    {
        <[T] as zerocopy::FromBytes>::ref_from_bytes(p)
            .map_err(|_| DecodeError::new(what, 0, "payload is not a whole number of entries"))
    }

    /// A struct followed by `count` trailing structs.
    pub fn struct_trailing<'a, T, U>(
        p: &'a [u8],
        count: usize,
        what: &'static str,
    ) -> Result<(&'a T, &'a [U]), DecodeError>
    where
        T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
        U: zerocopy::FromBytes + zerocopy::Immutable + zerocopy::Unaligned,
    {
        let (head, rest) = struct_prefix::<T>(p, what)?;
        let (tail, _) = <[U] as zerocopy::FromBytes>::ref_from_prefix_with_elems(rest, count)
            .map_err(|_| {
                DecodeError::new(what, 0, "fewer trailing entries than the count field says")
            })?;
        Ok((head, tail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lladdr_prints_and_parses() {
        let b = [0x02, 0, 0, 0, 0, 0xaa];
        assert_eq!(LlAddr(&b).to_string(), "02:00:00:00:00:aa");
        assert_eq!(parse_lladdr("02:00:00:00:00:aa").unwrap(), b);
    }

    #[test]
    fn mpls_round_trip() {
        let bytes = encode_mpls(&[100, 200]);
        let labels: Vec<_> = MplsLabels(&bytes).iter().collect();
        assert_eq!(labels[0].label, 100);
        assert!(!labels[0].bos && labels[1].bos);
        assert_eq!(MplsLabels(&bytes).to_string(), "100/200");
    }

    #[test]
    fn readers_check_length() {
        assert!(read::u32(&[1, 2, 3], "x").is_err());
        assert_eq!(read::be16(&[1, 2], "x").unwrap(), 0x0102);
        assert!(read::ipaddr(&[1; 5], "x").is_err());
        assert_eq!(read::string(b"eth0\0", "x").unwrap(), "eth0");
    }
}
