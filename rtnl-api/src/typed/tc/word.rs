//! What the generated tc kinds (`generated.rs`) are built on: [`Word`], a value in one of tc's
//! units, and the traits that say which object (qdisc, class, filter, action) an options type
//! is for. A leaf module: it uses nothing else of `typed::tc`.

use crate::args::{Args, Value};
use crate::tc::TcHandle;

/// A value in one of tc's units, as the keyword form takes it: a tc word (`"5mbit"`,
/// `"400ms"`, `"32kb"`, `"1:10"`, `"drop"`, `"ip"`, `"10%"`), or a number in the unit's base
/// (bytes/s for a rate, bytes for a size, microseconds for a time), a [`TcHandle`], or a list
/// of numbers (`&[u32]`, for `priomap` and the like).
///
/// A bare number in a string is read as tc reads it (`"5000"` as a rate is 5000 bit/s); a
/// number given as an integer is read as pyroute2 reads it (5000 bytes/s): the keyword form's
/// rule, since a `Word` is the keyword form's value.
///
/// ```
/// use rtnl_api::typed::tc::Word;
/// use rtnl_api::Value;
/// assert_eq!(Value::from(Word::from("5mbit")), Value::from("5mbit"));
/// assert_eq!(Value::from(Word::from(625_000u64)), Value::from(625_000u64));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Word(Value);

impl From<&str> for Word {
    fn from(s: &str) -> Self {
        Word(Value::from(s))
    }
}

impl From<String> for Word {
    fn from(s: String) -> Self {
        Word(Value::from(s))
    }
}

impl From<u32> for Word {
    fn from(v: u32) -> Self {
        Word(Value::from(v))
    }
}

impl From<u64> for Word {
    fn from(v: u64) -> Self {
        Word(Value::from(v))
    }
}

impl From<TcHandle> for Word {
    fn from(h: TcHandle) -> Self {
        Word(Value::from(h.0))
    }
}

impl From<&[u32]> for Word {
    fn from(l: &[u32]) -> Self {
        Word(Value::List(l.iter().map(|&v| Value::from(v)).collect()))
    }
}

impl<const N: usize> From<[u32; N]> for Word {
    fn from(l: [u32; N]) -> Self {
        Word::from(&l[..])
    }
}

impl From<Word> for Value {
    fn from(w: Word) -> Value {
        w.0
    }
}

/// The options of a qdisc kind (`HtbQdisc` ...), for [`Qdisc::kind`](super::Qdisc::kind).
pub trait QdiscKind: Into<Args> {
    /// The kind (`TCA_KIND`).
    const KIND: &'static str;
}

/// The options of a class kind (`HtbClass` ...), for [`Class::kind`](super::Class::kind).
pub trait ClassKind: Into<Args> {
    /// The kind (`TCA_KIND`).
    const KIND: &'static str;
}

/// The options of a classifier (`U32Filter` ...), for [`Filter::kind`](super::Filter::kind).
pub trait FilterKind: Into<Args> {
    /// The kind (`TCA_KIND`).
    const KIND: &'static str;
}

/// The options of an action kind (`MirredAction` ...), for [`Filter::action`](super::Filter::action)
/// and the shared-action commands (`action_add` ...).
pub trait ActionKind: Into<Args> {
    /// The kind (`TCA_ACT_KIND`).
    const KIND: &'static str;
}
