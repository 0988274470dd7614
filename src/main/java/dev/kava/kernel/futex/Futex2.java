package dev.kava.kernel.futex;

import dev.kava.abi.Errno;
import dev.kava.abi.Time;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import static dev.kava.abi.Futex.*;

/**
 * The futex2 single-futex calls of Linux 6.7+ (kernel/futex/syscalls.c): futex_wake, futex_wait
 * and futex_requeue. They share the hash buckets and keys with futex(2), so a futex_wait is
 * woken by FUTEX_WAKE and the other way round. Only 32-bit futexes exist (futex_flags_valid);
 * FUTEX2_NUMA and FUTEX2_MPOL are refused with EINVAL.
 */
final class Futex2 {
    private Futex2() {}

    /** futex2_to_flags then futex_flags_valid: true when the flags name a 32-bit futex. */
    private static boolean flagsValid(int flags) {
        if ((flags & ~FutexWaitv.FUTEX2_VALID_MASK) != 0) return false;
        if ((flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32) return false;
        return (flags & (FUTEX2_NUMA | FUTEX2_MPOL)) == 0;
    }

    /** futex_validate_input for a 32-bit futex: the value must fit in the word. */
    private static boolean inputValid(long v) {
        return (v >>> 32) == 0;
    }

    /** SYSCALL_DEFINE4(futex_wake, uaddr, mask, nr, flags). */
    static long sysFutexWake(Task t, long uaddr, long mask, int nr, int flags) {
        if (!flagsValid(flags)) return -Errno.EINVAL;
        if (!inputValid(mask)) return -Errno.EINVAL;
        int bitset = (int) mask;
        if (bitset == 0) return -Errno.EINVAL;
        Futex.Key k = Futex.key(t, uaddr, (flags & FUTEX2_PRIVATE) == 0, false);
        if (nr == 0) return 0; // FLAGS_STRICT: nr 0 wakes nobody
        return Futex.wakeKey(k, nr, bitset);
    }

    /** SYSCALL_DEFINE6(futex_wait, uaddr, val, mask, flags, timeout, clockid). */
    static long sysFutexWait(Task t, long uaddr, long val, long mask, int flags, long timeout, int clockid) {
        if (!flagsValid(flags)) return -Errno.EINVAL;
        if (!inputValid(val) || !inputValid(mask)) return -Errno.EINVAL;
        long deadline = FutexWaitv.futex2Deadline(t, timeout, clockid);
        // __futex_wait: an interrupted wait returns -ERESTARTSYS (the deadline is absolute).
        return Futex.wait(t, uaddr, (flags & FUTEX2_PRIVATE) == 0, (int) val, false, deadline,
                clockid == Time.CLOCK_REALTIME, (int) mask);
    }

    /** SYSCALL_DEFINE4(futex_requeue, waiters, flags, nr_wake, nr_requeue): waiters is futex_waitv[2]. */
    static long sysFutexRequeue(Task t, long waiters, int flags, int nrWake, int nrRequeue) {
        if (flags != 0) return -Errno.EINVAL;
        if (waiters == 0) return -Errno.EINVAL;
        // futex_parse_waitv over the two entries, in order.
        long[] uaddr = new long[2];
        boolean[] shared = new boolean[2];
        int cmpval = 0;
        for (int i = 0; i < 2; i++) {
            byte[] raw = t.mem.read(waiters + (long) i * FUTEX_WAITV_SIZE, FUTEX_WAITV_SIZE);
            long v = Uaccess.getLong(raw, 0);
            uaddr[i] = Uaccess.getLong(raw, 8);
            int f = Uaccess.getInt(raw, 16);
            int reserved = Uaccess.getInt(raw, 20);
            if ((f & ~FutexWaitv.FUTEX2_VALID_MASK) != 0 || reserved != 0) return -Errno.EINVAL;
            if (!flagsValid(f)) return -Errno.EINVAL;
            if (!inputValid(v)) return -Errno.EINVAL;
            shared[i] = (f & FUTEX2_PRIVATE) == 0;
            if (i == 0) cmpval = (int) v;
        }
        return Futex.requeue(t, uaddr[0], shared[0], uaddr[1], shared[1], nrWake, nrRequeue, true, cmpval);
    }
}
