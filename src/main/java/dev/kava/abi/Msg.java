package dev.kava.abi;

/**
 * System V message queue ABI (include/uapi/linux/msg.h; include/uapi/asm-generic/msgbuf.h for
 * the 64-bit struct msqid64_ds).
 */
public final class Msg {
    private Msg() {}

    /** msgctl commands. */
    public static final int MSG_STAT = 11;
    public static final int MSG_INFO = 12;
    public static final int MSG_STAT_ANY = 13;

    /** msgrcv flags. */
    public static final int MSG_NOERROR = 010000;
    public static final int MSG_EXCEPT = 020000;
    public static final int MSG_COPY = 040000;

    /** Default limits. */
    public static final int MSGMNI = 32000;
    public static final int MSGMAX = 8192;
    public static final int MSGMNB = 16384;
    public static final int MSGPOOL = MSGMNI * MSGMNB / 1024;
    public static final int MSGTQL = MSGMNB;
    public static final int MSGMAP = MSGMNB;
    public static final int MSGSSZ = 16;
    private static final int MSGSEG_RAW = (MSGPOOL * 1024) / MSGSSZ;
    public static final int MSGSEG = MSGSEG_RAW <= 0xffff ? MSGSEG_RAW : 0xffff;

    /**
     * struct msqid64_ds (64-bit): msg_perm 0, msg_stime 48, msg_rtime 56, msg_ctime 64,
     * msg_cbytes 72, msg_qnum 80, msg_qbytes 88, msg_lspid 96, msg_lrpid 100, two unused longs;
     * 120 bytes.
     */
    public static final int MSQID64_DS_SIZE = 120;
    public static final int MSG_STIME = 48, MSG_RTIME = 56, MSG_CTIME = 64, MSG_CBYTES = 72, MSG_QNUM = 80,
            MSG_QBYTES = 88, MSG_LSPID = 96, MSG_LRPID = 100;

    /** struct msginfo: seven ints then an unsigned short msgseg; 32 bytes. */
    public static final int MSGINFO_SIZE = 32;

    /** struct msgbuf: a long mtype, then the text. */
    public static final int MSGBUF_MTEXT = 8;
}
