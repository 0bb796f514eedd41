//! Target `families`: every message family's view over arbitrary payloads.
//!
//! Input: a selector byte, then bytes. Below 0x80 the byte picks a message family
//! ([`FAMILIES`], by index modulo their number) and the rest is a message payload (fixed header +
//! attributes): it is parsed, every typed getter of its top set is called (and of every nested
//! set a getter returns, recursively), typed iteration and `Debug` run, and an owned copy is made.
//! From 0x80 up, `[0x80 | hi, lo, family, attrs...]` views `attrs` directly as attribute set
//! number `hi << 8 | lo` (modulo the number of sets, in [`getters::SET_NAMES`] order) with that
//! header family: every set, even those only reachable deep inside nests, gets the same walk.
//!
//! Checked: `parse` fails exactly when the payload is shorter than the header; typed iteration
//! yields one item per raw attribute and an error where the raw iterator has one; the one-pass
//! index answers, for every id of the set, the first raw attribute with that id (or an error
//! when the attributes are malformed); an owned copy keeps the bytes.

use rtnl_core::generated::*;
use rtnl_core::spec::Ctx;
use rtnl_core::view::{AttrSet, Message, MsgFamily, OwnedMessage, SetView};

use crate::getters::{SET_NAMES, set_index, walk_set};
use crate::sink;

/// How deep nested sets are walked.
pub const MAX_DEPTH: u32 = 24;

/// The families, by selector (names as in `MessageSpec::name`; a test checks that this is every
/// family of `generated::MESSAGES`).
pub static FAMILIES: &[(&str, crate::Target)] = &[
    ("link", walk_family::<LinkFamily>),
    ("addr", walk_family::<AddrFamily>),
    ("route", walk_family::<RouteFamily>),
    ("rule", walk_family::<RuleFamily>),
    ("neigh", walk_family::<NeighFamily>),
    ("tc", walk_family::<TcFamily>),
    ("mdb", walk_family::<MdbFamily>),
    ("ntable", walk_family::<NtableFamily>),
    ("nduseropt", walk_family::<NduseroptFamily>),
    ("prefix", walk_family::<PrefixFamily>),
    ("stats", walk_family::<StatsFamily>),
    ("vlan", walk_family::<VlanFamily>),
    ("vni", walk_family::<VniFamily>),
    ("nsid", walk_family::<NsidFamily>),
    ("netconf", walk_family::<NetconfFamily>),
    ("nexthop", walk_family::<NexthopFamily>),
    ("nexthop_bucket", walk_family::<NexthopBucketFamily>),
];

/// The selector byte of family `name`.
pub fn family_selector(name: &str) -> Option<u8> {
    FAMILIES
        .iter()
        .position(|(n, _)| *n == name)
        .map(|i| i as u8)
}

/// The fuzz target.
pub fn fuzz(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if sel & 0x80 == 0 {
        (FAMILIES[sel as usize % FAMILIES.len()].1)(rest);
        return;
    }
    let [lo, family, attrs @ ..] = rest else {
        return;
    };
    let which = ((((sel & 0x7f) as usize) << 8) | *lo as usize) % SET_NAMES.len();
    walk_set(
        which,
        attrs,
        Ctx {
            family: *family,
            ..Ctx::default()
        },
        0,
    );
}

/// The input that views `attrs` as the set `spec` with header family `family`.
pub fn set_input(spec: &rtnl_core::spec::SetSpec, family: u8, attrs: &[u8]) -> Option<Vec<u8>> {
    let i = set_index(spec)?;
    let mut v = vec![0x80 | (i >> 8) as u8, i as u8, family];
    v.extend_from_slice(attrs);
    Some(v)
}

/// Parses `payload` as a message of `F` and walks everything in it.
pub fn walk_family<F: MsgFamily>(payload: &[u8]) {
    let hdr = core::mem::size_of::<F::Header>();
    let m = match Message::<F>::parse(payload) {
        Ok(m) => m,
        Err(e) => {
            assert!(
                payload.len() < hdr,
                "{}: {} bytes refused ({e}) though the header is {hdr}",
                F::NAME,
                payload.len()
            );
            sink(&e);
            let _ = e.to_string();
            return;
        }
    };
    assert!(payload.len() >= hdr, "{}: parsed a short payload", F::NAME);
    sink(m.header());
    nested(m.attrs(), 0);
    sink(&m);
    let owned: OwnedMessage<F> = m.to_owned_msg();
    assert_eq!(owned.bytes(), payload);
    sink(&owned);
    let again = OwnedMessage::<F>::from_bytes(payload.to_vec()).expect("parsed once, parses again");
    assert!(again == owned);
}

/// Every getter of `v`'s set (and, through them, of nested sets), then [`check_set`].
pub fn nested<S: AttrSet>(v: &SetView<'_, S>, depth: u32) {
    match set_index(S::SPEC) {
        Some(i) => walk_set(i, v.bytes(), v.ctx(), depth + 1),
        None => check_set(v),
    }
}

/// The checks every view gets: typed iteration against raw iteration, the index against both.
pub fn check_set<S: AttrSet>(v: &SetView<'_, S>) {
    let raw: Vec<_> = v.raw_attrs().collect();
    let mut typed = 0;
    for (r, t) in v.raw_attrs().zip(v.attrs_iter()) {
        typed += 1;
        match r {
            Err(_) => assert!(
                t.is_err(),
                "{}: typed decode of a malformed attribute",
                S::SPEC.name
            ),
            Ok(_) => {
                sink(&t);
            }
        }
    }
    assert_eq!(
        typed,
        raw.len(),
        "{}: typed and raw iteration differ in length",
        S::SPEC.name
    );
    assert_eq!(v.attrs_iter().count(), raw.len());
    let well_formed = raw.iter().all(Result::is_ok);
    for a in S::SPEC.attrs {
        let got = v.payload(a.id);
        if well_formed {
            let first = raw
                .iter()
                .flatten()
                .find(|r| r.id == a.id)
                .map(|r| r.payload);
            assert_eq!(
                got.as_ref().ok().copied().flatten(),
                first,
                "{}: index and iteration disagree on {}",
                S::SPEC.name,
                a.cname
            );
        } else {
            assert!(
                got.is_err(),
                "{}: index accepted malformed attributes",
                S::SPEC.name
            );
        }
    }
    sink(v);
}
