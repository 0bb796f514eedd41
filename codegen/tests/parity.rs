//! pyroute2 vocabulary parity: every attribute name pyroute2 0.9 knows for these families
//! (extracted by `xtask/parity/pyroute2_names.py`, committed as data) resolves in our schema to
//! the same id, unless `parity/pyroute2_exceptions.txt` says why not.

use std::collections::BTreeMap;
use std::path::Path;

/// `NAME reason` lines (comments start with `#`).
fn read_exceptions(root: &Path, file: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(root.join("tests/parity").join(file))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            l.split_once(char::is_whitespace)
                .map(|(n, why)| (n.trim().to_string(), why.trim().to_string()))
        })
        .collect()
}

#[test]
fn pyroute2_names_resolve_to_the_same_ids() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = codegen::Schema::load(&root.parent().unwrap().join("schema"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ours: BTreeMap<String, Vec<(String, u16)>> = BTreeMap::new();
    for (_, _, f) in &schema.files {
        for s in &f.sets {
            for a in &s.attributes {
                let c = a
                    .cname
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase()));
                ours.entry(c).or_default().push((s.name.clone(), a.id));
            }
        }
    }
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/parity/pyroute2.json")).unwrap(),
    )
    .unwrap();
    let exceptions = read_exceptions(root, "pyroute2_exceptions.txt");
    let excepted: BTreeMap<&str, &str> = exceptions
        .iter()
        .map(|(n, w)| (n.as_str(), w.as_str()))
        .collect();
    let (mut ok, mut problems) = (0, Vec::new());
    for a in data["attributes"].as_array().unwrap() {
        let (name, id, path) = (
            a["name"].as_str().unwrap(),
            a["id"].as_u64().unwrap() as u16,
            a["path"].as_str().unwrap(),
        );
        if excepted.contains_key(name) {
            if ours
                .get(name)
                .is_some_and(|sets| sets.iter().any(|(_, i)| *i == id))
            {
                problems.push(format!("{path} {name}: listed as an exception but now resolves: remove it from the list"));
            }
            continue;
        }
        match ours.get(name) {
            Some(sets) if sets.iter().any(|(_, i)| *i == id) => ok += 1,
            Some(sets) => problems.push(format!(
                "{path} {name}: pyroute2 says id {id}, we say {sets:?}"
            )),
            None => problems.push(format!("{path} {name} (id {id}): not in our schema")),
        }
    }
    println!(
        "{ok} pyroute2 attribute names resolve to the same id; {} excepted",
        excepted.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems (fix the schema, or add to pyroute2_exceptions.txt with the reason):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Our kind of payload, coarsely, for comparing with a YNL type.
fn compatible(ynl: &str, byte_order: &str, ours: &codegen::model::Attr) -> bool {
    let t = ours.ty.as_str();
    if ours.name == "pad" && t == "bytes" {
        return true; // padding attributes: YNL types some as u32, they carry nothing
    }
    let width = codegen::schema::scalar_size(t);
    match ynl {
        "u8" | "s8" => width == Some(1),
        "u16" | "s16" => width == Some(2) && (byte_order != "big-endian" || t == "be16"),
        "u32" | "s32" => {
            width == Some(4) && (byte_order != "big-endian" || t == "be32")
                || (t == "ip4" && byte_order == "big-endian")
        }
        "u64" | "s64" | "uint" | "sint" => width.is_some(),
        "string" => t == "string",
        "flag" => t == "flag",
        "nest" | "indexed-array" | "nest-type-value" => {
            matches!(t, "nest" | "array" | "sub-message" | "bytes")
        }
        "sub-message" => matches!(t, "sub-message" | "bytes"),
        // binary is YNL's untyped fallback: any typed form of ours is at least as precise.
        "binary" => true,
        "pad" => t == "bytes",
        "bitfield32" => t == "bitfield32",
        _ => false,
    }
}

#[test]
fn ynl_attributes_exist_with_compatible_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = codegen::Schema::load(&root.parent().unwrap().join("schema"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ours: BTreeMap<String, Vec<codegen::model::Attr>> = BTreeMap::new();
    for (_, _, f) in &schema.files {
        for s in &f.sets {
            for a in &s.attributes {
                let c = a
                    .cname
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase()));
                ours.entry(c).or_default().push(a.clone());
            }
        }
    }
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("tests/parity/ynl.json")).unwrap())
            .unwrap();
    let exceptions = read_exceptions(root, "ynl_exceptions.txt");
    let excepted: BTreeMap<&str, &str> = exceptions
        .iter()
        .map(|(n, w)| (n.as_str(), w.as_str()))
        .collect();
    let (mut ok, mut problems) = (0, Vec::new());
    for a in data["attributes"].as_array().unwrap() {
        let name = a["cname"].as_str().unwrap();
        let (id, ty, bo) = (
            a["id"].as_u64().unwrap() as u16,
            a["type"].as_str().unwrap_or(""),
            a["byte_order"].as_str().unwrap_or(""),
        );
        let where_ = format!(
            "{}/{}",
            a["spec"].as_str().unwrap(),
            a["set"].as_str().unwrap()
        );
        let good = ours
            .get(name)
            .is_some_and(|v| v.iter().any(|x| x.id == id && compatible(ty, bo, x)));
        match (good, excepted.contains_key(name)) {
            (true, true) => problems.push(format!(
                "{where_} {name}: listed as an exception but now matches: remove it"
            )),
            (true, false) => ok += 1,
            (false, true) => {}
            (false, false) => match ours.get(name) {
                None => problems.push(format!(
                    "{where_} {name} (id {id}, {ty}): not in our schema"
                )),
                Some(v) => problems.push(format!(
                    "{where_} {name}: YNL id {id} {ty} {bo}, ours {:?}",
                    v.iter().map(|x| (x.id, x.ty.clone())).collect::<Vec<_>>()
                )),
            },
        }
    }
    println!(
        "{ok} YNL attributes exist in our schema with the same id and a compatible type; {} excepted",
        excepted.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems (fix the schema, or add to ynl_exceptions.txt with the reason):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
