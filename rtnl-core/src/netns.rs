//! Network namespaces without fork.
//!
//! A socket belongs to the namespace it was created in, for good. So to talk to another
//! namespace, a short-lived thread enters it (`setns`, or `unshare` for a fresh one), creates the
//! netlink socket there and hands the descriptor back; the calling thread never changes
//! namespace. [`create_named`]/[`delete_named`] manage `/run/netns/NAME` the way `ip netns
//! add/del` do, and [`TestNetns`] gives each test a fresh, named namespace (so `ip -n NAME`
//! sees the same one) that is deleted when dropped.

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use rustix::mount::{MountPropagationFlags, UnmountFlags};
use rustix::thread::LinkNameSpaceType;

use crate::error::Error;
use crate::socket::Socket;
use crate::sys;

/// True when the process runs as root (what creating namespaces needs). Live tests check this
/// first and print a skip otherwise.
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Where `ip netns` keeps named namespaces.
pub const NETNS_RUN_DIR: &str = "/run/netns";

fn on_thread<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    std::thread::Builder::new()
        .name("rtnl-netns".into())
        .spawn(f)
        .map_err(|e| Error::io(format!("spawn thread for {what}"), e))?
        .join()
        .unwrap_or_else(|_| {
            Err(Error::io(
                what,
                std::io::Error::other("namespace thread panicked"),
            ))
        })
}

/// A `NETLINK_ROUTE` socket created inside the namespace at `path`.
pub fn socket_in(path: &Path) -> Result<OwnedFd, Error> {
    let ns = File::open(path).map_err(|e| Error::io(format!("open {}", path.display()), e))?;
    let shown = path.display().to_string();
    on_thread("setns", move || {
        rustix::thread::move_into_link_name_space(ns.as_fd(), Some(LinkNameSpaceType::Network))
            .map_err(|e| Error::io(format!("setns {shown}"), std::io::Error::from(e)))?;
        crate::socket::open_fd()
    })
}

/// A `NETLINK_ROUTE` socket in a new, empty namespace (which lives as long as the socket).
pub fn socket_in_fresh() -> Result<OwnedFd, Error> {
    on_thread("unshare", || {
        sys::unshare_net().map_err(|e| Error::io("unshare(CLONE_NEWNET)", e))?;
        crate::socket::open_fd()
    })
}

/// Creates the named namespace `/run/netns/NAME` as `ip netns add NAME` does.
pub fn create_named(name: &str) -> Result<PathBuf, Error> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(crate::ArgError::new(
            "netns",
            format!("{name:?} is not a valid namespace name"),
        )
        .into());
    }
    let dir = Path::new(NETNS_RUN_DIR);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("mkdir {NETNS_RUN_DIR}"), e))?;
    // iproute2 makes the directory a shared mount point, so mounts under it propagate.
    if rustix::mount::mount_change(
        dir,
        MountPropagationFlags::SHARED | MountPropagationFlags::REC,
    )
    .is_err()
    {
        rustix::mount::mount_bind(dir, dir).map_err(|e| {
            Error::io(
                format!("mount --bind {NETNS_RUN_DIR}"),
                std::io::Error::from(e),
            )
        })?;
        rustix::mount::mount_change(
            dir,
            MountPropagationFlags::SHARED | MountPropagationFlags::REC,
        )
        .map_err(|e| {
            Error::io(
                format!("mount --make-rshared {NETNS_RUN_DIR}"),
                std::io::Error::from(e),
            )
        })?;
    }
    let path = dir.join(name);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io(format!("create {}", path.display()), e))?;
    let target = path.clone();
    let r = on_thread("unshare", move || {
        sys::unshare_net().map_err(|e| Error::io("unshare(CLONE_NEWNET)", e))?;
        rustix::mount::mount_bind("/proc/thread-self/ns/net", &target).map_err(|e| {
            Error::io(
                format!("mount --bind ns/net {}", target.display()),
                std::io::Error::from(e),
            )
        })
    });
    if let Err(e) = r {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}

/// Deletes the named namespace as `ip netns del NAME` does.
pub fn delete_named(name: &str) -> Result<(), Error> {
    let path = Path::new(NETNS_RUN_DIR).join(name);
    rustix::mount::unmount(&path, UnmountFlags::DETACH).map_err(|e| {
        Error::io(
            format!("umount {}", path.display()),
            std::io::Error::from(e),
        )
    })?;
    std::fs::remove_file(&path).map_err(|e| Error::io(format!("rm {}", path.display()), e))
}

/// A fresh named namespace for a test, deleted on drop.
///
/// ```no_run
/// let ns = rtnl_core::netns::TestNetns::new()?;
/// std::process::Command::new("ip").args(["-n", ns.name(), "link", "set", "lo", "up"]).status().unwrap();
/// let sock = ns.socket()?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
#[derive(Debug)]
pub struct TestNetns {
    name: String,
    path: PathBuf,
}

impl TestNetns {
    /// Creates `rtnl-test-<pid>-<n>`.
    pub fn new() -> Result<TestNetns, Error> {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "rtnl-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let path = create_named(&name)?;
        Ok(TestNetns { name, path })
    }

    /// Its name (for `ip -n NAME`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its path (`/run/netns/NAME`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A socket inside it, with a receive timeout of [`TestNetns::RECV_TIMEOUT`]: a test whose
    /// reply never comes fails with [`Error::Timeout`] instead of hanging the suite.
    pub fn socket(&self) -> Result<Socket, Error> {
        let mut s = Socket::new_in_netns(&self.path)?;
        s.set_recv_timeout(Some(Self::RECV_TIMEOUT))?;
        Ok(s)
    }

    /// How long a test socket waits for a reply.
    pub const RECV_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
}

impl Drop for TestNetns {
    fn drop(&mut self) {
        if let Err(e) = delete_named(&self.name) {
            eprintln!(
                "warning: could not delete test namespace {}: {e}",
                self.name
            );
        }
    }
}
