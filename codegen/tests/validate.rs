//! The validator rejects bad schemas with file, item and reason; each case is a small schema.

use codegen::{Schema, SchemaErrors};

const BASE: &str = r#"
[[struct]]
name = "hdr"
size = 8
fields = [ { name = "family", type = "u8" }, { pad = 3 }, { name = "index", type = "s32" } ]

[[enum]]
name = "rtm_type"
prefix = "T_"
type = "u16"
values = [ { name = "new", value = 1000 }, { name = "del", value = 1001 } ]

[[enum]]
name = "color"
type = "u8"
values = [ { name = "red", value = 1 }, { name = "blue", value = 2 } ]

[[attribute-set]]
name = "top"
prefix = "T_"
attributes = [
  { id = 1, name = "name", type = "string" },
  { id = 2, name = "kind", type = "string" },
  { id = 3, name = "data", type = "sub-message", sub-message = "by_kind", selector = "kind" },
  { id = 4, name = "color", type = "u8", enum = "color" },
]

[[attribute-set]]
name = "inner"
prefix = "I_"
attributes = [ { id = 1, name = "x", type = "u32" } ]

[[sub-message]]
name = "by_kind"
formats = [ { value = "a", nest = "inner" }, { value = "b" } ]

[message]
name = "thing"
header = "hdr"
attributes = "top"
types = [ { name = "T_NEW", value = 1000 } ]
commands = [ { name = "add", type = "T_NEW", flags = ["REQUEST", "ACK", "CREATE"] } ]
"#;

fn load(extra: &str, replace: Option<(&str, &str)>) -> Result<Schema, SchemaErrors> {
    let mut text = BASE.to_string();
    if let Some((a, b)) = replace {
        assert!(text.contains(a), "test setup: {a:?} not in base schema");
        text = text.replace(a, b);
    }
    text.push_str(extra);
    Schema::from_sources(vec![("t".into(), "schema/t.toml".into(), text)])
}

fn expect_err(extra: &str, replace: Option<(&str, &str)>, item: &str, reason: &str) {
    let errs = load(extra, replace)
        .expect_err("schema should be rejected")
        .0;
    assert!(
        errs.iter().any(|e| e.file == "schema/t.toml"
            && e.item.contains(item)
            && e.reason.contains(reason)),
        "expected an error on {item:?} containing {reason:?}, got:\n{}",
        SchemaErrors(errs.clone())
    );
}

#[test]
fn base_is_valid() {
    load("", None).unwrap();
}

#[test]
fn duplicate_id() {
    expect_err(
        "",
        Some(("{ id = 4, name = \"color\"", "{ id = 1, name = \"color\"")),
        "attribute color",
        "duplicate id 1",
    );
}

#[test]
fn duplicate_name() {
    expect_err(
        "",
        Some(("{ id = 2, name = \"kind\"", "{ id = 2, name = \"name\"")),
        "attribute name",
        "duplicate name",
    );
    expect_err(
        "[[attribute-set]]\nname = \"inner\"\nattributes = []\n",
        None,
        "attribute-set inner",
        "duplicate name",
    );
}

#[test]
fn unknown_type() {
    expect_err(
        "",
        Some(("type = \"u32\" }", "type = \"u33\" }")),
        "attribute x",
        "unknown type \"u33\"",
    );
}

#[test]
fn dangling_references() {
    expect_err(
        "",
        Some(("nest = \"inner\" }", "nest = \"nowhere\" }")),
        "format a",
        "\"nowhere\" is not a defined attribute-set",
    );
    expect_err(
        "",
        Some(("enum = \"color\"", "enum = \"colour\"")),
        "attribute color",
        "\"colour\" is not a defined enum",
    );
    expect_err(
        "",
        Some(("sub-message = \"by_kind\"", "sub-message = \"by_kin\"")),
        "attribute data",
        "not defined",
    );
    expect_err(
        "",
        Some(("header = \"hdr\"", "header = \"hdrx\"")),
        "message thing",
        "not a defined struct",
    );
}

#[test]
fn struct_size_must_add_up() {
    expect_err(
        "",
        Some(("{ pad = 3 }", "{ pad = 2 }")),
        "struct hdr",
        "fields add up to 7 bytes but size is 8",
    );
}

#[test]
fn sub_message_needs_selector() {
    expect_err(
        "",
        Some((", selector = \"kind\"", "")),
        "attribute data",
        "sub-message without selector",
    );
    expect_err(
        "",
        Some(("selector = \"kind\"", "selector = \"knd\"")),
        "attribute data",
        "not an attribute of set top",
    );
}

#[test]
fn enum_width_must_match() {
    expect_err(
        "",
        Some((
            "{ id = 4, name = \"color\", type = \"u8\"",
            "{ id = 4, name = \"color\", type = \"u32\"",
        )),
        "attribute color",
        "is u8 but this value is u32",
    );
}

#[test]
fn keys_must_fit_the_type() {
    expect_err(
        "",
        Some((
            "{ id = 1, name = \"x\", type = \"u32\" }",
            "{ id = 1, name = \"x\", type = \"u32\", nest = \"inner\" }",
        )),
        "attribute x",
        "does not apply",
    );
}

#[test]
fn bad_command_flag() {
    expect_err(
        "",
        Some(("\"CREATE\"]", "\"CREAT\"]")),
        "command add",
        "unknown flag \"CREAT\"",
    );
}

#[test]
fn syntax_and_unknown_keys_name_the_file() {
    let errs = Schema::from_sources(vec![(
        "t".into(),
        "schema/t.toml".into(),
        "[[struct]]\nname = 1\n".into(),
    )])
    .unwrap_err();
    assert_eq!(errs.0[0].file, "schema/t.toml");
    expect_err(
        "",
        Some(("prefix = \"I_\"", "prefix = \"I_\"\ncolour = 1")),
        "syntax",
        "unknown field `colour`",
    );
}

#[test]
fn output_is_deterministic_and_parses() {
    let a = codegen::generate(&load("", None).unwrap());
    let b = codegen::generate(&load("", None).unwrap());
    assert_eq!(a, b);
    for (name, src) in &a {
        assert!(
            src.starts_with("// @generated by `cargo xtask regen`"),
            "{name}"
        );
        syn::parse_file(src).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn message_type_not_in_rtm_type() {
    expect_err(
        "",
        Some((
            "{ name = \"T_NEW\", value = 1000 }",
            "{ name = \"T_NEW\", value = 1000 }, { name = \"T_GET\", value = 1002 }",
        )),
        "message thing, type T_GET",
        "not a value of enum rtm_type",
    );
}

#[test]
fn message_type_value_differs_from_rtm_type() {
    expect_err(
        "",
        Some((
            "{ name = \"T_NEW\", value = 1000 }",
            "{ name = \"T_NEW\", value = 1001 }",
        )),
        "message thing, type T_NEW",
        "value 1001 but enum rtm_type says 1000",
    );
}

#[test]
fn message_types_need_enum_rtm_type() {
    expect_err(
        "",
        Some(("name = \"rtm_type\"", "name = \"msg_type\"")),
        "message thing, type T_NEW",
        "enum rtm_type (the message types) is not defined",
    );
}

#[test]
fn nested_flag_only_on_nesting_types() {
    expect_err(
        "",
        Some((
            "{ id = 4, name = \"color\", type = \"u8\", enum = \"color\" }",
            "{ id = 4, name = \"color\", type = \"u8\", enum = \"color\", nested = true }",
        )),
        "attribute color",
        "nested = true on a u8",
    );
    // On a sub-message (or nest, array, multipath) it is fine, and the table says so.
    let s = load(
        "",
        Some((
            "selector = \"kind\" }",
            "selector = \"kind\", nested = true }",
        )),
    )
    .unwrap();
    let out = codegen::generate(&s);
    let text: String = out.iter().map(|(_, c)| c.as_str()).collect();
    assert!(text.contains(".nested()"), "the spec table marks it");
    assert!(
        text.contains("3 | crate::nla::NLA_F_NESTED"),
        "the typed setter sets it"
    );
}
