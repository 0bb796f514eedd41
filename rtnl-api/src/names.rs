//! Names from iproute2's tables (`/etc/iproute2/rt_tables` ...), as `ip` reads them.
//!
//! `table="vpn"`, `proto="bird"`, `scope="site"`, `group="lab"`, `realms="cosmos"`,
//! `tos="AF11"`: pyroute2 and
//! iproute2 both accept the names an administrator gave numbers to. Each table is a text file
//! of `NUMBER NAME` lines (`#` comments, decimal or `0x` numbers), looked up the way iproute2
//! does: `/etc/iproute2/FILE`, or when that file is missing the distribution's copy in
//! `/usr/lib/iproute2/FILE` (then `/usr/share/iproute2/FILE`); plus every `FILE.d/*.conf` of
//! those folders. Each file is read once per process. An unknown name is an [`ArgError`] that
//! names the keyword and the places looked.
//!
//! Only reading and parsing: no writes, and nothing here knows about messages.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rtnl_core::ArgError;
use rtnl_core::spec::{EnumSpec, parse_int};

/// Where iproute2 looks for its tables, in order: the administrator's, then the distribution's.
pub const DIRS: &[&str] = &["/etc/iproute2", "/usr/lib/iproute2", "/usr/share/iproute2"];

/// One of iproute2's name tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameTable {
    /// `group`: link groups (`ip link set ... group NAME`).
    Group,
    /// `rt_protos`: route protocols (`proto`).
    Protos,
    /// `rt_scopes`: route and address scopes (`scope`).
    Scopes,
    /// `rt_tables`: routing tables (`table`).
    Tables,
    /// `rt_realms`: route realms (`realms`).
    Realms,
    /// `rt_dsfield`: TOS / DS field values (`tos`).
    Dsfield,
}

impl NameTable {
    /// The file name under each of [`DIRS`].
    pub fn file(self) -> &'static str {
        match self {
            NameTable::Group => "group",
            NameTable::Protos => "rt_protos",
            NameTable::Scopes => "rt_scopes",
            NameTable::Tables => "rt_tables",
            NameTable::Realms => "rt_realms",
            NameTable::Dsfield => "rt_dsfield",
        }
    }

    fn slot(self) -> &'static OnceLock<Vec<(u32, String)>> {
        static SLOTS: [OnceLock<Vec<(u32, String)>>; 6] = [const { OnceLock::new() }; 6];
        &SLOTS[self as usize]
    }

    /// The table's entries as read from this machine's files (read once).
    pub fn entries(self) -> &'static [(u32, String)] {
        self.slot().get_or_init(|| load(DIRS, self.file()))
    }
}

/// Reads `file` as iproute2 does from `dirs`: the first folder that has it, then every
/// `file.d/*.conf` of every folder (sorted by name). Unreadable files count as empty.
pub fn load<P: AsRef<Path>>(dirs: &[P], file: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    if let Some(text) = dirs
        .iter()
        .find_map(|d| std::fs::read_to_string(d.as_ref().join(file)).ok())
    {
        parse(&text, &mut out);
    }
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(d.as_ref().join(format!("{file}.d"))) else {
            continue;
        };
        let mut confs: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "conf"))
            .collect();
        confs.sort();
        for p in confs {
            if let Ok(text) = std::fs::read_to_string(&p) {
                parse(&text, &mut out);
            }
        }
    }
    out
}

/// `NUMBER NAME` lines; `#` starts a comment; malformed lines are skipped (as iproute2 does).
fn parse(text: &str, out: &mut Vec<(u32, String)>) {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut w = line.split_whitespace();
        let (Some(num), Some(name)) = (w.next(), w.next()) else {
            continue;
        };
        if let Some(n) = parse_int(num).and_then(|n| u32::try_from(n).ok()) {
            out.push((n, name.to_string()));
        }
    }
}

/// `text` as a number, a name of `builtin` (the kernel's own names: `main`, `static`, `link`),
/// or a name of `table`'s files. The error names keyword `k` and where it looked.
pub fn lookup(
    k: &str,
    text: &str,
    builtin: Option<&EnumSpec>,
    table: NameTable,
) -> Result<u32, ArgError> {
    lookup_in(k, text, builtin, table.file(), table.entries())
}

/// [`lookup`] over given entries (for tests and other folders).
pub fn lookup_in(
    k: &str,
    text: &str,
    builtin: Option<&EnumSpec>,
    file: &str,
    entries: &[(u32, String)],
) -> Result<u32, ArgError> {
    if let Some(n) = parse_int(text) {
        return u32::try_from(n).map_err(|_| ArgError::new(k, format!("{n} is out of range")));
    }
    if let Some(v) = builtin.and_then(|e| e.parse(text)) {
        return u32::try_from(v).map_err(|_| ArgError::new(k, format!("{v} is out of range")));
    }
    if let Some((n, _)) = entries.iter().find(|(_, name)| name == text) {
        return Ok(*n);
    }
    let looked: Vec<String> = DIRS
        .iter()
        .flat_map(|d| [format!("{d}/{file}"), format!("{d}/{file}.d/*.conf")])
        .collect();
    Err(ArgError::new(
        k,
        format!(
            "{text:?} is not a number{} nor a name in {}",
            builtin
                .map(|e| format!(", a name of {}", e.name))
                .unwrap_or_default(),
            looked.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_folder_that_has_the_file_then_every_conf() {
        let base = std::env::temp_dir().join(format!("rtnl-names-{}", std::process::id()));
        let (etc, usr) = (base.join("etc"), base.join("usr"));
        std::fs::create_dir_all(etc.join("rt_tables.d")).unwrap();
        std::fs::create_dir_all(usr.join("rt_tables.d")).unwrap();
        std::fs::write(usr.join("rt_tables"), "255 local\n100 usr_only\n").unwrap();
        std::fs::write(
            etc.join("rt_tables.d/vpn.conf"),
            "# tables\n0x200 vpn # hex\nbad line\n",
        )
        .unwrap();
        std::fs::write(usr.join("rt_tables.d/x.conf"), "300 usr_d\n").unwrap();
        std::fs::write(usr.join("rt_tables.d/x.txt"), "301 not_conf\n").unwrap();
        // No etc/rt_tables: the distribution's file is read, as iproute2 falls back.
        let e = load(&[&etc, &usr], "rt_tables");
        assert_eq!(
            e,
            [
                (255, "local".into()),
                (100, "usr_only".into()),
                (512, "vpn".into()),
                (300, "usr_d".into())
            ]
        );
        // With etc/rt_tables present, usr's main file is not read.
        std::fs::write(etc.join("rt_tables"), "200 etc_only\n").unwrap();
        let e = load(&[&etc, &usr], "rt_tables");
        assert_eq!(e[0], (200, "etc_only".into()));
        assert!(!e.iter().any(|x| x.1 == "usr_only"));
        assert_eq!(
            lookup_in("table", "vpn", None, "rt_tables", &e).unwrap(),
            512
        );
        assert_eq!(
            lookup_in(
                "table",
                "main",
                Some(rtnl_core::generated::RtTable::SPEC),
                "rt_tables",
                &e
            )
            .unwrap(),
            254
        );
        let err = lookup_in("table", "nosuch", None, "rt_tables", &e).unwrap_err();
        assert_eq!(err.name, "table");
        assert!(
            err.reason.contains("/etc/iproute2/rt_tables")
                && err.reason.contains("/usr/lib/iproute2/rt_tables"),
            "{err}"
        );
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn this_machines_tables_have_iproute2s_defaults() {
        // /etc/iproute2/group ships "0 default" (iproute2's own file); skip where it is absent.
        if NameTable::Group.entries().is_empty() {
            println!("skip: this_machines_tables_have_iproute2s_defaults: no iproute2 group file");
            return;
        }
        assert_eq!(
            lookup("group", "default", None, NameTable::Group).unwrap(),
            0
        );
    }
}
