//! [`AsyncIPRoute`] (feature `tokio`): [`IPRoute`](crate::IPRoute)'s commands on tokio.
//!
//! # What it is for
//! Driving many sockets, or many requests on one socket, from one runtime: every command is a
//! future, dumps are read with `next().await`, events with [`AsyncEvents::next`]. The handle
//! is `Clone + Send + Sync`: clone it into as many tasks as you like; their requests share one
//! socket and are matched to their answers by sequence number in
//! [`rtnl_core::asocket`]'s driver task (see there for the design and for cancellation).
//!
//! # What it must never do
//! Build a request or follow an answer differently from [`IPRoute`](crate::IPRoute): requests
//! come from [`crate::request`] (keywords, pyroute2's defaults) and the same dump queries;
//! answers are followed by [`rtnl_core::proto`] through the async socket. Only the waiting is
//! async.
//!
//! # Dumps
//! An [`AsyncDump`] hands out owned messages ([`AsyncDump::next`]: one copy per message, to
//! keep or to move between tasks) or zero-copy views ([`AsyncDump::for_each`]: each view
//! borrows the datagram the driver received, one copy per datagram, none per message). As with
//! the blocking [`Dump`](crate::Dump), dumps are all-or-nothing: when the kernel interrupts a
//! dump (`NLM_F_DUMP_INTR`), [`collect`](AsyncDump::collect) and [`count`](AsyncDump::count)
//! start again from empty; `next` and `for_each` give [`Error::DumpInterrupted`] once messages
//! were handed out, unless [`on_restart`](AsyncDump::on_restart) says how to start over.
//! Dropping an `AsyncDump` mid-way abandons the dump; the socket stays usable.
//!
//! # Names
//! Interface names in keyword arguments (`ifname`, `master`, `oif` ...) are resolved with a
//! `RTM_GETLINK` on the same socket before the request is built: the request builders are
//! synchronous, so the request is built once to learn the names it needs, the names are looked
//! up, and it is built again with them.
//!
//! ```no_run
//! use rtnl_api::{AsyncIPRoute, RouteFilter, kw};
//! # async fn run() -> rtnl_api::Result<()> {
//! let ipr = AsyncIPRoute::new()?; // inside a tokio runtime
//! ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" }).await?;
//! ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" }).await?;
//! ipr.link("set", kw! { ifname: "v0", state: "up" }).await?;
//! let mut routes = ipr.get_routes(RouteFilter::new().table(254));
//! while let Some(r) = routes.next().await {
//!     let r = r?;
//!     println!("{:?} dev {:?}", r.view().dst()?, r.view().oif()?);
//! }
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::ops::ControlFlow;

use rtnl_core::asocket::{self, AsyncSocket, Chunk, DumpItem};
use rtnl_core::generated::*;
use rtnl_core::netns::Netns;
use rtnl_core::proto::flags as nlm;
use rtnl_core::socket::{DumpEnd, SocketConfig};
use rtnl_core::spec::Command;
use rtnl_core::{ArgError, Error, Result};

use crate::args::Args;
use crate::dump::{Addrs, Family, Links, Routes, Rules};
use crate::events::{self, Event};
use crate::iproute::{
    AddrFilter, IPRoute, LinkFilter, RouteFilter, addr_query, links_query, routes_query,
    rules_query,
};
use crate::request::{self, Resolve};

/// pyroute2's `AsyncIPRoute`: the commands of [`IPRoute`] as futures over one async socket.
///
/// Open it inside a tokio runtime; clone it to share the socket between tasks.
///
/// ```no_run
/// use rtnl_api::{AsyncIPRoute, Netns, kw};
/// # async fn run() -> rtnl_api::Result<()> {
/// let ipr = AsyncIPRoute::in_netns(Netns::Name("blue".into())).await?;
/// let (a, b) = tokio::join!(
///     ipr.route("add", kw! { dst: "10.1.0.0/24", gateway: "10.0.0.2" }),
///     ipr.route("add", kw! { dst: "10.2.0.0/24", gateway: "10.0.0.2" }),
/// );
/// a?;
/// b?;
/// println!("{} links", ipr.get_links(()).count().await?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AsyncIPRoute {
    sock: AsyncSocket,
    target: Option<String>,
}

impl AsyncIPRoute {
    /// A socket in the calling thread's network namespace (inside a tokio runtime).
    pub fn new() -> Result<Self> {
        Ok(AsyncIPRoute::from_socket(AsyncSocket::new()?))
    }

    /// A socket in `ns` (a name, path, descriptor or pid).
    pub async fn in_netns(ns: impl Into<Netns>) -> Result<Self> {
        Self::open_in(ns, SocketConfig::default()).await
    }

    /// A socket in `ns` configured by `cfg`. For every other option (groups, target, netns
    /// creation flags) use [`IPRoute::options`]`.open_async()`.
    pub async fn open_in(ns: impl Into<Netns>, cfg: SocketConfig) -> Result<Self> {
        Ok(AsyncIPRoute::from_socket(
            AsyncSocket::open_in(ns.into(), cfg).await?,
        ))
    }

    /// Wraps an async socket.
    pub fn from_socket(sock: AsyncSocket) -> Self {
        AsyncIPRoute { sock, target: None }
    }

    /// Moves an opened [`IPRoute`] (its socket, joined groups and target) onto the runtime.
    /// `nlm_echo` is not carried over: the async commands do not hand back echoes (yet).
    pub fn from_iproute(ipr: IPRoute) -> Result<Self> {
        Ok(AsyncIPRoute {
            sock: AsyncSocket::from_socket(ipr.sock)?,
            target: ipr.target,
        })
    }

    /// The async socket (raw requests, dumps and memberships).
    pub fn socket(&self) -> &AsyncSocket {
        &self.sock
    }

    /// Builds a write command with `build` (names resolved on this socket first) and sends it.
    async fn send(
        &self,
        build: impl Fn(&mut Vec<u8>, &mut dyn Resolve) -> Result<Command>,
    ) -> Result<()> {
        let mut names = Names::default();
        let mut body = Vec::with_capacity(256);
        let mut c = build(&mut body, &mut names);
        if !names.asked.is_empty() {
            for name in std::mem::take(&mut names.asked) {
                let index = self.ifindex(&name).await?;
                names.known.insert(name, index);
            }
            body.clear();
            c = build(&mut body, &mut names);
        }
        let c = c?;
        // `names` (and the namespace files it holds) lives until the request is answered.
        let r = self.sock.request(c.msg_type, c.flags, body).await;
        drop(names);
        r
    }

    /// The index of the interface called `name`, if there is one.
    async fn ifindex(&self, name: &str) -> Result<Option<u32>> {
        let found = self
            .get_links(LinkFilter::new().ifname(name))
            .fold(Vec::new, |v, l| {
                v.push(l.header().index() as u32);
                Ok(())
            })
            .await?;
        Ok(found.first().copied())
    }

    /// `link(cmd, kw)`: add, set, del ... links. See [`request::link`] for the keywords.
    pub async fn link(&self, cmd: &str, args: Args) -> Result<()> {
        self.send(|b, r| request::link(b, cmd, &args, r)).await
    }

    /// `addr(cmd, kw)`: add, del, replace addresses. See [`request::addr`].
    pub async fn addr(&self, cmd: &str, args: Args) -> Result<()> {
        self.send(|b, r| request::addr(b, cmd, &args, r)).await
    }

    /// `route(cmd, kw)`: add, del, replace, change, append routes. See [`request::route`].
    pub async fn route(&self, cmd: &str, args: Args) -> Result<()> {
        self.send(|b, r| request::route(b, cmd, &args, r)).await
    }

    /// `rule(cmd, kw)`: add, del policy rules. See [`request::rule`].
    pub async fn rule(&self, cmd: &str, args: Args) -> Result<()> {
        self.send(|b, r| request::rule(b, cmd, &args, r)).await
    }

    /// Links; `ifname`/`index` filters are a single kernel `get`, `kind`/`master` go to the
    /// kernel's dump filter (the same requests as [`IPRoute::get_links`]).
    pub fn get_links(&self, f: impl Into<LinkFilter>) -> AsyncDump<Links> {
        let (body, single) = links_query(&f.into());
        AsyncDump::new(&self.sock, RTM_GETLINK, RTM_NEWLINK, body, single)
    }

    /// Addresses; `family` and `index` go to the kernel.
    pub fn get_addr(&self, f: impl Into<AddrFilter>) -> AsyncDump<Addrs> {
        AsyncDump::new(
            &self.sock,
            RTM_GETADDR,
            RTM_NEWADDR,
            addr_query(&f.into()),
            false,
        )
    }

    /// Routes; `family`, `table`, `oif`, `protocol` and `type` go to the kernel.
    pub fn get_routes(&self, f: impl Into<RouteFilter>) -> AsyncDump<Routes> {
        let f = f.into();
        let d = AsyncDump::new(
            &self.sock,
            RTM_GETROUTE,
            RTM_NEWROUTE,
            routes_query(&f),
            false,
        );
        match f.default_only {
            true => d.filter(|r: &RouteMsg<'_>| r.header().dst_len() == 0),
            false => d,
        }
    }

    /// Policy rules of `family` (0 = all).
    pub fn get_rules(&self, family: u8) -> AsyncDump<Rules> {
        AsyncDump::new(
            &self.sock,
            RTM_GETRULE,
            RTM_NEWRULE,
            rules_query(family),
            false,
        )
    }

    /// The indexes of the links called `ifname`.
    pub async fn link_lookup(&self, ifname: &str) -> Result<Vec<u32>> {
        Ok(self.ifindex(ifname).await?.into_iter().collect())
    }

    /// Joins multicast groups by name (empty: [`events::DEFAULT_GROUPS`]), as
    /// [`IPRoute::bind`] does; [`events`](Self::events) then reads their notifications.
    pub async fn bind(&self, groups: &[&str]) -> Result<()> {
        let names = if groups.is_empty() {
            events::DEFAULT_GROUPS
        } else {
            groups
        };
        for name in names {
            self.sock.add_membership(events::group(name)?).await?;
        }
        Ok(())
    }

    /// The notifications of the joined groups, in order.
    pub fn events(&self) -> AsyncEvents {
        AsyncEvents {
            sock: self.sock.clone(),
            target: self.target.clone(),
        }
    }
}

/// Names a request needs: learnt on a first build, then looked up, then used on the second.
#[derive(Default)]
struct Names {
    asked: Vec<String>,
    known: HashMap<String, Option<u32>>,
    /// Namespace files a request names by fd (`net_ns_fd="ns1"`), open until it is sent.
    held: Vec<std::fs::File>,
}

impl Resolve for Names {
    fn ifindex(&mut self, name: &str) -> Result<u32> {
        match self.known.get(name) {
            Some(Some(i)) => Ok(*i),
            Some(None) => Err(ArgError::new(name, format!("no such interface {name:?}")).into()),
            None => {
                self.asked.push(name.to_string());
                Ok(0) // a placeholder: this build is thrown away
            }
        }
    }

    fn netns_fd(&mut self, k: &str, ns: &str) -> Result<i32> {
        use std::os::fd::AsRawFd;
        let f = request::open_netns(k, ns)?;
        let fd = f.as_raw_fd();
        self.held.push(f);
        Ok(fd)
    }
}

type Pred<F> = Box<dyn for<'a> Fn(&<F as Family>::View<'a>) -> bool + Send + Sync>;

enum Source {
    Dump(asocket::AsyncDump),
    /// A single `get`, not sent yet.
    Get {
        sock: AsyncSocket,
        msg_type: u16,
        body: Vec<u8>,
    },
    /// The answer of a `get`.
    Got(VecDeque<Chunk>),
}

/// A dump (or single `get`) of family `F` ([`AsyncIPRoute::get_links`] ...).
///
/// The dump request goes when the `AsyncDump` is made (a `get`: on the first read).
pub struct AsyncDump<F: Family> {
    src: Source,
    reply_type: u16,
    preds: Vec<Pred<F>>,
    on_restart: Option<Box<dyn FnMut() + Send>>,
    keep_inconsistent: bool,
    /// Owned messages received but not handed out yet ([`next`](Self::next)).
    ready: VecDeque<F::Owned>,
    /// Messages of the current attempt were handed out.
    handed_out: bool,
    done: bool,
}

impl<F: Family> std::fmt::Debug for AsyncDump<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncDump")
            .field("reply_type", &self.reply_type)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<F: Family> AsyncDump<F> {
    fn new(
        sock: &AsyncSocket,
        msg_type: u16,
        reply_type: u16,
        body: Vec<u8>,
        single: bool,
    ) -> Self {
        let src = if single {
            Source::Get {
                sock: sock.clone(),
                msg_type,
                body,
            }
        } else {
            Source::Dump(sock.dump(msg_type, body))
        };
        AsyncDump {
            src,
            reply_type,
            preds: Vec::new(),
            on_restart: None,
            keep_inconsistent: false,
            ready: VecDeque::new(),
            handed_out: false,
            done: false,
        }
    }

    /// Keeps only the messages `pred` accepts (a userspace filter).
    pub fn filter(
        mut self,
        pred: impl for<'a> Fn(&F::View<'a>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.preds.push(Box::new(pred));
        self
    }

    /// Called when an interrupted dump starts over: the messages handed out so far are void.
    pub fn on_restart(mut self, f: impl FnMut() + Send + 'static) -> Self {
        self.on_restart = Some(Box::new(f));
        self
    }

    /// Accepts a dump whose every attempt was interrupted (the last attempt, complete but
    /// possibly mixing states); without it such a dump is [`Error::DumpInterrupted`].
    pub fn keep_inconsistent(mut self) -> Self {
        self.keep_inconsistent = true;
        self
    }

    /// The next chunk of the answer; `Ok(None)` at its end.
    async fn next_item(&mut self) -> Result<Option<DumpItem>> {
        if self.done {
            return Ok(None);
        }
        loop {
            match &mut self.src {
                Source::Dump(d) => {
                    let item = d.next().await.inspect_err(|_| self.done = true)?;
                    if item.is_none() {
                        self.done = true;
                        if let Some(DumpEnd::Inconsistent { attempts }) = d.end()
                            && !self.keep_inconsistent
                        {
                            return Err(Error::DumpInterrupted { attempts });
                        }
                    }
                    return Ok(item);
                }
                Source::Get {
                    sock,
                    msg_type,
                    body,
                } => {
                    let r = sock
                        .transact(*msg_type, nlm::REQUEST | nlm::ACK, std::mem::take(body))
                        .await;
                    self.src = Source::Got(match r {
                        Ok(chunks) => chunks.into(),
                        // A get for something that does not exist is an empty answer.
                        Err(Error::Kernel(k)) if matches!(k.errno, 19 | 2 | 3) => VecDeque::new(),
                        Err(e) => {
                            self.done = true;
                            return Err(e);
                        }
                    });
                }
                Source::Got(q) => {
                    let c = q.pop_front();
                    self.done = c.is_none();
                    return Ok(c.map(DumpItem::Messages));
                }
            }
        }
    }

    /// A restart: the caller's handler, or an error when messages were already handed out.
    fn restarted(&mut self) -> Result<()> {
        self.ready.clear();
        match self.on_restart.as_mut() {
            Some(h) => h(),
            None if self.handed_out => return Err(Error::DumpInterrupted { attempts: 1 }),
            None => {}
        }
        self.handed_out = false;
        Ok(())
    }

    fn each_view(&self, c: &Chunk, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        for m in c.messages() {
            if m.msg_type() != self.reply_type {
                continue;
            }
            let v = F::parse(m.payload)?;
            if self.preds.iter().all(|p| p(&v)) {
                f(v)?;
            }
        }
        Ok(())
    }

    /// The dump as a `futures::Stream` of owned messages (what `StreamExt` combinators and
    /// `while let Some(x) = s.next().await` loops take).
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::aio::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use futures_util::StreamExt;
    /// let links: Vec<_> = ipr.get_links(()).into_stream().collect().await;
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<F::Owned>> + Send
    where
        F::Owned: Send,
    {
        futures_util::stream::unfold(self, |mut d| async move {
            let item = d.next().await?;
            Some((item, d))
        })
    }

    /// The next matching message, owned; `None` at the end of the dump.
    pub async fn next(&mut self) -> Option<Result<F::Owned>> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                self.handed_out = true;
                return Some(Ok(m));
            }
            match self.next_item().await {
                Ok(None) => return None,
                Ok(Some(DumpItem::Messages(c))) => {
                    let mut ready = std::mem::take(&mut self.ready);
                    let r = self.each_view(&c, |v| {
                        ready.push_back(F::to_owned(&v));
                        Ok(())
                    });
                    self.ready = ready;
                    if let Err(e) = r {
                        return Some(Err(e));
                    }
                }
                Ok(Some(DumpItem::Restarted)) => {
                    if let Err(e) = self.restarted() {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
                Ok(Some(_)) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }

    /// Streams every matching message to `f` as a zero-copy view. An error from `f` stops the
    /// dump (it is abandoned; the socket stays usable) and is returned.
    pub async fn for_each(mut self, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        while let Some(item) = self.next_item().await? {
            match item {
                DumpItem::Messages(c) => {
                    self.each_view(&c, &mut f)?;
                    self.handed_out = true;
                }
                DumpItem::Restarted => self.restarted()?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Folds every matching message into a state that starts again from `init()` whenever
    /// the dump restarts, so the result holds exactly one complete attempt.
    pub async fn fold<S>(
        mut self,
        init: impl Fn() -> S,
        mut f: impl FnMut(&mut S, F::View<'_>) -> Result<()>,
    ) -> Result<S> {
        let mut state = init();
        while let Some(item) = self.next_item().await? {
            match item {
                DumpItem::Messages(c) => self.each_view(&c, |v| f(&mut state, v))?,
                DumpItem::Restarted => {
                    if let Some(h) = self.on_restart.as_mut() {
                        h();
                    }
                    state = init();
                }
                _ => {}
            }
        }
        Ok(state)
    }

    /// Owned copies of every matching message (of one complete attempt).
    pub async fn collect(self) -> Result<Vec<F::Owned>> {
        self.fold(Vec::new, |out, v| {
            out.push(F::to_owned(&v));
            Ok(())
        })
        .await
    }

    /// The number of matching messages (of one complete attempt).
    pub async fn count(self) -> Result<usize> {
        self.fold(
            || 0,
            |n, _| {
                *n += 1;
                Ok(())
            },
        )
        .await
    }
}

/// The notifications of an [`AsyncIPRoute`]'s joined groups ([`AsyncIPRoute::events`]).
///
/// An overflow (the kernel's queue or the core's backlog) is [`Event::Overrun`]: events were
/// lost, resynchronise with a dump. (The blocking reader's resync mode is not offered here.)
#[derive(Debug, Clone)]
pub struct AsyncEvents {
    sock: AsyncSocket,
    target: Option<String>,
}

impl AsyncEvents {
    /// Waits for the next notification datagram and hands each of its events to `f` (views
    /// into the datagram). Dropping the future before a notification arrived takes none.
    pub async fn next(&mut self, mut f: impl FnMut(Event<'_>) -> Result<()>) -> Result<()> {
        let n = match self.sock.next_event().await {
            Ok(n) => n,
            Err(Error::NoBufs) => return f(Event::Overrun),
            Err(e) => return Err(e),
        };
        let target = self.target.as_deref();
        for ev in rtnl_core::proto::messages(&n.bytes) {
            if let Some(e) = events::to_event(ev?, n.nsid, target)? {
                f(e)?;
            }
        }
        Ok(())
    }

    /// Hands every event to `f` until it returns `ControlFlow::Break`.
    pub async fn for_each(
        &mut self,
        mut f: impl FnMut(Event<'_>) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        loop {
            let mut flow = ControlFlow::Continue(());
            self.next(|e| {
                if flow.is_continue() {
                    flow = f(e)?;
                }
                Ok(())
            })
            .await?;
            if flow.is_break() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    /// Handles, dumps, event readers and every command's future can move between threads
    /// (`tokio::spawn` on a multi-thread runtime); checked at compile time.
    #[allow(dead_code)]
    fn futures_are_send(ipr: AsyncIPRoute, mut ev: AsyncEvents) {
        fn send<T: Send>(_: T) {}
        fn shared<T: Send + Sync + Clone>(_: &T) {}
        shared(&ipr);
        send(ipr.link("add", kw! { ifname: "x" }));
        send(ipr.get_routes(()).next());
        send(ipr.get_links(()).for_each(|_| Ok(())));
        send(ipr.get_rules(2).collect());
        send(ipr.bind(&["link"]));
        send(ev.next(|_| Ok(())));
    }

    /// The two-pass build (names learnt, looked up, then used) gives the bytes a build with the
    /// index gives, and an unknown name is the blocking API's error.
    #[test]
    fn names_are_learnt_then_resolved_into_the_same_request() {
        let args = kw! { dst: "10.1.0.0/24", oif: "v0", gateway: "10.0.0.2" };
        let mut names = Names::default();
        let mut first = Vec::new();
        request::route(&mut first, "add", &args, &mut names).unwrap();
        assert_eq!(names.asked, ["v0"]);
        names.known.insert("v0".into(), Some(7));
        let mut second = Vec::new();
        request::route(&mut second, "add", &args, &mut names).unwrap();
        let mut by_index = Vec::new();
        let direct = kw! { dst: "10.1.0.0/24", oif: 7, gateway: "10.0.0.2" };
        request::route(
            &mut by_index,
            "add",
            &direct,
            &mut crate::request::NoResolve,
        )
        .unwrap();
        assert_eq!(second, by_index);

        names.known.insert("v9".into(), None);
        let err = request::route(
            &mut Vec::new(),
            "add",
            &kw! { dst: "10.1.0.0/24", oif: "v9" },
            &mut names,
        )
        .expect_err("unknown name");
        assert!(
            err.to_string().contains("no such interface \"v9\""),
            "{err}"
        );
    }
}
