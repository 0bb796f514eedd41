//! The schema files as serde data: exactly what schema/README.md documents, nothing resolved yet.

use serde::Deserialize;

/// One schema file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Module documentation.
    #[serde(default)]
    pub doc: String,
    /// Structs.
    #[serde(default, rename = "struct")]
    pub structs: Vec<Struct>,
    /// Enums and flag sets.
    #[serde(default, rename = "enum")]
    pub enums: Vec<Enum>,
    /// Attribute sets.
    #[serde(default, rename = "attribute-set")]
    pub sets: Vec<Set>,
    /// Sub-messages.
    #[serde(default, rename = "sub-message")]
    pub sub_messages: Vec<SubMessage>,
    /// The family's message.
    #[serde(default)]
    pub message: Option<Message>,
    /// tc plugins.
    #[serde(default, rename = "tc-plugin")]
    pub tc_plugins: Vec<TcPlugin>,
}

/// A fixed struct.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Struct {
    pub name: String,
    pub size: usize,
    #[serde(default)]
    pub doc: String,
    /// The C field-name prefix (`rtm_` for `struct rtmsg`), for the header proof.
    #[serde(default)]
    pub cprefix: String,
    /// The C type when it is not `struct NAME` (or `"none"`: no uapi definition to check).
    #[serde(default)]
    pub ctype: Option<String>,
    /// Kernel version that added it, when newer than the build machine's headers.
    #[serde(default)]
    pub since: Option<String>,
    pub fields: Vec<Field>,
}

/// A struct field or padding.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    #[serde(default)]
    pub count: Option<usize>,
    #[serde(default)]
    pub pad: Option<usize>,
    #[serde(default, rename = "enum")]
    pub enumeration: Option<String>,
    #[serde(default)]
    pub flags: Option<String>,
    /// The C field name when it is not `cprefix + name`.
    #[serde(default)]
    pub cname: Option<String>,
    #[serde(default)]
    pub doc: String,
}

/// An enum or flag set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    pub name: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub doc: String,
    pub values: Vec<EnumValue>,
}

/// One enum value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub name: String,
    /// The value (negative only for signed enums, e.g. TC_ACT_UNSPEC = -1).
    pub value: i64,
    #[serde(default)]
    pub cname: Option<String>,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub since: Option<String>,
}

/// An attribute set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Set {
    pub name: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub doc: String,
    pub attributes: Vec<Attr>,
}

/// One attribute.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Attr {
    pub id: u16,
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub cname: Option<String>,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub multi: bool,
    /// Sent with NLA_F_NESTED (the kernel's policy requires it, or pyroute2 sets it).
    #[serde(default)]
    pub nested: bool,
    #[serde(default, rename = "enum")]
    pub enumeration: Option<String>,
    #[serde(default)]
    pub flags: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default, rename = "struct")]
    pub structure: Option<String>,
    #[serde(default)]
    pub nest: Option<String>,
    #[serde(default)]
    pub elem: Option<String>,
    #[serde(default)]
    pub trailing: Option<String>,
    #[serde(default)]
    pub count_field: Option<String>,
    #[serde(default)]
    pub sub_message: Option<String>,
    #[serde(default)]
    pub selector: Option<String>,
}

/// A sub-message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubMessage {
    pub name: String,
    #[serde(default)]
    pub doc: String,
    pub formats: Vec<Format>,
}

/// One format of a sub-message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format {
    pub value: toml::Value,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub nest: Option<String>,
    #[serde(default, rename = "struct")]
    pub structure: Option<String>,
    #[serde(default)]
    pub doc: String,
}

/// A family's message: header, attributes, types, commands.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub name: String,
    pub header: String,
    pub attributes: String,
    #[serde(default)]
    pub doc: String,
    pub types: Vec<MsgType>,
    #[serde(default)]
    pub commands: Vec<Command>,
}

/// A message type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MsgType {
    pub name: String,
    pub value: u16,
}

/// A pyroute2 command word.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub flags: Vec<String>,
    #[serde(default)]
    pub doc: String,
}

/// A tc plugin: what tc's per-kind C code knows, as data (schema/README.md "tc plugins").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TcPlugin {
    pub kind: String,
    pub object: Vec<String>,
    #[serde(default)]
    pub options: Option<String>,
    #[serde(default)]
    pub default_parent: Option<String>,
    #[serde(default)]
    pub default_handle: Option<String>,
    #[serde(default)]
    pub params: Vec<TcParam>,
    #[serde(default)]
    pub fixed: Vec<TcFixed>,
    #[serde(default)]
    pub ratespecs: Vec<TcRatespec>,
    /// Keywords the plugin's routine reads itself (u32's `match`, mirred's `direction`): not
    /// placed by the generic encoder, listed for the typed form's setters.
    #[serde(default)]
    pub words: Vec<TcWord>,
    #[serde(default)]
    pub order: Vec<String>,
    #[serde(default)]
    pub omit_empty: Vec<String>,
    #[serde(default)]
    pub nested_options: bool,
    #[serde(default)]
    pub routine: Option<String>,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub doc: String,
}

/// One keyword of a tc plugin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TcParam {
    pub key: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub object: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub sets: Vec<TcSet>,
    /// Value names (pyroute2's `ack_filter='aggressive'`, `ptype='host'`): a name (`true` and
    /// `false` for booleans) means another keyword of the plugin given as a flag, or a number.
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, TcValueName>,
}

/// What a value name of a tc keyword means (see [`TcParam::values`]).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum TcValueName {
    /// Another keyword of the same plugin and object, given as a flag (`ack_filter_aggressive`).
    Keyword(String),
    /// A number, then read in the keyword's unit.
    Int(i64),
}

/// A keyword a tc plugin's routine reads (see [`TcPlugin::words`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TcWord {
    pub key: String,
    #[serde(default)]
    pub object: Option<String>,
    /// How its value reads (a [`TcParam`] unit); the routine converts it.
    #[serde(default)]
    pub unit: Option<String>,
    /// Given once per clause, kept as a list (u32's `match`, pedit's `munge`).
    #[serde(default)]
    pub multi: bool,
    #[serde(default)]
    pub doc: String,
}

/// A constant a tc keyword writes when given (cake's `diffserv4` sets diffserv_mode 1).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TcSet {
    pub to: String,
    pub value: i64,
    /// OR the value into what is there (a bit of a flags field) instead of replacing it.
    #[serde(default)]
    pub bits: bool,
    /// Add the value to what is there (cake's overhead compounds: `overhead += 38`).
    #[serde(default)]
    pub add: bool,
}

/// A constant a tc plugin always sends.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TcFixed {
    #[serde(default)]
    pub object: Option<String>,
    pub to: String,
    pub value: i64,
}

/// A rate and what tc computes from it (tc_ratespec, rate64, rate table, burst ticks).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TcRatespec {
    pub key: String,
    #[serde(default)]
    pub object: Option<String>,
    pub ratespec: String,
    #[serde(default)]
    pub rate64: Option<String>,
    #[serde(default)]
    pub table: Option<String>,
    #[serde(default)]
    pub burst: Option<String>,
    #[serde(default)]
    pub burst_attr: Option<String>,
    #[serde(default)]
    pub buffer: Option<String>,
    #[serde(default)]
    pub burst_default: Option<String>,
    #[serde(default)]
    pub xmit_rate: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
}
