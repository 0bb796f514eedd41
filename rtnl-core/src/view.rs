//! The two shapes every attribute set shares: a zero-copy view over received attributes
//! ([`SetView`]) and a writer of attributes into a request ([`SetBuilder`]).
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

    /// A view over `buf` (this set's attributes), with the context inherited from the message.
    pub fn new(buf: &'a [u8], ctx: Ctx<'a>) -> Self {
        SetView {
            buf,
            ctx,
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
        nla::Attrs::new(buf).map(move |r| {
            let r = r?;
            S::decode(r.id, r.payload, buf, ctx)
        })
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
