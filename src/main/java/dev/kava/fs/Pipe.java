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

    /** The bytes; grows lazily up to capacity (a root F_SETPIPE_SZ may ask for a lot). */
    private byte[] ring = new byte[DEFAULT_SIZE];
    /** The pipe's capacity (max_usage pages). */
    private int cap = DEFAULT_SIZE;
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

    /** Opens of each end so far (r_counter, w_counter): a FIFO open waits for the other side's to change. */
    int readOpens, writeOpens;

    void openEnd(boolean readEnd) {
        synchronized (this) {
            if (readEnd) { readers++; readOpens++; } else { writers++; writeOpens++; }
        }
        waitq.wakeAll();
    }

    synchronized int readers() {
        return readers;
    }

    synchronized int writers() {
        return writers;
    }

    void closeEnd(boolean readEnd) {
        synchronized (this) {
            if (readEnd) readers--; else writers--;
        }
        waitq.wakeAll();
    }

    public synchronized int capacity() {
        return cap;
    }

    public synchronized int available() {
        return count;
    }

    /** A wakeup key no poll event matches: wakes sleeping tasks but no epoll item. */
    private static final int WAKE_TASKS_ONLY = 1 << 27;
    private static final int PAGE = 4096;

    /**
     * pipe_poll's mask for an end that can read and/or write. "Full" is pipe_full: every page
     * slot in use, which for a byte ring filled from a page boundary means less than a page free.
     */
    synchronized int pollMask(boolean canRead, boolean canWrite) {
        int mask = 0;
        if (canRead) {
            if (count > 0) mask |= dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
            if (writers == 0) mask |= dev.kava.abi.Poll.POLLHUP;
        }
        if (canWrite) {
            if (cap - count >= PAGE) mask |= dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM;
            if (readers == 0) mask |= dev.kava.abi.Poll.POLLERR;
        }
        return mask;
    }

    /**
     * pipe_set_size (F_SETPIPE_SZ): size is already round_pipe_size'd; the contents must fit in
     * the new number of pages (EBUSY otherwise).
     */
    public int resize(int size) {
        synchronized (this) {
            long slotsUsed = ((long) count + PAGE - 1) / PAGE;
            if (size / PAGE < slotsUsed) throw ErrnoException.of(Errno.EBUSY);
            byte[] n = new byte[Math.min(size, Math.max(count, DEFAULT_SIZE))];
            for (int i = 0; i < count; i++) n[i] = ring[(head + i) % ring.length];
            ring = n;
            head = 0;
            cap = size;
        }
        waitq.wakeAll();
        return size;
    }

    /** Makes the ring hold at least want bytes (at most cap), keeping the contents. */
    private void ensureRing(int want) {
        if (want <= ring.length) return;
        int len = (int) Math.min(cap, Math.max(want, 2L * ring.length));
        byte[] n = new byte[len];
        for (int i = 0; i < count; i++) n[i] = ring[(head + i) % ring.length];
        ring = n;
        head = 0;
    }

    /** pipe_read: blocks until data or end of file; returns 0 at end of file. */
    int read(Task t, byte[] dst, int off, int len, boolean nonBlocking) {
        if (len == 0) return 0;
        while (true) {
            synchronized (this) {
                if (count > 0) {
                    boolean wasFull = cap - count < PAGE;
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
                    waitq.wakeAll(wasFull ? dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM : WAKE_TASKS_ONLY);
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
        return write(t, src, off, len, nonBlocking, false);
    }

    /** pipe_write; noSignal (RWF_NOSIGNAL) fails with EPIPE without raising SIGPIPE. */
    int write(Task t, byte[] src, int off, int len, boolean nonBlocking, boolean noSignal) {
        int done = 0;
        boolean atomic = len <= PIPE_BUF;
        while (true) {
            synchronized (this) {
                if (readers == 0) {
                    if (!noSignal) Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, 0, 0));
                    if (done > 0) return done;
                    throw ErrnoException.of(Errno.EPIPE);
                }
                int room = cap - count;
                int need = atomic || packetMode ? len - done : 1;
                if (room >= need && room > 0) {
                    int n = Math.min(room, len - done);
                    ensureRing(count + n);
                    int tail = (head + count) % ring.length;
                    for (int i = 0; i < n; i++) ring[(tail + i) % ring.length] = src[off + done + i];
                    count += n;
                    if (packetMode) packets.addLast(n);
                    done += n;
                    waitq.wakeAll(dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM);
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
        return readers == 0 || cap - count >= need;
    }

    // ---- splice and tee (fs/splice.c): the pipe's buffers moved or copied without a read()/write()

    /** pipe_full: every page slot in use, which for a byte ring is less than a page left. */
    synchronized boolean full() {
        return cap - count < PAGE;
    }

    synchronized boolean empty() {
        return count == 0;
    }

    /**
     * The bytes a splice into this pipe may add: its free page slots (a slot holds at most a
     * page; one partly filled counts as used), less the offset within the first page the
     * data starts at (filemap_splice_read puts each folio piece in its own slot).
     */
    synchronized int spliceRoom(long fileOffset) {
        long freeSlots = cap / PAGE - ((long) count + PAGE - 1) / PAGE;
        if (freeSlots <= 0) return 0;
        return (int) Math.max(0, freeSlots * PAGE - (fileOffset < 0 ? 0 : fileOffset & (PAGE - 1)));
    }

    /**
     * ipipe_prep / splice_from_pipe_next's wait: until the pipe has data (true) or no writer
     * is left (false). EAGAIN when nonBlocking; ERESTARTSYS on a signal.
     */
    boolean waitForData(Task t, boolean nonBlocking) {
        while (true) {
            synchronized (this) {
                if (count > 0) return true;
                if (writers == 0) return false;
                if (nonBlocking) throw ErrnoException.of(Errno.EAGAIN);
            }
            if (t.waitEvent(waitq, this::readable, Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    /**
     * opipe_prep / wait_for_space: until the pipe is not full. No reader left is SIGPIPE and
     * EPIPE; EAGAIN when nonBlocking; ERESTARTSYS on a signal.
     */
    void waitForSpace(Task t, boolean nonBlocking) {
        while (true) {
            synchronized (this) {
                if (readers == 0) {
                    Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, 0, 0));
                    throw ErrnoException.of(Errno.EPIPE);
                }
                if (!full()) return;
                if (nonBlocking) throw ErrnoException.of(Errno.EAGAIN);
            }
            if (t.waitEvent(waitq, () -> spaceOrNoReader(), Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    private synchronized boolean spaceOrNoReader() {
        return readers == 0 || !full();
    }

    /** Copies up to len bytes from the front of the pipe without consuming them (tee, and splice before the write). */
    synchronized int peek(byte[] dst, int off, int len) {
        return peek(dst, off, len, 0);
    }

    /** As peek, skipping the first skip bytes. */
    synchronized int peek(byte[] dst, int off, int len, int skip) {
        int n = Math.max(0, Math.min(len, count - skip));
        for (int i = 0; i < n; i++) dst[off + i] = ring[(head + skip + i) % ring.length];
        return n;
    }

    /** Drops n bytes from the front (a splice consumed them); in packet mode the first packets shrink. */
    void consume(int n) {
        boolean wasFull;
        synchronized (this) {
            wasFull = full();
            n = Math.min(n, count);
            head = (head + n) % ring.length;
            count -= n;
            if (packetMode) {
                int left = n;
                while (left > 0 && !packets.isEmpty()) {
                    int first = packets.removeFirst();
                    if (first > left) {
                        packets.addFirst(first - left);
                        left = 0;
                    } else {
                        left -= first;
                    }
                }
            }
        }
        waitq.wakeAll(wasFull ? dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM : WAKE_TASKS_ONLY);
    }

    /** Adds up to len bytes without waiting (a splice or tee into the pipe); returns how many fit. */
    int append(byte[] src, int off, int len) {
        int n;
        synchronized (this) {
            n = Math.min(len, cap - count);
            if (n <= 0) return 0;
            ensureRing(count + n);
            int tail = (head + count) % ring.length;
            for (int i = 0; i < n; i++) ring[(tail + i) % ring.length] = src[off + i];
            count += n;
            if (packetMode) packets.addLast(n);
        }
        waitq.wakeAll(dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM);
        return n;
    }
}
