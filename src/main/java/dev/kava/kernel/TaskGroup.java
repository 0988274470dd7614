package dev.kava.kernel;

import dev.kava.fs.FdTable;
import dev.kava.fs.FsContext;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.kernel.signal.SigHand;
import dev.kava.kernel.signal.SigPending;
import dev.kava.mm.Mmap;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread group: what Linux calls a process (signal_struct plus the mm, files, fs and sighand
 * its threads share), with its place in the process tree. Lists of threads and children are
 * guarded by the kernel's tasklist lock ({@link Kernel#tasklist}).
 */
public final class TaskGroup {
    public final int tgid;
    /** The parent process (real_parent's group), null for init. Changes when reparented. */
    public volatile TaskGroup parent;
    public volatile int pgid, sid;
    /** The address space; exec replaces it. Shared with other groups after clone(CLONE_VM). */
    public volatile Mmap mm;
    public volatile FdTable files;
    public volatile FsContext fs;
    /**
     * The signal actions; shared with other processes after clone(CLONE_SIGHAND) without
     * CLONE_THREAD, replaced by a private copy when this process execs.
     */
    public volatile SigHand sighand = new SigHand();
    /** Signals sent to the whole process (kill). */
    public final SigPending sharedPending = new SigPending();
    public final Rlimits rlimits;
    public volatile Cred cred = Cred.ROOT;
    /** Supplementary groups (getgroups). */
    public volatile int[] groups = new int[0];
    /**
     * The process's name as process-level readers show it (/proc/PID/stat and /proc/PID/comm
     * read the group leader's task->comm): the leader's {@link Task#comm}, kept in step by
     * {@link Task#setComm}. At most 15 bytes (TASK_COMM_LEN - 1).
     */
    public volatile String comm = "";
    /** The path of the running executable inside the guest (for /proc/self/exe later). */
    public volatile String exePath = "";
    /** The running executable (mm->exe_file): where the /proc/PID/exe magic link leads; null before the first exec. */
    public volatile dev.kava.fs.FsPath exeFile;

    /** The live threads, in creation order (thread_head). Guarded by the tasklist lock. */
    final List<Task> threads = new ArrayList<>();
    /** Child processes, zombies included until reaped (children). Guarded by the tasklist lock. */
    final List<TaskGroup> children = new ArrayList<>();
    /** The signal the parent gets when this process ends (exit_signal); -1 sends none. */
    public volatile int exitSignal;
    /** The parent waits here for children to change state (wait_chldexit). */
    public final WaitQueue childWait = new WaitQueue();
    /**
     * pid->wait_pidfd: pollers of pidfds of this process (or of one of its threads) sleep here;
     * woken when a thread exits, when the process becomes a zombie and when it is reaped.
     */
    public final WaitQueue pidfdWait = new WaitQueue();
    /** Woken when a thread of this group exits (de_thread waits for the others). */
    final WaitQueue threadExit = new WaitQueue();
    /** All threads are gone; the process waits to be reaped. */
    public volatile boolean zombie;
    /** Removed from the process table by wait (release_task). */
    public volatile boolean reaped;
    /** The exit code of the leader thread's exit(), used when the group did not exit as a whole. */
    volatile int leaderExitCode;
    /** Set when the group was stopped (a stop signal's number) and not yet reported to wait(WUNTRACED). */
    public volatile int stopReport;
    /** Set when the group was continued and not yet reported to wait(WCONTINUED). */
    public volatile boolean continueReport;
    /** Job-control stop state, interval timers and POSIX timers (kernel/signal, kernel/time). */
    public final dev.kava.kernel.signal.GroupSignals signals = new dev.kava.kernel.signal.GroupSignals();

    /** User CPU time of exited threads, in ns, and of reaped children (signal->utime, cutime). */
    long deadThreadsNs, childrenNs;
    /** prctl(PR_SET_PDEATHSIG): the signal this process gets when its parent dies. */
    public volatile int pdeathSignal;
    public volatile boolean noNewPrivs;
    public volatile int dumpable = 1;
    public volatile boolean childSubreaper;
    /** Set by a successful execve (setpgid then refuses the parent with EACCES). */
    public volatile boolean didExec;
    /**
     * The controlling terminal (signal->tty), null when none. Inherited by fork, dropped by
     * setsid; set and cleared by the tty layer (drivers/tty/TtyJobCtrl) under the tasklist lock.
     */
    public volatile dev.kava.drivers.tty.TtyStruct tty;
    /**
     * The foreground process group of the controlling terminal this session leader lost in a
     * hangup (signal->tty_old_pgrp), 0 when none: it gets SIGHUP and SIGCONT when the leader exits.
     */
    public volatile int ttyOldPgrp;

    private volatile ExitStatus exitStatus;

    public TaskGroup(Kernel kernel, int tgid, TaskGroup parent, Mmap mm, FdTable files, FsContext fs, Rlimits rlimits) {
        this.kernel = kernel;
        this.tgid = tgid;
        this.parent = parent;
        this.pgid = tgid;
        this.sid = tgid;
        this.mm = mm;
        this.files = files;
        this.fs = fs;
        this.rlimits = rlimits;
    }

    /** The parent's pid, 0 for init (getppid). */
    public int ppid() {
        TaskGroup p = parent;
        return p == null ? 0 : p.tgid;
    }

    /**
     * Makes the whole group exit (exit_group, a fatal signal): the first status wins, as in
     * do_group_exit, and every thread is kicked out of guest code and out of its waits.
     * Returns false when the group was already exiting (this status was not taken).
     */
    public boolean exit(ExitStatus status) {
        synchronized (this) {
            if (exitStatus != null) return false;
            exitStatus = status;
        }
        for (Task t : threadsSnapshot()) {
            t.hart.interrupt();
            t.kernel.scheduler().wake(t);
        }
        return true;
    }

    public boolean exiting() {
        return exitStatus != null;
    }

    public ExitStatus exitStatus() {
        return exitStatus;
    }

    /** The live threads now. */
    public List<Task> threadsSnapshot() {
        synchronized (kernel.tasklist) {
            return new ArrayList<>(threads);
        }
    }

    public final Kernel kernel;

    /** The leader: the thread whose tid is the tgid, or the first live thread. */
    public Task leader() {
        List<Task> ts = threadsSnapshot();
        for (Task t : ts) if (t.tid == tgid) return t;
        return ts.isEmpty() ? null : ts.get(0);
    }

    /** User CPU time of the live and exited threads, in ns (instructions retired, one ns each). */
    public long cpuNanos() {
        long n;
        synchronized (this) {
            n = deadThreadsNs;
        }
        for (Task t : threadsSnapshot()) n += t.instructionsRetired();
        return n;
    }

    public synchronized long childrenCpuNanos() {
        return childrenNs;
    }

}
