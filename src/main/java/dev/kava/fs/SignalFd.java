package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.Signalfd;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

/**
 * signalfd (fs/signalfd.c): a file whose read dequeues the reader's pending signals of a mask,
 * as struct signalfd_siginfo. The file holds only the mask: reads and polls look at the
 * calling task's own pending signals (current), so after fork each process reads its own.
 */
public final class SignalFd extends AnonInodeFile {
    /** The signals this file takes (SIGKILL and SIGSTOP never among them). Linux keeps its complement. */
    private volatile long sigmask;

    private SignalFd(long sigmask, int flags) {
        super(Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), "[signalfd]");
        this.sigmask = sigmask;
    }

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SIGNALFD4, (task, a) -> signalfd4(task, (int) a[0], a[1], a[2], (int) a[3]));
    }

    /** signalfd4 and do_signalfd4: a new signalfd (ufd -1), or a new mask for an existing one. */
    static long signalfd4(Task t, int ufd, long userMask, long sizemask, int flags) {
        if (sizemask != Signal.SIGSET_SIZE) return -Errno.EINVAL;
        long mask = t.mem.read64(userMask);
        if ((flags & ~(Signalfd.SFD_CLOEXEC | Signalfd.SFD_NONBLOCK)) != 0) return -Errno.EINVAL;
        mask &= ~Signals.KERNEL_ONLY;
        if (ufd == -1) {
            SignalFd f = new SignalFd(mask, flags);
            return t.group.files.install(f, (flags & Signalfd.SFD_CLOEXEC) != 0, 0,
                    t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
        }
        File f = t.group.files.get(ufd);
        if (f == null) return -Errno.EBADF;
        if (!(f instanceof SignalFd sfd)) return -Errno.EINVAL;
        sfd.sigmask = mask;
        t.group.sighand.signalfdWqh.wakeAll();
        return ufd;
    }

    /** Whether a signal of the mask is pending for t (next_signal on its own and its process's queue). */
    private boolean pendingFor(Task t) {
        return ((t.pending.mask() | t.group.sharedPending.mask()) & sigmask) != 0;
    }

    /** signalfd_read: one signalfd_siginfo per signal, waiting (unless O_NONBLOCK) only for the first. */
    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        int count = len / Signalfd.SIGINFO_SIZE;
        if (count == 0) throw ErrnoException.of(Errno.EINVAL);
        boolean nonblock = (flags & Fcntl.O_NONBLOCK) != 0;
        int total = 0;
        for (; count > 0; count--) {
            SigInfo si = dequeue(t, nonblock);
            if (si == null) break;
            System.arraycopy(copyinfo(si), 0, dst, off + total, Signalfd.SIGINFO_SIZE);
            total += Signalfd.SIGINFO_SIZE;
            nonblock = true;
        }
        if (total == 0) throw ErrnoException.of(nonblock ? Errno.EAGAIN : Errno.ERESTARTSYS);
        return total;
    }

    /**
     * signalfd_dequeue: a signal of the mask, or null when there is none and nonblock. A
     * blocking dequeue sleeps on the signalfd wait queue; a signal outside the mask ends it
     * with ERESTARTSYS.
     */
    private SigInfo dequeue(Task t, boolean nonblock) {
        while (true) {
            SigInfo si = Signals.dequeueFrom(t, sigmask);
            if (si != null) return si;
            if (nonblock) return null;
            if (t.waitEvent(t.group.sighand.signalfdWqh, () -> pendingFor(t), Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    /** signalfd_copyinfo: the fields of the siginfo's union member, everything else zero. */
    static byte[] copyinfo(SigInfo si) {
        byte[] k = si.toBytes();
        byte[] b = new byte[Signalfd.SIGINFO_SIZE];
        Uaccess.putInt(b, Signalfd.SSI_SIGNO, Uaccess.getInt(k, Signal.SI_SIGNO));
        Uaccess.putInt(b, Signalfd.SSI_ERRNO, Uaccess.getInt(k, Signal.SI_ERRNO));
        Uaccess.putInt(b, Signalfd.SSI_CODE, Uaccess.getInt(k, Signal.SI_CODE));
        // The union starts at 16: kill/rt/chld have pid, uid at 16, 20; timer has tid, overrun there.
        int u0 = Uaccess.getInt(k, 16), u1 = Uaccess.getInt(k, 20);
        long value = Uaccess.getLong(k, 24);
        switch (si.layout()) {
            case KILL -> { Uaccess.putInt(b, Signalfd.SSI_PID, u0); Uaccess.putInt(b, Signalfd.SSI_UID, u1); }
            case TIMER -> {
                Uaccess.putInt(b, Signalfd.SSI_TID, u0);
                Uaccess.putInt(b, Signalfd.SSI_OVERRUN, u1);
                Uaccess.putLong(b, Signalfd.SSI_PTR, value);
                Uaccess.putInt(b, Signalfd.SSI_INT, (int) value);
            }
            case POLL -> {
                Uaccess.putInt(b, Signalfd.SSI_BAND, (int) Uaccess.getLong(k, 16)); // si_band is a long
                Uaccess.putInt(b, Signalfd.SSI_FD, Uaccess.getInt(k, 24));
            }
            case FAULT -> Uaccess.putLong(b, Signalfd.SSI_ADDR, Uaccess.getLong(k, 16));
            case CHLD -> {
                Uaccess.putInt(b, Signalfd.SSI_PID, u0);
                Uaccess.putInt(b, Signalfd.SSI_UID, u1);
                Uaccess.putInt(b, Signalfd.SSI_STATUS, Uaccess.getInt(k, Signal.SI_STATUS));
                Uaccess.putLong(b, Signalfd.SSI_UTIME, Uaccess.getLong(k, Signal.SI_UTIME));
                Uaccess.putLong(b, Signalfd.SSI_STIME, Uaccess.getLong(k, Signal.SI_STIME));
            }
            case RT -> {
                Uaccess.putInt(b, Signalfd.SSI_PID, u0);
                Uaccess.putInt(b, Signalfd.SSI_UID, u1);
                Uaccess.putLong(b, Signalfd.SSI_PTR, value);
                Uaccess.putInt(b, Signalfd.SSI_INT, (int) value);
            }
            case SYS -> {
                // si_call_addr at 16, si_syscall and si_arch at 24 and 28.
                Uaccess.putLong(b, Signalfd.SSI_CALL_ADDR, Uaccess.getLong(k, 16));
                Uaccess.putInt(b, Signalfd.SSI_SYSCALL, Uaccess.getInt(k, 24));
                Uaccess.putInt(b, Signalfd.SSI_ARCH, Uaccess.getInt(k, 28));
            }
        }
        return b;
    }

    /** signalfd_poll: readable while the polling task has a signal of the mask pending. */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(t.group.sighand.signalfdWqh);
        return pendingFor(t) ? dev.kava.abi.Poll.POLLIN : 0;
    }

    /** signalfd_show_fdinfo: render_sigset_t of the mask, 16 hex digits. */
    @Override
    public String fdinfo() {
        return String.format("sigmask:\t%016x\n", sigmask);
    }
}
