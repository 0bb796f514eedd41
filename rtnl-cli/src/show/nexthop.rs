//! `nexthop show`, printed as `ip nexthop show` prints it (text and `-j`), from the zero-copy
//! view: `id N [group A[,W]/B ...] [type resilient buckets ...] [encap ...] [via GW] [dev D]
//! [scope S] [blackhole] [proto P] [FLAGS] [fdb]`.
#![allow(clippy::useless_conversion)]

use std::io::Write as _;

use rtnl_api::generated::*;
use rtnl_api::{IPRoute, NexthopBucketFilter, NexthopFilter};
use rtnl_core::spec::Style;
use rtnl_core::{ArgError, Result};

use super::common::{Names, dev_index, each, parse_proto, print_proto, print_scope};
use crate::print::{Printer, Value};
use rtnl_cli::ShowArgs;

/// A clock_t (1/100 s) in seconds, as ip's `print_tv` shows it (`%g`: `10`, `1.5`).
struct Secs(u64);

impl Value for Secs {
    fn text(&self, out: &mut Vec<u8>) {
        let _ = match self.0 % 100 {
            0 => write!(out, "{}", self.0 / 100),
            _ => write!(out, "{}", self.0 as f64 / 100.0),
        };
    }
    fn number(&self) -> bool {
        true
    }
}

/// The members: `group 1/2,3 ` (weights only when not 1; the kernel keeps weight - 1).
fn group(p: &mut Printer<'_>, members: &[NexthopGrp]) {
    p.open_array("group");
    p.text("{}", "group ");
    for (i, g) in members.iter().enumerate() {
        p.open_object("");
        if i > 0 {
            p.text("{}", "/");
        }
        p.print("id", "{}", g.id.get());
        if g.weight != 0 {
            p.print("weight", ",{}", u32::from(g.weight) + 1);
        }
        p.close_object();
    }
    p.text("{}", " ");
    p.close_array();
}

fn res_group(p: &mut Printer<'_>, r: &NexthopResGroupAttrs<'_>) -> Result<()> {
    p.open_object("resilient_args");
    p.print("buckets", "buckets {} ", r.buckets()?.unwrap_or(0));
    let t = |v: Option<u32>| Secs(u64::from(v.unwrap_or(0)));
    p.print("idle_timer", "idle_timer {} ", t(r.idle_timer()?));
    p.print(
        "unbalanced_timer",
        "unbalanced_timer {} ",
        t(r.unbalanced_timer()?),
    );
    let since = Secs(r.unbalanced_time()?.unwrap_or(0));
    p.print("unbalanced_time", "unbalanced_time {} ", since);
    p.close_object();
    Ok(())
}

/// One nexthop, as ip's `print_nexthop` prints it; `details` is `-d` (scope and proto always).
pub fn print_nexthop(
    p: &mut Printer<'_>,
    m: &NexthopMsg<'_>,
    names: &Names,
    details: bool,
) -> Result<()> {
    let h = m.header();
    p.open_object("");
    p.print("id", "id {} ", m.id()?.unwrap_or(0));
    if let Some(g) = m.group()? {
        group(p, g);
    }
    if let Some(t) = m.group_type()?
        && u16::from(t) != 0
    {
        let name = match u16::from(t) {
            1 => "resilient",
            _ => "<unknown type>",
        };
        p.print("type", "type {} ", name);
    }
    if let Some(r) = m.res_group()? {
        res_group(p, &r)?;
    }
    super::encap::print_encap(p, m.encap_type()?, m.encap()?, names)?;
    if let Some(gw) = m.gateway()? {
        p.print("gateway", "via {} ", gw);
    }
    if let Some(i) = m.oif()?
        && i != 0
    {
        names.print(p, "dev", "dev {} ", i);
    }
    let scope = u8::from(h.scope());
    if scope != 0 || details {
        print_scope(p, "scope", "scope {} ", scope);
    }
    if m.blackhole()? {
        p.null("blackhole", "blackhole ");
    }
    let proto = u8::from(h.protocol());
    if proto != 0 || details {
        print_proto(p, "protocol", "proto {} ", proto);
    }
    super::route::flags(p, u32::from(h.flags()));
    if m.fdb()? {
        p.null("fdb", "fdb");
    }
    p.nl();
    p.close_object();
    Ok(())
}

/// The kernel-side filter of `nexthop show`'s selectors (`id` is a single get).
fn filter(ipr: &mut IPRoute, a: &ShowArgs) -> Result<NexthopFilter> {
    let mut f = NexthopFilter::new().family(a.family);
    if let Some(id) = &a.id {
        let id = rtnl_core::spec::parse_int(id)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| ArgError::new("id", format!("{id:?} is not a nexthop id")))?;
        f = f.id(id);
    }
    if let Some(d) = &a.dev {
        f = f.oif(dev_index(ipr, d)?);
    }
    if let Some(d) = &a.master {
        f = f.master(dev_index(ipr, d)?);
    }
    f.groups = a.groups;
    f.fdb = a.fdb;
    Ok(f)
}

/// One nexthop by id, as ip's `get`: a missing id is the kernel's ENOENT (exit 2), not nothing.
fn one(
    ipr: &mut IPRoute,
    id: u32,
    proto: Option<u8>,
    names: &Names,
    a: &ShowArgs,
    p: &mut Printer<'_>,
) -> Result<()> {
    let got = ipr
        .nexthop("get", rtnl_api::Args::new().with("id", id))?
        .into_vec()?;
    p.start();
    for m in &got {
        let v = m.view();
        if a.raw {
            super::raw_line(p, &v.dyn_message(Style::Raw))?;
        } else if proto.is_none_or(|x| u8::from(v.header().protocol()) == x) {
            print_nexthop(p, &v, names, a.details)?;
        }
    }
    p.end_all();
    Ok(())
}

/// `nexthop get id N` (main.rs and `-batch` lines), printed as `show id N`.
pub fn get(ipr: &mut IPRoute, id: u32, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let names = if a.raw {
        Names::default()
    } else {
        Names::load(ipr, a)?
    };
    one(ipr, id, None, &names, a, p)
}

/// `nexthop show [id N] [dev D] [master D] [groups] [fdb] [proto P]`.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let f = filter(ipr, a)?;
    let proto = match &a.proto {
        Some(s) => Some(
            parse_proto(s)
                .ok_or_else(|| ArgError::new("proto", format!("{s:?} is not a protocol")))?,
        ),
        None => None,
    };
    let names = if a.raw {
        Names::default()
    } else {
        Names::load(ipr, a)?
    };
    if let Some(id) = f.id {
        return one(ipr, id, proto, &names, a, p);
    }
    let d = ipr.get_nexthops(f)?.filter(move |m: &NexthopMsg<'_>| {
        proto.is_none_or(|x| u8::from(m.header().protocol()) == x)
    });
    if a.raw {
        return each(d, a, p, |p, m| {
            super::raw_line(p, &m.dyn_message(Style::Raw))
        });
    }
    p.start();
    each(d, a, p, |p, m| print_nexthop(p, &m, &names, a.details))?;
    p.end_all();
    Ok(())
}

/// One bucket, as ip's `print_nexthop_bucket` prints it: `id G index I idle_time T nhid N`.
pub fn print_bucket(p: &mut Printer<'_>, m: &NexthopBucketMsg<'_>) -> Result<()> {
    p.open_object("");
    if let Some(id) = m.id()? {
        p.print("id", "id {} ", id);
    }
    if let Some(b) = m.res_bucket()? {
        p.open_object("bucket");
        if let Some(i) = b.index()? {
            p.print("index", "index {} ", i);
        }
        if let Some(t) = b.idle_time()? {
            p.print("idle_time", "idle_time {} ", Secs(t));
        }
        if let Some(n) = b.nh_id()? {
            p.print("nhid", "nhid {} ", n);
        }
        p.close_object();
    }
    super::route::flags(p, u32::from(m.header().flags()));
    p.nl();
    p.close_object();
    Ok(())
}

/// `nexthop bucket list|get ...`: the buckets `f` selects (a get answers one, and a missing
/// one is the kernel's error, exit 2, as ip's).
pub fn buckets(
    ipr: &mut IPRoute,
    f: NexthopBucketFilter,
    a: &ShowArgs,
    p: &mut Printer<'_>,
) -> Result<()> {
    if let (Some(id), Some(index)) = (f.id, f.index) {
        let got = ipr.get_nexthop_bucket(f.family, id, index)?;
        p.start();
        for m in &got {
            print_bucket(p, &m.view())?;
        }
        p.end_all();
        return Ok(());
    }
    let d = ipr.get_nexthop_buckets(f)?;
    if a.raw {
        return each(d, a, p, |p, m| {
            super::raw_line(p, &m.dyn_message(Style::Raw))
        });
    }
    p.start();
    each(d, a, p, |p, m| print_bucket(p, &m))?;
    p.end_all();
    Ok(())
}
