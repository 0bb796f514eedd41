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
