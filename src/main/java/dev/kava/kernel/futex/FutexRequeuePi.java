package dev.kava.kernel.futex;

import dev.kava.abi.Errno;
import dev.kava.kernel.Task;
import dev.kava.kernel.futex.Futex.Bucket;
import dev.kava.kernel.futex.Futex.Key;
import dev.kava.kernel.futex.Futex.Q;

import java.util.ArrayList;
import java.util.List;

import static dev.kava.abi.Futex.*;

/**
 * FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI (kernel/futex/requeue.c): a waiter sleeps on a
 * non-PI condvar futex and is either handed the PI futex uaddr2 directly (when it is free) or
 * moved onto uaddr2's PI waiters, where FUTEX_UNLOCK_PI hands the lock to it. Either way it
 * returns 0 owning uaddr2. Like FutexPi, without priority boosting.
 */
final class FutexRequeuePi {
    private FutexRequeuePi() {}

    /** futex_wait_requeue_pi. */
    static long waitRequeuePi(Task t, long uaddr, boolean shared, int val, boolean hasTimeout, long deadline, boolean rt, long uaddr2) {
        if (uaddr == uaddr2) return -Errno.EINVAL;
        Key k2 = Futex.key(t, uaddr2, shared, true);
        // futex_wait_setup with key2: the same futex through different addresses is refused too.
        Key k1 = Futex.key(t, uaddr, shared, false);
        if (k1.equals(k2)) return -Errno.EINVAL;
        Q q = new Q(t, k1, FUTEX_BITSET_MATCH_ANY, false);
        q.requeuePiKey = k2;
        q.uaddr2 = uaddr2;
        Bucket b1 = Futex.bucket(k1);
        b1.lock.lock();
        try {
            if (Futex.getValue(t, uaddr) != val) return -Errno.EAGAIN;
            q.bucket = b1;
            b1.chain.add(q);
        } finally {
            b1.lock.unlock();
        }
        int r = Futex.waitUntil(t, q.wq, () -> q.woken, hasTimeout ? deadline : Long.MAX_VALUE, rt);
        if (!Futex.unqueue(q)) return 0; // the lock was handed to us (by the requeue or by an unlock)
        if (q.pi) {
            // Requeued onto the PI futex, then timed out or interrupted (rt_mutex_wait_proxy_lock).
            Bucket b2 = Futex.bucket(k2);
            b2.lock.lock();
            try {
                if (FutexPi.topWaiter(b2, k2) == null) b2.piOwner.remove(k2);
            } finally {
                b2.lock.unlock();
            }
            // -EINTR cannot restart after the requeue: Linux returns -EWOULDBLOCK.
            return r == -Errno.ETIMEDOUT ? -Errno.ETIMEDOUT : -Errno.EWOULDBLOCK;
        }
        // handle_early_requeue_pi_wakeup: still on uaddr.
        if (r == -Errno.ETIMEDOUT) return -Errno.ETIMEDOUT;
        if (r == -Errno.EINTR) return -Errno.ERESTARTNOINTR;
        return -Errno.EWOULDBLOCK;
    }

    /** futex_requeue with requeue_pi set (FUTEX_CMP_REQUEUE_PI). */
    static long cmpRequeuePi(Task t, long uaddr1, boolean shared, long uaddr2, int nrWake, int nrRequeue, int cmpval) {
        if (nrWake < 0 || nrRequeue < 0) return -Errno.EINVAL;
        if (uaddr1 == uaddr2) return -Errno.EINVAL;
        if (nrWake != 1) return -Errno.EINVAL;
        while (true) {
            Key k1 = Futex.key(t, uaddr1, shared, false);
            Key k2 = Futex.key(t, uaddr2, shared, true);
            if (k1.equals(k2)) return -Errno.EINVAL;
            Bucket b1 = Futex.bucket(k1), b2 = Futex.bucket(k2);
            List<Q> toWake = new ArrayList<>();
            int count = 0;
            long ret = 0;
            Futex.lock2(b1, b2);
            try {
                if (Futex.getValue(t, uaddr1) != cmpval) return -Errno.EAGAIN;
                int pr = proxyTrylockAtomic(t, uaddr2, b1, b2, k1, k2, nrRequeue != 0, toWake);
                if (pr == -Errno.EAGAIN) continue; // the word changed under us: retry
                if (pr < 0) return pr;
                if (pr == 1) count++;
                for (Q q : new ArrayList<>(b1.chain)) {
                    if (count - nrWake >= nrRequeue) break;
                    if (!q.key.equals(k1)) continue;
                    if (q.requeuePiKey == null || q.pi) {
                        ret = -Errno.EINVAL;
                        break;
                    }
                    if (!q.requeuePiKey.equals(k2)) {
                        ret = -Errno.EINVAL;
                        break;
                    }
                    // rt_mutex_start_proxy_lock: a waiter that owns the PI futex would deadlock.
                    if (b2.piOwner.get(k2) == q.task) {
                        ret = -Errno.EDEADLK;
                        break;
                    }
                    b1.chain.remove(q);
                    q.key = k2;
                    q.uaddr = q.uaddr2;
                    q.pi = true;
                    q.bucket = b2;
                    b2.chain.add(q);
                    count++;
                }
                if (FutexPi.topWaiter(b2, k2) == null) b2.piOwner.remove(k2);
            } finally {
                Futex.unlock2(b1, b2);
                Futex.wakeUp(toWake);
            }
            return ret != 0 ? ret : count;
        }
    }

    /**
     * futex_proxy_trylock_atomic: takes uaddr2 for the top waiter of uaddr1 if it is free (1, the
     * waiter is woken owning it), or makes sure the PI state names its owner (0). -errno on error.
     */
    private static int proxyTrylockAtomic(Task t, long uaddr2, Bucket b1, Bucket b2, Key k1, Key k2,
                                          boolean setWaiters, List<Q> toWake) {
        Q top = null;
        for (Q q : b1.chain) {
            if (q.key.equals(k1)) {
                top = q;
                break;
            }
        }
        if (top == null) return 0;
        if (top.requeuePiKey == null || top.pi) return -Errno.EINVAL;
        if (!top.requeuePiKey.equals(k2)) return -Errno.EINVAL;
        int r = lockPiAtomic(t, uaddr2, b2, k2, top.task, setWaiters);
        if (r == 1) {
            // requeue_pi_wake_futex: the waiter returns owning uaddr2.
            top.key = k2;
            top.granted = true;
            Futex.markWoken(top, toWake);
        }
        return r;
    }

    /** futex_lock_pi_atomic on behalf of task (the requeue-PI waiter). */
    private static int lockPiAtomic(Task t, long uaddr, Bucket b, Key k, Task task, boolean setWaiters) {
        int vpid = task.tid;
        int uval = Futex.getValue(t, uaddr);
        if ((uval & FUTEX_TID_MASK) == vpid) return -Errno.EDEADLK;
        if (FutexPi.topWaiter(b, k) != null) {
            // attach_to_pi_state: the kernel state must agree with the word's owner.
            Task owner = b.piOwner.get(k);
            int tid = uval & FUTEX_TID_MASK;
            if (owner == null || (tid != 0 && owner.tid != tid)) return -Errno.EINVAL;
            if ((uval & FUTEX_WAITERS) == 0 && Futex.cmpxchg(t, uaddr, uval, uval | FUTEX_WAITERS) != uval) {
                return -Errno.EAGAIN;
            }
            return 0;
        }
        if ((uval & FUTEX_TID_MASK) == 0) {
            int nv = (uval & FUTEX_OWNER_DIED) | vpid | (setWaiters ? FUTEX_WAITERS : 0);
            if (Futex.cmpxchg(t, uaddr, uval, nv) != uval) return -Errno.EAGAIN;
            if (setWaiters) b.piOwner.put(k, task);
            return 1;
        }
        int nv = uval | FUTEX_WAITERS;
        if (Futex.cmpxchg(t, uaddr, uval, nv) != uval) return -Errno.EAGAIN;
        Task owner = t.kernel.findTask(uval & FUTEX_TID_MASK);
        if (owner == null) {
            // handle_exit_race
            return Futex.getValue(t, uaddr) != nv ? -Errno.EAGAIN : -Errno.ESRCH;
        }
        b.piOwner.put(k, owner);
        return 0;
    }
}
