//! What `tc(cmd, kind, index, handle, kw)`, `tc_action(cmd, kind, kw)` and the tc dumps do,
//! whatever the shell: the pre-flight questions a tc command asks the kernel first (as
//! [`Query`]s), the decisions taken on their answers, the request and which answer messages
//! are kept. The blocking [`IPRoute`](crate::IPRoute) and the async `AsyncIPRoute` both run
//! these; neither decides or builds a tc request itself.
//!
//! # What it must never do
//! Send or receive on a socket: every function here is synchronous. (The link speed for `%`
//! rates is read from sysfs, as tc reads it, by [`link_speed`].)

use rtnl_core::generated::*;
use rtnl_core::proto::flags as nlm;
use rtnl_core::spec::Command;
use rtnl_core::{ArgError, Result};

use crate::args::{Args, Value};
use crate::dump::{Links, Tcs};
use crate::filter::LinkFilter;
use crate::query::Query;
use crate::request::tc::{TcEnv, tc};
use crate::request::tc_act::tc_action;
use crate::request::{NoResolve, Resolve};
use crate::tc::answer::TcActionMsg;
use crate::tc::units::Psched;
use crate::tc::{TcActionSelect, TcHandle};

/// The dump of `get` (answered with `new`) on device `ifindex` under `parent`.
pub(crate) fn tc_query(get: u16, new: u16, ifindex: u32, parent: u32) -> Query<Tcs> {
    let mut hdr = Tcmsg::zeroed();
    hdr.set_ifindex(ifindex as i32);
    hdr.set_parent(parent);
    let mut body = Vec::new();
    TcMsg::request(&mut body, &hdr);
    Query::dump(get, new, body)
}

/// The qdiscs of `ifindex` (0: every device). The kernel dumps every device's qdiscs whatever
/// the request's ifindex (as `tc` does, the others are dropped).
pub(crate) fn qdiscs(ifindex: u32) -> Query<Tcs> {
    tc_query(RTM_GETQDISC, RTM_NEWQDISC, ifindex, 0)
        .filter(move |q| ifindex == 0 || q.header().ifindex.get() as u32 == ifindex)
}

/// The classes of `ifindex`.
pub(crate) fn classes(ifindex: u32) -> Query<Tcs> {
    tc_query(RTM_GETTCLASS, RTM_NEWTCLASS, ifindex, 0)
}

/// The filters of `ifindex` under `parent` (0: the root qdisc).
pub(crate) fn filters(ifindex: u32, parent: u32) -> Query<Tcs> {
    tc_query(RTM_GETTFILTER, RTM_NEWTFILTER, ifindex, parent)
}

/// What a tc command must ask the kernel before its request can be built or refused.
#[derive(Debug)]
pub(crate) struct TcPreflight {
    index: u32,
    /// A class added under a qdisc: the keyword naming it and the qdisc's major.
    class_parent: Option<(&'static str, u32)>,
    /// A keyword is given in % of the link speed.
    speed: bool,
}

impl TcPreflight {
    /// The questions `tc(cmd, _, index, handle, args)` asks first.
    pub fn new(cmd: &str, index: u32, handle: &Value, args: &Args) -> Result<Self> {
        let mut class_parent = None;
        if matches!(cmd, "add-class" | "change-class" | "replace-class") && index != 0 {
            let (k, h) = match args.get("parent") {
                Some(p) => ("parent", TcHandle::from_value("parent", p)?),
                None => ("handle", TcHandle::from_value("handle", handle)?),
            };
            let major = h.0 & 0xffff_0000;
            if major != 0 && major != 0xffff_0000 {
                class_parent = Some((k, major));
            }
        }
        let speed = args
            .iter()
            .any(|(_, v)| matches!(v, Value::Str(s) if s.trim_end().ends_with('%')));
        Ok(TcPreflight {
            index,
            class_parent,
            speed,
        })
    }

    /// The qdisc dump that tells the kind of a class's parent qdisc, when a class is added.
    pub fn parent_query(&self) -> Option<Query<Tcs>> {
        self.class_parent.map(|_| qdiscs(self.index))
    }

    /// A class added (changed, replaced) under a classless qdisc (pfifo, tbf, fq_codel ...) is
    /// refused, naming the parent's kind; `qdiscs` answered [`parent_query`](Self::parent_query).
    /// No such qdisc, or a kind the schema does not know, is left to the kernel.
    pub fn check_parent(&self, qdiscs: &[TcOwned]) -> Result<()> {
        let Some((k, major)) = self.class_parent else {
            return Ok(());
        };
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

    /// The link `get` whose name locates the device's speed in sysfs, when a rate is in %.
    pub fn link_query(&self) -> Option<Query<Links>> {
        if !self.speed {
            return None;
        }
        crate::query::links(LinkFilter::new().index(self.index), &mut NoResolve).ok()
    }

    /// The speed of the device, from the answer of [`link_query`](Self::link_query).
    pub fn speed(&self, links: &[LinkOwned]) -> Option<u64> {
        let name = links
            .first()
            .and_then(|l| l.view().ifname().ok().flatten().map(str::to_string))?;
        link_speed(&name, self.index)
    }
}

/// The speed of link `name` (index `index`) in Mbit/s, as tc reads it
/// (/sys/class/net/DEV/speed), when sysfs shows this socket's device: `name` must have that
/// index in sysfs too (sysfs shows the namespace it was mounted in, which need not be the
/// socket's). None when unknown (virtual devices often report none).
pub(crate) fn link_speed(name: &str, index: u32) -> Option<u64> {
    let dir = std::path::Path::new("/sys/class/net").join(name);
    let same = std::fs::read_to_string(dir.join("ifindex"))
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        == Some(index);
    same.then(|| std::fs::read_to_string(dir.join("speed")).ok())
        .flatten()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|s| *s > 0)
        .map(|s| s as u64)
}

/// What a tc command word sends, once its pre-flight questions are answered.
pub(crate) enum TcRequest {
    /// A write: sent, answered by its ACK.
    Write {
        /// Message type and flags.
        command: Command,
        /// tcmsg and attributes.
        body: Vec<u8>,
    },
    /// A single get, answered to NLM_F_ECHO (the schema's get commands carry it); keep the
    /// messages [`keeps_get_answer`] accepts.
    Get {
        /// Message type and flags.
        command: Command,
        /// tcmsg and attributes.
        body: Vec<u8>,
    },
    /// A dump.
    Dump(Query<Tcs>),
}

/// The request of `tc(cmd, kind, index, handle, args)` on a device of speed `link_mbit`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn tc_request(
    cmd: &str,
    kind: &str,
    index: u32,
    handle: &Value,
    args: &Args,
    r: &mut dyn Resolve,
    link_mbit: Option<u64>,
) -> Result<TcRequest> {
    let env = TcEnv {
        clock: Psched::read(),
        link_mbit,
    };
    let mut body = Vec::new();
    let command = tc(&mut body, cmd, kind, index, handle, args, r, &env)?;
    if ![RTM_GETQDISC, RTM_GETTCLASS, RTM_GETTFILTER, RTM_GETCHAIN].contains(&command.msg_type) {
        return Ok(TcRequest::Write { command, body });
    }
    if command.flags & nlm::DUMP != nlm::DUMP {
        return Ok(TcRequest::Get { command, body });
    }
    let q = Query::<Tcs>::dump(command.msg_type, command.msg_type - 2, body);
    Ok(TcRequest::Dump(match command.msg_type {
        // The kernel dumps every device's qdiscs: keep this one's.
        RTM_GETQDISC if index != 0 => q.filter(move |q| q.header().ifindex.get() as u32 == index),
        _ => q,
    }))
}

/// Whether a message answering the tc get `command` is its answer: the reply type, or
/// RTM_GETCHAIN itself for a chain get (tc_ctl_chain answers so).
pub(crate) fn keeps_get_answer(command: &Command, msg_type: u16) -> bool {
    msg_type == command.msg_type - 2 || msg_type == RTM_GETCHAIN
}

/// A kind the kernel does not know (no module: ENOENT, "Specified qdisc kind is unknown")
/// names the kind in the error.
pub(crate) fn name_the_kind(e: rtnl_core::Error, kind: &str) -> rtnl_core::Error {
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

/// What a `tc_action` command word sends and how it is answered.
pub(crate) struct TcActionRequest {
    /// Message type and flags.
    pub command: Command,
    /// tcamsg and attributes.
    pub body: Vec<u8>,
}

impl TcActionRequest {
    /// The request of `tc_action(cmd, kind, args)`.
    pub fn new(cmd: &str, kind: &str, args: &Args, r: &mut dyn Resolve) -> Result<Self> {
        let env = TcEnv {
            clock: Psched::read(),
            link_mbit: None,
        };
        let mut body = Vec::new();
        let command = tc_action(&mut body, cmd, kind, args, r, &env)?;
        Ok(TcActionRequest { command, body })
    }

    /// A write: answered by its ACK alone.
    pub fn is_write(&self) -> bool {
        self.command.msg_type != RTM_GETACTION
    }

    /// A dump (else a single get, or a write).
    pub fn is_dump(&self) -> bool {
        self.command.flags & nlm::DUMP == nlm::DUMP
    }
}

/// A message of a `tc_action` get or dump, when it is an answer: a get is answered with
/// RTM_NEWACTION, a dump with RTM_GETACTION messages.
pub(crate) fn action_answer(m: &rtnl_core::proto::Message<'_>) -> Option<TcActionMsg> {
    (m.msg_type() == RTM_NEWACTION || m.msg_type() == RTM_GETACTION).then(|| TcActionMsg {
        msg_type: m.msg_type(),
        payload: m.payload.to_vec(),
    })
}

impl TcActionSelect {
    /// The `tc_action` words `get_actions_where` runs, one per kind: `(cmd, kind, args)`. The
    /// kernel lists actions one kind at a time, so a kind and an index are one `get` (ENOENT:
    /// none), a kind alone one `dump`, no kind a `dump` per action kind the schema decodes.
    pub(crate) fn words(&self) -> Vec<(&'static str, String, Args)> {
        let kinds: Vec<String> = match &self.kind {
            Some(k) => vec![k.clone()],
            None => {
                // Every kind the schema decodes (TCA_ACT_OPTIONS formats), not only those
                // it can build.
                let formats: &'static [rtnl_core::spec::FormatSpec] = TC_ACT_OPTIONS_SUB.formats;
                formats
                    .iter()
                    .filter_map(|f| match f.value {
                        rtnl_core::spec::SelValue::Str(k) => Some(k.to_string()),
                        _ => None,
                    })
                    .collect()
            }
        };
        kinds
            .into_iter()
            .map(|kind| match (self.index, &self.kind) {
                (Some(i), Some(_)) => ("get", kind, crate::kw! { index: i }),
                _ => ("dump", kind, crate::kw! {}),
            })
            .collect()
    }

    /// The actions of `msgs` (one word's answer) this selects.
    pub(crate) fn keep(&self, msgs: &[TcActionMsg]) -> Vec<crate::tc::TcAction> {
        msgs.iter()
            .flat_map(|m| m.each())
            .filter(|a| self.index.is_none_or(|i| a.index == i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    /// Only a class word under a qdisc asks for the qdiscs first, only a % rate for the link;
    /// the request of a get is echo-answered, of a dump a query of the object's reply type.
    #[test]
    fn preflight_questions_and_request_shapes() {
        let h = Value::from("1:10");
        let p = TcPreflight::new("add-class", 3, &h, &kw! { parent: "1:", rate: "1mbit" }).unwrap();
        let q = p.parent_query().expect("asks for the parent qdisc");
        assert_eq!(
            (q.msg_type, q.reply_type, q.single),
            (RTM_GETQDISC, RTM_NEWQDISC, false)
        );
        assert!(p.link_query().is_none());
        let p = TcPreflight::new("add", 3, &Value::from("1:"), &kw! { rate: "10%" }).unwrap();
        assert!(p.parent_query().is_none());
        assert!(p.link_query().is_some_and(|q| q.single));
        // A root class (major 0) or a bad parent: no question, the parent is the ArgError.
        let p = TcPreflight::new("add-class", 3, &Value::from("0:1"), &kw! {}).unwrap();
        assert!(p.parent_query().is_none() && p.check_parent(&[]).is_ok());
        let e = TcPreflight::new("add-class", 3, &h, &kw! { parent: "x:y" }).unwrap_err();
        assert!(e.to_string().contains("parent"), "{e}");

        let r = |cmd, h: &str| {
            tc_request(
                cmd,
                "htb",
                3,
                &Value::from(h),
                &kw! {},
                &mut NoResolve,
                None,
            )
        };
        let Ok(TcRequest::Dump(q)) = r("dump-class", "0") else {
            panic!("a dump")
        };
        assert_eq!((q.msg_type, q.reply_type), (RTM_GETTCLASS, RTM_NEWTCLASS));
        let Ok(TcRequest::Get { command, .. }) = r("get", "1:") else {
            panic!("a get")
        };
        assert_eq!(
            command.flags & nlm::ECHO,
            nlm::ECHO,
            "answered to NLM_F_ECHO"
        );
        assert!(keeps_get_answer(&command, RTM_NEWQDISC));
        assert!(!keeps_get_answer(&command, RTM_NEWTCLASS));
        assert!(matches!(r("del", "1:"), Ok(TcRequest::Write { .. })));
    }
}
