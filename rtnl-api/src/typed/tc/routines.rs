//! Setters of the keywords that a tc plugin's routine reads rather than its params (the
//! schema lists params; a routine's words are its code's): u32's `match`, `ht` and skip
//! flags, mirred's `direction` and `action`, gact's verdict and `random`, police's
//! `conform-exceed`. Each records the keyword the keyword form takes, so both forms give the
//! same bytes.

use std::fmt;
use std::net::Ipv4Addr;

use super::generated::{GactAction, MirredAction, PoliceAction, U32Filter};
use super::word::Word;
use crate::args::Value;

/// One u32 `match` clause: tc's words (`"ip dport 80 0xffff"`), or built here.
///
/// ```
/// use rtnl_api::typed::tc::U32Match;
/// assert_eq!(U32Match::ip_dport(80).to_string(), "ip dport 80 0xffff");
/// assert_eq!(U32Match::ip_dst("10.0.0.0".parse().unwrap(), 24).to_string(), "ip dst 10.0.0.0/24");
/// assert_eq!(U32Match::u32(0x0800_0000, 0xffff_0000, 12).to_string(),
///            "u32 0x8000000 0xffff0000 at 12");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct U32Match(String);

impl U32Match {
    /// `ip src ADDR/LEN`.
    pub fn ip_src(a: Ipv4Addr, len: u8) -> Self {
        U32Match(format!("ip src {a}/{len}"))
    }

    /// `ip dst ADDR/LEN`.
    pub fn ip_dst(a: Ipv4Addr, len: u8) -> Self {
        U32Match(format!("ip dst {a}/{len}"))
    }

    /// `ip sport PORT 0xffff`.
    pub fn ip_sport(port: u16) -> Self {
        U32Match(format!("ip sport {port} 0xffff"))
    }

    /// `ip dport PORT 0xffff`.
    pub fn ip_dport(port: u16) -> Self {
        U32Match(format!("ip dport {port} 0xffff"))
    }

    /// `ip protocol PROTO 0xff`.
    pub fn ip_protocol(proto: u8) -> Self {
        U32Match(format!("ip protocol {proto} 0xff"))
    }

    /// `ip tos TOS MASK`.
    pub fn ip_tos(tos: u8, mask: u8) -> Self {
        U32Match(format!("ip tos {tos:#x} {mask:#x}"))
    }

    /// `u32 VALUE MASK at OFFSET`.
    pub fn u32(value: u32, mask: u32, at: i32) -> Self {
        U32Match(format!("u32 {value:#x} {mask:#x} at {at}"))
    }

    /// `u16 VALUE MASK at OFFSET`.
    pub fn u16(value: u16, mask: u16, at: i32) -> Self {
        U32Match(format!("u16 {value:#x} {mask:#x} at {at}"))
    }

    /// `u8 VALUE MASK at OFFSET`.
    pub fn u8(value: u8, mask: u8, at: i32) -> Self {
        U32Match(format!("u8 {value:#x} {mask:#x} at {at}"))
    }
}

impl From<&str> for U32Match {
    fn from(s: &str) -> Self {
        U32Match(s.to_string())
    }
}

impl fmt::Display for U32Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl U32Filter {
    /// One `match` clause (tc's `match ...`), after those given before: its words
    /// (`"ip dport 80 0xffff"`, `"u32 0x1 0xff at 8"`) or a [`U32Match`]. The clauses become
    /// TCA_U32_SEL (see [`request::tc`](crate::request::tc)).
    ///
    /// ```
    /// use rtnl_api::typed::tc::{U32, U32Match};
    /// use rtnl_api::{kw, Value};
    /// let f = U32::filter().match_("ip protocol 6 0xff").match_(U32Match::ip_dport(80));
    /// assert_eq!(f.into_args(), kw! { r#match: vec![Value::from("ip protocol 6 0xff"),
    ///                                               Value::from("ip dport 80 0xffff")] });
    /// ```
    pub fn match_(self, m: impl Into<U32Match>) -> Self {
        let mut list = match self.args().get("match") {
            Some(Value::List(l)) => l.clone(),
            _ => Vec::new(),
        };
        list.push(Value::Str(m.into().0));
        self.kw("match", Value::List(list))
    }

    /// `ht`: the hash table the filter goes into (`"1:"`, `"800:"`; u32 handles).
    pub fn ht(self, ht: &str) -> Self {
        self.kw("ht", ht)
    }

    /// `skip_hw`: not in hardware (TCA_U32_FLAGS).
    pub fn skip_hw(self) -> Self {
        self.kw("skip_hw", true)
    }

    /// `skip_sw`: only in hardware (TCA_U32_FLAGS).
    pub fn skip_sw(self) -> Self {
        self.kw("skip_sw", true)
    }
}

impl MirredAction {
    /// `direction`: `"egress"` (default) or `"ingress"`: where the packet goes on `dev`.
    pub fn direction(self, direction: &str) -> Self {
        self.kw("direction", direction)
    }

    /// `action`: `"redirect"` or `"mirror"` (required).
    pub fn action(self, action: &str) -> Self {
        self.kw("action", action)
    }

    /// `egress redirect`: the packet leaves by `dev` instead (verdict stolen).
    pub fn egress_redirect(self) -> Self {
        self.direction("egress").action("redirect")
    }

    /// `egress mirror`: a copy leaves by `dev` (verdict pipe).
    pub fn egress_mirror(self) -> Self {
        self.direction("egress").action("mirror")
    }

    /// `ingress redirect`: the packet is received on `dev` instead (verdict stolen).
    pub fn ingress_redirect(self) -> Self {
        self.direction("ingress").action("redirect")
    }

    /// `ingress mirror`: a copy is received on `dev` (verdict pipe).
    pub fn ingress_mirror(self) -> Self {
        self.direction("ingress").action("mirror")
    }

    /// `verdict`: what happens next (default: stolen for a redirect, pipe for a mirror).
    pub fn verdict(self, v: impl Into<Word>) -> Self {
        self.kw("verdict", Into::<Word>::into(v))
    }
}

impl GactAction {
    /// `action`: the verdict (`"pass"`, `"drop"`, `"pipe"`, `"reclassify"`, `"continue"`,
    /// `"goto chain N"`, `"jump N"`, or its number); required.
    pub fn action(self, v: impl Into<Word>) -> Self {
        self.kw("action", Into::<Word>::into(v))
    }

    /// `random`: tc's `random TYPE VERDICT VALUE` as one string (`"determ drop 10"`,
    /// `"netrand pass 50"`).
    pub fn random(self, r: &str) -> Self {
        self.kw("random", r)
    }
}

impl PoliceAction {
    /// `conform-exceed`: `"EXCEED[/CONFORM]"` verdicts (`"drop"`, `"drop/pipe"`); exceed
    /// defaults to reclassify.
    pub fn conform_exceed(self, v: &str) -> Self {
        self.kw("conform_exceed", v)
    }

    /// `exceed`: the verdict for traffic over the rate (default reclassify).
    pub fn exceed(self, v: impl Into<Word>) -> Self {
        self.kw("exceed", Into::<Word>::into(v))
    }

    /// `conform`: the verdict for traffic within the rate (TCA_POLICE_RESULT).
    pub fn conform(self, v: impl Into<Word>) -> Self {
        self.kw("conform", Into::<Word>::into(v))
    }
}
