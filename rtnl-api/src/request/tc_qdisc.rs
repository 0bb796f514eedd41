//! The routines of the qdiscs whose `[[tc-plugin]]` entries cannot say everything as data
//! (schema/tcmsg.toml): `cake` (target from rtt, what tc leaves out), `hfsc` (service curves
//! from words), `ets` (the band count and the quanta/priomap nests), `red` (red's and choke's
//! Wlog, Plog, Scell_log and idle-damping table, as iproute2's tc_red.c computes them), `gred`
//! (the setup form's checks, or one virtual queue with red's math), `mqprio` (mqprio's and
//! taprio's struct tc_mqprio_qopt from num_tc/map/queues, mqprio's shaper rates, the per-class
//! frame preemption and max SDU, and taprio's schedule).
//!
//! A routine works on the options tree the generic encoder built from the entry's params
//! (`(attribute, value)` in tc's order) and the values of the params without `to` (`inputs`).

use rtnl_core::ArgError;

use super::tc_filter_util::{Tree, input};
use crate::args::{Value, int_arg, str_arg};
use crate::tc::units::{self, Psched};

/// What the qdisc routines need from the machine.
pub(crate) struct QdiscEnv<'e> {
    /// The kind (`red` or `choke` share a routine).
    pub kind: &'e str,
    /// `qdisc` or `class`.
    pub object: &'e str,
    /// The psched clock (red's idle damping).
    pub clock: &'e Psched,
    /// The device's speed, for rates given in percent.
    pub link_mbit: Option<u64>,
}

/// Runs the qdisc routine `name` over `tree`; false when `name` is not one of this module's.
pub(crate) fn run(
    name: &str,
    tree: &mut Tree,
    inputs: &[(&str, Value)],
    env: &QdiscEnv,
) -> Result<bool, ArgError> {
    match name {
        "cake" => cake(tree, inputs)?,
        "hfsc" if env.object == "class" => hfsc_class(tree, inputs, env)?,
        "hfsc" => {}
        "ets" if env.object == "qdisc" => ets(tree, inputs)?,
        "ets" => {}
        "red" => red(tree, inputs, env)?,
        "gred" => gred(tree, inputs, env)?,
        "mqprio" => mqprio(tree, inputs, env.kind)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Sets the top-level attribute `k` of `tree` (replacing it, or appended).
fn put(tree: &mut Tree, k: &str, v: Value) {
    match tree.iter_mut().find(|(n, _)| n == k) {
        Some(slot) => slot.1 = v,
        None => tree.push((k.to_string(), v)),
    }
}

/// A converted integer input.
fn int(inputs: &[(&str, Value)], k: &str) -> Option<i128> {
    match input(inputs, k) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

/// cake's rtt presets (each sets rtt and target as data).
const CAKE_PRESETS: &[&str] = &[
    "datacentre",
    "lan",
    "metro",
    "regional",
    "internet",
    "oceanic",
    "satellite",
    "interplanetary",
];

/// `cake`: tc sends the rtt (when not 0) and a target of rtt / 20 (at least 1); the rtt
/// presets (`lan`, `internet` ...) set both as data. tc refuses two presets; `rtt` with a
/// preset is refused too (tc keeps whichever of its words comes last, which keywords cannot
/// say). tc leaves out mpu, memlimit and fwmark when they are 0; mpu is 0 to 256.
fn cake(tree: &mut Tree, inputs: &[(&str, Value)]) -> Result<(), ArgError> {
    let mut presets = CAKE_PRESETS.iter().filter(|p| input(inputs, p).is_some());
    if let (Some(a), Some(b)) = (presets.next(), presets.next()) {
        return Err(ArgError::new(
            *b,
            format!("{a} and {b} are both rtt presets; cake takes one"),
        ));
    }
    if let Some(rtt) = int(inputs, "rtt") {
        if let Some(p) = CAKE_PRESETS.iter().find(|p| input(inputs, p).is_some()) {
            return Err(ArgError::new(
                "rtt",
                format!("rtt and the preset {p} both set the rtt; give one"),
            ));
        }
        if rtt != 0 {
            put(tree, "rtt", Value::Int(rtt));
        }
        // pyroute2's `target` keyword, when given, is kept.
        if !tree.iter().any(|(k, _)| k == "target") {
            put(tree, "target", Value::Int((rtt / 20).max(1)));
        }
    }
    if let Some((_, Value::Int(mpu))) = tree.iter().find(|(k, _)| k == "mpu")
        && !(0..=256).contains(mpu)
    {
        return Err(ArgError::new(
            "mpu",
            format!("{mpu}: cake's mpu is 0 to 256"),
        ));
    }
    tree.retain(|(k, v)| {
        !(["mpu", "memory", "fwmark"].contains(&k.as_str()) && matches!(v, Value::Int(0)))
    });
    Ok(())
}

/// hfsc's qdisc options: `struct tc_hfsc_qopt` (the default class, u16), not the class's
/// attribute set, so the bytes are built here.
pub(crate) fn hfsc_qdisc(inputs: &[(&str, Value)]) -> Value {
    let defcls = int(inputs, "default").unwrap_or(0) as u16;
    Value::Bytes(defcls.to_ne_bytes().to_vec())
}

/// `hfsc` class: `sc` (real-time and link-sharing), `rt`, `ls`, `ul`, each a curve in tc's
/// words, `m1 RATE d TIME m2 RATE` or `umax SIZE dmax TIME rate RATE` (or `rate RATE`); or
/// pyroute2's `rsc`, `fsc`, `usc`, each a map `{m1, d, m2}`.
fn hfsc_class(tree: &mut Tree, inputs: &[(&str, Value)], env: &QdiscEnv) -> Result<(), ArgError> {
    let mut any = false;
    for (k, attrs) in [
        ("sc", &["rsc", "fsc"][..]),
        ("rt", &["rsc"][..]),
        ("ls", &["fsc"][..]),
        ("ul", &["usc"][..]),
    ] {
        if let Some(v) = input(inputs, k) {
            let sc = service_curve(k, str_arg(k, v)?, env.link_mbit)?;
            for a in attrs {
                put(tree, a, sc.clone());
            }
            any = true;
        }
    }
    // pyroute2's curves: rsc, fsc, usc, each `{m1, d, m2}` (words: name value pairs).
    for k in ["rsc", "fsc", "usc"] {
        if let Some(Value::List(words)) = input(inputs, k) {
            let text = words
                .iter()
                .map(|w| str_arg(k, w))
                .collect::<Result<Vec<_>, _>>()?
                .join(" ");
            let sc = service_curve(k, &text, env.link_mbit)?;
            put(tree, k, sc);
            any = true;
        }
    }
    if !any {
        return Err(ArgError::new(
            "sc",
            "an hfsc class needs a service curve: sc, rt, ls or ul (\"rate 1mbit\", \"m1 2mbit d 10ms m2 1mbit\")",
        ));
    }
    tree.sort_by_key(|(k, _)| ["rsc", "fsc", "usc"].iter().position(|o| o == k));
    Ok(())
}

/// One service curve (tc's hfsc_get_sc1/hfsc_get_sc2): `{m1, d, m2}` in bytes/s and
/// microseconds.
fn service_curve(k: &str, s: &str, link_mbit: Option<u64>) -> Result<Value, ArgError> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !words.len().is_multiple_of(2) || words.is_empty() {
        return Err(ArgError::new(
            k,
            format!("{s:?}: expected `m1 RATE d TIME m2 RATE` or `umax SIZE dmax TIME rate RATE`"),
        ));
    }
    let (mut m1, mut d, mut m2, mut umax, mut dmax, mut rate) =
        (None, None, None, None, None, None);
    for pair in words.chunks(2) {
        let v = Value::Str(pair[1].into());
        match pair[0] {
            // tc takes a zero m1 (a curve that starts flat); units::rate refuses 0.
            "m1" if pair[1].trim_start_matches('0').is_empty() => m1 = Some(0),
            "m1" => m1 = Some(units::rate(k, &v, link_mbit)?),
            "d" => d = Some(units::time(k, &v)?),
            "m2" => m2 = Some(units::rate(k, &v, link_mbit)?),
            "umax" => umax = Some(units::size(k, &v)?),
            "dmax" => dmax = Some(units::time(k, &v)?),
            "rate" => rate = Some(units::rate(k, &v, link_mbit)?),
            w => {
                return Err(ArgError::new(
                    k,
                    format!("{w:?} is not part of a service curve (m1, d, m2, umax, dmax, rate)"),
                ));
            }
        }
    }
    let curve = |m1: u64, d: u64, m2: u64| {
        Value::map([
            ("m1", Value::Int(m1.into())),
            ("d", Value::Int(d.into())),
            ("m2", Value::Int(m2.into())),
        ])
    };
    if let Some(m2) = m2 {
        if umax.is_some() || dmax.is_some() || rate.is_some() {
            return Err(ArgError::new(k, "m1/d/m2 and umax/dmax/rate do not mix"));
        }
        if m1.is_some_and(|m| m > 0) && d.is_none() {
            return Err(ArgError::new(k, "m1 needs d"));
        }
        return Ok(curve(m1.unwrap_or(0), d.unwrap_or(0).into(), m2));
    }
    let rate = rate.ok_or_else(|| ArgError::new(k, format!("{s:?}: a curve needs m2 or rate")))?;
    if m1.is_some() || d.is_some() {
        return Err(ArgError::new(k, "m1/d/m2 and umax/dmax/rate do not mix"));
    }
    let (umax, dmax) = (u64::from(umax.unwrap_or(0)), u64::from(dmax.unwrap_or(0)));
    if umax != 0 && dmax == 0 {
        return Err(ArgError::new(k, "umax needs dmax"));
    }
    if rate == 0 {
        return Err(ArgError::new(k, "rate must be more than 0"));
    }
    let usec = 1_000_000f64;
    if dmax != 0 && (umax as f64 * usec / dmax as f64).ceil() > rate as f64 {
        let m1 = (umax as f64 * usec / dmax as f64).ceil() as u64;
        Ok(curve(m1, dmax, rate))
    } else {
        let d = (dmax as f64 - umax as f64 * usec / rate as f64)
            .ceil()
            .max(0.0) as u64;
        Ok(curve(0, d, rate))
    }
}

/// `ets` qdisc: the band count (given, or strict + quanta), then strict, then the quanta and
/// priomap as nests of repeated attributes (tc/q_ets.c).
fn ets(tree: &mut Tree, inputs: &[(&str, Value)]) -> Result<(), ArgError> {
    let list = |k: &str| -> Result<Vec<i128>, ArgError> {
        match input(inputs, k) {
            None => Ok(Vec::new()),
            Some(Value::List(l)) => l.iter().map(|v| int_arg(k, v, None)).collect(),
            Some(v) => Err(ArgError::new(k, format!("expected a list, got {v:?}"))),
        }
    };
    let (quanta, priomap) = (list("quanta")?, list("priomap")?);
    let strict = int(inputs, "strict").unwrap_or(0);
    let bands = match int(inputs, "bands").unwrap_or(0) {
        0 => strict + quanta.len() as i128,
        n => n,
    };
    if !(1..=16).contains(&bands) {
        return Err(ArgError::new(
            "bands",
            format!("ets needs 1 to 16 bands (bands, or strict + quanta), got {bands}"),
        ));
    }
    if strict + quanta.len() as i128 > bands {
        return Err(ArgError::new(
            "quanta",
            format!(
                "strict {strict} + {} quanta is more than {bands} bands",
                quanta.len()
            ),
        ));
    }
    if quanta.contains(&0) {
        return Err(ArgError::new("quanta", "a quantum of 0"));
    }
    if let Some(p) = priomap.iter().find(|p| **p >= bands || **p < 0) {
        return Err(ArgError::new(
            "priomap",
            format!("band {p} is not one of the {bands} bands"),
        ));
    }
    if priomap.len() > 16 {
        return Err(ArgError::new("priomap", "at most 16 priorities"));
    }
    tree.clear();
    tree.push(("nbands".into(), Value::Int(bands)));
    if strict > 0 {
        tree.push(("nstrict".into(), Value::Int(strict)));
    }
    let nest = |attr: &str, l: &[i128]| {
        Value::Map(
            l.iter()
                .map(|v| (attr.to_string(), Value::Int(*v)))
                .collect(),
        )
    };
    if !quanta.is_empty() {
        tree.push(("quanta".into(), nest("quanta_band", &quanta)));
    }
    if !priomap.is_empty() {
        tree.push(("priomap".into(), nest("priomap_band", &priomap)));
    }
    Ok(())
}

/// `red` (red and choke): the thresholds' defaults, then tc_red_eval_ewma (Wlog),
/// tc_red_eval_P (Plog), tc_red_eval_idle_damping (Scell_log and the 256-byte table), and
/// max_P = probability * 2^32; red also sends its flags as a bitfield.
fn red(tree: &mut Tree, inputs: &[(&str, Value)], env: &QdiscEnv) -> Result<(), ArgError> {
    let choke = env.kind == "choke";
    let get = |k: &str| int(inputs, k).map(|i| i.clamp(0, u32::MAX.into()) as u64);
    let limit = get("limit").unwrap_or(0);
    let avpkt = get("avpkt").unwrap_or(if choke { 1000 } else { 0 });
    if limit == 0 {
        return Err(ArgError::new("limit", format!("{} needs limit", env.kind)));
    }
    if avpkt == 0 {
        return Err(ArgError::new("avpkt", "red needs avpkt"));
    }
    let rate = match get("bandwidth") {
        Some(r) if r > 0 => r,
        _ if choke => return Err(ArgError::new("bandwidth", "choke needs bandwidth")),
        _ => 10_000_000 / 8,
    };
    let probability = probability(inputs)?;
    let mut max = get("max").unwrap_or(0);
    let mut min = get("min").unwrap_or(0);
    if max == 0 {
        max = if choke {
            limit / 4
        } else if min != 0 {
            min * 3
        } else {
            limit / 4
        };
    }
    if min == 0 {
        min = max / 3;
    }
    let burst = get("burst").unwrap_or(match choke {
        true => (2 * min + max) / 3,
        false => (2 * min + max) / (3 * avpkt),
    });
    if choke && (max > limit || min >= max) {
        return Err(ArgError::new("max", "choke needs min < max <= limit"));
    }
    let scale = if choke { avpkt } else { 1 };
    let wlog = eval_ewma(min * scale, burst, avpkt)
        .filter(|w| *w < 10)
        .ok_or_else(|| {
            ArgError::new(
                "burst",
                format!("burst {burst} is too small (or too large) for min and avpkt"),
            )
        })?;
    let plog = eval_p(min * scale, max * scale, probability)
        .ok_or_else(|| ArgError::new("probability", "no Plog fits min, max and probability"))?;
    let (scell, stab) = idle_damping(wlog, avpkt, rate, env.clock)
        .ok_or_else(|| ArgError::new("bandwidth", "no Scell_log fits bandwidth and avpkt"))?;
    let mut flags = 0;
    for (k, bit) in [("ecn", 1), ("harddrop", 2), ("adaptive", 4), ("nodrop", 8)] {
        if input(inputs, k).is_some() {
            flags |= bit;
        }
    }
    let parms = Value::map([
        ("limit", Value::Int(limit.into())),
        ("qth_min", Value::Int(min.into())),
        ("qth_max", Value::Int(max.into())),
        ("wlog", Value::Int(wlog.into())),
        ("plog", Value::Int(plog.into())),
        ("scell_log", Value::Int(scell.into())),
        ("flags", Value::Int(if choke { flags & 1 } else { 0 })),
    ]);
    tree.clear();
    tree.push(("parms".into(), parms));
    tree.push(("stab".into(), Value::Bytes(stab)));
    let max_p = (probability * 2f64.powi(32)).min(u32::MAX as f64) as u32;
    tree.push(("max_p".into(), Value::Int(max_p.into())));
    if !choke {
        tree.push((
            "flags".into(),
            Value::List(vec![Value::Int(flags), Value::Int(0xf)]),
        ));
    }
    Ok(())
}

/// red's `probability` (0 to 1; 0.02 when not given).
fn probability(inputs: &[(&str, Value)]) -> Result<f64, ArgError> {
    let Some(v) = input(inputs, "probability") else {
        return Ok(0.02);
    };
    let s = match v {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        v => format!("{v:?}"),
    };
    s.parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| ArgError::new("probability", format!("{s:?} is not a probability (0..1)")))
}

/// The field `f` of the struct attribute `attr` in `tree`, if set.
fn field(tree: &Tree, attr: &str, f: &str) -> Option<i128> {
    match tree.iter().find(|(k, _)| k == attr) {
        Some((_, Value::Map(m))) => m.iter().find(|(k, _)| k == f).and_then(|(_, v)| match v {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some((*b).into()),
            _ => None,
        }),
        _ => None,
    }
}

/// gred's virtual queues (MAX_DPs).
const GRED_MAX_DPS: i128 = 16;

/// The keywords of gred's per-queue form only.
const GRED_QUEUE_WORDS: &[&str] = &[
    "vq",
    "min",
    "max",
    "avpkt",
    "burst",
    "probability",
    "bandwidth",
    "prio",
];

/// `gred` (tc/q_gred.c): the setup form (given `setup`, `vqs`, `default` or `grio`) needs vqs
/// (1 to 16) and a default below it, and is sent as the entry's data placed it. Otherwise one
/// virtual queue: red's thresholds and math for it as struct tc_gred_qopt, the idle-damping
/// table, max_P, and a VQ list entry with its DP and flags (ecn, harddrop).
fn gred(tree: &mut Tree, inputs: &[(&str, Value)], env: &QdiscEnv) -> Result<(), ArgError> {
    let setup = input(inputs, "setup").is_some()
        || ["dps", "def_dp", "grio"]
            .iter()
            .any(|f| field(tree, "dps", f).is_some());
    if setup {
        if let Some(k) = GRED_QUEUE_WORDS.iter().find(|k| input(inputs, k).is_some()) {
            return Err(ArgError::new(
                *k,
                "gred's setup (vqs, default, grio, limit, ecn, harddrop) does not take a virtual queue's parameters; send them in a request of their own",
            ));
        }
        let vqs = field(tree, "dps", "dps").unwrap_or(0);
        if !(1..=GRED_MAX_DPS).contains(&vqs) {
            return Err(ArgError::new(
                "vqs",
                format!("gred's setup needs vqs, 1 to {GRED_MAX_DPS}"),
            ));
        }
        match field(tree, "dps", "def_dp") {
            Some(d) if (0..vqs).contains(&d) => return Ok(()),
            Some(d) => {
                return Err(ArgError::new(
                    "default",
                    format!("{d} is not one of the {vqs} virtual queues"),
                ));
            }
            None => return Err(ArgError::new("default", "gred's setup needs default")),
        }
    }
    let get = |k: &str| int(inputs, k).map(|i| i.clamp(0, u32::MAX.into()) as u64);
    let dp = int(inputs, "vq").ok_or_else(|| {
        ArgError::new(
            "vq",
            "gred needs setup (vqs, default) or a virtual queue's vq, limit, min, max and avpkt",
        )
    })?;
    if !(0..GRED_MAX_DPS).contains(&dp) {
        return Err(ArgError::new(
            "vq",
            format!("{dp}: gred has virtual queues 0 to 15"),
        ));
    }
    let limit = match tree.iter().find(|(k, _)| k == "limit") {
        Some((_, Value::Int(l))) => *l as u64,
        _ => 0,
    };
    let (min, max, avpkt) = (
        get("min").unwrap_or(0),
        get("max").unwrap_or(0),
        get("avpkt").unwrap_or(0),
    );
    for (k, v) in [
        ("limit", limit),
        ("min", min),
        ("max", max),
        ("avpkt", avpkt),
    ] {
        if v == 0 {
            return Err(ArgError::new(k, format!("a gred virtual queue needs {k}")));
        }
    }
    let prio = int(inputs, "prio").unwrap_or(0);
    let prio = u8::try_from(prio)
        .map_err(|_| ArgError::new("prio", format!("{prio}: a prio is 0 to 255")))?;
    let burst = get("burst").unwrap_or((2 * min + max) / (3 * avpkt));
    let rate = get("bandwidth")
        .filter(|r| *r > 0)
        .unwrap_or(10_000_000 / 8);
    let probability = probability(inputs)?;
    let wlog = eval_ewma(min, burst, avpkt).ok_or_else(|| {
        ArgError::new(
            "burst",
            format!("burst {burst} is too small for min and avpkt"),
        )
    })?;
    let plog = eval_p(min, max, probability)
        .ok_or_else(|| ArgError::new("probability", "no Plog fits min, max and probability"))?;
    let (scell, stab) = idle_damping(wlog, avpkt, rate, env.clock)
        .ok_or_else(|| ArgError::new("bandwidth", "no Scell_log fits bandwidth and avpkt"))?;
    let flags = field(tree, "dps", "flags").unwrap_or(0);
    // struct tc_gred_qopt: limit, qth_min, qth_max, DP, six counters, Wlog, Plog, Scell_log,
    // prio, packets, bytesin.
    let mut parms = Vec::with_capacity(52);
    for v in [limit, min, max, dp as u64, 0, 0, 0, 0, 0, 0] {
        parms.extend_from_slice(&(v as u32).to_ne_bytes());
    }
    parms.extend_from_slice(&[wlog, plog, scell, prio]);
    parms.extend_from_slice(&[0; 8]);
    let max_p = (probability * 2f64.powi(32)).min(u32::MAX as f64) as u32;
    let vq = Value::map([("dp", Value::Int(dp)), ("flags", Value::Int(flags))]);
    tree.clear();
    tree.push(("parms".into(), Value::Bytes(parms)));
    tree.push(("stab".into(), Value::Bytes(stab)));
    // max_p is bytes in the schema (a dump's is an array, one per virtual queue).
    tree.push(("max_p".into(), Value::Bytes(max_p.to_ne_bytes().to_vec())));
    tree.push(("vq_list".into(), Value::Map(vec![("entry".into(), vq)])));
    Ok(())
}

/// The words of a list keyword (`["1@0", "1@1"]`, or numbers).
fn words(inputs: &[(&str, Value)], k: &str) -> Result<Vec<String>, ArgError> {
    match input(inputs, k) {
        None => Ok(Vec::new()),
        Some(Value::List(l)) => l
            .iter()
            .map(|v| match v {
                Value::Str(s) => Ok(s.clone()),
                Value::Int(i) => Ok(i.to_string()),
                v => Err(ArgError::new(k, format!("{v:?} is not a word"))),
            })
            .collect(),
        Some(Value::Str(s)) => Ok(vec![s.clone()]),
        Some(v) => Err(ArgError::new(k, format!("expected a list, got {v:?}"))),
    }
}

/// `mqprio` (mqprio and taprio): struct tc_mqprio_qopt from num_tc, map (the rest of the 16
/// priorities 0), queues (`count@offset` per traffic class) and hw, as tc/q_mqprio.c and
/// tc/q_taprio.c build it (mqprio's defaults: 8 classes, tc's priority map, hw 1; taprio's:
/// zeros); then mqprio's mode, shaper, frame preemption and rates, or taprio's clock, times,
/// per-class entries and schedule.
fn mqprio(tree: &mut Tree, inputs: &[(&str, Value)], kind: &str) -> Result<(), ArgError> {
    let taprio = kind == "taprio";
    let num = |k: &str, max: i128| -> Result<Option<i128>, ArgError> {
        match int(inputs, k) {
            Some(v) if !(0..=max).contains(&v) => {
                Err(ArgError::new(k, format!("{v} is out of range (0..={max})")))
            }
            v => Ok(v),
        }
    };
    let num_tc = num("num_tc", 16)?.unwrap_or(if taprio { 0 } else { 8 });
    let mut map: Vec<i128> = if taprio || input(inputs, "map").is_some() {
        vec![0; 16]
    } else {
        vec![0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 1, 3, 3, 3, 3]
    };
    for (i, w) in words(inputs, "map")?.iter().enumerate() {
        let v: i128 = w
            .parse()
            .ok()
            .filter(|v| (0..16).contains(v))
            .ok_or_else(|| ArgError::new("map", format!("{w:?} is not a traffic class (0..15)")))?;
        *map.get_mut(i)
            .ok_or_else(|| ArgError::new("map", "at most 16 priorities"))? = v;
    }
    let (mut count, mut offset) = (vec![0i128; 16], vec![0i128; 16]);
    let queues = words(inputs, "queues")?;
    if queues.len() as i128 > num_tc {
        return Err(ArgError::new(
            "queues",
            format!("{} queue ranges for {num_tc} traffic classes", queues.len()),
        ));
    }
    for (i, q) in queues.iter().enumerate() {
        let (c, o) = q
            .split_once('@')
            .and_then(|(c, o)| Some((c.parse::<u16>().ok()?, o.parse::<u16>().ok()?)))
            .ok_or_else(|| ArgError::new("queues", format!("{q:?} is not COUNT@OFFSET")))?;
        (count[i], offset[i]) = (c.into(), o.into());
    }
    let hw = num("hw", 255)?.unwrap_or(if taprio { 0 } else { 1 });
    let ints = |l: Vec<i128>| Value::List(l.into_iter().map(Value::Int).collect());
    let qopt: Tree = vec![
        ("num_tc".into(), Value::Int(num_tc)),
        ("prio_tc_map".into(), ints(map)),
        ("hw".into(), Value::Int(hw)),
        ("count".into(), ints(count)),
        ("offset".into(), ints(offset)),
    ];
    let entries = tc_entries(inputs, taprio)?;
    if taprio {
        return taprio_sched(tree, inputs, (num_tc > 0).then_some(qopt), entries);
    }
    *tree = qopt;
    mqprio_attrs(tree, inputs, hw != 0)?;
    tree.extend(entries);
    mqprio_rates(tree, inputs)
}

/// mqprio's mode and shaper (each sent when not dcb, tc's default; only with hw offload).
fn mqprio_attrs(tree: &mut Tree, inputs: &[(&str, Value)], hw: bool) -> Result<(), ArgError> {
    for (k, names) in [
        ("mode", &["dcb", "channel"][..]),
        ("shaper", &["dcb", "bw_rlimit", "bw_rate"][..]),
    ] {
        let Some(v) = input(inputs, k) else { continue };
        if !hw {
            return Err(ArgError::new(k, format!("tc takes {k} only with hw 1")));
        }
        let w = str_arg(k, v)?;
        let i = names
            .iter()
            .position(|n| *n == w)
            .ok_or_else(|| ArgError::new(k, format!("{w:?} is not one of {}", names.join(", "))))?;
        // bw_rate is the kernel's name of tc's bw_rlimit.
        let i = i.min(1);
        if i != 0 {
            tree.push((k.to_string(), Value::Int(i as i128)));
        }
    }
    Ok(())
}

/// mqprio's min_rate and max_rate (shaper bw_rlimit): one rate per traffic class, sent as a
/// nest of all 16 (the rest 0), each element of the nest's own type, as tc sends them.
fn mqprio_rates(tree: &mut Tree, inputs: &[(&str, Value)]) -> Result<(), ArgError> {
    let bw = tree.iter().any(|(k, _)| k == "shaper");
    for (k, attr, id) in [("min_rate", "min_rate64", 3), ("max_rate", "max_rate64", 4)] {
        let rates = words(inputs, k)?;
        if input(inputs, k).is_none() {
            continue;
        }
        if !bw {
            return Err(ArgError::new(k, format!("{k} needs shaper bw_rlimit")));
        }
        if rates.len() > 16 {
            return Err(ArgError::new(k, "at most 16 rates (one per traffic class)"));
        }
        let mut nest = Vec::with_capacity(16 * 12);
        for i in 0..16 {
            let r = match rates.get(i) {
                Some(w) => units::rate(k, &Value::Str(w.clone()), None)?,
                None => 0,
            };
            rtnl_core::nla::put(&mut nest, id, &r.to_ne_bytes());
        }
        tree.push((attr.into(), Value::Bytes(nest)));
    }
    Ok(())
}

/// The per-traffic-class entries (TCA_MQPRIO_TC_ENTRY / TCA_TAPRIO_ATTR_TC_ENTRY): the class
/// index, taprio's max_sdu and the frame preemption (`E` express, `P` preemptible), one entry
/// per class up to the longer list, as tc/q_mqprio.c and q_taprio.c send them.
fn tc_entries(inputs: &[(&str, Value)], taprio: bool) -> Result<Tree, ArgError> {
    let fp = words(inputs, "fp")?
        .iter()
        .map(|w| match w.as_str() {
            "E" => Ok(1),
            "P" => Ok(2),
            w => Err(ArgError::new(
                "fp",
                format!("{w:?} is not E (express) or P (preemptible)"),
            )),
        })
        .collect::<Result<Vec<i128>, _>>()?;
    let sdu = match taprio {
        true => words(inputs, "max_sdu")?
            .iter()
            .map(|w| {
                w.parse::<u32>()
                    .map(i128::from)
                    .map_err(|_| ArgError::new("max_sdu", format!("{w:?} is not a size in bytes")))
            })
            .collect::<Result<Vec<i128>, _>>()?,
        false => Vec::new(),
    };
    if fp.len().max(sdu.len()) > 16 {
        return Err(ArgError::new(
            if fp.len() > 16 { "fp" } else { "max_sdu" },
            "at most 16 traffic classes",
        ));
    }
    Ok((0..fp.len().max(sdu.len()))
        .map(|i| {
            let mut e: Tree = vec![("index".into(), Value::Int(i as i128))];
            if let Some(s) = sdu.get(i) {
                e.push(("max_sdu".into(), Value::Int(*s)));
            }
            if let Some(f) = fp.get(i) {
                e.push(("fp".into(), Value::Int(*f)));
            }
            ("tc_entry".to_string(), Value::Map(e))
        })
        .collect())
}

/// taprio after its struct, in tc's order: the clock, flags, the struct (when num_tc is
/// given), txtime delay, the base and cycle times, the per-class entries, and the schedule
/// (`"S 01 300000"`: set-gates/H hold/R release, gate mask in hex, interval in ns), sent even
/// when empty.
fn taprio_sched(
    tree: &mut Tree,
    inputs: &[(&str, Value)],
    qopt: Option<Tree>,
    tc_entries: Tree,
) -> Result<(), ArgError> {
    let clock = tree.iter().find(|(k, _)| k == "sched_clockid").cloned();
    let mut out: Tree = clock.into_iter().collect();
    if let Some(v) = int(inputs, "flags").filter(|v| *v != 0) {
        out.push(("flags".into(), Value::Int(v)));
    }
    if let Some(q) = qopt {
        out.push(("priomap".into(), Value::Map(q)));
    }
    for (k, attr) in [
        ("txtime_delay", "txtime_delay"),
        ("base_time", "sched_base_time"),
        ("cycle_time", "sched_cycle_time"),
        ("cycle_time_extension", "sched_cycle_time_extension"),
    ] {
        if let Some(v) = int(inputs, k).filter(|v| *v != 0) {
            out.push((attr.into(), Value::Int(v)));
        }
    }
    out.extend(tc_entries);
    let mut entries: Tree = Vec::new();
    for e in words(inputs, "sched_entry")? {
        let w: Vec<&str> = e.split_whitespace().collect();
        let bad = || {
            ArgError::new(
                "sched_entry",
                format!("{e:?} is not `S|H|R GATEMASK INTERVAL`"),
            )
        };
        let [cmd, mask, interval] = w[..] else {
            return Err(bad());
        };
        let cmd = match cmd {
            "S" => 0,
            "H" => 1,
            "R" => 2,
            _ => return Err(bad()),
        };
        let mask = u32::from_str_radix(mask.trim_start_matches("0x"), 16).map_err(|_| bad())?;
        let interval: u32 = interval.parse().map_err(|_| bad())?;
        entries.push((
            "entry".into(),
            Value::map([
                ("cmd", Value::Int(cmd)),
                ("gate_mask", Value::Int(mask.into())),
                ("interval", Value::Int(interval.into())),
            ]),
        ));
    }
    out.push(("sched_entry_list".into(), Value::Map(entries)));
    *tree = out;
    Ok(())
}

/// tc_red_eval_ewma: the smallest Wlog with `burst + 1 - qmin/avpkt <= (1 - (1-W)^burst) / W`.
fn eval_ewma(qmin: u64, burst: u64, avpkt: u64) -> Option<u8> {
    let a = burst as f64 + 1.0 - qmin as f64 / avpkt as f64;
    if a < 1.0 {
        return None;
    }
    let mut w = 0.5f64;
    for wlog in 1..32u8 {
        if a <= (1.0 - (1.0 - w).powf(burst as f64)) / w {
            return Some(wlog);
        }
        w /= 2.0;
    }
    None
}

/// tc_red_eval_P: Plog = log2 of `(qmax - qmin) / prob`, as tc counts it.
fn eval_p(qmin: u64, qmax: u64, prob: f64) -> Option<u8> {
    if qmax == qmin {
        return Some(0);
    }
    if qmax < qmin {
        return None;
    }
    let mut p = prob / (qmax - qmin) as f64;
    for i in 0..32u8 {
        if p > 1.0 {
            return Some(i);
        }
        p *= 2.0;
    }
    None
}

/// tc_red_eval_idle_damping: Scell_log and the 256-byte table of `-log(1-W) * t / xmit_time`.
fn idle_damping(wlog: u8, avpkt: u64, rate: u64, clock: &Psched) -> Option<(u8, Vec<u8>)> {
    let xmit = f64::from(clock.xmittime(rate, avpkt.min(u32::MAX.into()) as u32));
    let lw = -(1.0 - 1.0 / f64::from(1u32 << wlog)).ln() / xmit;
    let maxtime = 31.0 / lw;
    let clog = (0..32u8).find(|c| maxtime / f64::from(1u32 << c) < 512.0)?;
    let mut t = vec![0u8; 256];
    for (i, b) in t.iter_mut().enumerate().take(255).skip(1) {
        // tc stores the double in a u8 (a C conversion: truncation, then the cap at 31).
        let v = (((i as u64) << clog) as f64 * lw) as u64;
        *b = v.min(31) as u8;
    }
    t[255] = 31;
    Some((clog, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_math_as_tc() {
        // tc qdisc add ... red limit 400000 min 30000 max 90000 avpkt 1000 burst 55
        // bandwidth 10mbit: Wlog 5, Plog 22 (captured from tc).
        assert_eq!(eval_ewma(30000, 55, 1000), Some(5));
        assert_eq!(eval_p(30000, 90000, 0.02), Some(22));
        assert_eq!(eval_ewma(30000, 10, 1000), None);
    }

    #[test]
    fn hfsc_curves() {
        let sc = service_curve("sc", "umax 1500b dmax 10ms rate 1mbit", None).unwrap();
        assert_eq!(
            sc,
            Value::map([
                ("m1", Value::Int(150000)),
                ("d", Value::Int(10000)),
                ("m2", Value::Int(125000)),
            ])
        );
        assert!(service_curve("rt", "m1 2mbit m2", None).is_err());
        assert!(service_curve("rt", "speed 2mbit", None).is_err());
    }
}
