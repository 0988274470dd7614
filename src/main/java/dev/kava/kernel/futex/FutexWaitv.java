package dev.kava.kernel.futex;

import dev.kava.abi.Errno;
import dev.kava.abi.Time;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.futex.Futex.Bucket;
import dev.kava.kernel.futex.Futex.Key;
import dev.kava.kernel.futex.Futex.Q;
import dev.kava.kernel.sched.WaitQueue;

import static dev.kava.abi.Futex.*;

/** futex_waitv (kernel/futex/syscalls.c and waitwake.c futex_wait_multiple). */
final class FutexWaitv {
    private FutexWaitv() {}

    /** FUTEX2_VALID_MASK (kernel/futex/syscalls.c). */
    static final int FUTEX2_VALID_MASK = FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_MPOL | FUTEX2_PRIVATE;

    /**
     * futex2_setup_timeout: timeout (0 = none) is an absolute time on CLOCK_MONOTONIC or
     * CLOCK_REALTIME; returns it in ns (a CLOCK_REALTIME one is waited for with
     * {@link Futex#waitUntil} rt), or Long.MAX_VALUE for none.
     * EINVAL for another clock or a bad timespec, EFAULT for a bad pointer.
     */
    static long futex2Deadline(Task t, long timeout, int clockid) {
        if (timeout == 0) return Long.MAX_VALUE;
        if (clockid != Time.CLOCK_REALTIME && clockid != Time.CLOCK_MONOTONIC) throw ErrnoException.of(Errno.EINVAL);
        byte[] b = t.mem.read(timeout, 16);
        long sec = Uaccess.getLong(b, 0), nsec = Uaccess.getLong(b, 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw ErrnoException.of(Errno.EINVAL);
        long ns = Futex.saturatingNanos(sec, nsec);
        return ns;
    }

    static long sysFutexWaitv(Task t, long waiters, int nr, int flags, long timeout, int clockid) {
        if (flags != 0) return -Errno.EINVAL;
        if (nr == 0 || Integer.compareUnsigned(nr, FUTEX_WAITV_MAX) > 0 || waiters == 0) return -Errno.EINVAL;
        long deadline = futex2Deadline(t, timeout, clockid);
        // futex_parse_waitv: read and check every entry before waiting on any.
        byte[] raw = t.mem.read(waiters, nr * FUTEX_WAITV_SIZE);
        long[] uaddr = new long[nr];
        int[] val = new int[nr];
        boolean[] shared = new boolean[nr];
        for (int i = 0; i < nr; i++) {
            int o = i * FUTEX_WAITV_SIZE;
            long v = Uaccess.getLong(raw, o);
            uaddr[i] = Uaccess.getLong(raw, o + 8);
            int f = Uaccess.getInt(raw, o + 16);
            int reserved = Uaccess.getInt(raw, o + 20);
            if ((f & ~FUTEX2_VALID_MASK) != 0 || reserved != 0) return -Errno.EINVAL;
            // Only 32-bit futexes are implemented (futex_flags_valid); NUMA needs a node word: not here.
            if ((f & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || (f & (FUTEX2_NUMA | FUTEX2_MPOL)) != 0) return -Errno.EINVAL;
            if ((v >>> 32) != 0) return -Errno.EINVAL; // futex_validate_input
            val[i] = (int) v;
            shared[i] = (f & FUTEX2_PRIVATE) == 0;
        }
        Key[] keys = new Key[nr];
        for (int i = 0; i < nr; i++) keys[i] = Futex.key(t, uaddr[i], shared[i], false);

        // futex_wait_multiple_setup: enqueue on every futex, each after checking its value under its lock.
        WaitQueue wq = new WaitQueue();
        Q[] qs = new Q[nr];
        for (int i = 0; i < nr; i++) {
            Q q = new Q(t, keys[i], FUTEX_BITSET_MATCH_ANY, false);
            q.wq = wq;
            qs[i] = q;
            Bucket b = Futex.bucket(keys[i]);
            b.lock.lock();
            try {
                int cur;
                try {
                    cur = Futex.getValue(t, uaddr[i]);
                } catch (RuntimeException e) {
                    unqueueAll(qs, i);
                    throw e;
                }
                if (cur != val[i]) {
                    b.lock.unlock();
                    try {
                        int woken = unqueueAll(qs, i);
                        return woken >= 0 ? woken : -Errno.EAGAIN;
                    } finally {
                        b.lock.lock();
                    }
                }
                q.bucket = b;
                b.chain.add(q);
            } finally {
                b.lock.unlock();
            }
        }
        int r = Futex.waitUntil(t, wq, () -> anyWoken(qs), deadline, clockid == Time.CLOCK_REALTIME);
        int woken = unqueueAll(qs, nr);
        if (woken >= 0) return woken;
        if (r == -Errno.ETIMEDOUT) return -Errno.ETIMEDOUT;
        if (r == -Errno.EINTR) return -Errno.ERESTARTSYS;
        return r < 0 ? r : -Errno.ERESTARTSYS;
    }

    private static boolean anyWoken(Q[] qs) {
        for (Q q : qs) if (q != null && q.woken) return true;
        return false;
    }

    /** futex_unqueue_multiple: the highest index a waker took, or -1. */
    private static int unqueueAll(Q[] qs, int count) {
        int ret = -1;
        for (int i = 0; i < count; i++) {
            if (qs[i] != null && !Futex.unqueue(qs[i])) ret = i;
        }
        return ret;
    }
}
