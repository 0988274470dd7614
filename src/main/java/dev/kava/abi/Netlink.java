package dev.kava.abi;

/** Netlink sockets and messages (include/uapi/linux/netlink.h). */
public final class Netlink {
    private Netlink() {}

    // ---- protocols (socket(AF_NETLINK, type, protocol))
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_USERSOCK = 2;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_AUDIT = 9;
    public static final int NETLINK_KOBJECT_UEVENT = 15;
    public static final int NETLINK_GENERIC = 16;
    /** MAX_LINKS */
    public static final int MAX_LINKS = 32;

    /** struct sockaddr_nl: nl_family u16, nl_pad u16, nl_pid u32, nl_groups u32. */
    public static final int SOCKADDR_NL_SIZE = 12;
    public static final int NL_PID = 4;
    public static final int NL_GROUPS = 8;

    /** struct nlmsghdr: nlmsg_len u32, nlmsg_type u16, nlmsg_flags u16, nlmsg_seq u32, nlmsg_pid u32. */
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_ALIGNTO = 4;
    public static final int NLMSG_LEN = 0;
    public static final int NLMSG_TYPE = 4;
    public static final int NLMSG_FLAGS = 6;
    public static final int NLMSG_SEQ = 8;
    public static final int NLMSG_PID = 12;

    /** nlmsg_flags */
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    /** Modifiers to GET requests. */
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_ATOMIC = 0x400;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** Modifiers to NEW requests. */
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** Flags for ACK messages. */
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** Control message types. */
    public static final int NLMSG_NOOP = 0x1;
    public static final int NLMSG_ERROR = 0x2;
    public static final int NLMSG_DONE = 0x3;
    public static final int NLMSG_OVERRUN = 0x4;
    public static final int NLMSG_MIN_TYPE = 0x10;

    /** struct nlmsgerr: int error, then the offending struct nlmsghdr (and its payload unless capped). */
    public static final int NLMSGERR_SIZE = 4 + NLMSG_HDRLEN;

    /** enum nlmsgerr_attrs */
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    // ---- SOL_NETLINK socket options
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_PKTINFO = 3;
    public static final int NETLINK_BROADCAST_ERROR = 4;
    public static final int NETLINK_NO_ENOBUFS = 5;
    public static final int NETLINK_RX_RING = 6;
    public static final int NETLINK_TX_RING = 7;
    public static final int NETLINK_LISTEN_ALL_NSID = 8;
    public static final int NETLINK_LIST_MEMBERSHIPS = 9;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;

    /** struct nlattr: nla_len u16, nla_type u16. */
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_ALIGNTO = 4;
    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    /** NLMSG_ALIGN / NLA_ALIGN */
    public static int align(int len) {
        return (len + 3) & ~3;
    }
}
