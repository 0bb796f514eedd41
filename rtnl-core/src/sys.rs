//! The only `unsafe` code of rtnl: the few system calls rustix does not wrap.
//!
//! Each block says why it is sound. Everything else goes through rustix's safe API.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

/// `SOL_NETLINK`.
const SOL_NETLINK: libc::c_int = 270;
/// `NETLINK_ADD_MEMBERSHIP`.
pub const NETLINK_ADD_MEMBERSHIP: libc::c_int = 1;
/// `NETLINK_DROP_MEMBERSHIP`.
pub const NETLINK_DROP_MEMBERSHIP: libc::c_int = 2;
/// `NETLINK_LISTEN_ALL_NSID`.
pub const NETLINK_LISTEN_ALL_NSID: libc::c_int = 8;
/// `NETLINK_CAP_ACK`.
pub const NETLINK_CAP_ACK: libc::c_int = 10;
/// `NETLINK_EXT_ACK`.
pub const NETLINK_EXT_ACK: libc::c_int = 11;
/// `NETLINK_GET_STRICT_CHK`.
pub const NETLINK_GET_STRICT_CHK: libc::c_int = 12;

/// `setsockopt(fd, SOL_NETLINK, opt, &val, sizeof(int))`.
pub fn set_netlink_opt(fd: BorrowedFd<'_>, opt: libc::c_int, val: libc::c_int) -> io::Result<()> {
    // SAFETY: `fd` is a live descriptor (borrowed for the call); the option value is a local
    // `c_int` whose address and exact size are passed, and the kernel only reads it.
    let r = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            SOL_NETLINK,
            opt,
            (&val as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Moves the calling thread into a new, empty network namespace.
pub fn unshare_net() -> io::Result<()> {
    // SAFETY: `unshare_unsafe` is unsafe only for `CLONE_FILES` (descriptor tables shared with
    // other threads); we pass `CLONE_NEWNET` alone, which touches no descriptor table.
    unsafe { rustix::thread::unshare_unsafe(rustix::thread::UnshareFlags::NEWNET) }
        .map_err(io::Error::from)
}
