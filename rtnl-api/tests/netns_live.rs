//! Namespaces and constructor options, live (issue: events, namespaces and async): pyroute2's
//! netns functions, an IPRoute in a namespace by name, path, descriptor or pid, O_CREAT/O_EXCL,
//! echo, targets and namespace ids on events. Each test owns its namespaces; without root each
//! prints a skip.

use rtnl_core::testing::skip_unless_root;
use std::ops::ControlFlow;
use std::time::Duration;

use rtnl_api::events::{Event, Msg, OwnedMsg};
use rtnl_api::{IPRoute, kw};
use rtnl_core::netns::{self, Netns};
use rtnl_core::testing::TestNetns;

#[test]
fn create_list_remove_and_the_open_flags() {
    if skip_unless_root("create_list_remove_and_the_open_flags") {
        return;
    }
    let name = format!("rtnl-opt-{}", std::process::id());
    assert!(!netns::list().unwrap().contains(&name));
    let mut ipr = IPRoute::options()
        .netns(name.as_str())
        .create(true)
        .open()
        .unwrap();
    assert!(netns::list().unwrap().contains(&name), "O_CREAT created it");
    assert_eq!(
        ipr.get_links(()).unwrap().count().unwrap(),
        1,
        "a fresh namespace: lo"
    );
    let again = IPRoute::options()
        .netns(name.as_str())
        .flags(rtnl_api::options::O_CREAT | rtnl_api::options::O_EXCL)
        .open();
    assert!(again.unwrap_err().to_string().contains("O_EXCL"));
    drop(ipr);
    netns::remove(&name).unwrap();
    assert!(!netns::list().unwrap().contains(&name));
    let missing = IPRoute::options().netns(name.as_str()).open();
    assert!(
        missing.is_err(),
        "without O_CREAT a missing namespace is an error"
    );
}

#[test]
fn attach_pid_to_ns_ns_pids_and_run_in() {
    if skip_unless_root("attach_pid_to_ns_ns_pids_and_run_in") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut child = std::process::Command::new("ip")
        .args(["netns", "exec", ns.name(), "sleep", "10"])
        .spawn()
        .unwrap();
    let pid = child.id();
    // `ip netns exec` enters the namespace before it execs sleep: wait until it has.
    let by_name = Netns::Name(ns.name().to_string());
    let mut seen = false;
    for _ in 0..100 {
        if netns::ns_pids(&by_name).unwrap().contains(&pid) {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(seen, "ns_pids lists the process in the namespace");
    assert_eq!(netns::pid_to_ns(pid).unwrap().as_deref(), Some(ns.name()));
    let alias = format!("{}-alias", ns.name());
    netns::attach(&alias, pid).unwrap();
    assert!(netns::list().unwrap().contains(&alias));
    // The same namespace, by pid, by path and by descriptor.
    let fd: std::os::fd::OwnedFd = std::fs::File::open(ns.path()).unwrap().into();
    for n in [
        Netns::Pid(pid),
        Netns::Path(ns.path().to_path_buf()),
        Netns::Fd(fd),
        Netns::Name(alias.clone()),
    ] {
        let mut ipr = IPRoute::options().netns(n).open().unwrap();
        assert_eq!(ipr.get_links(()).unwrap().count().unwrap(), 1);
    }
    netns::remove(&alias).unwrap();
    let devs = netns::run_in(&by_name, || {
        std::fs::read_to_string("/proc/thread-self/net/dev")
    })
    .unwrap()
    .unwrap();
    assert!(devs.contains("lo:") && !devs.contains("eth0"), "{devs}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn echo_target_and_nsid() {
    if skip_unless_root("echo_target_and_nsid") {
        return;
    }
    let a = TestNetns::new().unwrap();
    let b = TestNetns::new().unwrap();
    // B is known in A as nsid 7.
    let st = std::process::Command::new("ip")
        .args(["-n", a.name(), "netns", "set", b.name(), "7"])
        .status()
        .unwrap();
    assert!(st.success());
    let mut listener = IPRoute::options()
        .netns(a.name())
        .all_ns(true)
        .groups(&["link"])
        .target("watcher")
        .open()
        .unwrap();
    let mut ipr = IPRoute::options()
        .netns(b.name())
        .nlm_echo(true)
        .open()
        .unwrap();
    ipr.link("add", kw! { ifname: "br0", kind: "bridge" })
        .unwrap();
    let echoed: Vec<_> = ipr
        .echoed()
        .iter()
        .filter_map(|m| match m {
            OwnedMsg::Link(l) => l.view().ifname().ok().flatten().map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(echoed, ["br0"], "the kernel echoed the new link");
    // B's change, made by another program (a socket that asked for an echo is left out of
    // the multicast by port id, in every namespace: the kernel compares port ids only).
    let st = std::process::Command::new("ip")
        .args(["-n", b.name(), "link", "add", "brB", "type", "bridge"])
        .status()
        .unwrap();
    assert!(st.success());
    let mut got = Vec::new();
    listener
        .events()
        .idle_timeout(Duration::from_millis(300))
        .for_each(|ev| {
            if let Event::Message {
                msg: Msg::Link(l),
                nsid,
                target,
                ..
            } = ev
            {
                got.push((
                    l.ifname()?.unwrap_or("").to_string(),
                    nsid,
                    target.map(str::to_string),
                ));
            }
            Ok(ControlFlow::Continue(()))
        })
        .unwrap();
    assert!(
        got.contains(&("brB".into(), Some(7), Some("watcher".into()))),
        "B's link event reaches A's listener with B's nsid and the target: {got:?}"
    );
}
