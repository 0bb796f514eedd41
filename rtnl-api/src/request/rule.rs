//! `rule`: RTM_NEWRULE / RTM_DELRULE keyword requests.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_arg, range_arg};

/// `rule(cmd, ...)`: RTM_NEWRULE / RTM_DELRULE.
///
/// | keyword | meaning |
/// | --- | --- |
/// | `src`, `dst` | prefixes (`"10.0.0.0/8"`): FRA_SRC/FRA_DST and the header lengths |
/// | `src_len`, `dst_len` | the header lengths, given apart (a bare `src` is /32 or /128) |
/// | `table` | a number, `main`/`local`, or a name of iproute2's `rt_tables`; the header byte is the table up to 255, else 252 (RT_TABLE_COMPAT, pyroute2's), and FRA_TABLE always |
/// | `action` | a number or a name: `to_tbl`/`lookup`, `goto`, `nop`, `blackhole`, `unreachable`, `prohibit`, `FR_ACT_*`; default to_tbl when a table is given, as `ip rule` does |
/// | `sport`/`sport_range`, `dport`/`dport_range`, `uid_range` | `"80:120"`, `"80-120"`, `[80, 120]`, `{start, end}` or one number |
/// | `ip_proto` | a number or `tcp`, `udp`, `icmp`, `ipv6-icmp`, `sctp` ... |
/// | `tos`, `family` | the header |
///
/// Everything else is an `FRA_*` attribute by name (`priority`, `fwmark`, `fwmask`,
/// `iifname`, `oifname`, `goto`, `suppress_prefixlen` ...). No priority is sent unless given:
/// the kernel then picks one below the last rule, as with `ip rule add` (pyroute2 sends 32000).
///
/// ```
/// use rtnl_api::{IPBatch, kw};
/// let mut b = IPBatch::new();
/// b.rule("add", kw! { src: "10.0.0.0", src_len: 8, table: 100, priority: 1000 })?;
/// b.rule("add", kw! { dport: "80-120", ip_proto: "tcp", action: "blackhole", priority: 10 })?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
pub fn rule(buf: &mut Vec<u8>, cmd: &str, args: &Args, _r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&RULE_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = FibRuleHdr::zeroed();
    let mut family: Option<u8> = match a.take("family") {
        Some(v) => Some(int_as("family", &v, Some(AddressFamily::SPEC))?),
        None => None,
    };
    for key in ["src", "dst"] {
        if let Some(v) = a.get(key).cloned() {
            let (ip, len) = prefix_arg(key, &v)?;
            let l = len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 });
            if key == "src" {
                hdr.set_src_len(l);
            } else {
                hdr.set_dst_len(l);
            }
            family.get_or_insert(family_of(&ip));
            a.set(key, Value::Ip(ip));
        }
    }
    for key in ["src_len", "dst_len"] {
        if let Some(v) = a.take(key) {
            let l: u8 = int_as(key, &v, None)?;
            match key {
                "src_len" => hdr.set_src_len(l),
                _ => hdr.set_dst_len(l),
            };
        }
    }
    // A dump asks for every family, as pyroute2's and ip's do.
    let family = family.unwrap_or(if cmd == "dump" { 0 } else { 2 });
    hdr.set_family(family);
    let table: Option<u32> = match a.get("table") {
        Some(v) => Some(super::route::table_arg("table", v)?),
        None => None,
    };
    if let Some(t) = table {
        a.set("table", t);
        hdr.set_table(if t < 256 { t as u8 } else { 252 });
    }
    let action = match a.take("action") {
        Some(Value::Str(s)) => FrAct::SPEC
            .parse(match s.as_str() {
                "lookup" | "table" => "to_tbl",
                s => s,
            })
            .ok_or_else(|| {
                ArgError::new(
                    "action",
                    format!("{s:?} is not a rule action (to_tbl, goto, nop, blackhole, unreachable, prohibit)"),
                )
            })? as u8,
        Some(v) => int_as::<u8>("action", &v, None)?,
        None if table.is_some() => 1,
        None => 0,
    };
    rule_ranges(&mut a)?;
    hdr.set_action(action);
    if let Some(v) = a.take("tos") {
        hdr.set_tos(int_as("tos", &v, None)?);
    }
    // The header's flags (`FIB_RULE_INVERT` = 2 is ip's `not`).
    if let Some(v) = a.take("flags") {
        hdr.set_flags(int_as::<u32>("flags", &v, None)?);
    }
    RuleMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (k, v) in &a.0 {
        put_kw(&RULE_SPEC, buf, ctx, k, v)?;
    }
    Ok(*c)
}

/// Port and uid ranges in any spelling into their structs, in place; `ip_proto` by name.
fn rule_ranges(a: &mut Args) -> Result<()> {
    for (k, v) in a.0.iter_mut() {
        let name = match k.as_str() {
            "sport" | "sport_range" => "sport_range",
            "dport" | "dport_range" => "dport_range",
            "uid_range" => "uid_range",
            "ip_proto" => {
                if let Value::Str(s) = v
                    && rtnl_core::spec::parse_int(s).is_none()
                {
                    *v = Value::Int(ip_proto(s).ok_or_else(|| {
                        ArgError::new("ip_proto", format!("{s:?} is not a protocol (tcp, udp, icmp, ipv6-icmp, sctp, or a number)"))
                    })?);
                }
                continue;
            }
            _ => continue,
        };
        let (start, end) = range_arg(k, v)?;
        if name != "uid_range" && end > 0xffff {
            return Err(ArgError::new(k.clone(), format!("port {end} is above 65535")).into());
        }
        *k = name.into();
        *v = Value::map([("start", start), ("end", end)]);
    }
    Ok(())
}

/// IP protocol numbers by the names `ip rule ipproto` takes most.
fn ip_proto(s: &str) -> Option<i128> {
    Some(match s.to_ascii_lowercase().as_str() {
        "icmp" => 1,
        "igmp" => 2,
        "tcp" => 6,
        "udp" => 17,
        "gre" => 47,
        "esp" => 50,
        "ah" => 51,
        "ipv6-icmp" | "icmpv6" => 58,
        "sctp" => 132,
        "udplite" => 136,
        _ => return None,
    })
}
