//! Network namespaces without fork.
//!
//! A socket belongs to the namespace it was created in, for good. So to talk to another
//! namespace, a short-lived thread enters it (`setns`, or `unshare` for a fresh one), creates the
//! netlink socket there and hands the descriptor back; the calling thread never changes
//! namespace. [`create_named`]/[`delete_named`] manage `/run/netns/NAME` the way `ip netns
//! add/del` do. This module hands back file descriptors only: the socket layer wraps them, and
//! a test's fresh namespace is `rtnl_core::testing::TestNetns` (feature `test-support`).

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::mount::{MountPropagationFlags, UnmountFlags};
use rustix::thread::LinkNameSpaceType;

use rustix::io::Errno;
use rustix::net::{AddressFamily, SocketFlags, SocketType};

use crate::error::Error;
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

/// A `NETLINK_ROUTE` socket (unbound) in the calling thread's namespace. rustix spells the
/// protocol `NETLINK_ROUTE` (0) as `None`.
pub fn route_socket() -> Result<OwnedFd, Error> {
    rustix::net::socket_with(
        AddressFamily::NETLINK,
        SocketType::RAW,
        SocketFlags::CLOEXEC,
        None,
    )
    .map_err(|e: Errno| Error::io("socket(AF_NETLINK, NETLINK_ROUTE)", std::io::Error::from(e)))
}

/// A `NETLINK_ROUTE` socket created inside the namespace at `path`.
pub fn socket_in(path: &Path) -> Result<OwnedFd, Error> {
    let ns = File::open(path).map_err(|e| Error::io(format!("open {}", path.display()), e))?;
    let shown = path.display().to_string();
    on_thread("setns", move || {
        rustix::thread::move_into_link_name_space(ns.as_fd(), Some(LinkNameSpaceType::Network))
            .map_err(|e| Error::io(format!("setns {shown}"), std::io::Error::from(e)))?;
        route_socket()
    })
}

/// A `NETLINK_ROUTE` socket in a new, empty namespace (which lives as long as the socket).
pub fn socket_in_fresh() -> Result<OwnedFd, Error> {
    on_thread("unshare", || {
        sys::unshare_net().map_err(|e| Error::io("unshare(CLONE_NEWNET)", e))?;
        route_socket()
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
