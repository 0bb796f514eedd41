//! Errors of rtnl-core: malformed bytes ([`DecodeError`]), kernel refusals ([`KernelError`]) and
//! everything a socket can report ([`Error`]).
//!
//! Nothing in rtnl-core panics on bad input: every parser returns one of these.

use std::fmt;

/// Received bytes that do not parse: what was being read, at which offset, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed netlink data: {what} at offset {offset}: {reason}")]
pub struct DecodeError {
    /// What was being decoded (`"nlattr header"`, `"RTA_DST"`, `"struct rtmsg"` ...).
    pub what: &'static str,
    /// Offset of the bad item inside the buffer that was being decoded.
    pub offset: usize,
    /// Why it is rejected.
    pub reason: &'static str,
}

impl DecodeError {
    /// A new decode error.
    pub const fn new(what: &'static str, offset: usize, reason: &'static str) -> Self {
        DecodeError {
            what,
            offset,
            reason,
        }
    }
}

/// A request argument that cannot be encoded: which one and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad argument {name:?}: {reason}")]
pub struct ArgError {
    /// The argument (`"dst"`, `"IFLA_MTU"`, `"table"` ...).
    pub name: String,
    /// Why it is rejected.
    pub reason: String,
}

impl ArgError {
    /// A new argument error.
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        ArgError {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

/// The kernel refused a request (an `NLMSG_ERROR` with a non-zero error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// The positive errno (`libc` numbering: 17 = EEXIST).
    pub errno: i32,
    /// The extended-ack text (`NLMSGERR_ATTR_MSG`), when the kernel gave one.
    pub ext_ack: Option<String>,
    /// Offset of the offending attribute inside the request (`NLMSGERR_ATTR_OFFS`).
    pub bad_attr_offset: Option<u32>,
    /// That attribute's name, resolved against the request we sent
    /// (`"IFLA_LINKINFO > IFLA_INFO_DATA > IFLA_VXLAN_ID"`).
    pub bad_attr: Option<String>,
    /// Message type of the request that failed (`RTM_NEWROUTE` = 24 ...).
    pub request_type: u16,
    /// Sequence number of the request that failed.
    pub request_seq: u32,
}

impl KernelError {
    /// The errno's symbolic name (`"EEXIST"`), or `"E?"` for a number this table lacks.
    pub fn errno_name(&self) -> &'static str {
        errno_name(self.errno)
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let desc = std::io::Error::from_raw_os_error(self.errno);
        let desc = desc.to_string();
        let desc = desc.split(" (os error").next().unwrap_or("");
        write!(
            f,
            "{} failed: {} ({}, errno {})",
            crate::spec::msg_type_name(self.request_type),
            self.errno_name(),
            desc,
            self.errno
        )?;
        if let Some(msg) = &self.ext_ack {
            write!(f, ": {msg}")?;
        }
        match (&self.bad_attr, self.bad_attr_offset) {
            (Some(name), Some(off)) => write!(f, " (offending attribute {name} at offset {off})")?,
            (None, Some(off)) => write!(f, " (offending attribute at offset {off})")?,
            _ => {}
        }
        Ok(())
    }
}

impl std::error::Error for KernelError {}

/// One failed member of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFailure {
    /// Its position in the batch (from 0).
    pub index: usize,
    /// What the kernel said.
    pub error: KernelError,
}

/// The members of a batch the kernel refused (and those not sent after a stop).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchError {
    /// Requests in the batch.
    pub requests: usize,
    /// Requests not sent (`BatchMode::StopAtFirstError`).
    pub not_sent: usize,
    /// Each refusal, in the order the answers came.
    pub failures: Vec<BatchFailure>,
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} batched requests failed",
            self.failures.len(),
            self.requests
        )?;
        for x in &self.failures {
            write!(f, "; #{}: {}", x.index, x.error)?;
        }
        if self.not_sent > 0 {
            write!(
                f,
                "; {} not sent (stopped at the first error)",
                self.not_sent
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for BatchError {}

/// Everything an rtnetlink operation can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The kernel answered with an error.
    #[error(transparent)]
    Kernel(#[from] KernelError),
    /// The kernel's answer (or a captured buffer) does not parse.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A request argument cannot be encoded.
    #[error(transparent)]
    Arg(#[from] ArgError),
    /// The socket's receive queue overflowed (`ENOBUFS`): events were lost; resynchronise with a dump.
    #[error("netlink receive buffer overflowed (ENOBUFS): messages were lost, resync with a dump")]
    NoBufs,
    /// No reply arrived within the socket's receive timeout ([`crate::socket::Socket::set_recv_timeout`]).
    #[error("no reply from the kernel within {0:?} (SO_RCVTIMEO)")]
    Timeout(std::time::Duration),
    /// Some requests of a batch were refused: each by index, with what the kernel said.
    #[error(transparent)]
    Batch(#[from] BatchError),
    /// A dump kept being interrupted (`NLM_F_DUMP_INTR`) by concurrent changes; its last
    /// attempt was complete but may mix old and new state, so it was not handed out (a
    /// `Dump` that accepts that says so with `keep_inconsistent`).
    #[error(
        "dump interrupted by concurrent changes (NLM_F_DUMP_INTR) {attempts} times in a row; \
         the last attempt may be inconsistent"
    )]
    DumpInterrupted {
        /// How many times the dump was tried.
        attempts: u32,
    },
    /// A system call failed.
    #[error("{call}: {source}")]
    Io {
        /// The call (`"socket"`, `"bind"`, `"setns /run/netns/blue"` ...).
        call: String,
        /// The OS error.
        source: std::io::Error,
    },
}

impl Error {
    /// An [`Error::Io`] for `call`.
    pub fn io(call: impl Into<String>, source: impl Into<std::io::Error>) -> Self {
        Error::Io {
            call: call.into(),
            source: source.into(),
        }
    }

    /// The kernel's errno, for kernel errors.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Kernel(k) => Some(k.errno),
            Error::Io { source, .. } => source.raw_os_error(),
            _ => None,
        }
    }
}

/// Symbolic name of an errno (Linux numbering): `17` -> `"EEXIST"`, `"E?"` for a number Linux
/// does not define.
///
/// The numbers come from the `libc` crate's constants and the names are those constants'
/// identifiers, so the table cannot drift from the platform; aliases (`EWOULDBLOCK`,
/// `EDEADLOCK`, `ENOTSUP`) give way to the names `strerrorname_np` reports.
pub fn errno_name(errno: i32) -> &'static str {
    macro_rules! names {
        ($($e:ident),* $(,)?) => {
            match errno {
                $(libc::$e => stringify!($e),)*
                // Kernel-internal (include/linux/errno.h), yet some netlink paths return it.
                524 => "ENOTSUPP",
                _ => "E?",
            }
        };
    }
    names! {
        EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN, ENOMEM,
        EACCES, EFAULT, ENOTBLK, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE,
        EMFILE, ENOTTY, ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE,
        EDEADLK, ENAMETOOLONG, ENOLCK, ENOSYS, ENOTEMPTY, ELOOP, ENOMSG, EIDRM, ECHRNG, EL2NSYNC,
        EL3HLT, EL3RST, ELNRNG, EUNATCH, ENOCSI, EL2HLT, EBADE, EBADR, EXFULL, ENOANO, EBADRQC,
        EBADSLT, EBFONT, ENOSTR, ENODATA, ETIME, ENOSR, ENONET, ENOPKG, EREMOTE, ENOLINK, EADV,
        ESRMNT, ECOMM, EPROTO, EMULTIHOP, EDOTDOT, EBADMSG, EOVERFLOW, ENOTUNIQ, EBADFD, EREMCHG,
        ELIBACC, ELIBBAD, ELIBSCN, ELIBMAX, ELIBEXEC, EILSEQ, ERESTART, ESTRPIPE, EUSERS, ENOTSOCK,
        EDESTADDRREQ, EMSGSIZE, EPROTOTYPE, ENOPROTOOPT, EPROTONOSUPPORT, ESOCKTNOSUPPORT,
        EOPNOTSUPP, EPFNOSUPPORT, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH,
        ENETRESET, ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN, ENOTCONN, ESHUTDOWN, ETOOMANYREFS,
        ETIMEDOUT, ECONNREFUSED, EHOSTDOWN, EHOSTUNREACH, EALREADY, EINPROGRESS, ESTALE, EUCLEAN,
        ENOTNAM, ENAVAIL, EISNAM, EREMOTEIO, EDQUOT, ENOMEDIUM, EMEDIUMTYPE, ECANCELED, ENOKEY,
        EKEYEXPIRED, EKEYREVOKED, EKEYREJECTED, EOWNERDEAD, ENOTRECOVERABLE, ERFKILL, EHWPOISON,
    }
}

#[cfg(test)]
mod tests {
    use super::errno_name;

    #[test]
    fn errno_names() {
        assert_eq!(errno_name(17), "EEXIST");
        assert_eq!(errno_name(libc::EOPNOTSUPP), "EOPNOTSUPP");
        assert_eq!(errno_name(0), "E?");
        // Linux numbers its errnos 1..=133 without a gap but 41 and 58 (unused): all are named.
        for e in (1..=133).filter(|e| ![41, 58].contains(e)) {
            assert_ne!(errno_name(e), "E?", "errno {e}");
        }
    }
}
