package dev.kava.kernel;

import dev.kava.abi.Fcntl;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Hart;
import dev.kava.arch.riscv.Trap;
import dev.kava.fs.binfmt.ElfLoader;
import dev.kava.fs.Exec;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.fs.FileSyscalls;
import dev.kava.fs.FsContext;
import dev.kava.fs.HostStdio;
import dev.kava.fs.ReadWrite;
import dev.kava.fs.StatSyscalls;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.SignalSyscalls;
import dev.kava.kernel.signal.Signals;
import dev.kava.kernel.exit.WaitSyscalls;
import dev.kava.kernel.fork.ForkSyscalls;
import dev.kava.kernel.futex.Futex;
import dev.kava.kernel.sched.SchedPolicy;
import dev.kava.kernel.sched.SchedSyscalls;
import dev.kava.kernel.sched.Scheduler;
import dev.kava.kernel.sys.ExitSyscalls;
import dev.kava.kernel.sys.CredSyscalls;
import dev.kava.fs.PipeSyscalls;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;

/**
 * The kernel: boots with a root directory and console streams, starts the first process from
 * a program under the root, and runs every task until the first process ends (init/main.c).
 * It owns the process table (the tasklist), the scheduler and the task lifecycle: a task runs
 * on its own host thread whenever the scheduler gives it a vCPU (the run loop below), and
 * its exit path (kernel/exit.c) releases what it held and notifies its parent.
 */
public final class Kernel {
    /** How a kernel is set up: the root, the console streams and what to log. */
    public static final class Config {
        Path root;
        InputStream stdin = InputStream.nullInputStream();
        OutputStream stdout = OutputStream.nullOutputStream();
        OutputStream stderr = OutputStream.nullOutputStream();
        HostStdio.Kind[] stdioKinds = {HostStdio.Kind.PIPE, HostStdio.Kind.PIPE, HostStdio.Kind.PIPE};
        dev.kava.drivers.tty.HostTerminal console;
        PrintStream kernelLog;
        PrintStream strace;
        long memoryBytes = 4L << 30;
        Long seed;
        int cpus = Runtime.getRuntime().availableProcessors();
        boolean deterministic;
        String workdir;
        String hostname = UtsNamespace.DEFAULT_NODENAME;
        final List<dev.kava.init.InitMounts.Volume> volumes = new ArrayList<>();

        public Config root(Path p) { root = p; return this; }
        public Config stdin(InputStream s) { stdin = s; return this; }
        public Config stdout(OutputStream s) { stdout = s; return this; }
        public Config stderr(OutputStream s) { stderr = s; return this; }
        /** What the host streams behind descriptors 0, 1 and 2 are, so fstat and isatty answer truthfully. */
        public Config stdioKinds(HostStdio.Kind in, HostStdio.Kind out, HostStdio.Kind err) {
            stdioKinds = new HostStdio.Kind[]{in, out, err};
            return this;
        }
        /**
         * The host terminal behind a TTY stdin: the first process then gets kava's console tty
         * (drivers/tty/ConsoleTty) on the descriptors whose kind is TTY, instead of host streams.
         */
        public Config console(dev.kava.drivers.tty.HostTerminal t) { console = t; return this; }
        /** Where kernel log messages go (null: nowhere). */
        public Config kernelLog(PrintStream s) { kernelLog = s; return this; }
        /** Where to trace syscalls in strace's format (null: no tracing). */
        public Config strace(PrintStream s) { strace = s; return this; }
        /** The guest's memory size: page frames beyond it are refused. */
        public Config memoryBytes(long b) { memoryBytes = b; return this; }
        /** Seeds the kernel's randomness (AT_RANDOM, getrandom) for reproducible runs. */
        public Config seed(long s) { seed = s; return this; }
        /** How many virtual CPUs run guest tasks at once (1 to 64). */
        public Config cpus(int n) { cpus = Math.max(1, Math.min(n, MAX_CPUS)); return this; }
        /**
         * Reproducible runs: one vCPU, time counted in guest instructions, a fixed seed unless
         * one is given, and preemption at fixed instruction counts.
         */
        public Config deterministic(boolean on) { deterministic = on; return this; }
        /** The first process's working directory, a guest path (default /). */
        public Config workdir(String dir) { workdir = dir; return this; }
        /** The initial UTS namespace's host name, 1 to 64 bytes ({@link UtsNamespace#checkName}). */
        public Config hostname(String name) {
            String problem = UtsNamespace.checkName(name);
            if (problem != null) throw new IllegalArgumentException(problem);
            hostname = name;
            return this;
        }
        /** Mounts host directory host at guestDir (an existing directory of the guest tree), read-write or not. */
        public Config volume(Path host, String guestDir, boolean readWrite) {
            volumes.add(new dev.kava.init.InitMounts.Volume(host, guestDir, readWrite));
            return this;
        }
    }

    /** The most vCPUs a kernel has (an affinity mask is one 64-bit word). */
    public static final int MAX_CPUS = 64;
    /** The seed of deterministic runs that name none. */
    public static final long DETERMINISTIC_SEED = 0x6b617661L;

    /** Instructions a hart runs before the kernel gets control back to look around (the time slice). */
    private static final long TIME_SLICE = 1L << 22;
    /** Host stack of a task's thread: the interpreter and the kernel paths run on it. */
    private static final long TASK_STACK = 16L << 20;
    /** The host threads tasks run on, reused from ended tasks (thread creation is the host's slowest part of clone). */
    private final dev.kava.kernel.sched.TaskThreads taskThreads = new dev.kava.kernel.sched.TaskThreads(TASK_STACK, this::taskMain);

    private final Config config;
    private final KernelLog log;
    private final Strace strace;
    private final SyscallTable syscalls = new SyscallTable();
    private final dev.kava.fs.MountNamespace mountNs;
    private final Clock clock;
    private final Random entropy;
    private final PageAllocator pages;
    private final Scheduler scheduler;
    private final int ncpus;
    private final AtomicInteger nextPid = new AtomicInteger(1);
    /** Pids handed out since boot (total_forks, /proc/stat's processes) and the last one (/proc/loadavg). */
    private final java.util.concurrent.atomic.AtomicLong forks = new java.util.concurrent.atomic.AtomicLong();
    private volatile int lastPid;
    /** Live threads by tid. */
    private final Map<Integer, Task> tasks = new ConcurrentHashMap<>();
    /** Processes by tgid, from fork until reaped (zombies included). */
    private final Map<Integer, TaskGroup> groups = new ConcurrentHashMap<>();
    /** Users of each address space (mm_users): CLONE_VM shares one. Guarded by the tasklist lock. */
    private final Map<Mmap, int[]> mmUsers = new IdentityHashMap<>();
    /** The tasklist lock: the process tree, thread lists, zombie state. */
    public final Object tasklist = new Object();
    private final CountDownLatch initDone = new CountDownLatch(1);
    private volatile TaskGroup init;
    /** init_nsproxy: the namespaces of the first task, and of every task that made no new one. */
    private final NsProxy initNsProxy;
    /** The next namespace inode number (proc_alloc_inum); 0xF0000000 and 1 are /proc/self and thread-self's. */
    private final java.util.concurrent.atomic.AtomicLong nextNsInum =
            new java.util.concurrent.atomic.AtomicLong(UtsNamespace.PROC_DYNAMIC_FIRST + 2);
    private long retiredByExitedTasks;

    public Kernel(Config config) throws IOException {
        if (config.root == null) throw new IllegalArgumentException("a root directory is required");
        this.config = config;
        this.initNsProxy = new NsProxy(UtsNamespace.initial(config.hostname));
        this.log = new KernelLog(config.kernelLog);
        this.strace = config.strace != null ? new Strace(config.strace) : null;
        Long seed = config.seed != null ? config.seed : config.deterministic ? Long.valueOf(DETERMINISTIC_SEED) : null;
        this.entropy = seed != null ? new Random(seed) : new SecureRandom();
        this.pages = PageAllocator.ofBytes(config.memoryBytes);
        this.clock = config.deterministic ? Clock.virtual() : new Clock();
        dev.kava.drivers.chr.Mem.register();
        dev.kava.drivers.chr.TtyAliases.register();
        dev.kava.drivers.tty.TtyDevices.register();
        this.ncpus = config.deterministic ? 1 : Math.max(1, Math.min(config.cpus, MAX_CPUS));
        this.mountNs = dev.kava.init.InitMounts.boot(config.root, clock, pages, this, config.volumes);
        log.setClock(clock::monotonicNanos);
        this.scheduler = new Scheduler(ncpus, new SchedPolicy.Fifo(), clock, config.deterministic);
        registerSyscalls();
        dev.kava.kernel.time.TimerSoftirqs.init(this);
    }

    private void registerSyscalls() {
        ExitSyscalls.register(syscalls);
        SysSyscalls.register(syscalls);
        ExecDomain.register(syscalls);
        CredSyscalls.register(syscalls);
        ForkSyscalls.register(syscalls);
        Setns.register(syscalls);
        WaitSyscalls.register(syscalls);
        PidSyscalls.register(syscalls);
        KcmpSyscall.register(syscalls);
        SchedSyscalls.register(syscalls);
        dev.kava.block.IoprioSyscalls.register(syscalls);
        Exec.register(syscalls);
        TimeSyscalls.register(syscalls);
        dev.kava.kernel.time.Ntp.register(syscalls);
        RandomSyscalls.register(syscalls);
        RiscvSyscalls.register(syscalls);
        SignalSyscalls.register(syscalls);
        Futex.register(syscalls);
        dev.kava.kernel.rseq.Rseq.register(syscalls);
        dev.kava.kernel.sched.Membarrier.register(syscalls);
        dev.kava.arch.riscv.HwprobeSyscall.register(syscalls);
        Mmap.register(syscalls);
        dev.kava.mm.Memfd.register(syscalls);
        dev.kava.mm.Mlock.register(syscalls);
        dev.kava.mm.ProcessVmAccess.register(syscalls);
        ReadWrite.register(syscalls);
        dev.kava.fs.Open.register(syscalls);
        FileSyscalls.register(syscalls);
        StatSyscalls.register(syscalls);
        dev.kava.fs.NameiSyscalls.register(syscalls);
        dev.kava.fs.NamespaceSyscalls.register(syscalls);
        dev.kava.fs.StatfsSyscalls.register(syscalls);
        dev.kava.fs.AttrSyscalls.register(syscalls);
        dev.kava.fs.SpliceSyscalls.register(syscalls);
        dev.kava.fs.SyncSyscalls.register(syscalls);
        dev.kava.fs.XattrSyscalls.register(syscalls);
        dev.kava.fs.Locks.register(syscalls);
        dev.kava.mm.Readahead.register(syscalls);
        dev.kava.mm.Fadvise.register(syscalls);
        PipeSyscalls.register(syscalls);
        dev.kava.fs.Select.register(syscalls);
        dev.kava.fs.EventPoll.register(syscalls);
        dev.kava.fs.EventFd.register(syscalls);
        dev.kava.fs.SignalFd.register(syscalls);
        dev.kava.fs.TimerFd.register(syscalls);
        dev.kava.fs.notify.inotify.InotifyUser.register(syscalls);
        dev.kava.net.SocketSyscalls.register(syscalls);
        dev.kava.kernel.printk.SyslogSyscalls.register(syscalls);
        dev.kava.ipc.Shm.register(syscalls);
        dev.kava.ipc.Sem.register(syscalls);
        dev.kava.ipc.Msg.register(syscalls);
        dev.kava.ipc.mqueue.Mqueue.register(syscalls);
    }

    public KernelLog log() { return log; }

    /** The syscall tracer, or null when tracing is off. */
    public Strace strace() { return strace; }

    /** The initial mount namespace. */
    public dev.kava.fs.MountNamespace mountNamespace() { return mountNs; }

    public Clock clock() { return clock; }

    private volatile Mmap.Backing vvar;

    /** The vDSO's data page every exec maps: the clock's one vvar frame, shared by all processes. */
    public Mmap.Backing vvar() {
        Mmap.Backing v = vvar;
        if (v == null) vvar = v = ElfLoader.vvarBacking(clock.vvarFrame());
        return v;
    }

    public Random entropy() { return entropy; }

    /** A new open file on the host streams behind the kernel console (/dev/console until a tty layer has one). */
    public HostStdio openHostConsole(int flags) {
        return new HostStdio(config.stdioKinds[1], config.stdin, config.stdout, flags, 1);
    }

    public SyscallTable syscalls() { return syscalls; }

    public Scheduler scheduler() { return scheduler; }

    /** The number of vCPUs. */
    public int cpus() { return ncpus; }

    /** Every vCPU's bit (cpu_possible_mask). */
    public long cpuMask() {
        return ncpus >= 64 ? -1L : (1L << ncpus) - 1;
    }

    public boolean deterministic() { return config.deterministic; }

    public PageAllocator pages() { return pages; }

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

    /** The process with this tgid, zombies included (find_task_by_vpid's group), or null. */
    public TaskGroup findGroup(int tgid) {
        TaskGroup g = groups.get(tgid);
        return g != null && !g.reaped ? g : null;
    }

    public TaskGroup findGroupByPgid(int pgid) {
        for (TaskGroup g : groups.values()) if (g.pgid == pgid && !g.reaped) return g;
        return null;
    }

    /** Every process in a process group, in pid order. */
    public List<TaskGroup> groupsInPgid(int pgid) {
        List<TaskGroup> out = new ArrayList<>();
        for (TaskGroup g : allGroups()) if (g.pgid == pgid) out.add(g);
        return out;
    }

    /** Tasks created since boot (total_forks). */
    public long totalForks() {
        return forks.get();
    }

    /** The pid handed out last. */
    public int lastPid() {
        return lastPid;
    }

    /** Every process not yet reaped, in pid order. */
    public List<TaskGroup> allGroups() {
        List<TaskGroup> out = new ArrayList<>();
        for (TaskGroup g : groups.values()) if (!g.reaped) out.add(g);
        out.sort(java.util.Comparator.comparingInt(g -> g.tgid));
        return out;
    }

    /** The first process, or null before it exists. */
    public TaskGroup init() {
        return init;
    }

    /** init_nsproxy: the namespaces a task starts in unless its creator gave it others. */
    public NsProxy initNsProxy() {
        return initNsProxy;
    }

    /** A new namespace's inode number (ns_alloc_inum), unique in this kernel. */
    public long allocNsInum() {
        return nextNsInum.getAndIncrement();
    }

    /** A new pid (alloc_pid): the next number not in use. */
    public int allocPid() {
        while (true) {
            int pid = nextPid.getAndIncrement();
            if (pid <= 0) {
                nextPid.compareAndSet(pid + 1, 300); // wrapped: start again above the reserved range, as pid_max does
                continue;
            }
            if (!tasks.containsKey(pid) && !groups.containsKey(pid)) {
                forks.incrementAndGet();
                lastPid = pid;
                return pid;
            }
        }
    }

    /**
     * Kills every process with SIGKILL, from any thread (a host-side timeout, a shutdown). Each
     * hart is interrupted, so a task spinning in user mode stops at its next block boundary.
     */
    public void killAll() {
        for (TaskGroup g : groups.values()) g.exit(ExitStatus.killed(Signal.SIGKILL));
        for (Task t : tasks.values()) {
            t.hart.interrupt();
            scheduler.wake(t);
        }
    }

    /** Guest instructions retired by every task so far. */
    public long instructionsRetired() {
        long n;
        synchronized (this) {
            n = retiredByExitedTasks;
        }
        for (Task t : tasks.values()) n += t.instructionsRetired();
        return n;
    }

    /**
     * Starts the first process, running path (a guest path) with argv and envp, and runs every
     * task until it ends. Throws ErrnoException when the program cannot be executed at all
     * (ENOENT, EACCES, ENOEXEC, ...), as execve would fail.
     */
    public ExitStatus run(String path, List<String> argv, List<String> envp) {
        Task t = createInit();
        if (config.workdir != null) {
            try {
                dev.kava.fs.Open.chdir(t, config.workdir);
            } catch (ErrnoException e) {
                abandonInit(t);
                throw new IllegalArgumentException("working directory " + config.workdir + ": "
                        + dev.kava.abi.Errno.message(e.errno));
            }
        }
        try {
            Exec.execve(t, path, argv, envp);
        } catch (ErrnoException e) {
            abandonInit(t);
            throw e;
        }
        startTask(t);
        scheduler.wake(t);
        try {
            initDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killAll();
        }
        // Linux panics when init exits; kava ends the machine: whatever still runs is killed.
        killAll();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!tasks.isEmpty() && System.nanoTime() < until) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return t.group.exitStatus();
    }

    /** The first process: pid 1, its console on descriptors 0-2. */
    private Task createInit() {
        int pid = allocPid();
        AddressSpace as = new AddressSpace(pages);
        FdTable files = new FdTable();
        Mmap mm = new Mmap(as, dev.kava.mm.Memfd.shmMount(this));
        TaskGroup g = new TaskGroup(this, pid, null, mm, files, new FsContext(mountNs.rootPath(), mountNs.rootPath()), new Rlimits(maxThreads()));
        g.exitSignal = Signal.SIGCHLD;
        Task t = new Task(this, g, pid, newHart(as));
        // A terminal on stdin: the console tty, which also becomes the controlling terminal of pid 1.
        File console = config.console != null && config.stdioKinds[0] == HostStdio.Kind.TTY
                ? dev.kava.drivers.tty.ConsoleTty.openForInit(this, t, config.console, stdioFlags(0)) : null;
        files.installAt(0, console != null ? console
                : new HostStdio(config.stdioKinds[0], config.stdin, null, stdioFlags(0), 0), false);
        files.installAt(1, console != null && config.stdioKinds[1] == HostStdio.Kind.TTY ? console
                : new HostStdio(config.stdioKinds[1], null, config.stdout, stdioFlags(1), 1), false);
        files.installAt(2, console != null && config.stdioKinds[2] == HostStdio.Kind.TTY ? console
                : new HostStdio(config.stdioKinds[2], null, config.stderr, stdioFlags(2), 2), false);
        synchronized (tasklist) {
            mmUsers.put(mm, new int[]{1});
            g.threads.add(t);
            tasks.put(pid, t);
            groups.put(pid, g);
        }
        init = g;
        return t;
    }

    /** The first exec failed: the process never ran. */
    private void abandonInit(Task t) {
        synchronized (tasklist) {
            t.group.threads.remove(t);
            tasks.remove(t.tid);
            groups.remove(t.group.tgid);
        }
        dropFiles(t.group.files);
        t.group.fs.put();
        dropMm(t.group.mm);
        t.hart.release();
        t.group.exit(ExitStatus.killed(Signal.SIGKILL));
    }

    /** A terminal is open read-write on all three; otherwise stdin reads and the others write. */
    private int stdioFlags(int fd) {
        if (config.stdioKinds[fd] == HostStdio.Kind.TTY) return Fcntl.O_RDWR | Fcntl.O_LARGEFILE;
        return fd == 0 ? Fcntl.O_RDONLY : Fcntl.O_WRONLY;
    }

    /** A hart over as whose time CSR reads the kernel's clock. */
    public Hart newHart(AddressSpace as) {
        Hart h = new Hart(as);
        h.timeSource = clock::timeCsr;
        return h;
    }

    // ---- the process table, for fork ----

    /** A thread joins the tables (the end of copy_process). Caller holds no locks. */
    public void attach(Task t, TaskGroup parent, boolean newGroup, boolean sharesMm) {
        synchronized (tasklist) {
            TaskGroup g = t.group;
            g.threads.add(t);
            tasks.put(t.tid, t);
            if (newGroup) {
                groups.put(g.tgid, g);
                if (parent != null) parent.children.add(g);
                if (sharesMm) mmUsers.get(g.mm)[0]++;
                else mmUsers.put(g.mm, new int[]{1});
            }
        }
    }

    /** How many threads exist (nr_threads). */
    public int nrThreads() {
        return tasks.size();
    }

    /** Another user of mm (a vfork child or CLONE_VM process). */
    public void getMm(Mmap mm) {
        synchronized (tasklist) {
            mmUsers.computeIfAbsent(mm, k -> new int[1])[0]++;
        }
    }

    /** Whether mm has users besides the caller (mm_users > 1). */
    public boolean mmShared(Mmap mm) {
        synchronized (tasklist) {
            int[] c = mmUsers.get(mm);
            return c != null && c[0] > 1;
        }
    }

    /** Drops a user of mm; the last one tears it down (mmput, exit_mmap). */
    public void dropMm(Mmap mm) {
        dropMm(mm, 0);
    }

    /**
     * Drops a user of mm for process tgid (exit, exec); the last one tears it down (mmput,
     * exit_mmap), closing its System V shared memory attaches as that process's.
     */
    public void dropMm(Mmap mm, int tgid) {
        boolean last;
        synchronized (tasklist) {
            int[] c = mmUsers.get(mm);
            last = c == null || --c[0] <= 0;
            if (last) mmUsers.remove(mm);
        }
        if (last) {
            List<Mmap.Vma> areas = mm.vmas();
            mm.exitMmap();
            dev.kava.ipc.Shm.exitMmap(this, areas, tgid); // shm_close of each attach
        }
    }

    /** Drops a user of a descriptor table; the last one closes every file (put_files_struct). */
    public static void dropFiles(FdTable files) {
        if (files.unshareLast()) {
            dev.kava.fs.Locks.ownerGone(files); // close_files: each filp_close drops the table's POSIX locks
            for (File f : files.removeAll()) {
                if (f instanceof HostStdio s) s.flush();
                f.fput();
            }
        }
    }

    /**
     * Starts the host thread of a task (copy_process's wake_up_new_task comes after, by the
     * caller). Returns false when the host cannot make one more thread.
     */
    public boolean startTask(Task t) {
        try {
            taskThreads.start(t, "kava-task-" + t.tid);
            return true;
        } catch (OutOfMemoryError | IllegalStateException e) {
            log.once("nothread", "the host cannot start more threads: fork fails with EAGAIN (" + e + ")");
            t.se.setThread(null);
            return false;
        }
    }

    // ---- the run loop and the exit path ----

    private void taskMain(Task t) {
        scheduler.waitForCpu(t);
        try {
            runTask(t);
        } catch (RuntimeException | StackOverflowError e) {
            log.oops(t.describe() + ": the kernel failed while running the task", e);
            t.group.exit(ExitStatus.killed(Signal.SIGSEGV));
        } finally {
            try {
                exitTask(t);
            } catch (RuntimeException e) {
                log.oops(t.describe() + ": the exit path failed", e);
            } finally {
                scheduler.exit(t);
            }
        }
    }

    /** The user-mode loop: run the hart, take its traps (handle_exception), act on signals before returning. */
    private void runTask(Task t) {
        long switches = -1;
        while (!t.exiting()) {
            Hart h = t.hart;
            // Back on a vCPU since the last slice: rseq's notify-resume (cpu ids, abort of a critical section).
            long sw = t.se.switchesIn();
            if (sw != switches) {
                switches = sw;
                dev.kava.kernel.rseq.Rseq.onResume(t, t.se.lastCpu());
            }
            long budget = sliceBudget(t);
            long before = h.instret();
            int cause;
            try {
                cause = h.run(budget);
            } catch (RuntimeException | StackOverflowError e) {
                // A fault of the emulated CPU itself: the machine check of this task, not of the kernel.
                log.oops(t.describe() + ": the CPU failed at pc 0x" + Long.toHexString(h.pc), e);
                Signals.force(t, new SigInfo(Signal.SIGSEGV, SigInfo.SI_KERNEL, 0, 0, h.pc));
                Signals.handlePending(t);
                break;
            }
            clock.advance(h.instret() - before);
            // run_posix_cpu_timers: ITIMER_PROF, ITIMER_VIRTUAL and CPU-clock timers on the time just used.
            t.group.signals.timers.checkCpu(t.group);
            if (cause == Trap.ECALL_U) {
                syscalls.dispatch(t);
            } else if (cause == Trap.BUDGET_EXHAUSTED) {
                if (scheduler.yield(t)) dev.kava.kernel.rseq.Rseq.onPreempt(t);
            } else if (cause >= 0) {
                Traps.userTrap(t, cause);
            }
            if (config.deterministic) scheduler.tick();
            if (t.exiting()) break;
            Signals.handlePending(t);
        }
    }

    /**
     * The instructions the next slice may run: a time slice, cut short so that the next CPU
     * timer of the process and, in deterministic mode, the next virtual-clock deadline fall on
     * a slice boundary (where they fire).
     */
    private long sliceBudget(Task t) {
        long budget = Math.min(TIME_SLICE, t.group.signals.timers.cpuBudget(t.group));
        if (config.deterministic) {
            long d = scheduler.nextVirtualDeadline();
            if (d != Long.MAX_VALUE) budget = Math.min(budget, Math.max(1, d - clock.monotonicNanos()));
        }
        return budget;
    }

    /** exit(): this thread alone ends with code (do_exit); the process ends with its last thread. */
    public void exitThread(Task t, int code) {
        t.exitCode = code & 0xff;
        t.threadExiting = true;
    }

    /** Kills the other threads of t's group and waits until they are gone (de_thread, for exec). */
    public int killOtherThreads(Task t) {
        TaskGroup g = t.group;
        for (Task o : g.threadsSnapshot()) {
            if (o == t) continue;
            o.threadExiting = true;
            o.hart.interrupt();
            scheduler.wake(o);
        }
        return t.waitEvent(g.threadExit, () -> {
            synchronized (tasklist) {
                return g.threads.size() == 1;
            }
        }, Long.MAX_VALUE, false);
    }

    /** After de_thread: a non-leader that execs takes over the leader's pid. */
    public void becomeLeader(Task t) {
        synchronized (tasklist) {
            if (t.tid == t.group.tgid) return;
            tasks.remove(t.tid);
            t.tid = t.group.tgid;
            tasks.put(t.tid, t);
        }
    }

    /** Releases a vfork parent: the child exec'd or exited (complete_vfork_done). */
    public static void vforkRelease(Task t) {
        Task p = t.vforkParent;
        if (p == null) return;
        t.vforkParent = null;
        t.vforkDone = true;
        p.vforkWait.wakeAll();
    }

    /** The exit path of one thread (do_exit), on its own thread, still holding its vCPU. */
    private void exitTask(Task t) {
        TaskGroup g = t.group;
        // exit_mm: robust futexes, clear_child_tid (written and woken only if others share the mm).
        if (t.clearChildTid != 0 && !mmShared(g.mm) && g.threadsSnapshot().size() <= 1) t.clearChildTid = 0;
        try {
            Futex.exitMm(t);
        } catch (RuntimeException e) {
            log.oops(t.describe() + ": futex exit failed", e);
        }
        vforkRelease(t);
        try {
            dev.kava.ipc.Sem.exitSem(t); // exit_sem: SEM_UNDO adjustments
        } catch (RuntimeException e) {
            log.oops(t.describe() + ": semaphore undo at exit failed", e);
        }
        boolean last;
        synchronized (tasklist) {
            g.threads.remove(t);
            last = g.threads.isEmpty();
            tasks.remove(t.tid);
            if (t.tid == g.tgid) g.leaderExitCode = t.exitCode;
            if (last && !g.exiting() && t.tid != g.tgid) g.leaderExitCode = t.exitCode;
        }
        synchronized (g) {
            g.deadThreadsNs += t.instructionsRetired();
        }
        synchronized (this) {
            retiredByExitedTasks += t.instructionsRetired();
        }
        g.threadExit.wakeAll();
        g.pidfdWait.wakeAll(); // a PIDFD_THREAD pidfd of this thread
        Hart h = t.hart;
        if (last) processExit(g, t);
        h.release();
    }

    /** The last thread of g is gone: release the process's resources and notify its parent (exit_notify). */
    private void processExit(TaskGroup g, Task last) {
        if (!g.exiting()) g.exit(ExitStatus.exited(g.leaderExitCode));
        ExitStatus st = g.exitStatus();
        if (strace != null) strace.exit(last, st);
        dropFiles(g.files);
        g.fs.put(); // exit_fs
        dropMm(g.mm, g.tgid);
        dev.kava.drivers.tty.TtyJobCtrl.disassociateCtty(g, true); // do_exit: a session leader lets go of its terminal
        g.sighand.unshareLast(); // __cleanup_sighand
        List<TaskGroup> pdeath = new ArrayList<>();
        List<TaskGroup> zombiesToReaper = new ArrayList<>();
        TaskGroup parent;
        boolean autoreap = false;
        int sig = 0;
        synchronized (tasklist) {
            // forget_original_parent: children go to init (or are orphaned for good when init itself ends).
            TaskGroup reaper = g == init ? null : init;
            if (reaper != null && (reaper.zombie || reaper.reaped)) reaper = null;
            for (TaskGroup c : g.children) {
                c.parent = reaper;
                if (reaper != null) reaper.children.add(c);
                if (c.pdeathSignal != 0) pdeath.add(c);
                if (c.zombie) zombiesToReaper.add(c);
            }
            g.children.clear();
            g.zombie = true;
            parent = g.parent;
            if (parent == null) {
                autoreap = g != init;
            } else if (g.exitSignal < 0) {
                autoreap = true;
            } else {
                sig = g.exitSignal;
                var a = parent.sighand.get(Signal.SIGCHLD);
                if (sig == Signal.SIGCHLD && (a.handler() == Signal.SIG_IGN || (a.flags() & Signal.SA_NOCLDWAIT) != 0)) {
                    autoreap = true;
                    if (a.handler() == Signal.SIG_IGN) sig = 0;
                }
            }
            if (autoreap) releaseGroup(g);
        }
        for (TaskGroup c : pdeath) {
            if (!c.zombie) Signals.sendToGroup(c, new SigInfo(c.pdeathSignal, SigInfo.SI_USER, 0, 0, 0));
        }
        g.pidfdWait.wakeAll(); // do_notify_pidfd: the process has exited
        if (parent != null) {
            if (sig > 0) Signals.sendToGroup(parent, childInfo(g, st, sig));
            parent.childWait.wakeAll();
        }
        TaskGroup reaper = init;
        if (!zombiesToReaper.isEmpty() && reaper != null && reaper != g) {
            for (TaskGroup z : zombiesToReaper) {
                if (z.exitSignal > 0) Signals.sendToGroup(reaper, childInfo(z, z.exitStatus(), z.exitSignal));
            }
            reaper.childWait.wakeAll();
        }
        if (g == init) initDone.countDown();
    }

    /** The siginfo of a child's end for its parent (do_notify_parent). */
    public static SigInfo childInfo(TaskGroup c, ExitStatus st, int sig) {
        int code = st.signal() == 0 ? dev.kava.abi.Wait.CLD_EXITED
                : st.coreDumped() ? dev.kava.abi.Wait.CLD_DUMPED : dev.kava.abi.Wait.CLD_KILLED;
        int status = st.signal() == 0 ? st.code() : st.signal();
        return new SigInfo(sig, code, c.tgid, c.cred.uid(), 0, 0, 0, 0, status, null, null);
    }

    /** Removes a zombie from the process table (release_task); its CPU time goes to the parent. Caller holds the tasklist lock. */
    public void releaseGroup(TaskGroup g) {
        g.reaped = true;
        groups.remove(g.tgid, g);
        g.pidfdWait.wakeAll(); // the pid is gone: pidfd pollers see POLLHUP
        TaskGroup p = g.parent;
        if (p != null) {
            p.children.remove(g);
            long ns = g.cpuNanos() + g.childrenCpuNanos();
            synchronized (p) {
                p.childrenNs += ns;
            }
        }
    }

    /** The children of g (zombies included), for wait. Caller holds the tasklist lock. */
    public List<TaskGroup> childrenOf(TaskGroup g) {
        return g.children;
    }
}
