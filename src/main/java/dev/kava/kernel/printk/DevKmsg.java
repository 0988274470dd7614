package dev.kava.kernel.printk;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Syslog;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.KernelLog;
import dev.kava.kernel.Task;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * /dev/kmsg (devkmsg_* in kernel/printk/printk.c): each read returns one record of the kernel
 * log in the structured form "prio,seq,usec,-;text\n" (non-printable bytes escaped as \xNN),
 * from the oldest one still in the buffer; a reader that fell behind the ring gets EPIPE once
 * and continues at the oldest record. Each write adds one record, with an optional "<N>" prefix
 * giving its level and facility (LOG_USER by default), at most 10 records per 5 seconds per
 * open file (printk.devkmsg=ratelimit, the default): the rest are dropped as Linux drops them.
 * A writev adds one record per segment (Linux joins the segments into one).
 */
public final class DevKmsg extends File {
    /** PRINTKRB_RECORD_MAX (kernel/printk/internal.h): the longest write. */
    static final int PRINTKRB_RECORD_MAX = 1024;
    /** DEFAULT_RATELIMIT_INTERVAL (5 * HZ) and DEFAULT_RATELIMIT_BURST (include/linux/ratelimit_types.h). */
    static final long RATELIMIT_INTERVAL_NANOS = 5_000_000_000L;
    static final int RATELIMIT_BURST = 10;
    /** LOG_USER: the facility of records written without one. */
    static final int LOG_USER = 1;

    /** The next record this reader gets (user->seq); changed under readLock (user->lock). */
    private volatile long seq;
    private final Object readLock = new Object();
    /** Guards the ratelimit state (the ratelimit's own lock in Linux). */
    private final Object rsLock = new Object();
    private final KernelLog log;
    // struct ratelimit_state: the interval's start, the writes it allowed and the ones it dropped.
    private long rsBegin = Long.MIN_VALUE;
    private int rsPrinted, rsMissed;
    private String lastWriter = "";

    private DevKmsg(FsPath path, int flags, KernelLog log) {
        super(path, flags);
        this.log = log;
        this.seq = log.firstSeq();
    }

    /** devkmsg_open: readers need the right to read the whole log (check_syslog_permissions). */
    public static File open(Task t, Inode inode, FsPath path, int flags) {
        if ((flags & Fcntl.O_ACCMODE) != Fcntl.O_WRONLY
                && SyslogSyscalls.restricted(Syslog.SYSLOG_ACTION_READ_ALL) && !SyslogSyscalls.capSyslog(t)) {
            throw ErrnoException.of(Errno.EPERM);
        }
        return new DevKmsg(path, flags, t.kernel.log());
    }

    @Override
    public boolean isStream() {
        return true;
    }

    /** devkmsg_read: one whole record, or EINVAL if it does not fit (the record is skipped all the same). */
    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        synchronized (readLock) {
            return readRecord(t, dst, off, len);
        }
    }

    private int readRecord(Task t, byte[] dst, int off, int len) {
        KernelLog.Kmsg r;
        while ((r = log.kmsgFrom(seq)) == null) {
            if ((flags & Fcntl.O_NONBLOCK) != 0) throw ErrnoException.of(Errno.EAGAIN);
            long want = seq;
            if (t.waitEvent(log.logWait, () -> log.nextSeq() > want, Long.MAX_VALUE) != 0) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
        if (r.seq() != seq) {
            // Our next record was overwritten: report it once and go on from the oldest there is.
            seq = r.seq();
            throw ErrnoException.of(Errno.EPIPE);
        }
        byte[] line = format(r);
        seq = r.seq() + 1;
        if (line.length > len) throw ErrnoException.of(Errno.EINVAL);
        System.arraycopy(line, 0, dst, off, line.length);
        return line.length;
    }

    /** info_print_ext_header + msg_print_ext_body (without CONFIG_PRINTK_CALLER, as Debian builds). */
    static byte[] format(KernelLog.Kmsg r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String header = Integer.toUnsignedString(r.prio()) + "," + r.seq() + "," + (r.tsNanos() / 1000) + ",-;";
        b.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        for (byte x : r.text()) {
            int c = x & 0xff;
            if (c < ' ' || c >= 127 || c == '\\') b.writeBytes(String.format("\\x%02x", c).getBytes(StandardCharsets.US_ASCII));
            else b.write(c);
        }
        b.write('\n');
        return b.toByteArray();
    }

    /** devkmsg_write: one record; "<N>" in front sets level N & 7 and facility N >> 3 (when not 0). */
    @Override
    public int write(Task t, byte[] src, int off, int len) {
        if (len > PRINTKRB_RECORD_MAX) throw ErrnoException.of(Errno.EINVAL);
        if (!ratelimitAllows(t)) return len;
        // The buffer is a C string: it ends at the first NUL.
        int end = off;
        while (end < off + len && src[end] != 0) end++;
        int level = Syslog.LOGLEVEL_DEFAULT, facility = LOG_USER;
        int start = off;
        if (start < end && src[start] == '<') {
            // simple_strtoul(line + 1, &endp, 10): decimal digits, no sign, no spaces.
            int p = start + 1;
            long u = 0;
            while (p < end && src[p] >= '0' && src[p] <= '9') u = u * 10 + (src[p++] - '0');
            if (p < end && src[p] == '>') {
                int v = (int) u; // an unsigned int in Linux
                level = v & 7;
                if (((v >>> 3) & 0xff) != 0) facility = (v >>> 3) & 0xff;
                start = p + 1;
            }
        }
        byte[] text = java.util.Arrays.copyOfRange(src, start, end);
        log.emit(facility, level, text);
        return len;
    }

    /** ___ratelimit for this open file (RATELIMIT_MSG_ON_RELEASE: the count of dropped lines is logged at close). */
    private boolean ratelimitAllows(Task t) {
        synchronized (rsLock) {
            return ratelimit(t);
        }
    }

    private boolean ratelimit(Task t) {
        lastWriter = t.comm;
        long now = t.kernel.clock().monotonicNanos();
        if (rsBegin == Long.MIN_VALUE) rsBegin = now;
        if (now - rsBegin >= RATELIMIT_INTERVAL_NANOS) {
            rsBegin = now;
            rsPrinted = 0;
        }
        if (rsPrinted < RATELIMIT_BURST) {
            rsPrinted++;
            return true;
        }
        rsMissed++;
        return false;
    }

    /** devkmsg_llseek: only offset 0; SEEK_SET to the oldest record, SEEK_DATA to the syslog clear point, SEEK_END past the newest. */
    @Override
    public long lseek(long offset, int whence) {
        if (offset != 0) throw ErrnoException.of(Errno.ESPIPE);
        synchronized (readLock) {
            switch (whence) {
                case Fcntl.SEEK_SET -> seq = log.firstSeq();
                case Fcntl.SEEK_DATA -> seq = log.clearSeq();
                case Fcntl.SEEK_END -> seq = log.nextSeq();
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
        }
        return 0;
    }

    /** devkmsg_poll: readable when a record is waiting, with POLLERR|POLLPRI when it is not the one expected. */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(log.logWait);
        long s = seq;
        KernelLog.Kmsg r = log.kmsgFrom(s);
        if (r == null) return 0;
        int mask = dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
        if (r.seq() != s) mask |= dev.kava.abi.Poll.POLLERR | dev.kava.abi.Poll.POLLPRI;
        return mask;
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    /** devkmsg_release: ratelimit_state_exit reports the lines the ratelimit dropped. */
    @Override
    public void release() {
        eventpollRelease();
        int missed;
        String comm;
        synchronized (rsLock) {
            missed = rsMissed;
            comm = lastWriter;
        }
        if (missed > 0) log.info(comm + ": " + missed + " output lines suppressed due to ratelimiting");
    }
}
