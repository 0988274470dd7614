package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.arch.riscv.Hart;
import dev.kava.kernel.sched.SchedEntity;
import dev.kava.kernel.sched.Scheduler;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.kernel.signal.SigPending;

import java.util.function.BooleanSupplier;

/**
 * One thread of execution (the per-thread half of Linux's task_struct): its hart, its thread
 * id, and the per-thread state syscalls keep. Process-wide state lives in {@link TaskGroup}.
 */
public final class Task {
    public final Kernel kernel;
    public final TaskGroup group;
    /** The thread id; a non-leader thread that execs takes over its leader's id (de_thread). */
    public volatile int tid;
    /** The hart; exec gives the task a new one over the new address space. */
    public volatile Hart hart;
    public volatile Uaccess mem;
    /** Scratch space for the six syscall argument registers, reused on every ecall. */
    final long[] syscallArgs = new long[6];

    /** a0 at syscall entry, for syscall restart (set by the syscall entry path). */
    public long origA0;
    /** The syscall in progress, or -1. */
    public long syscallNr = -1;

    /** set_tid_address(): cleared and futex-woken when the thread exits. */
    public long clearChildTid;
    /** set_robust_list(): head of the robust futex list and its length. */
    public long robustListHead, robustListLen;

    /** Signals blocked by this thread (rt_sigprocmask), bit sig-1. */
    public long blocked;
    /** Signals sent to this thread only (tgkill, faults). */
    public final SigPending pending = new SigPending();
    /** sigaltstack, the mask sigsuspend saved, the restart block (kernel/signal). */
    public final dev.kava.kernel.signal.TaskSignals signals = new dev.kava.kernel.signal.TaskSignals();

    /** The scheduler's per-task state. */
    public final SchedEntity se = new SchedEntity(this);
    /**
     * This thread's name (task->comm): at most 15 bytes (TASK_COMM_LEN - 1), copied from the
     * creator by clone, set by exec from the file name and by prctl(PR_SET_NAME).
     */
    public volatile String comm = "";
    /** The nice value, -20..19 (setpriority). */
    public volatile int nice;
    /** The scheduling policy (SCHED_NORMAL, SCHED_BATCH or SCHED_IDLE). */
    public volatile int schedPolicy;
    /** SCHED_RESET_ON_FORK was set with the policy: a child starts from SCHED_NORMAL-like defaults (sched_fork). */
    public volatile boolean schedResetOnFork;
    /** sched_setaffinity's mask of vCPUs (bit n = CPU n). */
    public volatile long affinity;
    /** The execution domain and its flags (task_struct->personality; personality(2)). */
    public volatile int personality;
    /** System V semaphore undo list (sysvsem.undo_list), null until SEM_UNDO is used; CLONE_SYSVSEM shares it. */
    public volatile dev.kava.ipc.SemUndoList semUndo;
    /**
     * The namespaces this task is in (task->nsproxy): its creator's, unless clone or unshare
     * made new ones. Only the task itself replaces it (switch_task_namespaces).
     */
    public volatile NsProxy nsproxy;
    /** The I/O context (ioprio_set's priority), null until one is made; CLONE_IO shares it. */
    public volatile dev.kava.block.IoContext ioContext;

    /** This thread alone is leaving (exit, or killed by a de_thread of its group). */
    volatile boolean threadExiting;
    /** exit()'s code for this thread. */
    int exitCode;

    /** The parent blocked in vfork until this child execs or exits, or null. */
    volatile Task vforkParent;
    /** Set when this vfork child released its parent; the parent's wait condition. */
    volatile boolean vforkDone;
    /** Woken when a vfork child of this task releases it. */
    final WaitQueue vforkWait = new WaitQueue();
    /** Instructions retired by harts this task had before an exec. */
    long retiredBeforeExec;
    /** When the task was created, in kernel monotonic ns (start_time; /proc/PID/stat's starttime). */
    public final long startTimeNanos;

    /** Makes parent sleep in vfork until this child execs or exits. */
    public void vforkParentOf(Task parent) {
        vforkParent = parent;
    }

    /** Whether this vfork child released its parent. */
    public boolean vforkDone() {
        return vforkDone;
    }

    /** Where a vfork parent waits for its child. */
    public WaitQueue vforkWaitQueue() {
        return vforkWait;
    }

    /** exec replaces the hart: keep the old one's count. */
    public void retiredAtExec(long instret) {
        retiredBeforeExec += instret;
    }

    public Task(Kernel kernel, TaskGroup group, int tid, Hart hart) {
        this.kernel = kernel;
        this.group = group;
        this.tid = tid;
        this.hart = hart;
        this.mem = new Uaccess(hart.addressSpace());
        this.affinity = kernel.cpuMask();
        this.nsproxy = kernel.initNsProxy();
        this.startTimeNanos = kernel.clock().monotonicNanos();
    }

    /** "pid 1 (prog)", for log lines (the thread's own comm, as printk's current->comm). */
    public String describe() {
        return "pid " + tid + " (" + comm + ")";
    }

    /** Sets comm from an executable path: its last component (__set_task_comm from exec's kbasename). */
    public void setCommFromPath(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        setComm(base.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /**
     * Sets this thread's comm from bytes up to a NUL, cut to 15 bytes (__set_task_comm). The
     * group leader's name is also the process's name ({@link TaskGroup#comm}).
     */
    public void setComm(byte[] b) {
        int n = 0;
        while (n < b.length && n < dev.kava.abi.Prctl.TASK_COMM_LEN - 1 && b[n] != 0) n++;
        String s = new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        comm = s;
        if (tid == group.tgid) group.comm = s;
    }

    /** comm as the bytes the guest set (PR_GET_NAME copies them back unchanged). */
    public byte[] commBytes() {
        return comm.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Whether this thread must stop running guest code: it exits, or its whole group does. */
    public boolean exiting() {
        return threadExiting || group.exiting();
    }

    /** Guest instructions this thread retired, exec included (its user CPU time in ns). */
    public long instructionsRetired() {
        return retiredBeforeExec + hart.instret();
    }

    /**
     * Blocks the calling task (giving up its vCPU) until cond is true (rechecked after each
     * wakeup of q), a signal is pending for it, or the deadline (kernel monotonic ns;
     * Long.MAX_VALUE = none) passes. Returns 0 if cond became true, -Errno.EINTR if a signal is
     * pending, -Errno.ETIMEDOUT at the deadline. Wakeups are never lost: the task is on q
     * before it checks cond, and a wakeup between the check and the sleep makes the sleep
     * return at once.
     */
    public int waitEvent(WaitQueue q, BooleanSupplier cond, long deadlineNanos) {
        return waitEvent(q, cond, deadlineNanos, true);
    }

    /**
     * As {@link #waitEvent(WaitQueue, BooleanSupplier, long)}; when interruptible is false only
     * a fatal signal (the group or the thread exiting) ends the wait early (TASK_KILLABLE).
     */
    public int waitEvent(WaitQueue q, BooleanSupplier cond, long deadlineNanos, boolean interruptible) {
        Scheduler sched = kernel.scheduler();
        q.add(this);
        try {
            while (true) {
                sched.clearWakeup(this);
                if (cond.getAsBoolean()) return 0;
                if (exiting() || (interruptible && signalPending())) return -Errno.EINTR;
                if (deadlineNanos != Long.MAX_VALUE && kernel.clock().monotonicNanos() >= deadlineNanos) {
                    return -Errno.ETIMEDOUT;
                }
                sched.block(this, deadlineNanos);
            }
        } finally {
            q.remove(this);
        }
    }

    /**
     * As {@link #waitEvent(WaitQueue, BooleanSupplier, long)} with the deadline an absolute
     * CLOCK_REALTIME time (Long.MAX_VALUE = none), as an hrtimer on the realtime base waits:
     * when the clock is set the wait goes on to the deadline by the new wall time
     * (clock_was_set), ending at once if that has passed.
     */
    public int waitEventRealtime(WaitQueue q, BooleanSupplier cond, long realDeadline) {
        dev.kava.kernel.time.Clock c = kernel.clock();
        if (realDeadline == Long.MAX_VALUE) return waitEvent(q, cond, Long.MAX_VALUE);
        while (true) {
            long steps = c.setCount();
            long deadline = realDeadline - c.realtimeOffset();
            c.wasSet().add(this);
            int r;
            try {
                r = waitEvent(q, () -> cond.getAsBoolean() || c.setCount() != steps, deadline);
            } finally {
                c.wasSet().remove(this);
            }
            if (r != 0 || cond.getAsBoolean()) return r;
            // the clock was set: wait on by the new wall time
        }
    }

    /**
     * True if an unblocked signal is pending for this task (signal_pending). A thread that
     * exec's de_thread or exit_group is killing has SIGKILL pending in Linux: so it has here.
     */
    public boolean signalPending() {
        return threadExiting || dev.kava.kernel.signal.Signals.hasPending(this);
    }

    /**
     * Called by signal code after queuing a signal for this task (signal_wake_up): wakes it
     * from waitEvent and makes a running hart leave guest code at its next block boundary.
     */
    public void signalWakeup() {
        hart.interrupt();
        kernel.scheduler().wake(this);
    }
}
