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

/// What [`recvmsg_nsid`] read: the length, the sender's port id and groups, and the namespace
/// id the kernel attached (`NETLINK_LISTEN_ALL_NSID`; `None` when it attached none).
#[derive(Debug, Clone, Copy)]
pub struct Received {
    /// Bytes read.
    pub len: usize,
    /// Sender's port id (`nl_pid`).
    pub port: u32,
    /// Destination groups (`nl_groups`).
    pub groups: u32,
    /// The sender's namespace id, as seen from the socket's namespace.
    pub nsid: Option<i32>,
}

/// `recvmsg(fd, buf, flags)` with the sender's address and the `NETLINK_LISTEN_ALL_NSID`
/// control message (rustix's ancillary-data API has no netlink nsid message).
pub fn recvmsg_nsid(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    flags: libc::c_int,
) -> io::Result<Received> {
    // SAFETY: `sockaddr_nl` is plain data (integers and padding): all zeroes is a valid value.
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    // Room for one cmsghdr carrying an int, 8-aligned as CMSG_SPACE requires.
    let mut control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: `msghdr` is plain data; zeroed is a valid (empty) value, every pointer in it is
    // set below to a live local or to `buf`, with its true length.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut addr as *mut libc::sockaddr_nl).cast();
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control);
    // SAFETY: `fd` is a live descriptor for the call; `msg` points at `addr`, `iov` (which
    // points at `buf`) and `control`, all alive and writable for their stated lengths until
    // recvmsg returns; the kernel writes no more than those lengths.
    let n = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, flags) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut nsid = None;
    // SAFETY: `msg` was filled by recvmsg: CMSG_FIRSTHDR/CMSG_NXTHDR walk only within
    // `control` (msg_controllen as the kernel set it), and CMSG_DATA of a header of level
    // SOL_NETLINK and type NETLINK_LISTEN_ALL_NSID points at the int the kernel wrote there;
    // it is read unaligned-safe with read_unaligned.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            if (*c).cmsg_level == SOL_NETLINK && (*c).cmsg_type == NETLINK_LISTEN_ALL_NSID {
                nsid = Some(std::ptr::read_unaligned(
                    libc::CMSG_DATA(c).cast::<libc::c_int>(),
                ));
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
    }
    Ok(Received {
        len: n as usize,
        port: addr.nl_pid,
        groups: addr.nl_groups,
        nsid,
    })
}

/// A value that owns its descriptor for its whole life: the descriptor `as_raw_fd` returns is
/// open from construction to drop and never replaced. Implemented by `socket::Socket` only
/// (the trait is crate-private), which keeps one private `OwnedFd` set in its constructor.
#[cfg(feature = "tokio")]
pub(crate) trait OwnsFd: AsRawFd {}

/// Registers `io` with tokio's reactor (readable interest) for the async shell.
#[cfg(feature = "tokio")]
pub(crate) fn async_fd<T: OwnsFd>(io: T) -> io::Result<tokio::io::unix::AsyncFd<T>> {
    // SAFETY: `T: OwnsFd` owns its descriptor from construction to drop and never replaces it
    // (the trait's contract, kept by its one implementor, `Socket`). The `AsyncFd` takes `io`
    // by value and the async shell never swaps it out through `get_mut`, so the descriptor stays
    // open and the same until the `AsyncFd` drops, which deregisters before `io` is dropped.
    unsafe { tokio::io::unix::AsyncFd::register_with_interest(io, tokio::io::Interest::READABLE) }
        .map_err(|e| e.into_parts().1)
}
