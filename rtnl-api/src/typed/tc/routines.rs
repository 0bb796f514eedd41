//! Conveniences beside the generated setters: [`U32Match`], a u32 `match` clause built from
//! typed values (given to the generated `U32Filter::match_`), and mirred's direction and
//! action in one call (`egress_redirect()` ...). Each records the keywords the keyword form
//! takes, so both forms give the same bytes.

use std::fmt;
use std::net::Ipv4Addr;

use super::generated::MirredAction;

/// One u32 `match` clause built from typed values, for the generated `U32Filter::match_`
/// (which takes tc's words as well: `"ip dport 80 0xffff"`).
///
/// ```
/// use rtnl_api::typed::tc::{U32, U32Match};
/// use rtnl_api::{Value, kw};
/// let f = U32::filter().match_("ip protocol 6 0xff").match_(U32Match::ip_dport(80));
/// assert_eq!(f.into_args(), kw! { r#match: vec![Value::from("ip protocol 6 0xff"),
///                                               Value::from("ip dport 80 0xffff")] });
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

impl MirredAction {
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
}
