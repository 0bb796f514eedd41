//! What the tc golden tests share: reading a capture file of `tc_capture.sh`, and showing a
//! message for a readable diff. (Each test file includes the module; not all use every item.)

#![allow(dead_code)]

/// `(command, the one message tc sent)` in file order, from a capture file: `> command` lines,
/// each followed by one hex line (comments and blank lines skipped).
pub fn captures(text: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("> ") {
            out.push((cmd.to_string(), Vec::new()));
        } else if !line.starts_with('#') && !line.is_empty() {
            let m = out.last_mut().expect("a command first");
            assert!(m.1.is_empty(), "{}: one message expected", m.0);
            m.1 = (0..line.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&line[i..i + 2], 16).unwrap())
                .collect();
        }
    }
    out
}

/// A message as lines of 16 hex bytes, for a readable diff.
pub fn show(m: &[u8]) -> String {
    m.chunks(16)
        .map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A pyroute2 tc fixture where we send what tc sends instead: (fixture, the decoded fields that
/// differ (`a/b/c`), why). An empty path list: the attributes are equal but for their order.
pub type Deviation = (&'static str, &'static [&'static str], &'static str);

/// `v` without the fields at `paths` (`a/b/c`; a number indexes a list).
fn without(mut v: serde_json::Value, paths: &[&str]) -> serde_json::Value {
    for p in paths {
        let (parent, last) = p.rsplit_once('/').unwrap_or(("", p));
        let mut at = &mut v;
        for seg in parent.split('/').filter(|s| !s.is_empty()) {
            at = match seg.parse::<usize>() {
                Ok(i) if at.is_array() => &mut at[i],
                _ => &mut at[seg],
            };
        }
        if let Some(m) = at.as_object_mut() {
            m.remove(last);
        }
    }
    v
}

/// Compares our tc request with pyroute2's for fixture `name`: equal bytes, or, for a listed
/// deviation, different bytes (a deviation that is gone is reported, to be removed from the
/// list) with the same header and the same decoded message but for the deviation's fields.
/// A mismatch is pushed onto `report` with both messages in hex and decoded.
pub fn check_tc(
    name: &str,
    call: &str,
    got: &[u8],
    want: &[u8],
    deviations: &[Deviation],
    report: &mut Vec<String>,
) {
    let json = |m: &[u8]| {
        rtnl_api::generated::TcMsg::parse(&m[16..])
            .map(|m| serde_json::to_value(m).unwrap())
            .unwrap_or_else(|e| serde_json::Value::String(format!("undecodable: {e}")))
    };
    let shown = |what: &str| {
        format!(
            "{name}: {what}: {call}\nours:\n{}\n{}\npyroute2:\n{}\n{}",
            show(got),
            json(got),
            show(want),
            json(want)
        )
    };
    match deviations.iter().find(|d| d.0 == name) {
        None if got != want => report.push(shown("differs")),
        None => {}
        Some((_, paths, why)) => {
            if got == want {
                report.push(format!("{name}: the deviation ({why}) is gone"));
            } else if got[4..8] != want[4..8]
                || without(json(got), paths) != without(json(want), paths)
            {
                report.push(shown(&format!("differs beyond its deviation ({why})")));
            }
        }
    }
}
