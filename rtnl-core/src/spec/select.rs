//! Which format a sub-message payload has: the selector values ([`SelectorPayload`],
//! [`SelectorBytes`]), the context nested views inherit from their message ([`Ctx`]: the
//! header's family, the outer `TCA_KIND`), and the lookups from a selector to a
//! [`FormatSpec`].
//!
//! Reads only the few bytes a selector needs, never panics on them (a payload of an unexpected
//! length selects nothing, and the caller shows the payload raw), and never allocates.

use super::tables::{FormatSpec, MessageSpec, SelValue, Selector, SubMessageSpec};
use crate::nla;

/// What nested views inherit from their message: the header's family and the payload of the
/// top-level selector attribute (`TCA_KIND`), for sub-messages chosen by them; and how deep
/// the view is nested, so that no input can make decoding recurse without bound.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ctx<'a> {
    /// The header's address family.
    pub family: u8,
    /// The payload of the message's outer selector attribute (empty if none).
    pub outer: &'a [u8],
    /// Nesting level of the set this context belongs to (a message's own attributes: 1).
    pub depth: u8,
}

/// The deepest set nesting decoded, shown or printed: the kernel's own `NL_MAX_NESTING_DEPTH`
/// (16) doubled. A set nested deeper is a [`DecodeError`](crate::DecodeError), never a
/// recursion that could overflow the stack (`nested attributes nested deeper than 32 levels`).
pub const MAX_NESTING: u8 = 32;

impl<'a> Ctx<'a> {
    /// The context of a set nested one level below this one.
    pub fn nested(self) -> Ctx<'a> {
        Ctx {
            depth: self.depth.saturating_add(1),
            ..self
        }
    }

    /// Whether a set with this context is nested deeper than [`MAX_NESTING`].
    pub fn too_deep(&self) -> bool {
        self.depth > MAX_NESTING
    }

    /// The error a set nested too deep reports.
    pub const TOO_DEEP: crate::DecodeError =
        crate::DecodeError::new("nested attributes", 0, "nested deeper than 32 levels");

    /// The selector value for a sub-message attribute found in `siblings` (the set's buffer).
    pub fn selector_payload(
        &self,
        sel: Selector,
        siblings: &'a [u8],
    ) -> Option<SelectorPayload<'a>> {
        match sel {
            Selector::Sibling(id) => nla::Attrs::new(siblings)
                .filter_map(Result::ok)
                .find(|a| a.id == id)
                .map(|a| SelectorPayload::Bytes(a.payload)),
            Selector::Outer => {
                (!self.outer.is_empty()).then_some(SelectorPayload::Bytes(self.outer))
            }
            Selector::Family => Some(SelectorPayload::Int(self.family as u64)),
        }
    }
}

impl MessageSpec {
    /// The decoding context for a message's payload (header + attributes).
    pub fn ctx<'a>(&self, payload: &'a [u8]) -> Ctx<'a> {
        let family = self
            .family_offset
            .and_then(|o| payload.get(o))
            .copied()
            .unwrap_or(0);
        let mut ctx = Ctx {
            family,
            outer: &[],
            depth: 0,
        };
        if let (Some(id), Some(attrs)) = (self.outer, payload.get(nla::align(self.header.size)..))
            && let Some(Ok(a)) = nla::Attrs::new(attrs).find(|a| matches!(a, Ok(a) if a.id == id))
        {
            ctx.outer = a.payload;
        }
        ctx
    }
}

/// A selector's raw value.
#[derive(Debug, Clone, Copy)]
pub enum SelectorPayload<'a> {
    /// Attribute payload (string or integer bytes).
    Bytes(&'a [u8]),
    /// A header field.
    Int(u64),
}

impl<'a> SelectorPayload<'a> {
    /// The selector as a string kind (without NUL), if it came from an attribute.
    pub fn as_str_bytes(&self) -> Option<&'a [u8]> {
        match self {
            SelectorPayload::Bytes(b) => {
                Some(&b[..b.iter().position(|x| *x == 0).unwrap_or(b.len())])
            }
            SelectorPayload::Int(_) => None,
        }
    }

    /// The selector as an integer (a header field, or a 1/2/4/8-byte native attribute).
    pub fn as_int(&self) -> Option<u64> {
        match *self {
            SelectorPayload::Int(v) => Some(v),
            SelectorPayload::Bytes(p) => match p.len() {
                1 => Some(p[0] as u64),
                2 => Some(u16::from_ne_bytes([p[0], p[1]]) as u64),
                4 => Some(u32::from_ne_bytes([p[0], p[1], p[2], p[3]]) as u64),
                8 => Some(u64::from_ne_bytes(p.try_into().ok()?)),
                _ => None,
            },
        }
    }
}

/// A decoded selector value.
#[derive(Debug, Clone, Copy)]
pub enum SelectorBytes<'a> {
    /// A string without its NUL.
    Str(&'a [u8]),
    /// An integer.
    Int(u64),
}

impl<'a> SelectorBytes<'a> {
    /// A selector from an attribute payload: strings lose their NUL; 1/2/4/8-byte payloads are
    /// also read as integers when the format table is numeric (see [`SubMessageSpec::select`]).
    pub fn from_payload(p: &'a [u8]) -> Self {
        let end = p.iter().position(|b| *b == 0).unwrap_or(p.len());
        SelectorBytes::Str(&p[..end])
    }
}

impl SubMessageSpec {
    /// The format for a selector value given as payload bytes (string kinds) or integer.
    pub fn format_for(&self, sel: &SelectorBytes<'_>) -> Option<&'static FormatSpec> {
        self.formats.iter().find(|f| match (f.value, sel) {
            (SelValue::Str(s), SelectorBytes::Str(b)) => s.as_bytes() == *b,
            (SelValue::Int(i), SelectorBytes::Int(v)) => i == *v,
            _ => false,
        })
    }

    /// Picks the format for a raw selector payload (string or native integer).
    pub fn select(&self, payload: &[u8]) -> Option<&'static FormatSpec> {
        let numeric = matches!(
            self.formats.first().map(|f| f.value),
            Some(SelValue::Int(_))
        );
        if numeric {
            let v = match payload.len() {
                1 => payload[0] as u64,
                2 => u16::from_ne_bytes([payload[0], payload[1]]) as u64,
                4 => u32::from_ne_bytes(payload.try_into().ok()?) as u64,
                8 => u64::from_ne_bytes(payload.try_into().ok()?),
                _ => return None,
            };
            self.format_for(&SelectorBytes::Int(v))
        } else {
            self.format_for(&SelectorBytes::from_payload(payload))
        }
    }

    /// The format a selector payload picks.
    pub fn pick(&self, p: SelectorPayload<'_>) -> Option<&'static FormatSpec> {
        match p {
            SelectorPayload::Bytes(b) => self.select(b),
            SelectorPayload::Int(v) => self.format_for(&SelectorBytes::Int(v)),
        }
    }
}
