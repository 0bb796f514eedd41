//! `rule add|delete|flush`: iproute2's ip/iprule.c words into `IPRoute::rule` keywords.
//! `flush` deletes every rule but priority 0's, as ip does.

use rtnl_api::{Args, IPRoute, Value};

use super::addr::prefix;
use super::route::{proto, rtntype};
use super::table;
use super::{Call, Failure, Names, Words, int, matches};

/// Parses `rule COMMAND ...`.
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    _names: &mut dyn Names,
) -> Result<Call, Failure> {
    // ip's rule family is -4/-6's, else inet, whatever the addresses say.
    let family = if family == 0 { 2 } else { family };
    match cmd {
        "help" => return Ok(Call::Usage(super::help::RULE)),
        "flush" => {
            if let Some(x) = w.next() {
                return Err(Failure::invarg("unknown flush selector", x));
            }
            return Ok(Call::RuleFlush(family));
        }
        _ => {}
    }
    let add = cmd == "add";
    let mut a = Args::new();
    let mut table_v: Option<u32> = None;
    let mut action: Option<u8> = if add { Some(1) } else { None };
    let mut invert = false;
    while let Some(word) = w.next() {
        match word {
            "not" => invert = true,
            "from" | "to" => {
                let s = w.arg()?;
                if s != "all" {
                    let (ip, len) = prefix(s)?;
                    let l = len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 });
                    let (k, lk) = if word == "from" {
                        ("src", "src_len")
                    } else {
                        ("dst", "dst_len")
                    };
                    a = a.with(k, Value::from(format!("{ip}/{l}")));
                    let _ = lk;
                }
            }
            _ if matches(word, "preference")
                || matches(word, "order")
                || matches(word, "priority") =>
            {
                let s = w.arg()?;
                a = a.with(
                    "priority",
                    super::uint(s, u32::MAX as u64, "preference value is invalid\n")?,
                );
            }
            "tos" | "dsfield" => {
                let s = w.arg()?;
                a = a.with("tos", super::uint(s, 255, "TOS value is invalid\n")?);
            }
            "fwmark" => {
                let s = w.arg()?;
                let (m, mask) = match s.split_once('/') {
                    Some((m, k)) => (m, Some(k)),
                    None => (s, None),
                };
                a = a.with(
                    "fwmark",
                    super::uint(m, u32::MAX as u64, "fwmark value is invalid\n")?,
                );
                if let Some(k) = mask {
                    a = a.with(
                        "fwmask",
                        super::uint(k, u32::MAX as u64, "fwmask value is invalid\n")?,
                    );
                }
            }
            _ if matches(word, "table") || word == "lookup" => {
                let t = table(w.arg()?)?;
                table_v = Some(t);
                if add || action.is_none() {
                    action = Some(1);
                }
            }
            _ if matches(word, "suppress_prefixlength") => {
                let s = w.arg()?;
                a = a.with(
                    "suppress_prefixlen",
                    Value::Int(int(s).ok_or_else(|| {
                        Failure::invarg("suppress_prefixlength value is invalid\n", s)
                    })?),
                );
            }
            "dev" | "iif" => a = a.with("iifname", Value::from(w.arg()?)),
            "oif" => a = a.with("oifname", Value::from(w.arg()?)),
            "l3mdev" => {
                a = a.with("l3mdev", Value::Int(1));
                action = Some(1);
            }
            "ipproto" => {
                let s = w.arg()?;
                let p = match s {
                    "tcp" => 6,
                    "udp" => 17,
                    "icmp" => 1,
                    "icmpv6" | "ipv6-icmp" => 58,
                    _ => int(s).ok_or_else(|| Failure::invarg("Invalid \"ipproto\" value\n", s))?,
                };
                a = a.with("ip_proto", Value::Int(p));
            }
            "protocol" => a = a.with("protocol", Value::Int(proto(w.arg()?)? as i128)),
            "goto" => {
                let s = w.arg()?;
                a = a.with("goto", super::uint(s, u32::MAX as u64, "invalid target\n")?);
                action = Some(2);
            }
            _ => {
                if matches(word, "help") {
                    return Ok(Call::Usage(super::help::RULE));
                }
                let t = if matches(word, "type") {
                    w.arg()?
                } else {
                    word
                };
                let v = match t {
                    "nop" => 3,
                    _ => match rtntype(t) {
                        // rtntype numbers map to FR_ACT_*: blackhole 6, unreachable 7, prohibit 8.
                        Some(6) => 6,
                        Some(7) => 7,
                        Some(8) => 8,
                        Some(1) => 1,
                        _ => return Err(Failure::invarg("Failed to parse rule type", t)),
                    },
                };
                action = Some(v);
                table_v.get_or_insert(0);
            }
        }
    }
    let mut out = Args::new().with("family", Value::Int(family as i128));
    match table_v {
        Some(0) | None if add && action == Some(1) => out = out.with("table", Value::Int(254)),
        Some(t) if t != 0 => out = out.with("table", Value::Int(t as i128)),
        _ => {}
    }
    out = out.with("action", Value::Int(action.unwrap_or(0) as i128));
    if invert {
        out = out.with("flags", Value::Int(2));
    }
    for (k, v) in a.iter() {
        out = out.with(k, v.clone());
    }
    Ok(Call::Rule(if add { "add" } else { "del" }, out))
}

/// Deletes every rule of `family` with a priority (ip keeps the rule at 0).
pub fn flush(ipr: &mut IPRoute, family: u8) -> Result<(), Failure> {
    let mut prios = Vec::new();
    ipr.get_rules(family)
        .and_then(|d| {
            d.for_each(|r| {
                if let Some(p) = r.priority()?.filter(|p| *p != 0) {
                    prios.push(p);
                }
                Ok(())
            })
        })
        .map_err(|e| Failure::from_error(&e))?;
    for p in prios {
        let a = Args::new()
            .with("family", Value::Int(family as i128))
            .with("priority", Value::Int(p as i128));
        match ipr.rule("del", a).map(drop) {
            Ok(()) => {}
            Err(rtnl_core::Error::Kernel(k)) if k.errno == 2 => {}
            Err(e) => return Err(Failure::from_error(&e)),
        }
    }
    Ok(())
}
