//! AsyncIPRoute live (issue 10, item 4): cancellation of a dump mid-stream leaves the socket
//! usable, many requests in flight on one socket from several tasks are each matched to their
//! own answer, and the event stream sees another socket's change. Each test owns a fresh
//! namespace; without root each prints a skip.

use rtnl_core::testing::skip_unless_root;
use std::time::Duration;

use rtnl_api::events::{Change, Event, Msg};
use rtnl_api::{AsyncIPRoute, IPBatch, IPRoute, Netns, RouteFilter, kw};
use rtnl_core::Error;
use rtnl_core::testing::TestNetns;

/// No test may hang the suite: every await is bounded.
const LIMIT: Duration = Duration::from_secs(60);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A namespace with v0 (10.0.0.1/24, up) and `routes` routes in table 100 (added in one batch).
fn setup(routes: u32) -> TestNetns {
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    let mut b = IPBatch::new();
    for i in 0..routes {
        let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
        b.route("add", kw! { dst: dst, gateway: "10.0.0.2", table: 100 })
            .unwrap();
    }
    if routes > 0 {
        b.send(&mut ipr).unwrap();
    }
    ns
}

async fn open(ns: &TestNetns) -> AsyncIPRoute {
    AsyncIPRoute::in_netns(Netns::Path(ns.path().to_path_buf()))
        .await
        .unwrap()
}

#[test]
fn a_dump_dropped_mid_stream_leaves_the_socket_usable() {
    if skip_unless_root("a_dump_dropped_mid_stream_leaves_the_socket_usable") {
        return;
    }
    let ns = setup(2000);
    runtime().block_on(async {
        let ipr = open(&ns).await;
        for round in 0..3 {
            let mut d = ipr.get_routes(RouteFilter::new().table(100));
            for _ in 0..5 {
                let r = tokio::time::timeout(LIMIT, d.next()).await.unwrap();
                r.expect("a route").unwrap();
            }
            drop(d);
            // A dump dropped before it could even start.
            drop(ipr.get_links(()));
            // The next request on the same socket gets its own answer ...
            tokio::time::timeout(LIMIT, ipr.link("set", kw! { ifname: "v1", state: "up" }))
                .await
                .unwrap()
                .unwrap();
            // ... and the next dump is whole (the abandoned one was read to its end first).
            let n =
                tokio::time::timeout(LIMIT, ipr.get_routes(RouteFilter::new().table(100)).count())
                    .await
                    .unwrap()
                    .unwrap();
            assert_eq!(n, 2000, "round {round}");
        }
        // A dump queued behind an abandoned one outlives every handle of its socket (the
        // abandoned dump is long enough to be still settling when the last handle goes).
        let path = ns.path().to_path_buf();
        tokio::task::spawn_blocking(move || {
            let mut ipr = IPRoute::in_netns(path.to_str().unwrap()).unwrap();
            let mut b = IPBatch::new();
            for i in 0..20_000u32 {
                let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
                b.route("add", kw! { dst: dst, gateway: "10.0.0.2", table: 200 })
                    .unwrap();
            }
            b.send(&mut ipr).unwrap();
        })
        .await
        .unwrap();
        let other = open(&ns).await;
        let big = other.get_routes(RouteFilter::new().table(200)).count();
        assert_eq!(
            tokio::time::timeout(LIMIT, big).await.unwrap().unwrap(),
            20_000
        );
        let mut a = other.get_routes(RouteFilter::new().table(200));
        a.next().await.expect("a route").unwrap();
        drop(a);
        let b = other.get_routes(RouteFilter::new().table(100));
        drop(other);
        let n = tokio::time::timeout(LIMIT, b.count())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n, 2000);
    });
}

#[test]
fn many_requests_in_flight_on_one_socket_get_their_own_answers() {
    if skip_unless_root("many_requests_in_flight_on_one_socket_get_their_own_answers") {
        return;
    }
    let ns = setup(0);
    runtime().block_on(async {
        let ipr = open(&ns).await;
        let tasks = 8u32;
        let per = 50u32;
        let mut set = tokio::task::JoinSet::new();
        for t in 0..tasks {
            let ipr = ipr.clone();
            set.spawn(async move {
                for i in 0..per {
                    let dst = format!("10.{}.{}.0/24", 100 + t, i);
                    ipr.route(
                        "add",
                        kw! { dst: dst.clone(), gateway: "10.0.0.2", table: 100 },
                    )
                    .await
                    .unwrap();
                    // The same route again: the refusal reaches this task, for this request.
                    let err = ipr
                        .route(
                            "add",
                            kw! { dst: dst.clone(), gateway: "10.0.0.2", table: 100 },
                        )
                        .await
                        .expect_err("EEXIST");
                    let Error::Kernel(k) = &err else {
                        panic!("{err}")
                    };
                    assert_eq!(k.errno, 17, "{err}");
                    assert!(err.to_string().contains("RTM_NEWROUTE"), "{err}");
                }
            });
        }
        // Dumps beside the writes, on the same socket.
        let reader = {
            let ipr = ipr.clone();
            tokio::spawn(async move {
                let mut dumps = 0;
                for _ in 0..20 {
                    ipr.get_links(()).count().await.unwrap();
                    dumps += 1;
                }
                dumps
            })
        };
        let all = async {
            while let Some(r) = set.join_next().await {
                r.unwrap();
            }
        };
        tokio::time::timeout(LIMIT, all).await.unwrap();
        assert_eq!(reader.await.unwrap(), 20);
        let n = ipr
            .get_routes(RouteFilter::new().table(100))
            .count()
            .await
            .unwrap();
        assert_eq!(n, (tasks * per) as usize);
        // Name resolution on the same socket: a name that does not exist is an argument error.
        let err = ipr
            .route("add", kw! { dst: "10.1.0.0/24", oif: "nosuch" })
            .await
            .expect_err("no such interface");
        assert!(err.to_string().contains("nosuch"), "{err}");
        println!(
            "{} requests from {tasks} tasks and 20 dumps on one socket",
            tasks * per * 2
        );
    });
}

#[test]
fn the_event_stream_sees_a_link_another_socket_creates() {
    if skip_unless_root("the_event_stream_sees_a_link_another_socket_creates") {
        return;
    }
    let ns = setup(0);
    runtime().block_on(async {
        let ipr = open(&ns).await;
        ipr.bind(&["link"]).await.unwrap();
        let mut events = ipr.events();
        let path = ns.path().to_path_buf();
        let other = tokio::task::spawn_blocking(move || {
            let mut other = IPRoute::in_netns(path.to_str().unwrap()).unwrap();
            other
                .link("add", kw! { ifname: "ev0", kind: "veth", peer: "ev1" })
                .unwrap();
        });
        let mut seen = false;
        tokio::time::timeout(
            LIMIT,
            events.for_each(|ev| {
                if let Event::Message {
                    change: Change::New,
                    msg: Msg::Link(l),
                    ..
                } = ev
                    && l.ifname()? == Some("ev0")
                {
                    seen = true;
                    return Ok(std::ops::ControlFlow::Break(()));
                }
                Ok(std::ops::ControlFlow::Continue(()))
            }),
        )
        .await
        .unwrap()
        .unwrap();
        other.await.unwrap();
        assert!(seen);
    });
}

#[test]
fn a_dump_is_a_futures_stream() {
    if skip_unless_root("a_dump_is_a_futures_stream") {
        return;
    }
    let ns = setup(300);
    runtime().block_on(async {
        use futures_util::StreamExt;
        let ipr = open(&ns).await;
        let routes: Vec<_> = ipr
            .get_routes(RouteFilter::new().table(100))
            .into_stream()
            .collect()
            .await;
        assert_eq!(routes.len(), 300);
        assert!(routes.iter().all(Result::is_ok));
        // Stream combinators work on it like on any other.
        let first_two = ipr
            .get_routes(RouteFilter::new().table(100))
            .into_stream()
            .take(2)
            .count()
            .await;
        assert_eq!(first_two, 2);
        // The socket is still in step after the stream above was dropped part-way.
        assert_eq!(
            ipr.get_routes(RouteFilter::new().table(100))
                .count()
                .await
                .unwrap(),
            300
        );
    });
}
