package dev.kava.abi;

/**
 * TCP: the header's flags, option kinds, socket options, struct tcp_info
 * (include/uapi/linux/tcp.h) and the connection states (include/net/tcp_states.h).
 */
public final class Tcp {
    private Tcp() {}

    // ---- include/net/tcp_states.h
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_FIN_WAIT1 = 4;
    public static final int TCP_FIN_WAIT2 = 5;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_CLOSE_WAIT = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_LISTEN = 10;
    public static final int TCP_CLOSING = 11;
    public static final int TCP_NEW_SYN_RECV = 12;

    // ---- struct tcphdr: offsets and the flag byte (tcp_flag_byte, include/net/tcp.h TCPHDR_*)
    public static final int SOURCE = 0, DEST = 2, SEQ = 4, ACK_SEQ = 8, DOFF = 12, FLAGS = 13, WINDOW = 14, CHECK = 16,
            URG_PTR = 18;
    public static final int HDR_LEN = 20;
    public static final int TCPHDR_FIN = 0x01, TCPHDR_SYN = 0x02, TCPHDR_RST = 0x04, TCPHDR_PSH = 0x08,
            TCPHDR_ACK = 0x10, TCPHDR_URG = 0x20, TCPHDR_ECE = 0x40, TCPHDR_CWR = 0x80;
    /** TCPHDR_AE: the AccECN bit, the lowest of res1 (byte 12 bit 0). */
    public static final int TCPHDR_AE = 0x100;

    // ---- option kinds and lengths (include/net/tcp.h)
    public static final int TCPOPT_NOP = 1, TCPOPT_EOL = 0, TCPOPT_MSS = 2, TCPOPT_WINDOW = 3, TCPOPT_SACK_PERM = 4,
            TCPOPT_SACK = 5, TCPOPT_TIMESTAMP = 8, TCPOPT_MD5SIG = 19;
    public static final int TCPOLEN_MSS = 4, TCPOLEN_WINDOW = 3, TCPOLEN_SACK_PERM = 2, TCPOLEN_TIMESTAMP = 10;
    public static final int TCPOLEN_TSTAMP_ALIGNED = 12, TCPOLEN_SACK_BASE = 2, TCPOLEN_SACK_PERBLOCK = 8;
    /** TCP_MAX_WSCALE */
    public static final int TCP_MAX_WSCALE = 14;
    /** TCP_MSS_DEFAULT (IPv4, RFC 1122) */
    public static final int TCP_MSS_DEFAULT = 536;
    /** TCP_MIN_MSS */
    public static final int TCP_MIN_MSS = 88;
    /** MAX_TCP_WINDOW */
    public static final int MAX_TCP_WINDOW = 32767;
    /** TCP_MAX_WINDOW: the largest unscaled window field */
    public static final int U16_MAX = 0xffff;

    // ---- SOL_TCP socket options
    public static final int TCP_NODELAY = 1;
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_CORK = 3;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_SYNCNT = 7;
    public static final int TCP_LINGER2 = 8;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_WINDOW_CLAMP = 10;
    public static final int TCP_INFO = 11;
    public static final int TCP_QUICKACK = 12;
    public static final int TCP_CONGESTION = 13;
    public static final int TCP_MD5SIG = 14;
    public static final int TCP_THIN_LINEAR_TIMEOUTS = 16;
    public static final int TCP_THIN_DUPACK = 17;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int TCP_REPAIR = 19;
    public static final int TCP_REPAIR_QUEUE = 20;
    public static final int TCP_QUEUE_SEQ = 21;
    public static final int TCP_REPAIR_OPTIONS = 22;
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_TIMESTAMP = 24;
    public static final int TCP_NOTSENT_LOWAT = 25;
    public static final int TCP_CC_INFO = 26;
    public static final int TCP_SAVE_SYN = 27;
    public static final int TCP_SAVED_SYN = 28;
    public static final int TCP_REPAIR_WINDOW = 29;
    public static final int TCP_FASTOPEN_CONNECT = 30;
    public static final int TCP_ULP = 31;
    public static final int TCP_MD5SIG_EXT = 32;
    public static final int TCP_FASTOPEN_KEY = 33;
    public static final int TCP_FASTOPEN_NO_COOKIE = 34;
    public static final int TCP_ZEROCOPY_RECEIVE = 35;
    public static final int TCP_INQ = 36;
    public static final int TCP_TX_DELAY = 37;

    // ---- include/net/tcp.h limits of the options
    /** MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL (seconds), MAX_TCP_KEEPCNT */
    public static final int MAX_TCP_KEEPIDLE = 32767, MAX_TCP_KEEPINTVL = 32767, MAX_TCP_KEEPCNT = 127;
    /** MAX_TCP_SYNCNT */
    public static final int MAX_TCP_SYNCNT = 127;
    /** TCP_CA_NAME_MAX */
    public static final int TCP_CA_NAME_MAX = 16;
    /** TCP_MAX_QUICKACKS */
    public static final int TCP_MAX_QUICKACKS = 16;

    // ---- tcp_info
    public static final int TCPI_OPT_TIMESTAMPS = 1, TCPI_OPT_SACK = 2, TCPI_OPT_WSCALE = 4, TCPI_OPT_ECN = 8,
            TCPI_OPT_ECN_SEEN = 16, TCPI_OPT_SYN_DATA = 32, TCPI_OPT_USEC_TS = 64, TCPI_OPT_TFO_CHILD = 128;
    /** enum tcp_ca_state */
    public static final int TCP_CA_Open = 0, TCP_CA_Disorder = 1, TCP_CA_CWR = 2, TCP_CA_Recovery = 3, TCP_CA_Loss = 4;

    /** struct tcp_info field offsets (include/uapi/linux/tcp.h, with the AccECN counters of Linux 6.18). */
    public static final int TCPI_STATE = 0, TCPI_CA_STATE = 1, TCPI_RETRANSMITS = 2, TCPI_PROBES = 3, TCPI_BACKOFF = 4,
            TCPI_OPTIONS = 5, TCPI_WSCALE = 6, TCPI_APP_LIMITED = 7, TCPI_RTO = 8, TCPI_ATO = 12, TCPI_SND_MSS = 16,
            TCPI_RCV_MSS = 20, TCPI_UNACKED = 24, TCPI_SACKED = 28, TCPI_LOST = 32, TCPI_RETRANS = 36, TCPI_FACKETS = 40,
            TCPI_LAST_DATA_SENT = 44, TCPI_LAST_ACK_SENT = 48, TCPI_LAST_DATA_RECV = 52, TCPI_LAST_ACK_RECV = 56,
            TCPI_PMTU = 60, TCPI_RCV_SSTHRESH = 64, TCPI_RTT = 68, TCPI_RTTVAR = 72, TCPI_SND_SSTHRESH = 76,
            TCPI_SND_CWND = 80, TCPI_ADVMSS = 84, TCPI_REORDERING = 88, TCPI_RCV_RTT = 92, TCPI_RCV_SPACE = 96,
            TCPI_TOTAL_RETRANS = 100, TCPI_PACING_RATE = 104, TCPI_MAX_PACING_RATE = 112, TCPI_BYTES_ACKED = 120,
            TCPI_BYTES_RECEIVED = 128, TCPI_SEGS_OUT = 136, TCPI_SEGS_IN = 140, TCPI_NOTSENT_BYTES = 144,
            TCPI_MIN_RTT = 148, TCPI_DATA_SEGS_IN = 152, TCPI_DATA_SEGS_OUT = 156, TCPI_DELIVERY_RATE = 160,
            TCPI_BUSY_TIME = 168, TCPI_RWND_LIMITED = 176, TCPI_SNDBUF_LIMITED = 184, TCPI_DELIVERED = 192,
            TCPI_DELIVERED_CE = 196, TCPI_BYTES_SENT = 200, TCPI_BYTES_RETRANS = 208, TCPI_DSACK_DUPS = 216,
            TCPI_REORD_SEEN = 220, TCPI_RCV_OOOPACK = 224, TCPI_SND_WND = 228, TCPI_RCV_WND = 232, TCPI_REHASH = 236,
            TCPI_TOTAL_RTO = 240, TCPI_TOTAL_RTO_RECOVERIES = 242, TCPI_TOTAL_RTO_TIME = 244, TCPI_RECEIVED_CE = 248,
            TCPI_DELIVERED_E1_BYTES = 252, TCPI_DELIVERED_E0_BYTES = 256, TCPI_DELIVERED_CE_BYTES = 260,
            TCPI_RECEIVED_E1_BYTES = 264, TCPI_RECEIVED_E0_BYTES = 268, TCPI_RECEIVED_CE_BYTES = 272,
            TCPI_ACCECN_FAIL_MODE = 276, TCPI_ACCECN_OPT_SEEN = 278;
    /** sizeof(struct tcp_info) */
    public static final int TCP_INFO_SIZE = 280;
}
