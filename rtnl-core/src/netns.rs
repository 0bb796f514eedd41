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
    name_with(name, |target| {
        let target = target.to_path_buf();
        on_thread("unshare", move || {
            sys::unshare_net().map_err(|e| Error::io("unshare(CLONE_NEWNET)", e))?;
            bind("/proc/thread-self/ns/net", &target)
        })
    })
}

/// Makes `/run/netns/NAME` (a new, empty file under the shared run directory) and lets
/// `mount` bind a namespace on it; the file is removed again if that fails.
fn name_with(name: &str, mount: impl FnOnce(&Path) -> Result<(), Error>) -> Result<PathBuf, Error> {
    check_name(name)?;
    let path = shared_run_dir()?.join(name);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io(format!("create {}", path.display()), e))?;
    if let Err(e) = mount(&path) {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}

/// `mount --bind SOURCE TARGET`.
fn bind(source: &str, target: &Path) -> Result<(), Error> {
    rustix::mount::mount_bind(source, target).map_err(|e| {
        Error::io(
            format!("mount --bind {source} {}", target.display()),
            std::io::Error::from(e),
        )
    })
}

/// Makes `/run/netns` a shared mount point (as iproute2 does), creating it if needed.
fn shared_run_dir() -> Result<&'static Path, Error> {
    let dir = Path::new(NETNS_RUN_DIR);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("mkdir {NETNS_RUN_DIR}"), e))?;
    let shared = MountPropagationFlags::SHARED | MountPropagationFlags::REC;
    if rustix::mount::mount_change(dir, shared).is_err() {
        rustix::mount::mount_bind(dir, dir).map_err(|e| {
            Error::io(
                format!("mount --bind {NETNS_RUN_DIR}"),
                std::io::Error::from(e),
            )
        })?;
        rustix::mount::mount_change(dir, shared).map_err(|e| {
            Error::io(
                format!("mount --make-rshared {NETNS_RUN_DIR}"),
                std::io::Error::from(e),
            )
        })?;
    }
    Ok(dir)
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

/// pyroute2's `netns.create`: the named namespace `/run/netns/NAME` (as `ip netns add`).
pub fn create(name: &str) -> Result<PathBuf, Error> {
    create_named(name)
}

/// pyroute2's `netns.remove`: deletes the named namespace (as `ip netns del`).
pub fn remove(name: &str) -> Result<(), Error> {
    delete_named(name)
}

/// pyroute2's `netns.listnetns`: the names in `/run/netns`, sorted (none if it does not exist).
pub fn list() -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    let dir = match std::fs::read_dir(NETNS_RUN_DIR) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(names),
        Err(e) => return Err(Error::io(format!("read {NETNS_RUN_DIR}"), e)),
    };
    for entry in dir {
        let entry = entry.map_err(|e| Error::io(format!("read {NETNS_RUN_DIR}"), e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// pyroute2's `netns.attach` (`ip netns attach NAME PID`): names the namespace process `pid`
/// is in, by bind-mounting `/proc/PID/ns/net` on `/run/netns/NAME`.
pub fn attach(name: &str, pid: u32) -> Result<PathBuf, Error> {
    name_with(name, |target| bind(&format!("/proc/{pid}/ns/net"), target))
}

fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(crate::ArgError::new(
            "netns",
            format!("{name:?} is not a valid namespace name"),
        )
        .into());
    }
    Ok(())
}

/// The identity of a namespace file: (device, inode) of its nsfs inode.
fn identity(path: &Path) -> Option<(u64, u64)> {
    let st = rustix::fs::stat(path).ok()?;
    Some((st.st_dev, st.st_ino))
}

/// pyroute2's `netns.pid_to_ns`: the name under `/run/netns` of the namespace process `pid`
/// is in (`None` when it has no name, as for the host's).
pub fn pid_to_ns(pid: u32) -> Result<Option<String>, Error> {
    let want = identity(Path::new(&format!("/proc/{pid}/ns/net"))).ok_or_else(|| {
        Error::io(
            format!("stat /proc/{pid}/ns/net"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
    })?;
    Ok(list()?
        .into_iter()
        .find(|n| identity(&Path::new(NETNS_RUN_DIR).join(n)) == Some(want)))
}

/// pyroute2's `netns.ns_pids` (`ip netns pids NAME`): the processes in the namespace `ns`.
pub fn ns_pids(ns: &Netns) -> Result<Vec<u32>, Error> {
    let want = identity(&ns.path()).ok_or_else(|| {
        Error::io(
            format!("stat {}", ns.path().display()),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        )
    })?;
    let mut pids = Vec::new();
    let proc = std::fs::read_dir("/proc").map_err(|e| Error::io("read /proc", e))?;
    for entry in proc.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if identity(&entry.path().join("ns/net")) == Some(want) {
            pids.push(pid);
        }
    }
    pids.sort_unstable();
    Ok(pids)
}

/// A network namespace, named the ways pyroute2 and iproute2 name one.
#[derive(Debug)]
#[non_exhaustive]
pub enum Netns {
    /// A name under `/run/netns` (`ip netns` names).
    Name(String),
    /// A namespace file (`/run/netns/NAME`, `/proc/PID/ns/net`, a bind mount elsewhere).
    Path(PathBuf),
    /// An open namespace file descriptor.
    Fd(OwnedFd),
    /// The namespace process `pid` is in.
    Pid(u32),
}

impl Netns {
    /// The namespace file (for a descriptor: its `/proc/self/fd` link).
    pub fn path(&self) -> PathBuf {
        match self {
            Netns::Name(n) => Path::new(NETNS_RUN_DIR).join(n),
            Netns::Path(p) => p.clone(),
            Netns::Fd(fd) => PathBuf::from(format!(
                "/proc/self/fd/{}",
                std::os::fd::AsRawFd::as_raw_fd(fd)
            )),
            Netns::Pid(pid) => PathBuf::from(format!("/proc/{pid}/ns/net")),
        }
    }

    /// The namespace file, open.
    pub fn open(&self) -> Result<OwnedFd, Error> {
        match self {
            Netns::Fd(fd) => fd.try_clone().map_err(|e| Error::io("dup namespace fd", e)),
            other => {
                let path = other.path();
                File::open(&path)
                    .map(OwnedFd::from)
                    .map_err(|e| Error::io(format!("open {}", path.display()), e))
            }
        }
    }

    /// Whether it exists (a name or path that can be opened, a live pid, an fd).
    pub fn exists(&self) -> bool {
        matches!(self, Netns::Fd(_)) || self.path().exists()
    }
}

impl From<&str> for Netns {
    /// A path when it contains `/`, a name otherwise.
    fn from(s: &str) -> Self {
        if s.contains('/') {
            Netns::Path(PathBuf::from(s))
        } else {
            Netns::Name(s.to_string())
        }
    }
}

/// A `NETLINK_ROUTE` socket created inside `ns`; the calling thread's namespace does not change.
pub fn socket_in_netns(ns: &Netns) -> Result<OwnedFd, Error> {
    let fd = ns.open()?;
    let shown = ns.path().display().to_string();
    on_thread("setns", move || {
        rustix::thread::move_into_link_name_space(fd.as_fd(), Some(LinkNameSpaceType::Network))
            .map_err(|e| Error::io(format!("setns {shown}"), std::io::Error::from(e)))?;
        route_socket()
    })
}

/// Moves the *calling thread* into `ns` (what a single-threaded program does before it spawns
/// a command that must run there, as `ip netns exec`). Threads and sockets made afterwards
/// belong to `ns`; library code prefers [`run_in`], which leaves the caller where it is.
pub fn enter(ns: &Netns) -> Result<(), Error> {
    let fd = ns.open()?;
    rustix::thread::move_into_link_name_space(fd.as_fd(), Some(LinkNameSpaceType::Network)).map_err(
        |e| {
            Error::io(
                format!("setns {}", ns.path().display()),
                std::io::Error::from(e),
            )
        },
    )
}

/// Runs `f` on a short-lived thread inside `ns` and returns what it returns: the calling
/// thread never changes namespace, and no process is forked. Sockets `f` opens stay in `ns`.
///
/// ```no_run
/// use rtnl_core::netns::{Netns, run_in};
/// let links = run_in(&Netns::from("blue"), || std::fs::read_dir("/sys/class/net").map(|d| d.count()))?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
pub fn run_in<T: Send + 'static>(
    ns: &Netns,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    let fd = ns.open()?;
    let shown = ns.path().display().to_string();
    on_thread("setns", move || {
        rustix::thread::move_into_link_name_space(fd.as_fd(), Some(LinkNameSpaceType::Network))
            .map_err(|e| Error::io(format!("setns {shown}"), std::io::Error::from(e)))?;
        Ok(f())
    })
}
