//! Diagnostics through the `tracing` crate, when the `tracing` feature is on: requests and
//! dumps started, answers and failures at `debug`, each received datagram and batch chunk at
//! `trace`, dump restarts and receive-queue overflows at `debug`.
//!
//! Without the feature the macros expand to nothing: no dependency, no code, and their
//! arguments are not evaluated (so they must never have side effects).

/// `tracing::debug!` when the feature is on, nothing otherwise.
macro_rules! debug {
    ($($arg:tt)*) => {
        #[cfg(feature = "tracing")]
        ::tracing::debug!($($arg)*);
    };
}

/// `tracing::trace!` when the feature is on, nothing otherwise.
macro_rules! trace {
    ($($arg:tt)*) => {
        #[cfg(feature = "tracing")]
        ::tracing::trace!($($arg)*);
    };
}

pub(crate) use {debug, trace};
