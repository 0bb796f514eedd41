//! `cargo xtask fuzz-corpus` (which runs `cargo run -p rtnl-fuzz --bin fuzz-corpus`): seeds for
//! every target, captured from the kernel where the kernel has something to say.
//!
//! A fresh network namespace ([`TestNetns`]) gets varied state from `ip`/`tc`/`bridge` (bridge,
//! veths, vxlan with and without a VNI filter, macvlan, ifb; v4/v6 addresses; plain, multipath,
//! blackhole and seg6 routes; rules; neighbours; htb/tbf/pfifo/ingress/clsact qdiscs, u32 filters
//! with mirred; fdb and mdb entries). Each family is dumped with a raw request sent on an
//! `rtnl_core::socket::Socket`, and its datagrams are read as the kernel wrote them. Every
//! datagram (cut at message boundaries to at most [`MAX_DATAGRAM`]) seeds `messages`; every
//! message seeds `families` and `dyn_serde` (selector byte + payload), and so does every nest it
//! carries, as its own set. A few refused and acknowledged requests add `NLMSG_ERROR` datagrams
//! with extended acks. `keywords` gets pyroute2-style calls (the golden fixtures' calls plus
//! [`KEYWORD_SEEDS`]) and `cli_args` real command lines ([`CLI_SEEDS`]). Files are named by a
//! hash of their content, so re-running only adds what is new.
//!
//! Commands the kernel refuses (a missing module) are reported and skipped; the capture needs
//! root.

use std::collections::{BTreeMap, HashSet};
use std::os::fd::AsFd;
use std::path::Path;
use std::process::Command;

use rtnl_core::proto::{self, Event, flags};
use rtnl_core::spec::{Kind, SetSpec};
use rtnl_core::testing::TestNetns;

use crate::families::{family_selector, set_input};

/// The largest `messages` seed (whole messages are kept together up to this size).
pub const MAX_DATAGRAM: usize = 4096;
/// At most this many `families` seeds per family, and per nested set.
pub const PER_FAMILY: usize = 24;

/// The state the namespace gets: `tool args...` (each run with `-n NS`).
pub const SETUP: &[&str] = &[
    "ip link set lo up",
    "ip link add br0 type bridge mcast_snooping 1",
    "ip link add v0 type veth peer name v0p",
    "ip link add v1 type veth peer name v1p",
    "ip link set v0p master br0",
    "ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev v0 ttl 5",
    "ip link add vx1 type vxlan dstport 4790 external vnifilter",
    "ip link set vx0 master br0",
    "ip link add mv0 link v1 type macvlan mode bridge",
    "ip link add ifb0 type ifb",
    "ip link set v0 mtu 1400 alias uplink",
    "ip link set br0 up",
    "ip link set v0 up",
    "ip link set v0p up",
    "ip link set v1 up",
    "ip link set v1p up",
    "ip link set vx0 up",
    "ip link set vx1 up",
    "ip link set mv0 up",
    "ip link set ifb0 up",
    "bridge vni add dev vx1 vni 100-102",
    "bridge vni add dev vx1 vni 200",
    "ip addr add 10.0.0.1/24 dev v0",
    "ip addr add 10.0.0.5/24 dev v0 valid_lft 100 preferred_lft 50",
    "ip addr add 10.1.0.1/24 brd + dev v1 label v1:a",
    "ip addr add 192.0.2.1/32 dev lo",
    "ip -6 addr add 2001:db8::1/64 dev v0 nodad",
    "ip -6 addr add 2001:db8:1::1/64 dev v1 nodad",
    "ip -6 addr add 2001:db8:9::1/64 dev v1 nodad noprefixroute",
    "ip route add 10.9.0.0/24 nexthop via 10.0.0.2 dev v0 weight 1 nexthop via 10.1.0.2 dev v1 weight 2",
    "ip route add 10.8.0.0/16 via 10.0.0.2 table 100 metric 5 mtu 1400 advmss 1300 proto static",
    "ip route add blackhole 10.7.0.0/16",
    "ip route add unreachable 10.6.0.0/16 table 100",
    "ip route add 10.5.0.0/16 dev v1 scope link src 10.1.0.1 realm 3",
    "ip -6 route add 2001:db8:5::/64 encap seg6 mode encap segs 2001:db8::2,2001:db8::3 dev v0",
    "ip -6 route add 2001:db8:6::/64 via 2001:db8::2 dev v0 pref high",
    "ip -6 route add 2001:db8:7::/64 nexthop via 2001:db8::2 dev v0 nexthop via 2001:db8:1::2 dev v1",
    "ip rule add from 10.0.0.0/8 table 100 pref 100",
    "ip rule add fwmark 0x10/0xff lookup 100 pref 101",
    "ip rule add iif v0 ipproto tcp dport 80-90 table 100 pref 102",
    "ip rule add uidrange 1000-2000 table 100 pref 103",
    "ip rule add to 10.9.0.0/24 tos 0x10 prohibit pref 104",
    "ip -6 rule add from 2001:db8::/32 table 100 pref 100",
    "ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent",
    "ip neigh add 10.1.0.2 lladdr 02:00:00:00:00:03 dev v1 nud stale",
    "ip -6 neigh add 2001:db8::2 lladdr 02:00:00:00:00:02 dev v0 nud reachable",
    "ip neigh add proxy 10.0.0.9 dev v0",
    "bridge fdb add 02:00:00:00:00:09 dev v0p master static",
    "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2",
    "bridge mdb add dev br0 port v0p grp 239.1.1.1 permanent",
    "bridge mdb add dev br0 port v0p grp ff0e::1 temp",
    "tc qdisc add dev v0 root handle 1: htb default 10",
    "tc class add dev v0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit",
    "tc class add dev v0 parent 1:10 classid 1:20 htb rate 500kbit",
    "tc qdisc add dev v0 parent 1:20 handle 20: tbf rate 1mbit burst 32kbit latency 400ms",
    "tc qdisc add dev v0 ingress",
    "tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.9.0.0/24 flowid 1:10 action mirred egress redirect dev ifb0",
    "tc filter add dev v0 parent ffff: protocol all prio 2 u32 match u32 0 0 action mirred egress mirror dev ifb0",
    "tc qdisc add dev v1 clsact",
    "tc filter add dev v1 ingress protocol ip prio 1 u32 match ip src 10.1.0.0/24 match ip protocol 6 0xff action mirred egress redirect dev ifb0",
    "tc qdisc add dev ifb0 root pfifo limit 100",
    "tc qdisc add dev mv0 root bfifo limit 10000",
];

/// `keywords` seeds beyond the golden fixtures' calls: every request shortcut, nests,
/// sub-messages, lists, and `attrs.SET(...)` lines for the table-driven encoder.
pub const KEYWORD_SEEDS: &[&str] = &[
    "ipb.route('add', dst='10.9.0.0/24', multipath=[{'gateway': '10.0.0.2', 'oif': 2, 'hops': 1}, {'gateway': '10.1.0.2', 'oif': 3}])",
    "ipb.route('add', dst='10.1.0.0/24', gateway='10.0.0.1', metrics={'mtu': 1400, 'advmss': 1300, 'cc_algo': 'cubic'})",
    "ipb.route('add', dst='2001:db8:5::/64', oif=2, encap={'type': 'seg6', 'srh': [b'', ['2001:db8::2', '2001:db8::3']]})",
    "ipb.route('replace', dst='10.0.0.0/8', table=100, type='blackhole', proto='static', scope='universe')",
    "ipb.route('del', dst='default', table='main')",
    "ipb.route('get', dst='10.0.0.1')",
    "ipb.link('add', ifname='vx0', kind='vxlan', vxlan_id=42, vxlan_port=4789, vxlan_local='10.0.0.1', vxlan_link=2)",
    "ipb.link('add', ifname='br0', kind='bridge', br_stp_state=1, br_mcast_snooping=0)",
    "ipb.link('add', ifname='mv0', kind='macvlan', link=2, macvlan_mode='bridge')",
    "ipb.link('add', ifname='v0', kind='veth', peer={'ifname': 'v1', 'mtu': 1400, 'address': '02:00:00:00:00:01'})",
    "ipb.link('set', index=3, state='up', mtu=9000, txqlen=100, ifalias='uplink', master=4)",
    "ipb.link('set', index=3, flags=1, change=1, family=7, af_spec={'inet6': {'addr_gen_mode': 1}})",
    "ipb.addr('add', index=2, address='10.0.0.5', prefixlen=24, broadcast='10.0.0.255', label='v0:a', flags='noprefixroute')",
    "ipb.addr('add', index=2, address='2001:db8::5/64', cacheinfo={'prefered': 50, 'valid': 100})",
    "ipb.rule('add', src='10.0.0.0', src_len=8, table=100, priority=100, fwmark=16, fwmask=255)",
    "ipb.rule('add', family=10, dst='2001:db8::/32', action='blackhole', priority=5, uid_range={'start': 1000, 'end': 2000})",
    "ipb.rule('del', priority=100, iifname='v0', ip_proto=6, dport_range={'start': 80, 'end': 90})",
    "attrs.route(2, dst='10.0.0.0', gateway='10.0.0.1', oif=2, table=100, metrics={'mtu': 1400}, pref=1)",
    "attrs.route(10, dst='2001:db8::', multipath=[{'gateway': '2001:db8::2', 'oif': 2, 'hops': 1}], newdst=[16, 17])",
    "attrs.link(0, ifname='v0', mtu=1500, address='02:00:00:00:00:01', linkinfo={'kind': 'veth', 'data': {'peer': {'ifname': 'v1'}}})",
    "attrs.link(0, linkinfo={'kind': 'vxlan', 'data': {'id': 5, 'port': 4789, 'group': '239.1.1.1', 'ttl': 3}})",
    "attrs.link(7, af_spec={'bridge': {'flags': 1, 'mode': 0}}, protinfo={'cost': 5, 'priority': 3})",
    "attrs.link(0, stats64=b'xxxxxxxx'*20, map={'mem_start': 1}, ext_mask=8, alt_ifname='long'*4)",
    "attrs.addr(2, address=ip('10.0.0.1'), local='10.0.0.1', flags=128, cacheinfo={'prefered': 5, 'valid': 6})",
    "attrs.neigh(7, dst='10.0.0.2', lladdr='02:00:00:00:00:02', vni=5, port=4789, master=4)",
    "attrs.rule(2, src='10.0.0.0', table=100, uid_range={'start': 1, 'end': 2}, sport_range={'start': 1, 'end': 9})",
    "attrs.tc(0, kind='htb', options={'init': {'version': 3, 'rate2quantum': 10, 'defcls': 16}})",
    "attrs.tc(0, kind='tbf', options={'parms': {'limit': 1000, 'buffer': 100}, 'burst': 4000})",
    "attrs.tc(0, kind='u32', options={'classid': 65552, 'sel': {'flags': 1, 'nkeys': 1}, 'act': [{'kind': 'mirred', 'options': {'parms': {'eaction': 1, 'ifindex': 3}}}]})",
    "attrs.mdb(7, mdb={'mdb_entry': {'mdb_entry_info': b'x'*36}})",
];

/// `cli_args` seeds: real command lines, one argument per line.
pub const CLI_SEEDS: &[&str] = &[
    "link\nshow",
    "-j\nlink\nshow\ndev\nv0",
    "--raw\naddr\nshow",
    "-4\naddr\nshow\nv0",
    "-6\n-j\nroute\nshow\ntable\n100",
    "route\nlist\ntable\nall",
    "-n\nblue\nrule\nshow",
    "neigh\nshow\ndev\nv0",
    "-s\n-j\nvni\nshow\ndev\nvx1",
    "qdisc\nshow\ndev\nv0",
    "class\nshow\ndev\nv0\nparent\n1:",
    "filter\nshow\ndev\nv0\ningress",
    "filter\nshow\ndev\nv0\nparent\nffff:",
    "mdb\nshow\ndev\nbr0",
    "vlan\nshow",
    "ntable\nshow",
    "r\nls\ntab\nlocal",
    "--help",
    "link\nadd\nv0",
    "filter\nshow\nv0\nparent\n1:10000",
];

/// A libFuzzer dictionary for `keywords` (`-dict=fuzz/keywords.dict`): every attribute's two
/// names (as keywords and as quoted values) and every set name, so mutations write real calls.
pub fn keywords_dict() -> String {
    let mut words = std::collections::BTreeSet::new();
    for set in crate::getters::SET_SPECS {
        words.insert(format!("attrs.{}(", set.name));
        for a in set.attrs {
            words.insert(format!("{}=", a.name));
            words.insert(format!("'{}': ", a.name));
            words.insert(format!("{}=", a.cname));
        }
    }
    for w in [
        "ipb.link(",
        "ipb.addr(",
        "ipb.route(",
        "ipb.rule(",
        "'add'",
        "'set'",
        "'del'",
        "'replace'",
        "'get'",
        "'dump'",
        "*70000",
        "ip('",
        "b'",
        "True",
        "0x",
    ] {
        words.insert(w.to_string());
    }
    let mut out = String::from(
        "# Generated by `cargo xtask fuzz-corpus` (rtnl_fuzz::capture::keywords_dict).\n",
    );
    for w in words {
        out.push_str(&format!("{:?}\n", w));
    }
    out
}

/// What one capture wrote.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files per target (new or already there).
    pub files: BTreeMap<&'static str, usize>,
    /// Setup commands the kernel or the tools refused.
    pub skipped: Vec<String>,
}

fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

struct Out<'a> {
    dir: &'a Path,
    seen: HashSet<(&'static str, u64)>,
    summary: Summary,
}

impl Out<'_> {
    fn put(&mut self, target: &'static str, data: &[u8]) -> Result<(), String> {
        let h = fnv(data);
        if !self.seen.insert((target, h)) {
            return Ok(());
        }
        let d = self.dir.join(target);
        std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        let p = d.join(format!("seed-{h:016x}"));
        std::fs::write(&p, data).map_err(|e| format!("{}: {e}", p.display()))?;
        *self.summary.files.entry(target).or_default() += 1;
        Ok(())
    }
}

/// One dump request: message type, family header bytes, attributes.
struct Dump {
    ty: u16,
    header: Vec<u8>,
    attrs: Vec<u8>,
}

fn hdr(family: u8, len: usize, ifindex: Option<(usize, u32)>, extra: &[(usize, u32)]) -> Vec<u8> {
    let mut h = vec![0u8; len];
    h[0] = family;
    for (off, v) in ifindex.iter().chain(extra) {
        h[*off..*off + 4].copy_from_slice(&v.to_ne_bytes());
    }
    h
}

/// The whole netlink messages of `d`, as slices.
fn split(d: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + proto::NLMSG_HDRLEN <= d.len() {
        let len = u32::from_ne_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]) as usize;
        if len < proto::NLMSG_HDRLEN || at + len > d.len() {
            break;
        }
        out.push(&d[at..at + len]);
        at += rtnl_core::nla::align(len);
    }
    out
}

/// Sends `req` and reads datagrams until the answer ends (DONE, ACK or error).
fn exchange(sock: &rtnl_core::socket::Socket, req: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let seq = u32::from_ne_bytes([req[8], req[9], req[10], req[11]]);
    rustix::net::send(sock.as_fd(), req, rustix::net::SendFlags::empty())
        .map_err(|e| format!("send: {e}"))?;
    let mut out = Vec::new();
    let mut rx = vec![0u8; 1 << 16];
    loop {
        let (n, _) = rustix::net::recv(sock.as_fd(), &mut rx[..], rustix::net::RecvFlags::empty())
            .map_err(|e| format!("recv: {e}"))?;
        let d = rx[..n].to_vec();
        let end = proto::messages(&d).any(|e| match e {
            Ok(Event::Done { seq: s, .. } | Event::Ack { seq: s, .. }) => s == seq,
            Ok(Event::Error { error: k, .. }) => k.request_seq == seq,
            Ok(_) => false,
            Err(_) => true,
        });
        out.push(d);
        if end {
            return Ok(out);
        }
    }
}

fn request(ty: u16, fl: u16, seq: u32, body: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    let s = proto::begin_request(&mut b, ty, fl, seq, 0);
    b.extend_from_slice(body);
    proto::finish_request(&mut b, s);
    b
}

/// Seeds from the nests of a set's attributes, recursively.
fn nests(
    out: &mut Out<'_>,
    counts: &mut BTreeMap<String, usize>,
    set: &SetSpec,
    family: u8,
    buf: &[u8],
    depth: u32,
) -> Result<(), String> {
    if depth > 4 {
        return Ok(());
    }
    for a in rtnl_core::nla::Attrs::new(buf).flatten() {
        let Some(spec) = set.by_id(a.id) else {
            continue;
        };
        let inner = match &spec.kind {
            Kind::Nest(s) | Kind::ArrayNest(s) => *s,
            _ => continue,
        };
        let n = counts.entry(inner.name.to_string()).or_default();
        if *n < PER_FAMILY
            && let Some(seed) = set_input(inner, family, a.payload)
        {
            *n += 1;
            out.put("families", &seed)?;
            out.put("dyn_serde", &seed)?;
        }
        if matches!(spec.kind, Kind::Nest(_)) {
            nests(out, counts, inner, family, a.payload, depth + 1)?;
        }
    }
    Ok(())
}

/// Captures every target's seeds into `dir` (`fuzz/corpus`); `golden` is
/// `rtnl-api/tests/golden/pyroute2.json` (its calls seed `keywords`).
pub fn capture(dir: &Path, golden: &Path) -> Result<Summary, String> {
    let mut out = Out {
        dir,
        seen: HashSet::new(),
        summary: Summary::default(),
    };
    // Offline seeds first: they need no kernel.
    let text = std::fs::read_to_string(golden).map_err(|e| format!("{}: {e}", golden.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let calls = json
        .as_object()
        .and_then(|o| o.values().find_map(|v| v.as_array()))
        .ok_or("golden fixtures: no list of calls")?;
    for c in calls.iter().filter_map(|c| c["call"].as_str()) {
        out.put("keywords", c.as_bytes())?;
    }
    for s in KEYWORD_SEEDS {
        out.put("keywords", s.as_bytes())?;
    }
    for s in CLI_SEEDS {
        out.put("cli_args", s.as_bytes())?;
    }
    let dict = dir.join("../keywords.dict");
    std::fs::write(&dict, keywords_dict()).map_err(|e| format!("{}: {e}", dict.display()))?;

    if !rtnl_core::netns::is_root() {
        return Err("the kernel capture needs root (a network namespace)".into());
    }
    let ns = TestNetns::new().map_err(|e| e.to_string())?;
    for line in SETUP {
        let mut w = line.split_whitespace();
        let tool = w.next().unwrap_or("ip");
        let st = Command::new(tool)
            .args(["-n", ns.name()])
            .args(w)
            .output()
            .map_err(|e| format!("{tool}: {e}"))?;
        if !st.status.success() {
            let why = String::from_utf8_lossy(&st.stderr).trim().to_string();
            out.summary.skipped.push(format!("{line}: {why}"));
        }
    }
    let sock = ns.socket().map_err(|e| e.to_string())?;

    // Interface indexes, for the per-device dumps.
    let links = exchange(
        &sock,
        &request(18, flags::REQUEST | flags::DUMP, 1, &hdr(0, 16, None, &[])),
    )?;
    let mut ifindex = BTreeMap::new();
    for d in &links {
        for ev in proto::messages(d).flatten() {
            if let Event::Message(m) = ev
                && let Ok(l) = rtnl_core::generated::LinkMsg::parse(m.payload)
                && let Ok(Some(name)) = l.ifname()
            {
                ifindex.insert(name.to_string(), l.header().index() as u32);
            }
        }
    }
    let idx = |n: &str| ifindex.get(n).copied().unwrap_or(0);
    let mut ext_mask = Vec::new();
    rtnl_core::nla::put(&mut ext_mask, 29, &(1u32 << 1 | 1 << 3).to_ne_bytes());
    let (af_bridge, af_inet, af_inet6) = (7u8, 2u8, 10u8);
    let mut dumps = vec![
        Dump {
            ty: 18,
            header: hdr(0, 16, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 18,
            header: hdr(af_bridge, 16, None, &[]),
            attrs: ext_mask,
        },
        Dump {
            ty: 22,
            header: hdr(0, 8, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 26,
            header: hdr(af_inet, 12, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 26,
            header: hdr(af_inet6, 12, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 34,
            header: hdr(af_inet, 12, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 34,
            header: hdr(af_inet6, 12, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 30,
            header: hdr(0, 12, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 30,
            header: hdr(af_bridge, 12, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 86,
            header: hdr(af_bridge, 8, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 66,
            header: hdr(0, 4, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 94,
            header: hdr(0, 12, None, &[(8, 0x1f)]),
            attrs: vec![],
        },
        Dump {
            ty: 114,
            header: hdr(af_bridge, 8, None, &[]),
            attrs: vec![],
        },
        Dump {
            ty: 122,
            header: hdr(af_bridge, 8, Some((4, idx("vx1"))), &[]),
            attrs: vec![],
        },
    ];
    for dev in ["v0", "v1", "ifb0", "mv0", "br0"] {
        let i = Some((4, idx(dev)));
        dumps.push(Dump {
            ty: 38,
            header: hdr(0, 20, i, &[]),
            attrs: vec![],
        });
        dumps.push(Dump {
            ty: 42,
            header: hdr(0, 20, i, &[]),
            attrs: vec![],
        });
        for parent in [0u32, 0xffff_0000, 0xffff_fff2, 0xffff_fff3, 0x0001_0000] {
            dumps.push(Dump {
                ty: 46,
                header: hdr(0, 20, i, &[(12, parent)]),
                attrs: vec![],
            });
        }
    }
    let mut datagrams = Vec::new();
    for (n, d) in dumps.iter().enumerate() {
        let body = [d.header.clone(), d.attrs.clone()].concat();
        let req = request(d.ty, flags::REQUEST | flags::DUMP, 100 + n as u32, &body);
        datagrams.extend(exchange(&sock, &req)?);
    }
    // Answers that are not dumps: an ACK, refusals with extended acks.
    let mut batch = rtnl_api::IPBatch::new();
    let kw = |s: &str| {
        crate::call::parse(s)
            .map(|c| c.kwargs.into_iter().collect::<rtnl_api::Args>())
            .unwrap_or_default()
    };
    let _ = batch.link("set", kw("x.x(index=1, state='up')"));
    let _ = batch.route("add", kw("x.x(dst='10.50.0.0/16', gateway='10.99.0.1')"));
    let _ = batch.link("add", kw("x.x(ifname='br0', kind='bridge')"));
    let _ = batch.addr("add", kw("x.x(index=999, address='10.0.0.1/24')"));
    for (n, m) in split(batch.bytes()).into_iter().enumerate() {
        let mut m = m.to_vec();
        proto::set_seq(&mut m, 0, 1000 + n as u32);
        let fl = u16::from_ne_bytes([m[6], m[7]]) | flags::ACK;
        m[6..8].copy_from_slice(&fl.to_ne_bytes());
        datagrams.extend(exchange(&sock, &m)?);
    }
    let get = request(18, flags::REQUEST, 2000, &hdr(0, 16, Some((4, 9999)), &[]));
    datagrams.extend(exchange(&sock, &get)?);

    let mut per_family: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_set: BTreeMap<String, usize> = BTreeMap::new();
    for d in &datagrams {
        // `messages`: the datagram, cut at message boundaries.
        let mut chunk = Vec::new();
        for m in split(d) {
            if !chunk.is_empty() && chunk.len() + m.len() > MAX_DATAGRAM {
                out.put("messages", &chunk)?;
                chunk.clear();
            }
            chunk.extend_from_slice(m);
            chunk.resize(rtnl_core::nla::align(chunk.len()), 0);
        }
        if !chunk.is_empty() {
            out.put("messages", &chunk)?;
        }
        // `families`/`dyn_serde`: every message, and its nests.
        for ev in proto::messages(d).flatten() {
            let Event::Message(m) = ev else { continue };
            let Some(spec) = rtnl_core::spec::message_for_type(m.msg_type()) else {
                continue;
            };
            let Some(sel) = family_selector(spec.name) else {
                continue;
            };
            let n = per_family.entry(spec.name.to_string()).or_default();
            if *n < PER_FAMILY {
                *n += 1;
                let seed = [&[sel][..], m.payload].concat();
                out.put("families", &seed)?;
                out.put("dyn_serde", &seed)?;
            }
            let family = spec
                .family_offset
                .and_then(|o| m.payload.get(o))
                .copied()
                .unwrap_or(0);
            let attrs = m
                .payload
                .get(rtnl_core::nla::align(spec.header.size)..)
                .unwrap_or(&[]);
            nests(&mut out, &mut per_set, spec.attrs, family, attrs, 0)?;
        }
    }
    drop(sock);
    drop(ns);
    Ok(out.summary)
}
