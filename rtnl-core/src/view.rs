//! The two shapes every attribute set shares: a zero-copy view over received attributes
//! ([`SetView`]) and a writer of attributes into a request ([`SetBuilder`]); and the two every
//! message family shares: a parsed message ([`Message`]) and a kept copy ([`OwnedMessage`]).
//!
//! What differs from set to set — its table, its index size, its typed attributes, its getters
//! and setters — is generated: each set gets a marker type implementing [`AttrSet`], aliases
//! (`pub type RouteAttrs<'a> = SetView<'a, RouteSet>`, `pub type RouteBuilder<'b> =
//! SetBuilder<'b, RouteSet>`) and inherent impls with its typed getters and setters. The
//! plumbing below is written once.

use core::cell::OnceCell;
use core::fmt;
use core::marker::PhantomData;

use crate::error::{ArgError, DecodeError};
use crate::nla;
use crate::spec::{Ctx, DynAttrs, EncodeCtx, SetSpec, Style, Value, encode_attr};

/// An attribute set, as the generator describes it.
pub trait AttrSet: 'static {
    /// The set's table.
    const SPEC: &'static SetSpec;
    /// Its one-pass index (`nla::Index<N>`, N = largest id + 1).
    type Index: Clone + fmt::Debug;
    /// One typed attribute of the set.
    type Attr<'a>: fmt::Debug;
    /// Builds the index over `buf`.
    fn index(buf: &[u8]) -> Result<Self::Index, DecodeError>;
    /// The payload of the first attribute `id`, through the index.
    fn lookup<'a>(ix: &Self::Index, buf: &'a [u8], id: u16) -> Option<&'a [u8]>;
    /// Decodes one attribute (`buf` is the whole set, for sibling selectors).
    fn decode<'a>(
        id: u16,
        payload: &'a [u8],
        buf: &'a [u8],
        ctx: Ctx<'a>,
    ) -> Result<Self::Attr<'a>, DecodeError>;
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
        match self.index.get_or_init(|| S::index(self.buf)) {
            Ok(ix) => Ok(S::lookup(ix, self.buf, id)),
            Err(e) => Err(e.clone()),
        }
    }

    /// Every attribute, raw.
    pub fn raw_attrs(&self) -> nla::Attrs<'a> {
        nla::Attrs::new(self.buf)
    }

    /// Every attribute, typed, in order; ids the schema does not know come out as `Unknown`.
    pub fn attrs_iter(&self) -> impl Iterator<Item = Result<S::Attr<'a>, DecodeError>> + 'a {
        let (buf, ctx) = (self.buf, self.ctx);
        // Too deep: one error instead of the attributes.
        let deep = ctx.too_deep().then_some(Err(Ctx::TOO_DEEP));
        let attrs = (!ctx.too_deep())
            .then(|| nla::Attrs::new(buf))
            .into_iter()
            .flatten();
        deep.into_iter().chain(attrs.map(move |r| {
            let r = r?;
            S::decode(r.id, r.payload, buf, ctx)
        }))
    }

    /// The table-driven view (JSON maps or pyroute2-style pairs).
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

impl<F: MsgFamily> serde::Serialize for OwnedMessage<F> {
    fn serialize<Se: serde::Serializer>(&self, s: Se) -> Result<Se::Ok, Se::Error> {
        self.view().serialize(s)
    }
}
