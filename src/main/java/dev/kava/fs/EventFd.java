package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Eventfd;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;


/**
 * eventfd (fs/eventfd.c): a 64-bit counter as a file. write adds to it (blocking while the
 * sum would reach 2^64-1), read takes it all, or 1 in semaphore mode (blocking while it is 0).
 */
public final class EventFd extends AnonInodeFile {
    /** ULLONG_MAX */
    private static final long MAX = -1L;

    private long count;
    private final boolean semaphore;
    private final WaitQueue wqh = new WaitQueue();

    private EventFd(long count, int flags) {
        super(Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), "[eventfd]");
        this.count = count;
        this.semaphore = (flags & Eventfd.EFD_SEMAPHORE) != 0;
    }

    public static void register(SyscallTable t) {
        t.register(SyscallNr.EVENTFD2, (task, a) -> eventfd2(task, (int) a[0], (int) a[1]));
    }

    /** do_eventfd: count is an unsigned int. */
    static long eventfd2(Task t, int count, int flags) {
        if ((flags & ~Eventfd.EFD_FLAGS_SET) != 0) return -Errno.EINVAL;
        EventFd f = new EventFd(Integer.toUnsignedLong(count), flags);
        return t.group.files.install(f, (flags & Eventfd.EFD_CLOEXEC) != 0, 0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
    }

    private boolean nonBlocking() {
        return (flags & Fcntl.O_NONBLOCK) != 0;
    }

    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        if (len < 8) throw ErrnoException.of(Errno.EINVAL);
        long v;
        while (true) {
            synchronized (this) {
                if (count != 0) {
                    v = semaphore ? 1 : count;
                    count -= v;
                    break;
                }
                if (nonBlocking()) throw ErrnoException.of(Errno.EAGAIN);
            }
            if (t.waitEvent(wqh, () -> nonZero(), Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
        wqh.wakeAll(dev.kava.abi.Poll.POLLOUT);
        Uaccess.putLong(dst, off, v);
        return 8;
    }

    private synchronized boolean nonZero() {
        return count != 0;
    }

    private synchronized boolean fits(long v) {
        return Long.compareUnsigned(MAX - count, v) > 0;
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        if (len < 8) throw ErrnoException.of(Errno.EINVAL);
        long v = Uaccess.getLong(src, off);
        if (v == MAX) throw ErrnoException.of(Errno.EINVAL);
        while (true) {
            synchronized (this) {
                if (Long.compareUnsigned(MAX - count, v) > 0) {
                    count += v;
                    break;
                }
                if (nonBlocking()) throw ErrnoException.of(Errno.EAGAIN);
            }
            if (t.waitEvent(wqh, () -> fits(v), Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
        wqh.wakeAll(dev.kava.abi.Poll.POLLIN);
        return 8;
    }

    /** eventfd_poll */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(wqh);
        long c;
        synchronized (this) {
            c = count;
        }
        int mask = 0;
        if (c != 0) mask |= dev.kava.abi.Poll.POLLIN;
        if (c == MAX) mask |= dev.kava.abi.Poll.POLLERR;
        if (Long.compareUnsigned(MAX - 1, c) > 0) mask |= dev.kava.abi.Poll.POLLOUT;
        return mask;
    }
}
