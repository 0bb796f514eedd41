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

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::path::Path;
use std::time::Duration;

use rustix::io::Errno;
use rustix::net::netlink::SocketAddrNetlink;
use rustix::net::{RecvFlags, SendFlags};

use crate::error::Error;
use crate::proto::{
    self, Batch, BatchMode, Counters, DumpRun, DumpStep, Exchange, Message, Origin, Protocol,
    RestartPolicy, Sender, Status, flags,
};
use crate::sys;
use crate::trace;

/// What a dump hands to its callback.
#[derive(Debug)]
#[non_exhaustive]
pub enum DumpEvent<'a> {
    /// One message of the dump (a view into the receive buffer).
    Message(Message<'a>),
    /// The dump was interrupted (`NLM_F_DUMP_INTR`) and starts over: messages seen so far are void.
    Restarted,
}

/// How a dump ended ([`Socket::dump_with_end`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DumpEnd {
    /// Complete and consistent.
    Complete,
    /// Every attempt the [`RestartPolicy`] allows was interrupted; the messages delivered since
    /// the last [`DumpEvent::Restarted`] are one complete attempt, which may be inconsistent
    /// (what `ip` prints with "Dump was interrupted and may be inconsistent.").
    Inconsistent {
        /// Attempts made.
        attempts: u32,
    },
}

/// How a socket is set up ([`Socket::from_fd_with`]): pyroute2's socket options that mean
/// something in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SocketConfig {
    /// Port id to bind (`port`/`pid`; 0: the kernel picks one).
    pub port: u32,
    /// `SO_SNDBUF` (`sndbuf`).
    pub sndbuf: usize,
    /// `SO_RCVBUF` (`rcvbuf`; the kernel doubles it).
    pub rcvbuf: usize,
    /// The first size of the reusable receive buffer (`rcvsize`; it grows as datagrams need).
    pub rcvsize: usize,
    /// `NETLINK_EXT_ACK` (`ext_ack`): errors carry the kernel's text.
    pub ext_ack: bool,
    /// `NETLINK_GET_STRICT_CHK` (`strict_check`): dump filters are applied by the kernel.
    pub strict_check: bool,
    /// `NETLINK_LISTEN_ALL_NSID` (`all_ns`): events of every namespace with an id here.
    pub all_ns: bool,
}

impl Default for SocketConfig {
    fn default() -> Self {
        SocketConfig {
            port: 0,
            sndbuf: 32 * 1024,
            rcvbuf: 1024 * 1024,
            rcvsize: 64 * 1024,
            ext_ack: true,
            strict_check: true,
            all_ns: false,
        }
    }
}

/// How many times an interrupted dump is redone by default before it is reported
/// inconsistent ([`RestartPolicy::attempts`] counts the first attempt too).
pub const DUMP_RETRIES: u32 = 7;

/// A blocking rtnetlink socket.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    pub(crate) proto: Protocol,
    pub(crate) rx: Vec<u8>,
    tx: Vec<u8>,
    /// The size of a datagram peeked but not read yet.
    peeked: Option<usize>,
    /// `NETLINK_LISTEN_ALL_NSID` is on: datagrams are read with their namespace id.
    all_ns: bool,
    recv_timeout: Option<Duration>,
}

fn io(call: &str, e: Errno) -> Error {
    Error::io(call, std::io::Error::from(e))
}

impl Socket {
    /// A socket in the calling thread's network namespace.
    pub fn new() -> Result<Socket, Error> {
        Socket::from_fd(crate::netns::route_socket()?)
    }

    /// A socket in the namespace at `path` (`/run/netns/NAME`, `/proc/PID/ns/net`). The calling
    /// thread's namespace does not change.
    pub fn new_in_netns(path: &Path) -> Result<Socket, Error> {
        Socket::from_fd(crate::netns::socket_in(path)?)
    }

    /// Wraps an unbound `NETLINK_ROUTE` socket: binds it and turns on extended acks, capped
    /// error messages and strict checking ([`SocketConfig::default`]).
    pub fn from_fd(fd: OwnedFd) -> Result<Socket, Error> {
        Socket::from_fd_with(fd, &SocketConfig::default())
    }

    /// A socket in `ns` (a name, path, descriptor or pid), configured by `cfg`.
    pub fn new_in(ns: &crate::netns::Netns, cfg: &SocketConfig) -> Result<Socket, Error> {
        Socket::from_fd_with(crate::netns::socket_in_netns(ns)?, cfg)
    }

    /// Wraps a `NETLINK_ROUTE` socket configured by `cfg`. A socket already bound (one a
    /// caller hands over) keeps its address; an unbound one is bound to `cfg.port`.
    pub fn from_fd_with(fd: OwnedFd, cfg: &SocketConfig) -> Result<Socket, Error> {
        let bound = rustix::net::getsockname(&fd)
            .ok()
            .and_then(|a| SocketAddrNetlink::try_from(a).ok())
            .is_some_and(|a| a.pid() != 0);
        if !bound {
            rustix::net::bind(&fd, &SocketAddrNetlink::new(cfg.port, 0))
                .map_err(|e| io("bind(AF_NETLINK)", e))?;
        }
        let addr = rustix::net::getsockname(&fd).map_err(|e| io("getsockname", e))?;
        let port = SocketAddrNetlink::try_from(addr)
            .map(|a| a.pid())
            .unwrap_or(0);
        sys::set_netlink_opt(fd.as_fd(), sys::NETLINK_EXT_ACK, cfg.ext_ack as i32)
            .map_err(|e| Error::io("setsockopt(NETLINK_EXT_ACK)", e))?;
        // Errors echo only the request's header: a refused 30 KiB request costs 30 KiB of the
        // receive buffer otherwise. The offending attribute is named from our copy (`locate`).
        let _ = sys::set_netlink_opt(fd.as_fd(), sys::NETLINK_CAP_ACK, 1);
        // Old kernels lack strict checking: dumps are then filtered in userspace as well.
        let _ = sys::set_netlink_opt(
            fd.as_fd(),
            sys::NETLINK_GET_STRICT_CHK,
            cfg.strict_check as i32,
        );
        let mut s = Socket {
            fd,
            proto: Protocol::new(port),
            rx: vec![0; cfg.rcvsize.max(4096)],
            tx: Vec::with_capacity(4096),
            peeked: None,
            all_ns: false,
            recv_timeout: None,
        };
        s.set_sndbuf(cfg.sndbuf)?;
        s.set_rcvbuf(cfg.rcvbuf)?;
        if cfg.all_ns {
            s.set_listen_all_nsid(true)?;
        }
        Ok(s)
    }

    /// The port id the kernel assigned.
    pub fn pid(&self) -> u32 {
        self.proto.port()
    }

    /// What the protocol core set aside: datagrams from other sockets, stale replies,
    /// notifications kept while a request waited.
    pub fn counters(&self) -> Counters {
        self.proto.counters()
    }

    /// Sets how interrupted dumps are redone (attempts and backoff).
    pub fn set_restart_policy(&mut self, p: RestartPolicy) {
        self.proto.set_restart_policy(p);
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
    pub fn set_recv_timeout(&mut self, timeout: Option<Duration>) -> Result<(), Error> {
        rustix::net::sockopt::set_socket_timeout(
            &self.fd,
            rustix::net::sockopt::Timeout::Recv,
            timeout,
        )
        .map_err(|e| io("setsockopt(SO_RCVTIMEO)", e))?;
        self.recv_timeout = timeout;
        Ok(())
    }

    /// The receive timeout set with [`set_recv_timeout`](Self::set_recv_timeout).
    pub fn recv_timeout(&self) -> Option<Duration> {
        self.recv_timeout
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
            .map_err(|e| Error::io("setsockopt(NETLINK_LISTEN_ALL_NSID)", e))?;
        self.all_ns = on;
        Ok(())
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

    fn send_tx(&mut self, range: std::ops::Range<usize>) -> Result<(), Error> {
        let tx = std::mem::take(&mut self.tx);
        let r = self.send_raw(&tx[range]);
        self.tx = tx;
        r
    }

    fn recv_error(&self, e: Errno) -> Error {
        match e {
            Errno::NOBUFS => Error::NoBufs,
            Errno::AGAIN if self.recv_timeout.is_some() => {
                Error::Timeout(self.recv_timeout.unwrap_or_default())
            }
            e => io("recv", e),
        }
    }

    /// Receives one datagram into the reusable buffer (grown first if it would not fit), with
    /// the address it came from.
    fn recv(&mut self) -> Result<(usize, Sender), Error> {
        self.recv_with(RecvFlags::empty())
    }

    pub(crate) fn recv_with(&mut self, flags: RecvFlags) -> Result<(usize, Sender), Error> {
        loop {
            // The size of the next datagram: peeked, unless the last peek already told it and the
            // read after it failed. (A pending error such as ENOBUFS is reported by the read that
            // follows a peek, and a peek can make the kernel set it again when a dump cannot
            // continue: reading without a second peek guarantees progress.)
            let full = match self.peeked.take() {
                Some(full) => full,
                None => match rustix::net::recv(
                    &self.fd,
                    &mut self.rx[..],
                    RecvFlags::PEEK | RecvFlags::TRUNC | flags,
                ) {
                    Ok((_, full)) => full,
                    Err(Errno::INTR) => continue,
                    Err(e) => return Err(self.recv_error(e)),
                },
            };
            if full > self.rx.len() {
                self.rx.resize(full.next_power_of_two(), 0);
            }
            let got = if self.all_ns {
                sys::recvmsg_nsid(self.fd.as_fd(), &mut self.rx[..], flags.bits() as i32)
                    .map(|r| {
                        (
                            r.len,
                            Sender {
                                port: r.port,
                                groups: r.groups,
                                nsid: r.nsid,
                            },
                        )
                    })
                    .map_err(|e| Errno::from_raw_os_error(e.raw_os_error().unwrap_or(0)))
            } else {
                rustix::net::recvfrom(&self.fd, &mut self.rx[..], flags).map(|(n, _, addr)| {
                    let from = addr
                        .and_then(|a| SocketAddrNetlink::try_from(a).ok())
                        .map(|a| Sender {
                            port: a.pid(),
                            groups: a.groups(),
                            nsid: None,
                        })
                        // No address is no proof of coming from the kernel.
                        .unwrap_or(Sender {
                            port: u32::MAX,
                            groups: 0,
                            nsid: None,
                        });
                    (n, from)
                })
            };
            if got.is_err() {
                self.peeked = Some(full);
            }
            return match got {
                Ok(r) => {
                    trace::trace!(bytes = r.0, "datagram received");
                    Ok(r)
                }
                Err(Errno::INTR) => continue,
                Err(e) => Err(self.recv_error(e)),
            };
        }
    }

    /// Receives until a unicast datagram from the kernel arrives (notifications are kept by
    /// the core for [`recv_raw`](Self::recv_raw); other senders are dropped). A queue overflow
    /// while waiting is noted for the event reader and the wait goes on.
    fn recv_reply(&mut self) -> Result<usize, Error> {
        self.recv_reply_for(None)
    }

    /// [`recv_reply`](Self::recv_reply) while `ex` waits (its echo counts as a reply).
    fn recv_reply_for(&mut self, ex: Option<&Exchange>) -> Result<usize, Error> {
        loop {
            let (n, from) = match self.recv() {
                Ok(r) => r,
                Err(Error::NoBufs) => {
                    trace::debug!("receive queue overflowed (ENOBUFS) while awaiting a reply");
                    self.proto.note_overrun();
                    continue;
                }
                Err(e) => return Err(e),
            };
            let origin = match ex {
                Some(ex) => self.proto.classify_for(ex, from, &self.rx[..n]),
                None => self.proto.classify(from, &self.rx[..n]),
            };
            if origin == Origin::Reply {
                return Ok(n);
            }
        }
    }

    /// Reads and throws away the rest of an answer a failed call left unread, so the next
    /// request neither meets `EBUSY` nor takes an old reply for its own.
    fn settle(&mut self) -> Result<(), Error> {
        while self.proto.is_unsettled() {
            match self.recv_reply() {
                Ok(n) => {
                    self.proto.settle(&self.rx[..n]);
                }
                Err(Error::Timeout(_)) => self.proto.forget_unsettled(),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Follows `ex` to its end, handing its messages to `f`. An error that leaves the answer
    /// unfinished hands the exchange to the core to settle later.
    fn follow(
        &mut self,
        mut ex: Exchange,
        mut f: impl FnMut(Message<'_>) -> Result<(), Error>,
    ) -> Result<Status, Error> {
        loop {
            let st = self
                .recv_reply_for(Some(&ex))
                .and_then(|n| ex.feed(&self.rx[..n], &mut f));
            match st {
                Ok(Status::Pending) => continue,
                Ok(st) => {
                    trace::debug!(seq = ex.seq(), status = ?st, "answered");
                    self.proto.count_stray(&ex);
                    return Ok(st);
                }
                Err(mut e) => {
                    trace::debug!(seq = ex.seq(), error = %e, "failed");
                    if ex.is_finished() {
                        self.proto.count_stray(&ex);
                    } else {
                        self.proto.abandon(&ex);
                    }
                    if let Error::Kernel(k) = &mut e {
                        crate::locate::name_bad_attr(k, &self.tx);
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Sends a request (ACK is always asked for) and waits for its ACK; every reply message
    /// (a `get`'s answer, an `ECHO`) goes to `on_msg`. An error from `on_msg` is returned
    /// once the answer has been read to its end.
    pub fn transact(
        &mut self,
        msg_type: u16,
        fl: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
        on_msg: impl FnMut(Message<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.settle()?;
        let ex = self.proto.request(
            &mut self.tx,
            msg_type,
            fl | flags::REQUEST | flags::ACK,
            body,
        )?;
        trace::debug!(
            request = crate::spec::msg_type_name(msg_type),
            seq = ex.seq(),
            bytes = self.tx.len(),
            "request"
        );
        self.send_tx(0..self.tx.len())?;
        self.follow(ex, on_msg).map(|_| ())
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

    /// Sends several complete requests (each asking for an ACK; sequence numbers are assigned
    /// here) and waits for every answer. Every refusal is reported, by index, in
    /// [`Error::Batch`]; the requests go in chunks that fit the socket's buffers.
    pub fn send_batch(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.send_batch_with(bytes, BatchMode::Continue)
    }

    /// [`send_batch`](Self::send_batch), choosing what happens after the first refusal.
    /// Netlink has no transactions: requests the kernel already applied stay applied.
    pub fn send_batch_with(&mut self, bytes: &[u8], mode: BatchMode) -> Result<(), Error> {
        self.settle()?;
        self.tx.clear();
        self.tx.extend_from_slice(bytes);
        let mut batch = self.proto.batch(&mut self.tx, mode)?;
        let (max_bytes, max_requests) = self.batch_limits();
        trace::debug!(requests = batch.len(), bytes = bytes.len(), ?mode, "batch");
        while let Some(chunk) = batch.next_chunk(&mut self.tx, max_bytes, max_requests) {
            trace::trace!(bytes = chunk.len(), "batch chunk");
            self.send_tx(chunk)?;
            self.await_batch(&mut batch)?;
        }
        batch.finish(&self.tx)
    }

    fn await_batch(&mut self, batch: &mut Batch) -> Result<(), Error> {
        loop {
            let n = self.recv_reply()?;
            if batch.feed(&self.rx[..n])? == Status::Finished {
                return Ok(());
            }
        }
    }

    /// How much one batch chunk may hold: the kernel refuses a datagram over `sk_sndbuf - 32`
    /// bytes (`EMSGSIZE`), and drops ACKs that do not fit the receive buffer (each costs about
    /// 1 KiB of it).
    fn batch_limits(&self) -> (usize, usize) {
        let snd = rustix::net::sockopt::socket_send_buffer_size(&self.fd).unwrap_or(32 * 1024);
        let rcv = rustix::net::sockopt::socket_recv_buffer_size(&self.fd).unwrap_or(256 * 1024);
        (
            snd.saturating_sub(64).max(4096),
            (rcv / 2048).clamp(16, 4096),
        )
    }

    /// Dumps `msg_type` (`NLM_F_REQUEST | NLM_F_DUMP`), streaming each message to `on_event`.
    ///
    /// An interrupted dump is redone under the socket's [`RestartPolicy`] (with
    /// [`DumpEvent::Restarted`] first); when every attempt is interrupted the dump fails with
    /// [`Error::DumpInterrupted`] ([`dump_with_end`](Self::dump_with_end) keeps that last
    /// attempt instead). An error from `on_event` stops delivery; the rest of the dump is read
    /// so the socket stays usable.
    pub fn dump(
        &mut self,
        msg_type: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
        on_event: impl FnMut(DumpEvent<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.dump_with_end(msg_type, body, on_event)? {
            DumpEnd::Complete => Ok(()),
            DumpEnd::Inconsistent { attempts } => Err(Error::DumpInterrupted { attempts }),
        }
    }

    /// [`dump`](Self::dump), but a dump whose every attempt was interrupted ends
    /// `Ok(DumpEnd::Inconsistent)`: the messages since the last [`DumpEvent::Restarted`] are a
    /// complete attempt that may mix states, as `ip` shows it with a warning.
    pub fn dump_with_end(
        &mut self,
        msg_type: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
        mut on_event: impl FnMut(DumpEvent<'_>) -> Result<(), Error>,
    ) -> Result<DumpEnd, Error> {
        self.settle()?;
        let mut run = self.proto.dump(&mut self.tx, msg_type, body)?;
        trace::debug!(
            dump = crate::spec::msg_type_name(msg_type),
            seq = run.exchange().seq(),
            "dump"
        );
        loop {
            self.send_tx(0..self.tx.len())?;
            match self.follow_dump(&mut run, &mut on_event)? {
                DumpStep::Restart { after } => {
                    trace::debug!(
                        attempt = run.attempt(),
                        ?after,
                        "dump interrupted (NLM_F_DUMP_INTR): restarting"
                    );
                    on_event(DumpEvent::Restarted)?;
                    std::thread::sleep(after);
                    run.restart(&mut self.proto, &mut self.tx);
                }
                DumpStep::Inconsistent { attempts } => {
                    trace::debug!(
                        attempts,
                        "dump interrupted on every attempt: may be inconsistent"
                    );
                    return Ok(DumpEnd::Inconsistent { attempts });
                }
                _ => return Ok(DumpEnd::Complete),
            }
        }
    }

    fn follow_dump(
        &mut self,
        run: &mut DumpRun,
        on_event: &mut impl FnMut(DumpEvent<'_>) -> Result<(), Error>,
    ) -> Result<DumpStep, Error> {
        loop {
            let step = self
                .recv_reply()
                .and_then(|n| run.feed(&self.rx[..n], |m| on_event(DumpEvent::Message(m))));
            match step {
                Ok(DumpStep::Pending) => continue,
                Ok(step) => return Ok(step),
                Err(e) => {
                    if !run.is_finished() {
                        self.proto.abandon(run.exchange());
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Like [`recv_raw_nsid`](Self::recv_raw_nsid), without waiting: `Ok(false)` when
    /// nothing is queued.
    pub fn try_recv_raw(
        &mut self,
        mut f: impl FnMut(Option<i32>, proto::Event<'_>) -> Result<(), Error>,
    ) -> Result<bool, Error> {
        if let Some(kept) = self.proto.take_notification() {
            let kept = kept?;
            for ev in proto::messages(&kept.bytes) {
                f(kept.nsid, ev?)?;
            }
            return Ok(true);
        }
        loop {
            let (n, from) = match self.recv_with(RecvFlags::DONTWAIT) {
                Ok(r) => r,
                Err(Error::Timeout(_)) => return Ok(false),
                Err(Error::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::WouldBlock =>
                {
                    return Ok(false);
                }
                Err(e) => return Err(e),
            };
            if from.port != 0 {
                self.proto.classify(from, &self.rx[..n]); // counted and dropped
                continue;
            }
            for ev in proto::messages(&self.rx[..n]) {
                f(from.nsid, ev?)?;
            }
            return Ok(true);
        }
    }

    /// Receives one datagram (events after [`add_membership`](Self::add_membership)) and hands
    /// each message to `f`; notifications that arrived while a request waited come first.
    /// Datagrams from anyone but the kernel are dropped. A queue overflow is
    /// [`Error::NoBufs`]: events were lost.
    pub fn recv_raw(
        &mut self,
        mut f: impl FnMut(proto::Event<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.recv_raw_nsid(|_, ev| f(ev))
    }

    /// [`recv_raw`](Self::recv_raw), with the namespace id of each message's origin when the
    /// socket listens to all namespaces ([`set_listen_all_nsid`](Self::set_listen_all_nsid)).
    pub fn recv_raw_nsid(
        &mut self,
        mut f: impl FnMut(Option<i32>, proto::Event<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if let Some(kept) = self.proto.take_notification() {
            let kept = kept?;
            for ev in proto::messages(&kept.bytes) {
                f(kept.nsid, ev?)?;
            }
            return Ok(());
        }
        loop {
            let (n, from) = self.recv()?;
            if from.port != 0 {
                self.proto.classify(from, &self.rx[..n]); // counted and dropped
                continue;
            }
            for ev in proto::messages(&self.rx[..n]) {
                f(from.nsid, ev?)?;
            }
            return Ok(());
        }
    }
}

#[cfg(feature = "tokio")]
impl sys::OwnsFd for Socket {}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

// The async shell (`asocket`) registers the socket with tokio's reactor, which takes a raw fd.
impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}
