//! Test support (feature `test-support`): a fresh, named network namespace per test.
//!
//! The library's own code never uses this module; the test suites of rtnl-core, rtnl-api and
//! rtnl-cli do (they enable the feature in their dev-dependencies). Each live test owns one
//! [`TestNetns`], so tests run in parallel and never touch the host's namespace.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::Error;
use crate::socket::Socket;

pub use crate::netns::is_root;

/// True, after printing `skip: TEST: needs root`, when the process is not root: a live test
/// starts with `if skip_unless_root("my_test") { return; }`, so a skip is never silent.
pub fn skip_unless_root(test: &str) -> bool {
    if is_root() {
        return false;
    }
    eprintln!("skip: {test}: needs root");
    true
}

/// A fresh named namespace for a test, deleted on drop.
///
/// ```no_run
/// let ns = rtnl_core::testing::TestNetns::new()?;
/// std::process::Command::new("ip").args(["-n", ns.name(), "link", "set", "lo", "up"]).status().unwrap();
/// let sock = ns.socket()?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
#[derive(Debug)]
pub struct TestNetns {
    name: String,
    path: PathBuf,
}

impl TestNetns {
    /// Creates `rtnl-test-<pid>-<n>`.
    pub fn new() -> Result<TestNetns, Error> {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "rtnl-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let path = crate::netns::create_named(&name)?;
        Ok(TestNetns { name, path })
    }

    /// Its name (for `ip -n NAME`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its path (`/run/netns/NAME`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A socket inside it, with a receive timeout of [`TestNetns::RECV_TIMEOUT`]: a test whose
    /// reply never comes fails with [`Error::Timeout`] instead of hanging the suite.
    pub fn socket(&self) -> Result<Socket, Error> {
        let mut s = Socket::new_in_netns(&self.path)?;
        s.set_recv_timeout(Some(Self::RECV_TIMEOUT))?;
        Ok(s)
    }

    /// How long a test socket waits for a reply.
    pub const RECV_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
}

impl Drop for TestNetns {
    fn drop(&mut self) {
        if let Err(e) = crate::netns::delete_named(&self.name) {
            eprintln!(
                "warning: could not delete test namespace {}: {e}",
                self.name
            );
        }
    }
}
