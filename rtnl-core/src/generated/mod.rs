pub const MSG_TYPES: &[(u16, &str)] = &[];
