//! `OBJECT help`: each object's usage, in the grammar ip's usage texts use (`{ a | b }`,
//! `[ OPTION ]`, upper-case placeholders), written for what rtnl takes. Printed on stderr with
//! exit status 255, as ip's `usage()` does.

/// `rtnl link help`.
pub const LINK: &str = r#"Usage: rtnl link add [ link DEV ] [ name ] NAME
                     [ txqueuelen PACKETS ] [ address LLADDR ] [ broadcast LLADDR ]
                     [ mtu MTU ] [ index IDX ] [ numtxqueues QUEUES ] [ numrxqueues QUEUES ]
                     [ netns PID ] [ alias NAME ]
                     type TYPE [ ARGS ]

       rtnl link delete { DEVICE | dev DEVICE } [ type TYPE ] [ ARGS ]

       rtnl link { set | change } { DEVICE | dev DEVICE }
                     [ { up | down } ]
                     [ type TYPE ARGS ]
                     [ arp { on | off } ] [ dynamic { on | off } ]
                     [ multicast { on | off } ] [ allmulticast { on | off } ]
                     [ promisc { on | off } ] [ trailers { on | off } ]
                     [ carrier { on | off } ] [ protodown { on | off } ]
                     [ txqueuelen PACKETS ] [ name NEWNAME ]
                     [ address LLADDR ] [ broadcast LLADDR ] [ mtu MTU ]
                     [ netns PID ] [ link-netnsid ID ] [ alias NAME ]
                     [ master DEVICE ] [ nomaster ] [ group GROUP ]
                     [ mode { default | dormant } ] [ state OPERSTATE ]
                     [ addrgenmode { eui64 | none | stable_secret | random } ]

       rtnl link replace ...   (as add, replacing an existing device)

       rtnl link property { add | del } dev DEVICE altname NAME [ altname NAME ... ]

       rtnl link { show | list } [ DEVICE | dev DEVICE ]

       rtnl link help

TYPE := { bridge | bond | veth | vxlan | geneve | macvlan | macvtap | ipvlan | ipvtap |
          vlan | vrf | gre | gretap | erspan | ip6gre | ip6gretap | ip6erspan | ipip |
          sit | ip6tnl | vti | vti6 | xfrm | ifb | dummy | nlmon | vcan | vxcan |
          wireguard | team | ... every kind rtnl's schema has }
ARGS := the kind's options in ip's words (veth: peer [ name ] NAME; vxlan: id VNI
        [ group | remote ADDR ] [ local ADDR ] [ dev DEV ] [ dstport PORT ] ...;
        bridge: stp_state, forward_delay, priority, vlan_filtering, mcast_* ...;
        bond: mode, miimon, updelay, ...; vlan: [ protocol PROTO ] id ID; ...),
        or with type bridge_slave | bond_slave the port's options (cost, priority,
        state, learning, flood, guard, hairpin, isolated, ...; queue_id, prio)
"#;

/// `rtnl address help`.
pub const ADDR: &str = r#"Usage: rtnl address { add | change | replace } IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       rtnl address del IFADDR dev IFNAME
       rtnl address flush dev IFNAME [ scope SCOPE-ID ] [ to PREFIX ]
       rtnl address { show | list } [ dev IFNAME ]
       rtnl address help

IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR | broadcast + | broadcast - ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ] [ proto PROTO ]
SCOPE-ID := [ host | link | global | NUMBER ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | optimistic | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
"#;

/// `rtnl route help`.
pub const ROUTE: &str = r#"Usage: rtnl route { add | del | change | append | replace | prepend } ROUTE
       rtnl route flush [ table TABLE_ID ] [ dev DEVICE ] [ proto RTPROTO ]
       rtnl route { show | list } [ table TABLE_ID ] [ dev DEVICE ]
       rtnl route get [ fibmatch ] ADDRESS [ from ADDRESS ] [ iif STRING ]
                      [ oif STRING ] [ mark MARK ] [ tos TOS ] [ uid NUMBER ]
                      [ ipproto PROTOCOL ] [ sport NUMBER ] [ dport NUMBER ]
       rtnl route save SELECTOR > FILE
       rtnl route restore < FILE
       rtnl route help

SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ dev DEVICE ] [ iif DEVICE ] [ via ADDRESS ]
            [ src ADDRESS ] [ from [ root | match | exact ] PREFIX ]
            [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ]
            [ metric METRIC ] [ tos TOS ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ congctl [ lock ] ALGO ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ pref PREF ]
           [ fastopen_no_cookie BOOL ]    (each metric may be preceded by lock)
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink ]
RTPROTO := [ kernel | boot | static | ra | dhcp | bgp | ospf | NUMBER ]
PREF := [ low | medium | high ]
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local ]
ENCAPHDR := [ MPLSLABEL [ ttl TTL ] |
             id TUNNELID dst REMOTE_IP [ src SRC ] [ tos TOS | tc TC ] [ ttl TTL | hoplimit HL ]
             [ key ] [ csum ] [ seq ] |
             mode [ encap | inline | l2encap ] segs ADDR1,ADDRi,ADDRn [ hmac HMACKEYID ] |
             action SEG6_ACTION [ SEG6_ACTION_PARAM ] ]
SEG6_ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 | End.DT6 | End.DT4 |
                 End.DT46 | End.B6 | End.B6.Encaps | End.BM | End.S | End.AS | End.AM | End.BPF }
SEG6_ACTION_PARAM := { table TABLE | vrftable TABLE | nh4 ADDR | nh6 ADDR | iif DEV |
                       oif DEV | srh segs ADDR1,ADDRi,ADDRn [ hmac HMACKEYID ] }
"#;

/// `rtnl rule help`.
pub const RULE: &str = r#"Usage: rtnl rule { add | del } SELECTOR ACTION
       rtnl rule flush
       rtnl rule { show | list }
       rtnl rule help
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ ipproto PROTOCOL ] [ protocol PROTO ]
ACTION := [ table TABLE_ID ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
TABLE_ID := [ local | main | default | NUMBER ]
"#;

/// `rtnl neigh help`.
pub const NEIGH: &str = r#"Usage: rtnl neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

       rtnl neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
                [ unused ]

       rtnl neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
"#;

/// `rtnl fdb help`.
pub const FDB: &str = r#"Usage: rtnl fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
              [ src_vni VNI ]
       rtnl fdb [ show [ br BRDEV ] [ brport DEV ] ]
       rtnl fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       rtnl fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
"#;

/// `rtnl mdb help`.
pub const MDB: &str = r#"Usage: rtnl mdb { add | del } dev DEV port PORT grp GROUP [ src SOURCE ]
              [ permanent | temp ] [ vid VID ] [ filter_mode { include | exclude } ]
              [ source_list SOURCE_LIST ] [ proto PROTO ] [ dst IPADDR ]
              [ dst_port DST_PORT ] [ vni VNI ] [ src_vni SRC_VNI ] [ via DEV ]
       rtnl mdb { show } [ dev DEV ]
SOURCE_LIST := SOURCE[,SOURCE...]
"#;

/// `rtnl vni help`.
pub const VNI: &str = r#"Usage: rtnl vni { add | delete } vni VNI
              [ { group | remote } IP_ADDRESS ]
              [ dev DEV ]
       rtnl vni { show } [ dev DEV ]

Where:	VNI	:= 0-16777215 (or a range VNI-VNI, or a list VNI,VNI...)
"#;

/// `rtnl ntable help`.
pub const NTABLE: &str = r#"Usage: rtnl ntable change name NAME [ dev DEV ]
          [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
          [ PARMS ]
       rtnl ntable show [ dev DEV ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]
"#;

/// `rtnl vlan help`.
pub const VLAN: &str = r#"Usage: rtnl vlan { add | del } vid VLAN_ID dev DEV [ pvid ] [ untagged ]
                                                   [ self ] [ master ]
       rtnl vlan set vid VLAN_ID dev DEV [ state STP_STATE ]
                                        [ mcast_router MULTICAST_ROUTER ]
       rtnl vlan { show } [ dev DEV ]
"#;

/// `rtnl brlink help`.
pub const BRLINK: &str = r#"Usage: rtnl brlink set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       rtnl brlink show [dev DEV]
"#;

/// `rtnl qdisc|class|filter help`.
pub const TC: &str = r#"Usage: rtnl qdisc [ add | del | replace | change ] dev STRING
       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]
       [ QDISC_KIND [ help | OPTIONS ] ]
       rtnl class [ add | del | change | replace ] dev STRING
       [ classid CLASSID ] [ root | parent CLASSID ]
       [ QDISC_KIND [ help | OPTIONS ] ]
       rtnl filter [ add | del | change | replace ] dev STRING
       [ pref PRIO ] [ protocol PROTO ] [ chain CHAIN_INDEX ]
       [ root | ingress | egress | parent CLASSID ] [ handle FILTERID ]
       [ FILTER_KIND [ help | OPTIONS ] ]
QDISC_KIND := { htb | tbf | pfifo | bfifo | ingress | clsact | ... }
FILTER_KIND := { u32 | fw | route | basic | matchall | flower | ... }
"#;

/// `rtnl actions help` (tc's `act_usage`; exit 255 as tc).
pub const ACTION: &str = r#"Usage: rtnl actions <ACTSPECOP>*
Where:  ACTSPECOP := ACR | GD | FL
        ACR := add | change | replace <ACTSPEC>*
        GD := get | delete | <ACTISPEC>*
        FL := ls | list | flush | <ACTNAMESPEC>
        ACTNAMESPEC :=  action <ACTNAME>
        ACTISPEC := <ACTNAMESPEC> <INDEXSPEC>
        ACTSPEC := action <ACTDETAIL> [ INDEXSPEC ] [ cookie HEX ]
        INDEXSPEC := index <32 bit indexvalue>
        ACTDETAIL := <ACTNAME> <ACTPARAMS>
                ACTNAME is mirred, gact (or a bare verdict: drop, pass, pipe,
                reclassify, continue, trap, goto chain N, jump N), police, skbedit,
                vlan, csum, tunnel_key, sample, connmark, nat, mpls ...
                Each action has its own parameters (ACTPARAMS): mirred
                { egress | ingress } { mirror | redirect } dev DEV [ VERDICT ];
                police rate RATE burst SIZE [ conform-exceed EXCEED[/CONFORM] ]
"#;

/// `rtnl chain help` (tc's `chain_usage`; exit 0 as tc).
pub const CHAIN: &str = r#"Usage: rtnl chain [ add | del | get | show ] [ dev STRING ]
       [ root | ingress | egress | parent CLASSID ] [ chain CHAIN_INDEX ]
       [ FILTER_KIND [ OPTIONS ] ]   (add: the chain's template)
"#;

/// `rtnl nexthop help`.
pub const NEXTHOP: &str = r#"Usage: rtnl nexthop { list | flush } [ protocol ID ] SELECTOR
       rtnl nexthop { add | replace } id ID NH [ protocol ID ]
       rtnl nexthop { get | del } id ID
       rtnl nexthop bucket list BUCKET_SELECTOR
       rtnl nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ master DEV ] [ groups ] [ fdb ]
BUCKET_SELECTOR := [ id ID ] [ dev DEV ] [ master DEV ] [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := { mpls | ip | ip6 | seg6 | seg6local }
ENCAPHDR := as for routes (rtnl route help)
"#;
