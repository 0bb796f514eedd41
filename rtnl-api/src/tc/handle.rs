//! [`TcHandle`]: a qdisc, class or filter handle (`major:minor`, 16 bits each) read and printed
//! the way `tc` reads and prints it (iproute2 tc/tc_util.c `get_tc_classid`,
//! `sprint_tc_classid`), plus the names of /etc/iproute2/tc_cls.

use std::fmt;

use rtnl_core::ArgError;

use crate::args::Value;

/// A tc handle: `TC_H_MAKE(major << 16, minor)`.
///
/// ```
/// use rtnl_api::tc::TcHandle;
/// let h: TcHandle = "1:10".parse().unwrap();
/// assert_eq!(h.0, 0x1_0010);
/// assert_eq!(h.to_string(), "1:10");
/// assert_eq!(TcHandle::INGRESS.to_string(), "ffff:fff1");
/// assert_eq!("root".parse::<TcHandle>().unwrap(), TcHandle::ROOT);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TcHandle(pub u32);

impl TcHandle {
    /// `TC_H_ROOT`.
    pub const ROOT: TcHandle = TcHandle(0xffff_ffff);
    /// `TC_H_UNSPEC` (`none`).
    pub const UNSPEC: TcHandle = TcHandle(0);
    /// `TC_H_INGRESS` (also `TC_H_CLSACT`): the parent of ingress and clsact qdiscs.
    pub const INGRESS: TcHandle = TcHandle(0xffff_fff1);
    /// `TC_H_MIN_INGRESS` under clsact: `ffff:fff2`.
    pub const MIN_INGRESS: TcHandle = TcHandle(0xffff_fff2);
    /// `TC_H_MIN_EGRESS` under clsact: `ffff:fff3`.
    pub const MIN_EGRESS: TcHandle = TcHandle(0xffff_fff3);

    /// `major:minor`.
    pub const fn new(major: u16, minor: u16) -> TcHandle {
        TcHandle(((major as u32) << 16) | minor as u32)
    }

    /// The major number (`TC_H_MAJ(h) >> 16`).
    pub const fn major(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The minor number (`TC_H_MIN(h)`).
    pub const fn minor(self) -> u16 {
        self.0 as u16
    }

    /// Parses a handle as `tc` does, then by name from /etc/iproute2/tc_cls.
    ///
    /// Forms: `"1:10"`, `"1:"`, `":1"`, `"ffff:"`, `"10"` (hex, the whole value, as tc reads
    /// it), `"root"`, `"none"`, `"ingress"`, `"clsact"`, `"egress"` (clsact's `ffff:fff3`).
    pub fn parse_named(s: &str, names: Option<&str>) -> Result<TcHandle, String> {
        if let Some(h) = Self::parse_tc(s) {
            return Ok(h);
        }
        if let Some(text) = names
            && let Some(h) = lookup_name(text, s)
        {
            return Ok(h);
        }
        Err(format!(
            "{s:?} is not a tc handle (\"1:10\", \"1:\", \":1\", root, ingress, clsact, or a name of /etc/iproute2/tc_cls)"
        ))
    }

    /// `get_tc_classid` plus the keywords, no names.
    fn parse_tc(s: &str) -> Option<TcHandle> {
        match s {
            "root" => return Some(Self::ROOT),
            "none" => return Some(Self::UNSPEC),
            "ingress" | "clsact" => return Some(Self::INGRESS),
            "egress" => return Some(Self::MIN_EGRESS),
            _ => {}
        }
        let hex = |t: &str| -> Option<u32> {
            let t = t.strip_prefix("0x").unwrap_or(t);
            if t.is_empty() {
                Some(0)
            } else {
                u32::from_str_radix(t, 16).ok()
            }
        };
        match s.split_once(':') {
            Some((maj, min)) => {
                let (maj, min) = (hex(maj)?, hex(min)?);
                (maj < 0x1_0000 && min < 0x1_0000).then_some(TcHandle((maj << 16) | min))
            }
            None if !s.is_empty() => hex(s).map(TcHandle),
            None => None,
        }
    }

    /// A keyword's handle: a string as [`TcHandle::parse_named`] reads it (names from
    /// /etc/iproute2/tc_cls), or an integer (the raw 32-bit value, as pyroute2 takes it).
    pub fn from_value(k: &str, v: &Value) -> Result<TcHandle, ArgError> {
        match v {
            Value::Int(i) => u32::try_from(*i)
                .map(TcHandle)
                .map_err(|_| ArgError::new(k, format!("handle {i} is out of range (0..2^32)"))),
            Value::Str(s) => {
                let names = std::fs::read_to_string("/etc/iproute2/tc_cls").ok();
                Self::parse_named(s.trim(), names.as_deref()).map_err(|e| ArgError::new(k, e))
            }
            other => Err(ArgError::new(
                k,
                format!("expected a handle like \"1:10\", got {other:?}"),
            )),
        }
    }
}

/// A name of a tc_cls file (`1:10 web` or `0x10010 web` lines; `#` comments).
fn lookup_name(text: &str, name: &str) -> Option<TcHandle> {
    text.lines().find_map(|l| {
        let l = l.split('#').next().unwrap_or("").trim();
        let mut w = l.split_whitespace();
        let (id, n) = (w.next()?, w.next()?);
        if n != name {
            return None;
        }
        if let Some(h) = id.strip_prefix("0x") {
            return u32::from_str_radix(h, 16).ok().map(TcHandle);
        }
        if id.contains(':') {
            return TcHandle::parse_tc(id);
        }
        id.parse().ok().map(TcHandle)
    })
}

impl std::str::FromStr for TcHandle {
    type Err = String;
    /// Parses as `tc` does (no names: see [`TcHandle::parse_named`]).
    fn from_str(s: &str) -> Result<TcHandle, String> {
        Self::parse_named(s, None)
    }
}

impl From<u32> for TcHandle {
    fn from(v: u32) -> Self {
        TcHandle(v)
    }
}

impl From<TcHandle> for Value {
    fn from(h: TcHandle) -> Value {
        Value::Int(h.0 as i128)
    }
}

impl fmt::Display for TcHandle {
    /// As `sprint_tc_classid`: `root`, `none`, `:1`, `1:`, `1:10` (hex).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::ROOT => f.write_str("root"),
            Self::UNSPEC => f.write_str("none"),
            h if h.major() == 0 => write!(f, ":{:x}", h.minor()),
            h if h.minor() == 0 => write!(f, "{:x}:", h.major()),
            h => write!(f, "{:x}:{:x}", h.major(), h.minor()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> u32 {
        s.parse::<TcHandle>().unwrap().0
    }

    #[test]
    fn parses_as_tc() {
        assert_eq!(p("1:10"), 0x1_0010);
        assert_eq!(p("1:"), 0x1_0000);
        assert_eq!(p(":1"), 0x1);
        assert_eq!(p("ffff:"), 0xffff_0000);
        assert_eq!(p("ffff:fff1"), 0xffff_fff1);
        assert_eq!(p("root"), 0xffff_ffff);
        assert_eq!(p("ingress"), 0xffff_fff1);
        assert_eq!(p("clsact"), 0xffff_fff1);
        assert_eq!(p("none"), 0);
        assert_eq!(p("10"), 0x10);
        for bad in ["", "1:2:3", "10000:", ":10000", "x:1", "1:g", "web"] {
            assert!(bad.parse::<TcHandle>().is_err(), "{bad:?}");
        }
        let e = TcHandle::from_value("classid", &Value::Int(1 << 32)).unwrap_err();
        assert_eq!(e.name, "classid");
        assert_eq!(
            TcHandle::from_value("parent", &Value::Int(0x10001)).unwrap(),
            TcHandle::new(1, 1)
        );
    }

    #[test]
    fn prints_as_tc() {
        for (h, s) in [
            (0x1_0010, "1:10"),
            (0x1_0000, "1:"),
            (0x1, ":1"),
            (0xffff_ffff, "root"),
            (0, "none"),
            (0xffff_fff1, "ffff:fff1"),
            (0xabcd_0000, "abcd:"),
        ] {
            assert_eq!(TcHandle(h).to_string(), s);
        }
    }

    #[test]
    fn names_from_tc_cls() {
        let file = "# classes\n1:10 web\n0x10020 mail # comment\n";
        assert_eq!(
            TcHandle::parse_named("web", Some(file)),
            Ok(TcHandle(0x1_0010))
        );
        assert_eq!(
            TcHandle::parse_named("mail", Some(file)),
            Ok(TcHandle(0x1_0020))
        );
        assert!(TcHandle::parse_named("ftp", Some(file)).is_err());
    }
}
