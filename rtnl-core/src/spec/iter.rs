//! Iterators over repeated payloads, for generated getters: indexed arrays ([`Array`]) and
//! `RTA_MULTIPATH`-style struct-then-attributes entries ([`Multipath`], [`MultipathIter`]).
//!
//! They borrow the received bytes and never allocate or panic: a malformed entry is one
//! `Err(DecodeError)`, after which a multipath iterator stops.

use super::select::Ctx;
use crate::error::DecodeError;
use crate::nla;
use crate::types::read;

/// Iterator over `RTA_MULTIPATH`-style arrays: a struct whose first `u16` is the length of the
/// struct plus its attributes, repeated.
#[derive(Debug, Clone)]
pub struct MultipathIter<'a> {
    buf: &'a [u8],
    head: usize,
    failed: bool,
}

impl<'a> MultipathIter<'a> {
    /// Iterates `buf`, whose structs are `head` bytes long.
    pub fn new(buf: &'a [u8], head: usize) -> Self {
        MultipathIter {
            buf,
            head,
            failed: false,
        }
    }
}

impl<'a> Iterator for MultipathIter<'a> {
    /// (struct bytes, attribute bytes)
    type Item = Result<(&'a [u8], &'a [u8]), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.buf.is_empty() {
            return None;
        }
        let len = match self.buf.get(..2) {
            Some(b) => u16::from_ne_bytes([b[0], b[1]]) as usize,
            None => 0,
        };
        if len < self.head || len > self.buf.len() {
            self.failed = true;
            return Some(Err(DecodeError::new(
                "multipath entry",
                0,
                "length field out of range",
            )));
        }
        let (item, rest) = self.buf.split_at(len);
        self.buf = rest.get(nla::align(len) - len..).unwrap_or(&[]);
        Some(Ok((
            &item[..self.head],
            &item[nla::align(self.head).min(len)..],
        )))
    }
}

/// Indexed array elements (nested attributes with ids 1..n), decoded one by one.
#[derive(Clone)]
pub struct Array<'a, T> {
    attrs: nla::Attrs<'a>,
    ctx: Ctx<'a>,
    decode: fn(&'a [u8], Ctx<'a>) -> Result<T, DecodeError>,
}

impl<'a, T> Array<'a, T> {
    /// Elements of `buf`, each decoded by `decode`.
    pub fn new(
        buf: &'a [u8],
        ctx: Ctx<'a>,
        decode: fn(&'a [u8], Ctx<'a>) -> Result<T, DecodeError>,
    ) -> Self {
        Array {
            attrs: nla::Attrs::new(buf),
            ctx,
            decode,
        }
    }
}

impl<'a, T> Iterator for Array<'a, T> {
    type Item = Result<T, DecodeError>;
    fn next(&mut self) -> Option<Self::Item> {
        Some(
            self.attrs
                .next()?
                .and_then(|a| (self.decode)(a.payload, self.ctx)),
        )
    }
}

impl<T> std::fmt::Debug for Array<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Array(..)")
    }
}

/// `RTA_MULTIPATH`-style entries: a struct `H`, then attributes decoded as `V`.
#[derive(Clone)]
pub struct Multipath<'a, H, V> {
    inner: MultipathIter<'a>,
    ctx: Ctx<'a>,
    decode: fn(&'a [u8], Ctx<'a>) -> V,
    _h: std::marker::PhantomData<H>,
}

impl<'a, H, V> Multipath<'a, H, V>
where
    H: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    /// Entries of `buf`.
    pub fn new(buf: &'a [u8], ctx: Ctx<'a>, decode: fn(&'a [u8], Ctx<'a>) -> V) -> Self {
        Multipath {
            inner: MultipathIter::new(buf, std::mem::size_of::<H>()),
            ctx,
            decode,
            _h: std::marker::PhantomData,
        }
    }
}

impl<'a, H, V> Iterator for Multipath<'a, H, V>
where
    H: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned + 'a,
{
    type Item = Result<(&'a H, V), DecodeError>;
    fn next(&mut self) -> Option<Self::Item> {
        Some(self.inner.next()?.and_then(|(h, attrs)| {
            let h = read::structure::<H>(h, "multipath entry")?;
            Ok((h, (self.decode)(attrs, self.ctx)))
        }))
    }
}

impl<H, V> std::fmt::Debug for Multipath<'_, H, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Multipath(..)")
    }
}
