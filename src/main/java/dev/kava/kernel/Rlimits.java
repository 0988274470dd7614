package dev.kava.kernel;

import dev.kava.abi.Resource;

/**
 * A process's resource limits (signal_struct->rlim). Defaults are Linux's INIT_RLIMITS
 * (include/asm-generic/resource.h) for a machine of the kernel's memory size.
 */
public final class Rlimits {
    private static final long INF = Resource.RLIM_INFINITY;

    private final long[] cur = new long[Resource.RLIM_NLIMITS];
    private final long[] max = new long[Resource.RLIM_NLIMITS];

    /** @param maxThreads the kernel's max_threads; NPROC and SIGPENDING default to half of it, as fork_init() sets */
    public Rlimits(long maxThreads) {
        for (int i = 0; i < Resource.RLIM_NLIMITS; i++) set(i, INF, INF);
        set(Resource.RLIMIT_STACK, 8L << 20, INF);               // _STK_LIM
        set(Resource.RLIMIT_CORE, 0, INF);
        set(Resource.RLIMIT_NPROC, maxThreads / 2, maxThreads / 2);
        set(Resource.RLIMIT_NOFILE, 1024, 4096);                   // INR_OPEN_CUR, INR_OPEN_MAX
        set(Resource.RLIMIT_MEMLOCK, 8L << 20, 8L << 20);          // MLOCK_LIMIT
        set(Resource.RLIMIT_SIGPENDING, maxThreads / 2, maxThreads / 2);
        set(Resource.RLIMIT_MSGQUEUE, 819200, 819200);             // MQ_BYTES_MAX
        set(Resource.RLIMIT_NICE, 0, 0);
        set(Resource.RLIMIT_RTPRIO, 0, 0);
    }

    public synchronized long cur(int resource) {
        return cur[resource];
    }

    public synchronized long max(int resource) {
        return max[resource];
    }

    public synchronized void set(int resource, long soft, long hard) {
        cur[resource] = soft;
        max[resource] = hard;
    }
}
