//! The printer every `show` writes through: one buffer, a text and a JSON mode, called field by
//! field (iproute2's `print_string`/`print_uint` and its json_writer, ripgrep's reusable
//! buffer). A field is one call — `p.print("dev", "dev {} ", name)` writes `dev v0 ` as text and
//! `"dev":"v0"` as JSON — so both forms come from the same walk over the zero-copy view, with no
//! map, string or allocation per message. The buffer is handed to the sink (stdout) once it
//! holds [`SPILL`] bytes, between two objects; until then a command that must start over (an
//! interrupted dump) simply [`Printer::reset`]s it.
//!
//! JSON follows iproute2's json_writer byte for byte, `-p` (pretty) included: `[ {` ...
//! four-space indents, `"key": value`, `[ "A","B" ]`, a newline at the end.

use std::fmt;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Bytes kept before they go to the sink.
pub const SPILL: usize = 64 * 1024;

/// A value the printer can show: how it looks as text and as JSON.
pub trait Value {
    /// As text (also the inside of a JSON string for non-numbers).
    fn text(&self, out: &mut Vec<u8>);
    /// Whether JSON shows it as a number (bare) rather than a string (quoted, escaped).
    fn number(&self) -> bool {
        false
    }
}

impl Value for &str {
    fn text(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn text(&self, out: &mut Vec<u8>) {
                let _ = write!(out, "{self}");
            }
            fn number(&self) -> bool {
                true
            }
        }
    )*};
}
numbers!(u8, u16, u32, u64, i32, i64, usize);

macro_rules! displayed {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn text(&self, out: &mut Vec<u8>) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
displayed!(IpAddr, Ipv4Addr, Ipv6Addr, fmt::Arguments<'_>);

impl Value for bool {
    fn text(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
    fn number(&self) -> bool {
        true // bare in JSON
    }
}

/// A number shown as `0x..` (text and JSON string), as ip shows marks and tc its `default`.
#[derive(Clone, Copy)]
pub struct Hex(pub u64);

impl Value for Hex {
    fn text(&self, out: &mut Vec<u8>) {
        let _ = write!(out, "{:#x}", self.0);
    }
}

/// A number as C's `%#x` writes it (ip's `print_0xhex`): `0x2a`, but `0` for zero; a string
/// in JSON too.
#[derive(Clone, Copy)]
pub struct CHex(pub u64);

impl Value for CHex {
    fn text(&self, out: &mut Vec<u8>) {
        if self.0 == 0 {
            out.push(b'0');
        } else {
            let _ = write!(out, "{:#x}", self.0);
        }
    }
}

/// The printer: text or JSON into one reusable buffer, spilled to a sink.
pub struct Printer<'o> {
    buf: Vec<u8>,
    sink: &'o mut dyn Write,
    json: bool,
    pretty: bool,
    oneline: bool,
    /// json_writer's state: the separator owed before the next value, and the depth.
    sep: u8,
    depth: usize,
    spilled: bool,
    /// The key the next object or array opened without one gets ([`Printer::key_next`]).
    next_key: Option<&'static str>,
}

impl<'o> Printer<'o> {
    /// A printer writing to `sink`; `json` for `-j`, `pretty` for `-p`.
    pub fn new(sink: &'o mut dyn Write, json: bool, pretty: bool) -> Self {
        Printer {
            buf: Vec::with_capacity(SPILL + 4096),
            sink,
            json,
            pretty,
            oneline: false,
            sep: 0,
            depth: 0,
            spilled: false,
            next_key: None,
        }
    }

    /// `-o`: the lines of one record joined by `\\` ([`Printer::sl`]).
    pub fn set_oneline(&mut self, on: bool) {
        self.oneline = on;
    }

    /// Whether this printer writes JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Whether some output already went to the sink (a command can then no longer start over).
    pub fn spilled(&self) -> bool {
        self.spilled
    }

    /// Forgets what is buffered and not yet spilled (a command starting over).
    pub fn reset(&mut self) {
        self.buf.clear();
        self.sep = 0;
        self.depth = 0;
        self.next_key = None;
    }

    /// Between two objects: hands the buffer to the sink once it holds [`SPILL`] bytes.
    pub fn maybe_spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= SPILL {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.spilled = true;
            self.sink.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes what is left and flushes the sink.
    pub fn finish(&mut self) -> io::Result<()> {
        self.spill()?;
        self.sink.flush()
    }

    // --- json_writer ----------------------------------------------------------------------

    fn eor(&mut self) {
        if self.sep != 0 {
            self.buf.push(self.sep);
        }
        self.sep = b',';
    }

    fn eol(&mut self) {
        if self.pretty {
            self.buf.push(b'\n');
            for _ in 0..self.depth {
                self.buf.extend_from_slice(b"    ");
            }
        }
    }

    fn name(&mut self, key: &str) {
        if key.is_empty() {
            self.eor();
            return;
        }
        self.eor();
        self.eol();
        self.sep = 0;
        self.quoted(key.as_bytes());
        self.buf.push(b':');
        if self.pretty {
            self.buf.push(b' ');
        }
        self.sep = b',';
    }

    fn quoted(&mut self, s: &[u8]) {
        self.buf.push(b'"');
        escape_into(&mut self.buf, s);
        self.buf.push(b'"');
    }

    fn json_value(&mut self, v: &dyn Value) {
        if v.number() {
            v.text(&mut self.buf);
        } else {
            // Render in place, then escape the rendered bytes only if they need it.
            self.buf.push(b'"');
            let at = self.buf.len();
            v.text(&mut self.buf);
            if self.buf[at..]
                .iter()
                .any(|&c| c < 0x20 || c == b'"' || c == b'\\')
            {
                let raw = self.buf.split_off(at);
                escape_into(&mut self.buf, &raw);
            }
            self.buf.push(b'"');
        }
    }

    fn begin(&mut self, key: &str, c: u8) {
        let key = match self.next_key.take() {
            Some(k) if key.is_empty() => k,
            _ => key,
        };
        if key.is_empty() {
            self.eor();
        } else {
            self.name(key);
        }
        self.buf.push(c);
        self.depth += 1;
        self.sep = 0;
    }

    fn end(&mut self, c: u8) {
        self.depth = self.depth.saturating_sub(1);
        if self.sep != 0 {
            self.eol();
        }
        self.buf.push(c);
        self.sep = b',';
    }

    // --- the calls a show makes -----------------------------------------------------------

    /// Gives the next object or array opened without a key this key (a printer that opens
    /// its own object, placed under a field of the caller's: monitor's `"data"`).
    pub fn key_next(&mut self, key: &'static str) {
        self.next_key = Some(key);
    }

    /// Opens a JSON object (`key` empty: an array element or the top level); nothing in text.
    pub fn open_object(&mut self, key: &str) {
        if self.json {
            self.begin(key, b'{');
        }
    }

    /// Closes the JSON object [`Printer::open_object`] opened.
    pub fn close_object(&mut self) {
        if self.json {
            self.end(b'}');
        }
    }

    /// Opens a JSON array; nothing in text.
    pub fn open_array(&mut self, key: &str) {
        if self.json {
            self.begin(key, b'[');
            if self.pretty {
                self.buf.push(b' ');
            }
        }
    }

    /// Closes the JSON array [`Printer::open_array`] opened.
    pub fn close_array(&mut self) {
        if self.json {
            if self.pretty && self.sep != 0 {
                self.buf.push(b' ');
            }
            self.sep = 0;
            self.end(b']');
        }
    }

    /// The top-level array of a `-j` output; nothing in text.
    pub fn start(&mut self) {
        self.open_array("");
    }

    /// Closes [`Printer::start`]'s array and ends the output with a newline (`-j`).
    pub fn end_all(&mut self) {
        if self.json {
            self.close_array();
            self.buf.push(b'\n');
        }
    }

    /// One field, both forms: text is `fmt` with its `{}` replaced by the value; JSON is
    /// `"key":value` (`key` empty: a bare array element).
    pub fn print(&mut self, key: &str, fmt: &str, v: impl Value) {
        if self.json {
            self.name(key);
            self.json_value(&v);
        } else {
            self.text_of(fmt, &v);
        }
    }

    /// A field only JSON shows.
    pub fn json(&mut self, key: &str, v: impl Value) {
        if self.json {
            self.name(key);
            self.json_value(&v);
        }
    }

    /// A field only text shows (`fmt` with `{}` replaced by the value).
    pub fn text(&mut self, fmt: &str, v: impl Value) {
        if !self.json {
            self.text_of(fmt, &v);
        }
    }

    /// Plain text (nothing in JSON).
    pub fn lit(&mut self, s: &str) {
        if !self.json {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    /// A flag: `"key":true` in JSON, `fmt` as text.
    pub fn flag(&mut self, key: &str, fmt: &str) {
        if self.json {
            self.name(key);
            self.buf.extend_from_slice(b"true");
        } else {
            self.buf.extend_from_slice(fmt.as_bytes());
        }
    }

    /// `"key":null` in JSON (ip's way to show a present word without a value), `fmt` as text.
    pub fn null(&mut self, key: &str, fmt: &str) {
        if self.json {
            self.name(key);
            self.buf.extend_from_slice(b"null");
        } else {
            self.buf.extend_from_slice(fmt.as_bytes());
        }
    }

    /// A line break inside one record: `\n`, or `\\` with `-o` (iproute2's `_SL_`).
    pub fn sl(&mut self) {
        if !self.json {
            self.buf.push(if self.oneline { b'\\' } else { b'\n' });
        }
    }

    /// End of a record's text (nothing in JSON).
    pub fn nl(&mut self) {
        if !self.json {
            self.buf.push(b'\n');
        }
    }

    fn text_of(&mut self, fmt: &str, v: &dyn Value) {
        match fmt.split_once("{}") {
            Some((a, b)) => {
                self.buf.extend_from_slice(a.as_bytes());
                v.text(&mut self.buf);
                self.buf.extend_from_slice(b.as_bytes());
            }
            None => self.buf.extend_from_slice(fmt.as_bytes()),
        }
    }

    /// A value serde renders (the schema's table-driven view, for objects without a printer of
    /// their own), as a JSON field; nothing in text.
    pub fn json_serde(&mut self, key: &str, v: &impl serde::Serialize) -> io::Result<()> {
        if self.json {
            self.name(key);
            serde_json::to_writer(&mut self.buf, v)?;
        }
        Ok(())
    }

    /// Raw bytes straight into the buffer (`--raw`'s serde lines).
    pub fn raw(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
}

/// JSON string escaping as iproute2's json_writer does it, plus `\u00XX` for the other
/// control characters so the output always parses.
fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    for &c in s {
        match c {
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            c if c < 0x20 => {
                let _ = write!(out, "\\u{c:04x}");
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(json: bool, pretty: bool, f: impl Fn(&mut Printer<'_>)) -> String {
        let mut sink = Vec::new();
        let mut p = Printer::new(&mut sink, json, pretty);
        f(&mut p);
        p.finish().unwrap();
        String::from_utf8(sink).unwrap()
    }

    fn link(p: &mut Printer<'_>) {
        p.start();
        p.open_object("");
        p.print("ifindex", "{}: ", 1u32);
        p.print("ifname", "{}: ", "lo");
        p.open_array("flags");
        p.lit("<");
        p.print("", "{}", "LOOPBACK");
        p.lit(",");
        p.print("", "{}", "UP");
        p.close_array();
        p.lit(">");
        p.print("mtu", " mtu {}", 65536u32);
        p.nl();
        p.close_object();
        p.end_all();
    }

    #[test]
    fn one_walk_three_forms() {
        assert_eq!(run(false, false, link), "1: lo: <LOOPBACK,UP> mtu 65536\n");
        assert_eq!(
            run(true, false, link),
            "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\"],\"mtu\":65536}]\n"
        );
        // iproute2's pretty form, byte for byte.
        assert_eq!(
            run(true, true, link),
            "[ {\n        \"ifindex\": 1,\n        \"ifname\": \"lo\",\n        \"flags\": [ \"LOOPBACK\",\"UP\" ],\n        \"mtu\": 65536\n    } ]\n"
        );
    }

    #[test]
    fn escapes_and_empty() {
        let s = run(true, false, |p| {
            p.start();
            p.print("", "{}", "a\"b\\c\n\u{1}");
            p.open_array("");
            p.close_array();
            p.end_all();
        });
        assert_eq!(s, "[\"a\\\"b\\\\c\\n\\u0001\",[]]\n");
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v[0], "a\"b\\c\n\u{1}");
        assert_eq!(
            run(true, true, |p| {
                p.start();
                p.end_all();
            }),
            "[ ]\n"
        );
    }
}
