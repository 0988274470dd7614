package dev.kava.kernel;

import dev.kava.abi.Syslog;
import dev.kava.kernel.sched.WaitQueue;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The kernel log (kernel/printk/printk.c): a ring buffer of records that syslog(2) reads, as
 * dmesg does, and that is also copied to the stream given at boot (the console), or nowhere:
 * kava's own stdout never carries it. Each record keeps its sequence number, level and
 * timestamp (kernel monotonic ns); the buffer keeps the newest records that fit in log_buf_len.
 */
public final class KernelLog {
    /**
     * One printk record (struct printk_info and its text): its text as syslog shows it
     * ("<prio>[seconds.micros] message\n", one prefix per line), and the raw parts /dev/kmsg
     * shows: prio (facility << 3 | level), the timestamp, the message without its newline.
     */
    record Record(long seq, byte[] text, int prio, long tsNanos, byte[] body) {}

    /** A record as /dev/kmsg reads it (devkmsg_read): sequence number, facility<<3|level, timestamp, text. */
    public record Kmsg(long seq, int prio, long tsNanos, byte[] text) {}

    private final PrintStream out;
    private final Set<String> onceKeys = ConcurrentHashMap.newKeySet();
    private volatile LongSupplier clock = () -> 0;

    private final ArrayDeque<Record> ring = new ArrayDeque<>();
    private long ringBytes;
    /** The next record's number; the first syslog READ has not consumed (syslog_seq) and its partial offset; the clear point. */
    private long nextSeq, syslogSeq, clearSeq;
    private int syslogPartial;
    private int consoleLevel = Syslog.CONSOLE_LOGLEVEL_DEFAULT;
    private boolean consoleOff;
    /** log_wait: readers of SYSLOG_ACTION_READ wait here for new records. */
    public final WaitQueue logWait = new WaitQueue();

    /** @param out where messages go, or null to drop them */
    public KernelLog(PrintStream out) {
        this.out = out;
    }

    /** The clock of the records' timestamps (kernel monotonic ns), once the kernel has one. */
    public void setClock(LongSupplier monotonicNanos) {
        clock = monotonicNanos;
    }

    public boolean enabled() {
        return out != null;
    }

    public void info(String message) {
        log(Syslog.LOGLEVEL_INFO, message);
    }

    /** Logs a message only the first time its key is seen (printk_once). */
    public void once(String key, String message) {
        if (onceKeys.add(key)) info(message);
    }

    /** A kernel bug: an unexpected exception inside the kernel, logged with its stack. */
    public void oops(String message, Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        log(Syslog.LOGLEVEL_ALERT, "oops: " + message + "\n" + sw);
    }

    private void log(int level, String message) {
        record(level, message);
        if (out != null) {
            out.println("kava: " + message);
            out.flush();
        }
    }

    /** vprintk_store: one record per line of the message. */
    private void record(int level, String message) {
        long ns = Math.max(0, clock.getAsLong());
        String[] lines = message.split("\n");
        synchronized (this) {
            for (String line : lines) {
                if (line.isEmpty()) continue;
                store(level, ns, line.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (logWait.hasWaiters()) logWait.wakeAll();
    }

    /** Appends one record, dropping the oldest ones beyond log_buf_len. Caller holds this. */
    private void store(int prio, long ns, byte[] body) {
        String stamp = String.format("<%d>[%5d.%06d] ", prio, ns / 1_000_000_000L, ns % 1_000_000_000L / 1000);
        // record_print_text: every line of a multi-line record gets the prefix.
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int start = 0;
        do {
            int nl = start;
            while (nl < body.length && body[nl] != '\n') nl++;
            b.writeBytes(stamp.getBytes(StandardCharsets.US_ASCII));
            b.write(body, start, nl - start);
            b.write('\n');
            start = nl + 1;
        } while (start < body.length);
        byte[] text = b.toByteArray();
        if (text.length > Syslog.LOG_BUF_LEN) return;
        ring.addLast(new Record(nextSeq++, text, prio, ns, body));
        ringBytes += text.length;
        while (ringBytes > Syslog.LOG_BUF_LEN) {
            Record r = ring.removeFirst();
            ringBytes -= r.text.length;
        }
        long first = ring.isEmpty() ? nextSeq : ring.peekFirst().seq;
        if (syslogSeq < first) {
            syslogSeq = first;
            syslogPartial = 0;
        }
    }

    /**
     * devkmsg_emit: a record written to /dev/kmsg, with its facility and level (level
     * LOGLEVEL_DEFAULT means default_message_loglevel). The text is one record, newlines and all;
     * one trailing newline is dropped, as vprintk_store does.
     */
    public void emit(int facility, int level, byte[] text) {
        if (level == Syslog.LOGLEVEL_DEFAULT) level = Syslog.MESSAGE_LOGLEVEL_DEFAULT;
        int len = text.length;
        if (len > 0 && text[len - 1] == '\n') len--;
        byte[] body = java.util.Arrays.copyOf(text, len);
        long ns = Math.max(0, clock.getAsLong());
        synchronized (this) {
            store((facility & 0xff) << 3 | (level & 7), ns, body);
        }
        if (out != null) {
            out.println("kava: " + new String(body, StandardCharsets.UTF_8));
            out.flush();
        }
        if (logWait.hasWaiters()) logWait.wakeAll();
    }

    // ---- what /dev/kmsg needs (kernel/printk/printk.c, devkmsg_*) ----

    /** prb_first_valid_seq: the oldest record still in the buffer (the next one if it is empty). */
    public synchronized long firstSeq() {
        return ring.isEmpty() ? nextSeq : ring.peekFirst().seq;
    }

    /** prb_next_seq: the number the next record will get. */
    public synchronized long nextSeq() {
        return nextSeq;
    }

    /** clear_seq: where SYSLOG_ACTION_CLEAR left the syslog readers. */
    public synchronized long clearSeq() {
        return clearSeq;
    }

    /** prb_read_valid: the first record numbered seq or later that is still there, or null. */
    public synchronized Kmsg kmsgFrom(long seq) {
        if (seq >= nextSeq || ring.isEmpty()) return null;
        long first = ring.peekFirst().seq;
        // Sequence numbers in the ring are consecutive: index straight into it.
        Record r = null;
        if (seq <= first) {
            r = ring.peekFirst();
        } else {
            long skip = seq - first;
            for (Record x : ring) {
                if (skip-- == 0) {
                    r = x;
                    break;
                }
            }
        }
        return r == null ? null : new Kmsg(r.seq, r.prio, r.tsNanos, r.body);
    }

    // ---- what syslog(2) needs (kernel/printk/printk.c) ----

    /** syslog_print_all: the newest records since the clear point that fit in len bytes, oldest first. */
    public synchronized byte[] readAll(int len, boolean clear) {
        long total = 0;
        for (Record r : ring) if (r.seq >= clearSeq) total += r.text.length;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Record r : ring) {
            if (r.seq < clearSeq) continue;
            if (total > len) {
                total -= r.text.length; // skip the oldest until the rest fits
                continue;
            }
            b.writeBytes(r.text);
        }
        if (clear) clearSeq = nextSeq;
        return b.toByteArray();
    }

    /** SYSLOG_ACTION_CLEAR (syslog_clear). */
    public synchronized void clear() {
        clearSeq = nextSeq;
    }

    /** Whether records remain unread by SYSLOG_ACTION_READ. */
    public synchronized boolean unread() {
        return syslogSeq < nextSeq;
    }

    /** SYSLOG_ACTION_SIZE_UNREAD: the bytes READ has still to return. */
    public synchronized long sizeUnread() {
        long n = 0;
        for (Record r : ring) if (r.seq >= syslogSeq) n += r.text.length;
        return n - syslogPartial;
    }

    /** syslog_print: consumes whole records (the first perhaps in part) up to len bytes. */
    public synchronized byte[] read(int len) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Record r : ring) {
            if (r.seq < syslogSeq) continue;
            int avail = r.text.length - syslogPartial;
            int room = len - b.size();
            if (room <= 0) break;
            if (avail > room) {
                // A record longer than what is left: only the first one is split (syslog_partial).
                if (b.size() > 0) break;
                b.write(r.text, syslogPartial, room);
                syslogPartial += room;
                break;
            }
            b.write(r.text, syslogPartial, avail);
            syslogPartial = 0;
            syslogSeq = r.seq + 1;
        }
        return b.toByteArray();
    }

    /** SYSLOG_ACTION_CONSOLE_OFF/ON/LEVEL: the console's level (kava's console prints every record it is given). */
    public synchronized void consoleOff(boolean off) {
        consoleOff = off;
    }

    public synchronized void consoleLevel(int level) {
        consoleLevel = level;
        consoleOff = false;
    }
}
