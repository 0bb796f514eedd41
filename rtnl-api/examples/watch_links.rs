//! `ip monitor link`: prints link events as they come, until nothing happens for a while.
//!
//! ```sh
//! sudo cargo run -p rtnl-api --example watch_links -- blue      # the namespace `blue`
//! sudo cargo run -p rtnl-api --example watch_links -- blue 10   # stop after 10 s of quiet
//! ```
//!
//! Events are typed zero-copy views; new and deleted links are told apart. If the socket's
//! queue overflows, the kernel dropped events: `resync(true)` then prints the current links
//! (marked `current`), so nothing is ever lost silently.

use std::ops::ControlFlow;
use std::time::Duration;

use rtnl_api::events::{Change, Event, Msg};
use rtnl_api::{IPRoute, Result};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let netns = args.next();
    let quiet: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let mut options = IPRoute::options().groups(&["link"]);
    if let Some(ns) = netns {
        options = options.netns(ns.as_str());
    }
    let mut ipr = options.open()?;
    println!("watching links (stops after {quiet} s without an event)");
    ipr.events()
        .resync(true)
        .idle_timeout(Duration::from_secs(quiet))
        .for_each(|ev| {
            match ev {
                Event::Message {
                    change,
                    msg: Msg::Link(l),
                    ..
                } => {
                    let what = match change {
                        Change::New => "new",
                        Change::Del => "deleted",
                        _ => "current",
                    };
                    println!(
                        "{what} link {}: {} mtu {}",
                        l.header().index(),
                        l.ifname()?.unwrap_or("?"),
                        l.mtu()?.unwrap_or(0)
                    );
                }
                Event::Overrun => {
                    println!("events were lost (queue overflow); current state follows")
                }
                _ => {}
            }
            Ok(ControlFlow::Continue(()))
        })
}
