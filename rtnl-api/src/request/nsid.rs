//! `nsid`: namespace id requests (RTM_GETNSID / RTM_NEWNSID, `ip netns list-id`, `ip netns
//! set`).

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};

use super::*;
use crate::args::{Args, Value};

/// `nsid(cmd, ...)`: `get` (RTM_GETNSID: the id of the namespace given by `pid`, `fd` or
/// `nsid`, optionally as seen from `target_nsid`), `set` (RTM_NEWNSID: give the namespace of
/// `pid` or `fd` the id `nsid`; without `nsid` or with a negative one, the kernel picks, as
/// pyroute2 sends NETNSA_NSID -1), `dump` (every id this namespace gave).
///
/// Keywords are NETNSA_* attributes: `nsid`, `pid`, `fd`, `target_nsid`.
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::nsid(&mut b, "set", &rtnl_api::kw! { pid: 1 },
///     &mut rtnl_api::request::NoResolve)?;
/// assert_eq!(c.msg_type, 88); // RTM_NEWNSID
/// assert_eq!(&b[4..12], &[8, 0, 1, 0, 0xff, 0xff, 0xff, 0xff]); // NETNSA_NSID -1
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn nsid(buf: &mut Vec<u8>, cmd: &str, args: &Args, _r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&NSID_MSG, cmd)?;
    let mut a = args.clone();
    if cmd == "set" {
        // The kernel picks an id for NETNSA_NSID -1 (NETNSA_NSID_NOT_ASSIGNED).
        match a.take("nsid") {
            Some(Value::Int(n)) if n >= 0 => a.0.insert(0, ("nsid".into(), Value::Int(n))),
            Some(Value::Int(_)) | None => a.0.insert(0, ("nsid".into(), Value::Int(-1))),
            Some(v) => a.0.insert(0, ("nsid".into(), v)),
        }
    }
    let hdr = Rtgenmsg::zeroed();
    NsidMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family: 0,
    };
    for (k, v) in &a.0 {
        put_kw(&NSID_SPEC, buf, ctx, k, v)?;
    }
    Ok(*c)
}
