//! The sans-IO netlink core: requests into bytes, received bytes into events.
//!
//! Nothing here does I/O, so the blocking [`Socket`](crate::socket::Socket), a future async
//! socket and the request compiler (`IPBatch`) are thin shells around it, and tests feed it
//! hand-built bytes.
//!
//! * [`begin_request`] / [`finish_request`] frame a request (`struct nlmsghdr`, length patched
//!   at the end); the family header and attributes go in between.
//! * [`messages`] turns a received datagram into [`Event`]s: a message, `NLMSG_DONE`, an ACK, a
//!   kernel error (errno + extended-ack text + offending attribute offset), an overrun.
//! * [`Protocol`] is one socket's state: its port id, sequence numbers, which datagrams are
//!   believed ([`Protocol::classify`]: only the kernel, and multicast never as a reply),
//!   exchanges abandoned half-read ([`Protocol::abandon`] / [`Protocol::settle`]) and the
//!   notifications that arrived while a request waited.
//! * [`Exchange`] follows one request to its end: it matches sequence number *and* port id,
//!   notices `NLM_F_DUMP_INTR`, and says when the answer is complete.
//! * [`DumpRun`] follows a dump through its restarts under a [`RestartPolicy`] (backoff, then
//!   the last complete attempt marked [`DumpStep::Inconsistent`]).
//! * [`Batch`] sends many requests in chunks that fit the socket's buffers and tracks the ACK
//!   or error of each, reporting failures by index ([`BatchError`]).
//!
//! The shells only move bytes: send what the core framed, receive a datagram with its sender
//! address, hand both to the core, sleep when it says so.
//!
//! # Contract
//! No function here panics on any input: a truncated header, a length below 16 or beyond the
//! buffer is a [`DecodeError`] and iteration stops.

use std::collections::VecDeque;
use std::ops::Range;
use std::time::Duration;

use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::error::{ArgError, BatchError, BatchFailure, DecodeError, Error, KernelError};
use crate::nla;

/// `struct nlmsghdr`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Nlmsghdr {
    /// Length of the message including this header.
    pub len: U32,
    /// Message type (`RTM_NEWLINK`, `NLMSG_ERROR` ...).
    pub ty: U16,
    /// `NLM_F_*` flags.
    pub flags: U16,
    /// Sequence number.
    pub seq: U32,
    /// Sending port id.
    pub pid: U32,
}

const _: () = assert!(core::mem::size_of::<Nlmsghdr>() == 16);

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// No-op message.
pub const NLMSG_NOOP: u16 = 1;
/// Error or ACK.
pub const NLMSG_ERROR: u16 = 2;
/// End of a multi-part answer.
pub const NLMSG_DONE: u16 = 3;
/// Data lost.
pub const NLMSG_OVERRUN: u16 = 4;

/// `NLM_F_*` flags.
pub mod flags {
    /// A request.
    pub const REQUEST: u16 = 0x01;
    /// Part of a multi-part answer.
    pub const MULTI: u16 = 0x02;
    /// Asks for an ACK.
    pub const ACK: u16 = 0x04;
    /// Echo this request.
    pub const ECHO: u16 = 0x08;
    /// The dump was interrupted by a change: its contents may be inconsistent.
    pub const DUMP_INTR: u16 = 0x10;
    /// The dump was filtered as requested.
    pub const DUMP_FILTERED: u16 = 0x20;
    /// Return the whole table.
    pub const ROOT: u16 = 0x100;
    /// Return all matches.
    pub const MATCH: u16 = 0x200;
    /// Atomic get.
    pub const ATOMIC: u16 = 0x400;
    /// `ROOT | MATCH`.
    pub const DUMP: u16 = 0x300;
    /// Replace an existing object.
    pub const REPLACE: u16 = 0x100;
    /// Do not touch an existing object.
    pub const EXCL: u16 = 0x200;
    /// Create if missing.
    pub const CREATE: u16 = 0x400;
    /// Add to the end of the list.
    pub const APPEND: u16 = 0x800;
    /// (ACK) the request was capped: the error carries only the request's header.
    pub const CAPPED: u16 = 0x100;
    /// (ACK) extended-ack attributes follow.
    pub const ACK_TLVS: u16 = 0x200;

    /// The value of a flag name without its `NLM_F_` prefix (`"DUMP"` -> `0x300`).
    pub fn flag_value(name: &str) -> Option<u16> {
        Some(match name {
            "REQUEST" => REQUEST,
            "MULTI" => MULTI,
            "ACK" => ACK,
            "ECHO" => ECHO,
            "ROOT" => ROOT,
            "MATCH" => MATCH,
            "ATOMIC" => ATOMIC,
            "DUMP" => DUMP,
            "REPLACE" => REPLACE,
            "EXCL" => EXCL,
            "CREATE" => CREATE,
            "APPEND" => APPEND,
            _ => return None,
        })
    }
}

/// Extended-ack attribute: the error message.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Extended-ack attribute: offset of the offending attribute in the request.
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// Appends a request header (length 0 for now); returns its offset for [`finish_request`].
///
/// ```
/// use rtnl_core::proto::{begin_request, finish_request, flags};
/// let mut buf = Vec::new();
/// let at = begin_request(&mut buf, 18, flags::REQUEST | flags::DUMP, 1, 0);
/// buf.extend_from_slice(&[0u8; 16]); // struct ifinfomsg
/// finish_request(&mut buf, at);
/// assert_eq!(u32::from_ne_bytes(buf[..4].try_into().unwrap()), 32);
/// ```
pub fn begin_request(buf: &mut Vec<u8>, msg_type: u16, flags: u16, seq: u32, pid: u32) -> usize {
    let start = buf.len();
    let h = Nlmsghdr {
        len: U32::new(0),
        ty: U16::new(msg_type),
        flags: U16::new(flags),
        seq: U32::new(seq),
        pid: U32::new(pid),
    };
    buf.extend_from_slice(h.as_bytes());
    start
}

/// Pads the request that starts at `start` to 4 bytes and patches its `nlmsg_len`.
pub fn finish_request(buf: &mut Vec<u8>, start: usize) {
    nla::pad(buf);
    let len = (buf.len() - start) as u32;
    buf[start..start + 4].copy_from_slice(&len.to_ne_bytes());
}

/// Sets the sequence number of the request at `start`.
pub fn set_seq(buf: &mut [u8], start: usize, seq: u32) {
    if let Some(s) = buf.get_mut(start + 8..start + 12) {
        s.copy_from_slice(&seq.to_ne_bytes());
    }
}

/// One received message (not a control message).
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Its header.
    pub header: &'a Nlmsghdr,
    /// Its payload (family header and attributes).
    pub payload: &'a [u8],
}

impl Message<'_> {
    /// Message type.
    pub fn msg_type(&self) -> u16 {
        self.header.ty.get()
    }
    /// `NLM_F_*` flags.
    pub fn flags(&self) -> u16 {
        self.header.flags.get()
    }
    /// Sequence number.
    pub fn seq(&self) -> u32 {
        self.header.seq.get()
    }
    /// Port id (`nlmsg_pid`): in a reply, the port of the socket that asked.
    pub fn port(&self) -> u32 {
        self.header.pid.get()
    }
}

/// What a received datagram contains, message by message.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A message.
    Message(Message<'a>),
    /// `NLMSG_DONE`: the end of a dump.
    Done {
        /// Its sequence number.
        seq: u32,
        /// Its port id (the asking socket's).
        port: u32,
        /// Its flags (`NLM_F_DUMP_INTR` may be set here).
        flags: u16,
    },
    /// `NLMSG_ERROR` with error 0: an ACK.
    Ack {
        /// Sequence number of the acknowledged request.
        seq: u32,
        /// Port id of the ACK (the asking socket's).
        port: u32,
    },
    /// `NLMSG_ERROR` with an error, or `NLMSG_DONE` carrying one.
    Error {
        /// Port id of the error message (the asking socket's).
        port: u32,
        /// What the kernel said.
        error: KernelError,
    },
    /// `NLMSG_OVERRUN`.
    Overrun,
    /// `NLMSG_NOOP`.
    Noop,
}

/// Iterator over the events of a received buffer.
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

/// The events in `buf` (one or more netlink messages).
pub fn messages(buf: &[u8]) -> Messages<'_> {
    Messages {
        buf,
        pos: 0,
        failed: false,
    }
}

/// The one place a [`KernelError`] is built from what the kernel sent: the errno (negative, as
/// the kernel sends it) and, when `NLM_F_ACK_TLVS` was set, the extended-ack attributes.
fn kernel_error(
    errno: i32,
    tlvs: Option<&[u8]>,
    request_type: u16,
    request_seq: u32,
) -> KernelError {
    let mut ext_ack = None;
    let mut bad_attr_offset = None;
    for a in nla::Attrs::new(tlvs.unwrap_or(&[])).filter_map(Result::ok) {
        match a.id {
            NLMSGERR_ATTR_MSG => {
                ext_ack = crate::types::read::string(a.payload, "NLMSGERR_ATTR_MSG")
                    .ok()
                    .map(str::to_string)
            }
            NLMSGERR_ATTR_OFFS => {
                bad_attr_offset = crate::types::read::u32(a.payload, "NLMSGERR_ATTR_OFFS").ok()
            }
            _ => {}
        }
    }
    KernelError {
        errno: errno.saturating_neg(),
        ext_ack,
        bad_attr_offset,
        bad_attr: None,
        request_type,
        request_seq,
    }
}

fn read_errno(p: &[u8]) -> Option<i32> {
    p.get(..4)
        .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

fn parse_error(h: &Nlmsghdr, p: &[u8], at: usize) -> Result<Event<'static>, DecodeError> {
    let errno = read_errno(p).ok_or(DecodeError::new(
        "struct nlmsgerr",
        at,
        "truncated error code",
    ))?;
    let (req, _) = Nlmsghdr::ref_from_prefix(&p[4..])
        .map_err(|_| DecodeError::new("struct nlmsgerr", at, "truncated echoed request header"))?;
    let port = h.pid.get();
    if errno == 0 {
        return Ok(Event::Ack {
            seq: req.seq.get(),
            port,
        });
    }
    let flags = h.flags.get();
    let tlvs = (flags & flags::ACK_TLVS != 0).then(|| {
        // The echoed request is only its header when capped, the whole request otherwise.
        let echoed = if flags & flags::CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            nla::align(req.len.get() as usize)
        };
        p.get(4 + echoed..).unwrap_or(&[])
    });
    let error = kernel_error(errno, tlvs, req.ty.get(), req.seq.get());
    Ok(Event::Error { port, error })
}

fn parse_done<'a>(h: &Nlmsghdr, payload: &[u8]) -> Event<'a> {
    let err = read_errno(payload).unwrap_or(0);
    if err < 0 {
        let tlvs = (h.flags.get() & flags::ACK_TLVS != 0).then(|| &payload[4..]);
        // NLMSG_DONE does not echo the request: the exchange fills in its type.
        let error = kernel_error(err, tlvs, 0, h.seq.get());
        Event::Error {
            port: h.pid.get(),
            error,
        }
    } else {
        Event::Done {
            seq: h.seq.get(),
            port: h.pid.get(),
            flags: h.flags.get(),
        }
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Event<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let at = self.pos;
        let rest = &self.buf[at..];
        let Ok((h, _)) = Nlmsghdr::ref_from_prefix(rest) else {
            self.failed = true;
            return Some(Err(DecodeError::new(
                "struct nlmsghdr",
                at,
                "truncated header",
            )));
        };
        let len = h.len.get() as usize;
        if len < NLMSG_HDRLEN || len > rest.len() {
            self.failed = true;
            return Some(Err(DecodeError::new(
                "struct nlmsghdr",
                at,
                "nlmsg_len out of range",
            )));
        }
        self.pos += nla::align(len).min(rest.len());
        let payload = &rest[NLMSG_HDRLEN..len];
        Some(match h.ty.get() {
            NLMSG_NOOP => Ok(Event::Noop),
            NLMSG_OVERRUN => Ok(Event::Overrun),
            NLMSG_ERROR => parse_error(h, payload, at).inspect_err(|_| self.failed = true),
            NLMSG_DONE => Ok(parse_done(h, payload)),
            _ => Ok(Event::Message(Message { header: h, payload })),
        })
    }
}

/// The sequence number of the request a reply datagram answers: its first message's (for an
/// ACK or error, the echoed request's). A shell with many requests in flight uses it only to
/// find the [`Exchange`] to feed; the exchange still judges every message itself (sequence
/// number *and* port id). `None` when the datagram does not parse or carries no request's answer.
pub fn reply_seq(datagram: &[u8]) -> Option<u32> {
    match messages(datagram).next()? {
        Ok(Event::Message(m)) => Some(m.seq()),
        Ok(Event::Done { seq, .. } | Event::Ack { seq, .. }) => Some(seq),
        Ok(Event::Error { error, .. }) => Some(error.request_seq),
        _ => None,
    }
}

/// Who sent a datagram: the `struct sockaddr_nl` that `recvfrom` fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sender {
    /// The sender's port id: 0 for the kernel.
    pub port: u32,
    /// The multicast groups the datagram was sent to: 0 for a unicast reply.
    pub groups: u32,
    /// The namespace id of the notification's origin, when the socket listens to all
    /// namespaces (`NETLINK_LISTEN_ALL_NSID`) and the kernel attached one.
    pub nsid: Option<i32>,
}

impl Sender {
    /// A unicast datagram from the kernel: what every reply looks like.
    pub const KERNEL: Sender = Sender {
        port: 0,
        groups: 0,
        nsid: None,
    };
}

/// A notification kept while a request waited ([`Protocol::take_notification`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The origin's namespace id (see [`Sender::nsid`]).
    pub nsid: Option<i32>,
    /// The datagram.
    pub bytes: Vec<u8>,
}

/// What a received datagram is, judged by its sender ([`Protocol::classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// A unicast datagram from the kernel: replies to our requests.
    Reply,
    /// A multicast notification from the kernel: never part of a request's reply stream.
    Notification,
    /// Sent by another socket (port id not 0): never believed, dropped and counted.
    Foreign,
}

/// What the core has set aside instead of handing it to a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Datagrams another socket sent us (sender port id not 0): dropped.
    pub foreign: u64,
    /// Messages of a reply datagram that belong to no request in flight (another sequence
    /// number or port id: stale answers): skipped.
    pub stray: u64,
    /// Multicast notifications that arrived while a request was waiting: kept for
    /// [`Protocol::take_notification`].
    pub notifications: u64,
    /// Notifications dropped because the backlog was full (reported as an overrun).
    pub notifications_lost: u64,
}

/// How interrupted dumps (`NLM_F_DUMP_INTR`: the table changed while it was read) are redone.
///
/// Attempt `n` (counting from 1) that ends interrupted is followed, after
/// `min(backoff * 2^(n-1), max_backoff)`, by attempt `n + 1`, up to `attempts` in all. When the
/// last one is interrupted too, the dump ends as [`DumpStep::Inconsistent`]: that last attempt
/// is complete (every message of it was delivered, once) but the kernel says it may mix states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestartPolicy {
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// The wait before the second attempt.
    pub backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy {
            attempts: 8,
            backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(50),
        }
    }
}

impl RestartPolicy {
    /// The wait after attempt `attempt` (1-based) was interrupted.
    pub fn delay(&self, attempt: u32) -> Duration {
        let shift = attempt.saturating_sub(1).min(20);
        self.backoff
            .saturating_mul(1 << shift)
            .min(self.max_backoff)
    }
}

/// Where an [`Exchange`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// More datagrams are expected.
    Pending,
    /// The answer is complete.
    Finished,
    /// The dump is complete but was interrupted by a change (`NLM_F_DUMP_INTR`): redo it.
    Interrupted,
}

/// One request followed to its end: a dump (until `NLMSG_DONE`) or a request with ACK.
///
/// Only messages carrying the request's sequence number *and* the asking socket's port id
/// belong to it; anything else is counted in [`skipped`](Exchange::skipped). The first error
/// of the caller's callback stops delivery, but the exchange still reads to the end of the
/// answer so the socket stays in step; that error is returned then.
#[derive(Debug)]
pub struct Exchange {
    seq: u32,
    port: u32,
    dump: bool,
    echo: bool,
    request_type: u16,
    interrupted: bool,
    finished: bool,
    failed: Option<Error>,
    /// Messages that belong to no request in flight (stale answers) that were skipped.
    pub skipped: u64,
}

impl Exchange {
    /// Follows the request with sequence number `seq` sent from port 0 (see
    /// [`with_port`](Self::with_port)); `dump` = it was sent with `NLM_F_DUMP`.
    pub fn new(seq: u32, dump: bool, request_type: u16) -> Self {
        Exchange {
            seq,
            port: 0,
            dump,
            echo: false,
            request_type,
            interrupted: false,
            finished: false,
            failed: None,
            skipped: 0,
        }
    }

    /// The same exchange for a request sent from port `port` (replies carry it in `nlmsg_pid`).
    pub fn with_port(mut self, port: u32) -> Self {
        self.port = port;
        self
    }

    /// The request's sequence number.
    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Whether the request is a dump.
    pub fn is_dump(&self) -> bool {
        self.dump
    }

    /// Whether the answer has ended (done, ACK or error): nothing more of it will arrive.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    fn ours(&self, seq: u32, port: u32) -> bool {
        seq == self.seq && port == self.port
    }

    /// Feeds one reply datagram (see [`Protocol::classify`]); `f` gets every message that
    /// belongs to this request.
    ///
    /// A kernel error ends the exchange with `Err(Error::Kernel)`. Malformed framing is
    /// `Err(Error::Decode)` with the answer unfinished: the caller hands the exchange to
    /// [`Protocol::abandon`]. An error from `f` is returned when the answer is complete.
    pub fn feed<'a>(
        &mut self,
        buf: &'a [u8],
        mut f: impl FnMut(Message<'a>) -> Result<(), Error>,
    ) -> Result<Status, Error> {
        for ev in messages(buf) {
            match ev? {
                Event::Message(m) if self.ours(m.seq(), m.port()) => {
                    if m.flags() & flags::DUMP_INTR != 0 {
                        self.interrupted = true;
                    }
                    if self.failed.is_none()
                        && let Err(e) = f(m)
                    {
                        self.failed = Some(e);
                    }
                }
                Event::Done {
                    seq,
                    port,
                    flags: fl,
                } if self.ours(seq, port) => {
                    if fl & flags::DUMP_INTR != 0 {
                        self.interrupted = true;
                    }
                    return self.end(if self.interrupted {
                        Status::Interrupted
                    } else {
                        Status::Finished
                    });
                }
                Event::Ack { seq, port } if self.ours(seq, port) => {
                    return self.end(Status::Finished);
                }
                Event::Error { port, mut error } if self.ours(error.request_seq, port) => {
                    if error.request_type == 0 {
                        error.request_type = self.request_type;
                    }
                    self.finished = true;
                    return Err(Error::Kernel(error));
                }
                Event::Overrun => return Err(Error::NoBufs),
                _ => self.skipped += 1,
            }
        }
        Ok(Status::Pending)
    }

    fn end(&mut self, st: Status) -> Result<Status, Error> {
        self.finished = true;
        match self.failed.take() {
            Some(e) => Err(e),
            None => Ok(st),
        }
    }
}

/// The protocol state of one netlink socket: its port id, sequence numbers, which datagrams
/// are believed, dumps abandoned half-read, and the notifications that arrived while a request
/// was waiting. Every shell (the blocking [`Socket`](crate::socket::Socket), an async socket,
/// a batch sender) keeps one and only moves bytes.
#[derive(Debug)]
pub struct Protocol {
    port: u32,
    seq: u32,
    restart: RestartPolicy,
    counters: Counters,
    unfinished: Option<Exchange>,
    backlog: VecDeque<Notification>,
    backlog_bytes: usize,
    backlog_overrun: bool,
}

/// The most notification bytes kept while requests wait (beyond it: an overrun is reported).
pub const BACKLOG_BYTES: usize = 4 << 20;

impl Protocol {
    /// The state of a socket bound to port id `port`.
    pub fn new(port: u32) -> Self {
        Protocol {
            port,
            seq: 0,
            restart: RestartPolicy::default(),
            counters: Counters::default(),
            unfinished: None,
            backlog: VecDeque::new(),
            backlog_bytes: 0,
            backlog_overrun: false,
        }
    }

    /// The socket's port id.
    pub fn port(&self) -> u32 {
        self.port
    }

    /// What was set aside so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// How interrupted dumps are redone.
    pub fn restart_policy(&self) -> RestartPolicy {
        self.restart
    }

    /// Sets how interrupted dumps are redone (`attempts` of at least 1).
    pub fn set_restart_policy(&mut self, p: RestartPolicy) {
        self.restart = RestartPolicy {
            attempts: p.attempts.max(1),
            ..p
        };
    }

    /// The next sequence number (never 0: the kernel's own notifications use 0).
    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1).max(1);
        self.seq
    }

    /// Frames one request into `tx` (cleared first) with a fresh sequence number, and returns
    /// the exchange that follows its answer.
    ///
    /// ```
    /// use rtnl_core::proto::{Protocol, flags};
    /// let mut p = Protocol::new(1234);
    /// let mut tx = Vec::new();
    /// let ex = p.request(&mut tx, 18, flags::REQUEST | flags::ACK, |b| {
    ///     b.extend_from_slice(&[0u8; 16]); // struct ifinfomsg
    ///     Ok(())
    /// })?;
    /// assert_eq!((tx.len(), ex.seq()), (32, 1));
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn request(
        &mut self,
        tx: &mut Vec<u8>,
        msg_type: u16,
        fl: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<Exchange, Error> {
        tx.clear();
        let seq = self.next_seq();
        let start = begin_request(tx, msg_type, fl, seq, 0);
        body(tx)?;
        finish_request(tx, start);
        let mut ex =
            Exchange::new(seq, fl & flags::DUMP == flags::DUMP, msg_type).with_port(self.port);
        ex.echo = fl & flags::ECHO != 0;
        Ok(ex)
    }

    /// Frames a dump request (`NLM_F_REQUEST | NLM_F_DUMP`) into `tx`; the [`DumpRun`] follows
    /// it through its restarts.
    pub fn dump(
        &mut self,
        tx: &mut Vec<u8>,
        msg_type: u16,
        body: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<DumpRun, Error> {
        let ex = self.request(tx, msg_type, flags::REQUEST | flags::DUMP, body)?;
        Ok(DumpRun {
            ex,
            attempt: 1,
            policy: self.restart,
        })
    }

    /// Judges a received datagram by its sender. Replies go to the request in flight;
    /// notifications are kept (see [`take_notification`](Self::take_notification)); anything
    /// another socket sent is dropped and counted.
    pub fn classify(&mut self, from: Sender, datagram: &[u8]) -> Origin {
        if from.port != 0 {
            self.counters.foreign += 1;
            return Origin::Foreign;
        }
        if from.groups == 0 {
            return Origin::Reply;
        }
        self.keep_notification(from.nsid, datagram);
        Origin::Notification
    }

    /// [`classify`](Self::classify) while `ex` waits: when `ex` asked for an echo
    /// (`NLM_F_ECHO`), the kernel sends the echo as a copy of its notification, addressed to
    /// the group; a multicast datagram whose first message carries `ex`'s sequence number and
    /// port id is that echo (the kernel leaves the asking socket out of the multicast itself),
    /// and so a reply.
    pub fn classify_for(&mut self, ex: &Exchange, from: Sender, datagram: &[u8]) -> Origin {
        if ex.echo
            && from.port == 0
            && from.groups != 0
            && let Some(Ok(Event::Message(m))) = messages(datagram).next()
            && ex.ours(m.seq(), m.port())
        {
            return Origin::Reply;
        }
        self.classify(from, datagram)
    }

    fn keep_notification(&mut self, nsid: Option<i32>, datagram: &[u8]) {
        if self.backlog_bytes + datagram.len() > BACKLOG_BYTES {
            self.counters.notifications_lost += 1;
            self.backlog_overrun = true;
            return;
        }
        self.counters.notifications += 1;
        self.backlog_bytes += datagram.len();
        self.backlog.push_back(Notification {
            nsid,
            bytes: datagram.to_vec(),
        });
    }

    /// A notification kept while a request waited, oldest first. `Err(Error::NoBufs)` comes
    /// first (once) when some had to be dropped: the listener must resynchronise.
    pub fn take_notification(&mut self) -> Option<Result<Notification, Error>> {
        if std::mem::take(&mut self.backlog_overrun) {
            return Some(Err(Error::NoBufs));
        }
        let d = self.backlog.pop_front()?;
        self.backlog_bytes -= d.bytes.len();
        Some(Ok(d))
    }

    /// Counts messages a finished exchange skipped.
    pub fn count_stray(&mut self, ex: &Exchange) {
        self.counters.stray += ex.skipped;
    }

    /// Counts the messages of a reply datagram that no request in flight claims (the late
    /// answer of a request whose waiter went away) as stray.
    pub fn count_unclaimed(&mut self, datagram: &[u8]) {
        self.counters.stray += messages(datagram).count() as u64;
    }

    /// An exchange left before its answer ended (a receive or decode error): the rest of its
    /// answer is read and thrown away before the next request ([`settle`](Self::settle)), so
    /// the kernel never answers the next dump with `EBUSY` and no old reply is taken for a new one.
    pub fn abandon(&mut self, ex: &Exchange) {
        self.counters.stray += ex.skipped;
        self.unfinished = Some(Exchange::new(ex.seq, ex.dump, ex.request_type).with_port(ex.port));
    }

    /// Gives up on an abandoned exchange whose answer never came (a receive timeout).
    pub fn forget_unsettled(&mut self) {
        self.unfinished = None;
    }

    /// The socket's queue overflowed (`ENOBUFS`) while a request waited: notifications were
    /// lost, and the next reader of notifications is told so.
    pub fn note_overrun(&mut self) {
        self.backlog_overrun = true;
    }

    /// Whether an abandoned exchange still has answer bytes on the way.
    pub fn is_unsettled(&self) -> bool {
        self.unfinished.is_some()
    }

    /// Feeds a reply datagram to the abandoned exchange; true once its answer has ended (or
    /// cannot be followed further because the datagram does not parse).
    pub fn settle(&mut self, datagram: &[u8]) -> bool {
        let Some(ex) = self.unfinished.as_mut() else {
            return true;
        };
        let done = !matches!(ex.feed(datagram, |_| Ok(())), Ok(Status::Pending));
        if done {
            self.unfinished = None;
        }
        done
    }

    /// Prepares the complete requests in `tx` to go as one batch: each gets a fresh sequence
    /// number, and `NLM_F_ACK` is cleared: [`Batch::next_chunk`] sets it again on the last
    /// request of each chunk only. A dump among them is refused (its answer would not be an
    /// ACK, and the kernel runs one dump per socket at a time).
    ///
    /// Why one ACK per chunk is enough: the kernel answers a request without `NLM_F_ACK` only
    /// when it fails (`netlink_rcv_skb` sends the error either way), and it handles the
    /// requests of a datagram one after the other, queueing each answer as it goes. So every
    /// failure of a chunk arrives before the ACK of its last request, and that ACK says the
    /// rest succeeded. The kernel then builds and queues one message per failure instead of
    /// one per request, and the shell reads a chunk's answers in one or two receives instead
    /// of one per request (100 000 routes: about 100 receives instead of 100 000).
    pub fn batch(&mut self, tx: &mut [u8], mode: BatchMode) -> Result<Batch, Error> {
        let mut members = Vec::new();
        let mut at = 0;
        let total = tx.len();
        while at < total {
            let Ok((h, _)) = Nlmsghdr::mut_from_prefix(&mut tx[at..]) else {
                return Err(DecodeError::new("batch", at, "truncated request header").into());
            };
            let len = h.len.get() as usize;
            if len < NLMSG_HDRLEN || at + len > total {
                return Err(DecodeError::new("batch", at, "nlmsg_len out of range").into());
            }
            if h.flags.get() & flags::DUMP == flags::DUMP && h.flags.get() & flags::REQUEST != 0 {
                return Err(ArgError::new(
                    format!("batch request #{}", members.len()),
                    format!(
                        "{} is a dump (NLM_F_DUMP): dumps cannot be batched, use a get_* dump",
                        crate::msg_type_name(h.ty.get())
                    ),
                )
                .into());
            }
            let seq = self.next_seq();
            h.seq.set(seq);
            h.flags.set(h.flags.get() & !flags::ACK);
            members.push(Member {
                start: at,
                len: nla::align(len).min(total - at),
                seq,
                msg_type: h.ty.get(),
                answered: false,
            });
            at += nla::align(len);
        }
        Ok(Batch {
            members,
            port: self.port,
            sent: 0,
            chunk: 0,
            cursor: 0,
            unanswered: 0,
            failures: Vec::new(),
            mode,
            stopped: false,
            skipped: 0,
        })
    }
}

/// What a dump attempt came to ([`DumpRun::feed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DumpStep {
    /// More datagrams are expected.
    Pending,
    /// The dump is complete and consistent.
    Complete,
    /// The attempt was interrupted: wait `after`, then [`DumpRun::restart`] and send again.
    /// Whatever the caller kept from this attempt is void.
    Restart {
        /// How long to wait first (the policy's backoff).
        after: Duration,
    },
    /// Every attempt was interrupted; the last one is complete but may be inconsistent.
    Inconsistent {
        /// How many attempts were made.
        attempts: u32,
    },
}

/// A dump followed through its restarts ([`Protocol::dump`]).
#[derive(Debug)]
pub struct DumpRun {
    ex: Exchange,
    attempt: u32,
    policy: RestartPolicy,
}

impl DumpRun {
    /// Feeds one reply datagram; `f` gets each message of the current attempt.
    pub fn feed<'a>(
        &mut self,
        buf: &'a [u8],
        f: impl FnMut(Message<'a>) -> Result<(), Error>,
    ) -> Result<DumpStep, Error> {
        Ok(match self.ex.feed(buf, f)? {
            Status::Pending => DumpStep::Pending,
            Status::Finished => DumpStep::Complete,
            Status::Interrupted if self.attempt < self.policy.attempts => DumpStep::Restart {
                after: self.policy.delay(self.attempt),
            },
            Status::Interrupted => DumpStep::Inconsistent {
                attempts: self.attempt,
            },
        })
    }

    /// Starts the next attempt: the request framed at the start of `tx` gets a new sequence
    /// number (send `tx` again afterwards).
    pub fn restart(&mut self, proto: &mut Protocol, tx: &mut [u8]) {
        proto.count_stray(&self.ex);
        let seq = proto.next_seq();
        set_seq(tx, 0, seq);
        self.attempt += 1;
        self.ex = Exchange::new(seq, true, self.ex.request_type).with_port(self.ex.port);
    }

    /// The attempt in progress (from 1).
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The exchange of the current attempt (for [`Protocol::abandon`]).
    pub fn exchange(&self) -> &Exchange {
        &self.ex
    }

    /// Whether the current attempt's answer has ended.
    pub fn is_finished(&self) -> bool {
        self.ex.is_finished()
    }
}

/// What to do with the rest of a batch once a member failed. Netlink has no transactions:
/// members already processed stay applied either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BatchMode {
    /// Send every member; report every failure.
    #[default]
    Continue,
    /// Send no further chunk once a member failed; the members not sent are reported.
    StopAtFirstError,
}

#[derive(Debug, Clone)]
struct Member {
    start: usize,
    len: usize,
    seq: u32,
    msg_type: u16,
    answered: bool,
}

/// Requests sent together and answered one ACK (or error) each ([`Protocol::batch`]).
///
/// The shell sends [`next_chunk`](Self::next_chunk) (a run of whole requests that fits the
/// socket's buffers), feeds datagrams until [`feed`](Self::feed) says `Finished`, and repeats;
/// [`finish`](Self::finish) reports every failed member by index.
#[derive(Debug, Clone)]
pub struct Batch {
    members: Vec<Member>,
    port: u32,
    sent: usize,
    chunk: usize,
    cursor: usize,
    unanswered: usize,
    failures: Vec<BatchFailure>,
    mode: BatchMode,
    stopped: bool,
    skipped: u64,
}

impl Batch {
    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The next run of requests to send: at most `max_bytes` (but always at least one
    /// request) and at most `max_requests`. `None` when all are sent, or when
    /// [`BatchMode::StopAtFirstError`] stopped the batch. The chunk's last request gets
    /// `NLM_F_ACK` in `tx` (the batch buffer): its answer ends the chunk.
    pub fn next_chunk(
        &mut self,
        tx: &mut [u8],
        max_bytes: usize,
        max_requests: usize,
    ) -> Option<Range<usize>> {
        if self.stopped || self.sent >= self.members.len() {
            return None;
        }
        let first = self.sent;
        let start = self.members[first].start;
        let mut end = start + self.members[first].len;
        self.sent += 1;
        while let Some(m) = self.members.get(self.sent) {
            if m.start + m.len - start > max_bytes || self.sent - first >= max_requests {
                break;
            }
            end = m.start + m.len;
            self.sent += 1;
        }
        self.chunk = first;
        self.unanswered += self.sent - first;
        let last = self.members[self.sent - 1].start;
        if let Ok((h, _)) = Nlmsghdr::mut_from_prefix(&mut tx[last..]) {
            h.flags.set(h.flags.get() | flags::ACK);
        }
        Some(start..end)
    }

    /// The member of the chunk in flight with sequence number `seq` (answers come in order, so
    /// the search starts after the last one answered).
    fn find(&self, seq: u32) -> Option<usize> {
        let chunk = self.chunk..self.sent;
        let from = self.cursor.clamp(chunk.start, chunk.end);
        (from..chunk.end)
            .chain(chunk.start..from)
            .find(|&i| self.members[i].seq == seq && !self.members[i].answered)
    }

    /// Feeds one reply datagram; `Finished` when every request sent so far is answered: each
    /// failure by its error, the others by the ACK of their chunk's last request.
    pub fn feed(&mut self, buf: &[u8]) -> Result<Status, Error> {
        for ev in messages(buf) {
            let (seq, port, error) = match ev? {
                Event::Ack { seq, port } => (seq, port, None),
                Event::Error { port, error } => (error.request_seq, port, Some(error)),
                Event::Overrun => return Err(Error::NoBufs),
                _ => {
                    self.skipped += 1;
                    continue;
                }
            };
            let found = if port == self.port {
                self.find(seq)
            } else {
                None
            };
            let Some(index) = found else {
                self.skipped += 1;
                continue;
            };
            self.members[index].answered = true;
            self.unanswered -= 1;
            self.cursor = index + 1;
            if let Some(mut error) = error {
                if error.request_type == 0 {
                    error.request_type = self.members[index].msg_type;
                }
                self.failures.push(BatchFailure { index, error });
                self.stopped |= self.mode == BatchMode::StopAtFirstError;
            }
            if index + 1 == self.sent {
                // The chunk's last request asked for the ACK: every earlier request of the
                // chunk that has not failed by now has succeeded.
                for m in &mut self.members[self.chunk..index] {
                    if !m.answered {
                        m.answered = true;
                        self.unanswered -= 1;
                    }
                }
            }
        }
        Ok(if self.unanswered == 0 {
            Status::Finished
        } else {
            Status::Pending
        })
    }

    /// The bytes of request `index` inside the batch buffer.
    pub fn request(&self, index: usize) -> Option<Range<usize>> {
        self.members.get(index).map(|m| m.start..m.start + m.len)
    }

    /// Every failure, or `Ok` when all requests were applied. `tx` is the batch buffer, used to
    /// name each failure's offending attribute.
    pub fn finish(mut self, tx: &[u8]) -> Result<(), Error> {
        if self.failures.is_empty() {
            return Ok(());
        }
        for f in &mut self.failures {
            let m = &self.members[f.index];
            crate::locate::name_bad_attr(&mut f.error, &tx[m.start..m.start + m.len]);
        }
        Err(Error::Batch(BatchError {
            requests: self.members.len(),
            not_sent: self.members.len() - self.sent,
            failures: self.failures,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(ty: u16, fl: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        let s = begin_request(&mut b, ty, fl, seq, 0);
        b.extend_from_slice(payload);
        finish_request(&mut b, s);
        b
    }

    fn error(errno: i32, req_ty: u16, seq: u32, tlvs: &[u8]) -> Vec<u8> {
        let mut p = errno.to_ne_bytes().to_vec();
        p.extend(msg(req_ty, flags::REQUEST, seq, &[]));
        p.extend_from_slice(tlvs);
        let fl = if tlvs.is_empty() {
            0
        } else {
            flags::CAPPED | flags::ACK_TLVS
        };
        msg(NLMSG_ERROR, fl, seq, &p)
    }

    #[test]
    fn reply_seq_names_the_request_a_datagram_answers() {
        // A message and DONE carry it in their header; an ACK or error in the echoed request
        // (whose outer header may say anything: the kernel copies the request's, we check).
        assert_eq!(reply_seq(&msg(24, flags::MULTI, 7, &[1; 12])), Some(7));
        assert_eq!(
            reply_seq(&msg(NLMSG_DONE, flags::MULTI, 8, &0i32.to_ne_bytes())),
            Some(8)
        );
        let mut ack = error(0, 24, 9, &[]);
        ack[8..12].copy_from_slice(&99u32.to_ne_bytes());
        assert_eq!(reply_seq(&ack), Some(9));
        assert_eq!(reply_seq(&error(-17, 24, 10, &[])), Some(10));
        assert_eq!(reply_seq(&[0u8; 7]), None);
        assert_eq!(reply_seq(&msg(NLMSG_NOOP, 0, 3, &[])), None);
    }

    #[test]
    fn multi_part_dump_split_across_reads() {
        let mut ex = Exchange::new(7, true, 26);
        let mut first = msg(24, flags::MULTI, 7, &[1; 12]);
        first.extend(msg(24, flags::MULTI, 7, &[2; 12]));
        let second = [
            msg(24, flags::MULTI, 7, &[3; 12]),
            msg(NLMSG_DONE, flags::MULTI, 7, &0i32.to_ne_bytes()),
        ]
        .concat();
        let mut seen = Vec::new();
        assert_eq!(
            ex.feed(&first, |m| {
                seen.push(m.payload[0]);
                Ok(())
            })
            .unwrap(),
            Status::Pending
        );
        assert_eq!(
            ex.feed(&second, |m| {
                seen.push(m.payload[0]);
                Ok(())
            })
            .unwrap(),
            Status::Finished
        );
        assert_eq!(seen, [1, 2, 3]);
    }

    #[test]
    fn error_with_extended_ack() {
        let mut tlvs = Vec::new();
        nla::put_str(&mut tlvs, NLMSGERR_ATTR_MSG, "Nexthop has invalid gateway");
        nla::put(&mut tlvs, NLMSGERR_ATTR_OFFS, &36u32.to_ne_bytes());
        let buf = error(-22, 24, 3, &tlvs);
        let err = Exchange::new(3, false, 24)
            .feed(&buf, |_| Ok(()))
            .unwrap_err();
        let Error::Kernel(k) = err else {
            panic!("{err}")
        };
        assert_eq!(
            (k.errno, k.request_type, k.request_seq, k.bad_attr_offset),
            (22, 24, 3, Some(36))
        );
        assert_eq!(k.ext_ack.as_deref(), Some("Nexthop has invalid gateway"));
        let text = k.to_string();
        assert!(
            text.contains("RTM_NEWROUTE") || text.contains("EINVAL"),
            "{text}"
        );
        assert!(
            text.contains("EINVAL") && text.contains("Nexthop has invalid gateway"),
            "{text}"
        );
    }

    #[test]
    fn ack_finishes() {
        let buf = error(0, 16, 9, &[]);
        assert_eq!(
            Exchange::new(9, false, 16).feed(&buf, |_| Ok(())).unwrap(),
            Status::Finished
        );
    }

    #[test]
    fn interrupted_dump() {
        let buf = [
            msg(24, flags::MULTI | flags::DUMP_INTR, 4, &[0; 12]),
            msg(
                NLMSG_DONE,
                flags::MULTI | flags::DUMP_INTR,
                4,
                &0i32.to_ne_bytes(),
            ),
        ]
        .concat();
        assert_eq!(
            Exchange::new(4, true, 26).feed(&buf, |_| Ok(())).unwrap(),
            Status::Interrupted
        );
    }

    #[test]
    fn truncated_message_is_an_error() {
        let mut buf = msg(24, 0, 1, &[0; 12]);
        buf.truncate(20);
        assert!(Exchange::new(1, true, 26).feed(&buf, |_| Ok(())).is_err());
        for bad in [
            &[1u8, 2, 3][..],
            &[8, 0, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        ] {
            let r: Result<Vec<_>, _> = messages(bad).collect();
            assert!(r.is_err());
        }
    }

    #[test]
    fn other_sequence_numbers_are_skipped() {
        let buf = [
            msg(24, flags::MULTI, 99, &[0; 12]),
            msg(24, flags::MULTI, 5, &[0; 12]),
            msg(NLMSG_DONE, flags::MULTI, 5, &0i32.to_ne_bytes()),
        ]
        .concat();
        let mut ex = Exchange::new(5, true, 26);
        let mut n = 0;
        assert_eq!(
            ex.feed(&buf, |_| {
                n += 1;
                Ok(())
            })
            .unwrap(),
            Status::Finished
        );
        assert_eq!((n, ex.skipped), (1, 1));
    }

    #[test]
    fn done_with_error() {
        let buf = msg(NLMSG_DONE, flags::MULTI, 2, &(-95i32).to_ne_bytes());
        let err = Exchange::new(2, true, 26)
            .feed(&buf, |_| Ok(()))
            .unwrap_err();
        assert_eq!(err.errno(), Some(95));
    }

    fn ack_from(port: u32, seq: u32, errno: i32) -> Vec<u8> {
        let mut p = errno.to_ne_bytes().to_vec();
        p.extend(msg(24, flags::REQUEST, seq, &[]));
        let mut b = Vec::new();
        let s = begin_request(&mut b, NLMSG_ERROR, 0, seq, port);
        b.extend_from_slice(&p);
        finish_request(&mut b, s);
        b
    }

    fn from_port(ty: u16, fl: u16, seq: u32, port: u32) -> Vec<u8> {
        let mut b = Vec::new();
        let s = begin_request(&mut b, ty, fl, seq, port);
        if ty == NLMSG_DONE {
            b.extend_from_slice(&0i32.to_ne_bytes());
        } else {
            b.extend_from_slice(&[7; 12]);
        }
        finish_request(&mut b, s);
        b
    }

    #[test]
    fn a_restart_mid_dump_starts_a_new_attempt_with_a_new_sequence_number() {
        let mut p = Protocol::new(77);
        let mut tx = Vec::new();
        let mut run = p
            .dump(&mut tx, 26, |b| {
                b.extend_from_slice(&[0; 12]);
                Ok(())
            })
            .unwrap();
        let first = [
            from_port(24, flags::MULTI, 1, 77),
            from_port(24, flags::MULTI | flags::DUMP_INTR, 1, 77),
            from_port(NLMSG_DONE, flags::MULTI | flags::DUMP_INTR, 1, 77),
        ]
        .concat();
        let mut n = 0;
        let step = run
            .feed(&first, |_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            step,
            DumpStep::Restart {
                after: Duration::from_millis(1)
            }
        );
        run.restart(&mut p, &mut tx);
        assert_eq!(
            u32::from_ne_bytes(tx[8..12].try_into().unwrap()),
            2,
            "new seq in the request"
        );
        // A late message of the first attempt is not part of the second.
        let second = [
            from_port(24, flags::MULTI, 1, 77),
            from_port(24, flags::MULTI, 2, 77),
            from_port(NLMSG_DONE, flags::MULTI, 2, 77),
        ]
        .concat();
        let mut m = 0;
        assert_eq!(
            run.feed(&second, |_| {
                m += 1;
                Ok(())
            })
            .unwrap(),
            DumpStep::Complete
        );
        assert_eq!((n, m, run.attempt()), (2, 1, 2));
    }

    #[test]
    fn a_dump_interrupted_on_every_attempt_ends_inconsistent() {
        let mut p = Protocol::new(5);
        p.set_restart_policy(RestartPolicy {
            attempts: 3,
            ..RestartPolicy::default()
        });
        let mut tx = Vec::new();
        let mut run = p.dump(&mut tx, 26, |_| Ok(())).unwrap();
        for attempt in 1..=3u32 {
            let seq = attempt;
            let buf = from_port(NLMSG_DONE, flags::MULTI | flags::DUMP_INTR, seq, 5);
            let step = run.feed(&buf, |_| Ok(())).unwrap();
            if attempt < 3 {
                assert!(matches!(step, DumpStep::Restart { .. }), "{step:?}");
                run.restart(&mut p, &mut tx);
            } else {
                assert_eq!(step, DumpStep::Inconsistent { attempts: 3 });
            }
        }
        assert_eq!(
            RestartPolicy::default().delay(30),
            Duration::from_millis(50)
        );
    }

    #[test]
    fn notifications_never_enter_a_reply_stream() {
        let mut p = Protocol::new(9);
        let mut tx = Vec::new();
        let mut ex = p
            .request(&mut tx, 26, flags::REQUEST | flags::DUMP, |_| Ok(()))
            .unwrap();
        // A multicast notification that happens to carry our sequence number and port.
        let note = from_port(24, 0, 1, 9);
        assert_eq!(
            p.classify(
                Sender {
                    port: 0,
                    groups: 1 << 6,
                    nsid: None,
                },
                &note
            ),
            Origin::Notification
        );
        // Only replies are fed to the exchange; the notification waits for the event reader.
        let reply = [
            from_port(24, flags::MULTI, 1, 9),
            from_port(NLMSG_DONE, flags::MULTI, 1, 9),
        ]
        .concat();
        assert_eq!(p.classify(Sender::KERNEL, &reply), Origin::Reply);
        let mut n = 0;
        assert_eq!(
            ex.feed(&reply, |_| {
                n += 1;
                Ok(())
            })
            .unwrap(),
            Status::Finished
        );
        assert_eq!(n, 1);
        assert_eq!(p.take_notification().unwrap().unwrap().bytes, note);
        assert!(p.take_notification().is_none());
        assert_eq!(p.counters().notifications, 1);
    }

    #[test]
    fn datagrams_from_other_sockets_are_dropped_and_counted() {
        let mut p = Protocol::new(9);
        let forged = ack_from(9, 1, 0);
        assert_eq!(
            p.classify(
                Sender {
                    port: 4242,
                    groups: 0,
                    nsid: None,
                },
                &forged
            ),
            Origin::Foreign
        );
        assert_eq!(p.counters().foreign, 1);
    }

    #[test]
    fn a_reply_for_another_port_is_skipped() {
        let mut p = Protocol::new(9);
        let mut tx = Vec::new();
        let mut ex = p
            .request(&mut tx, 24, flags::REQUEST | flags::ACK, |_| Ok(()))
            .unwrap();
        // An ACK with our sequence number but another socket's port id, then ours (EEXIST).
        let buf = [ack_from(10, 1, 0), ack_from(9, 1, -17)].concat();
        let err = ex.feed(&buf, |_| Ok(())).unwrap_err();
        assert_eq!(err.errno(), Some(17));
        assert_eq!(ex.skipped, 1);
    }

    #[test]
    fn a_batch_reports_its_failing_middle_member_by_index() {
        let mut p = Protocol::new(3);
        let mut tx = [
            msg(24, flags::REQUEST, 0, &[0; 12]),
            msg(24, flags::REQUEST, 0, &[0; 12]),
            msg(24, flags::REQUEST, 0, &[0; 12]),
        ]
        .concat();
        let mut b = p.batch(&mut tx, BatchMode::Continue).unwrap();
        assert_eq!(b.len(), 3);
        let flags_of = |tx: &[u8], at: usize| u16::from_ne_bytes([tx[at + 6], tx[at + 7]]);
        // Two requests fit a chunk of 64 bytes; only the chunk's last asks for an ACK.
        assert_eq!(b.next_chunk(&mut tx, 64, 100), Some(0..56));
        assert_eq!(flags_of(&tx, 0) & flags::ACK, 0, "{tx:x?}");
        assert_ne!(flags_of(&tx, 28) & flags::ACK, 0, "{tx:x?}");
        // Its only answer: the failure of its last member.
        assert_eq!(b.feed(&ack_from(3, 2, -22)).unwrap(), Status::Finished);
        assert_eq!(b.next_chunk(&mut tx, 64, 100), Some(56..84));
        assert_ne!(flags_of(&tx, 56) & flags::ACK, 0);
        assert_eq!(b.feed(&ack_from(3, 3, 0)).unwrap(), Status::Finished);
        assert_eq!(b.next_chunk(&mut tx, 64, 100), None);
        let Err(Error::Batch(e)) = b.finish(&tx) else {
            panic!("the failure is reported")
        };
        assert_eq!((e.requests, e.not_sent, e.failures.len()), (3, 0, 1));
        assert_eq!((e.failures[0].index, e.failures[0].error.errno), (1, 22));
        assert!(
            e.to_string().contains("#1: RTM_NEWROUTE failed: EINVAL"),
            "{e}"
        );
    }

    #[test]
    fn a_batch_can_stop_at_its_first_error() {
        let mut p = Protocol::new(3);
        let mut tx = [
            msg(24, flags::REQUEST, 0, &[0; 12]),
            msg(24, flags::REQUEST, 0, &[0; 12]),
        ]
        .concat();
        let mut b = p.batch(&mut tx, BatchMode::StopAtFirstError).unwrap();
        assert_eq!(b.next_chunk(&mut tx, 28, 100), Some(0..28));
        assert_eq!(b.feed(&ack_from(3, 1, -17)).unwrap(), Status::Finished);
        assert_eq!(b.next_chunk(&mut tx, 28, 100), None);
        let Err(Error::Batch(e)) = b.finish(&tx) else {
            panic!()
        };
        assert_eq!(e.not_sent, 1);
    }

    #[test]
    fn a_chunk_waits_for_its_ack_after_a_failure_of_an_earlier_member() {
        let mut p = Protocol::new(3);
        let mut tx = [
            msg(24, flags::REQUEST | flags::ACK, 0, &[0; 12]),
            msg(24, flags::REQUEST | flags::ACK, 0, &[0; 12]),
            msg(24, flags::REQUEST | flags::ACK, 0, &[0; 12]),
        ]
        .concat();
        let mut b = p.batch(&mut tx, BatchMode::Continue).unwrap();
        assert_eq!(b.next_chunk(&mut tx, 1000, 100), Some(0..84));
        // The first member failed; the chunk is not over until the last one's ACK.
        assert_eq!(b.feed(&ack_from(3, 1, -17)).unwrap(), Status::Pending);
        assert_eq!(b.feed(&ack_from(3, 3, 0)).unwrap(), Status::Finished);
        let Err(Error::Batch(e)) = b.finish(&tx) else {
            panic!("the failure is reported")
        };
        assert_eq!(e.failures.len(), 1);
        assert_eq!(e.failures[0].index, 0);
    }

    #[test]
    fn a_dump_in_a_batch_is_refused() {
        let mut p = Protocol::new(3);
        let mut tx = msg(26, flags::REQUEST | flags::DUMP, 0, &[0; 12]);
        let err = p.batch(&mut tx, BatchMode::Continue).unwrap_err();
        assert!(err.to_string().contains("batch request #0"), "{err}");
    }

    #[test]
    fn an_abandoned_dump_is_settled_before_the_next_request() {
        let mut p = Protocol::new(4);
        let mut tx = Vec::new();
        let run = p.dump(&mut tx, 26, |_| Ok(())).unwrap();
        p.abandon(run.exchange());
        assert!(p.is_unsettled());
        assert!(!p.settle(&from_port(24, flags::MULTI, 1, 4)));
        assert!(p.settle(&from_port(NLMSG_DONE, flags::MULTI, 1, 4)));
        assert!(!p.is_unsettled());
    }

    #[test]
    fn a_callback_error_is_returned_once_the_answer_is_complete() {
        let mut ex = Exchange::new(1, true, 26);
        let buf = [
            msg(24, flags::MULTI, 1, &[0; 12]),
            msg(24, flags::MULTI, 1, &[0; 12]),
        ]
        .concat();
        let mut calls = 0;
        let st = ex.feed(&buf, |_| {
            calls += 1;
            Err(Error::NoBufs)
        });
        assert_eq!(
            (st.unwrap(), calls, ex.is_finished()),
            (Status::Pending, 1, false)
        );
        let done = msg(NLMSG_DONE, flags::MULTI, 1, &0i32.to_ne_bytes());
        assert!(matches!(ex.feed(&done, |_| Ok(())), Err(Error::NoBufs)));
        assert!(ex.is_finished());
    }
}
