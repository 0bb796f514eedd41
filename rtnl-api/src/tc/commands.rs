//! `tc(cmd, kind, index, handle, kw)` on [`IPRoute`] and [`IPBatch`]: the request is
//! `request::tc`'s; here it is sent (writes wait for the ACK; `get*` and `dump*` return the
//! kernel's answer as owned messages) or compiled into a batch.

use rtnl_core::generated::*;
use rtnl_core::{ArgError, Result};

use crate::args::{Args, Value};
use crate::request::NoResolve;
use crate::request::tc::{TcEnv, tc};
use crate::tc::TcHandle;
use crate::tc::units::Psched;
use crate::{Dump, IPBatch, IPRoute};

/// The reply type of a get or dump request type.
fn reply_type(get: u16) -> u16 {
    get - 2
}

impl IPRoute {
    /// `tc(cmd, kind, index, handle, kw)`, pyroute2's words: qdiscs (add, del, change,
    /// replace, get, dump), classes (add-class ... dump-class), filters (add-filter ...
    /// dump-filter). Writes return an empty list; `get*` and `dump*` return what the kernel
    /// answered. See [`request::tc::tc`](crate::request::tc::tc) for the keywords.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// let idx = 2;
    /// ipr.tc("add", "htb", idx, "1:", kw! { default: "10" })?;
    /// ipr.tc("add-class", "htb", idx, "1:10", kw! { parent: "1:", rate: "5mbit", ceil: "10mbit" })?;
    /// ipr.tc("add-filter", "u32", idx, 0, kw! {
    ///     parent: "1:", prio: 1, protocol: "ip",
    ///     r#match: vec![rtnl_api::Value::from("ip dport 80 0xffff")], flowid: "1:10",
    /// })?;
    /// let classes = ipr.tc("dump-class", "", idx, 0, kw! {})?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn tc(
        &mut self,
        cmd: &str,
        kind: &str,
        index: u32,
        handle: impl Into<Value>,
        args: Args,
    ) -> Result<Vec<TcOwned>> {
        let handle = handle.into();
        self.refuse_class_under_classless(cmd, index, &handle, &args)?;
        let link_mbit = if wants_speed(&args) {
            self.link_speed(index)?
        } else {
            None
        };
        let env = TcEnv {
            clock: Psched::read(),
            link_mbit,
        };
        let mut body = Vec::new();
        let c = tc(&mut body, cmd, kind, index, &handle, &args, self, &env)?;
        if ![RTM_GETQDISC, RTM_GETTCLASS, RTM_GETTFILTER, RTM_GETCHAIN].contains(&c.msg_type) {
            return match self.send(|b, _| {
                b.extend_from_slice(&body);
                Ok(c)
            }) {
                Ok(()) => Ok(Vec::new()),
                Err(e) => Err(name_the_kind(e, kind)),
            };
        }
        let reply = reply_type(c.msg_type);
        if c.flags & rtnl_core::proto::flags::DUMP != rtnl_core::proto::flags::DUMP {
            // A tc get is answered only to NLM_F_ECHO (the kernel "notifies" the asker, as tc
            // asks): the schema's get commands carry it.
            let mut out = Vec::new();
            self.sock.transact(
                c.msg_type,
                c.flags,
                |b| {
                    b.extend_from_slice(&body);
                    Ok(())
                },
                |m| {
                    // A chain get is answered with RTM_GETCHAIN itself (tc_ctl_chain).
                    if m.msg_type() == reply || m.msg_type() == RTM_GETCHAIN {
                        out.push(TcMsg::parse(m.payload)?.to_owned_msg());
                    }
                    Ok(())
                },
            )?;
            return Ok(out);
        }
        let d: Dump<'_, crate::dump::Tcs> = Dump::new(self, c.msg_type, reply, body, false);
        if c.msg_type == RTM_GETQDISC && index != 0 {
            // The kernel dumps every device's qdiscs: keep this one's.
            return d
                .filter(move |q| q.header().ifindex.get() as u32 == index)
                .collect();
        }
        d.collect()
    }
}

impl IPBatch {
    /// Appends a `tc` request (names cannot be resolved: pass indexes). A batch cannot ask
    /// the kernel which qdisc a class goes under, so a class under a classless qdisc is left
    /// to the kernel to refuse (`IPRoute::tc` refuses it before sending).
    pub fn tc(
        &mut self,
        cmd: &str,
        kind: &str,
        index: u32,
        handle: impl Into<Value>,
        args: Args,
    ) -> Result<()> {
        let handle = handle.into();
        // No kernel to ask which device `index` is: a rate in % of the link speed is refused.
        let env = TcEnv {
            clock: Psched::read(),
            link_mbit: None,
        };
        self.push(|b| tc(b, cmd, kind, index, &handle, &args, &mut NoResolve, &env))
    }
}

/// A kind the kernel does not know (no module: ENOENT, "Specified qdisc kind is unknown")
/// names the kind in the error.
fn name_the_kind(e: rtnl_core::Error, kind: &str) -> rtnl_core::Error {
    match e {
        rtnl_core::Error::Kernel(mut k) if k.errno == 2 && !kind.is_empty() => {
            let why = k.ext_ack.take().unwrap_or_else(|| "not found".into());
            k.ext_ack = Some(format!(
                "{why} (kind {kind:?}: is its module built and loaded?)"
            ));
            rtnl_core::Error::Kernel(k)
        }
        e => e,
    }
}

impl IPRoute {
    /// A class added (changed, replaced) under a classless qdisc (pfifo, tbf, fq_codel ...) is
    /// refused before anything is sent, naming the parent's kind: the qdisc whose handle is
    /// the class's major is looked up on the device. No such qdisc, or a kind the schema does
    /// not know, is left to the kernel. (`IPBatch` cannot ask, so it does not check.)
    fn refuse_class_under_classless(
        &mut self,
        cmd: &str,
        index: u32,
        handle: &Value,
        args: &Args,
    ) -> Result<()> {
        if !matches!(cmd, "add-class" | "change-class" | "replace-class") || index == 0 {
            return Ok(());
        }
        let (k, h) = match args.get("parent") {
            Some(p) => ("parent", TcHandle::from_value("parent", p)?),
            None => ("handle", TcHandle::from_value("handle", handle)?),
        };
        let major = h.0 & 0xffff_0000;
        if major == 0 || major == 0xffff_0000 {
            return Ok(());
        }
        let qdiscs = self.get_qdiscs(index)?.collect()?;
        let Some(q) = qdiscs
            .iter()
            .find(|q| q.view().header().handle.get() == major)
        else {
            return Ok(());
        };
        let kind = q.view().kind()?.unwrap_or("").to_string();
        let plugins: &'static [rtnl_core::spec::TcPluginSpec] = TC_PLUGINS;
        if crate::request::tc::plugin(&kind, "qdisc").is_ok_and(|p| !p.applies_to("class")) {
            let classful: Vec<&str> = plugins
                .iter()
                .filter(|p| p.applies_to("class") && p.applies_to("qdisc"))
                .map(|p| p.kind)
                .collect();
            return Err(ArgError::new(
                k,
                format!(
                    "{:x}: is a {kind} qdisc, which takes no classes (classful kinds: {})",
                    major >> 16,
                    classful.join(", ")
                ),
            )
            .into());
        }
        Ok(())
    }
}

/// Whether a keyword is given in % (of the link speed, for a rate).
fn wants_speed(args: &Args) -> bool {
    args.iter()
        .any(|(_, v)| matches!(v, Value::Str(s) if s.trim_end().ends_with('%')))
}

impl IPRoute {
    /// The speed of link `index` in Mbit/s, as tc reads it (/sys/class/net/DEV/speed), when
    /// sysfs shows this socket's device: the name the kernel gives for `index` must have that
    /// index in sysfs too (sysfs shows the namespace it was mounted in, which need not be the
    /// socket's). None when unknown (virtual devices often report none).
    fn link_speed(&mut self, index: u32) -> rtnl_core::Result<Option<u64>> {
        let links = self
            .get_links(crate::LinkFilter::new().index(index))?
            .collect()?;
        let Some(name) = links
            .first()
            .and_then(|l| l.view().ifname().ok().flatten().map(str::to_string))
        else {
            return Ok(None);
        };
        let dir = std::path::Path::new("/sys/class/net").join(&name);
        let same = std::fs::read_to_string(dir.join("ifindex"))
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
            == Some(index);
        Ok(same
            .then(|| std::fs::read_to_string(dir.join("speed")).ok())
            .flatten()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|s| *s > 0)
            .map(|s| s as u64))
    }
}
