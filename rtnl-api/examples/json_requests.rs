//! Requests from a JSON file: each `{"object": "link", "cmd": "add", "args": {...}}` is one
//! keyword command (`ipr.link("add", args)`), the `args` object read straight into [`Args`] in
//! the order written (feature `serde`). Then every link is printed as one line of JSON, from
//! the owned messages' `Serialize`.
//!
//! It changes the namespace it runs in, so it wants one made for it:
//!
//! ```sh
//! sudo ip netns add demo
//! sudo cargo run -p rtnl-api --features serde --example json_requests -- demo \
//!     rtnl-api/examples/json_requests.json
//! sudo ip netns del demo
//! ```

use std::error::Error;

use rtnl_api::generated::LinkOwned;
use rtnl_api::{Args, IPRoute};

/// One line of the request file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// `link`, `addr`, `route` or `rule`.
    object: String,
    /// The command word (`add`, `set`, `del` ...).
    cmd: String,
    /// Its keyword arguments.
    #[serde(default)]
    args: Args,
}

fn main() -> Result<(), Box<dyn Error>> {
    let (Some(netns), Some(file)) = (std::env::args().nth(1), std::env::args().nth(2)) else {
        eprintln!("usage: json_requests NETNS FILE.json   (it changes the namespace it is given)");
        std::process::exit(2);
    };
    let requests: Vec<Request> = serde_json::from_str(&std::fs::read_to_string(&file)?)
        .map_err(|e| format!("{file}: {e}"))?;
    let mut ipr = IPRoute::in_netns(&netns)?;
    for (i, r) in requests.into_iter().enumerate() {
        let shown = serde_json::to_string(&r.args)?;
        let done = match r.object.as_str() {
            // A write's reply is empty (or the echo); only whether it failed matters here.
            "link" => ipr.link(&r.cmd, r.args).map(drop),
            "addr" => ipr.addr(&r.cmd, r.args).map(drop),
            "route" => ipr.route(&r.cmd, r.args).map(drop),
            "rule" => ipr.rule(&r.cmd, r.args).map(drop),
            "neigh" => ipr.neigh(&r.cmd, r.args).map(drop),
            "fdb" => ipr.fdb(&r.cmd, r.args).map(drop),
            other => return Err(format!("{file}: request {i}: no object {other:?}").into()),
        };
        done.map_err(|e| format!("{file}: request {i} ({} {}): {e}", r.object, r.cmd))?;
        println!("{} {} {shown}", r.object, r.cmd);
    }
    let mut links: Vec<LinkOwned> = Vec::new();
    ipr.get_links(())?.for_each(|l| {
        links.push(l.to_owned_msg());
        Ok(())
    })?;
    for l in &links {
        println!("{}", serde_json::to_string(l)?);
    }
    Ok(())
}
