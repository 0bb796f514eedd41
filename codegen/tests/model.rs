//! What validation resolves: attribute types, references as ids, selectors; and the problems only
//! the resolved model can see.

use codegen::Schema;
use codegen::ir::{AttrType, Scalar, Selector, SetId, StructId, SubId};

const SCHEMA: &str = r#"
[[struct]]
name = "sel"
size = 4
fields = [ { name = "nkeys", type = "u8" }, { pad = 1 }, { name = "off", type = "be16" } ]

[[struct]]
name = "key"
size = 4
fields = [ { name = "val", type = "be32" } ]

[[enum]]
name = "encap"
type = "u16"
values = [ { name = "mpls", value = 1 } ]

[[attribute-set]]
name = "top"
prefix = "T_"
attributes = [
  { id = 1, name = "kind", type = "u16", enum = "encap" },
  { id = 2, name = "data", type = "sub-message", sub-message = "by_kind", selector = "kind" },
  { id = 3, name = "inner", type = "nest", nest = "inner" },
  { id = 4, name = "sel", type = "struct", struct = "sel", trailing = "key", count-field = "nkeys" },
  { id = 5, name = "ports", type = "array", elem = "u16" },
  { id = 6, name = "keys", type = "structs", struct = "key" },
]

[[attribute-set]]
name = "inner"
prefix = "I_"
attributes = [ { id = 1, name = "x", type = "be32" } ]

[[sub-message]]
name = "by_kind"
formats = [ { value = 1, nest = "inner" }, { value = 2 } ]
"#;

fn load(text: &str) -> Result<Schema, codegen::SchemaErrors> {
    Schema::from_sources(vec![("t".into(), "schema/t.toml".into(), text.into())])
}

#[test]
fn references_and_selectors_are_resolved() {
    let schema = load(SCHEMA).unwrap();
    let m = &schema.model;
    let top = &m.sets[0];
    let types: Vec<&AttrType> = top.attrs.iter().map(|a| &a.ty).collect();
    assert_eq!(
        types,
        [
            &AttrType::Scalar(Scalar::U16, Some(codegen::ir::EnumId(0))),
            &AttrType::SubMessage(SubId(0), Selector::Sibling(1)),
            &AttrType::Nest(SetId(1)),
            &AttrType::StructCounted(StructId(0), StructId(1)),
            &AttrType::ArrayElem(Box::new(AttrType::Scalar(Scalar::U16, None))),
            &AttrType::StructArray(StructId(1)),
        ]
    );
    assert_eq!(m.sets[1].attrs[0].ty, AttrType::Scalar(Scalar::Be32, None));
    assert_eq!(m.structs[0].count_field.as_ref().unwrap().name, "nkeys");
    // Integer formats are named by the selector's enum; unnamed values by their number.
    let variants: Vec<&str> = m.subs[0]
        .formats
        .iter()
        .map(|f| f.variant.as_str())
        .collect();
    assert_eq!(variants, ["Mpls", "V2"]);
    assert_eq!(m.files[0].sets, [SetId(0), SetId(1)]);
}

#[test]
fn count_field_must_be_an_integer_field() {
    let text = SCHEMA.replace("count-field = \"nkeys\"", "count-field = \"off2\"");
    let errs = load(&text).unwrap_err().0;
    assert!(
        errs.iter().any(|e| e.item.contains("attribute sel")
            && e.reason.contains("\"off2\" is not a field of struct sel")),
        "{errs:?}"
    );
    let text = SCHEMA
        .replace(
            "{ name = \"off\", type = \"be16\" }",
            "{ name = \"off\", type = \"key\" }",
        )
        .replace(
            "size = 4\nfields = [ { name = \"nkeys\"",
            "size = 6\nfields = [ { name = \"nkeys\"",
        )
        .replace("count-field = \"nkeys\"", "count-field = \"off\"");
    let errs = load(&text).unwrap_err().0;
    assert!(
        errs.iter().any(|e| e
            .reason
            .contains("\"off\" is not an integer field of struct sel")),
        "{errs:?}"
    );
}

#[test]
fn big_endian_array_elements_are_rejected() {
    let text = SCHEMA.replace("elem = \"u16\"", "elem = \"be16\"");
    let errs = load(&text).unwrap_err().0;
    assert!(
        errs.iter().any(|e| e.item.contains("attribute ports")
            && e.reason
                .contains("big-endian array elements are not supported")),
        "{errs:?}"
    );
}

#[test]
fn structs_needs_a_struct_and_takes_no_trailing() {
    let text = SCHEMA.replace("type = \"structs\", struct = \"key\"", "type = \"structs\"");
    let errs = load(&text).unwrap_err().0;
    assert!(
        errs.iter().any(|e| e.item.contains("attribute keys")
            && e.reason.contains("type structs needs struct = \"...\"")),
        "{errs:?}"
    );
    let text = SCHEMA.replace(
        "type = \"structs\", struct = \"key\"",
        "type = \"structs\", struct = \"sel\", trailing = \"key\"",
    );
    let errs = load(&text).unwrap_err().0;
    assert!(
        errs.iter().any(|e| e.item.contains("attribute keys")
            && e.reason
                .contains("key \"trailing\" does not apply to type structs")),
        "{errs:?}"
    );
    let text = SCHEMA.replace("struct = \"key\" }", "struct = \"nokey\" }");
    let errs = load(&text).unwrap_err().0;
    assert!(
        errs.iter().any(|e| e
            .reason
            .contains("struct \"nokey\" is not a defined struct")),
        "{errs:?}"
    );
}
