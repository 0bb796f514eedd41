//! Live socket tests: each in a fresh named namespace (never the host's). Need root; otherwise
//! each prints `skip: <test>: needs root`.

use rtnl_core::socket::DumpEvent;
use rtnl_core::testing::TestNetns;
use rtnl_core::testing::skip_unless_root;

const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTM_GETLINK: u16 = 18;

fn ifinfomsg(index: i32, flags: u32, change: u32) -> Vec<u8> {
    let mut b = vec![0u8; 4];
    b.extend_from_slice(&index.to_ne_bytes());
    b.extend_from_slice(&flags.to_ne_bytes());
    b.extend_from_slice(&change.to_ne_bytes());
    b
}

#[test]
fn dump_links_of_a_fresh_namespace() {
    if skip_unless_root("dump_links_of_a_fresh_namespace") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    std::process::Command::new("ip")
        .args([
            "-n",
            ns.name(),
            "link",
            "add",
            "v0",
            "type",
            "veth",
            "peer",
            "name",
            "v1",
        ])
        .status()
        .unwrap();
    let mut s = ns.socket().unwrap();
    let mut n = 0;
    s.dump(
        RTM_GETLINK,
        |b| {
            b.extend_from_slice(&ifinfomsg(0, 0, 0));
            Ok(())
        },
        |ev| {
            if let DumpEvent::Message(m) = ev {
                assert_eq!(m.msg_type(), RTM_NEWLINK);
                n += 1;
            }
            Ok(())
        },
    )
    .unwrap();
    let ip = std::process::Command::new("ip")
        .args(["-n", ns.name(), "-o", "link", "show"])
        .output()
        .unwrap();
    assert_eq!(n, String::from_utf8_lossy(&ip.stdout).lines().count());
    assert_eq!(n, 3, "lo, v0, v1");
}

#[test]
fn ack_and_kernel_errors() {
    if skip_unless_root("ack_and_kernel_errors") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut s = ns.socket().unwrap();
    // lo up: an ACK.
    s.request(RTM_NEWLINK, 0x5, |b| {
        b.extend_from_slice(&ifinfomsg(1, 1, 1));
        Ok(())
    })
    .unwrap();
    // Deleting a missing link: ENODEV, named.
    let e = s
        .request(RTM_DELLINK, 0x5, |b| {
            b.extend_from_slice(&ifinfomsg(9999, 0, 0));
            Ok(())
        })
        .unwrap_err();
    assert_eq!(e.errno(), Some(19), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("ENODEV") && text.contains("RTM_DELLINK"),
        "{text}"
    );
    // An unknown link kind: the kernel explains in its extended ack.
    let e = s
        .request(RTM_NEWLINK, 0x605, |b| {
            b.extend_from_slice(&ifinfomsg(0, 0, 0));
            rtnl_core::nla::put_str(b, 3, "x0");
            let li = rtnl_core::nla::begin_nest(b, 18);
            rtnl_core::nla::put_str(b, 1, "nosuchkind");
            rtnl_core::nla::end_nest(b, li);
            Ok(())
        })
        .unwrap_err();
    let rtnl_core::Error::Kernel(k) = &e else {
        panic!("{e}")
    };
    assert_eq!(k.errno_name(), "EOPNOTSUPP", "{e}");
    assert!(
        k.ext_ack.as_deref().is_some_and(|m| !m.is_empty()),
        "no extended ack: {e}"
    );
    // The socket is still usable after errors.
    s.request(RTM_NEWLINK, 0x5, |b| {
        b.extend_from_slice(&ifinfomsg(1, 0, 1));
        Ok(())
    })
    .unwrap();
}

#[test]
fn calling_thread_keeps_its_namespace() {
    if skip_unless_root("calling_thread_keeps_its_namespace") {
        return;
    }
    let before = std::fs::read_link("/proc/thread-self/ns/net").unwrap();
    let ns = TestNetns::new().unwrap();
    let _s = ns.socket().unwrap();
    let _f = rtnl_core::netns::socket_in_fresh().unwrap();
    assert_eq!(
        std::fs::read_link("/proc/thread-self/ns/net").unwrap(),
        before
    );
    let listed = std::process::Command::new("ip")
        .args(["netns", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains(ns.name()));
}

#[test]
fn large_dumps_are_never_truncated() {
    if skip_unless_root("large_dumps_are_never_truncated") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut batch = String::new();
    for i in 0..300 {
        batch.push_str(&format!("link add d{i} type veth peer name e{i}\n"));
    }
    let mut child = std::process::Command::new("ip")
        .args(["-n", ns.name(), "-batch", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(batch.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let mut s = ns.socket().unwrap();
    let mut n = 0;
    s.dump(
        RTM_GETLINK,
        |b| {
            b.extend_from_slice(&ifinfomsg(0, 0, 0));
            Ok(())
        },
        |ev| {
            if let DumpEvent::Message(_) = ev {
                n += 1;
            }
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(n, 601);
}

/// A reply that never comes ends in `Error::Timeout` (the guard that keeps a wedged kernel from
/// hanging the suite), not in a blocked thread. Needs no root: nothing is sent.
#[test]
fn a_missing_reply_times_out() {
    let mut s = rtnl_core::socket::Socket::new().unwrap();
    let t = std::time::Duration::from_millis(200);
    s.set_recv_timeout(Some(t)).unwrap();
    let started = std::time::Instant::now();
    let err = s.recv_raw(|_| Ok(())).unwrap_err();
    assert!(
        matches!(err, rtnl_core::Error::Timeout(d) if d == t),
        "{err}"
    );
    assert!(started.elapsed() >= t);
    assert!(err.to_string().contains("SO_RCVTIMEO"), "{err}");
}
