//! pyroute2's own IPRoute rule tests (tests/test_linux/test_ipr/test_rule.py, pyroute2 master
//! of 2026-01, same as 0.9.7) ported to rtnl-api, each in a fresh namespace, each asserting the
//! facts pyroute2's test asserts.
//!
//! | pyroute2 test | here |
//! | --- | --- |
//! | test_flush_rules | ported: `flush_rules` (pyroute2's `get_rules(priority=lambda ...)` is a `Dump::filter` closure; its `flush_rules(family=AF_INET, priority=lambda ...)` is `flush_rules_where(AF_INET, closure)`, added for this port: `flush_rules` took no filter) |
//! | test_bad_table | ported: `bad_table` (pyroute2 fails packing `table=-1` with `struct.error`; rtnl refuses it before sending, with an `ArgError` naming `table`) |

use std::net::IpAddr;

use rtnl_api::generated::{FrAct, RuleMsg};
use rtnl_api::{IPRoute, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};

const AF_INET: u8 = 2;

fn in_range(r: &RuleMsg<'_>) -> bool {
    matches!(r.priority(), Ok(Some(p)) if 100 < p && p < 500)
}

/// pyroute2's `len(tuple(get_rules(priority=lambda x: 100 < x < 500)))` (every family).
fn count_in_range(ipr: &mut IPRoute) -> usize {
    ipr.get_rules(0).unwrap().filter(in_range).count().unwrap()
}

fn count(ipr: &mut IPRoute, kw: rtnl_api::Args) -> usize {
    ipr.rule("dump", kw).unwrap().count().unwrap()
}

#[test]
fn flush_rules() {
    if skip_unless_root("flush_rules") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    let (a1, a2) = ("10.1.0.1", "10.1.0.2");
    let init = ipr.get_rules(AF_INET).unwrap().count().unwrap();
    assert!(
        init > 0,
        "a fresh namespace has the local/main/default rules"
    );
    assert_eq!(count_in_range(&mut ipr), 0);
    ipr.rule("add", kw! { table: 10, priority: 110 }).unwrap();
    ipr.rule(
        "add",
        kw! { table: 15, priority: 150, action: "FR_ACT_PROHIBIT" },
    )
    .unwrap();
    ipr.rule("add", kw! { table: 20, priority: 200, src: a1 })
        .unwrap();
    ipr.rule("add", kw! { table: 25, priority: 250, dst: a2 })
        .unwrap();
    assert_eq!(count_in_range(&mut ipr), 4);
    assert_eq!(count(&mut ipr, kw! { src: a1 }), 1);
    assert_eq!(count(&mut ipr, kw! { dst: a2 }), 1);
    // The rules read back as written.
    let mut seen = Vec::new();
    ipr.get_rules(AF_INET)
        .unwrap()
        .for_each(|r| {
            if in_range(&r) {
                let src: Option<IpAddr> = r.src()?;
                seen.push((
                    r.priority()?,
                    r.table()?,
                    r.header().action(),
                    src,
                    r.dst()?,
                ));
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(seen[1].2, FrAct::Prohibit, "{seen:?}");
    assert_eq!(seen[0].2, FrAct::ToTbl, "{seen:?}");
    assert_eq!(seen[0].1, Some(10), "{seen:?}");
    assert_eq!(seen[2].3, Some(a1.parse().unwrap()));
    assert_eq!(seen[3].4, Some(a2.parse().unwrap()));

    let n = ipr.flush_rules_where(AF_INET, in_range).unwrap();
    assert_eq!(n, 4);
    assert_eq!(count_in_range(&mut ipr), 0);
    assert_eq!(count(&mut ipr, kw! { src: a1 }), 0);
    assert_eq!(count(&mut ipr, kw! { dst: a2 }), 0);
    assert_eq!(ipr.get_rules(AF_INET).unwrap().count().unwrap(), init);
}

#[test]
fn bad_table() {
    if skip_unless_root("bad_table") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    let init = ipr.get_rules(0).unwrap().count().unwrap();
    let e = ipr
        .rule("add", kw! { table: -1, priority: 32000 })
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(&e, rtnl_api::Error::Arg(a) if a.name == "table"),
        "an ArgError naming table: {e}"
    );
    assert_eq!(ipr.get_rules(0).unwrap().count().unwrap(), init);
}

/// Not a pyroute2 test: `get_rules` takes one filter type, as the other `get_*` dumps do: the
/// family to the kernel, keywords (`priority`, `table`, any FRA_* attribute) in userspace, and
/// a `kw!` map as the filter, pyroute2's `get_rules(priority=100)`.
#[test]
fn get_rules_filters_by_keyword() {
    if skip_unless_root("get_rules_filters_by_keyword") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.rule("add", kw! { table: 100, priority: 100 }).unwrap();
    ipr.rule("add", kw! { table: 101, priority: 200 }).unwrap();
    ipr.rule("add", kw! { family: 10, table: 100, priority: 100 })
        .unwrap();
    let f = rtnl_api::RuleFilter::new()
        .family(AF_INET)
        .attr("priority", 100);
    let got: Vec<(u32, u32)> = ipr
        .get_rules(f)
        .unwrap()
        .collect()
        .unwrap()
        .iter()
        .map(|r| {
            let r = r.view();
            (r.priority().unwrap().unwrap(), r.table().unwrap().unwrap())
        })
        .collect();
    assert_eq!(got, [(100, 100)]);
    assert_eq!(
        ipr.get_rules(kw! { table: 100 }).unwrap().count().unwrap(),
        2
    );
    assert_eq!(
        ipr.get_rules(kw! { family: AF_INET, table: 101 })
            .unwrap()
            .count()
            .unwrap(),
        1
    );
    let e = ipr.get_rules(kw! { nosuch: 1 }).map(drop).unwrap_err();
    assert!(e.to_string().contains("nosuch"), "{e}");
}
