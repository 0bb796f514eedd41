//! A blocking `NETLINK_ROUTE` socket: a thin shell around the sans-IO core in [`crate::proto`].
//!
//! Opened with `NETLINK_EXT_ACK` (errors carry the kernel's text) and `NETLINK_GET_STRICT_CHK`
//! (dump filters are applied by the kernel) on. One receive buffer is reused for every read and
//! grows (via `MSG_PEEK | MSG_TRUNC`) when a datagram would not fit, so a dump chunk is never
//! truncated; dumps hand out views into that buffer without allocating per message.
//!
//! ```no_run
//! use rtnl_core::socket::{DumpEvent, Socket};
//! let mut s = Socket::new()?;
//! let mut n = 0;
//! s.dump(18, |b| { b.extend_from_slice(&[0u8; 16]); Ok(()) }, |ev| {
//!     if let DumpEvent::Message(_) = ev { n += 1 }
//!     Ok(())
//! })?;
//! println!("{n} links");
//! # Ok::<(), rtnl_core::Error>(())
//! ```

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{AddressFamily, RecvFlags, SendFlags, SocketFlags, SocketType};

use crate::error::Error;
use crate::proto::{self, Exchange, Message, Status, flags};
use crate::sys;

/// What a dump hands to its callback.
#[derive(Debug)]
pub enum DumpEvent<'a> {
    /// One message of the dump (a view into the receive buffer).
    Message(Message<'a>),
    /// The dump was interrupted (`NLM_F_DUMP_INTR`) and starts over: messages seen so far are void.
    Restarted,
}

/// How many times an interrupted dump is redone before [`Error::DumpInterrupted`].
pub const DUMP_RETRIES: u32 = 3;

/// A blocking rtnetlink socket.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    pid: u32,
    seq: u32,
    rx: Vec<u8>,
    tx: Vec<u8>,
    recv_timeout: Option<std::time::Duration>,
}

fn io(call: &str, e: Errno) -> Error {
    Error::io(call, std::io::Error::from(e))
}

/// Opens a `NETLINK_ROUTE` socket (protocol 0: rustix spells NETLINK_ROUTE as `None`) in the calling thread's namespace (used by [`crate::netns`]).
pub(crate) fn open_fd() -> Result<OwnedFd, Error> {
    rustix::net::socket_with(
        AddressFamily::NETLINK,
        SocketType::RAW,
        SocketFlags::CLOEXEC,
        None,
    )
    .map_err(|e| io("socket(AF_NETLINK, NETLINK_ROUTE)", e))
}

impl Socket {
    /// A socket in the calling thread's network namespace.
    pub fn new() -> Result<Socket, Error> {
        Socket::from_fd(open_fd()?)
    }

    /// A socket in the namespace at `path` (`/run/netns/NAME`, `/proc/PID/ns/net`). The calling
    /// thread's namespace does not change.
    pub fn new_in_netns(path: &Path) -> Result<Socket, Error> {
        Socket::from_fd(crate::netns::socket_in(path)?)
    }

    /// Wraps an unbound `NETLINK_ROUTE` socket: binds it and turns on extended acks and strict checking.
    pub fn from_fd(fd: OwnedFd) -> Result<Socket, Error> {
        rustix::net::bind(&fd, &SocketAddrNetlink::new(0, 0))
            .map_err(|e| io("bind(AF_NETLINK)", e))?;
        let addr = rustix::net::getsockname(&fd).map_err(|e| io("getsockname", e))?;
        let pid = SocketAddrNetlink::try_from(addr)
            .map(|a| a.pid())
            .unwrap_or(0);
        sys::set_netlink_opt(fd.as_fd(), sys::NETLINK_EXT_ACK, 1)
            .map_err(|e| Error::io("setsockopt(NETLINK_EXT_ACK)", e))?;
        // Old kernels lack strict checking: dumps are then filtered in userspace as well.
        let _ = sys::set_netlink_opt(fd.as_fd(), sys::NETLINK_GET_STRICT_CHK, 1);
        let mut s = Socket {
            fd,
            pid,
            seq: 0,
            rx: vec![0; 64 * 1024],
            tx: Vec::with_capacity(4096),
            recv_timeout: None,
        };
        s.set_sndbuf(32 * 1024)?;
        s.set_rcvbuf(1024 * 1024)?;
        Ok(s)
    }

    /// The port id the kernel assigned.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sets `SO_SNDBUF`.
    pub fn set_sndbuf(&mut self, bytes: usize) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_send_buffer_size(&self.fd, bytes)
            .map_err(|e| io("setsockopt(SO_SNDBUF)", e))
    }

    /// Sets `SO_RCVTIMEO`: a read that waits longer fails with [`Error::Timeout`] instead of
    /// blocking for ever (`None`, the default, waits for ever). Test namespaces use it so that a
    /// reply the kernel never sends fails the test instead of hanging the suite.
    ///
    /// ```no_run
    /// let mut s = rtnl_core::socket::Socket::new()?;
    /// s.set_recv_timeout(Some(std::time::Duration::from_secs(30)))?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn set_recv_timeout(&mut self, timeout: Option<std::time::Duration>) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_timeout(
            &self.fd,
            rustix::net::sockopt::Timeout::Recv,
            timeout,
        )
        .map_err(|e| io("setsockopt(SO_RCVTIMEO)", e))?;
        self.recv_timeout = timeout;
        Ok(())
    }

    /// Sets `SO_RCVBUF` (the kernel doubles it; it bounds how many events can queue).
    pub fn set_rcvbuf(&mut self, bytes: usize) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_recv_buffer_size(&self.fd, bytes)
            .map_err(|e| io("setsockopt(SO_RCVBUF)", e))
    }

    /// Joins multicast group `group` (`RTNLGRP_LINK` = 1 ...).
    pub fn add_membership(&mut self, group: u32) -> Result<(), Error> {
        sys::set_netlink_opt(self.fd.as_fd(), sys::NETLINK_ADD_MEMBERSHIP, group as i32)
            .map_err(|e| Error::io(format!("setsockopt(NETLINK_ADD_MEMBERSHIP {group})"), e))
    }

    /// Leaves multicast group `group`.
    pub fn drop_membership(&mut self, group: u32) -> Result<(), Error> {
        sys::set_netlink_opt(self.fd.as_fd(), sys::NETLINK_DROP_MEMBERSHIP, group as i32)
            .map_err(|e| Error::io(format!("setsockopt(NETLINK_DROP_MEMBERSHIP {group})"), e))
    }

    /// Receives events of every namespace that has an id here (`NETLINK_LISTEN_ALL_NSID`).
    pub fn set_listen_all_nsid(&mut self, on: bool) -> Result<(), Error> {
        sys::set_netlink_opt(self.fd.as_fd(), sys::NETLINK_LISTEN_ALL_NSID, on as i32)
            .map_err(|e| Error::io("setsockopt(NETLINK_LISTEN_ALL_NSID)", e))
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    fn send_request(
        &mut self,
        msg_type: u16,
        fl: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<u32, Error> {
        let seq = self.next_seq();
        let mut tx = std::mem::take(&mut self.tx);
        tx.clear();
        let start = proto::begin_request(&mut tx, msg_type, fl, seq, 0);
        let r = body(&mut tx);
        proto::finish_request(&mut tx, start);
        let r = r.and_then(|()| self.send_raw(&tx));
        self.tx = tx;
        r.map(|()| seq)
    }

    /// Sends bytes as they are (one or more complete netlink messages).
    pub fn send_raw(&mut self, bytes: &[u8]) -> Result<(), Error> {
        loop {
            match rustix::net::send(&self.fd, bytes, SendFlags::empty()) {
                Ok(_) => return Ok(()),
                Err(Errno::INTR) => continue,
                Err(e) => return Err(io("send", e)),
            }
        }
    }

    /// Receives one datagram into the reusable buffer (grown first if it would not fit).
    fn recv(&mut self) -> Result<usize, Error> {
        loop {
            let (_, full) = match rustix::net::recv(
                &self.fd,
                &mut self.rx[..],
                RecvFlags::PEEK | RecvFlags::TRUNC,
            ) {
                Ok(r) => r,
                Err(Errno::INTR) => continue,
                Err(Errno::NOBUFS) => return Err(Error::NoBufs),
                Err(Errno::AGAIN) if self.recv_timeout.is_some() => {
                    return Err(Error::Timeout(self.recv_timeout.unwrap_or_default()));
                }
                Err(e) => return Err(io("recv", e)),
            };
            if full > self.rx.len() {
                self.rx.resize(full.next_power_of_two(), 0);
            }
            return match rustix::net::recv(&self.fd, &mut self.rx[..], RecvFlags::empty()) {
                Ok((n, _)) => Ok(n),
                Err(Errno::INTR) => continue,
                Err(Errno::NOBUFS) => Err(Error::NoBufs),
                Err(Errno::AGAIN) if self.recv_timeout.is_some() => {
                    Err(Error::Timeout(self.recv_timeout.unwrap_or_default()))
                }
                Err(e) => Err(io("recv", e)),
            };
        }
    }

    /// Sends a request (ACK is always asked for) and waits for its ACK; every reply message
    /// (a `get`'s answer, an `ECHO`) goes to `on_msg`.
    pub fn transact(
        &mut self,
        msg_type: u16,
        fl: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
        mut on_msg: impl FnMut(Message<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let seq = self.send_request(msg_type, fl | flags::REQUEST | flags::ACK, body)?;
        let mut ex = Exchange::new(seq, fl & flags::DUMP == flags::DUMP, msg_type);
        let mut failed: Option<Error> = None;
        loop {
            let n = self.recv()?;
            let st = ex.feed(&self.rx[..n], |m| {
                if failed.is_none()
                    && let Err(e) = on_msg(m)
                {
                    failed = Some(e);
                }
                Ok(())
            })?;
            if st != Status::Pending {
                return match failed {
                    Some(e) => Err(e),
                    None => Ok(()),
                };
            }
        }
    }

    /// Sends a request and waits for its ACK; a refusal is `Err(Error::Kernel)` naming the request.
    pub fn request(
        &mut self,
        msg_type: u16,
        fl: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.transact(msg_type, fl, body, |_| Ok(()))
    }

    /// Sends several complete requests in one `send` (each asking for an ACK) and waits for all
    /// their ACKs; sequence numbers are assigned here. The first refusal is returned after every
    /// answer has been read.
    pub fn send_batch(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let mut tx = std::mem::take(&mut self.tx);
        tx.clear();
        tx.extend_from_slice(bytes);
        let mut pending = Vec::new();
        let mut at = 0;
        while at + proto::NLMSG_HDRLEN <= tx.len() {
            let len = u32::from_ne_bytes([tx[at], tx[at + 1], tx[at + 2], tx[at + 3]]) as usize;
            if len < proto::NLMSG_HDRLEN {
                break;
            }
            let seq = self.next_seq();
            proto::set_seq(&mut tx, at, seq);
            let fl = u16::from_ne_bytes([tx[at + 6], tx[at + 7]]) | flags::ACK;
            tx[at + 6..at + 8].copy_from_slice(&fl.to_ne_bytes());
            pending.push(seq);
            at += crate::nla::align(len);
        }
        let r = self.send_raw(&tx);
        self.tx = tx;
        r?;
        let mut first_err = None;
        while !pending.is_empty() {
            let n = self.recv()?;
            for ev in proto::messages(&self.rx[..n]) {
                match ev? {
                    proto::Event::Ack { seq } => pending.retain(|s| *s != seq),
                    proto::Event::Error(k) => {
                        pending.retain(|s| *s != k.request_seq);
                        first_err.get_or_insert(Error::Kernel(k));
                    }
                    _ => {}
                }
            }
        }
        match first_err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Dumps `msg_type` (`NLM_F_REQUEST | NLM_F_DUMP`), streaming each message to `on_event`.
    ///
    /// An interrupted dump is redone up to [`DUMP_RETRIES`] times (with
    /// [`DumpEvent::Restarted`] first), then reported as [`Error::DumpInterrupted`]. An error
    /// from `on_event` stops delivery; the rest of the dump is drained so the socket stays usable.
    pub fn dump(
        &mut self,
        msg_type: u16,
        body: impl Fn(&mut Vec<u8>) -> Result<(), Error>,
        mut on_event: impl FnMut(DumpEvent<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let seq = self.send_request(msg_type, flags::REQUEST | flags::DUMP, &body)?;
            let mut ex = Exchange::new(seq, true, msg_type);
            let mut failed: Option<Error> = None;
            let status = loop {
                let n = self.recv()?;
                let st = ex.feed(&self.rx[..n], |m| {
                    if failed.is_none()
                        && let Err(e) = on_event(DumpEvent::Message(m))
                    {
                        failed = Some(e);
                    }
                    Ok(())
                });
                match st {
                    Ok(Status::Pending) => continue,
                    Ok(st) => break st,
                    Err(e) => return Err(e),
                }
            };
            if let Some(e) = failed {
                return Err(e);
            }
            match status {
                Status::Interrupted if attempt <= DUMP_RETRIES => on_event(DumpEvent::Restarted)?,
                Status::Interrupted => return Err(Error::DumpInterrupted { attempts: attempt }),
                _ => return Ok(()),
            }
        }
    }

    /// Receives one datagram (events after [`add_membership`](Self::add_membership)) and hands
    /// each message to `f`. A queue overflow is [`Error::NoBufs`]: events were lost.
    pub fn recv_raw(
        &mut self,
        mut f: impl FnMut(proto::Event<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let n = self.recv()?;
        for ev in proto::messages(&self.rx[..n]) {
            f(ev?)?;
        }
        Ok(())
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
