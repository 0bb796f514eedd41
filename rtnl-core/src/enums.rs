//! What every generated enum and flag set shares, written once: the generator emits each type's
//! values (variants or bit constants, the `From` conversions that carry them, its name table)
//! and one macro call for the rest — `flags_plumbing!` for bit sets (`IfaFlags`: `bits`,
//! `contains`, `|`, `&`, `!`, `Display` as `permanent|noprefixroute`), `enum_plumbing!` for
//! value enums (`RtProto`: `SPEC`, `name` and `from_name` through the name table, `Display` and
//! JSON by iproute2's name).

/// The plumbing of a bit-flag newtype `$ty($int)` whose names are in the static `$spec`.
macro_rules! flags_plumbing {
    ($ty:ident, $int:ty, $spec:ident) => {
        impl $ty {
            /// The table of names.
            pub const SPEC: &'static EnumSpec = &$spec;
            /// The raw bits.
            pub const fn bits(self) -> $int {
                self.0
            }
            /// True when every bit of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
            /// True when no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
        }
        impl From<$int> for $ty {
            fn from(v: $int) -> Self {
                Self(v)
            }
        }
        impl From<$ty> for $int {
            fn from(v: $ty) -> Self {
                v.0
            }
        }
        impl core::ops::BitOr for $ty {
            type Output = Self;
            fn bitor(self, o: Self) -> Self {
                Self(self.0 | o.0)
            }
        }
        impl core::ops::BitOrAssign for $ty {
            fn bitor_assign(&mut self, o: Self) {
                self.0 |= o.0
            }
        }
        impl core::ops::BitAnd for $ty {
            type Output = Self;
            fn bitand(self, o: Self) -> Self {
                Self(self.0 & o.0)
            }
        }
        impl core::ops::Not for $ty {
            type Output = Self;
            fn not(self) -> Self {
                Self(!self.0)
            }
        }
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $spec.write_flags(f, self.0 as u64)
            }
        }
        impl core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}({})", stringify!($ty), self)
            }
        }
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}
pub(crate) use flags_plumbing;

/// The plumbing of a value enum `$ty` (with `From<$int>` both ways generated) whose names are
/// in the static `$spec`.
macro_rules! enum_plumbing {
    ($ty:ident, $int:ty, $spec:ident) => {
        impl $ty {
            /// The table of names.
            pub const SPEC: &'static EnumSpec = &$spec;
            /// The name iproute2 prints (`None` for unknown values).
            pub fn name(self) -> Option<&'static str> {
                match self {
                    Self::Unknown(_) => None,
                    v => $spec.name_of(<$int>::from(v) as u64),
                }
            }
            /// The value for a name or kernel constant (any case).
            pub fn from_name(s: &str) -> Option<Self> {
                $spec.value_of(s).map(|v| Self::from(v as $int))
            }
        }
        impl core::fmt::Display for $ty {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "{}", <$int>::from(*self)),
                }
            }
        }
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.name() {
                    Some(n) => s.serialize_str(n),
                    None => s.serialize_i64(<$int>::from(*self) as i64),
                }
            }
        }
    };
}
pub(crate) use enum_plumbing;
