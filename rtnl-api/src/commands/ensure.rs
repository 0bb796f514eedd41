//! `ensure` and `poll` (pyroute2's): make an object present or absent idempotently, and wait
//! until a dump shows it. Netlink writes are acknowledged before every consequence is visible
//! (a route via a fresh address, a link's operstate), which is what these are for.

use std::time::{Duration, Instant};

use rtnl_core::{Error, Result};

use crate::IPRoute;
use crate::args::Args;
use crate::msg::OwnedMsg;

/// Which command family [`IPRoute::ensure`] and [`IPRoute::poll`] work on (pyroute2 passes the
/// method: `ipr.ensure(ipr.link, ...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Object {
    /// `link`: identified by `ifname` (or `index`).
    Link,
    /// `addr`: by `index`/`ifname` and `address`.
    Addr,
    /// `route`: by `dst`, `table`, `family`, `oif`.
    Route,
    /// `rule`: by `priority` and `family`.
    Rule,
    /// `neigh`: by `ifindex`/`ifname` and `dst`.
    Neigh,
    /// `fdb`: by `ifindex`/`ifname` and `lladdr`.
    Fdb,
}

impl Object {
    /// The keywords of a spec that say which object it is (the dump's filter); the others
    /// (`kind`, `state`, `mtu`, `gateway` ...) describe it.
    fn identity(self) -> &'static [&'static str] {
        match self {
            Object::Link => &["ifname", "index"],
            Object::Addr => &["index", "ifname", "address", "family"],
            Object::Route => &["dst", "table", "family", "oif"],
            Object::Rule => &["priority", "family"],
            Object::Neigh => &["ifindex", "index", "ifname", "dst", "family"],
            Object::Fdb => &["ifindex", "index", "ifname", "lladdr"],
        }
    }
}

impl IPRoute {
    fn run(&mut self, obj: Object, cmd: &str, args: Args) -> Result<Vec<OwnedMsg>> {
        Ok(match obj {
            Object::Link => self
                .link(cmd, args)?
                .into_vec()?
                .into_iter()
                .map(OwnedMsg::Link)
                .collect(),
            Object::Addr => self
                .addr(cmd, args)?
                .into_vec()?
                .into_iter()
                .map(OwnedMsg::Addr)
                .collect(),
            Object::Route => self
                .route(cmd, args)?
                .into_vec()?
                .into_iter()
                .map(OwnedMsg::Route)
                .collect(),
            Object::Rule => self
                .rule(cmd, args)?
                .into_vec()?
                .into_iter()
                .map(OwnedMsg::Rule)
                .collect(),
            Object::Neigh => self
                .neigh(cmd, args)?
                .into_vec()?
                .into_iter()
                .map(OwnedMsg::Neigh)
                .collect(),
            Object::Fdb => self
                .fdb(cmd, args)?
                .into_vec()?
                .into_iter()
                .map(OwnedMsg::Neigh)
                .collect(),
        })
    }

    /// The objects the identity keywords of `spec` match, now.
    fn lookup(&mut self, obj: Object, spec: &Args) -> Result<Vec<OwnedMsg>> {
        let (id, _) = crate::filter::split(spec, obj.identity());
        match self.run(obj, "dump", id) {
            // A dump of a table or device that does not exist: nothing there.
            Err(Error::Kernel(k)) if matches!(k.errno, 2 | 19) => Ok(Vec::new()),
            r => r,
        }
    }

    /// Makes the object `spec` describes present (`add`, falling back to `set` on EEXIST)
    /// or absent (`del`, where ENODEV, ENOENT, ENONET and EADDRNOTAVAIL mean already gone),
    /// then waits (up to `timeout`) until a dump agrees; the objects found. An object that is
    /// already present is left as it is, as pyroute2 does.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::{Object, kw};
    /// use std::time::Duration;
    /// let t = Duration::from_secs(5);
    /// ipr.ensure(Object::Link, true, kw! { ifname: "br0", kind: "bridge" }, t)?;
    /// ipr.ensure(Object::Addr, true, kw! { ifname: "br0", address: "10.0.0.1/24" }, t)?;
    /// ipr.ensure(Object::Link, false, kw! { ifname: "br0" }, t)?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn ensure(
        &mut self,
        obj: Object,
        present: bool,
        spec: Args,
        timeout: Duration,
    ) -> Result<Vec<OwnedMsg>> {
        let now = self.lookup(obj, &spec)?;
        if now.is_empty() != present {
            return Ok(now);
        }
        if present {
            match self.run(obj, "add", spec.clone()) {
                Err(Error::Kernel(k)) if k.errno == 17 => {
                    self.run(obj, "set", spec.clone())?;
                }
                r => {
                    r?;
                }
            }
        } else {
            match self.run(obj, "del", spec.clone()) {
                Err(Error::Kernel(k)) if matches!(k.errno, 19 | 2 | 64 | 99) => {}
                r => {
                    r?;
                }
            }
        }
        self.poll(obj, present, spec, timeout, Duration::from_millis(200))
    }

    /// Waits until a dump of `obj` filtered by the identity keywords of `spec` finds something
    /// (`present`) or nothing (`!present`), checking every `interval`; the objects found, or
    /// [`Error::Timeout`] after `timeout`.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::{Object, kw};
    /// use std::time::Duration;
    /// let found = ipr.poll(
    ///     Object::Route,
    ///     true,
    ///     kw! { dst: "10.1.0.0/24", table: 100 },
    ///     Duration::from_secs(5),
    ///     Duration::from_millis(100),
    /// )?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn poll(
        &mut self,
        obj: Object,
        present: bool,
        spec: Args,
        timeout: Duration,
        interval: Duration,
    ) -> Result<Vec<OwnedMsg>> {
        let start = Instant::now();
        loop {
            let found = self.lookup(obj, &spec)?;
            if found.is_empty() != present {
                return Ok(found);
            }
            if start.elapsed() >= timeout {
                return Err(Error::Timeout(timeout));
            }
            std::thread::sleep(interval.min(timeout.saturating_sub(start.elapsed())));
        }
    }
}
