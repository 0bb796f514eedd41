//! What every `show` shares: the dump runner (interrupted dumps, spilling), the ifindex -> name
//! table, and the names ip gives tables, scopes, protocols and families.
//!
//! Header fields are read through `u8::from(..)`/`u16::from(..)`: whether the schema gives a
//! field an enum (`rt_table`) or leaves it an integer, this code reads the number the same way.
#![allow(clippy::useless_conversion)]

use std::cell::Cell;
use std::rc::Rc;

use rtnl_api::generated::*;
use rtnl_api::{Dump, Family, IPRoute, LinkFilter};
use rtnl_core::{ArgError, Error, Result};

use crate::print::Printer;
use rtnl_cli::ShowArgs;

/// A write error on stdout, as rtnl's error.
pub fn io(e: std::io::Error) -> Error {
    Error::io("write stdout", e)
}

/// Runs one dump, handing each view to `f` with the printer, and the buffer to stdout between
/// messages once it is full. Dumps are all-or-nothing while nothing was printed: an
/// interrupted dump fails with [`Error::DumpInterrupted`] and `main` runs the command again
/// from empty. On the command's last attempt, or once output already went out, the dump is
/// kept with ip's warning, as `ip` does.
pub fn each<'s, F: Family>(
    d: Dump<'s, F>,
    a: &ShowArgs,
    p: &mut Printer<'_>,
    mut f: impl FnMut(&mut Printer<'_>, F::View<'_>) -> Result<()>,
) -> Result<()> {
    let hit = Rc::new(Cell::new(false));
    let seen = hit.clone();
    d.keep_inconsistent(move |_| seen.set(true)).for_each(|v| {
        f(p, v)?;
        p.maybe_spill().map_err(io)
    })?;
    if hit.get() {
        if a.last_attempt || p.spilled() {
            eprintln!("Dump was interrupted and may be inconsistent.");
        } else {
            return Err(Error::DumpInterrupted { attempts: 1 });
        }
    }
    Ok(())
}

/// Runs one dump into owned messages (to print them later, beside another dump), with the
/// interruption rule of [`each`].
pub fn collect<'s, F: Family>(
    d: Dump<'s, F>,
    a: &ShowArgs,
    p: &Printer<'_>,
) -> Result<Vec<F::Owned>> {
    let hit = Rc::new(Cell::new(false));
    let seen = hit.clone();
    let v = d.keep_inconsistent(move |_| seen.set(true)).collect()?;
    if hit.get() {
        if a.last_attempt || p.spilled() {
            eprintln!("Dump was interrupted and may be inconsistent.");
        } else {
            return Err(Error::DumpInterrupted { attempts: 1 });
        }
    }
    Ok(v)
}

/// ifindex -> name, from one links dump, sorted by index (a binary search per lookup, no
/// hashing).
#[derive(Default)]
pub struct Names {
    by_index: Vec<(u32, Box<str>, u32)>,
    txqlen: Vec<u32>,
    /// nsid -> the `/run/netns` name of that namespace, read once, when a link first names an
    /// nsid (a veth whose peer is in another namespace).
    netns: std::cell::OnceCell<Vec<(i32, String)>>,
}

impl Names {
    /// Every link's name.
    pub fn load(ipr: &mut IPRoute, a: &ShowArgs) -> Result<Names> {
        let mut n = Names::default();
        let mut sink = std::io::sink();
        let mut p = Printer::new(&mut sink, false, false);
        // Names only: the kernel leaves the counters out.
        let f = LinkFilter::new().ext_mask(RtextFilter::SKIP_STATS.0);
        each(ipr.get_links(f)?, a, &mut p, |_, l| n.learn(&l))?;
        Ok(n)
    }

    /// Learns one link's name, flags and queue length (kept in index order; links come in
    /// index order, so this appends).
    pub fn learn(&mut self, l: &LinkMsg<'_>) -> Result<()> {
        let h = l.header();
        let index = h.index() as u32;
        let entry = (
            index,
            l.ifname()?.unwrap_or("").into(),
            u32::from(h.flags()),
        );
        let q = l.txqlen()?.unwrap_or(0);
        match self.by_index.binary_search_by_key(&index, |e| e.0) {
            Ok(i) => {
                self.by_index[i] = entry;
                self.txqlen[i] = q;
            }
            Err(i) => {
                self.by_index.insert(i, entry);
                self.txqlen.insert(i, q);
            }
        }
        Ok(())
    }

    /// The name of `index`, if known.
    pub fn get(&self, index: u32) -> Option<&str> {
        self.by_index
            .binary_search_by_key(&index, |e| e.0)
            .ok()
            .map(|i| &*self.by_index[i].1)
    }

    /// The queue length of `index`, if known (what ip asks by ioctl when a reduced link
    /// record lacks it).
    pub fn txqlen(&self, index: u32) -> Option<u32> {
        self.by_index
            .binary_search_by_key(&index, |e| e.0)
            .ok()
            .and_then(|i| self.txqlen.get(i).copied())
    }

    /// The IFF_* flags of `index`, if known.
    pub fn flags(&self, index: u32) -> Option<u32> {
        self.by_index
            .binary_search_by_key(&index, |e| e.0)
            .ok()
            .map(|i| self.by_index[i].2)
    }

    /// Adds or renames a link (monitor follows renames and new links).
    #[allow(dead_code)] // monitor, ported next
    pub fn insert(&mut self, index: u32, name: &str, flags: u32) {
        match self.by_index.binary_search_by_key(&index, |e| e.0) {
            Ok(i) => self.by_index[i] = (index, name.into(), flags),
            Err(i) => {
                self.by_index.insert(i, (index, name.into(), flags));
                self.txqlen.insert(i, 0);
            }
        }
    }

    /// Forgets a link.
    #[allow(dead_code)] // monitor, ported next
    pub fn remove(&mut self, index: u32) {
        if let Ok(i) = self.by_index.binary_search_by_key(&index, |e| e.0) {
            self.by_index.remove(i);
            self.txqlen.remove(i);
        }
    }

    /// The name (`ip netns add NAME`) of the namespace this one knows as `nsid`, as ip's
    /// `get_name_from_nsid` finds it: each `/run/netns` entry asked for its id here, once.
    pub fn netns_name(&self, nsid: i32) -> Option<&str> {
        let map = self.netns.get_or_init(|| {
            let info = IPRoute::new().and_then(|mut ipr| ipr.get_netns_info());
            info.unwrap_or_default()
                .into_iter()
                .filter_map(|i| {
                    let name = i.path.file_name()?.to_str()?.to_string();
                    Some((i.nsid?, name))
                })
                .collect()
        });
        map.iter()
            .find(|(id, _)| *id == nsid)
            .map(|(_, n)| n.as_str())
    }

    /// Text only: `index` as ip prints it, its name or `ifN`.
    pub fn text(&self, p: &mut Printer<'_>, fmt: &str, index: u32) {
        match self.get(index) {
            Some(n) => p.text(fmt, n),
            None => p.text(fmt, format_args!("if{index}")),
        }
    }

    /// Prints `index` as ip does: its name, or `ifN` when it is unknown.
    pub fn print(&self, p: &mut Printer<'_>, key: &str, fmt: &str, index: u32) {
        match self.get(index) {
            Some(n) => p.print(key, fmt, n),
            None => p.print(key, fmt, format_args!("if{index}")),
        }
    }
}

/// The index of device `dev`, or ip's error.
pub fn dev_index(ipr: &mut IPRoute, dev: &str) -> Result<u32> {
    ipr.link_lookup("ifname", dev)?
        .first()
        .copied()
        .ok_or_else(|| ArgError::new("dev", format!("Cannot find device \"{dev}\"")).into())
}

/// ip's name of a scope.
pub fn scope_name(s: u8) -> Option<&'static str> {
    Some(match s {
        0 => "global",
        200 => "site",
        253 => "link",
        254 => "host",
        255 => "nowhere",
        _ => return None,
    })
}

/// Prints a scope by name, or its number.
pub fn print_scope(p: &mut Printer<'_>, key: &str, fmt: &str, s: u8) {
    match scope_name(s) {
        Some(n) => p.print(key, fmt, n),
        None => p.print(key, fmt, format_args!("{s}")),
    }
}

/// A scope word (`link`, `host`, `global`, or a number) as ip reads it.
pub fn parse_scope(s: &str) -> Option<u8> {
    Some(match s {
        "global" | "universe" => 0,
        "site" => 200,
        "link" => 253,
        "host" => 254,
        "nowhere" => 255,
        n => n.parse().ok()?,
    })
}

/// ip's name of a table, when it has one.
pub fn table_name(t: u32) -> Option<&'static str> {
    Some(match t {
        253 => "default",
        254 => "main",
        255 => "local",
        _ => return None,
    })
}

/// Prints a table by name, or its number.
pub fn print_table(p: &mut Printer<'_>, key: &str, fmt: &str, t: u32) {
    match table_name(t) {
        Some(n) => p.print(key, fmt, n),
        None => p.print(key, fmt, format_args!("{t}")),
    }
}

/// `all`/`0` (None), `main`, `local`, `default` or a number.
pub fn parse_table(t: &str) -> Result<Option<u32>> {
    Ok(match t {
        "all" | "0" => None,
        "main" => Some(254),
        "local" => Some(255),
        "default" => Some(253),
        n => Some(
            n.parse()
                .map_err(|_| ArgError::new("table", format!("{n:?} is not a table id or name")))?,
        ),
    })
}

/// Prints a route protocol by name (`kernel`, `static`), or its number.
pub fn print_proto(p: &mut Printer<'_>, key: &str, fmt: &str, proto: u8) {
    match RtProto::from(proto).name() {
        Some(n) => p.print(key, fmt, n),
        None => p.print(key, fmt, format_args!("{proto}")),
    }
}

/// A protocol word (`kernel`, `static`, a number) as ip reads it.
pub fn parse_proto(s: &str) -> Option<u8> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    (0..=255u8).find(|&n| RtProto::from(n).name() == Some(s))
}

/// ip's family word.
pub fn family_name(f: u8) -> &'static str {
    match f {
        2 => "inet",
        10 => "inet6",
        7 => "bridge",
        17 => "link",
        _ => "unknown",
    }
}

/// `-h`: a counter with ip's human units (`1.02k`, `34.5M`, `123G`), `None` below 1000.
pub fn human(v: u64) -> Option<String> {
    if v < 1000 {
        return None;
    }
    let mut x = v as f64;
    let mut unit = 'k';
    for u in ['k', 'M', 'G', 'T', 'P', 'E'] {
        unit = u;
        x /= 1000.0;
        if x < 1000.0 {
            break;
        }
    }
    let prec = if x < 10.0 {
        2
    } else if x < 100.0 {
        1
    } else {
        0
    };
    Some(format!("{x:.prec$}{unit}"))
}

/// A size as tc prints it (`1600b`, `32Kb`, `2Mb`); JSON gets bytes.
pub fn print_size(p: &mut Printer<'_>, key: &str, fmt: &str, sz: u32) {
    if p.is_json() {
        return p.json(key, sz);
    }
    let t = f64::from(sz);
    let (m, k) = ((t / 1048576.0).round(), (t / 1024.0).round());
    if sz >= 1024 * 1024 && (1048576.0 * m - t).abs() < 1024.0 {
        p.text(fmt, format_args!("{m}Mb"));
    } else if sz >= 1024 && (1024.0 * k - t).abs() < 16.0 {
        p.text(fmt, format_args!("{k}Kb"));
    } else {
        p.text(fmt, format_args!("{sz}b"));
    }
}
