//! Link lookups the kernel answers beyond name and index: by alternative name.

use rtnl_core::generated::*;

use crate::IPRoute;
use crate::dump::{Dump, Links};

impl IPRoute {
    /// A single RTM_GETLINK for the link with alternative name `name` (IFLA_ALT_IFNAME; the
    /// kernel keeps alternative names in IFLA_PROP_LIST and looks them up by this attribute).
    pub(crate) fn link_by_altname(&mut self, name: &str) -> Dump<'_, Links> {
        let hdr = Ifinfomsg::zeroed();
        let mut body = Vec::new();
        LinkMsg::request(&mut body, &hdr);
        rtnl_core::nla::put_str(&mut body, 53, name); // IFLA_ALT_IFNAME
        Dump::new(self, RTM_GETLINK, RTM_NEWLINK, body, true)
    }
}
