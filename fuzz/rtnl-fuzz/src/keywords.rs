//! Target `keywords`: requests from pyroute2-style keyword arguments (see [`crate::call`]).
//!
//! Each line is one call. `ipb.link/addr/route/rule(...)` goes to one shared `IPBatch`; on
//! success the new bytes must be exactly one netlink message of a type the schema knows, whose
//! payload parses as that family and survives the whole `families` walk (every getter, index
//! against iteration, nested sets); on failure the batch must be unchanged and the error must
//! name something. `attrs.SET(family, k=v...)` encodes each keyword with `spec::encode_attr` into
//! a buffer of set `SET` (by schema name): each success appends well-formed attributes, the first
//! with the id of the named attribute; then `spec::encode_map` over all the keywords must give
//! the same bytes when every keyword succeeded, and the buffer gets the `families` and
//! `dyn_serde` treatment.

use rtnl_api::{Args, IPBatch};
use rtnl_core::nla;
use rtnl_core::proto::{self, Event};
use rtnl_core::spec::{Ctx, DynAttrs, EncodeCtx, Style, Value, encode_attr, encode_map};

use crate::call::{self, Call};
use crate::getters::{SET_SPECS, walk_set};

/// The fuzz target.
pub fn fuzz(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut batch = IPBatch::new();
    for line in text.lines().take(64) {
        let Some(c) = call::parse(line) else {
            continue;
        };
        match c.target.as_str() {
            "ipb" => request(&mut batch, c),
            "attrs" => attrs(c),
            _ => {}
        }
    }
}

fn request(batch: &mut IPBatch, c: Call) {
    let cmd = match &c.first {
        Some(Value::Str(s)) => s.clone(),
        _ => return,
    };
    let before = batch.bytes().len();
    let args: Args = c.kwargs.into_iter().collect();
    let r = match c.method.as_str() {
        "link" => batch.link(&cmd, args),
        "addr" => batch.addr(&cmd, args),
        "route" => batch.route(&cmd, args),
        "rule" => batch.rule(&cmd, args),
        _ => return,
    };
    let new = &batch.bytes()[before..];
    match r {
        Err(e) => {
            assert!(new.is_empty(), "a refused request left {} bytes", new.len());
            assert!(!e.to_string().is_empty());
        }
        Ok(()) => {
            let evs: Vec<_> = proto::messages(new).collect();
            assert_eq!(evs.len(), 1, "one request, one message: {}", short(new));
            let Ok(Event::Message(m)) = &evs[0] else {
                panic!("request does not frame: {:?}", evs[0])
            };
            assert_eq!(
                m.header.len.get() as usize,
                new.len(),
                "nlmsg_len covers the request"
            );
            let spec = rtnl_core::spec::message_for_type(m.msg_type())
                .unwrap_or_else(|| panic!("request type {} unknown", m.msg_type()));
            let attrs = m.payload.get(nla::align(spec.header.size)..).unwrap_or(&[]);
            for a in nla::Attrs::new(attrs) {
                if let Err(e) = a {
                    panic!(
                        "{} request with malformed attributes: {e}: {}",
                        spec.name,
                        short(new)
                    );
                }
            }
            let walk = crate::families::FAMILIES
                .iter()
                .find(|(n, _)| *n == spec.name)
                .map(|f| f.1)
                .unwrap_or_else(|| panic!("no walker for family {}", spec.name));
            walk(m.payload);
        }
    }
}

fn attrs(c: Call) {
    let Some(&set) = SET_SPECS.iter().find(|s| s.name == c.method) else {
        return;
    };
    let family = match &c.first {
        Some(Value::Int(f)) => u8::try_from(*f).unwrap_or(0),
        _ => 0,
    };
    let ctx = EncodeCtx { start: 0, family };
    let mut buf = Vec::new();
    let mut all_ok = true;
    for (k, v) in &c.kwargs {
        let before = buf.len();
        match encode_attr(set, &mut buf, ctx, k, v) {
            Ok(()) => {
                let new = &buf[before..];
                let mut it = nla::Attrs::new(new);
                let first = it.next();
                let spec = set.by_name(k).expect("encode_attr found it by name");
                match first {
                    Some(Ok(a)) => assert_eq!(a.id, spec.id, "{k}: wrong attribute id"),
                    other => panic!("{k}={}: encode_attr wrote {other:?}: {}", sv(v), short(new)),
                }
                for a in it {
                    if let Err(e) = a {
                        panic!("{k}={}: malformed attributes: {e}: {}", sv(v), short(new));
                    }
                }
                // Nests inside must be well-formed too: lengths that add up at every level.
                if let Err(e) = well_formed(new, 0) {
                    panic!("{k}={}: {e}: {}", sv(v), short(new));
                }
            }
            Err(e) => {
                all_ok = false;
                assert!(!e.to_string().is_empty());
                // A refused keyword may leave a partial attribute behind (a nest whose member
                // failed); callers drop the request. Cut it off to go on.
                buf.truncate(before);
            }
        }
    }
    let mut whole = Vec::new();
    let r = encode_map(
        set,
        &mut whole,
        family,
        "attrs",
        &Value::Map(c.kwargs.clone()),
    );
    if all_ok {
        assert!(r.is_ok(), "encode_map refused what encode_attr took: {r:?}");
        assert_eq!(whole, buf, "encode_map and encode_attr disagree");
    } else {
        assert!(r.is_err(), "encode_map took what encode_attr refused");
    }
    let i = crate::getters::set_index(set).expect("a set of SET_SPECS");
    let dctx = Ctx {
        family,
        ..Ctx::default()
    };
    walk_set(i, &buf, dctx, 0);
    for style in [Style::Map, Style::Raw] {
        let d = DynAttrs {
            set,
            buf: &buf,
            ctx: dctx,
            style,
        };
        serde_json::to_string(&d).expect("serializes");
    }
}

/// Checks that `buf` is attributes whose lengths add up, descending into payloads that look like
/// nests (`NLA_F_NESTED` set).
fn well_formed(buf: &[u8], depth: u32) -> Result<(), String> {
    if depth > 32 {
        return Ok(());
    }
    let mut at = 0;
    while at + nla::NLA_HDRLEN <= buf.len() {
        let len = u16::from_ne_bytes([buf[at], buf[at + 1]]) as usize;
        let ty = u16::from_ne_bytes([buf[at + 2], buf[at + 3]]);
        if len < nla::NLA_HDRLEN || at + len > buf.len() {
            return Err(format!("attribute at {at}: nla_len {len} does not fit"));
        }
        if ty & nla::NLA_F_NESTED != 0 {
            well_formed(&buf[at + nla::NLA_HDRLEN..at + len], depth + 1)
                .map_err(|e| format!("in the nest at {at}: {e}"))?;
        }
        at += nla::align(len);
    }
    if at < buf.len() && buf[at..].iter().any(|b| *b != 0) {
        return Err(format!("{} stray bytes at the end", buf.len() - at));
    }
    Ok(())
}

/// At most 64 bytes of `b` in hex, and its length.
fn short(b: &[u8]) -> String {
    let hex: String = b.iter().take(64).map(|x| format!("{x:02x}")).collect();
    format!(
        "{} bytes: {hex}{}",
        b.len(),
        if b.len() > 64 { "..." } else { "" }
    )
}

/// A value's `Debug`, cut at 200 characters.
fn sv(v: &Value) -> String {
    let s = format!("{v:?}");
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}
