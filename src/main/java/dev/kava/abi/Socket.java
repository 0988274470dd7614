package dev.kava.abi;

/**
 * The socket ABI: address families, socket types, send/recv flags, option levels and names,
 * control message types and the user structures of the socket syscalls (riscv64, LP64).
 */
public final class Socket {
    private Socket() {}

    // ---- include/linux/socket.h: address families

    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_LOCAL = 1;
    public static final int AF_INET = 2;
    public static final int AF_AX25 = 3;
    public static final int AF_IPX = 4;
    public static final int AF_APPLETALK = 5;
    public static final int AF_NETROM = 6;
    public static final int AF_BRIDGE = 7;
    public static final int AF_ATMPVC = 8;
    public static final int AF_X25 = 9;
    public static final int AF_INET6 = 10;
    public static final int AF_ROSE = 11;
    public static final int AF_DECnet = 12;
    public static final int AF_NETBEUI = 13;
    public static final int AF_SECURITY = 14;
    public static final int AF_KEY = 15;
    public static final int AF_NETLINK = 16;
    public static final int AF_ROUTE = AF_NETLINK;
    public static final int AF_PACKET = 17;
    public static final int AF_ASH = 18;
    public static final int AF_ECONET = 19;
    public static final int AF_ATMSVC = 20;
    public static final int AF_RDS = 21;
    public static final int AF_SNA = 22;
    public static final int AF_IRDA = 23;
    public static final int AF_PPPOX = 24;
    public static final int AF_WANPIPE = 25;
    public static final int AF_LLC = 26;
    public static final int AF_IB = 27;
    public static final int AF_MPLS = 28;
    public static final int AF_CAN = 29;
    public static final int AF_TIPC = 30;
    public static final int AF_BLUETOOTH = 31;
    public static final int AF_IUCV = 32;
    public static final int AF_RXRPC = 33;
    public static final int AF_ISDN = 34;
    public static final int AF_PHONET = 35;
    public static final int AF_IEEE802154 = 36;
    public static final int AF_CAIF = 37;
    public static final int AF_ALG = 38;
    public static final int AF_NFC = 39;
    public static final int AF_VSOCK = 40;
    public static final int AF_KCM = 41;
    public static final int AF_QIPCRTR = 42;
    public static final int AF_SMC = 43;
    public static final int AF_XDP = 44;
    public static final int AF_MCTP = 45;
    public static final int AF_MAX = 46;
    /** include/uapi/linux/net.h: NPROTO is AF_MAX. */
    public static final int NPROTO = AF_MAX;

    /** include/linux/socket.h: SOMAXCONN, the default of net.core.somaxconn. */
    public static final int SOMAXCONN = 4096;

    /** include/linux/net.h: enum sock_shutdown_cmd, shutdown()'s how. */
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    // ---- include/linux/net.h: enum sock_type, and the flags socket() takes in its type

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_DCCP = 6;
    public static final int SOCK_PACKET = 10;
    /** SOCK_MAX: SOCK_PACKET + 1. */
    public static final int SOCK_MAX = SOCK_PACKET + 1;
    /** The low bits of type are the type; the rest flags. */
    public static final int SOCK_TYPE_MASK = 0xf;
    /** SOCK_CLOEXEC is O_CLOEXEC. */
    public static final int SOCK_CLOEXEC = Fcntl.O_CLOEXEC;
    /** SOCK_NONBLOCK is O_NONBLOCK (include/linux/net.h, not arch-overridden on riscv). */
    public static final int SOCK_NONBLOCK = Fcntl.O_NONBLOCK;

    // ---- include/uapi/linux/net.h

    public static final int SS_FREE = 0;
    public static final int SS_UNCONNECTED = 1;
    public static final int SS_CONNECTING = 2;
    public static final int SS_CONNECTED = 3;
    public static final int SS_DISCONNECTING = 4;
    /** __SO_ACCEPTCON: performed a listen (the Flags column of /proc/net/unix). */
    public static final int __SO_ACCEPTCON = 1 << 16;

    // ---- include/linux/socket.h: send/recv flags

    public static final int MSG_OOB = 1;
    public static final int MSG_PEEK = 2;
    public static final int MSG_DONTROUTE = 4;
    public static final int MSG_TRYHARD = 4;
    public static final int MSG_CTRUNC = 8;
    public static final int MSG_PROBE = 0x10;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_EOR = 0x80;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_FIN = 0x200;
    public static final int MSG_SYN = 0x400;
    public static final int MSG_CONFIRM = 0x800;
    public static final int MSG_RST = 0x1000;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int MSG_SENDPAGE_NOPOLICY = 0x10000;
    public static final int MSG_BATCH = 0x40000;
    public static final int MSG_EOF = MSG_FIN;
    public static final int MSG_NO_SHARED_FRAGS = 0x80000;
    public static final int MSG_SENDPAGE_DECRYPTED = 0x100000;
    public static final int MSG_SOCK_DEVMEM = 0x2000000;
    public static final int MSG_ZEROCOPY = 0x4000000;
    public static final int MSG_SPLICE_PAGES = 0x8000000;
    public static final int MSG_FASTOPEN = 0x20000000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** MSG_CMSG_COMPAT: riscv64 kernels have CONFIG_COMPAT (rv32 binaries), so user callers of sendmsg/recvmsg get EINVAL for it. */
    public static final int MSG_CMSG_COMPAT = 0x80000000;
    /** Flags the kernel keeps to itself: cleared from what user space passes to sendmsg. */
    public static final int MSG_INTERNAL_SENDMSG_FLAGS = MSG_SPLICE_PAGES | MSG_SENDPAGE_NOPOLICY | MSG_SENDPAGE_DECRYPTED;

    // ---- include/linux/socket.h: setsockopt levels (those matching IPPROTO_xxx)

    public static final int SOL_IP = 0;
    public static final int SOL_TCP = 6;
    public static final int SOL_UDP = 17;
    public static final int SOL_IPV6 = 41;
    public static final int SOL_ICMPV6 = 58;
    public static final int SOL_SCTP = 132;
    public static final int SOL_UDPLITE = 136;
    public static final int SOL_RAW = 255;
    public static final int SOL_PACKET = 263;
    public static final int SOL_NETLINK = 270;

    // ---- include/linux/socket.h: "socket"-level control message types

    public static final int SCM_RIGHTS = 0x01;
    public static final int SCM_CREDENTIALS = 0x02;
    public static final int SCM_SECURITY = 0x03;
    public static final int SCM_PIDFD = 0x04;

    // ---- include/uapi/asm-generic/socket.h (riscv64 uses the generic one)

    public static final int SOL_SOCKET = 1;

    public static final int SO_DEBUG = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_NO_CHECK = 11;
    public static final int SO_PRIORITY = 12;
    public static final int SO_LINGER = 13;
    public static final int SO_BSDCOMPAT = 14;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    public static final int SO_RCVTIMEO_OLD = 20;
    public static final int SO_SNDTIMEO_OLD = 21;
    public static final int SO_SECURITY_AUTHENTICATION = 22;
    public static final int SO_SECURITY_ENCRYPTION_TRANSPORT = 23;
    public static final int SO_SECURITY_ENCRYPTION_NETWORK = 24;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_DETACH_FILTER = 27;
    public static final int SO_GET_FILTER = SO_ATTACH_FILTER;
    public static final int SO_PEERNAME = 28;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_PEERSEC = 31;
    public static final int SO_PASSSEC = 34;
    public static final int SO_MARK = 36;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int SO_RXQ_OVFL = 40;
    public static final int SO_WIFI_STATUS = 41;
    public static final int SO_PEEK_OFF = 42;
    public static final int SO_NOFCS = 43;
    public static final int SO_LOCK_FILTER = 44;
    public static final int SO_SELECT_ERR_QUEUE = 45;
    public static final int SO_BUSY_POLL = 46;
    public static final int SO_MAX_PACING_RATE = 47;
    public static final int SO_BPF_EXTENSIONS = 48;
    public static final int SO_INCOMING_CPU = 49;
    public static final int SO_ATTACH_BPF = 50;
    public static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    public static final int SO_ATTACH_REUSEPORT_EBPF = 52;
    public static final int SO_CNX_ADVICE = 53;
    public static final int SO_MEMINFO = 55;
    public static final int SO_INCOMING_NAPI_ID = 56;
    public static final int SO_COOKIE = 57;
    public static final int SO_PEERGROUPS = 59;
    public static final int SO_ZEROCOPY = 60;
    public static final int SO_TXTIME = 61;
    public static final int SO_BINDTOIFINDEX = 62;
    public static final int SO_TIMESTAMP_OLD = 29;
    public static final int SO_TIMESTAMPNS_OLD = 35;
    public static final int SO_TIMESTAMPING_OLD = 37;
    public static final int SO_TIMESTAMP_NEW = 63;
    public static final int SO_TIMESTAMPNS_NEW = 64;
    public static final int SO_TIMESTAMPING_NEW = 65;
    public static final int SO_RCVTIMEO_NEW = 66;
    public static final int SO_SNDTIMEO_NEW = 67;
    public static final int SO_DETACH_REUSEPORT_BPF = 68;
    public static final int SO_PREFER_BUSY_POLL = 69;
    public static final int SO_BUSY_POLL_BUDGET = 70;
    public static final int SO_NETNS_COOKIE = 71;
    public static final int SO_BUF_LOCK = 72;
    public static final int SO_RESERVE_MEM = 73;
    public static final int SO_TXREHASH = 74;
    public static final int SO_RCVMARK = 75;
    public static final int SO_PASSPIDFD = 76;
    public static final int SO_PEERPIDFD = 77;

    /** On 64-bit the plain names are the _OLD ones (struct timeval of two longs). */
    public static final int SO_TIMESTAMP = SO_TIMESTAMP_OLD;
    public static final int SO_TIMESTAMPNS = SO_TIMESTAMPNS_OLD;
    public static final int SO_TIMESTAMPING = SO_TIMESTAMPING_OLD;
    public static final int SO_RCVTIMEO = SO_RCVTIMEO_OLD;
    public static final int SO_SNDTIMEO = SO_SNDTIMEO_OLD;
    public static final int SCM_TIMESTAMP = SO_TIMESTAMP;
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;

    // ---- include/uapi/asm-generic/sockios.h and include/uapi/linux/sockios.h

    public static final int FIOSETOWN = 0x8901;
    public static final int SIOCSPGRP = 0x8902;
    public static final int FIOGETOWN = 0x8903;
    public static final int SIOCGPGRP = 0x8904;
    public static final int SIOCATMARK = 0x8905;
    public static final int SIOCGSTAMP_OLD = 0x8906;
    public static final int SIOCGSTAMPNS_OLD = 0x8907;
    /** SIOCINQ is FIONREAD, SIOCOUTQ is TIOCOUTQ (include/uapi/linux/sockios.h). */
    public static final int SIOCINQ = Ioctls.FIONREAD;
    public static final int SIOCOUTQ = Ioctls.TIOCOUTQ;
    /** SIOCPROTOPRIVATE: 0x89E0 to 0x89EF belong to the protocol. */
    public static final int SIOCPROTOPRIVATE = 0x89E0;

    // ---- include/uapi/linux/socket.h, include/linux/socket.h: structure sizes and layouts (LP64)

    /** sizeof(struct __kernel_sockaddr_storage). */
    public static final int SOCKADDR_STORAGE_SIZE = 128;
    /** sizeof(sa_family_t). */
    public static final int SA_FAMILY_SIZE = 2;

    /** struct user_msghdr: 56 bytes. */
    public static final int MSGHDR_SIZE = 56;
    public static final int MSG_NAME = 0;
    public static final int MSG_NAMELEN = 8;
    public static final int MSG_IOV = 16;
    public static final int MSG_IOVLEN = 24;
    public static final int MSG_CONTROL = 32;
    public static final int MSG_CONTROLLEN = 40;
    public static final int MSG_FLAGS = 48;
    /** struct mmsghdr: the msghdr, then unsigned int msg_len, padded to 64 bytes. */
    public static final int MMSGHDR_SIZE = 64;
    public static final int MMSG_LEN = 56;

    /** struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type. */
    public static final int CMSGHDR_SIZE = 16;
    public static final int CMSG_LEN_OFF = 0;
    public static final int CMSG_LEVEL_OFF = 8;
    public static final int CMSG_TYPE_OFF = 12;

    /** CMSG_ALIGN: to sizeof(long). */
    public static long cmsgAlign(long len) {
        return (len + 7) & ~7L;
    }

    /** CMSG_LEN */
    public static long cmsgLen(long len) {
        return CMSGHDR_SIZE + len;
    }

    /** CMSG_SPACE */
    public static long cmsgSpace(long len) {
        return CMSGHDR_SIZE + cmsgAlign(len);
    }

    /** struct ucred: pid, uid, gid (u32 each). */
    public static final int UCRED_SIZE = 12;
    /** struct linger: int l_onoff, int l_linger. */
    public static final int LINGER_SIZE = 8;
}
