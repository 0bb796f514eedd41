//! Typed tc requests: the compile-checked form of `tc(cmd, kind, index, handle, kw)` and
//! `tc_action(cmd, kind, kw)`.
//!
//! A request names the device, the handle and the parent ([`Qdisc`], [`Class`], [`Filter`],
//! [`Chain`]); its kind comes with its options, one type per `[[tc-plugin]]` entry of
//! schema/tcmsg.toml and object, generated (`generated.rs`, by `cargo xtask regen`):
//! `Htb::qdisc()` is an [`HtbQdisc`], `Htb::class()` an [`HtbClass`], `U32::filter()` a
//! [`U32Filter`], `Mirred::action()` a [`MirredAction`] ... Their setters are the plugin's
//! keywords for that object, taking what the keyword form takes in the keyword's unit: a
//! [`Word`] (`"5mbit"`, `"400ms"`, `"1:10"`, or a number in the unit's base) for rates, sizes,
//! times, handles and verdicts, an integer, a `&str`, or nothing for a flag; the keywords a
//! plugin's routine reads (its schema `words`: u32's `match`, mirred's `direction` and
//! `action`, flower's keys, pedit's `munge`) too, a repeated one (`match_`) adding a clause
//! per call. By hand (`routines.rs`): [`U32Match`], and mirred's `egress_redirect()` ...
//!
//! A typed request holds the same keywords a `kw!` request holds, in call order (the kind's
//! after the header's, a filter's actions last), and is sent through the same keyword encoder
//! ([`request::tc`](crate::request::tc)), so both forms produce identical bytes:
//! `tests/tc_typed_requests.rs` checks kind by kind, and against tc's own bytes. It is sent
//! by `qdisc_add`, `_change`, `_replace`, `_del`, `_get`, `_dump`, the same for `class_` and
//! `filter_`, `chain_add`, `_del`, `_get`, `_dump`, and `action_add`, `_replace`, `_del`,
//! `_get`, `_flush`, `_dump` on [`IPRoute`], [`IPBatch`] and (feature `tokio`) `AsyncIPRoute`
//! (as futures, through `AsyncIPRoute::tc`).
//!
//! ```
//! use rtnl_api::typed::tc::{Class, Filter, Htb, Mirred, Qdisc, U32, U32Match};
//! use rtnl_api::{IPBatch, Value, kw};
//!
//! let mut b = IPBatch::new();
//! b.qdisc_add(Qdisc::on(2).handle("1:").kind(Htb::qdisc().default(0x10)))?;
//! b.class_add(Class::on(2).handle("1:10").parent("1:")
//!     .kind(Htb::class().rate("5mbit").ceil("10mbit")))?;
//! b.filter_add(Filter::on(2).parent("1:").prio(1).protocol("ip")
//!     .kind(U32::filter().match_(U32Match::ip_dport(80)).classid("1:10"))
//!     .action(Mirred::action().egress_mirror().dev(3u32)))?;
//!
//! // The keyword form of the same three requests.
//! let mut k = IPBatch::new();
//! k.tc("add", "htb", 2, "1:", kw! { default: "10" })?;
//! k.tc("add-class", "htb", 2, "1:10", kw! { parent: "1:", rate: "5mbit", ceil: "10mbit" })?;
//! k.tc("add-filter", "u32", 2, 0, kw! {
//!     parent: "1:", prio: 1, protocol: "ip",
//!     r#match: vec![Value::from("ip dport 80 0xffff")], classid: "1:10",
//!     action: vec![Value::from(kw! { kind: "mirred", direction: "egress", action: "mirror", dev: 3 })],
//! })?;
//! assert_eq!(b.bytes(), k.bytes());
//! # Ok::<(), rtnl_api::Error>(())
//! ```
//!
//! ```compile_fail
//! // A misspelt keyword does not compile.
//! let q = rtnl_api::typed::tc::Htb::qdisc().defualt(0x10);
//! ```
//!
//! ```compile_fail
//! // Nor does a keyword of another object (a class's rate on the qdisc).
//! let q = rtnl_api::typed::tc::Htb::qdisc().rate("5mbit");
//! ```
//!
//! ```compile_fail
//! // Nor a value of the wrong type (r2q is an integer).
//! let q = rtnl_api::typed::tc::Htb::qdisc().r2q("10");
//! ```
//!
//! ```compile_fail
//! // Nor a kind on the wrong object (tbf has no classes).
//! let c = rtnl_api::typed::tc::Class::on(2).kind(rtnl_api::typed::tc::Tbf::qdisc());
//! ```

#[rustfmt::skip] // prettyplease's output, checked by `cargo xtask regen --check`
mod generated;
mod routines;
mod word;

pub use generated::*;
pub use routines::U32Match;
pub use word::{ActionKind, ClassKind, FilterKind, QdiscKind, Word};

use rtnl_core::Result;
use rtnl_core::generated::TcOwned;

use crate::args::{Args, Value};
use crate::iproute::{IPBatch, IPRoute};
use crate::tc::TcActionMsg;

/// What every typed tc request shares: device, handle, kind, header keywords, then the
/// kind's keywords.
macro_rules! tc_request {
    ($(#[$doc:meta])* $ty:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $ty {
            index: u32,
            handle: Value,
            kind: &'static str,
            header: Args,
            options: Args,
        }

        impl $ty {
            /// A request on the device with index `index` (the header's `tcm_ifindex`; 0:
            /// every device, for a dump).
            pub fn on(index: u32) -> Self {
                Self {
                    index,
                    handle: Value::Int(0),
                    kind: "",
                    header: Args::default(),
                    options: Args::default(),
                }
            }

            /// The handle (`tcm_handle`): `"1:"`, `"1:10"`, a number or a
            /// [`TcHandle`](crate::tc::TcHandle); default 0 (the kernel's, or the kind's).
            pub fn handle(mut self, handle: impl Into<Word>) -> Self {
                self.handle = handle.into().into();
                self
            }

            /// `parent` (`tcm_parent`): `"root"`, `"ingress"`, `"1:"`, `"ffff:fff2"` ...
            /// (default: the kind's, `root` for qdiscs).
            pub fn parent(self, parent: impl Into<Word>) -> Self {
                self.set_header("parent", Value::from(parent.into()))
            }

            fn set_header(mut self, k: &str, v: Value) -> Self {
                self.header.set(k, v);
                self
            }

            /// The keyword form: `(kind, index, handle, keywords)`, what
            /// `tc(cmd, kind, index, handle, kw)` takes.
            pub fn into_parts(self) -> (&'static str, u32, Value, Args) {
                let mut a = self.header;
                for (k, v) in self.options {
                    a.set(k, v);
                }
                (self.kind, self.index, self.handle, a)
            }
        }
    };
}

tc_request! {
    /// A typed qdisc request (`tc qdisc ...`: RTM_NEWQDISC / RTM_DELQDISC / RTM_GETQDISC).
    ///
    /// ```
    /// use rtnl_api::typed::tc::{Qdisc, Tbf};
    /// use rtnl_api::kw;
    /// let q = Qdisc::on(2).handle("1:").kind(Tbf::qdisc().rate("1mbit").burst("32kb").latency("50ms"));
    /// assert_eq!(q.into_parts().3, kw! { rate: "1mbit", burst: "32kb", latency: "50ms" });
    /// ```
    Qdisc
}

tc_request! {
    /// A typed class request (`tc class ...`: RTM_NEWTCLASS / RTM_DELTCLASS / RTM_GETTCLASS).
    Class
}

tc_request! {
    /// A typed filter request (`tc filter ...`: RTM_NEWTFILTER / RTM_DELTFILTER /
    /// RTM_GETTFILTER), with its actions.
    Filter
}

tc_request! {
    /// A typed chain request (`tc chain ...`: RTM_NEWCHAIN / RTM_DELCHAIN / RTM_GETCHAIN).
    ///
    /// ```
    /// use rtnl_api::typed::tc::Chain;
    /// use rtnl_api::kw;
    /// assert_eq!(Chain::on(1).parent("ffff:fff2").chain(5).into_parts().3,
    ///            kw! { parent: "ffff:fff2", chain: 5 });
    /// ```
    Chain
}

impl Qdisc {
    /// The kind and its options (`TCA_KIND`, `TCA_OPTIONS`): `Htb::qdisc()...`; replaces an
    /// earlier kind.
    pub fn kind<K: QdiscKind>(mut self, options: K) -> Self {
        self.kind = K::KIND;
        self.options = options.into();
        self
    }
}

impl Class {
    /// The kind and its options: `Htb::class().rate("5mbit")...`; replaces an earlier kind.
    pub fn kind<K: ClassKind>(mut self, options: K) -> Self {
        self.kind = K::KIND;
        self.options = options.into();
        self
    }
}

impl Filter {
    /// `prio` (the filter's preference, high 16 bits of `tcm_info`; default 0: the kernel
    /// picks one).
    pub fn prio(self, prio: u16) -> Self {
        self.set_header("prio", Value::from(prio))
    }

    /// `protocol`: `"ip"`, `"ipv6"`, `"all"`, `"802.1q"` ... or an ethertype (default `all`
    /// when adding, as tc).
    pub fn protocol(self, protocol: impl Into<Word>) -> Self {
        self.set_header("protocol", Value::from(protocol.into()))
    }

    /// `chain` (TCA_CHAIN): the chain the filter goes into.
    pub fn chain(self, chain: u32) -> Self {
        self.set_header("chain", Value::from(chain))
    }

    /// The classifier and its options: `U32::filter()...`; replaces an earlier kind (the
    /// actions stay, after its keywords).
    pub fn kind<K: FilterKind>(mut self, options: K) -> Self {
        let actions = self.options.take("action");
        self.kind = K::KIND;
        self.options = options.into();
        if let Some(a) = actions {
            self.options.set("action", a);
        }
        self
    }

    /// One more action of the filter's action list (`action`: the classifier's TCA_*_ACT):
    /// `Mirred::action()...`, `Gact::action()...`.
    pub fn action<A: ActionKind>(mut self, action: A) -> Self {
        let mut m = vec![("kind".to_string(), Value::from(A::KIND))];
        m.extend(action.into());
        let mut list = match self.options.take("action") {
            Some(Value::List(l)) => l,
            _ => Vec::new(),
        };
        list.push(Value::Map(m));
        self.options.set("action", Value::List(list));
        self
    }
}

impl Chain {
    /// `chain`: the chain's number (TCA_CHAIN).
    pub fn chain(self, chain: u32) -> Self {
        self.set_header("chain", Value::from(chain))
    }
}

/// `qdisc_add(Qdisc)` ... on `IPRoute`, `IPBatch` and `AsyncIPRoute`: each the `tc` command word with the
/// typed request's keywords, answering what `tc` answers (on `IPRoute`, a get's messages).
macro_rules! tc_commands {
    ($mode:ident $target:ty => $tc:ty, $act:ty) => {
        tc_commands!(@one $mode $target, $tc,
            qdisc_add Qdisc "add" "Adds a qdisc (`tc qdisc add`).",
            qdisc_change Qdisc "change" "Changes a qdisc (`tc qdisc change`).",
            qdisc_replace Qdisc "replace" "Adds or replaces a qdisc (`tc qdisc replace`).",
            qdisc_del Qdisc "del" "Deletes a qdisc (`tc qdisc del`).",
            qdisc_get Qdisc "get" "Asks for one qdisc (`tc qdisc get`).",
            qdisc_dump Qdisc "dump" "Asks for the qdiscs of the device (every device's with index 0; `tc qdisc show`).",
            class_add Class "add-class" "Adds a class (`tc class add`).",
            class_change Class "change-class" "Changes a class (`tc class change`).",
            class_replace Class "replace-class" "Adds or replaces a class (`tc class replace`).",
            class_del Class "del-class" "Deletes a class (`tc class del`).",
            class_get Class "get-class" "Asks for one class (`tc class get`).",
            class_dump Class "dump-class" "Asks for the classes of the device (`tc class show`).",
            filter_add Filter "add-filter" "Adds a filter (`tc filter add`).",
            filter_change Filter "change-filter" "Changes a filter (`tc filter change`).",
            filter_replace Filter "replace-filter" "Adds or replaces a filter (`tc filter replace`).",
            filter_del Filter "del-filter" "Deletes a filter (`tc filter del`).",
            filter_get Filter "get-filter" "Asks for one filter (`tc filter get`).",
            filter_dump Filter "dump-filter" "Asks for the filters under `parent` (`tc filter show`).",
            chain_add Chain "add-chain" "Adds a chain (`tc chain add`).",
            chain_del Chain "del-chain" "Deletes a chain (`tc chain del`).",
            chain_get Chain "get-chain" "Asks for one chain (`tc chain get`).",
            chain_dump Chain "dump-chain" "Asks for the chains under `parent` (`tc chain show`)."
        );
        impl $target {
            tc_commands!(@act $mode $act, action_add "add"
                "Adds a shared action (`tc actions add`): `Gact::action().action(\"drop\").index(8)`.");
            tc_commands!(@act $mode $act, action_replace "replace"
                "Adds or replaces a shared action (`tc actions replace`).");
            tc_commands!(@act $mode $act, action_del "del"
                "Deletes a shared action, named by its kind and `index` (`Gact::action().index(8)`; `tc actions del`).");
            tc_commands!(@act $mode $act, action_get "get"
                "Asks for one shared action, named by its kind and `index` (`tc actions get`).");
            tc_commands!(@act $mode $act, action_flush "flush"
                "Deletes every shared action of the kind (`Gact::action()`; `tc actions flush`).");
            tc_commands!(@act $mode $act, action_dump "dump"
                "Asks for every shared action of the kind (`tc actions list`).");
        }
    };
    (@act sync $act:ty, $f:ident $cmd:literal $doc:literal) => {
        #[doc = $doc]
        pub fn $f<A: ActionKind>(&mut self, action: A) -> Result<$act> {
            self.tc_action($cmd, A::KIND, action.into())
        }
    };
    (@act async $act:ty, $f:ident $cmd:literal $doc:literal) => {
        #[doc = $doc]
        pub async fn $f<A: ActionKind>(&self, action: A) -> Result<$act> {
            self.tc_action($cmd, A::KIND, action.into()).await
        }
    };
    (@one $mode:ident $target:ty, $tc:ty, $($f:ident $req:ident $cmd:literal $doc:literal),*) => {
        impl $target {
            $(tc_commands!(@fn $mode $tc, $f $req $cmd $doc);)*
        }
    };
    (@fn sync $tc:ty, $f:ident $req:ident $cmd:literal $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = concat!("`tc(\"", $cmd, "\", ...)` with the request's kind, device, handle and keywords.")]
        pub fn $f(&mut self, req: $req) -> Result<$tc> {
            let (kind, index, handle, args) = req.into_parts();
            self.tc($cmd, kind, index, handle, args)
        }
    };
    (@fn async $tc:ty, $f:ident $req:ident $cmd:literal $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = concat!("`tc(\"", $cmd, "\", ...)` with the request's kind, device, handle and keywords.")]
        pub async fn $f(&self, req: $req) -> Result<$tc> {
            let (kind, index, handle, args) = req.into_parts();
            self.tc($cmd, kind, index, handle, args).await
        }
    };
}

tc_commands!(sync IPRoute => Vec<TcOwned>, Vec<TcActionMsg>);
tc_commands!(sync IPBatch => (), ());
#[cfg(feature = "tokio")]
tc_commands!(async crate::aio::AsyncIPRoute => Vec<TcOwned>, Vec<TcActionMsg>);
