//! Shared pieces of the filter routines (`tc_filter`, `tc_flower`, `tc_ematch`): the
//! routine context, the options tree, and number/keyword helpers.

use rtnl_core::ArgError;

use crate::args::{Value, str_arg};

/// What a filter routine may need beyond its keywords, and what it may give back.
#[derive(Debug, Default)]
pub(crate) struct FilterCtx {
    /// The filter's protocol (host order; 0x0003 all, 0 none given).
    pub proto: u16,
    /// The keywords in the caller's order (flower keeps tc's parse order with it).
    pub order: Vec<String>,
    /// A filter handle the routine computed (route), used when the caller gave none.
    pub handle: Option<u32>,
    /// The handle the caller gave (in the kind's form), if any.
    pub header_handle: Option<u32>,
    /// A filter handle the routine decided, replacing the caller's (u32's `order`).
    pub set_handle: Option<u32>,
}

/// The options tree: `(attribute, value)` in send order.
pub(crate) type Tree = Vec<(String, Value)>;

/// The value of the param `k` without `to`, if given.
pub(crate) fn input<'v>(inputs: &'v [(&str, Value)], k: &str) -> Option<&'v Value> {
    inputs.iter().find(|(n, _)| *n == k).map(|(_, v)| v)
}

/// skip_hw (1) and skip_sw (2), given as flags, into `attr` (appended: tc sends it last).
/// Both is an error; neither sends `attr` only when `always`.
pub(crate) fn skip_bits(inputs: &[(&str, Value)]) -> Result<u32, ArgError> {
    let hw = input(inputs, "skip_hw").is_some();
    let sw = input(inputs, "skip_sw").is_some();
    if hw && sw {
        return Err(ArgError::new(
            "skip_sw",
            "skip_hw and skip_sw are mutually exclusive",
        ));
    }
    Ok(u32::from(hw) | u32::from(sw) << 1)
}

/// An unsigned number in decimal or 0x-hex, at most `max`.
pub(crate) fn num(k: &str, s: &str, max: u64) -> Result<u64, ArgError> {
    let s = s.trim();
    let v = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    };
    v.filter(|v| *v <= max)
        .ok_or_else(|| ArgError::new(k, format!("{s:?} is not a number 0..={max}")))
}

/// A keyword value as text (numbers as decimal).
pub(crate) fn text(k: &str, v: &Value) -> Result<String, ArgError> {
    match v {
        Value::Int(i) => Ok(i.to_string()),
        Value::Ip(ip) => Ok(ip.to_string()),
        v => Ok(str_arg(k, v)?.to_string()),
    }
}
