package dev.kava.fs.notify.inotify;

import dev.kava.kernel.Kernel;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * inotify's limits (/proc/sys/fs/inotify) and what each user holds against them (the
 * UCOUNT_INOTIFY_INSTANCES and UCOUNT_INOTIFY_WATCHES counts of kernel/ucount.c), one set per
 * kernel: kava has one user namespace, the initial one.
 */
public final class InotifyUcounts {
    /** inotify_user_setup's defaults: 16384 queued events, 128 instances per user. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 16384;
    public static final int DEFAULT_MAX_USER_INSTANCES = 128;
    /**
     * INOTIFY_WATCH_COST on a 64-bit kernel: sizeof(struct inotify_inode_mark) plus twice
     * sizeof(struct inode), about 1.3 KiB; 1% of memory may go to watches.
     */
    static final long INOTIFY_WATCH_COST = 1312;

    private static final Map<Kernel, InotifyUcounts> BY_KERNEL = new WeakHashMap<>();

    /** max_queued_events: the queue length of instances made from now on (proc_dointvec_minmax, >= 0). */
    public volatile int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
    /** max_user_instances (0..INT_MAX). */
    public volatile long maxUserInstances = DEFAULT_MAX_USER_INSTANCES;
    /** max_user_watches (0..INT_MAX). */
    public volatile long maxUserWatches;

    private final Map<Integer, User> users = new HashMap<>();

    /**
     * What the queued events of all instances may take (their struct inotify_event bytes): a
     * 64th of memory, at least 16 MiB. Linux charges each event to the listener's memory cgroup
     * and reports a failed allocation as a queue overflow; kava does the same past this budget,
     * so that a root that raised max_queued_events cannot fill the host's heap.
     */
    private final long eventBudget;
    private final java.util.concurrent.atomic.AtomicLong eventBytes = new java.util.concurrent.atomic.AtomicLong();

    private InotifyUcounts(long memoryBytes) {
        eventBudget = Math.max(memoryBytes / 64, 16L << 20);
        // inotify_user_setup: 1% of memory, in watches, clamped to [8192, 1048576].
        long pages = memoryBytes >>> 12;
        long max = ((pages / 100) << 12) / INOTIFY_WATCH_COST;
        maxUserWatches = Math.max(8192, Math.min(max, 1048576));
    }

    /** Charges an event of n bytes; false when the budget is spent (the allocation "failed"). */
    boolean chargeEvent(int n) {
        if (eventBytes.addAndGet(n) <= eventBudget) return true;
        eventBytes.addAndGet(-n);
        return false;
    }

    void unchargeEvents(long n) {
        eventBytes.addAndGet(-n);
    }

    /** The limits of kernel k. */
    public static InotifyUcounts of(Kernel k) {
        synchronized (BY_KERNEL) {
            return BY_KERNEL.computeIfAbsent(k, kk -> new InotifyUcounts(kk.memoryBytes()));
        }
    }

    /** One user's counts (struct ucounts). */
    final class User {
        final int uid;
        long instances;
        long watches;

        User(int uid) {
            this.uid = uid;
        }

        /** inc_inotify_watches: false at the limit. */
        boolean incWatches() {
            synchronized (InotifyUcounts.this) {
                if (watches >= maxUserWatches) return false;
                watches++;
                return true;
            }
        }

        void decWatches() {
            synchronized (InotifyUcounts.this) {
                watches--;
            }
        }

        /** dec_inotify_instances: the instance is gone. */
        void decInstances() {
            synchronized (InotifyUcounts.this) {
                instances--;
                if (instances == 0 && watches == 0) users.remove(uid);
            }
        }
    }

    /** inc_ucount(UCOUNT_INOTIFY_INSTANCES) for uid: null at the limit. */
    synchronized User incInstances(int uid) {
        User u = users.computeIfAbsent(uid, User::new);
        if (u.instances >= maxUserInstances) {
            if (u.instances == 0 && u.watches == 0) users.remove(uid);
            return null;
        }
        u.instances++;
        return u;
    }
}
