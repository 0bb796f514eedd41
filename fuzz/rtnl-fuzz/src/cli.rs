//! Target `cli_args`: the `rtnl` command line (`rtnl_cli::parse`), one argument per input line
//! (`argv[0]` is added).
//!
//! Checked: parsing answers (clap's errors, `--help` and `--version` included, render as text);
//! an accepted line has a family of 0, 2 or 10 and takes its `dev` from an argument; every
//! argument that reads as a tc handle prints back (`maj:min`, hex) to the same handle.

use rtnl_cli::{ParseError, parse, parse_handle};

/// The fuzz target.
pub fn fuzz(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let args: Vec<&str> = text.lines().take(64).collect();
    let argv = std::iter::once("rtnl").chain(args.iter().copied());
    match parse(argv) {
        Ok(inv) => {
            assert!(matches!(inv.args.family, 0 | 2 | 10));
            if let Some(dev) = &inv.args.dev {
                assert!(args.contains(&dev.as_str()), "dev {dev:?} not an argument");
            }
            crate::sink(&inv);
        }
        Err(ParseError::Clap(e)) => {
            let _ = e.to_string();
            let _ = e.render().to_string();
        }
        Err(ParseError::Args(e)) => assert!(!e.is_empty()),
    }
    for a in &args {
        if let Some(h) = parse_handle(a) {
            let back = format!("{:x}:{:x}", h >> 16, h & 0xffff);
            assert_eq!(parse_handle(&back), Some(h), "{a:?} -> {h:#x} -> {back:?}");
        }
    }
}
