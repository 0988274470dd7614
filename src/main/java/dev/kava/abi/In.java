package dev.kava.abi;

/** IPv4 protocol numbers, socket options and addresses (include/uapi/linux/in.h). */
public final class In {
    private In() {}

    // ---- IPPROTO_*: the protocol field of the IP header and socket()'s protocol
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_IGMP = 2;
    public static final int IPPROTO_IPIP = 4;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_EGP = 8;
    public static final int IPPROTO_PUP = 12;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IDP = 22;
    public static final int IPPROTO_TP = 29;
    public static final int IPPROTO_DCCP = 33;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_RSVP = 46;
    public static final int IPPROTO_GRE = 47;
    public static final int IPPROTO_ESP = 50;
    public static final int IPPROTO_AH = 51;
    public static final int IPPROTO_MTP = 92;
    public static final int IPPROTO_BEETPH = 94;
    public static final int IPPROTO_ENCAP = 98;
    public static final int IPPROTO_PIM = 103;
    public static final int IPPROTO_COMP = 108;
    public static final int IPPROTO_L2TP = 115;
    public static final int IPPROTO_SCTP = 132;
    public static final int IPPROTO_UDPLITE = 136;
    public static final int IPPROTO_MPLS = 137;
    public static final int IPPROTO_ETHERNET = 143;
    public static final int IPPROTO_AGGFRAG = 144;
    public static final int IPPROTO_RAW = 255;
    public static final int IPPROTO_SMC = 256;
    public static final int IPPROTO_MPTCP = 262;
    public static final int IPPROTO_MAX = 263;

    // ---- SOL_IP socket options
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    public static final int IP_HDRINCL = 3;
    public static final int IP_OPTIONS = 4;
    public static final int IP_ROUTER_ALERT = 5;
    public static final int IP_RECVOPTS = 6;
    public static final int IP_RETOPTS = 7;
    public static final int IP_PKTINFO = 8;
    public static final int IP_PKTOPTIONS = 9;
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IP_RECVERR = 11;
    public static final int IP_RECVTTL = 12;
    public static final int IP_RECVTOS = 13;
    public static final int IP_MTU = 14;
    public static final int IP_FREEBIND = 15;
    public static final int IP_IPSEC_POLICY = 16;
    public static final int IP_XFRM_POLICY = 17;
    public static final int IP_PASSSEC = 18;
    public static final int IP_TRANSPARENT = 19;
    public static final int IP_ORIGDSTADDR = 20;
    public static final int IP_RECVORIGDSTADDR = IP_ORIGDSTADDR;
    public static final int IP_MINTTL = 21;
    public static final int IP_NODEFRAG = 22;
    public static final int IP_CHECKSUM = 23;
    public static final int IP_BIND_ADDRESS_NO_PORT = 24;
    public static final int IP_RECVFRAGSIZE = 25;
    public static final int IP_RECVERR_RFC4884 = 26;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;
    public static final int IP_UNBLOCK_SOURCE = 37;
    public static final int IP_BLOCK_SOURCE = 38;
    public static final int IP_ADD_SOURCE_MEMBERSHIP = 39;
    public static final int IP_DROP_SOURCE_MEMBERSHIP = 40;
    public static final int IP_MSFILTER = 41;
    public static final int IP_MULTICAST_ALL = 49;
    public static final int IP_UNICAST_IF = 50;
    public static final int IP_LOCAL_PORT_RANGE = 51;
    public static final int IP_PROTOCOL = 52;

    /** IP_MTU_DISCOVER values. */
    public static final int IP_PMTUDISC_DONT = 0;
    public static final int IP_PMTUDISC_WANT = 1;
    public static final int IP_PMTUDISC_DO = 2;
    public static final int IP_PMTUDISC_PROBE = 3;
    public static final int IP_PMTUDISC_INTERFACE = 4;
    public static final int IP_PMTUDISC_OMIT = 5;

    /** IP_DEFAULT_MULTICAST_TTL, IP_DEFAULT_MULTICAST_LOOP */
    public static final int IP_DEFAULT_MULTICAST_TTL = 1;
    public static final int IP_DEFAULT_MULTICAST_LOOP = 1;

    // ---- addresses (host byte order here; the wire and sockaddr_in carry them big-endian)
    public static final int INADDR_ANY = 0;
    public static final int INADDR_BROADCAST = 0xffffffff;
    public static final int INADDR_NONE = 0xffffffff;
    public static final int INADDR_LOOPBACK = 0x7f000001;
    /** IN_LOOPBACKNET: the class A network 127. */
    public static final int IN_LOOPBACKNET = 127;

    // ---- struct sockaddr_in: sin_family (2), sin_port (2, big-endian), sin_addr (4, big-endian), sin_zero (8)
    public static final int SOCKADDR_IN_SIZE = 16;
    public static final int SIN_PORT = 2;
    public static final int SIN_ADDR = 4;

    /** struct in_pktinfo: ipi_ifindex, ipi_spec_dst, ipi_addr. */
    public static final int IN_PKTINFO_SIZE = 12;
}
