//! Namespace ids on [`IPRoute`]: `get_netnsid`, `set_netnsid`, `get_netns_info`.

use std::os::fd::AsRawFd;
use std::path::PathBuf;

use rtnl_core::Result;
use rtnl_core::generated::NsidOwned;

use crate::args::{Args, Value};
use crate::dump::Nsids;
use crate::reply::Reply;
use crate::request::{self, NoResolve};

use super::words;
use crate::{IPBatch, IPRoute};

/// A named network namespace (`/run/netns/NAME`), the id this namespace knows it by, and the
/// local links whose peer lives there (pyroute2's `get_netns_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetnsInfo {
    /// Its file.
    pub path: PathBuf,
    /// Its id here (`None`: no id assigned).
    pub nsid: Option<i32>,
    /// Names of local links whose IFLA_LINK_NETNSID is that id (veth peers ...).
    pub peers: Vec<String>,
}

impl IPRoute {
    /// `nsid(cmd, kw)`: `get`, `set`, `dump` namespace ids; keywords in [`request::nsid`].
    pub fn nsid(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Nsids>> {
        let plan = words::nsid(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// The id of a namespace given by `pid`, `fd` or `nsid` (`target_nsid`: as seen from
    /// there), as RTM_GETNSID answers it (`ip netns list-id`); `nsid()` -1 means none.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// let me = ipr.get_netnsid(kw! { pid: std::process::id() })?;
    /// println!("{:?}", me.map(|m| m.view().nsid()));
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_netnsid(&mut self, args: Args) -> Result<Option<NsidOwned>> {
        self.nsid("get", args)?.into_first()
    }

    /// Gives the namespace of `pid` or `fd` the id `nsid` (the kernel picks one without it),
    /// as `ip netns set NAME ID` does.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// let f = std::fs::File::open("/run/netns/blue")?;
    /// use std::os::fd::AsRawFd;
    /// ipr.set_netnsid(kw! { nsid: 5, fd: f.as_raw_fd() })?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_netnsid(&mut self, args: Args) -> Result<Reply<'_, Nsids>> {
        self.nsid("set", args)
    }

    /// Every named namespace (`/run/netns`), with its id here and the local links whose peer
    /// is there.
    pub fn get_netns_info(&mut self) -> Result<Vec<NetnsInfo>> {
        let mut peers: Vec<(i32, String)> = Vec::new();
        self.get_links(())?.for_each(|l| {
            if let (Some(id), Some(name)) = (l.link_netnsid()?, l.ifname()?) {
                peers.push((id, name.to_string()));
            }
            Ok(())
        })?;
        let mut out = Vec::new();
        let Ok(dir) = std::fs::read_dir("/run/netns") else {
            return Ok(out);
        };
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Ok(f) = std::fs::File::open(&path) else {
                continue;
            };
            let fd = Value::Int(f.as_raw_fd().into());
            let nsid = match self.get_netnsid(Args::new().with("fd", fd)) {
                Ok(m) => m.and_then(|m| m.view().nsid().ok().flatten()),
                Err(_) => continue,
            }
            .filter(|n| *n >= 0);
            let peers = peers
                .iter()
                .filter(|(id, _)| Some(*id) == nsid)
                .map(|(_, n)| n.clone())
                .collect();
            out.push(NetnsInfo { path, nsid, peers });
        }
        Ok(out)
    }
}

impl IPBatch {
    /// Appends an `nsid` request ([`request::nsid`]).
    pub fn nsid(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::nsid(b, cmd, &args, &mut NoResolve))
    }
}
