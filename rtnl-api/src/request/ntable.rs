//! `ntable`: RTM_SETNEIGHTBL keyword requests (`ip ntable change`): a neighbour table's
//! thresholds and its per-device parameters.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, int_as};

/// `ntable(cmd, ...)`: set a neighbour table's parameters (RTM_SETNEIGHTBL).
///
/// Commands (schema/ndtmsg.toml): `set` (REQUEST|ACK), `change` (REQUEST|ACK|REPLACE, what
/// `ip ntable change` sends; the kernel reads both alike).
///
/// Keywords, in the order given:
///
/// | keyword | where | |
/// | --- | --- | --- |
/// | `family` | `ndtm_family` | AF_INET (2) for `arp_cache`, AF_INET6 (10) for `ndisc_cache`; 0 (default) matches any |
/// | `name` | NDTA_NAME | the table: `arp_cache`, `ndisc_cache` ... (required by the kernel) |
/// | `thresh1`, `thresh2`, `thresh3`, `gc_interval` | NDTA_* | the table's garbage collection (`gc_interval` in ms) |
/// | `parms` | NDTA_PARMS | a map of NDTPA_* by name: `ifindex` (a device's parameters instead of the defaults), `base_reachable_time`, `retrans_time`, `gc_staletime`, `delay_probe_time`, `queue_len`, `app_probes`, `ucast_probes`, `mcast_probes`, `anycast_delay`, `proxy_delay`, `proxy_qlen`, `locktime` (times in ms) |
/// | `ifindex`, `ifname` | NDTPA_IFINDEX in NDTA_PARMS | the device, by index or name (resolved) |
/// | any other NDTPA_* name | in NDTA_PARMS | `base_reachable_time: 30000` is `parms: {base_reachable_time: 30000}` |
///
/// NDTA_PARMS goes last, its attributes in the order given, as ip sends them.
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::ntable(
///     &mut b,
///     "set",
///     &rtnl_api::kw! { name: "arp_cache", thresh1: 256, ifindex: 3, retrans_time: 500 },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 67); // RTM_SETNEIGHTBL
/// assert_eq!(b.len(), 4 + 16 + 8 + 4 + 8 + 12); // ndtmsg, NAME, THRESH1, PARMS{IFINDEX, RETRANS}
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn ntable(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&NTABLE_MSG, cmd)?;
    if cmd == "dump" {
        return Err(ArgError::new(
            "command",
            "a neighbour table dump is IPRoute::get_ntables (IPBatch sends no dumps)",
        )
        .into());
    }
    let mut hdr = Ndtmsg::zeroed();
    let mut top: Vec<(&str, &Value)> = Vec::new();
    let mut parms: Vec<(String, Value)> = Vec::new();
    for (k, v) in args.iter() {
        match k {
            "family" => {
                hdr.set_family(int_as::<u8>(k, v, Some(AddressFamily::SPEC))?);
            }
            "ifindex" | "index" | "ifname" => {
                parms.push(("ifindex".into(), Value::Int(ifindex_arg(k, v, r)?.into())));
            }
            "parms" => match v {
                Value::Map(m) => {
                    for (pk, pv) in m {
                        let pv = match pk.as_str() {
                            "ifindex" | "ifname" => Value::Int(ifindex_arg(pk, pv, r)?.into()),
                            _ => pv.clone(),
                        };
                        parms.push((pk.replace("ifname", "ifindex"), pv));
                    }
                }
                _ => return Err(ArgError::new(k, "a map of NDTPA_* keywords").into()),
            },
            _ if find_attr(&NEIGHTBL_SPEC, k).is_some() => top.push((k, v)),
            _ if find_attr(&NEIGHTBL_PARMS_SPEC, k).is_some() => {
                parms.push((k.to_string(), v.clone()));
            }
            _ => {
                return Err(ArgError::new(
                    k,
                    "not a neighbour table keyword (family, name, thresh1..3, gc_interval, \
                     parms, ifindex, or an NDTPA_* name)",
                )
                .into());
            }
        }
    }
    NtableMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family: u8::from(hdr.family()),
    };
    for (k, v) in top {
        put_kw(&NEIGHTBL_SPEC, buf, ctx, k, v)?;
    }
    if !parms.is_empty() {
        put_kw(&NEIGHTBL_SPEC, buf, ctx, "parms", &Value::Map(parms))?;
    }
    Ok(*c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    #[test]
    fn parms_nest_last_in_the_order_given() {
        let mut b = Vec::new();
        let a = kw! { name: "arp_cache", ifindex: 3, queue_len: 7, thresh2: 9, family: 2 };
        let c = ntable(&mut b, "change", &a, &mut NoResolve).unwrap();
        assert_eq!((c.msg_type, c.flags), (67, 0x105));
        assert_eq!(&b[..4], &[2, 0, 0, 0]);
        // NDTA_NAME "arp_cache\0" (14 bytes, padded), NDTA_THRESH2, NDTA_PARMS {IFINDEX, QUEUE_LEN}.
        assert_eq!(
            &b[4..8],
            &[14u16.to_ne_bytes(), 1u16.to_ne_bytes()].concat()[..]
        );
        let u32s = |v: &[u16], x: u32| {
            let mut o: Vec<u8> = v.iter().flat_map(|n| n.to_ne_bytes()).collect();
            o.extend_from_slice(&x.to_ne_bytes());
            o
        };
        assert_eq!(&b[20..28], &u32s(&[8, 3], 9)[..]);
        assert_eq!(
            &b[28..32],
            &[20u16.to_ne_bytes(), 6u16.to_ne_bytes()].concat()[..]
        );
        assert_eq!(&b[32..40], &u32s(&[8, 1], 3)[..]);
        assert_eq!(&b[40..48], &u32s(&[8, 8], 7)[..]);
        assert_eq!(b.len(), 48);
        let e = ntable(&mut Vec::new(), "set", &kw! { frob: 1 }, &mut NoResolve).unwrap_err();
        assert!(e.to_string().contains("frob"), "{e}");
    }
}
