package dev.kava.kernel;

import dev.kava.arch.riscv.Hart;
import dev.kava.kernel.signal.SigPending;

/**
 * One thread of execution (the per-thread half of Linux's task_struct): its hart, its thread
 * id, and the per-thread state syscalls keep. Process-wide state lives in {@link TaskGroup}.
 */
public final class Task {
    public final Kernel kernel;
    public final TaskGroup group;
    public final int tid;
    public final Hart hart;
    public final Uaccess mem;
    /** Scratch space for the six syscall argument registers, reused on every ecall. */
    final long[] syscallArgs = new long[6];

    /** set_tid_address(): cleared and futex-woken when the thread exits. */
    public long clearChildTid;
    /** set_robust_list(): head of the robust futex list and its length. */
    public long robustListHead, robustListLen;

    /** Signals blocked by this thread (rt_sigprocmask), bit sig-1. */
    public long blocked;
    /** Signals sent to this thread only (tgkill, faults). */
    public final SigPending pending = new SigPending();

    public Task(Kernel kernel, TaskGroup group, int tid, Hart hart) {
        this.kernel = kernel;
        this.group = group;
        this.tid = tid;
        this.hart = hart;
        this.mem = new Uaccess(hart.addressSpace());
    }

    /** "pid 1 (prog)", for log lines. */
    public String describe() {
        return "pid " + tid + " (" + group.comm + ")";
    }
}
