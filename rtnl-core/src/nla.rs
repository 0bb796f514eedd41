//! Netlink attributes (`struct nlattr`): reading and writing.
//!
//! An attribute is a 4-byte header (`nla_len: u16`, `nla_type: u16`) followed by its payload and
//! padding to a multiple of 4. Reading is a checked iterator over `(type, payload)` pairs with
//! `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER` masked off; an [`Index`] records, in one pass, where
//! the first attribute of each type starts so that typed getters never rescan. Writing appends to
//! a `Vec<u8>`; a nest is opened with [`begin_nest`] and its length patched by [`end_nest`].
//!
//! Nothing here panics on any input: a truncated header, a length below 4 or beyond the buffer is
//! a [`DecodeError`]. Payloads are byte slices: alignment is never assumed.

use crate::error::DecodeError;

/// Size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;
/// The "payload is nested attributes" bit of `nla_type`.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// The "payload is in network byte order" bit of `nla_type`.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// Mask of the type bits of `nla_type`.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Rounds `len` up to the netlink alignment (4).
#[inline]
pub const fn align(len: usize) -> usize {
    (len + 3) & !3
}

/// One attribute read from a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttr<'a> {
    /// The type with `NLA_F_NESTED`/`NLA_F_NET_BYTEORDER` masked off.
    pub id: u16,
    /// The payload (without header and padding).
    pub payload: &'a [u8],
    /// Offset of the attribute header within the buffer that was iterated.
    pub offset: usize,
}

/// Iterator over the attributes of a buffer; yields one error and stops on malformed data.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

impl<'a> Attrs<'a> {
    /// Iterates the attributes in `buf`.
    ///
    /// ```
    /// let bytes = [8, 0, 4, 0, 3, 0, 0, 0]; // RTA_OIF = 3
    /// let a: Vec<_> = rtnl_core::nla::Attrs::new(&bytes).collect::<Result<_, _>>().unwrap();
    /// assert_eq!((a[0].id, a[0].payload), (4, &[3, 0, 0, 0][..]));
    /// ```
    pub fn new(buf: &'a [u8]) -> Self {
        Attrs {
            buf,
            pos: 0,
            failed: false,
        }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<RawAttr<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let rest = &self.buf[self.pos..];
        let offset = self.pos;
        if rest.len() < NLA_HDRLEN {
            // Trailing bytes shorter than a header: tolerated only if they are padding (zeros).
            if rest.iter().all(|b| *b == 0) {
                self.pos = self.buf.len();
                return None;
            }
            self.failed = true;
            return Some(Err(DecodeError::new(
                "nlattr header",
                offset,
                "truncated header",
            )));
        }
        let len = u16::from_ne_bytes([rest[0], rest[1]]) as usize;
        let ty = u16::from_ne_bytes([rest[2], rest[3]]);
        if len < NLA_HDRLEN {
            self.failed = true;
            return Some(Err(DecodeError::new("nlattr", offset, "nla_len below 4")));
        }
        if len > rest.len() {
            self.failed = true;
            return Some(Err(DecodeError::new(
                "nlattr",
                offset,
                "nla_len beyond the buffer",
            )));
        }
        self.pos += align(len).min(rest.len());
        Some(Ok(RawAttr {
            id: ty & NLA_TYPE_MASK,
            payload: &rest[NLA_HDRLEN..len],
            offset,
        }))
    }
}

/// Where the first attribute of each type `< N` starts: built in one pass over a buffer.
///
/// Slot `id` holds the offset of the attribute's header plus one (0 = absent); the payload
/// length is read back from that header, so a slot is 4 bytes and a route index 128 bytes.
#[derive(Debug, Clone)]
pub struct Index<const N: usize> {
    slots: [u32; N],
}

impl<const N: usize> Index<N> {
    /// Scans `buf` once. Attribute ids `>= N` are not indexed (they can still be iterated).
    pub fn build(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut slots = [0u32; N];
        for a in Attrs::new(buf) {
            let a = a?;
            if let Some(slot) = slots.get_mut(a.id as usize)
                && *slot == 0
            {
                *slot = (a.offset + 1) as u32;
            }
        }
        Ok(Index { slots })
    }

    /// The payload of the first attribute `id` in `buf` (the buffer the index was built from).
    #[inline]
    pub fn get<'a>(&self, buf: &'a [u8], id: u16) -> Option<&'a [u8]> {
        let at = *self.slots.get(id as usize)? as usize;
        if at == 0 {
            return None;
        }
        let hdr = buf.get(at - 1..at + 1)?;
        let len = u16::from_ne_bytes([hdr[0], hdr[1]]) as usize;
        buf.get(at - 1 + NLA_HDRLEN..at - 1 + len)
    }
}

/// Appends one attribute with `payload`.
///
/// ```
/// let mut buf = Vec::new();
/// rtnl_core::nla::put(&mut buf, 3, b"lo\0");
/// assert_eq!(buf, [7, 0, 3, 0, b'l', b'o', 0, 0]);
/// ```
pub fn put(buf: &mut Vec<u8>, id: u16, payload: &[u8]) {
    let len = (NLA_HDRLEN + payload.len()).min(u16::MAX as usize) as u16;
    buf.extend_from_slice(&len.to_ne_bytes());
    buf.extend_from_slice(&id.to_ne_bytes());
    buf.extend_from_slice(payload);
    pad(buf);
}

/// Appends a string attribute (NUL-terminated).
pub fn put_str(buf: &mut Vec<u8>, id: u16, s: &str) {
    let start = begin_nest_raw(buf, id);
    buf.extend_from_slice(s.as_bytes());
    buf.push(0);
    end_nest(buf, start);
}

/// Pads `buf` with zeros to the netlink alignment.
pub fn pad(buf: &mut Vec<u8>) {
    buf.resize(align(buf.len()), 0);
}

/// Opens a nest; returns the offset to hand to [`end_nest`].
///
/// `NLA_F_NESTED` is not set: neither iproute2 nor pyroute2 sets it on rtnetlink nests, the
/// kernel's rtnetlink policies do not require it, and golden tests compare bytes with both.
pub fn begin_nest(buf: &mut Vec<u8>, id: u16) -> usize {
    begin_nest_raw(buf, id)
}

/// Opens an attribute whose length is patched later, with the type exactly as given.
pub fn begin_nest_raw(buf: &mut Vec<u8>, ty: u16) -> usize {
    let start = buf.len();
    buf.extend_from_slice(&0u16.to_ne_bytes());
    buf.extend_from_slice(&ty.to_ne_bytes());
    start
}

/// Closes an attribute opened at `start`: patches its length and pads.
pub fn end_nest(buf: &mut Vec<u8>, start: usize) {
    let len = (buf.len() - start).min(u16::MAX as usize) as u16;
    buf[start..start + 2].copy_from_slice(&len.to_ne_bytes());
    pad(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_and_masks_flags() {
        let mut buf = Vec::new();
        put(&mut buf, 1, &[1, 2, 3]);
        let n = begin_nest(&mut buf, 2);
        put(&mut buf, 1, &[9; 4]);
        end_nest(&mut buf, n);
        let all: Vec<_> = Attrs::new(&buf).collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].payload, &[1, 2, 3]);
        assert_eq!(all[1].id, 2);
        assert_eq!(all[1].payload.len(), 8);
        assert_eq!(buf.len(), 8 + 12);
    }

    #[test]
    fn malformed_is_an_error_not_a_panic() {
        for bad in [&[5u8, 0, 1][..], &[2, 0, 1, 0], &[200, 0, 1, 0, 0, 0, 0, 0]] {
            let r: Result<Vec<_>, _> = Attrs::new(bad).collect();
            assert!(r.is_err(), "{bad:?}");
        }
        assert!(
            Attrs::new(&[0, 0]).next().is_none(),
            "zero padding is not an attribute"
        );
    }

    #[test]
    fn index_finds_first_occurrence() {
        let mut buf = Vec::new();
        put(&mut buf, 3, b"a");
        put(&mut buf, 3, b"b");
        put(&mut buf, 9, b"z");
        let idx = Index::<5>::build(&buf).unwrap();
        assert_eq!(idx.get(&buf, 3), Some(&b"a"[..]));
        assert_eq!(idx.get(&buf, 4), None);
        assert_eq!(idx.get(&buf, 9), None, "ids beyond N are not indexed");
    }
}
