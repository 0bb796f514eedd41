//! AsyncIPRoute at scale (issue 10, item 4): 200 namespaces driven concurrently from one
//! runtime, each given a veth pair, an address and a route, then dumped and checked; no file
//! descriptor is left open. Its own test binary, so that no other test opens descriptors
//! meanwhile. Needs root.

use rtnl_core::testing::skip_unless_root;
use std::time::{Duration, Instant};

use rtnl_api::{AsyncIPRoute, Netns, RouteFilter, kw};
use rtnl_core::testing::TestNetns;

fn fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

async fn one(i: u32) -> rtnl_api::Result<()> {
    let ns = tokio::task::spawn_blocking(TestNetns::new).await.unwrap()?;
    let ipr = AsyncIPRoute::in_netns(Netns::Path(ns.path().to_path_buf())).await?;
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .await?;
    ipr.link("set", kw! { ifname: "v0", state: "up" }).await?;
    let net = format!("10.{}.{}", i / 250, i % 250);
    ipr.addr("add", kw! { ifname: "v0", address: format!("{net}.1/24") })
        .await?;
    ipr.route(
        "add",
        kw! { dst: "10.250.0.0/16", gateway: format!("{net}.2") },
    )
    .await?;
    assert_eq!(ipr.get_links(()).count().await?, 3);
    let routes = ipr
        .get_routes(RouteFilter::new().family(2).table(254))
        .collect()
        .await?;
    assert!(
        routes.iter().any(|r| {
            let v = r.view();
            v.header().dst_len() == 16
                && v.dst().ok().flatten() == Some("10.250.0.0".parse().unwrap())
        }),
        "namespace {i}: the route is not in the dump"
    );
    drop(ipr);
    tokio::task::spawn_blocking(move || drop(ns)).await.unwrap();
    Ok(())
}

#[test]
fn two_hundred_namespaces_driven_concurrently_from_one_runtime() {
    if skip_unless_root("two_hundred_namespaces_driven_concurrently_from_one_runtime") {
        return;
    }
    let before = fds(); // before the runtime (its epoll and wakeup descriptors) exists
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let n = 200;
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..n {
            set.spawn(one(i));
        }
        let all = async {
            while let Some(r) = set.join_next().await {
                r.unwrap().unwrap();
            }
        };
        tokio::time::timeout(Duration::from_secs(120), all)
            .await
            .expect("200 namespaces within 120 s");
    });
    drop(rt); // the driver tasks end with their runtime
    let took = start.elapsed();
    println!(
        "{n} namespaces concurrently (create, veth + address + route, dump, remove): {took:.2?}"
    );
    assert_eq!(fds(), before, "file descriptors left open");
}
