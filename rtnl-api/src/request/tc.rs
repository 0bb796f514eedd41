//! `tc`: qdisc, class and filter requests (RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER) from
//! pyroute2's words, through one generic encoder over the schema's tc plugins
//! ([`TC_PLUGINS`]): each keyword goes where its plugin entry says, read in its unit; rate
//! specs get their rate tables, 64-bit rates and burst ticks as tc computes them; a kind that
//! needs code names its routine (`u32_sel`, `tbf_limit`, `mirred`, `gact`), which lives here
//! or in `tc_u32`.
//!
//! Everything is checked before a byte is sent: a unit that does not parse, a zero rate, a
//! handle out of range, a keyword the kind does not have (the error lists those it has), a
//! missing kind on add.

use rtnl_core::generated::*;
use rtnl_core::spec::{
    Command, EncodeCtx, SelValue, SubMessageSpec, TcParamSpec, TcPluginSpec, TcRatespecSpec,
    TcSetOp, TcUnit, TcValueMeans, encode_attr,
};
use rtnl_core::{ArgError, Result};

use super::tc_filter_util::FilterCtx;
use super::tc_u32::{self, Sel, TC_U32_TERMINAL, u32_handle};
use super::*;
use crate::args::{Args, Value, int_arg, int_as, str_arg};
use crate::tc::TcHandle;
use crate::tc::units::{self, LinkLayer, Psched};

/// What the encoder needs from the machine: the scheduler clock (/proc/net/psched) and the
/// device's link speed in Mbit/s (for rates given as `"10%"`).
#[derive(Debug, Clone, Copy, Default)]
pub struct TcEnv {
    /// The psched clock.
    pub clock: Psched,
    /// The device's speed, when known.
    pub link_mbit: Option<u64>,
}

/// The object a command word is for: `add-class` -> class, `dump-filter` -> filter, `add` -> qdisc.
pub fn object_of(cmd: &str) -> &'static str {
    match cmd.rsplit_once('-').map(|(_, o)| o) {
        Some("class") => "class",
        Some("filter") => "filter",
        Some("chain") => "chain",
        _ => "qdisc",
    }
}

/// Whether `word` is a keyword the kind's routine reads besides its plugin's params (flower's
/// keys): `Some(true)` for a flag, `Some(false)` for one taking a value, `None` otherwise. A
/// command line reader (tc's words) needs to know which words take a value.
pub fn routine_keyword(kind: &str, word: &str) -> Option<bool> {
    match kind {
        "flower" => super::tc_flower::key_flag(word),
        _ => None,
    }
}

/// The plugin of `kind` for `object`, or an error listing the kinds `object` has. Entries are
/// keyed by kind and object: the action `bpf` (tc/m_bpf.c) and the classifier `bpf`
/// (tc/f_bpf.c) are two entries of one kind name.
pub fn plugin(kind: &str, object: &str) -> Result<&'static TcPluginSpec, ArgError> {
    let all: &'static [TcPluginSpec] = TC_PLUGINS;
    let mut same_kind = all.iter().filter(|p| p.kind == kind).peekable();
    if same_kind.peek().is_none() {
        let kinds: Vec<_> = all
            .iter()
            .filter(|p| p.applies_to(object))
            .map(|p| p.kind)
            .collect();
        return Err(ArgError::new(
            "kind",
            format!(
                "unknown {object} kind {kind:?}; one of {}",
                kinds.join(", ")
            ),
        ));
    }
    let mut objects: Vec<&str> = Vec::new();
    let mut first = None;
    for p in same_kind {
        // A chain's kind is its template's, a filter kind (the filter entry where a kind has
        // several).
        if p.applies_to(object) || (object == "chain" && p.applies_to("filter")) {
            return Ok(p);
        }
        first = first.or(Some(p));
        objects.extend(p.objects.iter().copied());
    }
    if let (Some(p), "chain") = (first, object) {
        return Ok(p);
    }
    Err(ArgError::new(
        "kind",
        format!(
            "{kind} is a {} kind, not a {object} kind",
            objects.join("/")
        ),
    ))
}

/// `tc(cmd, kind, index, handle, kw)`: one tc request, pyroute2's words.
///
/// `cmd`: add, del, change, replace, get, dump (qdiscs); add-class, del-class, change-class,
/// replace-class, get-class, dump-class; add-filter, del-filter, change-filter,
/// replace-filter, get-filter, dump-filter. `kind` (`""`: none) names the plugin; `handle` is a
/// [`TcHandle`] form (`"1:10"`, `"ffff:"`, an integer; u32 filters take u32's `800::1`).
/// Header keywords: `parent` (default: the kind's, `root` for qdiscs), and for filters `prio`
/// (`pref`) and `protocol` (default `all` when creating, as tc); every other keyword is the
/// kind's (see the `[[tc-plugin]]` entries of schema/tcmsg.toml).
#[allow(clippy::too_many_arguments)]
pub fn tc(
    buf: &mut Vec<u8>,
    cmd: &str,
    kind: &str,
    index: u32,
    handle: &Value,
    args: &Args,
    r: &mut dyn Resolve,
    env: &TcEnv,
) -> Result<Command> {
    let c = command(&TC_MSG, cmd)?;
    let object = object_of(cmd);
    let new = [RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER].contains(&c.msg_type);
    let p = match kind {
        "" if new => {
            return Err(
                ArgError::new("kind", format!("{cmd:?} needs a kind (htb, tbf, u32 ...)")).into(),
            );
        }
        "" => None,
        // A chain's template of a kind the schema lacks goes as its name alone (tc sends it
        // so): the kernel says whether it has that classifier.
        k if object == "chain" => plugin(k, object).ok(),
        k => Some(plugin(k, object)?),
    };
    let mut a = args.clone();
    let dump = [RTM_GETQDISC, RTM_GETTCLASS, RTM_GETTFILTER].contains(&c.msg_type)
        && c.flags & rtnl_core::proto::flags::DUMP == rtnl_core::proto::flags::DUMP;
    let create = new && c.flags & rtnl_core::proto::flags::CREATE != 0;
    let order: Vec<String> = a.keys().map(str::to_string).collect();
    let hdr = header(object, p, index, handle, &mut a, dump, create)?;
    let at = buf.len();
    TcMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family: 0,
    };
    // tc sends the chain before the kind (tc_filter.c).
    if let Some(v) = a.take("chain") {
        put_kw(&TC_SPEC, buf, ctx, "chain", &v)?;
    }
    if !kind.is_empty() {
        put_kw(&TC_SPEC, buf, ctx, "kind", &Value::Str(kind.into()))?;
    }
    // tc parses a kind's options for deletes too (`tc qdisc del ... htb` sends htb's init).
    let del = [RTM_DELQDISC, RTM_DELTCLASS, RTM_DELTFILTER].contains(&c.msg_type);
    // A chain's template (`add-chain` with a kind) is a filter's options, without a handle.
    let template = c.msg_type == RTM_NEWCHAIN;
    let object = if template { "filter" } else { object };
    if let (Some(p), true) = (p, new || del || template) {
        // A delete that names only the kind sends what tc would (htb's defaults), or, where
        // the kind cannot go without keywords (tbf's rate), no options at all.
        let bare = a.is_empty();
        let mut fctx = FilterCtx {
            proto: u16::from_be(hdr.info() as u16),
            order,
            handle: None,
            header_handle: (!matches!(handle, Value::Int(0))).then(|| hdr.handle()),
            set_handle: None,
        };
        let opts = match options(p, object, &mut a, env, r, &mut fctx) {
            Err(_) if del && bare => None,
            o => o?,
        };
        if let Some(opts) = opts {
            let o = buf.len();
            encode_attr(&TC_SPEC, buf, ctx, "options", &opts)?;
            if p.nested_options {
                buf[o + 3] |= 0x80; // NLA_F_NESTED (bit 15 of nla_type), as tc's addattr_nest
            }
        }
        // A handle the filter's routine computed (route), where the caller gave none.
        if let (Some(h), Value::Int(0)) = (fctx.handle, handle) {
            buf[at + 8..at + 12].copy_from_slice(&h.to_ne_bytes());
        }
        // A handle the routine decided (u32's `order`).
        if let Some(h) = fctx.set_handle {
            buf[at + 8..at + 12].copy_from_slice(&h.to_ne_bytes());
        }
    }
    if let Some((k, _)) = a.iter().next() {
        let known = p.map(|p| p.keywords(object).join(", ")).unwrap_or_default();
        let hdr_words = if object == "filter" {
            "parent, prio, protocol, chain"
        } else {
            "parent, chain"
        };
        return Err(ArgError::new(
            k,
            match p {
                Some(p) if new => format!(
                    "{} {object} has no keyword {k:?}; it takes {hdr_words}, {known}",
                    p.kind
                ),
                _ => format!("not a keyword of {cmd:?} (it takes {hdr_words})"),
            },
        )
        .into());
    }
    Ok(*c)
}

/// Ethertypes by name, for a filter's `protocol`.
const PROTOCOLS: &[(&str, u16)] = &[
    ("all", 0x0003),
    ("ip", 0x0800),
    ("arp", 0x0806),
    ("ipv6", 0x86dd),
    ("802.1q", 0x8100),
    ("802.1ad", 0x88a8),
    ("mpls_uc", 0x8847),
    ("mpls_mc", 0x8848),
];

fn protocol(v: &Value) -> Result<u16, ArgError> {
    if let Value::Str(s) = v
        && let Some((_, p)) = PROTOCOLS.iter().find(|(n, _)| n.eq_ignore_ascii_case(s))
    {
        return Ok(*p);
    }
    int_as("protocol", v, None).map_err(|_| {
        let names: Vec<_> = PROTOCOLS.iter().map(|p| p.0).collect();
        ArgError::new(
            "protocol",
            format!("{v:?} is not an ethertype or one of {}", names.join(", ")),
        )
    })
}

/// `struct tcmsg`: index, handle, parent (the kind's default), and a filter's prio/protocol.
fn header(
    object: &str,
    p: Option<&TcPluginSpec>,
    index: u32,
    handle: &Value,
    a: &mut Args,
    dump: bool,
    create: bool,
) -> Result<Tcmsg, ArgError> {
    let mut hdr = Tcmsg::zeroed();
    hdr.set_ifindex(
        i32::try_from(index)
            .map_err(|_| ArgError::new("index", format!("{index} is out of range")))?,
    );
    let u32_filter = p.is_some_and(|p| p.routine.is_some_and(|r| r.0 == "u32_sel"));
    let h = match handle {
        Value::Int(0) => match (object, p.and_then(|p| p.default_handle)) {
            ("qdisc", Some(d)) => TcHandle::from_value("handle", &Value::Str(d.into()))?.0,
            _ => 0,
        },
        Value::Str(s) if u32_filter => u32_handle("handle", s)?,
        Value::Str(s) if p.is_some_and(|p| p.kind == "fw") => super::tc_filter::fw_handle(s, a)?,
        v => TcHandle::from_value("handle", v)?.0,
    };
    if object == "qdisc" && h & 0xffff != 0 {
        // The kernel refuses it too ("Invalid minor handle"); tc's qdisc handles are `maj:`.
        return Err(ArgError::new(
            "handle",
            format!(
                "{}: a qdisc handle has no minor (write {:x}:)",
                TcHandle(h),
                h >> 16
            ),
        ));
    }
    hdr.set_handle(h);
    let parent = match (a.take("parent"), object, p.and_then(|p| p.default_parent)) {
        (Some(v), _, _) => TcHandle::from_value("parent", &v)?.0,
        (None, "qdisc", _) if dump => 0,
        (None, "qdisc", Some(d)) => TcHandle::from_value("parent", &Value::Str(d.into()))?.0,
        (None, "qdisc", None) => TcHandle::ROOT.0,
        _ => 0,
    };
    hdr.set_parent(parent);
    // A chain's header is a filter's (tc_filter.c serves both), but nothing is defaulted.
    if object == "filter" || object == "chain" {
        let prio: u16 = match a.take_any(&["prio", "pref", "priority"]) {
            Some((k, v)) => int_as(&k, &v, None)?,
            None => 0,
        };
        // As tc: a filter being created matches every protocol unless told; a change, delete
        // or get without one leaves it 0 (any).
        let proto = match a.take("protocol") {
            Some(v) => protocol(&v)?,
            None if create && object == "filter" => 0x0003,
            None => 0,
        };
        hdr.set_info(u32::from(prio) << 16 | u32::from(proto.to_be()));
    }
    Ok(hdr)
}

/// Sets `a.b.c` in a tree of maps, creating the maps on the way.
fn set_path(tree: &mut Vec<(String, Value)>, path: &str, v: Value) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let slot = match tree.iter().position(|(k, _)| k == head) {
        Some(i) => &mut tree[i].1,
        None => {
            tree.push((head.to_string(), Value::Map(Vec::new())));
            &mut tree.last_mut().expect("just pushed").1
        }
    };
    match rest {
        None => *slot = v,
        Some(rest) => {
            if !matches!(slot, Value::Map(_)) {
                *slot = Value::Map(Vec::new());
            }
            if let Value::Map(m) = slot {
                set_path(m, rest, v);
            }
        }
    }
}

/// The integer at `path` in `tree` (0 when absent).
fn get_path(tree: &[(String, Value)], path: &str) -> i128 {
    let (head, rest) = path
        .split_once('.')
        .map_or((path, None), |(h, r)| (h, Some(r)));
    match (tree.iter().find(|(k, _)| k == head).map(|x| &x.1), rest) {
        (Some(Value::Int(i)), None) => *i,
        (Some(Value::Map(m)), Some(rest)) => get_path(m, rest),
        _ => 0,
    }
}

/// A clock by name (what tc's `get_clockid` knows) or number.
fn clockid(k: &str, v: &Value) -> Result<i128, ArgError> {
    const CLOCKS: &[(&str, i128)] = &[
        ("REALTIME", 0),
        ("MONOTONIC", 1),
        ("BOOTTIME", 7),
        ("TAI", 11),
    ];
    if let Value::Str(s) = v {
        let name = s.trim_start_matches("CLOCK_");
        if let Some((_, n)) = CLOCKS.iter().find(|(c, _)| c.eq_ignore_ascii_case(name)) {
            return Ok(*n);
        }
        if s.parse::<i32>().is_err() {
            return Err(ArgError::new(
                k,
                format!(
                    "{s:?} is not a clock (CLOCK_TAI, CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME or a number)"
                ),
            ));
        }
    }
    int_arg(k, v, None)
}

/// A keyword's value in its unit; None for a flag that is off.
fn convert(
    unit: TcUnit,
    k: &str,
    v: &Value,
    env: &TcEnv,
    r: &mut dyn Resolve,
) -> Result<Option<Value>> {
    let int = |i: u64| Some(Value::Int(i as i128));
    Ok(match unit {
        TcUnit::Int => Some(Value::Int(int_arg(k, v, None)?)),
        TcUnit::Hex => match v {
            Value::Str(s) => int(u32::from_str_radix(s.trim_start_matches("0x"), 16)
                .map_err(|_| {
                    ArgError::new(
                        k,
                        format!("{s:?} is not a hex number (tc reads {k} in base 16)"),
                    )
                })?
                .into()),
            v => Some(Value::Int(int_arg(k, v, None)?)),
        },
        TcUnit::Size => int(units::size(k, v)?.into()),
        TcUnit::Time => int(units::time(k, v)?.into()),
        TcUnit::Ticks => int(env.clock.time2tick(units::time(k, v)?).into()),
        TcUnit::Rate => int(units::rate(k, v, env.link_mbit)?),
        TcUnit::Handle => int(TcHandle::from_value(k, v)?.0.into()),
        TcUnit::Flag => match v {
            Value::Bool(false) | Value::Int(0) => None,
            Value::Bool(true) | Value::Int(1) => Some(Value::Bool(true)),
            other => {
                return Err(
                    ArgError::new(k, format!("a flag: true or false, got {other:?}")).into(),
                );
            }
        },
        TcUnit::String => Some(Value::Str(str_arg(k, v)?.to_string())),
        TcUnit::Linklayer => int(LinkLayer::parse(k, str_arg(k, v)?)?.value().into()),
        TcUnit::List => match v {
            Value::Str(s) => Some(Value::List(
                s.split_whitespace()
                    .map(|w| int_arg(k, &Value::Str(w.into()), None).map(Value::Int))
                    .collect::<Result<_, _>>()?,
            )),
            Value::List(l) => Some(Value::List(l.clone())),
            other => return Err(ArgError::new(k, format!("expected a list, got {other:?}")).into()),
        },
        TcUnit::Percent => {
            let p = match v {
                Value::Str(s) => s.trim().trim_end_matches('%').parse::<f64>().ok(),
                Value::Int(i) => Some(*i as f64),
                _ => None,
            }
            .filter(|p| (0.0..=100.0).contains(p))
            .ok_or_else(|| ArgError::new(k, format!("{v:?} is not a percentage (0..100)")))?;
            int((u32::MAX as f64 * p / 100.0).round() as u64)
        }
        TcUnit::Ifindex => int(ifindex_arg(k, v, r)?.into()),
        TcUnit::Verdict => Some(Value::Int(verdict(k, v)?)),
        TcUnit::Ethertype => int(protocol(v)?.into()),
        TcUnit::Clockid => Some(Value::Int(clockid(k, v)?)),
        TcUnit::Words => match v {
            Value::Str(s) => Some(Value::List(
                s.split_whitespace().map(|w| Value::Str(w.into())).collect(),
            )),
            Value::List(l) => Some(Value::List(l.clone())),
            // A map is its `name value` pairs (pyroute2's hfsc curve `{m1, d, m2}`).
            Value::Map(m) => Some(Value::List(
                m.iter()
                    .flat_map(|(n, v)| {
                        let v = match v {
                            Value::Str(s) => s.clone(),
                            Value::Int(i) => i.to_string(),
                            other => format!("{other:?}"),
                        };
                        [Value::Str(n.clone()), Value::Str(v)]
                    })
                    .collect(),
            )),
            other => return Err(ArgError::new(k, format!("expected words, got {other:?}")).into()),
        },
        TcUnit::Fraction16 => {
            let p = match v {
                Value::Str(s) => s.trim().parse::<f64>().ok(),
                Value::Int(i) => Some(*i as f64),
                _ => None,
            }
            .filter(|p| (0.0..=1.0).contains(p))
            .ok_or_else(|| ArgError::new(k, format!("{v:?} is not a probability (0..1)")))?;
            int((p * 65535.0 + 0.5) as u64)
        }
        TcUnit::Ns => Some(Value::Int(units::time_ns(k, v)?.into())),
        TcUnit::Strings => Some(Value::List(match v {
            Value::Str(_) => vec![v.clone()],
            Value::List(l) => {
                for x in l {
                    str_arg(k, x)?;
                }
                l.clone()
            }
            other => {
                return Err(
                    ArgError::new(k, format!("a text or a list of texts, got {other:?}")).into(),
                );
            }
        })),
    })
}

/// What the options of one object are being built from.
struct Build<'e> {
    p: &'static TcPluginSpec,
    object: &'static str,
    env: &'e TcEnv,
    tree: Vec<(String, Value)>,
    /// Values of the keywords with no `to` (read by computations), converted.
    inputs: Vec<(&'static str, Value)>,
    /// `(rate keyword, bytes/s, burst bytes)` of the rate specs done.
    rates: Vec<(&'static str, u64, u64)>,
}

impl Build<'_> {
    fn input(&self, k: &str) -> Option<u64> {
        self.inputs
            .iter()
            .find(|(n, _)| *n == k)
            .and_then(|(_, v)| match v {
                Value::Int(i) => u64::try_from(*i).ok(),
                _ => None,
            })
    }

    fn place(&mut self, par: &'static TcParamSpec, v: Option<Value>) {
        let Some(v) = v else { return };
        match par.to {
            Some(to) => set_path(&mut self.tree, to, v),
            None => self.inputs.push((par.key, v)),
        }
    }

    /// The constants a given keyword writes (`sets`): replacing, ORed into a flags field, or
    /// added (cake's overhead compounds).
    fn sets(&mut self, par: &'static TcParamSpec) {
        for (path, v, op) in par.sets {
            let (old, v) = (get_path(&self.tree, path), i128::from(*v));
            let new = match op {
                TcSetOp::Replace => v,
                TcSetOp::Or => old | v,
                TcSetOp::Add => old + v,
            };
            set_path(&mut self.tree, path, Value::Int(new));
        }
    }

    /// The keywords, in the caller's order, then the defaults of those not given.
    fn params(&mut self, a: &mut Args, r: &mut dyn Resolve) -> Result<()> {
        let keys: Vec<String> = a.keys().map(str::to_string).collect();
        let mut given = Vec::new();
        for k in keys {
            if let Some(par) = self.p.param(self.object, &k) {
                let mut v = a.take(&k).expect("key listed");
                match par.value_name(&v) {
                    Some(TcValueMeans::Keyword(w)) => {
                        // A value name that is another keyword, given as a flag.
                        let to = self.p.param(self.object, w).unwrap_or(par);
                        self.sets(to);
                        self.place(to, Some(Value::Bool(true)));
                        given.extend([par.key, to.key]);
                        continue;
                    }
                    Some(TcValueMeans::Int(n)) => v = Value::Int(n.into()),
                    None => {}
                }
                let v = convert(par.unit, &k, &v, self.env, r).map_err(|e| {
                    if par.values.is_empty() {
                        return e;
                    }
                    let names: Vec<&str> = par.values.iter().map(|x| x.0).collect();
                    let why = format!(
                        "{v:?} is not one of {} (nor a {:?})",
                        names.join(", "),
                        par.unit
                    );
                    ArgError::new(&k, why).into()
                })?;
                if v.is_some() {
                    self.sets(par);
                }
                self.place(par, v);
                given.push(par.key);
            } else if self.object == "filter" && (k == "action" || k == "actions") {
                let v = a.take(&k).expect("key listed");
                let acts = actions(&k, &v, self.env, r)?;
                set_path(&mut self.tree, "act", acts);
            } else if self.object == "filter" && k == "police" {
                let v = a.take(&k).expect("key listed");
                let p = police_nest(&k, &v, self.env, r)?;
                set_path(&mut self.tree, "police", p);
            }
        }
        let params: &'static [TcParamSpec] = self.p.params;
        for par in params
            .iter()
            .filter(|p| p.for_object(self.object) && !given.contains(&p.key))
        {
            if par.required {
                return Err(
                    ArgError::new(par.key, format!("{} needs {}", self.p.kind, par.key)).into(),
                );
            }
            if let Some(d) = par.default {
                let v = convert(par.unit, par.key, &Value::Str(d.into()), self.env, r)?;
                self.place(par, v);
            }
        }
        Ok(())
    }

    /// One rate spec: the tc_ratespec, rate64, the rate table, the burst in ticks.
    fn ratespec(&mut self, rs: &'static TcRatespecSpec, a: &mut Args) -> Result<(), ArgError> {
        let rate = match a.take(rs.key) {
            Some(v) => units::rate(rs.key, &v, self.env.link_mbit)?,
            None => match rs
                .default
                .and_then(|d| self.rates.iter().find(|x| x.0 == d))
            {
                Some(x) => x.1,
                None if rs.required => {
                    return Err(ArgError::new(
                        rs.key,
                        format!("{} {} needs a {}", self.p.kind, self.object, rs.key),
                    ));
                }
                None => return Ok(()),
            },
        };
        let mtu = self.input("mtu").unwrap_or(0) as u32;
        let mpu = self.input("mpu").unwrap_or(0) as u32;
        let overhead = self.input("overhead").unwrap_or(0);
        let ll = match self.input("linklayer") {
            Some(2) => LinkLayer::Atm,
            _ => LinkLayer::Ethernet,
        };
        let rate32 = rate.min(u32::MAX as u64);
        let table = units::rate_table(&self.env.clock, rate32, None, mtu, mpu, ll);
        let spec = Value::map([
            ("cell_log", Value::Int(table.cell_log.into())),
            ("linklayer", Value::Int(ll.value().into())),
            ("overhead", Value::Int(overhead.into())),
            ("cell_align", Value::Int(-1)),
            ("mpu", Value::Int(mpu.into())),
            ("rate", Value::Int(rate32.into())),
        ]);
        set_path(&mut self.tree, rs.ratespec, spec);
        if let (Some(attr), true) = (rs.rate64, rate > u32::MAX as u64) {
            set_path(&mut self.tree, attr, Value::Int(rate.into()));
        }
        if let Some(attr) = rs.table {
            set_path(&mut self.tree, attr, Value::Bytes(table.bytes()));
        }
        let burst = match rs.burst {
            Some(b) => match self.input(b) {
                Some(v) => Some(v),
                None => a
                    .take(b)
                    .map(|v| units::size(b, &v))
                    .transpose()?
                    .map(u64::from),
            },
            None => None,
        };
        let burst = match (burst, rs.burst_default) {
            (Some(b), _) => b,
            (None, Some("rate/hz+mtu")) => {
                rate / u64::from(self.env.clock.hz.max(1)) + u64::from(mtu)
            }
            (None, _) => {
                let b = rs.burst.unwrap_or("burst");
                return Err(ArgError::new(
                    b,
                    format!("{} needs {b} with {}", self.p.kind, rs.key),
                ));
            }
        };
        if let Some(at) = rs.buffer {
            let xr = if rs.xmit_rate == "ratespec" {
                rate32
            } else {
                rate
            };
            let ticks = self
                .env
                .clock
                .xmittime(xr, burst.min(u32::MAX as u64) as u32);
            set_path(&mut self.tree, at, Value::Int(ticks.into()));
        }
        if let (Some(attr), true) = (rs.burst_attr, burst <= u32::MAX as u64) {
            set_path(&mut self.tree, attr, Value::Int(burst.into()));
        }
        self.rates.push((rs.key, rate, burst));
        Ok(())
    }
}

/// The TCA_OPTIONS value for `p` and `object` (None: tc sends none).
fn options(
    p: &'static TcPluginSpec,
    object: &'static str,
    a: &mut Args,
    env: &TcEnv,
    r: &mut dyn Resolve,
    fctx: &mut FilterCtx,
) -> Result<Option<Value>> {
    let mut b = Build {
        p,
        object,
        env,
        tree: Vec::new(),
        inputs: Vec::new(),
        rates: Vec::new(),
    };
    for (o, to, v) in p.fixed {
        if o.is_empty() || *o == object {
            set_path(&mut b.tree, to, Value::Int((*v).into()));
        }
    }
    b.params(a, r)?;
    let rates: &'static [TcRatespecSpec] = p.ratespecs;
    for rs in rates
        .iter()
        .filter(|rs| rs.object.is_none_or(|o| o == object))
    {
        b.ratespec(rs, a)?;
    }
    match p.routine.map(|r| r.0) {
        Some("tbf_limit") => tbf_limit(&mut b)?,
        Some("u32_sel") => u32_sel(&mut b, a, fctx)?,
        Some("mirred") => mirred(&mut b, a)?,
        Some("gact") => gact(&mut b, a)?,
        Some("police") => police(&mut b, a)?,
        Some(r) => {
            let qenv = super::tc_qdisc::QdiscEnv {
                kind: p.kind,
                object,
                clock: &env.clock,
                link_mbit: env.link_mbit,
            };
            if let Some(placed) = super::tc_act_kinds::run(r, a, &b.tree, &b.inputs) {
                for (path, v) in placed? {
                    set_path(&mut b.tree, path, v);
                }
            } else if super::tc_qdisc::run(r, &mut b.tree, &b.inputs, &qenv)? {
                if r == "hfsc" && object == "qdisc" {
                    return Ok(Some(super::tc_qdisc::hfsc_qdisc(&b.inputs)));
                }
            } else {
                super::tc_filter::run(r, &mut b.tree, &b.inputs, a, fctx)?;
            }
        }
        None => {}
    }
    if !p.order.is_empty() {
        b.tree
            .sort_by_key(|(k, _)| p.order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    }
    let sub = if object == "action" {
        &TC_ACT_OPTIONS_SUB
    } else {
        &TC_OPTIONS_SUB
    };
    let has_set = format_of(sub, p).is_some_and(|f| f.set.is_some());
    if p.routine.is_some_and(|r| r.0 == "nest_compat") {
        return nest_compat(sub, p, b.tree).map(Some);
    }
    // A qdisc or class with a set format always sends its nest (perhaps empty); classifiers
    // and struct formats send options only when there are some (tc's `if (argc == 0)`).
    let always = has_set && object != "filter" && !p.omit_empty.contains(&object);
    Ok((always || !b.tree.is_empty()).then_some(Value::Map(b.tree)))
}

/// `nest_compat`: the struct, padding, then an empty nest of type TCA_OPTIONS (what tc's
/// `addattr_nest_compat` writes for prio), as raw bytes.
fn nest_compat(
    sub: &'static SubMessageSpec,
    p: &TcPluginSpec,
    tree: Vec<(String, Value)>,
) -> Result<Value> {
    let st = format_of(sub, p).and_then(|f| f.header).ok_or_else(|| {
        ArgError::new(
            "kind",
            format!("{}: nest_compat needs a struct format", p.kind),
        )
    })?;
    let mut out = Vec::new();
    rtnl_core::spec::encode_struct(st, &mut out, "options", &Value::Map(tree))?;
    rtnl_core::nla::pad(&mut out);
    out.extend_from_slice(&[4, 0, 2, 0]);
    Ok(Value::Bytes(out))
}

fn format_of(
    sub: &'static SubMessageSpec,
    p: &TcPluginSpec,
) -> Option<&'static rtnl_core::spec::FormatSpec> {
    let name = p.options?;
    let formats: &'static [rtnl_core::spec::FormatSpec] = sub.formats;
    formats
        .iter()
        .find(|f| matches!(f.value, SelValue::Str(s) if s == name))
}

/// `tbf_limit`: limit from latency, `min(rate * latency + burst, peakrate * latency + mtu)`
/// (tc/q_tbf.c); exactly one of limit and latency.
fn tbf_limit(b: &mut Build) -> Result<(), ArgError> {
    let has_limit = matches!(b.tree.iter().find(|(k, _)| k == "parms"), Some((_, Value::Map(m))) if m.iter().any(|(k, _)| k == "limit"));
    let latency = b.input("latency");
    match (has_limit, latency) {
        (true, Some(_)) => Err(ArgError::new(
            "latency",
            "tbf takes limit or latency, not both",
        )),
        (false, None) => Err(ArgError::new("limit", "tbf needs limit or latency")),
        (true, None) => Ok(()),
        (false, Some(lat)) => {
            let lat = lat as f64 / units::TIME_UNITS_PER_SEC;
            let Some(&(_, rate, burst)) = b.rates.iter().find(|x| x.0 == "rate") else {
                return Ok(());
            };
            let mut lim = rate as f64 * lat + burst as f64;
            if let Some(&(_, prate, mtu)) = b.rates.iter().find(|x| x.0 == "peakrate") {
                lim = lim.min(prate as f64 * lat + mtu as f64);
            }
            set_path(&mut b.tree, "parms.limit", Value::Int((lim as u32).into()));
            Ok(())
        }
    }
}

/// `u32_sel` (tc/f_u32.c): `match` clauses / pyroute2 `keys`, `offset` and `hashkey` into
/// TCA_U32_SEL; `match mark` into TCA_U32_MARK; `ht` and `sample` into TCA_U32_HASH; `link`
/// (a table, u32's handle form); `order` into the filter handle; `skip_hw`/`skip_sw` into
/// TCA_U32_FLAGS. tc writes classid, link, divisor, indev, mark, action and police as it
/// reads them, then hash, sel and flags: the same order here.
fn u32_sel(b: &mut Build, a: &mut Args, fctx: &mut FilterCtx) -> Result<()> {
    let mut sel = Sel::default();
    let texts = |k: &str, v: &Value| -> Result<Vec<String>, ArgError> {
        match v {
            Value::List(l) => l.iter().map(|it| Ok(str_arg(k, it)?.to_string())).collect(),
            v => Ok(vec![str_arg(k, v)?.to_string()]),
        }
    };
    let mut any = false;
    for k in ["match", "keys", "offset", "hashkey"] {
        let Some(v) = a.take(k) else { continue };
        let t = texts(k, &v)?;
        match k {
            "keys" => sel.add_keys(k, &t.iter().map(String::as_str).collect::<Vec<_>>())?,
            "match" => t.iter().try_for_each(|t| sel.add_match(k, t))?,
            "offset" => t.iter().try_for_each(|t| sel.add_offset(k, t))?,
            _ => t.iter().try_for_each(|t| sel.add_hashkey(k, t))?,
        }
        any |= matches!(k, "match" | "keys");
    }
    if b.tree
        .iter()
        .any(|(k, _)| matches!(k.as_str(), "classid" | "act" | "police"))
    {
        sel.flags |= TC_U32_TERMINAL;
    }
    if let Some(v) = a.take("link") {
        let h = match &v {
            Value::Str(s) => u32_handle("link", s)?,
            v => int_as("link", v, None)?,
        };
        if h & 0xfff != 0 {
            return Err(ArgError::new(
                "link",
                format!("{v:?}: a link is a hash table (800:), not a node"),
            )
            .into());
        }
        set_path(&mut b.tree, "link", Value::Int(h.into()));
    }
    if let Some(Value::Int(d)) = b.tree.iter().find(|(k, _)| k == "divisor").map(|x| &x.1) {
        tc_u32::divisor_arg("divisor", &d.to_string())?;
    }
    if let Some(Value::Str(dev)) = b.tree.iter().find(|(k, _)| k == "indev").map(|x| &x.1)
        && (dev.is_empty() || dev.len() > 15)
    {
        return Err(ArgError::new("indev", format!("{dev:?} is not a device name")).into());
    }
    if let Some(m) = sel.mark_value() {
        set_path(&mut b.tree, "mark", m);
    }
    b.tree.sort_by_key(|(k, _)| tc_u32::rank(k, &fctx.order));
    u32_hash(b, a, fctx)?;
    if any {
        set_path(&mut b.tree, "sel", sel.value());
    }
    let mut flags = 0u32;
    for (k, bit) in [("skip_hw", 1u32), ("skip_sw", 2)] {
        if let Some(v) = a.take(k)
            && convert(TcUnit::Flag, k, &v, b.env, &mut NoResolve)?.is_some()
        {
            flags |= bit;
        }
    }
    if flags == 3 {
        return Err(ArgError::new("skip_sw", "skip_hw and skip_sw are mutually exclusive").into());
    }
    if flags != 0 {
        set_path(&mut b.tree, "flags", Value::Int(flags.into()));
    }
    Ok(())
}

/// u32's `ht` (the table a node goes in, perhaps with its bucket), `sample` (the bucket, from
/// a sample packet's key) and `order` (the node id, ORed into the filter handle).
fn u32_hash(b: &mut Build, a: &mut Args, fctx: &mut FilterCtx) -> Result<()> {
    let ht = match a.take("ht") {
        Some(Value::Str(s)) => Some(u32_handle("ht", &s)?),
        Some(v) => Some(int_as::<u32>("ht", &v, None)?),
        None => None,
    };
    if let Some(h) = ht
        && h & 0xfff != 0
        && fctx.header_handle.is_some()
    {
        return Err(ArgError::new(
            "ht",
            format!("{h:#x}: with a handle, ht is a hash table (800:), not a node"),
        )
        .into());
    }
    let bucket = match a.take("sample") {
        Some(v) => Some(tc_u32::sample("sample", str_arg("sample", &v)?)?),
        None => None,
    };
    let htid = ht.unwrap_or(0) & 0xfff0_0000 | bucket.unwrap_or(ht.unwrap_or(0) & 0xff000);
    if htid != 0 {
        set_path(&mut b.tree, "hash", Value::Int(htid.into()));
    }
    if let Some(v) = a.take("order") {
        let order: u32 = int_as("order", &v, None)?;
        if order > 0xfff {
            return Err(ArgError::new("order", format!("{order}: a node id is 12 bits")).into());
        }
        let h = fctx.header_handle.unwrap_or(0);
        if h & 0xfff != 0 && order != h & 0xfff {
            return Err(ArgError::new(
                "order",
                format!("{order} contradicts the handle's node {}", h & 0xfff),
            )
            .into());
        }
        if order != 0 {
            fctx.set_handle = Some(h | order);
        }
    }
    Ok(())
}

/// A verdict by tc's or the kernel's name (`pass`/`ok`, `drop`/`shot`, `pipe`, `reclassify`,
/// `stolen`, `continue`/`unspec`, `trap`) or number.
pub(crate) fn verdict(k: &str, v: &Value) -> Result<i128, ArgError> {
    if let Value::Str(s) = v {
        let w: Vec<&str> = s.split_whitespace().collect();
        let (base, n) = match w.as_slice() {
            ["goto", "chain", n] => (0x2000_0000, *n),
            ["jump", n] => (0x1000_0000, *n),
            _ => (0, ""),
        };
        if base != 0 {
            let n: u32 = int_as(k, &Value::Str(n.into()), None)?;
            if n > 0x0fff_ffff {
                return Err(ArgError::new(
                    k,
                    format!("{s:?}: the number is out of range"),
                ));
            }
            return Ok(base | i128::from(n));
        }
    }
    let alias = match v {
        Value::Str(s) => match s.as_str() {
            "pass" => Value::Str("ok".into()),
            "drop" => Value::Str("shot".into()),
            // TC_ACT_UNSPEC is -1, which the enum's unsigned names cannot give.
            "continue" | "unspec" => return Ok(-1),
            _ => v.clone(),
        },
        v => v.clone(),
    };
    int_arg(k, &alias, Some(TcActVerdict::SPEC))
}

/// `mirred`: `direction` (egress, ingress) and `action` (redirect, mirror) pick eaction and
/// the default verdict (redirect: stolen, mirror: pipe), as tc/m_mirred.c does.
fn mirred(b: &mut Build, a: &mut Args) -> Result<(), ArgError> {
    let dir = match a.take("direction") {
        Some(v) => str_arg("direction", &v)?.to_string(),
        None => "egress".into(),
    };
    let act = match a.take("action") {
        Some(v) => str_arg("action", &v)?.to_string(),
        None => {
            return Err(ArgError::new(
                "action",
                "mirred needs action redirect or mirror",
            ));
        }
    };
    let (eaction, stolen) = match (dir.as_str(), act.as_str()) {
        ("egress", "redirect") => (1, true),
        ("egress", "mirror") => (2, false),
        ("ingress", "redirect") => (3, true),
        ("ingress", "mirror") => (4, false),
        _ => {
            return Err(ArgError::new(
                "action",
                format!("{dir} {act}: direction egress|ingress, action redirect|mirror"),
            ));
        }
    };
    let v = match a.take("verdict") {
        Some(v) => verdict("verdict", &v)?,
        None if stolen => 4,
        None => 3,
    };
    set_path(&mut b.tree, "parms.eaction", Value::Int(eaction));
    set_path(&mut b.tree, "parms.action", Value::Int(v));
    if !b.tree.iter().any(|(k, v)| {
        k == "parms" && matches!(v, Value::Map(m) if m.iter().any(|(f, _)| f == "ifindex"))
    }) {
        return Err(ArgError::new(
            "dev",
            "mirred needs dev (the interface to redirect or mirror to)",
        ));
    }
    Ok(())
}

/// `gact`: the verdict (`action="drop"`).
fn gact(b: &mut Build, a: &mut Args) -> Result<(), ArgError> {
    let v = match a.take_any(&["action", "verdict"]) {
        Some((k, v)) => verdict(&k, &v)?,
        None => {
            return Err(ArgError::new(
                "action",
                "gact needs its verdict (pass, drop, pipe, reclassify ...)",
            ));
        }
    };
    set_path(&mut b.tree, "parms.action", Value::Int(v));
    // `random: "determ drop 10"` / `"netrand pass 50"`: tc's `random TYPE VERDICT VAL`.
    if let Some(r) = a.take("random") {
        let s = str_arg("random", &r)?;
        let bad = || {
            ArgError::new(
                "random",
                format!("{s:?}: expected \"determ|netrand VERDICT VALUE\""),
            )
        };
        let w: Vec<&str> = s.split_whitespace().collect();
        let [t, act, val] = w.as_slice() else {
            return Err(bad());
        };
        let ptype = match *t {
            "netrand" => 1,
            "determ" => 2,
            _ => return Err(bad()),
        };
        let paction = verdict("random", &Value::Str((*act).into()))?;
        let pval: u16 = int_as("random", &Value::Str((*val).into()), None)?;
        set_path(
            &mut b.tree,
            "prob",
            Value::map([
                ("ptype", Value::Int(ptype)),
                ("pval", Value::Int(pval.into())),
                ("paction", Value::Int(paction)),
            ]),
        );
    }
    Ok(())
}

/// A filter's action list: one map or a list of maps, each `{kind: "mirred", ...}`, into the
/// classifier's TCA_*_ACT array (TCA_ACT_KIND, TCA_ACT_OPTIONS).
pub(crate) fn actions(k: &str, v: &Value, env: &TcEnv, r: &mut dyn Resolve) -> Result<Value> {
    let items = match v {
        Value::List(l) => l.clone(),
        v => vec![v.clone()],
    };
    let mut out = Vec::new();
    for (i, it) in items.into_iter().enumerate() {
        let Value::Map(m) = it else {
            return Err(ArgError::new(
                k,
                format!("an action is a map like {{kind: \"mirred\", ...}}, got {it:?}"),
            )
            .into());
        };
        let mut a: Args = m.into_iter().collect();
        let kind = match a.take("kind") {
            Some(v) => str_arg("kind", &v)?.to_string(),
            None => return Err(ArgError::new(k, "an action needs its kind").into()),
        };
        let p =
            plugin(&kind, "action").map_err(|e| ArgError::new(format!("{k}.kind"), e.reason))?;
        let cookie = a.take("cookie").map(|c| cookie_arg(&c)).transpose()?;
        let opts = options(p, "action", &mut a, env, r, &mut FilterCtx::default())?;
        if let Some((extra, _)) = a.iter().next() {
            return Err(ArgError::new(
                format!("{k}.{extra}"),
                format!(
                    "{kind} has no keyword {extra:?}; it takes kind, cookie, {}{}",
                    routine_words(p),
                    p.keywords("action").join(", ")
                ),
            )
            .into());
        }
        // Action `i + 1`: TCA_ACT_KIND, then TCA_ACT_OPTIONS with NLA_F_NESTED set, as tc
        // writes it (m_mirred.c, m_gact.c: `addattr_nest(.., TCA_ACT_OPTIONS | NLA_F_NESTED)`).
        let start = rtnl_core::nla::begin_nest_raw(&mut out, (i + 1) as u16);
        let ctx = EncodeCtx {
            start: out.len(),
            family: 0,
        };
        encode_attr(&TC_ACT_SPEC, &mut out, ctx, "kind", &Value::Str(kind))?;
        if let Some(o) = opts {
            let at = out.len();
            encode_attr(&TC_ACT_SPEC, &mut out, ctx, "options", &o)?;
            out[at + 3] |= 0x80; // NLA_F_NESTED (bit 15 of nla_type)
        }
        if let Some(c) = cookie {
            encode_attr(&TC_ACT_SPEC, &mut out, ctx, "cookie", &Value::Bytes(c))?;
        }
        rtnl_core::nla::end_nest(&mut out, start);
    }
    Ok(Value::Bytes(out))
}

/// The keywords the routines of mirred and gact read (the other kinds list theirs as params).
fn routine_words(p: &TcPluginSpec) -> &'static str {
    match p.routine.map(|r| r.0) {
        Some("mirred") => "direction, action, verdict, ",
        Some("gact") => "action, verdict, random, ",
        _ => "",
    }
}

/// A filter's own `police` (TCA_*_POLICE): the keywords of the police action (`rate`,
/// `burst`, `conform_exceed` ...) as a map, encoded as that action's options (tc's
/// `parse_police` writes the same attributes as `action police`).
fn police_nest(k: &str, v: &Value, env: &TcEnv, r: &mut dyn Resolve) -> Result<Value> {
    let Value::Map(m) = v else {
        return Err(ArgError::new(
            k,
            format!("police is a map like {{rate: \"1mbit\", burst: \"10k\"}}, got {v:?}"),
        )
        .into());
    };
    let mut a: Args = m.iter().cloned().collect();
    let p = plugin("police", "action")?;
    let opts = options(p, "action", &mut a, env, r, &mut FilterCtx::default())?;
    if let Some((extra, _)) = a.iter().next() {
        return Err(ArgError::new(
            format!("{k}.{extra}"),
            format!(
                "police has no keyword {extra:?}; it takes conform_exceed, exceed, conform, {}",
                p.keywords("action").join(", ")
            ),
        )
        .into());
    }
    Ok(opts.unwrap_or(Value::Map(Vec::new())))
}

/// An action's `cookie`: bytes, or hex as tc takes it (`"0102aabb"`), at most 16 bytes.
fn cookie_arg(v: &Value) -> Result<Vec<u8>, ArgError> {
    let b = match v {
        Value::Bytes(b) => b.clone(),
        Value::Str(s) if s.len() % 2 == 0 => (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("x"), 16))
            .collect::<Result<_, _>>()
            .map_err(|_| ArgError::new("cookie", format!("{s:?} is not hex")))?,
        other => {
            return Err(ArgError::new(
                "cookie",
                format!("hex bytes like \"0102aabb\", got {other:?}"),
            ));
        }
    };
    if b.is_empty() || b.len() > 16 {
        return Err(ArgError::new(
            "cookie",
            "1 to 16 bytes (TC_COOKIE_MAX_SIZE)",
        ));
    }
    Ok(b)
}

/// `police`: tc's `conform-exceed EXCEED[/CONFORM]` (or `exceed`, `conform`): the exceed
/// verdict (default reclassify) into tc_police.action, the conform one into
/// TCA_POLICE_RESULT; mtu into tc_police.mtu as well as into the rate tables (tc/m_police.c).
fn police(b: &mut Build, a: &mut Args) -> Result<(), ArgError> {
    let (mut exceed, mut conform) = (None, None);
    if let Some((k, v)) = a.take_any(&["conform-exceed", "conform_exceed"]) {
        let s = str_arg(&k, &v)?;
        let (e, c) = match s.split_once('/') {
            Some((e, c)) => (e, Some(c)),
            None => (s, None),
        };
        exceed = Some(verdict(&k, &Value::Str(e.into()))?);
        conform = c.map(|c| verdict(&k, &Value::Str(c.into()))).transpose()?;
    }
    // pyroute2 calls the exceed verdict `action`.
    if let Some((k, v)) = a.take_any(&["exceed", "action"]) {
        exceed = Some(verdict(&k, &v)?);
    }
    if let Some(v) = a.take("conform") {
        conform = Some(verdict("conform", &v)?);
    }
    set_path(&mut b.tree, "tbf.action", Value::Int(exceed.unwrap_or(1)));
    if let Some(c) = conform {
        set_path(&mut b.tree, "result", Value::Int(c));
    }
    if let Some(m) = b.input("mtu") {
        set_path(&mut b.tree, "tbf.mtu", Value::Int(m.into()));
    }
    Ok(())
}
