//! tc's units: rates, sizes and times as `tc` reads them (iproute2 tc/tc_util.c `get_rate64`,
//! `get_size`, `get_time`), the scheduler clock of /proc/net/psched (tc/tc_core.c
//! `tc_core_init`, `get_hz`), and the derived values tc sends: transmit times in ticks
//! (`tc_calc_xmittime`) and rate tables (`tc_calc_rtable`).
//!
//! Pure arithmetic over text and numbers: the clock is passed in ([`Psched`]), read from /proc
//! only by [`Psched::read`]. Every parse error is an [`ArgError`] naming the keyword.

use rtnl_core::ArgError;

use crate::args::Value;

/// `TIME_UNITS_PER_SEC` (tc_core.h): tc's times are microseconds.
pub const TIME_UNITS_PER_SEC: f64 = 1_000_000.0;

/// The scheduler clock as /proc/net/psched describes it, turned into tc's two factors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Psched {
    /// Ticks per microsecond (`tick_in_usec`; 15.625 on kernels since 2.6.x with 1 GHz psched).
    pub tick_in_usec: f64,
    /// The kernel's HZ as tc's `get_hz` reports it (the 4th field when the 3rd is 1 000 000).
    pub hz: u32,
}

impl Default for Psched {
    /// What every Linux kernel since 2.6.x reports: `000003e8 00000040 000f4240 3b9aca00`.
    fn default() -> Self {
        Psched::parse("000003e8 00000040 000f4240 3b9aca00").expect("constant parses")
    }
}

impl Psched {
    /// Parses the four hex words of /proc/net/psched as tc does (`t2us us2t clock_res hz`).
    pub fn parse(text: &str) -> Option<Psched> {
        let w: Vec<u32> = text
            .split_whitespace()
            .map(|s| u32::from_str_radix(s, 16))
            .collect::<Result<_, _>>()
            .ok()?;
        let (&t2us, &us2t, &clock_res) = (w.first()?, w.get(1)?, w.get(2)?);
        if us2t == 0 {
            return None;
        }
        // tc_core_init's compatibility hack: a 1 GHz clock advertises t2us 1000, meaning 1.
        let t2us = if clock_res == 1_000_000_000 {
            us2t
        } else {
            t2us
        };
        let clock_factor = clock_res as f64 / TIME_UNITS_PER_SEC;
        let hz = match w.get(3) {
            Some(&d) if clock_res == 1_000_000 && d != 0 => d,
            _ => 100,
        };
        Some(Psched {
            tick_in_usec: t2us as f64 / us2t as f64 * clock_factor,
            hz,
        })
    }

    /// Reads /proc/net/psched (the default clock when it cannot be read).
    pub fn read() -> Psched {
        std::fs::read_to_string("/proc/net/psched")
            .ok()
            .and_then(|t| Psched::parse(&t))
            .unwrap_or_default()
    }

    /// `tc_core_time2tick`: microseconds to scheduler ticks.
    pub fn time2tick(&self, usec: u32) -> u32 {
        (usec as f64 * self.tick_in_usec) as u32
    }

    /// `tc_calc_xmittime`: the ticks it takes to send `size` bytes at `rate` bytes/s. As in
    /// tc, the time is cut to whole microseconds before it becomes ticks (`time2tick` takes an
    /// `unsigned int`): 8 bytes at 5mbit are 12 us, 187 ticks, not 200.
    pub fn xmittime(&self, rate: u64, size: u32) -> u32 {
        let usec = TIME_UNITS_PER_SEC * (size as f64 / rate as f64);
        self.time2tick(usec.min(u32::MAX as f64) as u32)
    }
}

/// `strtod` for the forms tc users write: a decimal number with optional fraction and exponent;
/// returns the number and the rest of the text.
fn number_prefix(s: &str) -> Option<(f64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let s = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - s
    };
    let mut n = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if digits(&mut j) > 0 {
            i = j;
        }
    }
    Some((s[..i].parse().ok()?, &s[i..]))
}

/// Rate suffixes in `get_rate64`'s order (matched case-insensitively, first match wins), as
/// bits per second per unit.
const RATE_SUFFIXES: &[(&str, f64)] = &[
    ("bit", 1.),
    ("kibit", 1024.),
    ("kbit", 1000.),
    ("mibit", 1024. * 1024.),
    ("mbit", 1_000_000.),
    ("gibit", 1024. * 1024. * 1024.),
    ("gbit", 1_000_000_000.),
    ("tibit", 1024. * 1024. * 1024. * 1024.),
    ("tbit", 1_000_000_000_000.),
    ("bps", 8.),
    ("kibps", 8. * 1024.),
    ("kbps", 8000.),
    ("mibps", 8. * 1024. * 1024.),
    ("mbps", 8_000_000.),
    ("gibps", 8. * 1024. * 1024. * 1024.),
    ("gbps", 8_000_000_000.),
    ("tibps", 8. * 1024. * 1024. * 1024. * 1024.),
    ("tbps", 8_000_000_000_000.),
];

/// A rate in bytes per second: `"5mbit"`, `"1gibit"`, `"100kbps"`, a bare number (bits/s, as
/// tc reads it), `"10%"` of `link_mbit` (the device's speed in Mbit/s), or an integer value
/// (bytes/s, as pyroute2 takes it). Zero is refused: no kind accepts a zero rate.
pub fn rate(k: &str, v: &Value, link_mbit: Option<u64>) -> Result<u64, ArgError> {
    let r = match v {
        Value::Int(i) => {
            u64::try_from(*i).map_err(|_| ArgError::new(k, format!("{i} is not a rate")))?
        }
        Value::Str(s) => rate_text(k, s, link_mbit)?,
        other => {
            return Err(ArgError::new(
                k,
                format!("expected a rate like \"5mbit\", got {other:?}"),
            ));
        }
    };
    if r == 0 {
        return Err(ArgError::new(k, "a rate of 0 is not allowed"));
    }
    Ok(r)
}

fn rate_text(k: &str, s: &str, link_mbit: Option<u64>) -> Result<u64, ArgError> {
    let bad = || {
        ArgError::new(
            k,
            format!(
                "{s:?} is not a rate (a number with bit, kbit, mbit, gbit, kibit, bps, kbps, mbps ..., or N%)"
            ),
        )
    };
    let (n, rest) = number_prefix(s.trim()).ok_or_else(bad)?;
    if n < 0.0 || !n.is_finite() {
        return Err(bad());
    }
    let bits = if rest == "%" {
        // parse_percent_rate: the share of the link's speed (Mbit/s from sysfs).
        if n > 100.0 {
            return Err(ArgError::new(k, format!("{s:?}: a percentage above 100")));
        }
        let speed = link_mbit.ok_or_else(|| {
            ArgError::new(
                k,
                format!("{s:?}: the device's link speed is unknown, give a rate"),
            )
        })?;
        speed as f64 * 1_000_000.0 * n / 100.0
    } else if rest.is_empty() {
        n
    } else {
        let (_, scale) = RATE_SUFFIXES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(rest))
            .ok_or_else(bad)?;
        n * scale
    };
    let bytes = bits / 8.0;
    if bytes >= u64::MAX as f64 {
        return Err(ArgError::new(k, format!("{s:?} is too large")));
    }
    Ok(bytes as u64)
}

/// A size in bytes as `get_size` reads it: `"1500"`/`"1500b"`, `"64k"`/`"64kb"` (KiB),
/// `"1m"`/`"1mb"`, `"1g"`/`"1gb"`, `"32kbit"` (x128), `"1mbit"`, `"1gbit"`; an integer is bytes.
pub fn size(k: &str, v: &Value) -> Result<u32, ArgError> {
    match v {
        Value::Int(i) => u32::try_from(*i)
            .map_err(|_| ArgError::new(k, format!("{i} is not a size in bytes (0..2^32)"))),
        Value::Str(s) => {
            let bad = || {
                ArgError::new(
                    k,
                    format!(
                        "{s:?} is not a size (a number with b, k, kb, m, mb, g, gb, kbit, mbit or gbit)"
                    ),
                )
            };
            let (n, rest) = number_prefix(s.trim()).ok_or_else(bad)?;
            let scale: f64 = match rest.to_ascii_lowercase().as_str() {
                "" | "b" => 1.0,
                "k" | "kb" => 1024.0,
                "m" | "mb" => 1024.0 * 1024.0,
                "g" | "gb" => 1024.0 * 1024.0 * 1024.0,
                "kbit" => 128.0,
                "mbit" => (1024 * 1024 / 8) as f64,
                "gbit" => (1024 * 1024 * 1024 / 8) as f64,
                _ => return Err(bad()),
            };
            let b = n * scale;
            if !(0.0..=u32::MAX as f64).contains(&b) {
                return Err(ArgError::new(k, format!("{s:?} is out of range (0..4g)")));
            }
            Ok(b as u32)
        }
        other => Err(ArgError::new(
            k,
            format!("expected a size like \"32kbit\", got {other:?}"),
        )),
    }
}

/// A time in microseconds as `get_time` reads it: `"400ms"`, `"10us"`, `"1s"` (also `sec`,
/// `secs`, `msec`, `usec` ...); a bare number or an integer is microseconds.
pub fn time(k: &str, v: &Value) -> Result<u32, ArgError> {
    match v {
        Value::Int(i) => u32::try_from(*i)
            .map_err(|_| ArgError::new(k, format!("{i} is not a time in microseconds"))),
        Value::Str(s) => {
            let bad = || {
                ArgError::new(
                    k,
                    format!("{s:?} is not a time (a number with s, ms or us)"),
                )
            };
            let (n, rest) = number_prefix(s.trim()).ok_or_else(bad)?;
            let scale = match rest.to_ascii_lowercase().as_str() {
                "" | "us" | "usec" | "usecs" => 1.0,
                "ms" | "msec" | "msecs" => 1000.0,
                "s" | "sec" | "secs" => TIME_UNITS_PER_SEC,
                _ => return Err(bad()),
            };
            let t = n * scale;
            if !(0.0..=u32::MAX as f64).contains(&t) {
                return Err(ArgError::new(k, format!("{s:?} is out of range")));
            }
            Ok(t as u32)
        }
        other => Err(ArgError::new(
            k,
            format!("expected a time like \"400ms\", got {other:?}"),
        )),
    }
}

/// A time in nanoseconds as tc's `get_time64` reads it (gate's and taprio's times and
/// intervals): an integer or a bare number is nanoseconds; or a number with `s`, `ms`, `us`,
/// `ns` (also `sec`, `msec`, `usec`, `nsec`, plural too): `"200ms"`, `"0.5s"`.
pub fn time_ns(k: &str, v: &Value) -> Result<i64, ArgError> {
    let s = match v {
        Value::Int(i) => {
            return i64::try_from(*i)
                .map_err(|_| ArgError::new(k, format!("{i} ns is out of range")));
        }
        Value::Str(s) => s.trim(),
        other => {
            return Err(ArgError::new(
                k,
                format!("expected a time like \"200ms\" or ns, got {other:?}"),
            ));
        }
    };
    let bad = || {
        ArgError::new(
            k,
            format!("{s:?} is not a time in ns (a number, or with s, ms, us, ns)"),
        )
    };
    if let Some(i) = rtnl_core::spec::parse_int(s) {
        return i64::try_from(i).map_err(|_| bad());
    }
    let (n, rest) = number_prefix(s).ok_or_else(bad)?;
    let scale = match rest.to_ascii_lowercase().as_str() {
        "" | "ns" | "nsec" | "nsecs" => 1.0,
        "us" | "usec" | "usecs" => 1e3,
        "ms" | "msec" | "msecs" => 1e6,
        "s" | "sec" | "secs" => 1e9,
        _ => return Err(bad()),
    };
    let t = n * scale;
    if !t.is_finite() || t.abs() > i64::MAX as f64 {
        return Err(ArgError::new(k, format!("{s:?} is out of range")));
    }
    Ok(t as i64)
}

/// `enum link_layer` of tc_core.h, as `linklayer` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkLayer {
    /// `ethernet` (the default): sizes as they are.
    Ethernet,
    /// `atm` (`adsl`): sizes rounded up to 48-byte cells of 53 bytes.
    Atm,
}

impl LinkLayer {
    /// `ethernet`, `atm` or `adsl` (tc_util.c `get_linklayer`).
    pub fn parse(k: &str, s: &str) -> Result<LinkLayer, ArgError> {
        match s.to_ascii_lowercase().as_str() {
            "ethernet" => Ok(LinkLayer::Ethernet),
            "atm" | "adsl" => Ok(LinkLayer::Atm),
            _ => Err(ArgError::new(
                k,
                format!("{s:?} is not a link layer (ethernet, atm, adsl)"),
            )),
        }
    }

    /// `TC_LINKLAYER_*` as sent in `tc_ratespec.linklayer`.
    pub fn value(self) -> u8 {
        match self {
            LinkLayer::Ethernet => 1,
            LinkLayer::Atm => 2,
        }
    }

    /// `tc_adjust_size`: the size the link sends for `sz` bytes of at least `mpu`.
    fn adjust(self, sz: u32, mpu: u32) -> u32 {
        let sz = sz.max(mpu);
        match self {
            LinkLayer::Ethernet => sz,
            LinkLayer::Atm => sz.div_ceil(48) * 53,
        }
    }
}

/// A rate table (`tc_calc_rtable`): 256 transmit times and the `cell_log` used.
#[derive(Debug, Clone, PartialEq)]
pub struct RateTable {
    /// `tc_ratespec.cell_log`.
    pub cell_log: u8,
    /// The 256 entries (ticks to send `(i + 1) << cell_log` bytes).
    pub table: Vec<u32>,
}

impl RateTable {
    /// The 1024 bytes tc sends (TCA_HTB_RTAB, TCA_TBF_RTAB ...).
    pub fn bytes(&self) -> Vec<u8> {
        self.table.iter().flat_map(|t| t.to_ne_bytes()).collect()
    }
}

/// `tc_calc_rtable`: the table for `rate` bytes/s; `cell_log` None picks the smallest that
/// covers `mtu` (0 means 2047) in 256 cells.
pub fn rate_table(
    clock: &Psched,
    rate: u64,
    cell_log: Option<u8>,
    mtu: u32,
    mpu: u32,
    linklayer: LinkLayer,
) -> RateTable {
    let mtu = if mtu == 0 { 2047 } else { mtu };
    let cell_log = cell_log.unwrap_or_else(|| {
        let mut c = 0u8;
        while (mtu >> c) > 255 {
            c += 1;
        }
        c
    });
    let table = (0..256u32)
        .map(|i| {
            let sz = linklayer.adjust((i + 1) << cell_log, mpu);
            clock.xmittime(rate, sz)
        })
        .collect();
    RateTable { cell_log, table }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> u64 {
        rate("rate", &s.into(), Some(1000)).unwrap()
    }

    #[test]
    fn rates_as_tc_reads_them() {
        // bytes/s, as tc puts them in tc_ratespec.rate (checked against tc's captures).
        assert_eq!(r("1mbit"), 125_000);
        assert_eq!(r("2Mbit"), 250_000);
        assert_eq!(r("5mbit"), 625_000);
        assert_eq!(r("1gibit"), 134_217_728);
        assert_eq!(r("100kbps"), 100_000);
        assert_eq!(r("1KiBps"), 1024);
        assert_eq!(r("8000"), 1000);
        assert_eq!(r("10%"), 12_500_000);
        assert_eq!(r("10gbit"), 1_250_000_000);
        assert_eq!(r("100gbit"), 12_500_000_000);
        assert_eq!(rate("rate", &Value::Int(1000), None).unwrap(), 1000);
        for bad in ["", "mbit", "5 parsecs", "-1mbit", "0", "0mbit", "1.5xbit"] {
            let e = rate("rate", &bad.into(), None).unwrap_err();
            assert_eq!(e.name, "rate", "{bad}");
        }
        assert!(
            rate("ceil", &"10%".into(), None)
                .unwrap_err()
                .reason
                .contains("speed")
        );
    }

    #[test]
    fn sizes_as_tc_reads_them() {
        let s = |t: &str| size("burst", &t.into()).unwrap();
        assert_eq!(s("32kbit"), 4096);
        assert_eq!(s("1500b"), 1500);
        assert_eq!(s("1500"), 1500);
        assert_eq!(s("64k"), 65536);
        assert_eq!(s("15k"), 15360);
        assert_eq!(s("1m"), 1 << 20);
        assert_eq!(s("1mbit"), 131_072);
        assert_eq!(s("60KB"), 61_440);
        assert!(size("burst", &"5q".into()).is_err());
        assert!(size("burst", &"8g".into()).is_err());
    }

    #[test]
    fn times_as_tc_reads_them() {
        let t = |s: &str| time("latency", &s.into()).unwrap();
        assert_eq!(t("400ms"), 400_000);
        assert_eq!(t("10us"), 10);
        assert_eq!(t("1s"), 1_000_000);
        assert_eq!(t("1.5ms"), 1500);
        assert_eq!(t("250"), 250);
        assert!(time("latency", &"1h".into()).is_err());
    }

    #[test]
    fn nanosecond_times_as_tc_reads_them() {
        let t = |s: &str| time_ns("base_time", &s.into()).unwrap();
        assert_eq!(t("200000000"), 200_000_000);
        assert_eq!(t("200ms"), 200_000_000);
        assert_eq!(t("0.1s"), 100_000_000);
        assert_eq!(t("5us"), 5_000);
        assert_eq!(t("7nsec"), 7);
        assert_eq!(t("0x10"), 16);
        assert_eq!(time_ns("k", &Value::Int(-3)).unwrap(), -3);
        for bad in ["", "ms", "10 parsecs", "1e30s"] {
            assert_eq!(time_ns("k", &bad.into()).unwrap_err().name, "k", "{bad:?}");
        }
    }

    #[test]
    fn psched_and_ticks() {
        let p = Psched::default();
        assert_eq!(p.tick_in_usec, 15.625);
        assert_eq!(p.hz, 1_000_000_000);
        // tc class ... htb rate 1mbit burst 15k: buffer 1920000 ticks (tc's capture).
        assert_eq!(p.xmittime(125_000, 15 * 1024), 1_920_000);
        // ... ceil 2mbit, cburst defaulted to ceil/hz + mtu = 1600 bytes: 100000 ticks.
        assert_eq!(p.xmittime(250_000, 1600), 100_000);
        // tbf latency 400ms -> 6 250 000 ticks.
        assert_eq!(p.time2tick(400_000), 6_250_000);
        // 8 bytes at 5mbit: 12.8 us, cut to 12 (tc's rate table for 5mbit starts 187).
        assert_eq!(p.xmittime(625_000, 8), 187);
        let ns = Psched::parse("000003e8 00000040 3b9aca00 3b9aca00").unwrap();
        assert_eq!(ns.tick_in_usec, 1000.0);
    }

    #[test]
    fn rate_tables_as_tc_computes_them() {
        let p = Psched::default();
        let t = rate_table(&p, 125_000, None, 1600, 0, LinkLayer::Ethernet);
        assert_eq!(t.cell_log, 3);
        assert_eq!(&t.table[..3], [1000, 2000, 3000]);
        assert_eq!(t.bytes().len(), 1024);
        let atm = rate_table(&p, 125_000, Some(3), 1600, 0, LinkLayer::Atm);
        // 8 bytes -> one 53-byte cell: 424 us -> 6625 ticks.
        assert_eq!(atm.table[0], 6625);
    }
}
