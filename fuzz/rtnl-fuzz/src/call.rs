//! The input language of the `keywords` target: pyroute2-style calls, one per line, as
//! pyroute2's own examples and our golden fixtures spell them.
//!
//! ```text
//! ipb.route('add', dst='10.1.0.0/24', gateway='10.0.0.1', metrics={'mtu': 1400})
//! ipb.link('add', ifname='v0', kind='veth', peer={'ifname': 'v1'})
//! attrs.route(2, dst='10.0.0.0/8', multipath=[{'gateway': '10.0.0.2', 'hops': 1}])
//! ```
//!
//! `ipb.METHOD('cmd', k=v...)` is an `IPBatch` request; `attrs.SET(family, k=v...)` encodes
//! attributes of the schema set `SET` with `spec::encode_attr`. Values: `'text'` (optionally
//! `'x'*N`, so short inputs reach long payloads), `b'bytes'`, integers (`-5`, `0x1f`), `True`,
//! `False`, `ip('10.0.0.1')`, `{'k': v}` and `[v, ...]`. The parser never panics; anything it
//! cannot read makes the line count as absent.

use rtnl_core::spec::Value;

/// One parsed line.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// `ipb` or `attrs`.
    pub target: String,
    /// The method (`route`) or the set name.
    pub method: String,
    /// The positional argument: a command word or a family number.
    pub first: Option<Value>,
    /// Keyword arguments, in order.
    pub kwargs: Vec<(String, Value)>,
}

/// The longest text a `*N` repetition may make.
pub const MAX_REPEAT: usize = 100_000;
const MAX_DEPTH: u32 = 32;

struct P<'a> {
    s: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self
            .s
            .get(self.i)
            .is_some_and(|c| *c == b' ' || *c == b'\t')
        {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let st = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.i += 1;
        }
        (self.i > st).then(|| String::from_utf8_lossy(&self.s[st..self.i]).into_owned())
    }

    fn quoted(&mut self) -> Option<Vec<u8>> {
        let q = self.peek()?;
        if q != b'\'' && q != b'"' {
            return None;
        }
        self.i += 1;
        let st = self.i;
        let len = self.s[st..].iter().position(|c| *c == q)?;
        self.i = st + len + 1;
        let mut v = self.s[st..st + len].to_vec();
        if self.peek() == Some(b'*') {
            self.i += 1;
            let n = self.int()?;
            let n = usize::try_from(n).ok()?;
            if v.len().saturating_mul(n) > MAX_REPEAT {
                return None;
            }
            v = v.repeat(n);
        }
        Some(v)
    }

    fn int(&mut self) -> Option<i128> {
        self.ws();
        let st = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            self.i += 1;
        }
        rtnl_core::spec::parse_int(std::str::from_utf8(&self.s[st..self.i]).ok()?)
    }

    fn value(&mut self, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'\'' | b'"' => Some(Value::Str(
                String::from_utf8_lossy(&self.quoted()?).into_owned(),
            )),
            b'b' if matches!(self.s.get(self.i + 1), Some(b'\'' | b'"')) => {
                self.i += 1;
                Some(Value::Bytes(self.quoted()?))
            }
            b'{' => {
                self.i += 1;
                let mut m = Vec::new();
                loop {
                    if self.eat(b'}').is_some() {
                        break;
                    }
                    let k = String::from_utf8_lossy(&self.quoted()?).into_owned();
                    self.eat(b':')?;
                    m.push((k, self.value(depth + 1)?));
                    let _ = self.eat(b',');
                }
                Some(Value::Map(m))
            }
            b'[' => {
                self.i += 1;
                let mut l = Vec::new();
                loop {
                    if self.eat(b']').is_some() {
                        break;
                    }
                    l.push(self.value(depth + 1)?);
                    let _ = self.eat(b',');
                }
                Some(Value::List(l))
            }
            c if c.is_ascii_alphabetic() => {
                let w = self.ident()?;
                match w.as_str() {
                    "True" => Some(Value::Bool(true)),
                    "False" => Some(Value::Bool(false)),
                    "ip" => {
                        self.eat(b'(')?;
                        let a = String::from_utf8_lossy(&self.quoted()?).parse().ok()?;
                        self.eat(b')')?;
                        Some(Value::Ip(a))
                    }
                    _ => None,
                }
            }
            _ => self.int().map(Value::Int),
        }
    }
}

/// Parses one line.
pub fn parse(line: &str) -> Option<Call> {
    let mut p = P {
        s: line.as_bytes(),
        i: 0,
    };
    let target = p.ident()?;
    p.eat(b'.')?;
    let method = p.ident()?;
    p.eat(b'(')?;
    let mut first = None;
    let mut kwargs = Vec::new();
    loop {
        match p.peek()? {
            b')' => break,
            b',' => p.i += 1,
            _ => {
                let save = p.i;
                match p.ident() {
                    Some(k) if p.eat(b'=').is_some() => kwargs.push((k, p.value(0)?)),
                    _ => {
                        p.i = save;
                        if first.is_some() || !kwargs.is_empty() {
                            return None;
                        }
                        first = Some(p.value(0)?);
                    }
                }
            }
        }
    }
    Some(Call {
        target,
        method,
        first,
        kwargs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_golden_spelling() {
        let c = parse("ipb.link('add', kind='veth', ifname='v0', peer={'ifname': 'v1'}, mtu=0x10)")
            .unwrap();
        assert_eq!((c.target.as_str(), c.method.as_str()), ("ipb", "link"));
        assert_eq!(c.first, Some(Value::Str("add".into())));
        assert_eq!(c.kwargs.len(), 4);
        assert_eq!(c.kwargs[2].1, Value::map([("ifname", "v1")]));
        assert_eq!(c.kwargs[3].1, Value::Int(16));
        let c =
            parse("attrs.route(2, dst=ip('10.0.0.1'), x='ab'*3, b=b'\\x', l=[1, True])").unwrap();
        assert_eq!(c.first, Some(Value::Int(2)));
        assert_eq!(c.kwargs[1].1, Value::Str("ababab".into()));
        assert_eq!(c.kwargs[2].1, Value::Bytes(b"\\x".to_vec()));
        for bad in [
            "",
            "ipb",
            "ipb.x(",
            "ipb.x('a'*1000000)",
            "ipb.x(k={'a' 1})",
            "ipb.x(1, 2)",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
