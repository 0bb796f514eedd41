//! The proof against the kernel's headers: a C program generated from the schema that prints,
//! for every constant, struct size and field offset the schema states, the schema's value next
//! to the header's. Compiled with gcc against `/usr/include/linux` and run by a test, it fails
//! with the constant's name and both values on any mismatch (and gcc names any constant the
//! headers lack).
//!
//! Items marked `since = "X.Y"` (newer than the build machine's headers) are left out here.

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

/// The C source. Each check prints `name<TAB>schema<TAB>header`.
pub fn c_program(schema: &Schema) -> String {
    let mut c = String::new();
    for h in HEADERS {
        let _ = writeln!(c, "#include <{h}>");
    }
    let _ = writeln!(
        c,
        "\n#define CHECK(name, ours, theirs) printf(\"%s\\t%lld\\t%lld\\n\", name, (long long)(ours), (long long)(theirs))\n"
    );
    let _ = writeln!(c, "int main(void) {{");
    for (_, path, f) in &schema.files {
        let _ = writeln!(c, "    /* {path} */");
        for s in &f.structs {
            if s.since.is_some() {
                continue;
            }
            let Some(ct) = c_type(s) else { continue };
            let _ = writeln!(c, "    CHECK(\"sizeof({ct})\", {}, sizeof({ct}));", s.size);
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
                    let _ = writeln!(
                        c,
                        "    CHECK(\"offsetof({ct}, {cf})\", {off}, offsetof({ct}, {cf}));"
                    );
                }
                off += width;
            }
        }
        for e in &f.enums {
            for v in e.values.iter().filter(|v| v.since.is_none()) {
                let cn = v
                    .cname
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()));
                let _ = writeln!(c, "    CHECK(\"{cn}\", {}LL, {cn});", v.value);
            }
        }
        for s in &f.sets {
            for a in s.attributes.iter().filter(|a| a.since.is_none()) {
                let cn = a
                    .cname
                    .clone()
                    .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase()));
                let _ = writeln!(c, "    CHECK(\"{cn}\", {}, {cn});", a.id);
            }
        }
        if let Some(m) = &f.message {
            for t in &m.types {
                let _ = writeln!(c, "    CHECK(\"{}\", {}, {});", t.name, t.value, t.name);
            }
        }
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
