//! The proof against the kernel's headers: a C program generated from the schema that prints,
//! for every constant, struct size and field offset the schema states, the schema's value next
//! to the header's. Compiled with gcc against `/usr/include/linux` and run by a test, it fails
//! with the constant's name and both values on any mismatch (and gcc names any constant the
//! headers lack).
//!
//! Items marked `since = "X.Y"` (newer than the build machine's headers) are left out of that
//! program: [`checks`] with [`Items::Newer`] lists them, `cargo xtask record-newer` proves them
//! against a newer copy of the uapi headers and records the header values with their source in
//! `codegen/tests/parity/newer_headers.tsv`, and a test compares the schema with that record.

use std::fmt::Write as _;

use crate::model::*;
use crate::schema::{Schema, scalar_size};

/// uapi headers the program includes (order matters: libc first, then linux/).
pub const HEADERS: &[&str] = &[
    "sys/socket.h",
    "stddef.h",
    "stdio.h",
    "linux/types.h",
    "linux/in.h",
    "linux/netlink.h",
    "linux/rtnetlink.h",
    "linux/net_namespace.h",
    "linux/netconf.h",
    "linux/nexthop.h",
    "linux/if.h",
    "linux/if_arp.h",
    "linux/if_link.h",
    "linux/if_addr.h",
    "linux/if_bridge.h",
    "linux/if_bonding.h",
    "linux/mrp_bridge.h",
    "linux/cfm_bridge.h",
    "linux/if_tunnel.h",
    "linux/veth.h",
    "linux/can/netlink.h",
    "linux/can/vxcan.h",
    "linux/neighbour.h",
    "linux/fib_rules.h",
    "linux/lwtunnel.h",
    "linux/mpls.h",
    "linux/mpls_iptunnel.h",
    "linux/seg6_iptunnel.h",
    "linux/ila.h",
    "linux/rpl_iptunnel.h",
    "linux/ioam6_iptunnel.h",
    "linux/seg6_local.h",
    "linux/pkt_sched.h",
    "linux/pkt_cls.h",
    "linux/gen_stats.h",
    "linux/tc_act/tc_mirred.h",
    "linux/tc_act/tc_gact.h",
    "linux/tc_act/tc_skbedit.h",
    "linux/tc_act/tc_vlan.h",
    "linux/tc_act/tc_csum.h",
    "linux/tc_act/tc_tunnel_key.h",
    "linux/tc_act/tc_bpf.h",
    "linux/tc_act/tc_sample.h",
    "linux/tc_act/tc_connmark.h",
    "linux/tc_act/tc_nat.h",
    "linux/tc_act/tc_mpls.h",
    "linux/tc_act/tc_pedit.h",
    "linux/tc_act/tc_ct.h",
    "linux/tc_act/tc_ctinfo.h",
    "linux/tc_act/tc_gate.h",
    "linux/tc_act/tc_ife.h",
    "linux/tc_act/tc_skbmod.h",
    "linux/tc_act/tc_defact.h",
    "linux/tc_act/tc_ipt.h",
];

fn c_type(s: &Struct) -> Option<String> {
    match s.ctype.as_deref() {
        Some("none") => None,
        Some(t) => Some(t.to_string()),
        None => Some(format!("struct {}", s.name)),
    }
}

/// One check: the name printed, the schema's value, and the C expression giving the header's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// `IFLA_MTU`, `sizeof(struct rtmsg)`, `offsetof(struct rtmsg, rtm_table)`.
    pub name: String,
    /// The schema's value.
    pub ours: i128,
    /// The C expression.
    pub expr: String,
}

/// Which items to check: those the build machine's headers define (`since` unset), or only the
/// newer ones (`since` set), which are proven against a newer copy of the headers by
/// `cargo xtask record-newer` and the values it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Items {
    /// Items without `since`.
    Installed,
    /// Items with `since`.
    Newer,
}

/// Every check the schema implies, for `items`.
pub fn checks(schema: &Schema, items: Items) -> Vec<Check> {
    let want = |since: &Option<String>| since.is_some() == (items == Items::Newer);
    let mut out = Vec::new();
    let mut push = |name: String, ours: i128, expr: String| out.push(Check { name, ours, expr });
    for (_, _, f) in &schema.files {
        for s in &f.structs {
            if !want(&s.since) {
                continue;
            }
            let Some(ct) = c_type(s) else { continue };
            push(
                format!("sizeof({ct})"),
                s.size as i128,
                format!("sizeof({ct})"),
            );
            let mut off = 0usize;
            for fl in &s.fields {
                let width = match (&fl.ty, fl.pad) {
                    (_, Some(p)) => p,
                    (Some(t), None) => {
                        let w = scalar_size(t).unwrap_or_else(|| {
                            schema
                                .names()
                                .structs
                                .get(t.as_str())
                                .map(|x| x.size)
                                .unwrap_or(0)
                        });
                        w * fl.count.unwrap_or(1)
                    }
                    _ => 0,
                };
                if let (Some(n), None) = (&fl.name, fl.pad) {
                    let cf = fl
                        .cname
                        .clone()
                        .unwrap_or_else(|| format!("{}{}", s.cprefix, n));
                    push(
                        format!("offsetof({ct}, {cf})"),
                        off as i128,
                        format!("offsetof({ct}, {cf})"),
                    );
                }
                off += width;
            }
        }
        for e in &f.enums {
            for v in e.values.iter().filter(|v| want(&v.since)) {
                let cn = v
                    .cname
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()));
                push(cn.clone(), v.value as i128, cn);
            }
        }
        for s in &f.sets {
            for a in s.attributes.iter().filter(|a| want(&a.since)) {
                let cn = a
                    .cname
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase()));
                push(cn.clone(), a.id as i128, cn);
            }
        }
        if let Some(m) = &f.message
            && items == Items::Installed
        {
            for t in &m.types {
                push(t.name.clone(), t.value as i128, t.name.clone());
            }
        }
    }
    out
}

/// The C source. Each check prints `name<TAB>schema<TAB>header`.
pub fn c_program(schema: &Schema) -> String {
    program(&checks(schema, Items::Installed))
}

/// A C program that prints `name<TAB>schema<TAB>header` for each check.
pub fn program(checks: &[Check]) -> String {
    let mut c = String::new();
    for h in HEADERS {
        let _ = writeln!(c, "#include <{h}>");
    }
    let _ = writeln!(
        c,
        "\n#define CHECK(name, ours, theirs) printf(\"%s\\t%lld\\t%lld\\n\", name, (long long)(ours), (long long)(theirs))\n"
    );
    let _ = writeln!(c, "int main(void) {{");
    for k in checks {
        let _ = writeln!(c, "    CHECK(\"{}\", {}LL, {});", k.name, k.ours, k.expr);
    }
    let _ = writeln!(c, "    return 0;\n}}");
    c
}

/// Compares the program's output: the lines where schema and header disagree.
pub fn mismatches(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let (name, ours, theirs) = (it.next()?, it.next()?, it.next()?);
            (ours != theirs)
                .then(|| format!("{name}: schema says {ours}, the header says {theirs}"))
        })
        .collect()
}
