package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

import java.util.ArrayDeque;

/**
 * A pipe (fs/pipe.c, struct pipe_inode_info): a bounded byte ring between a read end and a
 * write end. Writes of at most PIPE_BUF bytes are atomic; readers see end of file once every
 * writer is gone; writers get EPIPE and SIGPIPE once every reader is gone. A pipe opened with
 * O_DIRECT is in packet mode: each write is one packet and a read returns at most one.
 */
public final class Pipe {
    /** PIPE_BUF (include/uapi/linux/limits.h): the largest write that is never interleaved. */
    public static final int PIPE_BUF = 4096;
    /** The default capacity: PIPE_DEF_BUFFERS (16) pages. */
    public static final int DEFAULT_SIZE = 16 * 4096;

    private byte[] ring = new byte[DEFAULT_SIZE];
    private int head, count;
    private int readers, writers;
    /** Packet sizes in packet mode (O_DIRECT), oldest first. */
    private final ArrayDeque<Integer> packets = new ArrayDeque<>();
    private final boolean packetMode;

    /** Woken whenever data, room, or the set of ends changes (pipe->rd_wait and wr_wait in one). */
    final WaitQueue waitq = new WaitQueue();

    public Pipe(boolean packetMode) {
        this.packetMode = packetMode;
    }

    synchronized void openEnd(boolean readEnd) {
        if (readEnd) readers++; else writers++;
    }

    void closeEnd(boolean readEnd) {
        synchronized (this) {
            if (readEnd) readers--; else writers--;
        }
        waitq.wakeAll();
    }

    public synchronized int capacity() {
        return ring.length;
    }

    public synchronized int available() {
        return count;
    }

    /** F_SETPIPE_SZ: the new size must hold what the pipe holds now (EBUSY otherwise). */
    public synchronized int resize(int size) {
        if (size < count) throw ErrnoException.of(Errno.EBUSY);
        byte[] n = new byte[size];
        for (int i = 0; i < count; i++) n[i] = ring[(head + i) % ring.length];
        ring = n;
        head = 0;
        waitq.wakeAll();
        return size;
    }

    /** pipe_read: blocks until data or end of file; returns 0 at end of file. */
    int read(Task t, byte[] dst, int off, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        while (true) {
            synchronized (this) {
                if (count > 0) {
                    int n = Math.min(len, packetMode ? packets.peekFirst() : count);
                    for (int i = 0; i < n; i++) dst[off + i] = ring[(head + i) % ring.length];
                    if (packetMode) {
                        // A read shorter than the packet discards the rest of it, as Linux does.
                        n = Math.min(n, len);
                        int whole = packets.removeFirst();
                        head = (head + whole) % ring.length;
                        count -= whole;
                    } else {
                        head = (head + n) % ring.length;
                        count -= n;
                    }
                    waitq.wakeAll();
                    return n;
                }
                if (writers == 0) return 0;
                if (nonBlocking) throw ErrnoException.of(Errno.EAGAIN);
            }
            if (t.waitEvent(waitq, this::readable, Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    private synchronized boolean readable() {
        return count > 0 || writers == 0;
    }

    /** pipe_write: writes everything unless interrupted; a write of at most PIPE_BUF bytes is never split. */
    int write(Task t, byte[] src, int off, int len, boolean nonBlocking) {
        int done = 0;
        boolean atomic = len <= PIPE_BUF;
        while (true) {
            synchronized (this) {
                if (readers == 0) {
                    Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, 0, 0));
                    if (done > 0) return done;
                    throw ErrnoException.of(Errno.EPIPE);
                }
                int room = ring.length - count;
                int need = atomic || packetMode ? len - done : 1;
                if (room >= need && room > 0) {
                    int n = Math.min(room, len - done);
                    int tail = (head + count) % ring.length;
                    for (int i = 0; i < n; i++) ring[(tail + i) % ring.length] = src[off + done + i];
                    count += n;
                    if (packetMode) packets.addLast(n);
                    done += n;
                    waitq.wakeAll();
                    if (done == len) return done;
                }
                if (nonBlocking) {
                    if (done > 0) return done;
                    throw ErrnoException.of(Errno.EAGAIN);
                }
            }
            final int want = atomic || packetMode ? len - done : 1;
            int r = t.waitEvent(waitq, () -> writable(want), Long.MAX_VALUE);
            if (r == -Errno.EINTR) {
                if (done > 0) return done;
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    private synchronized boolean writable(int need) {
        return readers == 0 || ring.length - count >= need;
    }
}
