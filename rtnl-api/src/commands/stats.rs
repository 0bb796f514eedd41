//! `stats` on [`IPRoute`] and [`IPBatch`].

use rtnl_core::Result;

use crate::args::Args;
use crate::dump::Stats;
use crate::reply::Reply;
use crate::request::{self, NoResolve};

use super::words;
use crate::{IPBatch, IPRoute};

impl IPRoute {
    /// `stats(cmd, kw)`: link statistics (`ip stats show`): `get` one link (`ifindex`),
    /// `dump` every link; `filter_mask` (default 31, pyroute2's) picks the IFLA_STATS_*
    /// groups. Keywords in [`request::stats`].
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// let lo = ipr.stats("get", kw! { ifname: "lo", filter_mask: 1 })?.into_first()?;
    /// if let Some(s) = lo {
    ///     println!("{:?}", s.view().link_64()?.map(|st| st.rx_packets()));
    /// }
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn stats(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Stats>> {
        let plan = words::stats(cmd, &args, self)?;
        self.run_plan(plan)
    }
}

impl IPBatch {
    /// Appends a `stats` request ([`request::stats`]).
    pub fn stats(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::stats(b, cmd, &args, &mut NoResolve))
    }
}
