//! `rule`: RTM_NEWRULE / RTM_DELRULE keyword requests.

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_arg};

/// `rule(cmd, ...)`: RTM_NEWRULE / RTM_DELRULE.
///
/// `src`/`dst` take prefixes (header lengths + FRA_SRC/FRA_DST); `table` any u32 (header byte
/// when < 256, and FRA_TABLE); `action` (`"to_tbl"`, `"blackhole"` ...; default to_tbl when a
/// table is given, as `ip rule` does); `priority`, `fwmark`, `fwmask`, `iifname`, ... by name.
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
    let family = family.unwrap_or(2);
    hdr.set_family(family);
    let table: Option<u32> = match a.get("table") {
        Some(v) => Some(int_as("table", v, Some(RtTable::SPEC))?),
        None => None,
    };
    if let Some(t) = table {
        a.set("table", t);
        hdr.set_table(if t < 256 { t as u8 } else { 0 });
    }
    let action = match a.take("action") {
        Some(v) => int_as::<u8>("action", &v, Some(FrAct::SPEC))?,
        None if table.is_some() => 1,
        None => 0,
    };
    hdr.set_action(action);
    if let Some(v) = a.take("tos") {
        hdr.set_tos(int_as("tos", &v, None)?);
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
