package dev.kava.abi;

/** ICMP for IPv4 (include/uapi/linux/icmp.h). */
public final class Icmp {
    private Icmp() {}

    public static final int ICMP_ECHOREPLY = 0;
    public static final int ICMP_DEST_UNREACH = 3;
    public static final int ICMP_SOURCE_QUENCH = 4;
    public static final int ICMP_REDIRECT = 5;
    public static final int ICMP_ECHO = 8;
    public static final int ICMP_TIME_EXCEEDED = 11;
    public static final int ICMP_PARAMETERPROB = 12;
    public static final int ICMP_TIMESTAMP = 13;
    public static final int ICMP_TIMESTAMPREPLY = 14;
    public static final int ICMP_INFO_REQUEST = 15;
    public static final int ICMP_INFO_REPLY = 16;
    public static final int ICMP_ADDRESS = 17;
    public static final int ICMP_ADDRESSREPLY = 18;
    public static final int NR_ICMP_TYPES = 18;

    /** Codes for ICMP_DEST_UNREACH. */
    public static final int ICMP_NET_UNREACH = 0;
    public static final int ICMP_HOST_UNREACH = 1;
    public static final int ICMP_PROT_UNREACH = 2;
    public static final int ICMP_PORT_UNREACH = 3;
    public static final int ICMP_FRAG_NEEDED = 4;
    public static final int ICMP_SR_FAILED = 5;
    public static final int ICMP_NET_UNKNOWN = 6;
    public static final int ICMP_HOST_UNKNOWN = 7;
    public static final int ICMP_HOST_ISOLATED = 8;
    public static final int ICMP_NET_ANO = 9;
    public static final int ICMP_HOST_ANO = 10;
    public static final int ICMP_NET_UNR_TOS = 11;
    public static final int ICMP_HOST_UNR_TOS = 12;
    public static final int ICMP_PKT_FILTERED = 13;
    public static final int ICMP_PREC_VIOLATION = 14;
    public static final int ICMP_PREC_CUTOFF = 15;
    public static final int NR_ICMP_UNREACH = 15;

    /** Codes for ICMP_TIME_EXCEEDED. */
    public static final int ICMP_EXC_TTL = 0;
    public static final int ICMP_EXC_FRAGTIME = 1;

    /** ICMP_FILTER: the SOL_RAW option of raw ICMP sockets (a 32-bit mask of types to drop). */
    public static final int ICMP_FILTER = 1;

    /** sizeof(struct icmphdr): type, code, checksum, and 4 bytes of echo id/sequence (or gateway, or mtu). */
    public static final int ICMP_HDR_LEN = 8;
}
