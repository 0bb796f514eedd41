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

/// pyroute2's message classes and the attribute set of ours each starts from.
const PYROUTE2_ROOTS: &[(&str, &str)] = &[
    ("ifinfmsg", "link"),
    ("ifstatsmsg", "link_stats"),
    ("ifaddrmsg", "addr"),
    ("rtmsg", "route"),
    ("fibmsg", "rule"),
    ("ndmsg", "neigh"),
    ("ndtmsg", "neightbl"),
    ("tcmsg", "tc"),
];

/// The kernel's constant for one of our attributes.
fn cname(s: &codegen::model::Set, a: &codegen::model::Attr) -> String {
    a.cname
        .clone()
        .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase()))
}

/// One pyroute2 record: where it is (message, nesting steps, readable path), its name and id.
struct Record {
    message: String,
    nest: Vec<(u16, Option<serde_json::Value>)>,
    path: String,
    name: String,
    id: u16,
}

fn records(data: &serde_json::Value) -> Vec<Record> {
    data["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| Record {
            message: a["message"].as_str().unwrap().to_string(),
            nest: a["nest"]
                .as_array()
                .unwrap()
                .iter()
                .map(|st| {
                    let sel = &st[1];
                    (
                        st[0].as_u64().unwrap() as u16,
                        (!sel.is_null()).then(|| sel.clone()),
                    )
                })
                .collect(),
            path: a["path"].as_str().unwrap().to_string(),
            name: a["name"].as_str().unwrap().to_string(),
            id: a["id"].as_u64().unwrap() as u16,
        })
        .collect()
}

/// Where pyroute2's nesting path leads in our schema.
enum Place<'s> {
    /// An attribute set of ours.
    Set(&'s codegen::model::Set),
    /// The positions of an indexed array of ours (pyroute2 names each position) whose elements
    /// are this set.
    Array(&'s codegen::model::Set),
    /// Nowhere we can follow (a payload we keep as bytes or a struct, a selector value we do not
    /// know): the record is checked by its C name only.
    Lost(String),
}

struct Ours<'s> {
    sets: BTreeMap<&'s str, &'s codegen::model::Set>,
    subs: BTreeMap<&'s str, &'s codegen::model::SubMessage>,
    /// C name -> (set, id) everywhere in our schema.
    by_cname: BTreeMap<String, Vec<(&'s str, u16)>>,
}

impl<'s> Ours<'s> {
    fn new(schema: &'s codegen::Schema) -> Self {
        let mut o = Ours {
            sets: BTreeMap::new(),
            subs: BTreeMap::new(),
            by_cname: BTreeMap::new(),
        };
        for (_, _, f) in &schema.files {
            for s in &f.sets {
                o.sets.insert(&s.name, s);
                for a in &s.attributes {
                    o.by_cname
                        .entry(cname(s, a))
                        .or_default()
                        .push((&s.name, a.id));
                }
            }
            for m in &f.sub_messages {
                o.subs.insert(&m.name, m);
            }
        }
        o
    }

    fn set(&self, name: &str) -> Place<'s> {
        match self.sets.get(name) {
            Some(s) => Place::Set(s),
            None => Place::Lost(format!("no set {name}")),
        }
    }

    /// Follow one nesting step (attribute id, selector value) from a place.
    /// `outer` is the selector of the record's first step (pyroute2 labels TCA_STATS2 with the
    /// top-level TCA_KIND; our TCA_STATS_APP is selected by `outer:kind`).
    fn step(
        &self,
        from: Place<'s>,
        id: u16,
        sel: &Option<serde_json::Value>,
        outer: &Option<serde_json::Value>,
    ) -> Place<'s> {
        let set = match from {
            Place::Set(s) => s,
            // Any position of an array leads to its element set.
            Place::Array(elem) => return Place::Set(elem),
            lost => return lost,
        };
        let Some(a) = set.attributes.iter().find(|a| a.id == id) else {
            return Place::Lost(format!("{} has no id {id}", set.name));
        };
        match (a.ty.as_str(), &a.nest, &a.sub_message) {
            ("nest" | "multipath", Some(n), _) => self.set(n),
            ("array", Some(n), _) => match self.sets.get(n.as_str()) {
                Some(s) => Place::Array(s),
                None => Place::Lost(format!("no set {n}")),
            },
            ("sub-message", _, Some(m)) => {
                let Some(sub) = self.subs.get(m.as_str()) else {
                    return Place::Lost(format!("no sub-message {m}"));
                };
                let outer_sel = a
                    .selector
                    .as_deref()
                    .is_some_and(|s| s.starts_with("outer:"));
                let Some(sel) = sel.as_ref().or(outer.as_ref().filter(|_| outer_sel)) else {
                    return Place::Lost(format!("{m}: pyroute2 gives no selector"));
                };
                let matches = |v: &toml::Value| match (v, sel) {
                    (toml::Value::String(a), serde_json::Value::String(b)) => a == b,
                    (toml::Value::Integer(a), serde_json::Value::Number(b)) => {
                        b.as_i64() == Some(*a)
                    }
                    _ => false,
                };
                match sub.formats.iter().find(|f| matches(&f.value)) {
                    Some(f) => match &f.nest {
                        Some(n) => self.set(n),
                        None => Place::Lost(format!("{m}[{sel}] has no attributes")),
                    },
                    None => Place::Lost(format!("{m} has no format {sel}")),
                }
            }
            (t, _, _) => Place::Lost(format!("{}.{} is {t}", set.name, a.name)),
        }
    }
}

#[derive(Default)]
struct Pyroute2Report {
    total: usize,
    /// Found by its C name in the set pyroute2's path leads to, same id.
    same_in_set: usize,
    /// Path not followed (pyroute2's path has no counterpart in our schema), found by C name
    /// elsewhere, same id.
    same_by_cname: usize,
    /// Why those paths were not followed: `path: reason` -> records.
    unfollowed: BTreeMap<String, usize>,
    /// Same id in the same set, another spelling: `pyroute2 name -> ours`.
    spelt: Vec<String>,
    /// pyroute2's names for the positions of an indexed array of ours.
    positions: usize,
    excepted: usize,
    problems: Vec<String>,
}

/// An exception key: `NAME`, or `PATH/NAME` (as in the record's path); a trailing `*` matches
/// any rest.
fn key_matches(key: &str, r: &Record) -> bool {
    let full = format!("{}/{}", r.path, r.name);
    let target = if key.contains('/') { &full } else { &r.name };
    match key.strip_suffix('*') {
        Some(prefix) => target.starts_with(prefix),
        None => target == key,
    }
}

fn check_pyroute2(
    schema: &codegen::Schema,
    recs: &[Record],
    exceptions: &[(String, String)],
) -> Pyroute2Report {
    let ours = Ours::new(schema);
    let roots: BTreeMap<&str, &str> = PYROUTE2_ROOTS.iter().copied().collect();
    let mut rep = Pyroute2Report {
        total: recs.len(),
        ..Default::default()
    };
    // Per exception key: (records it matched, of which resolve without it).
    let mut used = vec![(0usize, 0usize); exceptions.len()];
    for r in recs {
        let mut place = match roots.get(r.message.as_str()) {
            Some(set) => ours.set(set),
            None => Place::Lost(format!("no root for {}", r.message)),
        };
        let outer = r.nest.first().and_then(|s| s.1.clone());
        for (id, sel) in &r.nest {
            place = ours.step(place, *id, sel, &outer);
        }
        // Ok(kind) or Err(problem), before exceptions.
        let verdict: Result<Option<String>, String> = match &place {
            Place::Array(_) => Ok(Some("position".into())),
            Place::Set(s) => {
                let by_name = s.attributes.iter().find(|a| cname(s, a) == r.name);
                let by_id = s.attributes.iter().find(|a| a.id == r.id);
                match (by_name, by_id) {
                    (Some(a), _) if a.id == r.id => Ok(None),
                    (Some(a), _) => Err(format!(
                        "{}/{}: pyroute2 id {}, ours {} in set {}",
                        r.path, r.name, r.id, a.id, s.name
                    )),
                    (None, Some(a)) => Ok(Some(format!(
                        "{}/{} = {} (id {}, set {})",
                        r.path,
                        r.name,
                        cname(s, a),
                        r.id,
                        s.name
                    ))),
                    (None, None) => Err(format!(
                        "{}/{} (pyroute2 id {}): set {} has no such name or id",
                        r.path, r.name, r.id, s.name
                    )),
                }
            }
            Place::Lost(why) => match ours.by_cname.get(&r.name) {
                Some(v) if v.iter().any(|(_, i)| *i == r.id) => {
                    *rep.unfollowed
                        .entry(format!("{}: {why}", r.path))
                        .or_default() += 1;
                    Ok(Some("cname".into()))
                }
                Some(v) => Err(format!(
                    "{}/{}: pyroute2 id {}, ours {:?} (path not followed: {why})",
                    r.path, r.name, r.id, v
                )),
                None => Err(format!(
                    "{}/{} (pyroute2 id {}): not in our schema (path not followed: {why})",
                    r.path, r.name, r.id
                )),
            },
        };
        let exc = exceptions.iter().position(|(k, _)| key_matches(k, r));
        if let Some(i) = exc {
            used[i].0 += 1;
            if verdict.is_ok() {
                used[i].1 += 1;
            }
            rep.excepted += 1;
            continue;
        }
        match verdict {
            Ok(None) => rep.same_in_set += 1,
            Ok(Some(k)) if k == "position" => rep.positions += 1,
            Ok(Some(k)) if k == "cname" => rep.same_by_cname += 1,
            Ok(Some(spelt)) => rep.spelt.push(spelt),
            Err(p) => rep.problems.push(p),
        }
    }
    for ((k, _), (n, resolved)) in exceptions.iter().zip(&used) {
        if *n == 0 {
            rep.problems.push(format!(
                "exception {k}: matches no pyroute2 record: remove it"
            ));
        } else if n == resolved {
            rep.problems.push(format!(
                "exception {k}: every record it matches ({n}) now resolves: remove it"
            ));
        }
    }
    rep
}

#[test]
fn pyroute2_names_resolve_to_the_same_ids() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = codegen::Schema::load(&root.parent().unwrap().join("schema"))
        .unwrap_or_else(|e| panic!("{e}"));
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/parity/pyroute2.json")).unwrap(),
    )
    .unwrap();
    let recs = records(&data);
    let exceptions = read_exceptions(root, "pyroute2_exceptions.txt");
    let rep = check_pyroute2(&schema, &recs, &exceptions);
    println!(
        "{} pyroute2 names: {} resolve to the same id ({} in the same set, {} by C name where pyroute2's path has no counterpart here), {} spelt pyroute2's way, {} positions of an indexed array, {} excepted",
        rep.total,
        rep.same_in_set + rep.same_by_cname,
        rep.same_in_set,
        rep.same_by_cname,
        rep.spelt.len(),
        rep.positions,
        rep.excepted
    );
    let mut details = String::new();
    for (path, n) in &rep.unfollowed {
        details += &format!("by C name ({n}): {path}\n");
    }
    for s in &rep.spelt {
        details += &format!("spelt pyroute2's way: {s}\n");
    }
    println!("  {}", report("parity-pyroute2.txt", &details));
    assert!(
        rep.problems.is_empty(),
        "{} problems (fix the schema, or add to pyroute2_exceptions.txt with the reason):\n{}",
        rep.problems.len(),
        rep.problems.join("\n")
    );
}

/// The check can fail: a wrong id, in a set and by C name, is reported with name, path and both
/// ids; a name nowhere is reported; a stale exception is reported.
#[test]
fn pyroute2_check_reports_mismatches() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = codegen::Schema::load(&root.parent().unwrap().join("schema"))
        .unwrap_or_else(|e| panic!("{e}"));
    let rec =
        |message: &str, nest: Vec<(u16, Option<serde_json::Value>)>, path: &str, name: &str, id| {
            Record {
                message: message.into(),
                nest,
                path: path.into(),
                name: name.into(),
                id,
            }
        };
    let recs = vec![
        rec("ifinfmsg", vec![], "ifinfmsg", "IFLA_MTU", 5),
        rec(
            "ifinfmsg",
            vec![(18, None), (2, Some("vxlan".into()))],
            "ifinfmsg/IFLA_LINKINFO/IFLA_INFO_DATA[vxlan]",
            "IFLA_VXLAN_ID",
            1,
        ),
        rec(
            "ifinfmsg",
            vec![(18, None), (2, Some("vxlan".into()))],
            "ifinfmsg/IFLA_LINKINFO/IFLA_INFO_DATA[vxlan]",
            "IFLA_VXLAN_GROUP",
            3,
        ),
        rec(
            "ifinfmsg",
            vec![(11, None)],
            "ifinfmsg/IFLA_WIRELESS",
            "IFLA_MTU",
            9,
        ),
        rec(
            "ifinfmsg",
            vec![(11, None)],
            "ifinfmsg/IFLA_WIRELESS",
            "NO_SUCH_NAME",
            9,
        ),
    ];
    let exceptions = vec![("STALE_NAME".to_string(), "test".to_string())];
    let rep = check_pyroute2(&schema, &recs, &exceptions);
    assert_eq!(rep.same_in_set, 1, "{:?}", rep.problems);
    let all = rep.problems.join("\n");
    assert!(
        all.contains("ifinfmsg/IFLA_MTU: pyroute2 id 5, ours 4 in set link"),
        "{all}"
    );
    assert!(
        all.contains("IFLA_INFO_DATA[vxlan]/IFLA_VXLAN_GROUP: pyroute2 id 3, ours 2"),
        "{all}"
    );
    assert!(
        all.contains("ifinfmsg/IFLA_WIRELESS/IFLA_MTU: pyroute2 id 9, ours [(\"link\", 4)"),
        "{all}"
    );
    assert!(
        all.contains("NO_SUCH_NAME (pyroute2 id 9): not in our schema"),
        "{all}"
    );
    assert!(
        all.contains("exception STALE_NAME: matches no pyroute2 record"),
        "{all}"
    );
    assert_eq!(rep.problems.len(), 5, "{all}");

    // A PATH/NAME prefix key excepts the failing records under it; a key whose records all
    // resolve is reported as stale.
    let exceptions = vec![
        ("ifinfmsg/IFLA_WIRELESS/*".to_string(), "test".to_string()),
        ("IFLA_VXLAN_ID".to_string(), "test".to_string()),
    ];
    let rep = check_pyroute2(&schema, &recs, &exceptions);
    let all = rep.problems.join("\n");
    assert_eq!(rep.excepted, 3, "{all}");
    assert!(
        all.contains("exception IFLA_VXLAN_ID: every record it matches (1) now resolves"),
        "{all}"
    );
    assert_eq!(rep.problems.len(), 3, "{all}");
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

/// Keeps the test run readable: a long table goes to `<target dir>/rtnl-reports/NAME` (and to
/// stdout as well with `RTNL_VERBOSE=1`); returns a note saying where it went.
fn report(name: &str, text: &str) -> String {
    if std::env::var_os("RTNL_VERBOSE").is_some_and(|v| v == "1") {
        println!("{text}");
    }
    // <target dir>/<profile>/deps/TEST-HASH -> <target dir>/rtnl-reports/NAME
    let exe = std::env::current_exe().ok();
    let dir = exe
        .as_deref()
        .and_then(|e| Some(e.parent()?.parent()?.parent()?.join("rtnl-reports")));
    let written = dir.and_then(|d| {
        std::fs::create_dir_all(&d).ok()?;
        std::fs::write(d.join(name), text).ok()?;
        Some(d.join(name))
    });
    match written {
        Some(p) => format!("details in {} (RTNL_VERBOSE=1 prints them)", p.display()),
        None => "RTNL_VERBOSE=1 prints the details".to_string(),
    }
}
