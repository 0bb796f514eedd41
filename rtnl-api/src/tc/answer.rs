//! What the kernel answers about shared tc actions: [`TcActionMsg`] (one RTM_NEWACTION /
//! RTM_GETACTION message) and the [`TcAction`]s it holds. Both handles' `tc_action` and
//! `get_actions_where` hand these out.

use rtnl_core::generated::*;
use rtnl_core::spec::Ctx;

/// One action message the kernel answered (RTM_NEWACTION): struct tcamsg, then TCA_ROOT_*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcActionMsg {
    /// The netlink message type.
    pub msg_type: u16,
    /// The payload: struct tcamsg, then the attributes.
    pub payload: Vec<u8>,
}

impl TcActionMsg {
    /// The TCA_ROOT_* attributes (`tab()` lists the actions).
    pub fn attrs(&self) -> TcRootAttrs<'_> {
        TcRootAttrs::new(
            self.payload.get(Tcamsg::SIZE..).unwrap_or_default(),
            Ctx::default(),
        )
    }

    /// `(kind, index)` of each action listed, the index read from the options' parms (or
    /// TCA_ACT_INDEX where the kernel sends it).
    pub fn actions(&self) -> Vec<(String, u32)> {
        self.each().into_iter().map(|a| (a.kind, a.index)).collect()
    }

    /// Each action listed, as an owned [`TcAction`].
    pub fn each(&self) -> Vec<TcAction> {
        let mut out = Vec::new();
        let Some(Ok(tab)) = self.attrs().tab().transpose() else {
            return out;
        };
        for a in tab.flatten() {
            let kind = a.kind().ok().flatten().unwrap_or_default().to_string();
            let index = a.index().ok().flatten().or_else(|| parms_index(&a));
            out.push(TcAction {
                kind,
                index: index.unwrap_or(0),
                payload: a.bytes().to_vec(),
            });
        }
        out
    }
}

/// One shared action as the kernel listed it (an entry of a dump's TCA_ROOT_TAB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcAction {
    /// Its kind (`"mirred"`).
    pub kind: String,
    /// Its index (TCA_ACT_INDEX, or its options' parms.index).
    pub index: u32,
    /// Its TCA_ACT_* attributes (kind, options, stats, cookie ...).
    pub payload: Vec<u8>,
}

impl TcAction {
    /// The TCA_ACT_* attributes (`options()` are the kind's, decoded by kind).
    pub fn attrs(&self) -> TcActAttrs<'_> {
        TcActAttrs::new(&self.payload, Ctx::default())
    }
}

/// The index in an action's parms struct (its first field in every tc_* action struct).
fn parms_index(a: &TcActAttrs<'_>) -> Option<u32> {
    macro_rules! idx {
        ($o:expr, $($v:ident => $f:ident),*) => {
            match $o {
                $(TcActOptions::$v(x) => x.$f().ok().flatten().map(|p| p.index()),)*
                _ => None,
            }
        };
    }
    let o = a.options().ok().flatten()?;
    idx!(o, Mirred => parms, Gact => parms, Police => tbf, Skbedit => parms, Vlan => parms,
        Csum => parms, TunnelKey => parms, Sample => parms, Connmark => parms, Nat => parms,
        Mpls => parms, Bpf => parms, Gate => parms, Ct => parms, Ife => parms, Skbmod => parms)
}
