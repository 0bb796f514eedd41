//! `tc actions`: shared actions (RTM_NEWACTION, RTM_DELACTION, RTM_GETACTION) as tc/m_action.c
//! sends them: struct tcamsg, then TCA_ROOT_TAB holding one nest per action (TCA_ACT_KIND,
//! TCA_ACT_OPTIONS, TCA_ACT_COOKIE; or TCA_ACT_INDEX to name an existing one), and for flush
//! and dump TCA_ROOT_FLAGS. An action's keywords are its tc plugin's (schema/tcmsg.toml, the
//! `# --- actions (tcact)` block and mirred/gact), encoded by [`request::tc`](super::tc)'s
//! action list, the same code that builds a filter's `action` list.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx, FormatSpec, SelValue, encode_attr};
use rtnl_core::{ArgError, Result};

use super::Resolve;
use super::tc::{TcEnv, actions, plugin};
use crate::args::{Args, Value, int_as};

const REQUEST: u16 = rtnl_core::proto::flags::REQUEST;
const ACK: u16 = rtnl_core::proto::flags::ACK;
const CREATE: u16 = rtnl_core::proto::flags::CREATE;
const EXCL: u16 = rtnl_core::proto::flags::EXCL;
const REPLACE: u16 = rtnl_core::proto::flags::REPLACE;
const ROOT: u16 = rtnl_core::proto::flags::ROOT;
const DUMP: u16 = rtnl_core::proto::flags::DUMP;

/// The action commands, with the flags tc sends (tc/m_action.c): `change` is tc's `replace`;
/// `get` asks for no ACK (the answer is the action itself; [`IPRoute`](crate::IPRoute) adds
/// one to know the answer has ended).
pub const TC_ACTION_COMMANDS: &[Command] = &[
    Command {
        name: "add",
        msg_type: RTM_NEWACTION,
        flags: REQUEST | ACK | CREATE | EXCL,
    },
    Command {
        name: "replace",
        msg_type: RTM_NEWACTION,
        flags: REQUEST | ACK | CREATE | REPLACE,
    },
    Command {
        name: "change",
        msg_type: RTM_NEWACTION,
        flags: REQUEST | ACK | CREATE | REPLACE,
    },
    Command {
        name: "del",
        msg_type: RTM_DELACTION,
        flags: REQUEST | ACK,
    },
    Command {
        name: "get",
        msg_type: RTM_GETACTION,
        flags: REQUEST,
    },
    Command {
        name: "flush",
        msg_type: RTM_DELACTION,
        flags: REQUEST | ACK | ROOT,
    },
    Command {
        name: "dump",
        msg_type: RTM_GETACTION,
        flags: REQUEST | DUMP,
    },
];

/// A kind that del, get, flush and dump may name: one the schema can build (a plugin) or
/// decode (a TCA_ACT_OPTIONS format: ctinfo, simple, xt ...).
fn known_kind(kind: &str) -> Result<(), ArgError> {
    let formats: &'static [FormatSpec] = TC_ACT_OPTIONS_SUB.formats;
    let decoded = |f: &FormatSpec| match f.value {
        SelValue::Str(k) => Some(k),
        _ => None,
    };
    if plugin(kind, "action").is_ok() || formats.iter().any(|f| decoded(f) == Some(kind)) {
        return Ok(());
    }
    let kinds: Vec<&str> = formats.iter().filter_map(decoded).collect();
    Err(ArgError::new(
        "kind",
        format!("unknown action kind {kind:?}; one of {}", kinds.join(", ")),
    ))
}

/// `tc_action(cmd, kind, kw)`: one `tc actions` request.
///
/// `cmd`: add, replace (change), del, get, flush, dump (tc's `list`). add/replace take the
/// kind's keywords (those of its `[[tc-plugin]]` entry, e.g. gact `action: "drop"`, mirred
/// `direction`, `action`, `dev`), `index`, `cookie` (hex) and, for most kinds, `verdict` (the
/// control verb: pass, drop, pipe, reclassify, continue, `goto chain N`, `jump N`); or, with
/// kind `""`, `actions: [{kind: ..., ...}, ...]` for several at once. del and get name the
/// action by kind and `index`; flush and dump take only the kind.
pub fn tc_action(
    buf: &mut Vec<u8>,
    cmd: &str,
    kind: &str,
    args: &Args,
    r: &mut dyn Resolve,
    env: &TcEnv,
) -> Result<Command> {
    let c = TC_ACTION_COMMANDS
        .iter()
        .find(|c| c.name == cmd || (cmd == "list" && c.name == "dump"))
        .ok_or_else(|| {
            let names: Vec<_> = TC_ACTION_COMMANDS.iter().map(|c| c.name).collect();
            ArgError::new(
                "cmd",
                format!(
                    "{cmd:?} is not an action command; one of {}",
                    names.join(", ")
                ),
            )
        })?;
    let mut a = args.clone();
    buf.extend_from_slice(&[0u8; Tcamsg::SIZE]);
    let tab = rtnl_core::nla::begin_nest_raw(buf, 1); // TCA_ROOT_TAB
    match c.name {
        "add" | "replace" | "change" => {
            let list = if kind.is_empty() {
                a.take("actions").ok_or_else(|| {
                    ArgError::new(
                        "kind",
                        format!("{cmd:?} needs a kind, or kind \"\" and actions: [...]"),
                    )
                })?
            } else {
                let mut m = vec![("kind".to_string(), Value::Str(kind.into()))];
                m.extend(std::mem::take(&mut a));
                Value::Map(m)
            };
            match actions("actions", &list, env, r)? {
                Value::Bytes(b) => buf.extend_from_slice(&b),
                _ => unreachable!("actions() returns bytes"),
            }
        }
        _ => {
            if kind.is_empty() {
                return Err(ArgError::new("kind", format!("{cmd:?} needs the action kind")).into());
            }
            known_kind(kind)?;
            let one = rtnl_core::nla::begin_nest_raw(buf, 1);
            let ctx = EncodeCtx {
                start: buf.len(),
                family: 0,
            };
            encode_attr(&TC_ACT_SPEC, buf, ctx, "kind", &Value::Str(kind.into()))?;
            if matches!(c.name, "del" | "get") {
                let index: u32 = match a.take("index") {
                    Some(v) => int_as("index", &v, None)?,
                    None => {
                        return Err(ArgError::new(
                            "index",
                            format!("{cmd:?} names the action by its index"),
                        )
                        .into());
                    }
                };
                encode_attr(&TC_ACT_SPEC, buf, ctx, "index", &Value::Int(index.into()))?;
            }
            rtnl_core::nla::end_nest(buf, one);
        }
    }
    rtnl_core::nla::end_nest(buf, tab);
    if matches!(c.name, "flush" | "dump") {
        // TCA_ROOT_FLAGS: TCA_ACT_FLAG_LARGE_DUMP_ON, value and selector, as tc sends it.
        buf.extend_from_slice(&[12, 0, 2, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    }
    if let Some((k, _)) = a.iter().next() {
        return Err(ArgError::new(k, format!("not a keyword of tc action {cmd:?}")).into());
    }
    Ok(*c)
}
