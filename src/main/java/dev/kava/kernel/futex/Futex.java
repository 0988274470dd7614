package dev.kava.kernel.futex;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

import static dev.kava.abi.Futex.*;

/**
 * Fast user-space mutexes (kernel/futex/: core.c, waitwake.c, requeue.c, pi.c, syscalls.c).
 *
 * <p>Waiters hang in a hash of buckets keyed like Linux's futex keys: a private futex (or a
 * shared-flagged one in private anonymous memory) by its address space and address, a futex in a
 * MAP_SHARED mapping by its page frame and offset, so that processes sharing the memory meet.
 * The value check and the enqueue happen under the bucket lock, and wakers take the same lock,
 * so no wake-up is lost between them. The futex word is read and changed with real atomics on
 * the frame's memory, the same memory the guest's AMOs and LR/SC use.
 *
 * <p>PI futexes implement the ownership protocol (TID, FUTEX_WAITERS, FUTEX_OWNER_DIED, direct
 * hand-over on unlock) without priority boosting. FUTEX_WAIT_REQUEUE_PI/FUTEX_CMP_REQUEUE_PI are in
 * FutexRequeuePi, the futex2 calls futex_wake/futex_wait/futex_requeue in Futex2; all share these
 * buckets and keys.
 */
public final class Futex {
    private Futex() {}

    static final VarHandle LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    /**
     * A futex key. base is an AddressSpace (private, and shared-flagged in private memory, where
     * mmShared tells them apart as FUT_OFF_MMSHARED does) or a Page (shared memory); off is the
     * address or the offset in the frame.
     */
    record Key(Object base, long off, boolean mmShared) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.base == base && k.off == off && k.mmShared == mmShared;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(base) * 31 + Long.hashCode(off) * 7 + (mmShared ? 1 : 0);
        }
    }

    /** One sleeping waiter (struct futex_q). */
    static final class Q {
        final Task task;
        Key key;
        Bucket bucket;
        final int bitset;
        /** A PI waiter; a requeue-PI waiter becomes one when requeued onto the PI futex. */
        volatile boolean pi;
        /** For FUTEX_WAIT_REQUEUE_PI (the rt_waiter): the key of the PI futex it may be requeued to. */
        Key requeuePiKey;
        /** For FUTEX_WAIT_REQUEUE_PI: the waiter's address of the PI futex. */
        long uaddr2;
        WaitQueue wq = new WaitQueue();
        /** Set under the bucket lock when woken (or, for PI, when the lock was handed over). */
        volatile boolean woken;
        /** The address the waiter used (for PI hand-over at the owner's exit). */
        long uaddr;
        /** Set for a PI waiter when the lock was handed over to it. */
        volatile boolean granted;

        Q(Task task, Key key, int bitset, boolean pi) {
            this.task = task;
            this.key = key;
            this.bitset = bitset;
            this.pi = pi;
        }
    }

    /** A hash bucket (struct futex_hash_bucket): its lock and its waiters in FIFO order. */
    static final class Bucket {
        final ReentrantLock lock = new ReentrantLock();
        final List<Q> chain = new ArrayList<>();
        /** PI owners by key (pi_state), kept while the futex has waiters. */
        final Map<Key, Task> piOwner = new java.util.HashMap<>();
    }

    private static final int HASH_SIZE = 256;
    private static final Bucket[] BUCKETS = new Bucket[HASH_SIZE];

    static {
        for (int i = 0; i < HASH_SIZE; i++) BUCKETS[i] = new Bucket();
    }

    static Bucket[] buckets() {
        return BUCKETS;
    }

    static Bucket bucket(Key k) {
        int h = k.hashCode();
        h ^= h >>> 16;
        return BUCKETS[h & (HASH_SIZE - 1)];
    }

    public static void register(SyscallTable t) {
        t.register(SyscallNr.FUTEX, (task, a) -> sysFutex(task, a[0], (int) a[1], (int) a[2], a[3], a[4], (int) a[5]));
        t.register(SyscallNr.FUTEX_WAKE, (task, a) -> Futex2.sysFutexWake(task, a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.FUTEX_WAIT, (task, a) -> Futex2.sysFutexWait(task, a[0], a[1], a[2], (int) a[3], a[4], (int) a[5]));
        t.register(SyscallNr.FUTEX_REQUEUE, (task, a) -> Futex2.sysFutexRequeue(task, a[0], (int) a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.FUTEX_WAITV, (task, a) -> FutexWaitv.sysFutexWaitv(task, a[0], (int) a[1], (int) a[2], a[3], (int) a[4]));
        t.register(SyscallNr.SET_ROBUST_LIST, (task, a) -> Robust.setRobustList(task, a[0], a[1]));
        t.register(SyscallNr.GET_ROBUST_LIST, (task, a) -> Robust.getRobustList(task, (int) a[0], a[1], a[2]));
    }

    // ---- futex words ----

    /** get_futex_key: EINVAL for misalignment, EFAULT outside user space or (shared) unmapped. */
    static Key key(Task t, long uaddr, boolean shared, boolean write) {
        if ((uaddr & 3) != 0) throw ErrnoException.of(Errno.EINVAL);
        if (uaddr < 0 || uaddr + 4 > AddressSpace.USER_TOP) throw ErrnoException.of(Errno.EFAULT);
        Mmap mm = t.group.mm;
        if (!shared) return new Key(mm.as, uaddr, false);
        Mmap.Vma v = mm.findVma(uaddr);
        if (v == null || v.start() > uaddr) throw ErrnoException.of(Errno.EFAULT);
        Page p = mm.as.translate(uaddr, write ? AddressSpace.ACCESS_WRITE : AddressSpace.ACCESS_READ);
        if (p == null) throw ErrnoException.of(Errno.EFAULT);
        if (!v.shared()) return new Key(mm.as, uaddr, true); // anonymous private memory: (mm, address)
        return new Key(p, uaddr & Page.MASK, false);
    }

    /** The frame holding a futex word, or EFAULT. */
    static Page frame(Task t, long uaddr, boolean write) {
        Page p = t.group.mm.as.translate(uaddr, write ? AddressSpace.ACCESS_WRITE : AddressSpace.ACCESS_READ);
        if (p == null) throw ErrnoException.of(Errno.EFAULT);
        return p;
    }

    /** futex_get_value_locked: an atomic 32-bit load of the word. */
    static int getValue(Task t, long uaddr) {
        Page p = frame(t, uaddr, false);
        return (int) LE32.getVolatile(p.mem, uaddr & Page.MASK);
    }

    /** futex_cmpxchg_value_locked: returns the value found (the swap happened iff it equals expect). */
    static int cmpxchg(Task t, long uaddr, int expect, int update) {
        Page p = frame(t, uaddr, true);
        if (p.icache != null) p.icache = null;
        return (int) LE32.compareAndExchange(p.mem, uaddr & Page.MASK, expect, update);
    }

    // ---- the syscall ----

    /** SYSCALL_DEFINE6(futex) and do_futex (kernel/futex/syscalls.c). */
    static long sysFutex(Task t, long uaddr, int op, int val, long utime, long uaddr2, int val3) {
        int cmd = op & FUTEX_CMD_MASK;
        boolean shared = (op & FUTEX_PRIVATE_FLAG) == 0;
        boolean clockRt = (op & FUTEX_CLOCK_REALTIME) != 0;
        long deadline = Long.MAX_VALUE;
        boolean hasTimeout = false, rt = false;
        if (utime != 0 && hasTimeout(cmd)) {
            byte[] b = t.mem.read(utime, 16);
            long sec = dev.kava.kernel.Uaccess.getLong(b, 0), nsec = dev.kava.kernel.Uaccess.getLong(b, 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) return -Errno.EINVAL;
            hasTimeout = true;
            long ns = saturatingNanos(sec, nsec);
            if (cmd == FUTEX_WAIT) {
                deadline = saturatingAdd(t.kernel.clock().monotonicNanos(), ns);
            } else if (cmd == FUTEX_LOCK_PI || clockRt) {
                deadline = ns; // an absolute CLOCK_REALTIME time, which follows the clock when it is set
                rt = true;
            } else {
                deadline = ns;
            }
        }
        if (clockRt && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2) {
            return -Errno.ENOSYS;
        }
        int val2 = (int) utime; // the timeout argument doubles as val2 (nr_requeue, nr_wake2)
        return switch (cmd) {
            case FUTEX_WAIT -> wait(t, uaddr, shared, val, hasTimeout, deadline, rt, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAIT_BITSET -> wait(t, uaddr, shared, val, hasTimeout, deadline, rt, val3);
            case FUTEX_WAKE -> wake(t, uaddr, shared, val, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET -> wake(t, uaddr, shared, val, val3);
            case FUTEX_REQUEUE -> requeue(t, uaddr, shared, uaddr2, shared, val, val2, false, 0);
            case FUTEX_CMP_REQUEUE -> requeue(t, uaddr, shared, uaddr2, shared, val, val2, true, val3);
            case FUTEX_WAKE_OP -> wakeOp(t, uaddr, shared, uaddr2, val, val2, val3);
            case FUTEX_LOCK_PI, FUTEX_LOCK_PI2 -> FutexPi.lockPi(t, uaddr, shared, hasTimeout ? deadline : Long.MAX_VALUE, rt, false);
            case FUTEX_TRYLOCK_PI -> FutexPi.lockPi(t, uaddr, shared, Long.MAX_VALUE, false, true);
            case FUTEX_UNLOCK_PI -> FutexPi.unlockPi(t, uaddr, shared);
            case FUTEX_WAIT_REQUEUE_PI -> FutexRequeuePi.waitRequeuePi(t, uaddr, shared, val, hasTimeout, deadline, rt, uaddr2);
            case FUTEX_CMP_REQUEUE_PI -> FutexRequeuePi.cmpRequeuePi(t, uaddr, shared, uaddr2, val, val2, val3);
            default -> -Errno.ENOSYS;
        };
    }

    private static boolean hasTimeout(int cmd) {
        return cmd == FUTEX_WAIT || cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_BITSET
                || cmd == FUTEX_WAIT_REQUEUE_PI;
    }

    static long saturatingNanos(long sec, long nsec) {
        if (sec >= Long.MAX_VALUE / 1_000_000_000L) return Long.MAX_VALUE;
        return sec * 1_000_000_000L + nsec;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * Waits for cond, a signal or the deadline: kernel monotonic ns, or with rt an absolute
     * CLOCK_REALTIME time, which moves with the wall clock when it is set (FLAGS_CLOCKRT's
     * hrtimer on the realtime base).
     */
    static int waitUntil(Task t, dev.kava.kernel.sched.WaitQueue wq, java.util.function.BooleanSupplier cond,
                         long deadline, boolean rt) {
        return rt ? t.waitEventRealtime(wq, cond, deadline) : t.waitEvent(wq, cond, deadline);
    }

    // ---- wait and wake (kernel/futex/waitwake.c) ----

    /** futex_wait. */
    static long wait(Task t, long uaddr, boolean shared, int val, boolean hasTimeout, long deadline, boolean rt, int bitset) {
        if (bitset == 0) return -Errno.EINVAL;
        Key k = key(t, uaddr, shared, false);
        Q q = new Q(t, k, bitset, false);
        Bucket b = bucket(k);
        b.lock.lock();
        try {
            int cur = getValue(t, uaddr);
            if (cur != val) return -Errno.EAGAIN;
            q.bucket = b;
            b.chain.add(q);
        } finally {
            b.lock.unlock();
        }
        int r = waitUntil(t, q.wq, () -> q.woken, deadline, rt);
        if (!unqueue(q)) return 0; // woken, whatever waitEvent said
        if (r == -Errno.ETIMEDOUT) return -Errno.ETIMEDOUT;
        if (r == -Errno.EINTR) {
            if (!hasTimeout) return -Errno.ERESTARTSYS;
            Restart.set(t, uaddr, shared, val, deadline, rt, bitset);
            return -Errno.ERESTART_RESTARTBLOCK;
        }
        return r < 0 ? r : 0;
    }

    /**
     * Takes q off its bucket (futex_unqueue). Returns false when it was already gone: a waker
     * took it, so the wait succeeded. The bucket may change under us (requeue): retry then.
     */
    static boolean unqueue(Q q) {
        while (true) {
            Bucket b = q.bucket;
            if (b == null) return false;
            b.lock.lock();
            try {
                if (q.bucket != b) continue;
                if (q.woken) return false;
                b.chain.remove(q);
                q.bucket = null;
                return true;
            } finally {
                b.lock.unlock();
            }
        }
    }

    /** Marks q woken and takes it off its bucket; the caller holds the bucket lock (futex_wake_mark). */
    static void markWoken(Q q, List<Q> toWake) {
        q.bucket.chain.remove(q);
        q.bucket = null;
        q.woken = true;
        toWake.add(q);
    }

    static void wakeUp(List<Q> qs) {
        for (Q q : qs) q.wq.wakeAll();
    }

    /** futex_wake. */
    static long wake(Task t, long uaddr, boolean shared, int nrWake, int bitset) {
        if (bitset == 0) return -Errno.EINVAL;
        Key k = key(t, uaddr, shared, false);
        return wakeKey(k, nrWake, bitset);
    }

    static long wakeKey(Key k, int nrWake, int bitset) {
        Bucket b = bucket(k);
        List<Q> toWake = new ArrayList<>();
        int ret = 0;
        b.lock.lock();
        try {
            for (Q q : new ArrayList<>(b.chain)) {
                if (!q.key.equals(k)) continue;
                if (q.pi || q.requeuePiKey != null) {
                    ret = -Errno.EINVAL;
                    break;
                }
                if ((q.bitset & bitset) == 0) continue;
                markWoken(q, toWake);
                if (++ret >= nrWake) break;
            }
        } finally {
            b.lock.unlock();
        }
        wakeUp(toWake);
        return ret;
    }

    /** Locks two buckets in a fixed order (double_lock_hb). */
    static void lock2(Bucket a, Bucket b) {
        if (a == b) {
            a.lock.lock();
        } else if (System.identityHashCode(a) <= System.identityHashCode(b)) {
            a.lock.lock();
            b.lock.lock();
        } else {
            b.lock.lock();
            a.lock.lock();
        }
    }

    static void unlock2(Bucket a, Bucket b) {
        a.lock.unlock();
        if (a != b) b.lock.unlock();
    }

    /** futex_requeue (kernel/futex/requeue.c) for plain futexes. */
    static long requeue(Task t, long uaddr1, boolean shared1, long uaddr2, boolean shared2, int nrWake, int nrRequeue,
                        boolean cmp, int cmpval) {
        if (nrWake < 0 || nrRequeue < 0) return -Errno.EINVAL;
        Key k1 = key(t, uaddr1, shared1, false);
        Key k2 = key(t, uaddr2, shared2, false);
        Bucket b1 = bucket(k1), b2 = bucket(k2);
        List<Q> toWake = new ArrayList<>();
        int count = 0;
        long ret = 0;
        lock2(b1, b2);
        try {
            if (cmp) {
                int cur = getValue(t, uaddr1);
                if (cur != cmpval) return -Errno.EAGAIN;
            }
            for (Q q : new ArrayList<>(b1.chain)) {
                if (count - nrWake >= nrRequeue) break;
                if (!q.key.equals(k1)) continue;
                if (q.pi || q.requeuePiKey != null) {
                    ret = -Errno.EINVAL;
                    break;
                }
                if (++count <= nrWake) {
                    markWoken(q, toWake);
                } else {
                    // requeue_futex: move to the second key's bucket.
                    b1.chain.remove(q);
                    q.key = k2;
                    q.bucket = b2;
                    b2.chain.add(q);
                }
            }
        } finally {
            unlock2(b1, b2);
            wakeUp(toWake);
        }
        return ret != 0 ? ret : count;
    }

    /** futex_wake_op: atomically operate on uaddr2, wake on uaddr1, and conditionally on uaddr2. */
    static long wakeOp(Task t, long uaddr1, boolean shared, long uaddr2, int nrWake, int nrWake2, int encodedOp) {
        Key k1 = key(t, uaddr1, shared, false);
        Key k2 = key(t, uaddr2, shared, true);
        Bucket b1 = bucket(k1), b2 = bucket(k2);
        List<Q> toWake = new ArrayList<>();
        int ret = 0;
        lock2(b1, b2);
        try {
            int opRet = atomicOp(t, encodedOp, uaddr2);
            if (opRet < 0) return opRet;
            for (Q q : new ArrayList<>(b1.chain)) {
                if (!q.key.equals(k1)) continue;
                if (q.pi || q.requeuePiKey != null) return -Errno.EINVAL;
                markWoken(q, toWake);
                if (++ret >= nrWake) break;
            }
            if (opRet > 0) {
                int op2 = 0;
                for (Q q : new ArrayList<>(b2.chain)) {
                    if (!q.key.equals(k2)) continue;
                    if (q.pi || q.requeuePiKey != null) return -Errno.EINVAL;
                    markWoken(q, toWake);
                    if (++op2 >= nrWake2) break;
                }
                ret += op2;
            }
        } finally {
            unlock2(b1, b2);
            wakeUp(toWake);
        }
        return ret;
    }

    /** futex_atomic_op_inuser: the operation, then the comparison of the old value (1 true, 0 false, -errno). */
    static int atomicOp(Task t, int encodedOp, long uaddr) {
        int op = (encodedOp & 0x70000000) >>> 28;
        int cmp = (encodedOp & 0x0f000000) >>> 24;
        int oparg = ((encodedOp & 0x00fff000) >>> 12) << 20 >> 20;
        int cmparg = (encodedOp & 0x00000fff) << 20 >> 20;
        if ((encodedOp & (FUTEX_OP_OPARG_SHIFT << 28)) != 0) {
            oparg = 1 << (oparg & 31); // Linux warns about shifts outside 0..31 and masks them
        }
        if (op > FUTEX_OP_XOR) return -Errno.ENOSYS;
        Page p = frame(t, uaddr, true);
        if (p.icache != null) p.icache = null;
        long off = uaddr & Page.MASK;
        int old;
        while (true) {
            old = (int) LE32.getVolatile(p.mem, off);
            int nv = switch (op) {
                case FUTEX_OP_SET -> oparg;
                case FUTEX_OP_ADD -> old + oparg;
                case FUTEX_OP_OR -> old | oparg;
                case FUTEX_OP_ANDN -> old & ~oparg;
                default -> old ^ oparg;
            };
            if (LE32.compareAndSet(p.mem, off, old, nv)) break;
        }
        return switch (cmp) {
            case FUTEX_OP_CMP_EQ -> old == cmparg ? 1 : 0;
            case FUTEX_OP_CMP_NE -> old != cmparg ? 1 : 0;
            case FUTEX_OP_CMP_LT -> old < cmparg ? 1 : 0;
            case FUTEX_OP_CMP_GE -> old >= cmparg ? 1 : 0;
            case FUTEX_OP_CMP_LE -> old <= cmparg ? 1 : 0;
            case FUTEX_OP_CMP_GT -> old > cmparg ? 1 : 0;
            default -> -Errno.ENOSYS;
        };
    }

    // ---- restart of an interrupted timed wait (futex_wait_restart) ----

    /** The restart block of a FUTEX_WAIT(_BITSET) with a timeout that a signal interrupted. */
    public static final class Restart {
        private static final Map<Task, Restart> BLOCKS = Collections.synchronizedMap(new WeakHashMap<>());
        final long uaddr, deadline;
        final boolean shared, rt;
        final int val, bitset;

        private Restart(long uaddr, boolean shared, int val, long deadline, boolean rt, int bitset) {
            this.uaddr = uaddr;
            this.rt = rt;
            this.shared = shared;
            this.val = val;
            this.deadline = deadline;
            this.bitset = bitset;
        }

        static void set(Task t, long uaddr, boolean shared, int val, long deadline, boolean rt, int bitset) {
            BLOCKS.put(t, new Restart(uaddr, shared, val, deadline, rt, bitset));
        }

        /**
         * futex_wait_restart: for restart_syscall (the signals engineer's) when the task's
         * restart block is the futex one. Returns -EINTR when there is none.
         */
        public static long restart(Task t) {
            Restart r = BLOCKS.remove(t);
            if (r == null) return -Errno.EINTR;
            return Futex.wait(t, r.uaddr, r.shared, r.val, true, r.deadline, r.rt, r.bitset);
        }

        /** Whether the task's pending restart block is a futex wait. */
        public static boolean pending(Task t) {
            return BLOCKS.containsKey(t);
        }
    }

    // ---- exit (futex_exit_release: robust list, PI state, clear_child_tid) ----

    /**
     * Called by the exit path of every thread (and by exec, futex_exec_release): walks the robust
     * list, gives up PI futexes the task owns, then clears and wakes clear_child_tid (mm_release).
     */
    public static void exitMm(Task t) {
        try {
            Robust.exitRobustList(t);
        } catch (ErrnoException ignored) {
            // a fault ends the walk, as in exit_robust_list
        }
        FutexPi.exitPiState(t);
        long ctid = t.clearChildTid;
        if (ctid != 0) {
            t.clearChildTid = 0;
            try {
                t.mem.write32(ctid, 0);
                wake(t, ctid, true, 1, FUTEX_BITSET_MATCH_ANY);
            } catch (ErrnoException ignored) {
                // put_user failing is ignored by mm_release
            }
        }
    }
}
