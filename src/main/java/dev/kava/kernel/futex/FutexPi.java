package dev.kava.kernel.futex;

import dev.kava.abi.Errno;
import dev.kava.kernel.Task;
import dev.kava.kernel.futex.Futex.Bucket;
import dev.kava.kernel.futex.Futex.Key;
import dev.kava.kernel.futex.Futex.Q;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.kava.abi.Futex.*;

/**
 * Priority-inheritance futexes (kernel/futex/pi.c) without the priority boosting: the user-space
 * protocol of TID, FUTEX_WAITERS and FUTEX_OWNER_DIED, kernel-side waiters queued FIFO, and the
 * direct hand-over of the lock to the first waiter on unlock (wake_futex_pi).
 */
final class FutexPi {
    private FutexPi() {}

    /** futex_lock_pi (and FUTEX_TRYLOCK_PI). */
    static long lockPi(Task t, long uaddr, boolean shared, long deadline, boolean rt, boolean trylock) {
        Key k = Futex.key(t, uaddr, shared, true);
        Bucket b = Futex.bucket(k);
        int vpid = t.tid;
        Q q = new Q(t, k, FUTEX_BITSET_MATCH_ANY, true);
        q.uaddr = uaddr;
        b.lock.lock();
        try {
            while (true) {
                int uval = Futex.getValue(t, uaddr);
                if ((uval & FUTEX_TID_MASK) == vpid) return -Errno.EDEADLK;
                Q top = topWaiter(b, k);
                if (top != null) {
                    // attach_to_pi_state: the kernel state must agree with the word's owner.
                    Task owner = b.piOwner.get(k);
                    int tid = uval & FUTEX_TID_MASK;
                    if (owner == null || (tid != 0 && owner.tid != tid)) return -Errno.EINVAL;
                    if ((uval & FUTEX_WAITERS) == 0) {
                        int cur = Futex.cmpxchg(t, uaddr, uval, uval | FUTEX_WAITERS);
                        if (cur != uval) continue;
                    }
                    break;
                }
                if ((uval & FUTEX_TID_MASK) == 0) {
                    // Nobody owns it: take it, keeping OWNER_DIED.
                    int nv = (uval & FUTEX_OWNER_DIED) | vpid;
                    if (Futex.cmpxchg(t, uaddr, uval, nv) != uval) continue;
                    return 0;
                }
                // First waiter: set FUTEX_WAITERS, then attach to the owner (attach_to_pi_owner).
                int nv = uval | FUTEX_WAITERS;
                if (Futex.cmpxchg(t, uaddr, uval, nv) != uval) continue;
                Task owner = t.kernel.findTask(uval & FUTEX_TID_MASK);
                if (owner == null) {
                    // handle_exit_race: the owner is gone without the robust list cleaning up.
                    return Futex.getValue(t, uaddr) != nv ? -Errno.EAGAIN : -Errno.ESRCH;
                }
                b.piOwner.put(k, owner);
                break;
            }
            if (trylock) {
                if (topWaiter(b, k) == null) b.piOwner.remove(k);
                return -Errno.EAGAIN;
            }
            q.bucket = b;
            b.chain.add(q);
        } finally {
            b.lock.unlock();
        }
        int r = Futex.waitUntil(t, q.wq, () -> q.woken, deadline, rt);
        b = q.bucket;
        if (!Futex.unqueue(q)) return 0; // the lock was handed to us
        if (b != null) {
            b.lock.lock();
            try {
                if (topWaiter(b, k) == null) b.piOwner.remove(k);
            } finally {
                b.lock.unlock();
            }
        }
        if (r == -Errno.ETIMEDOUT) return -Errno.ETIMEDOUT;
        if (r == -Errno.EINTR) return -Errno.ERESTARTNOINTR;
        return r < 0 ? r : 0;
    }

    static Q topWaiter(Bucket b, Key k) {
        for (Q q : b.chain) if (q.pi && q.key.equals(k)) return q;
        return null;
    }

    /** futex_unlock_pi. */
    static long unlockPi(Task t, long uaddr, boolean shared) {
        int vpid = t.tid;
        int uval = t.mem.read32(uaddr);
        if ((uval & FUTEX_TID_MASK) != vpid) return -Errno.EPERM;
        Key k = Futex.key(t, uaddr, shared, true);
        Bucket b = Futex.bucket(k);
        List<Q> toWake = new ArrayList<>();
        b.lock.lock();
        try {
            while (true) {
                uval = Futex.getValue(t, uaddr);
                if ((uval & FUTEX_TID_MASK) != vpid) return -Errno.EPERM;
                Q top = topWaiter(b, k);
                if (top != null) {
                    // wake_futex_pi: hand the lock to the top waiter.
                    int nv = FUTEX_WAITERS | top.task.tid;
                    int cur = Futex.cmpxchg(t, uaddr, uval, nv);
                    if (cur != uval) continue;
                    handOver(b, k, top, toWake);
                    return 0;
                }
                // No kernel waiters: release, dropping WAITERS and OWNER_DIED.
                b.piOwner.remove(k);
                int cur = Futex.cmpxchg(t, uaddr, uval, 0);
                return cur == uval ? 0 : -Errno.EAGAIN;
            }
        } finally {
            b.lock.unlock();
            Futex.wakeUp(toWake);
        }
    }

    private static void handOver(Bucket b, Key k, Q top, List<Q> toWake) {
        top.granted = true;
        Futex.markWoken(top, toWake);
        if (topWaiter(b, k) != null) b.piOwner.put(k, top.task);
        else b.piOwner.remove(k);
    }

    /**
     * exit_pi_state_list: PI futexes the dead task owned pass to their first waiter, which finds
     * FUTEX_OWNER_DIED preserved if the robust list set it.
     */
    static void exitPiState(Task t) {
        for (Bucket b : allBuckets()) {
            List<Q> toWake = new ArrayList<>();
            b.lock.lock();
            try {
                for (Map.Entry<Key, Task> e : new ArrayList<>(b.piOwner.entrySet())) {
                    if (e.getValue() != t) continue;
                    Key k = e.getKey();
                    Q top = topWaiter(b, k);
                    if (top == null) {
                        b.piOwner.remove(k);
                        continue;
                    }
                    long uaddr = wordAddress(top, k);
                    try {
                        while (true) {
                            int uval = Futex.getValue(top.task, uaddr);
                            int nv = (uval & FUTEX_OWNER_DIED) | FUTEX_WAITERS | top.task.tid;
                            if (Futex.cmpxchg(top.task, uaddr, uval, nv) == uval) break;
                        }
                    } catch (dev.kava.kernel.ErrnoException ex) {
                        // the word is gone: the waiter still gets the (kernel) lock
                    }
                    handOver(b, k, top, toWake);
                }
            } finally {
                b.lock.unlock();
                Futex.wakeUp(toWake);
            }
        }
    }

    /** The waiter's own address of the futex word (its uaddr). */
    private static long wordAddress(Q q, Key k) {
        return q.uaddr;
    }

    private static Bucket[] allBuckets() {
        return Futex.buckets();
    }
}
