//! An async `NETLINK_ROUTE` socket on tokio (feature `tokio`): the second shell around
//! [`crate::proto`], beside the blocking [`Socket`].
//!
//! # What it is for
//! Many requests in flight on one socket, from any number of tasks, each matched to its answer
//! by sequence number; dumps streamed chunk by chunk; notifications read as an event stream.
//!
//! # Design: one driver task owns the socket
//! [`AsyncSocket`] is a cheap, cloneable handle (a channel sender). Opening one spawns a
//! *driver* task that owns everything else: the blocking [`Socket`] (the same descriptor, set
//! up by the same code path: `netns::route_socket` / `socket_in_netns` and [`SocketConfig`];
//! here switched to non-blocking and registered with tokio's `AsyncFd`), its
//! [`Protocol`](crate::proto::Protocol) and its one reusable receive buffer. Because one task
//! holds the protocol state, it needs no lock, and it is the *one reader* of the socket:
//!
//! * A command (request, dump, event read, membership) arrives on the channel; the driver
//!   frames the request with `Protocol::request` / `Protocol::dump` (fresh sequence number),
//!   sends it, and files the returned [`Exchange`] / [`DumpRun`] under its sequence number.
//! * Each datagram is received with its sender address (the blocking socket's own receive
//!   path: `MSG_PEEK | MSG_TRUNC` sizing, `recvmsg` with the nsid when listening to all
//!   namespaces) and judged by `Protocol::classify_for` exactly as the blocking shell does.
//!   A reply is routed by [`proto::reply_seq`] to the exchange filed under that number, which
//!   then judges each message itself (`Exchange::feed`: sequence number *and* port id, DONE,
//!   ACK, error with extended ack, `NLM_F_DUMP_INTR`). The driver copies the datagram once and
//!   hands it, with the positions of the messages the exchange accepted, to the waiting task.
//! * Dump restarts follow `DumpRun::feed`'s [`DumpStep::Restart`]: the driver tells the
//!   consumer ([`DumpItem::Restarted`]), waits the policy's backoff on a tokio timer (never
//!   blocking the runtime) and sends again with `DumpRun::restart`'s new sequence number.
//! * The kernel runs one dump per socket at a time (a second one is `EBUSY`), so dumps queue
//!   in the driver and start one after another; plain requests (ACK or get) go at once, beside
//!   a running dump.
//! * Notifications stay in the protocol core's backlog (bounded; an overflow, like an `ENOBUFS`
//!   from the kernel, becomes `Err(Error::NoBufs)` for the event reader) and go to
//!   [`AsyncSocket::next_event`] callers in order.
//!
//! # Cancellation
//! Dropping a request future, a [`AsyncDump`] or an event read never leaves the socket out of
//! step, because the task that waits never reads the socket. A request whose waiter went away
//! is still followed to its end by the driver (the answer is thrown away). A dump whose
//! [`AsyncDump`] is dropped mid-way is handed to `Protocol::abandon`; its remaining datagrams
//! go to `Protocol::settle` until its `NLMSG_DONE`, and only then does the next dump start, so
//! it neither meets `EBUSY` nor takes an old chunk for its own. An event read dropped before
//! its notification arrived takes none from the backlog.
//!
//! # What it must never do
//! Keep a second copy of protocol logic: sequence numbers, which datagrams are believed, reply
//! matching, ACKs, dump restarts and their policy are `proto`'s; this module only moves bytes,
//! routes datagrams and sleeps when `proto` says. It never blocks the runtime on I/O (socket
//! creation in another namespace, which needs a short-lived thread, goes through
//! `spawn_blocking`).
//!
//! Memory: a dump's chunks wait in an unbounded channel when the consumer is slower than the
//! kernel (the driver cannot stop reading without stalling every other request on the socket);
//! each chunk is one datagram, not one allocation per message.
//!
//! ```no_run
//! use rtnl_core::asocket::{AsyncSocket, DumpItem};
//! # async fn run() -> Result<(), rtnl_core::Error> {
//! let sock = AsyncSocket::new()?; // inside a tokio runtime
//! let mut links = sock.dump(18, vec![0u8; 16]); // RTM_GETLINK + struct ifinfomsg
//! let mut n = 0;
//! while let Some(item) = links.next().await? {
//!     if let DumpItem::Messages(chunk) = item {
//!         n += chunk.messages().count();
//!     }
//! }
//! println!("{n} links");
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use rustix::net::RecvFlags;
use tokio::io::unix::AsyncFd;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::error::Error;
use crate::netns::Netns;
use crate::proto::{
    self, Counters, DumpRun, DumpStep, Event, Exchange, Message, Notification, Origin, Sender,
    Status, flags,
};
use crate::socket::{DumpEnd, DumpEvent, Socket, SocketConfig};
use crate::trace;

/// One received datagram, kept, with the messages of it that belong to one request.
#[derive(Debug, Clone)]
pub struct Chunk {
    bytes: Vec<u8>,
    msgs: Vec<Range<usize>>,
}

impl Chunk {
    /// The messages of the request, as views into the kept datagram.
    pub fn messages(&self) -> impl Iterator<Item = Message<'_>> + '_ {
        self.msgs.iter().filter_map(
            |r| match proto::messages(self.bytes.get(r.clone())?).next() {
                Some(Ok(Event::Message(m))) => Some(m),
                _ => None,
            },
        )
    }

    /// How many messages of the request it holds.
    pub fn len(&self) -> usize {
        self.msgs.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.msgs.is_empty()
    }
}

/// What a dump hands out ([`AsyncDump::next`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum DumpItem {
    /// Messages of the dump (one datagram's worth).
    Messages(Chunk),
    /// The dump was interrupted (`NLM_F_DUMP_INTR`) and starts over: messages so far are void.
    Restarted,
}

enum Item {
    Chunk(Chunk),
    Restarted,
    End(DumpEnd),
}

type Reply<T> = oneshot::Sender<Result<T, Error>>;

enum Cmd {
    Transact {
        msg_type: u16,
        flags: u16,
        body: Vec<u8>,
        reply: Reply<Vec<Chunk>>,
    },
    Dump {
        msg_type: u16,
        body: Vec<u8>,
        out: mpsc::UnboundedSender<Result<Item, Error>>,
    },
    Event(Reply<Notification>),
    Membership {
        group: u32,
        join: bool,
        reply: Reply<()>,
    },
    Counters(oneshot::Sender<Counters>),
}

fn driver_gone() -> Error {
    Error::io(
        "netlink driver task",
        std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "the socket's driver task has ended (its runtime shut down)",
        ),
    )
}

/// An async rtnetlink socket: a handle to the driver task that owns the socket (see the
/// [module documentation](self)). Clone it to share the socket between tasks.
#[derive(Debug, Clone)]
pub struct AsyncSocket {
    cmds: mpsc::UnboundedSender<Cmd>,
    port: u32,
}

impl std::fmt::Debug for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cmd")
    }
}

impl AsyncSocket {
    /// A socket in the calling thread's network namespace. Must be called inside a tokio
    /// runtime (it spawns the driver task).
    pub fn new() -> Result<AsyncSocket, Error> {
        AsyncSocket::from_socket(Socket::new()?)
    }

    /// A socket in `ns` (a name, path, descriptor or pid) configured by `cfg`; the socket is
    /// created on a blocking thread (entering a namespace takes a short-lived thread).
    pub async fn open_in(ns: Netns, cfg: SocketConfig) -> Result<AsyncSocket, Error> {
        let sock = tokio::task::spawn_blocking(move || Socket::new_in(&ns, &cfg))
            .await
            .map_err(|e| Error::io("spawn_blocking", std::io::Error::other(e)))??;
        AsyncSocket::from_socket(sock)
    }

    /// Drives a configured blocking socket from a new task (the descriptor is switched to
    /// non-blocking; its receive timeout no longer applies: use `tokio::time::timeout`).
    pub fn from_socket(mut sock: Socket) -> Result<AsyncSocket, Error> {
        // A receive timeout would turn "nothing queued" into `Error::Timeout`.
        sock.set_recv_timeout(None)?;
        rustix::io::ioctl_fionbio(&sock, true)
            .map_err(|e| Error::io("ioctl(FIONBIO)", std::io::Error::from(e)))?;
        let port = sock.pid();
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::io(
                "AsyncSocket",
                std::io::Error::other("must be opened inside a tokio runtime"),
            ));
        }
        let fd = crate::sys::async_fd(sock).map_err(|e| Error::io("AsyncFd::register", e))?;
        let (cmds, rx) = mpsc::unbounded_channel();
        let driver = Driver {
            fd,
            st: State {
                cmds: rx,
                closed: false,
                waiting: HashMap::new(),
                dump: None,
                queued: VecDeque::new(),
                events: VecDeque::new(),
            },
        };
        tokio::spawn(driver.run());
        Ok(AsyncSocket { cmds, port })
    }

    /// The port id the kernel assigned.
    pub fn pid(&self) -> u32 {
        self.port
    }

    fn command(&self, c: Cmd) -> Result<(), Error> {
        self.cmds.send(c).map_err(|_| driver_gone())
    }

    /// Sends a request (ACK always asked for; `body` is the family header and attributes) and
    /// waits for its end; the messages of the answer (a `get`'s reply, an echo) come back.
    /// A refusal is `Err(Error::Kernel)` naming the request and the offending attribute.
    pub async fn transact(
        &self,
        msg_type: u16,
        fl: u16,
        body: Vec<u8>,
    ) -> Result<Vec<Chunk>, Error> {
        let (reply, rx) = oneshot::channel();
        self.command(Cmd::Transact {
            msg_type,
            flags: fl,
            body,
            reply,
        })?;
        rx.await.map_err(|_| driver_gone())?
    }

    /// [`transact`](Self::transact) for a request whose answer is only its ACK.
    pub async fn request(&self, msg_type: u16, fl: u16, body: Vec<u8>) -> Result<(), Error> {
        self.transact(msg_type, fl, body).await.map(|_| ())
    }

    /// Dumps `msg_type` (`NLM_F_REQUEST | NLM_F_DUMP`); the request is queued at once and goes
    /// when no other dump runs on the socket. Read it with [`AsyncDump::next`]; drop it to
    /// abandon the dump (the socket stays usable).
    pub fn dump(&self, msg_type: u16, body: Vec<u8>) -> AsyncDump {
        let (out, rx) = mpsc::unbounded_channel();
        let failed = self
            .command(Cmd::Dump {
                msg_type,
                body,
                out,
            })
            .err();
        AsyncDump {
            rx,
            end: None,
            failed,
        }
    }

    /// The next notification of the joined groups (oldest first). `Err(Error::NoBufs)` says
    /// notifications were lost (the kernel's queue or the core's backlog overflowed).
    pub async fn next_event(&self) -> Result<Notification, Error> {
        let (reply, rx) = oneshot::channel();
        self.command(Cmd::Event(reply))?;
        rx.await.map_err(|_| driver_gone())?
    }

    /// Joins multicast group `group` (`RTNLGRP_LINK` = 1 ...).
    pub async fn add_membership(&self, group: u32) -> Result<(), Error> {
        self.membership(group, true).await
    }

    /// Leaves multicast group `group`.
    pub async fn drop_membership(&self, group: u32) -> Result<(), Error> {
        self.membership(group, false).await
    }

    async fn membership(&self, group: u32, join: bool) -> Result<(), Error> {
        let (reply, rx) = oneshot::channel();
        self.command(Cmd::Membership { group, join, reply })?;
        rx.await.map_err(|_| driver_gone())?
    }

    /// What the protocol core set aside so far (foreign datagrams, stray replies, notifications).
    pub async fn counters(&self) -> Result<Counters, Error> {
        let (reply, rx) = oneshot::channel();
        self.command(Cmd::Counters(reply))?;
        rx.await.map_err(|_| driver_gone())
    }
}

/// A dump in progress ([`AsyncSocket::dump`]). Dropping it abandons the dump; the driver reads
/// the rest of its answer before the next dump starts.
#[derive(Debug)]
pub struct AsyncDump {
    rx: mpsc::UnboundedReceiver<Result<Item, Error>>,
    end: Option<DumpEnd>,
    failed: Option<Error>,
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Item")
    }
}

impl AsyncDump {
    /// The next chunk of messages (or a restart); `Ok(None)` once the dump has ended
    /// ([`end`](Self::end) says how).
    pub async fn next(&mut self) -> Result<Option<DumpItem>, Error> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.end.is_some() {
            return Ok(None);
        }
        match self.rx.recv().await {
            Some(Ok(Item::Chunk(c))) => Ok(Some(DumpItem::Messages(c))),
            Some(Ok(Item::Restarted)) => Ok(Some(DumpItem::Restarted)),
            Some(Ok(Item::End(e))) => {
                self.end = Some(e);
                Ok(None)
            }
            Some(Err(e)) => Err(e),
            None => Err(driver_gone()),
        }
    }

    /// How the dump ended, once [`next`](Self::next) returned `Ok(None)`:
    /// [`DumpEnd::Inconsistent`] when every attempt was interrupted (the chunks since the last
    /// [`DumpItem::Restarted`] are one complete attempt that may mix states).
    pub fn end(&self) -> Option<DumpEnd> {
        self.end
    }

    /// Hands every message (and restart) to `f`, as views into the kept datagrams, the way the
    /// blocking [`Socket::dump_with_end`] does. An error from `f` abandons the dump (the socket
    /// stays usable) and is returned.
    pub async fn for_each(
        mut self,
        mut f: impl FnMut(DumpEvent<'_>) -> Result<(), Error>,
    ) -> Result<DumpEnd, Error> {
        while let Some(item) = self.next().await? {
            match item {
                DumpItem::Messages(c) => {
                    for m in c.messages() {
                        f(DumpEvent::Message(m))?;
                    }
                }
                DumpItem::Restarted => f(DumpEvent::Restarted)?,
            }
        }
        Ok(self.end.unwrap_or(DumpEnd::Complete))
    }
}

/// A request waiting for its answer.
struct Waiter {
    ex: Exchange,
    /// The framed request (to name the attribute a kernel error points at).
    tx: Vec<u8>,
    got: Vec<Chunk>,
    reply: Reply<Vec<Chunk>>,
}

/// The one dump the kernel runs on this socket.
struct ActiveDump {
    run: DumpRun,
    tx: Vec<u8>,
    out: mpsc::UnboundedSender<Result<Item, Error>>,
    restart_at: Option<Instant>,
}

struct QueuedDump {
    msg_type: u16,
    body: Vec<u8>,
    out: mpsc::UnboundedSender<Result<Item, Error>>,
}

/// The task that owns the socket and its protocol state.
struct Driver {
    fd: AsyncFd<Socket>,
    st: State,
}

/// Everything the driver keeps besides the socket (split so that both can be borrowed).
struct State {
    cmds: mpsc::UnboundedReceiver<Cmd>,
    /// Every handle is gone: finish what is in flight, then stop.
    closed: bool,
    waiting: HashMap<u32, Waiter>,
    dump: Option<ActiveDump>,
    queued: VecDeque<QueuedDump>,
    events: VecDeque<Reply<Notification>>,
}

/// The positions in `datagram` of the messages an exchange accepted.
fn range_of(datagram: &[u8], m: &Message<'_>) -> Range<usize> {
    let base = datagram.as_ptr().addr();
    let start = std::ptr::from_ref(m.header).addr() - base;
    start..start + proto::NLMSG_HDRLEN + m.payload.len()
}

/// How many datagrams are read per wake-up before the driver yields (to commands, and to the
/// tasks waiting for what it read).
const READ_BUDGET: usize = 8;

impl Driver {
    async fn run(mut self) {
        let Driver { fd, st } = &mut self;
        loop {
            // Every handle is gone and nothing waits: a dump still queued (behind an abandoned
            // one being settled) keeps the driver alive, since its reader holds no handle.
            if st.closed
                && st.waiting.is_empty()
                && st.dump.is_none()
                && st.queued.iter().all(|q| q.out.is_closed())
            {
                return;
            }
            let restart_at = st.dump.as_ref().and_then(|d| d.restart_at);
            let mut busy = false;
            tokio::select! {
                cmd = st.cmds.recv(), if !st.closed => match cmd {
                    Some(c) => st.command(fd.get_mut(), c),
                    None => st.closed = true,
                },
                ready = fd.readable_mut() => match ready {
                    Ok(mut guard) => {
                        busy = true;
                        for _ in 0..READ_BUDGET {
                            let got = guard.try_io(|s| {
                                match s.get_mut().recv_with(RecvFlags::DONTWAIT) {
                                    Err(Error::Io { source, .. })
                                        if source.kind() == std::io::ErrorKind::WouldBlock =>
                                    {
                                        Err(source)
                                    }
                                    r => Ok(r),
                                }
                            });
                            match got {
                                Err(_would_block) => {
                                    busy = false;
                                    break;
                                }
                                Ok(Ok(Ok((n, from)))) => {
                                    st.datagram(guard.get_inner_mut(), n, from)
                                }
                                Ok(Ok(Err(Error::NoBufs))) => {
                                    trace::debug!("receive queue overflowed (ENOBUFS)");
                                    guard.get_inner_mut().proto.note_overrun();
                                }
                                Ok(Ok(Err(e))) => {
                                    trace::debug!(error = %e, "receive failed");
                                    st.fail_all(&e);
                                    break;
                                }
                                Ok(Err(e)) => {
                                    let e = Error::io("recv", e);
                                    st.fail_all(&e);
                                    break;
                                }
                            }
                        }
                        st.serve_events(guard.get_inner_mut());
                    }
                    Err(e) => {
                        st.fail_all(&Error::io("poll", e));
                        return;
                    }
                },
                _ = tokio::time::sleep_until(restart_at.unwrap_or_else(Instant::now)),
                    if restart_at.is_some() => st.restart_dump(fd.get_mut()),
            }
            if busy {
                // More datagrams are queued: let the tasks they went to run first, so that a
                // dump's chunks are parsed as they come instead of piling up in memory.
                tokio::task::yield_now().await;
            }
        }
    }
}

impl State {
    fn command(&mut self, s: &mut Socket, c: Cmd) {
        match c {
            Cmd::Transact {
                msg_type,
                flags: fl,
                body,
                reply,
            } => self.transact(s, msg_type, fl, body, reply),
            Cmd::Dump {
                msg_type,
                body,
                out,
            } => {
                self.queued.push_back(QueuedDump {
                    msg_type,
                    body,
                    out,
                });
                self.start_next_dump(s);
            }
            Cmd::Event(reply) => {
                self.events.push_back(reply);
                self.serve_events(s);
            }
            Cmd::Membership { group, join, reply } => {
                let r = if join {
                    s.add_membership(group)
                } else {
                    s.drop_membership(group)
                };
                let _ = reply.send(r);
            }
            Cmd::Counters(reply) => {
                let _ = reply.send(s.counters());
            }
        }
    }

    fn transact(
        &mut self,
        s: &mut Socket,
        msg_type: u16,
        fl: u16,
        body: Vec<u8>,
        reply: Reply<Vec<Chunk>>,
    ) {
        if fl & flags::DUMP == flags::DUMP {
            let _ = reply.send(Err(crate::ArgError::new(
                "flags",
                "NLM_F_DUMP: dumps go through AsyncSocket::dump",
            )
            .into()));
            return;
        }
        let mut tx = Vec::with_capacity(body.len() + proto::NLMSG_HDRLEN);
        let framed = s
            .proto
            .request(&mut tx, msg_type, fl | flags::REQUEST | flags::ACK, |b| {
                b.extend_from_slice(&body);
                Ok(())
            })
            .and_then(|ex| s.send_raw(&tx).map(|()| ex));
        match framed {
            Ok(ex) => {
                trace::debug!(
                    request = crate::spec::msg_type_name(msg_type),
                    seq = ex.seq(),
                    "async request"
                );
                self.waiting.insert(
                    ex.seq(),
                    Waiter {
                        ex,
                        tx,
                        got: Vec::new(),
                        reply,
                    },
                );
            }
            Err(e) => {
                let _ = reply.send(Err(e));
            }
        }
    }

    fn restart_dump(&mut self, s: &mut Socket) {
        let Some(mut d) = self.dump.take() else {
            return;
        };
        d.restart_at = None;
        if d.out.is_closed() {
            // Abandoned between attempts: the last attempt had ended, nothing is in flight.
            self.start_next_dump(s);
            return;
        }
        d.run.restart(&mut s.proto, &mut d.tx);
        trace::debug!(attempt = d.run.attempt(), "async dump restarting");
        match s.send_raw(&d.tx) {
            Ok(()) => self.dump = Some(d),
            Err(e) => {
                let _ = d.out.send(Err(e));
                self.start_next_dump(s);
            }
        }
    }

    /// One received datagram: judged by the core, then routed by sequence number.
    fn datagram(&mut self, s: &mut Socket, n: usize, from: Sender) {
        let dg = &s.rx[..n];
        let seq = proto::reply_seq(dg);
        let origin = match seq.and_then(|q| self.waiting.get(&q)) {
            Some(w) => s.proto.classify_for(&w.ex, from, dg),
            None => s.proto.classify(from, dg),
        };
        if origin != Origin::Reply {
            return;
        }
        let dump_seq = self.dump.as_ref().map(|d| d.run.exchange().seq());
        match seq {
            Some(q) if self.waiting.contains_key(&q) => self.feed_waiter(s, q, n),
            Some(q) if dump_seq == Some(q) => self.feed_dump(s, n),
            _ if s.proto.is_unsettled() => {
                if s.proto.settle(dg) {
                    trace::debug!("abandoned dump settled");
                    self.start_next_dump(s);
                }
            }
            _ => s.proto.count_unclaimed(dg),
        }
    }

    /// Starts the next queued dump when none runs and no abandoned one is still answering.
    fn start_next_dump(&mut self, s: &mut Socket) {
        if self.dump.is_some() || s.proto.is_unsettled() {
            return;
        }
        while let Some(q) = self.queued.pop_front() {
            if q.out.is_closed() {
                continue;
            }
            let mut tx = Vec::with_capacity(q.body.len() + proto::NLMSG_HDRLEN);
            let started = s
                .proto
                .dump(&mut tx, q.msg_type, |b| {
                    b.extend_from_slice(&q.body);
                    Ok(())
                })
                .and_then(|run| s.send_raw(&tx).map(|()| run));
            match started {
                Ok(run) => {
                    self.dump = Some(ActiveDump {
                        run,
                        tx,
                        out: q.out,
                        restart_at: None,
                    });
                    return;
                }
                Err(e) => {
                    let _ = q.out.send(Err(e));
                }
            }
        }
    }

    fn feed_waiter(&mut self, s: &mut Socket, seq: u32, n: usize) {
        let dg = &s.rx[..n];
        let Some(w) = self.waiting.get_mut(&seq) else {
            return;
        };
        let mut msgs = Vec::new();
        let st = w.ex.feed(dg, |m| {
            msgs.push(range_of(dg, &m));
            Ok(())
        });
        if !msgs.is_empty() && !w.reply.is_closed() {
            w.got.push(Chunk {
                bytes: dg.to_vec(),
                msgs,
            });
        }
        if let Ok(Status::Pending) = st {
            return;
        }
        let Some(mut w) = self.waiting.remove(&seq) else {
            return;
        };
        s.proto.count_stray(&w.ex);
        let r = match st {
            Ok(_) => Ok(std::mem::take(&mut w.got)),
            Err(mut e) => {
                if let Error::Kernel(k) = &mut e {
                    crate::locate::name_bad_attr(k, &w.tx);
                }
                // An answer left unfinished by a decode error: its late messages are counted
                // as unclaimed strays (a non-dump answer cannot make the next dump EBUSY).
                Err(e)
            }
        };
        let _ = w.reply.send(r);
    }

    fn feed_dump(&mut self, s: &mut Socket, n: usize) {
        let dg = &s.rx[..n];
        let Some(d) = self.dump.as_mut() else {
            return;
        };
        if d.out.is_closed() {
            // The consumer dropped the dump: the core follows the rest of the answer.
            trace::debug!(seq = d.run.exchange().seq(), "async dump abandoned");
            s.proto.abandon(d.run.exchange());
            self.dump = None;
            if s.proto.settle(dg) {
                self.start_next_dump(s);
            }
            return;
        }
        let mut msgs = Vec::new();
        let step = d.run.feed(dg, |m| {
            msgs.push(range_of(dg, &m));
            Ok(())
        });
        if !msgs.is_empty() {
            let _ = d.out.send(Ok(Item::Chunk(Chunk {
                bytes: dg.to_vec(),
                msgs,
            })));
        }
        let end = match step {
            Ok(DumpStep::Pending) => return,
            Ok(DumpStep::Restart { after }) => {
                trace::debug!(?after, "async dump interrupted (NLM_F_DUMP_INTR)");
                s.proto.count_stray(d.run.exchange());
                let _ = d.out.send(Ok(Item::Restarted));
                d.restart_at = Some(Instant::now() + after);
                return;
            }
            Ok(DumpStep::Inconsistent { attempts }) => {
                Ok(Item::End(DumpEnd::Inconsistent { attempts }))
            }
            Ok(_) => Ok(Item::End(DumpEnd::Complete)),
            Err(mut e) => {
                if !d.run.is_finished() {
                    s.proto.abandon(d.run.exchange());
                }
                if let Error::Kernel(k) = &mut e {
                    crate::locate::name_bad_attr(k, &d.tx);
                }
                Err(e)
            }
        };
        if end.is_ok() {
            s.proto.count_stray(d.run.exchange());
        }
        let _ = d.out.send(end);
        self.dump = None;
        self.start_next_dump(s);
    }

    /// Hands kept notifications to the event readers still waiting, in order.
    fn serve_events(&mut self, s: &mut Socket) {
        while let Some(reader) = self.events.pop_front() {
            if reader.is_closed() {
                continue; // a dropped read takes nothing
            }
            match s.proto.take_notification() {
                Some(n) => {
                    let _ = reader.send(n);
                }
                None => {
                    self.events.push_front(reader);
                    return;
                }
            }
        }
    }

    /// A receive error the socket cannot recover from: every waiter gets it.
    fn fail_all(&mut self, e: &Error) {
        let again = |e: &Error| match e {
            Error::Io { call, source } => Error::io(
                call.clone(),
                std::io::Error::new(source.kind(), source.to_string()),
            ),
            e => Error::io("recv", std::io::Error::other(e.to_string())),
        };
        for (_, w) in self.waiting.drain() {
            let _ = w.reply.send(Err(again(e)));
        }
        if let Some(d) = self.dump.take() {
            let _ = d.out.send(Err(again(e)));
        }
    }
}
