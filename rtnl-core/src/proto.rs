//! The sans-IO netlink core: requests into bytes, received bytes into events.
//!
//! Nothing here does I/O, so the blocking [`Socket`](crate::socket::Socket), a future async
//! socket and the request compiler (`IPBatch`) are thin shells around it, and tests feed it
//! hand-built bytes.
//!
//! * [`begin_request`] / [`finish_request`] frame a request (`struct nlmsghdr`, length patched
//!   at the end); the family header and attributes go in between.
//! * [`messages`] turns a received datagram into [`Event`]s: a message, `NLMSG_DONE`, an ACK, a
//!   kernel error (errno + extended-ack text + offending attribute offset), an overrun.
//! * [`Exchange`] follows one request to its end: it filters by sequence number, notices
//!   `NLM_F_DUMP_INTR`, and says when the answer is complete.
//!
//! # Contract
//! No function here panics on any input: a truncated header, a length below 16 or beyond the
//! buffer is a [`DecodeError`] and iteration stops.

use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::error::{DecodeError, Error, KernelError};
use crate::nla;

/// `struct nlmsghdr`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Nlmsghdr {
    /// Length of the message including this header.
    pub len: U32,
    /// Message type (`RTM_NEWLINK`, `NLMSG_ERROR` ...).
    pub ty: U16,
    /// `NLM_F_*` flags.
    pub flags: U16,
    /// Sequence number.
    pub seq: U32,
    /// Sending port id.
    pub pid: U32,
}

const _: () = assert!(core::mem::size_of::<Nlmsghdr>() == 16);

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// No-op message.
pub const NLMSG_NOOP: u16 = 1;
/// Error or ACK.
pub const NLMSG_ERROR: u16 = 2;
/// End of a multi-part answer.
pub const NLMSG_DONE: u16 = 3;
/// Data lost.
pub const NLMSG_OVERRUN: u16 = 4;

/// `NLM_F_*` flags.
pub mod flags {
    /// A request.
    pub const REQUEST: u16 = 0x01;
    /// Part of a multi-part answer.
    pub const MULTI: u16 = 0x02;
    /// Asks for an ACK.
    pub const ACK: u16 = 0x04;
    /// Echo this request.
    pub const ECHO: u16 = 0x08;
    /// The dump was interrupted by a change: its contents may be inconsistent.
    pub const DUMP_INTR: u16 = 0x10;
    /// The dump was filtered as requested.
    pub const DUMP_FILTERED: u16 = 0x20;
    /// Return the whole table.
    pub const ROOT: u16 = 0x100;
    /// Return all matches.
    pub const MATCH: u16 = 0x200;
    /// Atomic get.
    pub const ATOMIC: u16 = 0x400;
    /// `ROOT | MATCH`.
    pub const DUMP: u16 = 0x300;
    /// Replace an existing object.
    pub const REPLACE: u16 = 0x100;
    /// Do not touch an existing object.
    pub const EXCL: u16 = 0x200;
    /// Create if missing.
    pub const CREATE: u16 = 0x400;
    /// Add to the end of the list.
    pub const APPEND: u16 = 0x800;
    /// (ACK) the request was capped: the error carries only the request's header.
    pub const CAPPED: u16 = 0x100;
    /// (ACK) extended-ack attributes follow.
    pub const ACK_TLVS: u16 = 0x200;

    /// The value of a flag name without its `NLM_F_` prefix (`"DUMP"` -> `0x300`).
    pub fn flag_value(name: &str) -> Option<u16> {
        Some(match name {
            "REQUEST" => REQUEST,
            "MULTI" => MULTI,
            "ACK" => ACK,
            "ECHO" => ECHO,
            "ROOT" => ROOT,
            "MATCH" => MATCH,
            "ATOMIC" => ATOMIC,
            "DUMP" => DUMP,
            "REPLACE" => REPLACE,
            "EXCL" => EXCL,
            "CREATE" => CREATE,
            "APPEND" => APPEND,
            _ => return None,
        })
    }
}

/// Extended-ack attribute: the error message.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Extended-ack attribute: offset of the offending attribute in the request.
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// Appends a request header (length 0 for now); returns its offset for [`finish_request`].
///
/// ```
/// use rtnl_core::proto::{begin_request, finish_request, flags};
/// let mut buf = Vec::new();
/// let at = begin_request(&mut buf, 18, flags::REQUEST | flags::DUMP, 1, 0);
/// buf.extend_from_slice(&[0u8; 16]); // struct ifinfomsg
/// finish_request(&mut buf, at);
/// assert_eq!(u32::from_ne_bytes(buf[..4].try_into().unwrap()), 32);
/// ```
pub fn begin_request(buf: &mut Vec<u8>, msg_type: u16, flags: u16, seq: u32, pid: u32) -> usize {
    let start = buf.len();
    let h = Nlmsghdr {
        len: U32::new(0),
        ty: U16::new(msg_type),
        flags: U16::new(flags),
        seq: U32::new(seq),
        pid: U32::new(pid),
    };
    buf.extend_from_slice(h.as_bytes());
    start
}

/// Pads the request that starts at `start` to 4 bytes and patches its `nlmsg_len`.
pub fn finish_request(buf: &mut Vec<u8>, start: usize) {
    nla::pad(buf);
    let len = (buf.len() - start) as u32;
    buf[start..start + 4].copy_from_slice(&len.to_ne_bytes());
}

/// Sets the sequence number of the request at `start`.
pub fn set_seq(buf: &mut [u8], start: usize, seq: u32) {
    if let Some(s) = buf.get_mut(start + 8..start + 12) {
        s.copy_from_slice(&seq.to_ne_bytes());
    }
}

/// One received message (not a control message).
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Its header.
    pub header: &'a Nlmsghdr,
    /// Its payload (family header and attributes).
    pub payload: &'a [u8],
}

impl Message<'_> {
    /// Message type.
    pub fn msg_type(&self) -> u16 {
        self.header.ty.get()
    }
    /// `NLM_F_*` flags.
    pub fn flags(&self) -> u16 {
        self.header.flags.get()
    }
    /// Sequence number.
    pub fn seq(&self) -> u32 {
        self.header.seq.get()
    }
}

/// What a received datagram contains, message by message.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// A message.
    Message(Message<'a>),
    /// `NLMSG_DONE`: the end of a dump.
    Done {
        /// Its sequence number.
        seq: u32,
        /// Its flags (`NLM_F_DUMP_INTR` may be set here).
        flags: u16,
    },
    /// `NLMSG_ERROR` with error 0: an ACK.
    Ack {
        /// Sequence number of the acknowledged request.
        seq: u32,
    },
    /// `NLMSG_ERROR` with an error, or `NLMSG_DONE` carrying one.
    Error(KernelError),
    /// `NLMSG_OVERRUN`.
    Overrun,
    /// `NLMSG_NOOP`.
    Noop,
}

/// Iterator over the events of a received buffer.
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

/// The events in `buf` (one or more netlink messages).
pub fn messages(buf: &[u8]) -> Messages<'_> {
    Messages {
        buf,
        pos: 0,
        failed: false,
    }
}

fn ext_ack(tlvs: &[u8]) -> (Option<String>, Option<u32>) {
    let mut msg = None;
    let mut off = None;
    for a in nla::Attrs::new(tlvs).filter_map(Result::ok) {
        match a.id {
            NLMSGERR_ATTR_MSG => {
                msg = crate::types::read::string(a.payload, "NLMSGERR_ATTR_MSG")
                    .ok()
                    .map(str::to_string)
            }
            NLMSGERR_ATTR_OFFS => {
                off = crate::types::read::u32(a.payload, "NLMSGERR_ATTR_OFFS").ok()
            }
            _ => {}
        }
    }
    (msg, off)
}

fn parse_error(h: &Nlmsghdr, p: &[u8], at: usize) -> Result<Event<'static>, DecodeError> {
    let errno = p.get(..4).ok_or(DecodeError::new(
        "struct nlmsgerr",
        at,
        "truncated error code",
    ))?;
    let errno = i32::from_ne_bytes([errno[0], errno[1], errno[2], errno[3]]);
    let (req, _) = Nlmsghdr::ref_from_prefix(&p[4..])
        .map_err(|_| DecodeError::new("struct nlmsgerr", at, "truncated echoed request header"))?;
    if errno == 0 {
        return Ok(Event::Ack { seq: req.seq.get() });
    }
    let flags = h.flags.get();
    let (ext, off) = if flags & flags::ACK_TLVS != 0 {
        // The echoed request is only its header when capped, the whole request otherwise.
        let echoed = if flags & flags::CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            nla::align(req.len.get() as usize)
        };
        ext_ack(p.get(4 + echoed..).unwrap_or(&[]))
    } else {
        (None, None)
    };
    Ok(Event::Error(KernelError {
        errno: errno.saturating_neg(),
        ext_ack: ext,
        bad_attr_offset: off,
        request_type: req.ty.get(),
        request_seq: req.seq.get(),
    }))
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Event<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let at = self.pos;
        let rest = &self.buf[at..];
        let Ok((h, _)) = Nlmsghdr::ref_from_prefix(rest) else {
            self.failed = true;
            return Some(Err(DecodeError::new(
                "struct nlmsghdr",
                at,
                "truncated header",
            )));
        };
        let len = h.len.get() as usize;
        if len < NLMSG_HDRLEN || len > rest.len() {
            self.failed = true;
            return Some(Err(DecodeError::new(
                "struct nlmsghdr",
                at,
                "nlmsg_len out of range",
            )));
        }
        self.pos += nla::align(len).min(rest.len());
        let payload = &rest[NLMSG_HDRLEN..len];
        Some(match h.ty.get() {
            NLMSG_NOOP => Ok(Event::Noop),
            NLMSG_OVERRUN => Ok(Event::Overrun),
            NLMSG_ERROR => parse_error(h, payload, at).inspect_err(|_| self.failed = true),
            NLMSG_DONE => {
                let err = payload
                    .get(..4)
                    .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                    .unwrap_or(0);
                if err < 0 {
                    let (ext, off) = if h.flags.get() & flags::ACK_TLVS != 0 {
                        ext_ack(&payload[4..])
                    } else {
                        (None, None)
                    };
                    Ok(Event::Error(KernelError {
                        errno: err.saturating_neg(),
                        ext_ack: ext,
                        bad_attr_offset: off,
                        request_type: 0,
                        request_seq: h.seq.get(),
                    }))
                } else {
                    Ok(Event::Done {
                        seq: h.seq.get(),
                        flags: h.flags.get(),
                    })
                }
            }
            _ => Ok(Event::Message(Message { header: h, payload })),
        })
    }
}

/// Where an [`Exchange`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// More datagrams are expected.
    Pending,
    /// The answer is complete.
    Finished,
    /// The dump is complete but was interrupted by a change (`NLM_F_DUMP_INTR`): redo it.
    Interrupted,
}

/// One request followed to its end: a dump (until `NLMSG_DONE`) or a request with ACK.
#[derive(Debug, Clone)]
pub struct Exchange {
    seq: u32,
    dump: bool,
    request_type: u16,
    interrupted: bool,
    /// Messages of other sequence numbers that were skipped (stale answers, notifications).
    pub skipped: u64,
}

impl Exchange {
    /// Follows the request with sequence number `seq`; `dump` = it was sent with `NLM_F_DUMP`.
    pub fn new(seq: u32, dump: bool, request_type: u16) -> Self {
        Exchange {
            seq,
            dump,
            request_type,
            interrupted: false,
            skipped: 0,
        }
    }

    /// Feeds one received datagram; `f` gets every message that belongs to this request.
    ///
    /// A kernel error ends the exchange with `Err(Error::Kernel)`; an error from `f` is returned
    /// as is (the caller decides whether to drain the rest).
    pub fn feed<'a>(
        &mut self,
        buf: &'a [u8],
        mut f: impl FnMut(Message<'a>) -> Result<(), Error>,
    ) -> Result<Status, Error> {
        for ev in messages(buf) {
            match ev? {
                Event::Message(m) => {
                    if m.seq() != self.seq {
                        self.skipped += 1;
                        continue;
                    }
                    if m.flags() & flags::DUMP_INTR != 0 {
                        self.interrupted = true;
                    }
                    f(m)?;
                    if !self.dump && m.flags() & flags::MULTI == 0 {
                        // A single answer to a `get`; the ACK (if asked for) follows.
                    }
                }
                Event::Done { seq, flags: fl } if seq == self.seq => {
                    if fl & flags::DUMP_INTR != 0 {
                        self.interrupted = true;
                    }
                    return Ok(if self.interrupted {
                        Status::Interrupted
                    } else {
                        Status::Finished
                    });
                }
                Event::Ack { seq } if seq == self.seq => return Ok(Status::Finished),
                Event::Error(mut e) if e.request_seq == self.seq => {
                    if e.request_type == 0 {
                        e.request_type = self.request_type;
                    }
                    return Err(Error::Kernel(e));
                }
                Event::Overrun => return Err(Error::NoBufs),
                _ => self.skipped += 1,
            }
        }
        Ok(Status::Pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(ty: u16, fl: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        let s = begin_request(&mut b, ty, fl, seq, 0);
        b.extend_from_slice(payload);
        finish_request(&mut b, s);
        b
    }

    fn error(errno: i32, req_ty: u16, seq: u32, tlvs: &[u8]) -> Vec<u8> {
        let mut p = errno.to_ne_bytes().to_vec();
        p.extend(msg(req_ty, flags::REQUEST, seq, &[]));
        p.extend_from_slice(tlvs);
        let fl = if tlvs.is_empty() {
            0
        } else {
            flags::CAPPED | flags::ACK_TLVS
        };
        msg(NLMSG_ERROR, fl, seq, &p)
    }

    #[test]
    fn multi_part_dump_split_across_reads() {
        let mut ex = Exchange::new(7, true, 26);
        let mut first = msg(24, flags::MULTI, 7, &[1; 12]);
        first.extend(msg(24, flags::MULTI, 7, &[2; 12]));
        let second = [
            msg(24, flags::MULTI, 7, &[3; 12]),
            msg(NLMSG_DONE, flags::MULTI, 7, &0i32.to_ne_bytes()),
        ]
        .concat();
        let mut seen = Vec::new();
        assert_eq!(
            ex.feed(&first, |m| {
                seen.push(m.payload[0]);
                Ok(())
            })
            .unwrap(),
            Status::Pending
        );
        assert_eq!(
            ex.feed(&second, |m| {
                seen.push(m.payload[0]);
                Ok(())
            })
            .unwrap(),
            Status::Finished
        );
        assert_eq!(seen, [1, 2, 3]);
    }

    #[test]
    fn error_with_extended_ack() {
        let mut tlvs = Vec::new();
        nla::put_str(&mut tlvs, NLMSGERR_ATTR_MSG, "Nexthop has invalid gateway");
        nla::put(&mut tlvs, NLMSGERR_ATTR_OFFS, &36u32.to_ne_bytes());
        let buf = error(-22, 24, 3, &tlvs);
        let err = Exchange::new(3, false, 24)
            .feed(&buf, |_| Ok(()))
            .unwrap_err();
        let Error::Kernel(k) = err else {
            panic!("{err}")
        };
        assert_eq!(
            (k.errno, k.request_type, k.request_seq, k.bad_attr_offset),
            (22, 24, 3, Some(36))
        );
        assert_eq!(k.ext_ack.as_deref(), Some("Nexthop has invalid gateway"));
        let text = k.to_string();
        assert!(
            text.contains("RTM_NEWROUTE") || text.contains("EINVAL"),
            "{text}"
        );
        assert!(
            text.contains("EINVAL") && text.contains("Nexthop has invalid gateway"),
            "{text}"
        );
    }

    #[test]
    fn ack_finishes() {
        let buf = error(0, 16, 9, &[]);
        assert_eq!(
            Exchange::new(9, false, 16).feed(&buf, |_| Ok(())).unwrap(),
            Status::Finished
        );
    }

    #[test]
    fn interrupted_dump() {
        let buf = [
            msg(24, flags::MULTI | flags::DUMP_INTR, 4, &[0; 12]),
            msg(
                NLMSG_DONE,
                flags::MULTI | flags::DUMP_INTR,
                4,
                &0i32.to_ne_bytes(),
            ),
        ]
        .concat();
        assert_eq!(
            Exchange::new(4, true, 26).feed(&buf, |_| Ok(())).unwrap(),
            Status::Interrupted
        );
    }

    #[test]
    fn truncated_message_is_an_error() {
        let mut buf = msg(24, 0, 1, &[0; 12]);
        buf.truncate(20);
        assert!(Exchange::new(1, true, 26).feed(&buf, |_| Ok(())).is_err());
        for bad in [
            &[1u8, 2, 3][..],
            &[8, 0, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
        ] {
            let r: Result<Vec<_>, _> = messages(bad).collect();
            assert!(r.is_err());
        }
    }

    #[test]
    fn other_sequence_numbers_are_skipped() {
        let buf = [
            msg(24, flags::MULTI, 99, &[0; 12]),
            msg(24, flags::MULTI, 5, &[0; 12]),
            msg(NLMSG_DONE, flags::MULTI, 5, &0i32.to_ne_bytes()),
        ]
        .concat();
        let mut ex = Exchange::new(5, true, 26);
        let mut n = 0;
        assert_eq!(
            ex.feed(&buf, |_| {
                n += 1;
                Ok(())
            })
            .unwrap(),
            Status::Finished
        );
        assert_eq!((n, ex.skipped), (1, 1));
    }

    #[test]
    fn done_with_error() {
        let buf = msg(NLMSG_DONE, flags::MULTI, 2, &(-95i32).to_ne_bytes());
        let err = Exchange::new(2, true, 26)
            .feed(&buf, |_| Ok(()))
            .unwrap_err();
        assert_eq!(err.errno(), Some(95));
    }
}
