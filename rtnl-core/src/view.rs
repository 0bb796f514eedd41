//! The two shapes every attribute set shares: a zero-copy view over received attributes
//! ([`SetView`]) and a writer of attributes into a request ([`SetBuilder`]); and the two every
//! message family shares: a parsed message ([`Message`]) and a kept copy ([`OwnedMessage`]).
//!
//! What differs from set to set — its table, its index size, its typed attributes, its getters
//! and setters — is generated: each set gets a marker type implementing [`AttrSet`], aliases
//! (`pub type RouteAttrs<'a> = SetView<'a, RouteSet>`, `pub type RouteBuilder<'b> =
//! SetBuilder<'b, RouteSet>`) and inherent impls with its typed getters and setters. The
//! plumbing below is written once.
//!
//! A generated getter is one call: `self.get(1, read::ipaddr)` for a payload read on its own,
//! `self.get_with(8, decode::nest)` for one that needs its surroundings ([`At`]: the set's bytes
//! for sibling selectors, the message context). The typed iterator's decoder names the same
//! reader, so the set's `decode` and its getters cannot disagree. Readers are called with an
//! empty `what`; the accessor fills in the attribute's name (`RTA_DST`) from the set's table
//! when an error comes back, so the table is not searched on the success path.

use core::cell::OnceCell;
use core::fmt;
use core::marker::PhantomData;

use crate::error::{ArgError, DecodeError};
use crate::nla;
use crate::spec::{Ctx, EncodeCtx, SetSpec, Value, encode_attr};
#[cfg(feature = "serde")]
use crate::spec::{DynAttrs, Style};

/// An attribute set, as the generator describes it.
pub trait AttrSet: 'static {
    /// The set's table.
    const SPEC: &'static SetSpec;
    /// Its one-pass index (`nla::Index<N>`, N = largest id + 1).
    type Index: SetIndex;
    /// One typed attribute of the set.
    type Attr<'a>: fmt::Debug;
    /// Decodes one attribute `id` found at `at`.
    fn decode<'a>(id: u16, at: At<'a>) -> Result<Self::Attr<'a>, DecodeError>;
}

/// A one-pass index over a set's attributes ([`nla::Index`]).
pub trait SetIndex: Clone + fmt::Debug + Sized {
    /// Builds the index over `buf`.
    fn build(buf: &[u8]) -> Result<Self, DecodeError>;
    /// The payload of the first attribute `id`.
    fn get<'a>(&self, buf: &'a [u8], id: u16) -> Option<&'a [u8]>;
}

impl<const N: usize> SetIndex for nla::Index<N> {
    fn build(buf: &[u8]) -> Result<Self, DecodeError> {
        nla::Index::build(buf)
    }
    fn get<'a>(&self, buf: &'a [u8], id: u16) -> Option<&'a [u8]> {
        nla::Index::get(self, buf, id)
    }
}

/// One attribute being decoded: its payload, the bytes of the set around it (for sibling
/// selectors) and what the message passes down ([`Ctx`]).
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// The attribute's payload.
    pub payload: &'a [u8],
    /// The whole set the attribute sits in.
    pub set: &'a [u8],
    /// The message context.
    pub ctx: Ctx<'a>,
}

impl<'a> At<'a> {
    /// Reads the payload with a reader of `types::read` (or [`decode::typed`] over one).
    pub fn read<T>(
        self,
        read: impl FnOnce(&'a [u8], &'static str) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        read(self.payload, "")
    }
}

/// An error from a reader called with an empty `what`, named after attribute `id` of `spec`.
fn named(e: DecodeError, spec: &'static SetSpec, id: u16) -> DecodeError {
    match e.what {
        "" => DecodeError {
            what: spec.by_id(id).map_or("attribute", |a| a.cname),
            ..e
        },
        _ => e,
    }
}

/// A zero-copy view over a set's attributes: indexed in one pass on first use; generated getters
/// return `Ok(None)` when an attribute is absent and `Err` when its bytes are malformed.
pub struct SetView<'a, S: AttrSet> {
    pub(crate) buf: &'a [u8],
    pub(crate) ctx: Ctx<'a>,
    index: OnceCell<Result<S::Index, DecodeError>>,
    _set: PhantomData<S>,
}

impl<'a, S: AttrSet> SetView<'a, S> {
    /// The table of this set.
    pub const SPEC: &'static SetSpec = S::SPEC;

    /// A view over `buf` (this set's attributes), with the context of the set it is nested in
    /// (or of its message). A view nested deeper than [`MAX_NESTING`](crate::spec::MAX_NESTING)
    /// levels decodes nothing: its getters and iterator give a `DecodeError`.
    pub fn new(buf: &'a [u8], ctx: Ctx<'a>) -> Self {
        SetView {
            buf,
            ctx: ctx.nested(),
            index: OnceCell::new(),
            _set: PhantomData,
        }
    }

    /// The attributes' bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The inherited context.
    pub fn ctx(&self) -> Ctx<'a> {
        self.ctx
    }

    /// The payload of the first attribute `id` (via the one-pass index).
    pub fn payload(&self, id: u16) -> Result<Option<&'a [u8]>, DecodeError> {
        if self.ctx.too_deep() {
            return Err(Ctx::TOO_DEEP);
        }
        match self.index.get_or_init(|| S::Index::build(self.buf)) {
            Ok(ix) => Ok(ix.get(self.buf, id)),
            Err(e) => Err(e.clone()),
        }
    }

    /// Attribute `id` read by `read` (a `types::read` function): `Ok(None)` when absent.
    pub fn get<T>(
        &self,
        id: u16,
        read: impl FnOnce(&'a [u8], &'static str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        self.get_with(id, |at| at.read(read))
    }

    /// Attribute `id` decoded by `decode`, which sees the set and the context too ([`At`]).
    pub fn get_with<T>(
        &self,
        id: u16,
        decode: impl FnOnce(At<'a>) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        let Some(payload) = self.payload(id)? else {
            return Ok(None);
        };
        decode(self.at(payload))
            .map(Some)
            .map_err(|e| named(e, S::SPEC, id))
    }

    /// True when flag attribute `id` is present.
    pub fn has(&self, id: u16) -> Result<bool, DecodeError> {
        Ok(self.payload(id)?.is_some())
    }

    /// Every occurrence of a repeated attribute `id`, in order, each read by `read`.
    pub fn get_all<T>(
        &self,
        id: u16,
        read: fn(&'a [u8], &'static str) -> Result<T, DecodeError>,
    ) -> impl Iterator<Item = Result<T, DecodeError>> + use<'a, T, S> {
        self.get_all_with(id, move |at| at.read(read))
    }

    /// Every occurrence of a repeated attribute `id`, in order, each decoded by `decode`.
    pub fn get_all_with<T, D>(
        &self,
        id: u16,
        decode: D,
    ) -> impl Iterator<Item = Result<T, DecodeError>> + use<'a, T, S, D>
    where
        D: Fn(At<'a>) -> Result<T, DecodeError>,
    {
        let (set, ctx) = (self.buf, self.ctx);
        nla::Attrs::new(set).filter_map(move |r| match r {
            Ok(r) if r.id == id => Some(
                decode(At {
                    payload: r.payload,
                    set,
                    ctx,
                })
                .map_err(|e| named(e, S::SPEC, id)),
            ),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
    }

    fn at(&self, payload: &'a [u8]) -> At<'a> {
        At {
            payload,
            set: self.buf,
            ctx: self.ctx,
        }
    }

    /// Every attribute, raw.
    pub fn raw_attrs(&self) -> nla::Attrs<'a> {
        nla::Attrs::new(self.buf)
    }

    /// Every attribute, typed, in order; ids the schema does not know come out as `Unknown`.
    pub fn attrs_iter(&self) -> impl Iterator<Item = Result<S::Attr<'a>, DecodeError>> + 'a {
        let (set, ctx) = (self.buf, self.ctx);
        // Too deep: one error instead of the attributes.
        let deep = ctx.too_deep().then_some(Err(Ctx::TOO_DEEP));
        let attrs = (!ctx.too_deep())
            .then(|| nla::Attrs::new(set))
            .into_iter()
            .flatten();
        deep.into_iter().chain(attrs.map(move |r| {
            let r = r?;
            let at = At {
                payload: r.payload,
                set,
                ctx,
            };
            S::decode(r.id, at).map_err(|e| named(e, S::SPEC, r.id))
        }))
    }

    /// The table-driven view (JSON maps or pyroute2-style pairs).
    #[cfg(feature = "serde")]
    pub fn dyn_attrs(&self, style: Style) -> DynAttrs<'a> {
        DynAttrs {
            set: S::SPEC,
            buf: self.buf,
            ctx: self.ctx,
            style,
        }
    }
}

impl<S: AttrSet> Clone for SetView<'_, S> {
    fn clone(&self) -> Self {
        SetView {
            buf: self.buf,
            ctx: self.ctx,
            index: self.index.clone(),
            _set: PhantomData,
        }
    }
}

impl<S: AttrSet> fmt::Debug for SetView<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.attrs_iter()).finish()
    }
}

#[cfg(feature = "serde")]
impl<S: AttrSet> serde::Serialize for SetView<'_, S> {
    fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        self.dyn_attrs(Style::Map).serialize(s)
    }
}

/// Writes a set's attributes straight into a request buffer; generated setters are typed, and
/// [`set`](Self::set) takes any attribute by name.
pub struct SetBuilder<'b, S: AttrSet> {
    pub(crate) buf: &'b mut Vec<u8>,
    pub(crate) ctx: EncodeCtx,
    _set: PhantomData<S>,
}

impl<'b, S: AttrSet> SetBuilder<'b, S> {
    /// Appends attributes to `buf`; `family` is the message header's family.
    pub fn new(buf: &'b mut Vec<u8>, family: u8) -> Self {
        let start = buf.len();
        SetBuilder {
            buf,
            ctx: EncodeCtx { start, family },
            _set: PhantomData,
        }
    }

    /// The request buffer.
    pub fn buf(&mut self) -> &mut Vec<u8> {
        self.buf
    }

    /// Appends an attribute by name (`"mtu"` or `"IFLA_MTU"`), pyroute2 style.
    pub fn set(&mut self, name: &str, v: impl Into<Value>) -> Result<&mut Self, ArgError> {
        encode_attr(S::SPEC, self.buf, self.ctx, name, &v.into())?;
        Ok(self)
    }

    /// Appends an attribute with a raw payload.
    pub fn raw(&mut self, id: u16, payload: &[u8]) -> &mut Self {
        nla::put(self.buf, id, payload);
        self
    }

    /// Appends attribute `id` with a typed payload ([`Payload`]: integers in native order,
    /// byte arrays as given, addresses, strings with their NUL).
    pub fn put<P: Payload>(&mut self, id: u16, v: P) -> &mut Self {
        v.put(self.buf, id);
        self
    }

    /// Appends attribute `id` whose payload is `parts` one after the other (a struct and its
    /// trailing entries).
    pub fn put_parts(&mut self, id: u16, parts: &[&[u8]]) -> &mut Self {
        let s = nla::begin_nest_raw(self.buf, id);
        for p in parts {
            self.buf.extend_from_slice(p);
        }
        nla::end_nest(self.buf, s);
        self
    }

    /// Appends nest `id` holding the attributes `f` writes (set `T`).
    pub fn nest<T: AttrSet>(
        &mut self,
        id: u16,
        f: impl FnOnce(&mut SetBuilder<'_, T>),
    ) -> &mut Self {
        self.header_nest(id, &[], f)
    }

    /// Appends attribute `id`: the bytes of `head` (padded), then the attributes `f` writes.
    pub fn header_nest<T: AttrSet>(
        &mut self,
        id: u16,
        head: &[u8],
        f: impl FnOnce(&mut SetBuilder<'_, T>),
    ) -> &mut Self {
        let s = nla::begin_nest(self.buf, id);
        self.buf.extend_from_slice(head);
        nla::pad(self.buf);
        f(&mut SetBuilder::new(self.buf, self.ctx.family));
        nla::end_nest(self.buf, s);
        self
    }
}

impl<S: AttrSet> SetBuilder<'_, S> {
    /// Appends indexed array `id`: `f` adds the elements (nests of set `T`, ids 1..n).
    pub fn put_array<T: AttrSet>(
        &mut self,
        id: u16,
        f: impl FnOnce(&mut ArrayItems<'_, T>),
    ) -> &mut Self {
        let s = nla::begin_nest(self.buf, id);
        let family = self.ctx.family;
        f(&mut ArrayItems {
            buf: self.buf,
            next: 1,
            family,
            _set: PhantomData,
        });
        nla::end_nest(self.buf, s);
        self
    }

    /// Appends multipath attribute `id`: `f` adds the entries (struct `H`, then set `T`).
    pub fn put_hops<H, T: AttrSet>(
        &mut self,
        id: u16,
        f: impl FnOnce(&mut Hops<'_, H, T>),
    ) -> &mut Self {
        let s = nla::begin_nest_raw(self.buf, id);
        let family = self.ctx.family;
        f(&mut Hops {
            buf: self.buf,
            family,
            _p: PhantomData,
        });
        nla::end_nest(self.buf, s);
        self
    }
}

/// Writes the elements of an indexed array of nests of set `S` (ids 1..n).
pub struct ArrayItems<'b, S: AttrSet> {
    buf: &'b mut Vec<u8>,
    next: u16,
    family: u8,
    _set: PhantomData<S>,
}

impl<S: AttrSet> ArrayItems<'_, S> {
    /// Appends the next element.
    pub fn add(&mut self, f: impl FnOnce(&mut SetBuilder<'_, S>)) -> &mut Self {
        let s = nla::begin_nest(self.buf, self.next);
        self.next += 1;
        f(&mut SetBuilder::new(self.buf, self.family));
        nla::end_nest(self.buf, s);
        self
    }
}

/// Writes multipath entries (`RTA_MULTIPATH`): each a struct `H` whose first two bytes are the
/// entry's length, then attributes of set `S`.
pub struct Hops<'b, H, S: AttrSet> {
    buf: &'b mut Vec<u8>,
    family: u8,
    _p: PhantomData<(H, S)>,
}

impl<H: zerocopy::IntoBytes + zerocopy::Immutable, S: AttrSet> Hops<'_, H, S> {
    /// Appends one entry; its length field is patched when `f` returns.
    pub fn hop(&mut self, head: &H, f: impl FnOnce(&mut SetBuilder<'_, S>)) -> &mut Self {
        let s = self.buf.len();
        self.buf.extend_from_slice(head.as_bytes());
        f(&mut SetBuilder::new(self.buf, self.family));
        let len = ((self.buf.len() - s) as u16).to_ne_bytes();
        self.buf[s..s + 2].copy_from_slice(&len);
        nla::pad(self.buf);
        self
    }
}

/// What a typed setter can write as an attribute payload.
pub trait Payload {
    /// Appends attribute `id` with this payload to `buf`.
    fn put(&self, buf: &mut Vec<u8>, id: u16);
}

macro_rules! native_payload {
    ($($t:ty),*) => {$(
        impl Payload for $t {
            fn put(&self, buf: &mut Vec<u8>, id: u16) {
                nla::put(buf, id, &self.to_ne_bytes())
            }
        }
    )*};
}
native_payload!(u8, u16, u32, u64, i8, i16, i32, i64);

impl<const N: usize> Payload for [u8; N] {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        nla::put(buf, id, self)
    }
}

impl Payload for &[u8] {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        nla::put(buf, id, self)
    }
}

impl Payload for &str {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        nla::put_str(buf, id, self)
    }
}

impl Payload for std::net::Ipv4Addr {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        nla::put(buf, id, &self.octets())
    }
}

impl Payload for std::net::Ipv6Addr {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        nla::put(buf, id, &self.octets())
    }
}

impl Payload for std::net::IpAddr {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        match self {
            std::net::IpAddr::V4(a) => a.put(buf, id),
            std::net::IpAddr::V6(a) => a.put(buf, id),
        }
    }
}

impl Payload for crate::types::Bitfield32 {
    fn put(&self, buf: &mut Vec<u8>, id: u16) {
        nla::put(buf, id, &self.to_bytes())
    }
}

/// A sub-message: a payload whose format a selector picks. Generated for each `[[sub-message]]`.
pub trait SubMessage<'a>: Sized {
    /// Decodes `p` in the format `sel` picks (`Unknown` when none).
    fn decode(
        sel: Option<crate::spec::SelectorPayload<'a>>,
        p: &'a [u8],
        ctx: Ctx<'a>,
    ) -> Result<Self, DecodeError>;
}

/// A struct followed by a counted array of entries (`tc_u32_sel` and its `nkeys` keys).
/// Generated for each struct a `count-field` names.
pub trait Counted {
    /// How many entries follow.
    fn count(&self) -> usize;
}

/// A struct the generated code reads zero-copy.
pub trait Struct:
    zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned
{
}

impl<T> Struct for T where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned
{
}

/// The decoders generated getters and typed iterators name: each turns one attribute into its
/// typed value. Those of the form `fn(&[u8], &'static str)` are readers (as `types::read`'s);
/// those taking [`At`] need the set or the context.
pub mod decode {
    use super::{At, AttrSet, Counted, SetView, Struct, SubMessage};
    use crate::error::DecodeError;
    use crate::nla;
    use crate::spec::{Array, Multipath, Selector};
    use crate::types::{LlAddr, read};

    /// A reader whose value converts into an enum or flag set (`typed(read::u8)` -> `RtScope`).
    pub fn typed<'a, I, E: From<I>>(
        read: fn(&'a [u8], &'static str) -> Result<I, DecodeError>,
    ) -> impl Fn(&'a [u8], &'static str) -> Result<E, DecodeError> {
        move |p, what| read(p, what).map(E::from)
    }

    /// The payload as it is.
    pub fn bytes<'a>(p: &'a [u8], _what: &'static str) -> Result<&'a [u8], DecodeError> {
        Ok(p)
    }

    /// A link-layer address (any length).
    pub fn lladdr<'a>(p: &'a [u8], _what: &'static str) -> Result<LlAddr<'a>, DecodeError> {
        Ok(LlAddr(p))
    }

    /// A struct followed by as many entries as its count field says.
    pub fn counted<'a, H: Struct + Counted, U: Struct>(
        p: &'a [u8],
        what: &'static str,
    ) -> Result<(&'a H, &'a [U]), DecodeError> {
        let (h, _) = read::struct_prefix::<H>(p, what)?;
        read::struct_trailing(p, h.count(), what)
    }

    /// A nest of set `S`.
    pub fn nest<'a, S: AttrSet>(at: At<'a>) -> Result<SetView<'a, S>, DecodeError> {
        Ok(SetView::new(at.payload, at.ctx))
    }

    /// A struct `H`, then (4-aligned) a nest of set `S`.
    pub fn header_nest<'a, H: Struct, S: AttrSet>(
        at: At<'a>,
    ) -> Result<(&'a H, SetView<'a, S>), DecodeError> {
        let h = read::structure::<H>(at.payload, "")?;
        let rest = at.payload.get(nla::align(size_of::<H>())..).unwrap_or(&[]);
        Ok((h, SetView::new(rest, at.ctx)))
    }

    /// An indexed array of nests of set `S`.
    pub fn nests<'a, S: AttrSet>(at: At<'a>) -> Result<Array<'a, SetView<'a, S>>, DecodeError> {
        Ok(Array::new(at.payload, at.ctx, |p, ctx| {
            Ok(SetView::new(p, ctx))
        }))
    }

    /// An indexed array of plain values.
    pub fn elems<'a, T: Elem<'a>>(at: At<'a>) -> Result<Array<'a, T>, DecodeError> {
        Ok(Array::new(at.payload, at.ctx, |p, _| T::read(p)))
    }

    /// Multipath entries: struct `H`, then attributes of set `S`.
    pub fn multipath<'a, H: Struct, S: AttrSet>(
        at: At<'a>,
    ) -> Result<Multipath<'a, H, SetView<'a, S>>, DecodeError> {
        Ok(Multipath::new(at.payload, at.ctx, SetView::new))
    }

    /// A sub-message chosen by sibling attribute `ID`.
    pub fn by_sibling<'a, T: SubMessage<'a>, const ID: u16>(at: At<'a>) -> Result<T, DecodeError> {
        let sel = at.ctx.selector_payload(Selector::Sibling(ID), at.set);
        T::decode(sel, at.payload, at.ctx)
    }

    /// A sub-message chosen by the message's top-level selector (`TCA_KIND`).
    pub fn by_outer<'a, T: SubMessage<'a>>(at: At<'a>) -> Result<T, DecodeError> {
        let sel = at.ctx.selector_payload(Selector::Outer, at.set);
        T::decode(sel, at.payload, at.ctx)
    }

    /// A sub-message chosen by the header's address family.
    pub fn by_family<'a, T: SubMessage<'a>>(at: At<'a>) -> Result<T, DecodeError> {
        let sel = at.ctx.selector_payload(Selector::Family, at.set);
        T::decode(sel, at.payload, at.ctx)
    }

    /// An element of an indexed array of plain values.
    pub trait Elem<'a>: Sized {
        /// Reads one element.
        fn read(p: &'a [u8]) -> Result<Self, DecodeError>;
    }

    macro_rules! elem {
        ($($t:ty => $f:path),*) => {$(
            impl<'a> Elem<'a> for $t {
                fn read(p: &'a [u8]) -> Result<Self, DecodeError> {
                    $f(p, "array element")
                }
            }
        )*};
    }
    elem!(u8 => read::u8, u16 => read::u16, u32 => read::u32, u64 => read::u64,
        i8 => read::s8, i16 => read::s16, i32 => read::s32, i64 => read::s64,
        std::net::Ipv4Addr => read::ip4, std::net::Ipv6Addr => read::ip6,
        std::net::IpAddr => read::ipaddr, &'a str => read::string, &'a [u8] => bytes,
        LlAddr<'a> => lladdr);
}

/// A message family, as the generator describes it: its fixed header, its top attribute set and
/// its tables. Each `[message]` of the schema gets a marker type implementing this and the
/// aliases `pub type RouteMsg<'a> = Message<'a, RouteFamily>` and
/// `pub type RouteOwned = OwnedMessage<RouteFamily>`.
pub trait MsgFamily: 'static {
    /// The fixed header (`Rtmsg`, `Ifinfomsg` ...).
    type Header: zerocopy::FromBytes
        + zerocopy::IntoBytes
        + zerocopy::KnownLayout
        + zerocopy::Immutable
        + zerocopy::Unaligned
        + fmt::Debug
        + 'static;
    /// The attribute set after the header.
    type Set: AttrSet;
    /// The family's tables.
    const SPEC: &'static crate::spec::MessageSpec;
    /// The message's type name (`RouteMsg`), for `Debug`.
    const NAME: &'static str;
    /// The address family a header carries (0 when it has none): it picks family-dependent
    /// formats (`af_spec`, address widths) in the request builder.
    fn family(header: &Self::Header) -> u8;
}

/// A parsed message: a zero-copy view of its header and attributes. It derefs to its attribute
/// view, so `msg.ifname()` and `msg.header().index()` both work.
pub struct Message<'a, F: MsgFamily> {
    header: &'a F::Header,
    attrs: SetView<'a, F::Set>,
    payload: &'a [u8],
}

impl<'a, F: MsgFamily> Message<'a, F> {
    /// The family's tables.
    pub const SPEC: &'static crate::spec::MessageSpec = F::SPEC;

    /// Parses a netlink message payload (header + attributes).
    pub fn parse(payload: &'a [u8]) -> Result<Self, DecodeError> {
        let header = crate::types::read::structure::<F::Header>(payload, F::SPEC.header.name)?;
        let rest = payload
            .get(nla::align(core::mem::size_of::<F::Header>())..)
            .unwrap_or(&[]);
        Ok(Message {
            header,
            attrs: SetView::new(rest, F::SPEC.ctx(payload)),
            payload,
        })
    }

    /// The fixed header.
    pub fn header(&self) -> &'a F::Header {
        self.header
    }

    /// The attributes.
    pub fn attrs(&self) -> &SetView<'a, F::Set> {
        &self.attrs
    }

    /// The payload bytes (header + attributes).
    pub fn bytes(&self) -> &'a [u8] {
        self.payload
    }

    /// The whole message as data in a [`Style`] (JSON map, or pyroute2-style pairs).
    #[cfg(feature = "serde")]
    pub fn dyn_message(&self, style: Style) -> crate::spec::DynMessage<'a> {
        crate::spec::DynMessage {
            spec: F::SPEC,
            payload: self.payload,
            style,
        }
    }

    /// An owned copy, for those who keep messages.
    pub fn to_owned_msg(&self) -> OwnedMessage<F> {
        OwnedMessage {
            bytes: self.payload.to_vec(),
            _family: PhantomData,
        }
    }

    /// Appends the header to a request buffer and returns a builder for the attributes.
    pub fn request<'b>(buf: &'b mut Vec<u8>, header: &F::Header) -> SetBuilder<'b, F::Set> {
        buf.extend_from_slice(zerocopy::IntoBytes::as_bytes(header));
        nla::pad(buf);
        SetBuilder::new(buf, F::family(header))
    }
}

impl<F: MsgFamily> Clone for Message<'_, F> {
    fn clone(&self) -> Self {
        Message {
            header: self.header,
            attrs: self.attrs.clone(),
            payload: self.payload,
        }
    }
}

impl<'a, F: MsgFamily> core::ops::Deref for Message<'a, F> {
    type Target = SetView<'a, F::Set>;
    fn deref(&self) -> &SetView<'a, F::Set> {
        &self.attrs
    }
}

impl<F: MsgFamily> fmt::Debug for Message<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(F::NAME)
            .field("header", self.header)
            .field("attrs", &self.attrs)
            .finish()
    }
}

#[cfg(feature = "serde")]
impl<F: MsgFamily> serde::Serialize for Message<'_, F> {
    fn serialize<Se: serde::Serializer>(&self, s: Se) -> Result<Se::Ok, Se::Error> {
        self.dyn_message(Style::Map).serialize(s)
    }
}

/// An owned message (its payload bytes); [`OwnedMessage::view`] gives the zero-copy view.
pub struct OwnedMessage<F: MsgFamily> {
    bytes: Vec<u8>,
    _family: PhantomData<F>,
}

impl<F: MsgFamily> OwnedMessage<F> {
    /// Takes ownership of a payload; checks that it parses.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, DecodeError> {
        Message::<F>::parse(&bytes)?;
        Ok(OwnedMessage {
            bytes,
            _family: PhantomData,
        })
    }

    /// The zero-copy view.
    pub fn view(&self) -> Message<'_, F> {
        Message::parse(&self.bytes)
            .unwrap_or_else(|_| unreachable!("checked when the owned message was made"))
    }

    /// The payload bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl<F: MsgFamily> Clone for OwnedMessage<F> {
    fn clone(&self) -> Self {
        OwnedMessage {
            bytes: self.bytes.clone(),
            _family: PhantomData,
        }
    }
}

impl<F: MsgFamily> PartialEq for OwnedMessage<F> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<F: MsgFamily> Eq for OwnedMessage<F> {}

impl<F: MsgFamily> fmt::Debug for OwnedMessage<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.view().fmt(f)
    }
}

#[cfg(feature = "serde")]
impl<F: MsgFamily> serde::Serialize for OwnedMessage<F> {
    fn serialize<Se: serde::Serializer>(&self, s: Se) -> Result<Se::Ok, Se::Error> {
        self.view().serialize(s)
    }
}

/// Reads the shape [`Serialize`](serde::Serialize) writes (header fields, then `"attrs"` in map
/// style) and encodes it back through the schema's tables
/// ([`encode_shown_message`](crate::spec::encode_shown_message)); what cannot be encoded is an
/// error naming the attribute.
#[cfg(feature = "serde")]
impl<'de, F: MsgFamily> serde::Deserialize<'de> for OwnedMessage<F> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let v = <Value as serde::Deserialize>::deserialize(d)?;
        let bytes = crate::spec::encode_shown_message(F::SPEC, &v).map_err(D::Error::custom)?;
        OwnedMessage::from_bytes(bytes).map_err(D::Error::custom)
    }
}

/// Constructors of the static tables, so that each generated entry is one line.
pub mod table {
    use crate::spec::{
        AttrSpec, EnumSpec, FieldSpec, FieldType, FormatSpec, Kind, SelValue, SetSpec, StructSpec,
    };

    /// A format of a sub-message's table.
    pub const fn format(
        value: SelValue,
        header: Option<&'static StructSpec>,
        set: Option<&'static SetSpec>,
    ) -> FormatSpec {
        FormatSpec { value, header, set }
    }

    /// An attribute of a set's table.
    pub const fn attr(id: u16, name: &'static str, cname: &'static str, kind: Kind) -> AttrSpec {
        AttrSpec {
            id,
            name,
            cname,
            kind,
            multi: false,
            nested: false,
        }
    }

    /// A repeated attribute (`multi = true`) of a set's table.
    pub const fn multi(id: u16, name: &'static str, cname: &'static str, kind: Kind) -> AttrSpec {
        AttrSpec {
            multi: true,
            ..attr(id, name, cname, kind)
        }
    }

    /// Checks at compile time that `T` is `size` bytes (the C `sizeof`):
    /// `const _: () = size_is::<Rtmsg>(12);`.
    pub const fn size_is<T>(size: usize) {
        assert!(
            size_of::<T>() == size,
            "struct size differs from the schema's"
        );
    }

    /// A field of a struct's table.
    pub const fn field(
        name: &'static str,
        offset: usize,
        ty: FieldType,
        count: usize,
        enumeration: Option<&'static EnumSpec>,
    ) -> FieldSpec {
        FieldSpec {
            name,
            offset,
            ty,
            count,
            enumeration,
        }
    }
}
