//! `ntable change|chg`: ip/ipntable.c `ipntable_modify` in ip's words, sent through
//! `IPRoute::ntable("change")` (RTM_SETNEIGHTBL, REQUEST|REPLACE as ip sends it). The table's
//! own values (`thresh1..3`, `gc_int`) are top-level NDTA_* keywords; `dev` and the per-device
//! values go into `parms` (NDTA_PARMS), in the order given.
//!
//! ip leaves with `exit(-1)` (status 255) for a bad word or value and `exit(2)` for a kernel
//! refusal.

use rtnl_api::{Args, Value};

use super::{Call, Failure, Names, Words};

/// ip's words for the NDTPA_* values and their keyword; `true` for the u64 ones (times).
const PARMS: &[(&str, &str, bool)] = &[
    ("base_reachable", "base_reachable_time", true),
    ("retrans", "retrans_time", true),
    ("gc_stale", "gc_staletime", true),
    ("delay_probe", "delay_probe_time", true),
    ("queue", "queue_len", false),
    ("app_probes", "app_probes", false),
    ("ucast_probes", "ucast_probes", false),
    ("mcast_probes", "mcast_probes", false),
    ("anycast_delay", "anycast_delay", true),
    ("proxy_delay", "proxy_delay", true),
    ("proxy_queue", "proxy_qlen", false),
    ("locktime", "locktime", true),
];

/// ip's `get_u32`/`get_u64` (base 0), or `invarg("\"WORD\" value is invalid", v)`.
fn number(word: &str, v: &str, wide: bool) -> Result<Value, Failure> {
    let max = if wide { u64::MAX } else { u32::MAX as u64 };
    super::uint(v, max, &format!("\"{word}\" value is invalid"))
}

/// Parses `ntable change name NAME [dev DEV] [thresh1 N] ... [PARMS]` (`family` is `-4`/`-6`'s).
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    if cmd == "help" {
        return Ok(Call::Usage(super::help::NTABLE));
    }
    let mut a = Args::new().with("family", Value::Int(family.into()));
    let mut name = false;
    let mut changes = false;
    let mut parms: Vec<(&'static str, Value)> = Vec::new();
    while let Some(word) = w.next() {
        match word {
            "name" => {
                let v = w.arg()?;
                if name {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"NAME\": \"{v}\" is the second value."
                    )));
                }
                name = true;
                a = a.with("name", v);
            }
            "thresh1" | "thresh2" | "thresh3" => {
                let v = number(word, w.arg()?, false)?;
                a = a.with(word, v);
                changes = true;
            }
            "gc_int" => {
                let v = number(word, w.arg()?, true)?;
                a = a.with("gc_interval", v);
                changes = true;
            }
            "dev" => {
                let d = w.arg()?;
                let i = names
                    .index(d)?
                    .ok_or_else(|| Failure::arg(format!("Cannot find device \"{d}\"")))?;
                parms.push(("ifindex", Value::Int(i.into())));
            }
            _ => {
                let Some((_, key, wide)) = PARMS.iter().find(|(w, _, _)| *w == word) else {
                    return Err(Failure::invarg("unknown", word));
                };
                parms.push((key, number(word, w.arg()?, *wide)?));
                changes = true;
            }
        }
    }
    if !name {
        return Err(Failure::fatal("Error: argument \"NAME\" is required"));
    }
    if !changes {
        return Err(Failure::fatal(
            "Not enough information: changeable attributes required.",
        ));
    }
    if !parms.is_empty() {
        a = a.with("parms", Value::map(parms));
    }
    Ok(Call::Ntable(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl Names for Fake {
        fn index(&mut self, name: &str) -> Result<Option<u32>, Failure> {
            Ok((name == "v0").then_some(3))
        }
    }

    fn parse_line(line: &str) -> Result<Call, Failure> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse("change", 0, &mut Words::new(&words), &mut Fake)
    }

    #[test]
    fn words_as_ip() {
        let Call::Ntable(a) = parse_line("name arp_cache dev v0 queue 0x10 thresh1 5").unwrap()
        else {
            panic!()
        };
        assert_eq!(a.get("thresh1"), Some(&Value::Int(5)));
        assert_eq!(
            a.get("parms"),
            Some(&Value::map([
                ("ifindex", Value::Int(3)),
                ("queue_len", Value::Int(16))
            ]))
        );
        let e = parse_line("name arp_cache dev v0").unwrap_err();
        assert_eq!(e.code, 255);
        assert!(e.msg.starts_with("Not enough information"), "{}", e.msg);
        let e = parse_line("thresh1 5").unwrap_err();
        assert_eq!(e.msg, "Error: argument \"NAME\" is required");
        let e = parse_line("name arp_cache family inet").unwrap_err();
        assert_eq!(e.msg, "Error: argument \"family\" is wrong: unknown");
        let e = parse_line("name arp_cache thresh1 x").unwrap_err();
        assert_eq!(
            e.msg,
            "Error: argument \"x\" is wrong: \"thresh1\" value is invalid"
        );
        assert_eq!(parse_line("name a dev nosuch").unwrap_err().code, 1);
    }
}
