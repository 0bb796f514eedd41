//! The resolved schema: what validation produces and emission consumes. Every reference is an
//! index into [`Model`]'s tables, every attribute type a variant of [`AttrType`], every selector
//! resolved to a sibling id, the outer selector or the header's family. Nothing here is a string
//! to be matched later; names are kept only to be printed.

/// Index of a struct in [`Model::structs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StructId(pub usize);
/// Index of an enum or flag set in [`Model::enums`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnumId(pub usize);
/// Index of an attribute set in [`Model::sets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SetId(pub usize);
/// Index of a sub-message in [`Model::subs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SubId(pub usize);

/// A valid schema, resolved.
#[derive(Debug, Default)]
pub struct Model {
    /// The schema files, in file-name order: what each generated module holds.
    pub files: Vec<ModFile>,
    /// Every struct.
    pub structs: Vec<StructDef>,
    /// Every enum and flag set.
    pub enums: Vec<EnumDef>,
    /// Every attribute set.
    pub sets: Vec<SetDef>,
    /// Every sub-message.
    pub subs: Vec<SubDef>,
    /// Every message family.
    pub messages: Vec<MessageDef>,
}

/// One schema file and the items it defines, in declaration order.
#[derive(Debug, Default)]
pub struct ModFile {
    /// File stem (`rtmsg`): the module name.
    pub stem: String,
    /// Display path (`schema/rtmsg.toml`).
    pub path: String,
    /// Module documentation.
    pub doc: String,
    /// Its enums.
    pub enums: Vec<EnumId>,
    /// Its structs.
    pub structs: Vec<StructId>,
    /// Its sets.
    pub sets: Vec<SetId>,
    /// Its sub-messages.
    pub subs: Vec<SubId>,
    /// Its message family (index into [`Model::messages`]).
    pub message: Option<usize>,
}

/// A fixed-width integer and its byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    U8,
    U16,
    U32,
    U64,
    S8,
    S16,
    S32,
    S64,
    Be16,
    Be32,
    Be64,
}

impl Scalar {
    /// The scalar a schema type word names.
    pub fn parse(ty: &str) -> Option<Scalar> {
        Some(match ty {
            "u8" => Scalar::U8,
            "u16" => Scalar::U16,
            "u32" => Scalar::U32,
            "u64" => Scalar::U64,
            "s8" => Scalar::S8,
            "s16" => Scalar::S16,
            "s32" => Scalar::S32,
            "s64" => Scalar::S64,
            "be16" => Scalar::Be16,
            "be32" => Scalar::Be32,
            "be64" => Scalar::Be64,
            _ => return None,
        })
    }

    /// Width in bytes.
    pub fn size(self) -> usize {
        match self {
            Scalar::U8 | Scalar::S8 => 1,
            Scalar::U16 | Scalar::S16 | Scalar::Be16 => 2,
            Scalar::U32 | Scalar::S32 | Scalar::Be32 => 4,
            Scalar::U64 | Scalar::S64 | Scalar::Be64 => 8,
        }
    }

    /// Network byte order.
    pub fn is_be(self) -> bool {
        matches!(self, Scalar::Be16 | Scalar::Be32 | Scalar::Be64)
    }

    /// Signed.
    pub fn is_signed(self) -> bool {
        matches!(self, Scalar::S8 | Scalar::S16 | Scalar::S32 | Scalar::S64)
    }

    /// The schema's word for it (`be16`), which is also its `types::read` function's name.
    pub fn word(self) -> &'static str {
        match self {
            Scalar::U8 => "u8",
            Scalar::U16 => "u16",
            Scalar::U32 => "u32",
            Scalar::U64 => "u64",
            Scalar::S8 => "s8",
            Scalar::S16 => "s16",
            Scalar::S32 => "s32",
            Scalar::S64 => "s64",
            Scalar::Be16 => "be16",
            Scalar::Be32 => "be32",
            Scalar::Be64 => "be64",
        }
    }

    /// The Rust integer a value of it is (`be16` -> `u16`).
    pub fn rust(self) -> &'static str {
        match self {
            Scalar::U8 => "u8",
            Scalar::U16 | Scalar::Be16 => "u16",
            Scalar::U32 | Scalar::Be32 => "u32",
            Scalar::U64 | Scalar::Be64 => "u64",
            Scalar::S8 => "i8",
            Scalar::S16 => "i16",
            Scalar::S32 => "i32",
            Scalar::S64 => "i64",
        }
    }

    /// Its variant of `spec::Scalar` (`Be16`).
    pub fn variant(self) -> &'static str {
        match self {
            Scalar::U8 => "U8",
            Scalar::U16 => "U16",
            Scalar::U32 => "U32",
            Scalar::U64 => "U64",
            Scalar::S8 => "S8",
            Scalar::S16 => "S16",
            Scalar::S32 => "S32",
            Scalar::S64 => "S64",
            Scalar::Be16 => "Be16",
            Scalar::Be32 => "Be32",
            Scalar::Be64 => "Be64",
        }
    }
}

/// A struct.
#[derive(Debug)]
pub struct StructDef {
    pub name: String,
    pub doc: String,
    /// The C `sizeof`, which the fields add up to.
    pub size: usize,
    pub fields: Vec<FieldDef>,
    /// The field that counts the entries trailing this struct (a `count-field` of an attribute).
    pub count_field: Option<CountField>,
}

/// An integer field of a struct that counts the entries after it (`tc_u32_sel.nkeys`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountField {
    pub name: String,
    pub ty: Scalar,
}

/// A struct field at its offset.
#[derive(Debug)]
pub struct FieldDef {
    pub offset: usize,
    pub kind: FieldKind,
}

/// Padding or a named field.
#[derive(Debug)]
pub enum FieldKind {
    /// `n` bytes of padding.
    Pad(usize),
    /// A named field of `count` elements.
    Value {
        name: String,
        doc: String,
        ty: FieldType,
        count: usize,
        /// The enum or flag set its values belong to.
        names: Option<EnumId>,
    },
}

/// A field's element type.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    Scalar(Scalar),
    /// A nested struct (its width is that struct's size).
    Struct(StructId, usize),
}

/// An enum or flag set.
#[derive(Debug)]
pub struct EnumDef {
    pub name: String,
    pub doc: String,
    pub ty: Scalar,
    /// A bit set (constants that combine) rather than a value enum.
    pub flags: bool,
    pub values: Vec<EnumValue>,
}

/// One named value.
#[derive(Debug)]
pub struct EnumValue {
    pub name: String,
    /// The C constant (`RT_SCOPE_LINK`).
    pub cname: String,
    pub value: i64,
    pub doc: String,
}

/// An attribute set.
#[derive(Debug)]
pub struct SetDef {
    pub name: String,
    pub prefix: String,
    pub doc: String,
    /// In declaration order.
    pub attrs: Vec<AttrDef>,
}

/// One attribute.
#[derive(Debug)]
pub struct AttrDef {
    pub id: u16,
    pub name: String,
    /// The C constant (`RTA_DST`).
    pub cname: String,
    pub doc: String,
    /// The schema's type word, for documentation only.
    pub type_word: String,
    pub since: Option<String>,
    /// Repeated: every occurrence counts.
    pub multi: bool,
    /// Sent with NLA_F_NESTED in `nla_type`.
    pub nested: bool,
    pub ty: AttrType,
}

/// What an attribute's payload is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrType {
    /// An integer, with the enum or flag set its values belong to.
    Scalar(Scalar, Option<EnumId>),
    Flag,
    String,
    Bytes,
    Ip4,
    Ip6,
    IpAddr,
    LlAddr,
    Mpls,
    Bitfield32,
    /// A struct (longer payloads allowed).
    Struct(StructId),
    /// A struct, then entries of the second struct filling the payload.
    StructRest(StructId, StructId),
    /// Entries of a struct filling the payload, with no header (NHA_GROUP's `nexthop_grp`s).
    StructArray(StructId),
    /// A struct, then as many entries of the second struct as its count field says.
    StructCounted(StructId, StructId),
    /// A nest of a set.
    Nest(SetId),
    /// A struct, then a nest of a set.
    HeaderNest(StructId, SetId),
    /// An indexed array of nests.
    ArrayNest(SetId),
    /// An indexed array of plain values (a scalar or a simple value type, never an enum).
    ArrayElem(Box<AttrType>),
    /// Multipath entries: a struct with a length, then a set.
    Multipath(StructId, SetId),
    /// A sub-message and what selects its format.
    SubMessage(SubId, Selector),
}

/// What chooses a sub-message's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selector {
    /// A sibling attribute of the same set, by id.
    Sibling(u16),
    /// The message's top-level selector attribute.
    Outer,
    /// The header's address family.
    Family,
}

/// A sub-message.
#[derive(Debug)]
pub struct SubDef {
    pub name: String,
    pub doc: String,
    pub formats: Vec<FormatDef>,
}

/// One format of a sub-message.
#[derive(Debug)]
pub struct FormatDef {
    pub value: FormatValue,
    /// Its variant name (`Mpls`, `Bridge`, `V4`).
    pub variant: String,
    pub doc: String,
    pub header: Option<StructId>,
    pub set: Option<SetId>,
}

/// A selector value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatValue {
    Str(String),
    Int(i64),
}

impl std::fmt::Display for FormatValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatValue::Str(s) => f.write_str(s),
            FormatValue::Int(i) => write!(f, "{i}"),
        }
    }
}

/// A message family.
#[derive(Debug)]
pub struct MessageDef {
    pub name: String,
    pub doc: String,
    pub header: StructId,
    pub attrs: SetId,
    /// `(RTM_NEWROUTE, 24)` ...
    pub types: Vec<(String, u16)>,
    pub commands: Vec<CommandDef>,
    /// Id of the top-level attribute that selects nested formats (`TCA_KIND`).
    pub outer: Option<u16>,
    /// The header's `family` field: its offset, and whether it is typed as an enum.
    pub family: Option<(usize, bool)>,
}

/// A pyroute2 command word.
#[derive(Debug)]
pub struct CommandDef {
    pub name: String,
    pub msg_type: u16,
    /// `NLM_F_` names without the prefix.
    pub flags: Vec<String>,
}

/// `NLM_F_` flag names accepted in command tables, and their values.
pub const NLM_FLAGS: &[(&str, u16)] = &[
    ("REQUEST", 0x01),
    ("MULTI", 0x02),
    ("ACK", 0x04),
    ("ECHO", 0x08),
    ("ROOT", 0x100),
    ("MATCH", 0x200),
    ("ATOMIC", 0x400),
    ("DUMP", 0x300),
    ("REPLACE", 0x100),
    ("EXCL", 0x200),
    ("CREATE", 0x400),
    ("APPEND", 0x800),
    ("NONREC", 0x100),
    ("BULK", 0x200),
];
