//! Names the attribute a kernel error points at.
//!
//! An extended ack may carry `NLMSGERR_ATTR_OFFS`: the byte offset, inside the request we sent,
//! of the attribute the kernel refused. The request is ours, so the offset can be resolved
//! against it with the schema's tables: [`attr_path`] walks the request's attributes (into
//! nests, header-then-attribute payloads, indexed arrays and sub-messages chosen by their
//! selector) and returns the path of names that leads to the offset,
//! `IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_VXLAN_ID`.
//!
//! This module only reads bytes we framed ourselves, and it never panics on any bytes: an
//! offset that leads nowhere is `None`. It never descends deeper than [`MAX_DEPTH`].

use crate::error::KernelError;
use crate::nla;
use crate::spec::{Ctx, Kind, SetSpec, message_for_type};

/// `sizeof(struct nlmsghdr)`.
const NLMSG_HDRLEN: usize = 16;

/// The deepest nest followed.
pub const MAX_DEPTH: usize = 32;

/// The path of attribute names that leads to byte `offset` of `request` (a whole netlink
/// message, header included), or `None` when the offset is not inside an attribute the schema
/// knows.
///
/// ```
/// use rtnl_core::{locate::attr_path, nla, proto};
/// let mut req = Vec::new();
/// let at = proto::begin_request(&mut req, 16, proto::flags::REQUEST, 1, 0); // RTM_NEWLINK
/// req.extend_from_slice(&[0u8; 16]); // struct ifinfomsg
/// nla::put(&mut req, 4, &1500u32.to_ne_bytes()); // IFLA_MTU at offset 32
/// proto::finish_request(&mut req, at);
/// assert_eq!(attr_path(&req, 32).as_deref(), Some("IFLA_MTU"));
/// ```
pub fn attr_path(request: &[u8], offset: u32) -> Option<String> {
    let ty = u16::from_ne_bytes(request.get(4..6)?.try_into().ok()?);
    let msg = message_for_type(ty)?;
    let payload = request.get(NLMSG_HDRLEN..)?;
    let ctx = msg.ctx(payload);
    let base = NLMSG_HDRLEN + nla::align(msg.header.size);
    let mut path = String::new();
    walk(
        msg.attrs,
        request.get(base..)?,
        base,
        offset as usize,
        ctx,
        &mut path,
        0,
    )
    .then_some(path)
}

/// Fills `e.bad_attr` from its offset, resolved against `request`.
pub fn name_bad_attr(e: &mut KernelError, request: &[u8]) {
    if e.bad_attr.is_none()
        && let Some(off) = e.bad_attr_offset
    {
        e.bad_attr = attr_path(request, off);
    }
}

fn walk<'a>(
    set: &'static SetSpec,
    buf: &'a [u8],
    base: usize,
    target: usize,
    ctx: Ctx<'a>,
    path: &mut String,
    depth: usize,
) -> bool {
    if depth >= MAX_DEPTH {
        return false;
    }
    for a in nla::Attrs::new(buf).filter_map(Result::ok) {
        let start = base + a.offset;
        let end = start + nla::NLA_HDRLEN + a.payload.len();
        if target < start || target >= end {
            continue;
        }
        let Some(spec) = set.by_id(a.id) else {
            return false;
        };
        if !path.is_empty() {
            path.push_str(" > ");
        }
        path.push_str(spec.cname);
        if target == start {
            return true;
        }
        let inner = start + nla::NLA_HDRLEN;
        let (set, skip) = match &spec.kind {
            Kind::Nest(s) | Kind::ArrayNest(s) => (*s, 0),
            Kind::HeaderNest(h, s) => (*s, nla::align(h.size)),
            Kind::SubMessage(sm, sel) => {
                let Some(format) = ctx.selector_payload(*sel, buf).and_then(|p| sm.pick(p)) else {
                    return true;
                };
                let Some(s) = format.set else { return true };
                (s, format.header.map_or(0, |h| nla::align(h.size)))
            }
            _ => return true,
        };
        let Some(body) = a.payload.get(skip..) else {
            return true;
        };
        if matches!(spec.kind, Kind::ArrayNest(_)) {
            // Elements are nests with ids 1..n, each holding one set.
            for el in nla::Attrs::new(body).filter_map(Result::ok) {
                let el_start = inner + skip + el.offset;
                let el_body = el_start + nla::NLA_HDRLEN;
                if target >= el_body && target < el_body + el.payload.len() {
                    walk(set, el.payload, el_body, target, ctx, path, depth + 1);
                }
            }
            return true;
        }
        walk(set, body, inner + skip, target, ctx, path, depth + 1);
        return true;
    }
    false
}
