//! The schema as static tables: the types `cargo xtask regen` fills in (one static per schema
//! item), their lookups by id and by name, and the names of message types.
//!
//! Static data and lookups over it, nothing more: no I/O, and nothing that walks attributes or
//! messages (a [`Scalar`] reads and writes its own few bytes). Choosing a sub-message format from
//! received bytes is `select`'s job; turning keywords into attributes is `encode`'s; showing
//! bytes is `json`'s.

use super::value::parse_int;

/// A fixed-width integer and its byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `u8`
    U8,
    /// native-endian `u16`
    U16,
    /// native-endian `u32`
    U32,
    /// native-endian `u64`
    U64,
    /// `i8`
    S8,
    /// native-endian `i16`
    S16,
    /// native-endian `i32`
    S32,
    /// native-endian `i64`
    S64,
    /// network-order `u16`
    Be16,
    /// network-order `u32`
    Be32,
    /// network-order `u64`
    Be64,
}

impl Scalar {
    /// Width in bytes.
    pub const fn size(self) -> usize {
        match self {
            Scalar::U8 | Scalar::S8 => 1,
            Scalar::U16 | Scalar::S16 | Scalar::Be16 => 2,
            Scalar::U32 | Scalar::S32 | Scalar::Be32 => 4,
            Scalar::U64 | Scalar::S64 | Scalar::Be64 => 8,
        }
    }

    pub(super) fn signed(self) -> bool {
        matches!(self, Scalar::S8 | Scalar::S16 | Scalar::S32 | Scalar::S64)
    }

    fn big_endian(self) -> bool {
        matches!(self, Scalar::Be16 | Scalar::Be32 | Scalar::Be64)
    }

    /// Reads the value from exactly `size()` bytes (None if `b` is shorter).
    pub fn read(self, b: &[u8]) -> Option<i128> {
        let n = self.size();
        let b = b.get(..n)?;
        let mut raw = [0u8; 8];
        if self.big_endian() {
            raw[8 - n..].copy_from_slice(b);
            Some(u64::from_be_bytes(raw) as i128)
        } else {
            if cfg!(target_endian = "little") {
                raw[..n].copy_from_slice(b);
            } else {
                raw[8 - n..].copy_from_slice(b);
            }
            let u = u64::from_ne_bytes(raw);
            Some(if self.signed() {
                let shift = 64 - 8 * n as u32;
                (((u << shift) as i64) >> shift) as i128
            } else {
                u as i128
            })
        }
    }

    /// The value's bytes, or None when it does not fit the width.
    pub fn bytes(self, v: i128) -> Option<Vec<u8>> {
        let n = self.size();
        let bits = 8 * n as u32;
        let fits = if self.signed() {
            v >= -(1i128 << (bits - 1)) && v < (1i128 << (bits - 1))
        } else {
            v >= 0 && v < (1i128 << bits)
        };
        if !fits {
            return None;
        }
        let u = v as i64 as u64;
        Some(if self.big_endian() {
            u.to_be_bytes()[8 - n..].to_vec()
        } else if cfg!(target_endian = "little") {
            u.to_le_bytes()[..n].to_vec()
        } else {
            u.to_be_bytes()[8 - n..].to_vec()
        })
    }
}

/// A named enum or flag set.
#[derive(Debug)]
pub struct EnumSpec {
    /// Schema name (`rt_scope`).
    pub name: &'static str,
    /// True for a bit set.
    pub flags: bool,
    /// `(value, name, C constant)` triples (`(253, "link", "RT_SCOPE_LINK")`).
    pub values: &'static [(u64, &'static str, &'static str)],
}

impl EnumSpec {
    /// The name of `v` (`253` -> `"link"`), for enums.
    pub fn name_of(&self, v: u64) -> Option<&'static str> {
        self.values.iter().find(|e| e.0 == v).map(|e| e.1)
    }

    /// The value of a name or C constant, case-insensitive (`"link"`, `"RT_SCOPE_LINK"`).
    pub fn value_of(&self, name: &str) -> Option<u64> {
        self.values
            .iter()
            .find(|e| e.1.eq_ignore_ascii_case(name) || e.2.eq_ignore_ascii_case(name))
            .map(|e| e.0)
    }

    /// For flags: the names of the set bits, and the bits no name covers.
    pub fn flag_names(&self, v: u64) -> (Vec<&'static str>, u64) {
        let mut rest = v;
        let mut names = Vec::new();
        for e in self.values {
            if e.0 != 0 && v & e.0 == e.0 {
                names.push(e.1);
                rest &= !e.0;
            }
        }
        (names, rest)
    }

    /// Writes a flags value as iproute2-style names joined by `|`, then the bits no name covers
    /// in hex (`0x0` when nothing is set).
    pub fn write_flags(&self, f: &mut core::fmt::Formatter<'_>, v: u64) -> core::fmt::Result {
        let mut rest = v;
        let mut first = true;
        for e in self.values {
            if e.0 != 0 && v & e.0 == e.0 {
                if !first {
                    f.write_str("|")?;
                }
                first = false;
                f.write_str(e.1)?;
                rest &= !e.0;
            }
        }
        if rest != 0 || first {
            if !first {
                f.write_str("|")?;
            }
            write!(f, "{rest:#x}")?;
        }
        Ok(())
    }

    /// Parses a value: a number, a name, or for flags `a,b|c` lists of names.
    pub fn parse(&self, s: &str) -> Option<u64> {
        if let Some(n) = parse_int(s) {
            return u64::try_from(n).ok();
        }
        if let Some(v) = self.value_of(s) {
            return Some(v);
        }
        if self.flags {
            let mut acc = 0;
            for part in s.split([',', '|']).map(str::trim).filter(|p| !p.is_empty()) {
                acc |= self.value_of(part)?;
            }
            return Some(acc);
        }
        None
    }
}

/// What a struct field holds.
#[derive(Debug)]
pub enum FieldType {
    /// An integer (or an array of `count` integers).
    Scalar(Scalar),
    /// Another struct, by value.
    Struct(&'static StructSpec),
    /// Padding.
    Pad,
}

/// One struct field.
#[derive(Debug)]
pub struct FieldSpec {
    /// Name (`dst_len`).
    pub name: &'static str,
    /// Byte offset.
    pub offset: usize,
    /// Type.
    pub ty: FieldType,
    /// Array length (1 for a plain field).
    pub count: usize,
    /// Enum or flags shown by name.
    pub enumeration: Option<&'static EnumSpec>,
}

/// A fixed struct.
#[derive(Debug)]
pub struct StructSpec {
    /// C name (`rtmsg`).
    pub name: &'static str,
    /// C `sizeof`.
    pub size: usize,
    /// Fields in order.
    pub fields: &'static [FieldSpec],
}

/// Where a sub-message's selector value comes from.
#[derive(Debug, Clone, Copy)]
pub enum Selector {
    /// A sibling attribute of the same set, by id.
    Sibling(u16),
    /// The message's top-level selector attribute (carried in [`Ctx::outer`](super::Ctx::outer)).
    Outer,
    /// The fixed header's family (carried in [`Ctx::family`](super::Ctx::family)).
    Family,
}

/// A selector value that picks a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelValue {
    /// A kind string (`"htb"`).
    Str(&'static str),
    /// An integer (encap type, family).
    Int(u64),
}

/// One format of a sub-message.
#[derive(Debug)]
pub struct FormatSpec {
    /// The selector value.
    pub value: SelValue,
    /// A struct at the start of the payload.
    pub header: Option<&'static StructSpec>,
    /// Attributes (after the struct, if any).
    pub set: Option<&'static SetSpec>,
}

/// A payload whose format a selector chooses.
#[derive(Debug)]
pub struct SubMessageSpec {
    /// Schema name (`linkinfo_data`).
    pub name: &'static str,
    /// The formats.
    pub formats: &'static [FormatSpec],
}

/// An attribute's payload type.
#[derive(Debug)]
pub enum Kind {
    /// An integer, possibly shown by name.
    Scalar(Scalar, Option<&'static EnumSpec>),
    /// Presence only.
    Flag,
    /// NUL-terminated text.
    String,
    /// Opaque bytes.
    Bytes,
    /// IPv4 address.
    Ip4,
    /// IPv6 address.
    Ip6,
    /// IPv4 or IPv6 address.
    IpAddr,
    /// Link-layer address.
    LlAddr,
    /// MPLS label stack.
    Mpls,
    /// `nla_bitfield32`.
    Bitfield32,
    /// A fixed struct.
    Struct(&'static StructSpec),
    /// A struct, then trailing structs: as many as the named count field says, or (`None`) as
    /// many as fill the rest of the payload.
    StructTrailing(
        &'static StructSpec,
        &'static StructSpec,
        Option<&'static str>,
    ),
    /// Structs filling the payload, with no header (NHA_GROUP).
    StructArray(&'static StructSpec),
    /// Nested attributes.
    Nest(&'static SetSpec),
    /// A struct, then nested attributes.
    HeaderNest(&'static StructSpec, &'static SetSpec),
    /// Indexed array of nests (ids 1..n).
    ArrayNest(&'static SetSpec),
    /// Indexed array of values (ids 1..n).
    ArrayElem(&'static Kind),
    /// Array of structs each followed by attributes (the struct's first u16 is the length).
    Multipath(&'static StructSpec, &'static SetSpec),
    /// A payload chosen by a selector.
    SubMessage(&'static SubMessageSpec, Selector),
}

/// One attribute of a set.
#[derive(Debug)]
pub struct AttrSpec {
    /// Numeric type.
    pub id: u16,
    /// Our name (`gateway`).
    pub name: &'static str,
    /// The kernel's constant (`RTA_GATEWAY`).
    pub cname: &'static str,
    /// Payload type.
    pub kind: Kind,
    /// May repeat.
    pub multi: bool,
    /// Sent with `NLA_F_NESTED` (schema `nested = true`): the kernel's policy requires it
    /// (IFLA_PROP_LIST), or reads the payload differently without it.
    pub nested: bool,
}

impl AttrSpec {
    /// The same attribute, sent with `NLA_F_NESTED` (schema `nested = true`).
    pub const fn nested(self) -> AttrSpec {
        AttrSpec {
            nested: true,
            ..self
        }
    }
}

/// An attribute set.
#[derive(Debug)]
pub struct SetSpec {
    /// Schema name (`route`).
    pub name: &'static str,
    /// Constant prefix (`RTA_`).
    pub prefix: &'static str,
    /// Attributes, sorted by id.
    pub attrs: &'static [AttrSpec],
}

impl SetSpec {
    /// The attribute with id `id`.
    pub fn by_id(&self, id: u16) -> Option<&'static AttrSpec> {
        let attrs: &'static [AttrSpec] = self.attrs;
        attrs
            .binary_search_by_key(&id, |a| a.id)
            .ok()
            .map(|i| &attrs[i])
    }

    /// The attribute called `name` (`"mtu"`, `"IFLA_MTU"`, any case).
    pub fn by_name(&self, name: &str) -> Option<&'static AttrSpec> {
        let attrs: &'static [AttrSpec] = self.attrs;
        attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name) || a.cname.eq_ignore_ascii_case(name))
    }
}

/// A pyroute2 command word and what it sends.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// The word (`"add"`).
    pub name: &'static str,
    /// Message type (`RTM_NEWROUTE`).
    pub msg_type: u16,
    /// `NLM_F_*` flags.
    pub flags: u16,
}

/// A message family: header, attributes, types and commands.
#[derive(Debug)]
pub struct MessageSpec {
    /// Our name (`route`).
    pub name: &'static str,
    /// Fixed header.
    pub header: &'static StructSpec,
    /// Top-level attributes.
    pub attrs: &'static SetSpec,
    /// `(type, name)` of its message types.
    pub types: &'static [(u16, &'static str)],
    /// pyroute2's command words.
    pub commands: &'static [Command],
    /// The top-level attribute id whose payload selects `outer:` sub-messages.
    pub outer: Option<u16>,
    /// Offset of the header's `family` byte, if it has one.
    pub family_offset: Option<usize>,
}

impl MessageSpec {
    /// The command called `name`.
    pub fn command(&self, name: &str) -> Option<&'static Command> {
        let cmds: &'static [Command] = self.commands;
        cmds.iter().find(|c| c.name == name)
    }
}

/// `struct in6_addr` (schema/rtmsg.toml) is an address to a reader: shown and accepted as
/// `"2001:db8::1"` rather than as its 16 bytes.
pub(super) const IN6_ADDR: &str = "in6_addr";

/// The name of an rtnetlink or netlink control message type (`24` -> `"RTM_NEWROUTE"`).
pub fn msg_type_name(ty: u16) -> &'static str {
    match ty {
        1 => "NLMSG_NOOP",
        2 => "NLMSG_ERROR",
        3 => "NLMSG_DONE",
        4 => "NLMSG_OVERRUN",
        _ => crate::generated::MSG_TYPES
            .iter()
            .find(|(v, _)| *v == ty)
            .map(|(_, n)| *n)
            .unwrap_or("RTM_?"),
    }
}

/// The message family for a message type, from the generated tables.
pub fn message_for_type(ty: u16) -> Option<&'static MessageSpec> {
    crate::generated::MESSAGES
        .iter()
        .copied()
        .find(|m| m.types.iter().any(|t| t.0 == ty))
}

/// What tc's per-kind C code knows about one qdisc, class, classifier or action kind, as data
/// (the `[[tc-plugin]]` entries of schema/tcmsg.toml): one generic encoder in rtnl-api reads it.
#[derive(Debug)]
pub struct TcPluginSpec {
    /// `TCA_KIND` (`"htb"`).
    pub kind: &'static str,
    /// Objects it applies to (`qdisc`, `class`, `filter`, `action`).
    pub objects: &'static [&'static str],
    /// Its `TCA_OPTIONS` format (a format value of `tc_options` or `tc_act_options`).
    pub options: Option<&'static str>,
    /// Default parent (`"root"`, `"ingress"`).
    pub default_parent: Option<&'static str>,
    /// Default handle of a qdisc (`"ffff:"` for ingress and clsact).
    pub default_handle: Option<&'static str>,
    /// Its keywords.
    pub params: &'static [TcParamSpec],
    /// Constants always sent: `(object or "", path, value)`.
    pub fixed: &'static [(&'static str, &'static str, i64)],
    /// Rates and what tc computes from them.
    pub ratespecs: &'static [TcRatespecSpec],
    /// The order tc sends the option attributes in (empty: keyword order).
    pub order: &'static [&'static str],
    /// Objects for which tc sends no TCA_OPTIONS when no option is given (drr's qdisc).
    pub omit_empty: &'static [&'static str],
    /// Whether tc sends TCA_OPTIONS with NLA_F_NESTED (`addattr_nest`: fq_pie, ets, taprio).
    pub nested_options: bool,
    /// The named routine for what is not data (`"u32_sel"`), and why it is code.
    pub routine: Option<(&'static str, &'static str)>,
    /// What it is, where tc parses it.
    pub doc: &'static str,
}

impl TcPluginSpec {
    /// Whether it applies to `object` (`qdisc`, `class`, `filter`, `action`).
    pub fn applies_to(&self, object: &str) -> bool {
        self.objects.contains(&object)
    }

    /// The keyword `key` (or an alias) for `object`.
    pub fn param(&self, object: &str, key: &str) -> Option<&'static TcParamSpec> {
        let params: &'static [TcParamSpec] = self.params;
        params
            .iter()
            .find(|p| p.for_object(object) && (p.key == key || p.aliases.contains(&key)))
    }

    /// Every keyword that `object` takes (params, rates and their bursts), for error messages.
    pub fn keywords(&self, object: &str) -> Vec<&'static str> {
        let params: &'static [TcParamSpec] = self.params;
        let rates: &'static [TcRatespecSpec] = self.ratespecs;
        let mut out: Vec<&'static str> = Vec::new();
        for p in params.iter().filter(|p| p.for_object(object)) {
            out.push(p.key);
            out.extend(p.aliases);
        }
        for r in rates
            .iter()
            .filter(|r| r.object.is_none_or(|o| o == object))
        {
            out.push(r.key);
            if let Some(b) = r.burst
                && !out.contains(&b)
            {
                out.push(b);
            }
        }
        out
    }
}

/// How a tc keyword's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcUnit {
    /// An integer (decimal, or `0x` hex).
    Int,
    /// An integer tc reads in base 16 (htb's `default 10` is 0x10).
    Hex,
    /// A size in bytes (`"32kbit"`, `"1500b"`, `"64k"`).
    Size,
    /// A time in microseconds (`"400ms"`).
    Time,
    /// A time sent in psched ticks (netem's delay).
    Ticks,
    /// A rate in bytes/s (`"5mbit"`).
    Rate,
    /// A tc handle (`"1:10"`).
    Handle,
    /// Present or not (a flag attribute, or 1 in a struct field).
    Flag,
    /// Text.
    String,
    /// `ethernet`, `atm`, `adsl`.
    Linklayer,
    /// A list of integers (prio's priomap).
    List,
    /// A percentage sent as a share of 2^32 - 1 (netem's loss).
    Percent,
    /// An interface, by index or name.
    Ifindex,
    /// An action's control verb (`pass`, `drop`, `pipe`, `goto chain 3`).
    Verdict,
    /// An ethertype by name (`ip`, `802.1q`) or number.
    Ethertype,
    /// A clock by name (`CLOCK_TAI`, `CLOCK_REALTIME`, `CLOCK_MONOTONIC`, `CLOCK_BOOTTIME`) or
    /// number (etf's and taprio's clockid).
    Clockid,
    /// A probability from 0 to 1 sent in 65535ths, rounded (sfb's increment and decrement).
    Fraction16,
    /// A list of words kept as given: a string split at whitespace, or a list (mqprio's
    /// `min_rate 1mbit 2mbit`, `fp E P`), read by a routine.
    Words,
    /// A time in nanoseconds: an integer, or a number with s, ms, us, ns (gate's base-time).
    Ns,
    /// One text or a list of texts (gate's sched-entry clauses, each several words), kept as a
    /// list of strings for the kind's routine.
    Strings,
}

/// One keyword of a tc plugin.
#[derive(Debug)]
pub struct TcParamSpec {
    /// The keyword (`"r2q"`).
    pub key: &'static str,
    /// Other spellings (`flowid` for `classid`).
    pub aliases: &'static [&'static str],
    /// The object it is for (None: all of the plugin's).
    pub object: Option<&'static str>,
    /// Where it goes in TCA_OPTIONS (`"init.rate2quantum"`); None: read by a computation.
    pub to: Option<&'static str>,
    /// How its value is read.
    pub unit: TcUnit,
    /// The value tc uses when it is not given.
    pub default: Option<&'static str>,
    /// Whether it must be given.
    pub required: bool,
    /// Constants it writes when given: `(path, value, how)`.
    pub sets: &'static [(&'static str, i64, TcSetOp)],
    /// Value names and what they mean (pyroute2's `ack_filter='aggressive'`); a name is
    /// matched case-insensitively, a boolean as `true`/`false`.
    pub values: &'static [(&'static str, TcValueMeans)],
}

/// What a value name of a tc keyword means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcValueMeans {
    /// Another keyword of the plugin, given as a flag (cake's `ack_filter='aggressive'` is
    /// `ack_filter_aggressive`).
    Keyword(&'static str),
    /// A number, read in the keyword's unit (skbedit's `ptype='host'` is 0).
    Int(i64),
}

/// How a tc keyword's constant (`sets`) meets what is already at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcSetOp {
    /// Replaces it (cake's `diffserv4` sets diffserv_mode 1).
    Replace,
    /// ORs into it (a bit of a flags field: etf's `offload`).
    Or,
    /// Adds to it (cake's `ethernet` adds 38 to the overhead, as tc's `overhead += 38`).
    Add,
}

impl TcParamSpec {
    /// Whether it applies to `object`.
    pub fn for_object(&self, object: &str) -> bool {
        self.object.is_none_or(|o| o == object)
    }

    /// What `v` means when it is one of the keyword's value names.
    pub fn value_name(&self, v: &crate::spec::Value) -> Option<TcValueMeans> {
        use crate::spec::Value;
        let name = match v {
            Value::Str(s) => s.as_str(),
            Value::Bool(true) => "true",
            Value::Bool(false) => "false",
            _ => return None,
        };
        self.values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, m)| *m)
    }
}

/// A rate keyword and what tc computes from it: the `tc_ratespec`, the 64-bit rate attribute
/// above 32 bits, the rate table (`tc_calc_rtable`) and the burst in ticks (`tc_calc_xmittime`).
#[derive(Debug)]
pub struct TcRatespecSpec {
    /// The keyword (`"rate"`).
    pub key: &'static str,
    /// The object it is for (None: all).
    pub object: Option<&'static str>,
    /// The `tc_ratespec` it fills (`"parms.rate"`).
    pub ratespec: &'static str,
    /// The 64-bit rate attribute, sent when the rate is 2^32 bytes/s or more.
    pub rate64: Option<&'static str>,
    /// The rate table attribute (`"rtab"`).
    pub table: Option<&'static str>,
    /// The burst keyword (`"burst"`).
    pub burst: Option<&'static str>,
    /// The attribute that carries the burst in bytes (tbf's `TCA_TBF_BURST`).
    pub burst_attr: Option<&'static str>,
    /// Where the burst goes as transmit ticks (`"parms.buffer"`).
    pub buffer: Option<&'static str>,
    /// Without a burst: `"rate/hz+mtu"` (htb) or `"required"` (tbf).
    pub burst_default: Option<&'static str>,
    /// The rate the ticks are computed at: `"rate64"` (htb) or `"ratespec"` (tbf: the 32-bit one).
    pub xmit_rate: &'static str,
    /// The keyword whose rate it takes when not given (htb's ceil: `"rate"`).
    pub default: Option<&'static str>,
    /// Whether it must be given.
    pub required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_and_write_every_width() {
        for (sc, v) in [
            (Scalar::U8, 255),
            (Scalar::S8, -128),
            (Scalar::U16, 65535),
            (Scalar::S32, -5),
            (Scalar::Be32, 0x0102_0304),
            (Scalar::U64, u64::MAX as i128),
            (Scalar::S64, i64::MIN as i128),
            (Scalar::Be64, 7),
        ] {
            let b = sc.bytes(v).unwrap();
            assert_eq!(b.len(), sc.size());
            assert_eq!(sc.read(&b), Some(v), "{sc:?}");
        }
        assert!(Scalar::U8.bytes(256).is_none());
        assert!(Scalar::S8.bytes(128).is_none());
    }
}
