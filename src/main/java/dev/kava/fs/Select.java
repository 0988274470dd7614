package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.signal.Signals;

/**
 * ppoll and pselect6 (fs/select.c). riscv64 has neither poll nor select: libc builds them,
 * and pause(), on these two.
 */
public final class Select {
    private Select() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.PPOLL, (task, a) -> ppoll(task, a[0], (int) a[1], a[2], a[3], a[4]));
        t.register(SyscallNr.PSELECT6, (task, a) -> pselect6(task, (int) a[0], a[1], a[2], a[3], a[4], a[5]));
    }

    /** No timeout: wait forever. */
    static final long NO_TIMEOUT = -1;

    /**
     * get_timespec64 + poll_select_set_timeout: the absolute monotonic end time for a user
     * timespec (0 for a zero timeout, meaning "do not wait"). EINVAL for an invalid timespec.
     */
    static long endTime(Task t, long uts) {
        byte[] b = t.mem.read(uts, Time.TIMESPEC_SIZE);
        long sec = Uaccess.getLong(b, 0), nsec = Uaccess.getLong(b, 8);
        if (sec < 0 || nsec < 0 || nsec >= Time.NSEC_PER_SEC) throw ErrnoException.of(Errno.EINVAL);
        if (sec == 0 && nsec == 0) return 0;
        long now = t.kernel.clock().monotonicNanos();
        if (sec >= (Long.MAX_VALUE - now) / Time.NSEC_PER_SEC) return Long.MAX_VALUE;
        return now + sec * Time.NSEC_PER_SEC + nsec;
    }

    /** The deadline for a wait: end time 0 = already passed. */
    static long deadline(long end) {
        return end == NO_TIMEOUT ? Long.MAX_VALUE : end;
    }

    /**
     * set_user_sigmask: installs the temporary mask, saving the old one to be restored on the
     * way out (after a handler runs, if one does).
     */
    static void setUserSigmask(Task t, long umask, long sigsetsize) {
        if (umask == 0) return;
        if (sigsetsize != Signal.SIGSET_SIZE) throw ErrnoException.of(Errno.EINVAL);
        long set = t.mem.read64(umask);
        t.signals.savedMask = t.blocked;
        t.signals.restoreMask = true;
        t.blocked = set & ~Signals.KERNEL_ONLY;
    }

    /**
     * restore_saved_sigmask_unless(interrupted): when the call was not interrupted, the old
     * mask comes back now; otherwise signal delivery restores it (after the handler's frame
     * saved it).
     */
    static void restoreSigmaskUnless(Task t, boolean interrupted) {
        if (interrupted) return;
        if (t.signals.restoreMask) {
            t.signals.restoreMask = false;
            t.blocked = t.signals.savedMask;
        }
    }

    /** poll_select_finish: the mask, then the time left written back to the user timespec. */
    static long finish(Task t, long end, long uts, long ret) {
        restoreSigmaskUnless(t, ret == -Errno.ERESTARTNOHAND);
        if (uts == 0 || end == 0) return ret;
        long left = end == Long.MAX_VALUE ? Long.MAX_VALUE : end - t.kernel.clock().monotonicNanos();
        if (left < 0) left = 0;
        byte[] b = new byte[Time.TIMESPEC_SIZE];
        Uaccess.putLong(b, 0, left / Time.NSEC_PER_SEC);
        Uaccess.putLong(b, 8, left % Time.NSEC_PER_SEC);
        if (!t.hart.addressSpace().copyToUser(uts, b, 0, b.length)) {
            if (ret == -Errno.ERESTARTNOHAND) ret = -Errno.EINTR; // the sticky path
        }
        return ret;
    }

    static long ppoll(Task t, long ufds, int nfds, long tsp, long sigmask, long sigsetsize) {
        long end = NO_TIMEOUT;
        try {
            if (tsp != 0) end = endTime(t, tsp);
            setUserSigmask(t, sigmask, sigsetsize);
        } catch (ErrnoException e) {
            return -e.errno;
        }
        long ret;
        try {
            ret = doSysPoll(t, ufds, nfds, end);
        } catch (ErrnoException e) {
            ret = -e.errno;
        }
        return finish(t, end, tsp, ret);
    }

    /** do_sys_poll + do_poll. */
    static long doSysPoll(Task t, long ufds, int nfds, long end) {
        long n = Integer.toUnsignedLong(nfds);
        if (n > t.group.rlimits.cur(Resource.RLIMIT_NOFILE)) return -Errno.EINVAL;
        byte[] fds = n == 0 ? new byte[0] : t.mem.read(ufds, Math.toIntExact(n * dev.kava.abi.Poll.POLLFD_SIZE));
        int count = 0;
        long deadline = deadline(end);
        boolean timedOut = end == 0;
        try (Poll.Waiter w = new Poll.Waiter(t)) {
            Poll.Table pt = timedOut ? null : w;
            while (true) {
                w.beginPass();
                for (int i = 0; i < n; i++) {
                    int off = i * dev.kava.abi.Poll.POLLFD_SIZE;
                    int fd = Uaccess.getInt(fds, off);
                    int events = (fds[off + 4] & 0xff) | (fds[off + 5] & 0xff) << 8;
                    int mask = 0;
                    if (fd >= 0) {
                        File f = t.group.files.get(fd);
                        if (f == null || f.isPath()) {
                            mask = dev.kava.abi.Poll.POLLNVAL;
                        } else {
                            int filter = events | dev.kava.abi.Poll.POLLERR | dev.kava.abi.Poll.POLLHUP;
                            mask = f.poll(t, pt) & filter;
                        }
                    }
                    Uaccess.putShort(fds, off + 6, mask);
                    if (mask != 0) {
                        count++;
                        pt = null; // found one: no more queues needed
                    }
                }
                pt = null;
                if (count == 0 && t.signalPending()) {
                    count = -Errno.ERESTARTNOHAND;
                    break;
                }
                if (count != 0 || timedOut) break;
                int r = w.sleep(deadline);
                if (r == -Errno.ETIMEDOUT) timedOut = true;
                else if (r == -Errno.EINTR) timedOut = timedOut || w.timedOut(deadline);
                if (w.timedOut(deadline)) timedOut = true;
            }
        }
        if (n > 0 && !t.hart.addressSpace().copyToUser(ufds, fds, 0, fds.length)) return -Errno.EFAULT;
        return count;
    }

    static long pselect6(Task t, int n, long inp, long outp, long exp, long tsp, long sig) {
        long sigp = 0, sigsize = 0;
        if (sig != 0) {
            byte[] pack;
            try {
                pack = t.mem.read(sig, 16);
            } catch (ErrnoException e) {
                return -Errno.EFAULT;
            }
            sigp = Uaccess.getLong(pack, 0);
            sigsize = Uaccess.getLong(pack, 8);
        }
        long end = NO_TIMEOUT;
        try {
            if (tsp != 0) end = endTime(t, tsp);
            setUserSigmask(t, sigp, sigsize);
        } catch (ErrnoException e) {
            return -e.errno;
        }
        long ret;
        try {
            ret = coreSysSelect(t, n, inp, outp, exp, end);
        } catch (ErrnoException e) {
            ret = -e.errno;
        }
        return finish(t, end, tsp, ret);
    }

    private static long[] getFdSet(Task t, long addr, int words) {
        long[] s = new long[words];
        if (addr == 0 || words == 0) return s;
        byte[] b = t.mem.read(addr, words * 8);
        for (int i = 0; i < words; i++) s[i] = Uaccess.getLong(b, i * 8);
        return s;
    }

    private static void setFdSet(Task t, long addr, long[] s) {
        if (addr == 0 || s.length == 0) return;
        byte[] b = new byte[s.length * 8];
        for (int i = 0; i < s.length; i++) Uaccess.putLong(b, i * 8, s[i]);
        if (!t.hart.addressSpace().copyToUser(addr, b, 0, b.length)) throw ErrnoException.of(Errno.EFAULT);
    }

    /** core_sys_select + do_select. */
    static long coreSysSelect(Task t, int n, long inp, long outp, long exp, long end) {
        if (n < 0) return -Errno.EINVAL;
        int maxFds = t.group.files.maxFds();
        if (n > maxFds) n = maxFds;
        int words = (n + 63) / 64;
        long[] in = getFdSet(t, inp, words), out = getFdSet(t, outp, words), ex = getFdSet(t, exp, words);
        // Only the n low bits count (the last word's high bits are cleared in the result anyway).
        long[] rin = new long[words], rout = new long[words], rex = new long[words];
        // max_select_fd: every fd in a set must be open.
        int max = 0;
        for (int i = 0; i < words; i++) {
            long all = in[i] | out[i] | ex[i];
            if (i == words - 1 && n % 64 != 0) all &= (1L << (n % 64)) - 1;
            for (long b = all; b != 0; b &= b - 1) {
                int fd = i * 64 + Long.numberOfTrailingZeros(b);
                if (t.group.files.get(fd) == null) return -Errno.EBADF;
                max = fd + 1;
            }
        }
        n = max;
        long deadline = deadline(end);
        boolean timedOut = end == 0;
        int retval = 0;
        try (Poll.Waiter w = new Poll.Waiter(t)) {
            Poll.Table pt = timedOut ? null : w;
            while (true) {
                w.beginPass();
                for (int fd = 0; fd < n; fd++) {
                    int i = fd / 64;
                    long bit = 1L << (fd % 64);
                    if (((in[i] | out[i] | ex[i]) & bit) == 0) continue;
                    File f = t.group.files.get(fd);
                    int mask = dev.kava.abi.Poll.POLLNVAL;
                    if (f != null && !f.isPath()) mask = f.poll(t, pt);
                    if ((mask & dev.kava.abi.Poll.POLLIN_SET) != 0 && (in[i] & bit) != 0) {
                        rin[i] |= bit;
                        retval++;
                        pt = null;
                    }
                    if ((mask & dev.kava.abi.Poll.POLLOUT_SET) != 0 && (out[i] & bit) != 0) {
                        rout[i] |= bit;
                        retval++;
                        pt = null;
                    }
                    if ((mask & dev.kava.abi.Poll.POLLEX_SET) != 0 && (ex[i] & bit) != 0) {
                        rex[i] |= bit;
                        retval++;
                        pt = null;
                    }
                }
                pt = null;
                if (retval != 0 || timedOut || t.signalPending()) break;
                int r = w.sleep(deadline);
                if (r == -Errno.ETIMEDOUT || w.timedOut(deadline)) timedOut = true;
            }
        }
        if (retval == 0 && t.signalPending()) return -Errno.ERESTARTNOHAND;
        setFdSet(t, inp, rin);
        setFdSet(t, outp, rout);
        setFdSet(t, exp, rex);
        return retval;
    }
}
