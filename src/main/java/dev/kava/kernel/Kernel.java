package dev.kava.kernel;

import dev.kava.abi.Fcntl;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Hart;
import dev.kava.arch.riscv.Trap;
import dev.kava.fs.Exec;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.fs.FileSyscalls;
import dev.kava.fs.FsContext;
import dev.kava.fs.HostRoot;
import dev.kava.fs.HostStdio;
import dev.kava.fs.ReadWrite;
import dev.kava.fs.StatSyscalls;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.SignalSyscalls;
import dev.kava.kernel.signal.Signals;
import dev.kava.kernel.sys.ExitSyscalls;
import dev.kava.kernel.sys.RandomSyscalls;
import dev.kava.kernel.sys.RiscvSyscalls;
import dev.kava.kernel.sys.SysSyscalls;
import dev.kava.kernel.time.Clock;
import dev.kava.kernel.time.TimeSyscalls;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;
import dev.kava.mm.PageAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kernel: boots with a root directory and console streams, starts the first process from
 * a program under the root, and runs it until it exits (init/main.c, kernel/fork.c, the exit
 * path). Single process and single thread for now.
 */
public final class Kernel {
    /** How a kernel is set up: the root, the console streams and what to log. */
    public static final class Config {
        Path root;
        InputStream stdin = InputStream.nullInputStream();
        OutputStream stdout = OutputStream.nullOutputStream();
        OutputStream stderr = OutputStream.nullOutputStream();
        HostStdio.Kind[] stdioKinds = {HostStdio.Kind.PIPE, HostStdio.Kind.PIPE, HostStdio.Kind.PIPE};
        PrintStream kernelLog;
        PrintStream strace;
        long memoryBytes = 4L << 30;
        Long seed;

        public Config root(Path p) { root = p; return this; }
        public Config stdin(InputStream s) { stdin = s; return this; }
        public Config stdout(OutputStream s) { stdout = s; return this; }
        public Config stderr(OutputStream s) { stderr = s; return this; }
        /** What the host streams behind descriptors 0, 1 and 2 are, so fstat and isatty answer truthfully. */
        public Config stdioKinds(HostStdio.Kind in, HostStdio.Kind out, HostStdio.Kind err) {
            stdioKinds = new HostStdio.Kind[]{in, out, err};
            return this;
        }
        /** Where kernel log messages go (null: nowhere). */
        public Config kernelLog(PrintStream s) { kernelLog = s; return this; }
        /** Where to trace syscalls in strace's format (null: no tracing). */
        public Config strace(PrintStream s) { strace = s; return this; }
        /** The guest's memory size: page frames beyond it are refused. */
        public Config memoryBytes(long b) { memoryBytes = b; return this; }
        /** Seeds the kernel's randomness (AT_RANDOM, getrandom) for reproducible runs. */
        public Config seed(long s) { seed = s; return this; }
    }

    /** Instructions a hart runs before the kernel gets control back to look around. */
    private static final long TIME_SLICE = 1L << 22;

    private final Config config;
    private final KernelLog log;
    private final Strace strace;
    private final SyscallTable syscalls = new SyscallTable();
    private final HostRoot root;
    private final Clock clock = new Clock();
    private final Random entropy;
    private final PageAllocator pages;
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final Map<Integer, Task> tasks = new ConcurrentHashMap<>();
    private long retiredByExitedTasks;

    public Kernel(Config config) throws IOException {
        if (config.root == null) throw new IllegalArgumentException("a root directory is required");
        this.config = config;
        this.log = new KernelLog(config.kernelLog);
        this.strace = config.strace != null ? new Strace(config.strace) : null;
        this.root = new HostRoot(config.root);
        this.entropy = config.seed != null ? new Random(config.seed) : new SecureRandom();
        this.pages = PageAllocator.ofBytes(config.memoryBytes);
        registerSyscalls();
    }

    private void registerSyscalls() {
        ExitSyscalls.register(syscalls);
        SysSyscalls.register(syscalls);
        TimeSyscalls.register(syscalls);
        RandomSyscalls.register(syscalls);
        RiscvSyscalls.register(syscalls);
        SignalSyscalls.register(syscalls);
        Mmap.register(syscalls);
        ReadWrite.register(syscalls);
        FileSyscalls.register(syscalls);
        StatSyscalls.register(syscalls);
    }

    public KernelLog log() { return log; }

    /** The syscall tracer, or null when tracing is off. */
    public Strace strace() { return strace; }

    public HostRoot root() { return root; }

    public Clock clock() { return clock; }

    public Random entropy() { return entropy; }

    public SyscallTable syscalls() { return syscalls; }

    /** The guest's memory size in bytes. */
    public long memoryBytes() {
        return config.memoryBytes;
    }

    /** Memory in use by page frames, in bytes. */
    public long usedMemoryBytes() {
        return pages.usedPages() << Page.SHIFT;
    }

    /** How many tasks exist (sysinfo's procs). */
    public int processCount() {
        return tasks.size();
    }

    /** The kernel's max_threads for its memory size (fork_init: a thread's 16 KiB stack may use 1/8 of memory). */
    public long maxThreads() {
        long pagesTotal = config.memoryBytes >>> Page.SHIFT;
        return Math.max(20, Math.min(pagesTotal / (8 * 4), 0x3fffffff));
    }

    public Task findTask(int tid) {
        return tasks.get(tid);
    }

    public TaskGroup findGroup(int tgid) {
        Task t = tasks.get(tgid);
        return t != null && t.group.tgid == tgid ? t.group : null;
    }

    public TaskGroup findGroupByPgid(int pgid) {
        for (Task t : tasks.values()) if (t.group.pgid == pgid) return t.group;
        return null;
    }

    /**
     * Kills every process with SIGKILL, from any thread (a host-side timeout, a shutdown). Each
     * hart is interrupted, so a task spinning in user mode stops at its next block boundary.
     */
    public void killAll() {
        for (Task t : tasks.values()) {
            t.group.exit(ExitStatus.killed(Signal.SIGKILL));
            t.hart.interrupt();
        }
    }

    /** Guest instructions retired by every task so far. */
    public synchronized long instructionsRetired() {
        long n = retiredByExitedTasks;
        for (Task t : tasks.values()) n += t.hart.instret();
        return n;
    }

    /**
     * Starts the first process, running path (a guest path) with argv and envp, and runs it to
     * its end. Throws ErrnoException when the program cannot be executed at all (ENOENT,
     * EACCES, ENOEXEC, ...), as execve would fail.
     */
    public ExitStatus run(String path, List<String> argv, List<String> envp) {
        Task t = createInit();
        try {
            Exec.execve(t, path, argv, envp);
        } catch (ErrnoException e) {
            reap(t);
            throw e;
        }
        try {
            runTask(t);
        } finally {
            reap(t);
        }
        return t.group.exitStatus();
    }

    /** The first process: pid 1, its console on descriptors 0-2. */
    private Task createInit() {
        int pid = nextPid.getAndIncrement();
        AddressSpace as = new AddressSpace(pages);
        FdTable files = new FdTable();
        TaskGroup g = new TaskGroup(pid, 0, new Mmap(as), files, new FsContext(), new Rlimits(maxThreads()));
        Task t = new Task(this, g, pid, new Hart(as));
        files.installAt(0, new HostStdio(config.stdioKinds[0], config.stdin, null, stdioFlags(0), 0), false);
        files.installAt(1, new HostStdio(config.stdioKinds[1], null, config.stdout, stdioFlags(1), 1), false);
        files.installAt(2, new HostStdio(config.stdioKinds[2], null, config.stderr, stdioFlags(2), 2), false);
        tasks.put(pid, t);
        return t;
    }

    /** A terminal is open read-write on all three; otherwise stdin reads and the others write. */
    private int stdioFlags(int fd) {
        if (config.stdioKinds[fd] == HostStdio.Kind.TTY) return Fcntl.O_RDWR | Fcntl.O_LARGEFILE;
        return fd == 0 ? Fcntl.O_RDONLY : Fcntl.O_WRONLY;
    }

    /** The user-mode loop: run the hart, take its traps (handle_exception), act on signals before returning. */
    private void runTask(Task t) {
        Hart h = t.hart;
        while (!t.group.exiting()) {
            int cause;
            try {
                cause = h.run(TIME_SLICE);
            } catch (RuntimeException | StackOverflowError e) {
                // A fault of the emulated CPU itself: the machine check of this task, not of the kernel.
                log.oops(t.describe() + ": the CPU failed at pc 0x" + Long.toHexString(h.pc), e);
                Signals.force(t, new SigInfo(Signal.SIGSEGV, SigInfo.SI_KERNEL, 0, 0, h.pc));
                Signals.handlePending(t);
                break;
            }
            if (cause == Trap.ECALL_U) {
                syscalls.dispatch(t);
            } else if (cause >= 0) {
                Traps.userTrap(t, cause);
            }
            Signals.handlePending(t);
        }
        if (strace != null) strace.exit(t, t.group.exitStatus());
    }

    /** Releases what the task held: its files (flushing the console) and its memory. */
    private synchronized void reap(Task t) {
        for (File f : t.group.files.removeAll()) {
            if (f instanceof HostStdio s) s.flush();
            f.release();
        }
        retiredByExitedTasks += t.hart.instret();
        tasks.remove(t.tid);
        t.group.mm.exitMmap();
        t.hart.release();
        if (!t.group.exiting()) t.group.exit(ExitStatus.killed(Signal.SIGKILL));
    }
}
