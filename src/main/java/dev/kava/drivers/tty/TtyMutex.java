package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.sched.WaitQueue;

/**
 * A sleeping mutex for a tty (atomic_write_lock, atomic_read_lock): held across a whole
 * read() or write() while its holder sleeps, so that the data of two calls is not interleaved.
 * A task waiting for it sleeps on a wait queue, giving up its vCPU, and a signal interrupts
 * the wait (mutex_lock_interruptible).
 */
final class TtyMutex {
    private final Object lock;
    private final WaitQueue waiters = new WaitQueue();
    private Task owner;

    TtyMutex(Object lock) {
        this.lock = lock;
    }

    boolean tryLock(Task t) {
        synchronized (lock) {
            if (owner != null) return false;
            owner = t;
            return true;
        }
    }

    /** mutex_lock_interruptible: throws ERESTARTSYS when a signal comes first. */
    void lockInterruptibly(Task t) {
        while (!tryLock(t)) {
            if (t.waitEvent(waiters, this::free, Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    /** tty_write_lock: with ndelay, EAGAIN instead of waiting. */
    void lock(Task t, boolean ndelay) {
        if (tryLock(t)) return;
        if (ndelay) throw ErrnoException.of(Errno.EAGAIN);
        lockInterruptibly(t);
    }

    void unlock() {
        synchronized (lock) {
            owner = null;
        }
        waiters.wakeAll();
    }

    boolean isLocked() {
        synchronized (lock) {
            return owner != null;
        }
    }

    private boolean free() {
        synchronized (lock) {
            return owner == null;
        }
    }
}
