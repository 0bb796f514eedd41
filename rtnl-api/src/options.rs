//! pyroute2's `IPRoute(...)` constructor options, as a builder: `IPRoute::options()...open()`.
//!
//! | pyroute2 option | here | |
//! | --- | --- | --- |
//! | `port`, `pid` | [`Options::port`] | the port id to bind (0: the kernel picks) |
//! | `fileno`, `use_socket` | [`Options::fileno`] | wrap an open `NETLINK_ROUTE` socket (kept bound if it is) |
//! | `sndbuf`, `rcvbuf` | [`Options::sndbuf`], [`Options::rcvbuf`] | `SO_SNDBUF`, `SO_RCVBUF` |
//! | `rcvsize` | [`Options::rcvsize`] | first size of the receive buffer (it grows as datagrams need) |
//! | `all_ns` | [`Options::all_ns`] | `NETLINK_LISTEN_ALL_NSID`: events of every namespace with an id, each with its `nsid` |
//! | `target` | [`Options::target`] | a tag every event carries |
//! | `ext_ack`, `strict_check` | [`Options::ext_ack`], [`Options::strict_check`] | on by default |
//! | `groups` | [`Options::groups`] | multicast groups joined at once ([`IPRoute::bind`]) |
//! | `nlm_echo` | [`Options::nlm_echo`] | writes ask for `NLM_F_ECHO`; [`IPRoute::echoed`] keeps the answer |
//! | `netns`, `flags` | [`Options::netns`], [`Options::create`], [`Options::exclusive`] | a namespace by name, path, fd or pid; `O_CREAT` creates a missing named one, `O_EXCL` refuses an existing one |
//! | `libc` | — | pyroute2 reaches `setns` through ctypes' libc; rtnl calls the system directly (rustix) |
//! | `use_event_loop` | — | an asyncio loop; an async `IPRoute` would use the tokio runtime it runs on |
//!
//! ```no_run
//! use rtnl_api::IPRoute;
//! let mut ipr = IPRoute::options()
//!     .netns("blue")
//!     .create(true)
//!     .rcvbuf(4 << 20)
//!     .groups(&["link", "ipv4_route"])
//!     .target("blue")
//!     .open()?;
//! # Ok::<(), rtnl_core::Error>(())
//! ```

use std::os::fd::OwnedFd;

use rtnl_core::netns::{self, Netns};
use rtnl_core::socket::{Socket, SocketConfig};
use rtnl_core::{ArgError, Result};

use crate::IPRoute;

/// `open(2)`'s `O_CREAT`, as pyroute2's `flags` takes it.
pub const O_CREAT: i32 = 0o100;
/// `open(2)`'s `O_EXCL`.
pub const O_EXCL: i32 = 0o200;

/// How to open an [`IPRoute`] ([`IPRoute::options`]).
#[derive(Debug, Default)]
pub struct Options {
    socket: SocketConfig,
    netns: Option<Netns>,
    create: bool,
    exclusive: bool,
    fd: Option<OwnedFd>,
    groups: Vec<String>,
    target: Option<String>,
    echo: bool,
}

impl IPRoute {
    /// Options for opening an `IPRoute` (pyroute2's constructor keywords).
    pub fn options() -> Options {
        Options::default()
    }
}

impl Options {
    /// Bind to port id `port` (pyroute2's `port`/`pid`).
    pub fn port(mut self, port: u32) -> Self {
        self.socket.port = port;
        self
    }
    /// Wrap an open `NETLINK_ROUTE` socket (`fileno`/`use_socket`).
    pub fn fileno(mut self, fd: OwnedFd) -> Self {
        self.fd = Some(fd);
        self
    }
    /// `SO_SNDBUF`.
    pub fn sndbuf(mut self, bytes: usize) -> Self {
        self.socket.sndbuf = bytes;
        self
    }
    /// `SO_RCVBUF`.
    pub fn rcvbuf(mut self, bytes: usize) -> Self {
        self.socket.rcvbuf = bytes;
        self
    }
    /// The receive buffer's first size.
    pub fn rcvsize(mut self, bytes: usize) -> Self {
        self.socket.rcvsize = bytes;
        self
    }
    /// `NETLINK_LISTEN_ALL_NSID`: events of every namespace with an id here.
    pub fn all_ns(mut self, on: bool) -> Self {
        self.socket.all_ns = on;
        self
    }
    /// `NETLINK_EXT_ACK` (on by default).
    pub fn ext_ack(mut self, on: bool) -> Self {
        self.socket.ext_ack = on;
        self
    }
    /// `NETLINK_GET_STRICT_CHK` (on by default).
    pub fn strict_check(mut self, on: bool) -> Self {
        self.socket.strict_check = on;
        self
    }
    /// A tag every event carries.
    pub fn target(mut self, tag: &str) -> Self {
        self.target = Some(tag.to_string());
        self
    }
    /// Multicast groups to join at once (names as [`IPRoute::bind`] takes them).
    pub fn groups(mut self, groups: &[&str]) -> Self {
        self.groups = groups.iter().map(|g| g.to_string()).collect();
        self
    }
    /// Write commands ask for an echo of what they changed ([`IPRoute::echoed`]).
    pub fn nlm_echo(mut self, on: bool) -> Self {
        self.echo = on;
        self
    }
    /// The namespace to open the socket in: a name (`"blue"`), a path, a descriptor or a pid.
    pub fn netns(mut self, ns: impl Into<Netns>) -> Self {
        self.netns = Some(ns.into());
        self
    }
    /// Create a missing named namespace (`flags=O_CREAT`).
    pub fn create(mut self, on: bool) -> Self {
        self.create = on;
        self
    }
    /// With [`create`](Self::create): refuse a namespace that exists (`flags=O_CREAT|O_EXCL`).
    pub fn exclusive(mut self, on: bool) -> Self {
        self.exclusive = on;
        self
    }
    /// pyroute2's `flags`: [`O_CREAT`] and [`O_EXCL`].
    pub fn flags(self, flags: i32) -> Self {
        self.create(flags & O_CREAT != 0)
            .exclusive(flags & O_EXCL != 0)
    }

    /// Opens the socket and applies every option.
    pub fn open(self) -> Result<IPRoute> {
        let sock = match (self.fd, &self.netns) {
            (Some(fd), _) => Socket::from_fd_with(fd, &self.socket)?,
            (None, Some(ns)) => {
                prepare_netns(ns, self.create, self.exclusive)?;
                Socket::new_in(ns, &self.socket)?
            }
            (None, None) => Socket::from_fd_with(netns::route_socket()?, &self.socket)?,
        };
        let mut ipr = IPRoute::from_socket(sock);
        ipr.target = self.target;
        ipr.echo = self.echo;
        if !self.groups.is_empty() {
            let groups: Vec<&str> = self.groups.iter().map(String::as_str).collect();
            ipr.bind(&groups)?;
        }
        Ok(ipr)
    }
}

#[cfg(feature = "tokio")]
impl Options {
    /// [`open`](Self::open), then moves the socket onto the tokio runtime (feature `tokio`):
    /// the same options for [`AsyncIPRoute`](crate::AsyncIPRoute). Opening (which may enter
    /// or create a namespace) runs on a blocking thread.
    pub async fn open_async(self) -> Result<crate::AsyncIPRoute> {
        let ipr = tokio::task::spawn_blocking(move || self.open())
            .await
            .map_err(|e| rtnl_core::Error::io("spawn_blocking", std::io::Error::other(e)))??;
        crate::AsyncIPRoute::from_iproute(ipr)
    }
}

/// `O_CREAT` / `O_EXCL` for a named namespace.
fn prepare_netns(ns: &Netns, create: bool, exclusive: bool) -> Result<()> {
    let exists = ns.exists();
    match ns {
        Netns::Name(name) if create && exists && exclusive => {
            Err(ArgError::new("netns", format!("{name:?} exists (flags O_CREAT|O_EXCL)")).into())
        }
        Netns::Name(name) if create && !exists => netns::create(name).map(|_| ()),
        _ => Ok(()),
    }
}
