package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Hart;
import dev.kava.arch.riscv.Isa;
import dev.kava.fs.binfmt.ElfLoader;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.futex.Futex;
import dev.kava.kernel.signal.SigHand;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * execve and execveat (fs/exec.c), with the #! script handler (fs/binfmt_script.c) in front
 * of the ELF loader: replaces a task's program image with a fresh address space.
 */
public final class Exec {
    private Exec() {}

    /** MAX_ARG_STRLEN: the longest single argument or environment string, with its NUL (32 pages). */
    public static final int MAX_ARG_STRLEN = 32 * 4096;
    /** ARG_MAX: the least room for arguments whatever the stack limit (include/uapi/linux/limits.h). */
    public static final long ARG_MAX = 131072;
    /** MAX_ARG_STRINGS (include/uapi/linux/binfmts.h). */
    public static final int MAX_ARG_STRINGS = 0x7fffffff;
    /** How many binary handlers may hand over to another (exec_binprm: depth > 5 is ELOOP). */
    private static final int MAX_DEPTH = 5;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.EXECVE, (task, a) -> execveat(task, Fcntl.AT_FDCWD, a[0], a[1], a[2], 0));
        t.register(SyscallNr.EXECVEAT, (task, a) -> execveat(task, (int) a[0], a[1], a[2], a[3], (int) a[4]));
    }

    /** do_execveat_common: the name, the file, then argv and envp, then the exec. */
    static long execveat(Task t, int fd, long filename, long argvp, long envpp, int flags) {
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        String path = t.mem.readPath(filename, (flags & Fcntl.AT_EMPTY_PATH) != 0);
        ExecFile file;
        String bprmName;
        if (path.isEmpty()) {
            File f = t.group.files.require(fd);
            if (!(f instanceof ExecFile ef) || f.stat().isDirectory()) throw ErrnoException.of(Errno.EACCES);
            checkExecutable(f.stat());
            file = ef;
            bprmName = "/dev/fd/" + fd;
        } else {
            file = openExec(t, fd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
            bprmName = fd == Fcntl.AT_FDCWD || path.startsWith("/") ? path : "/dev/fd/" + fd + "/" + path;
        }
        long stackLimit = argLimit(t);
        List<Long> argPtrs = count(t, argvp, stackLimit), envPtrs = count(t, envpp, stackLimit);
        List<String> envp = copyStrings(t, envPtrs), argv = copyStrings(t, argPtrs);
        if (argv.isEmpty()) argv = List.of(""); // since Linux 5.18: an empty argv gets "" as argv[0]
        exec(t, file, bprmName, argv, envp);
        return 0;
    }

    /** count(): the pointers of a NULL-terminated array (EFAULT), at most what the stack limit leaves room for (E2BIG). */
    private static List<Long> count(Task t, long arr, long limit) {
        List<Long> out = new ArrayList<>();
        if (arr == 0) return out;
        for (long i = 0; ; i++) {
            long p = t.mem.read64(arr + i * 8);
            if (p == 0) return out;
            if (i >= MAX_ARG_STRINGS || (i + 1) * 8 >= limit) throw ErrnoException.of(Errno.E2BIG);
            out.add(p);
        }
    }

    private static List<String> copyStrings(Task t, List<Long> ptrs) {
        List<String> out = new ArrayList<>(ptrs.size());
        for (long p : ptrs) {
            String s = t.mem.readCString(p, MAX_ARG_STRLEN);
            if (s == null) throw ErrnoException.of(Errno.E2BIG);
            out.add(s);
        }
        return out;
    }

    /**
     * Executes path in t (the first process uses this directly). Before the point of no return
     * errors are thrown as ErrnoException and t is unchanged; after it, a failure kills the
     * process with SIGSEGV, as Linux does.
     */
    public static void execve(Task t, String path, List<String> argv, List<String> envp) {
        ExecFile file = openExec(t, Fcntl.AT_FDCWD, path, true);
        exec(t, file, path, argv, envp);
    }

    /** A #! line: the interpreter and its optional single argument. */
    record Script(String interp, String arg) {}

    private static void exec(Task t, ExecFile file, String filename, List<String> argv, List<String> envp) {
        // The files opened for the exec are put when it is done: mappings hold their own references.
        List<ExecFile> opened = new ArrayList<>();
        // A file exec'd through its descriptor (execveat AT_EMPTY_PATH) stays the descriptor's.
        if (!(file instanceof File ff0 && t.group.files.refersTo(ff0))) opened.add(file);
        try {
            execFiles(t, file, filename, argv, envp, opened);
        } finally {
            for (ExecFile f : opened) {
                if (f instanceof File ff) ff.fput();
            }
        }
    }

    private static void execFiles(Task t, ExecFile file, String filename, List<String> argv, List<String> envp,
                                  List<ExecFile> opened) {
        // search_binary_handler, at most MAX_DEPTH hand-overs (scripts running scripts).
        ExecFile cur = file;
        String interp = filename;
        List<String> args = argv;
        ElfLoader.Prepared prepared;
        for (int depth = 0; ; depth++) {
            if (depth > MAX_DEPTH) throw ErrnoException.of(Errno.ELOOP);
            byte[] buf = new byte[ElfLoader.BINPRM_BUF_SIZE];
            cur.readAt(buf, 0, buf.length, 0);
            Script s = parseScript(buf);
            if (s == null) {
                prepared = ElfLoader.prepare(cur, p -> {
                    ExecFile ef = openExec(t, Fcntl.AT_FDCWD, p, true);
                    opened.add(ef);
                    return ef;
                });
                break;
            }
            List<String> n = new ArrayList<>();
            n.add(s.interp);
            if (s.arg != null) n.add(s.arg);
            n.add(interp);
            if (!args.isEmpty()) n.addAll(args.subList(1, args.size()));
            args = n;
            interp = s.interp;
            cur = openExec(t, Fcntl.AT_FDCWD, s.interp, true);
            opened.add(cur);
        }
        checkArgSize(t, args, envp);

        // Point of no return (begin_new_exec).
        Kernel k = t.kernel;
        if (k.killOtherThreads(t) != 0) throw ErrnoException.of(Errno.EINTR); // killed meanwhile: it dies anyway
        k.becomeLeader(t);
        try {
            Futex.exitMm(t); // exec_mm_release: robust futexes, clear_child_tid
        } catch (RuntimeException e) {
            k.log().oops(t.describe() + ": futex release at exec failed", e);
        }
        Mmap old = t.group.mm;
        AddressSpace as = new AddressSpace(k.pages());
        Mmap mm = new Mmap(as, dev.kava.mm.Memfd.shmMount(k));
        mm.setStackSize(dev.kava.kernel.Rlimits.stackSize(t)); // RLIMIT_STACK sizes the new stack
        dev.kava.kernel.sched.Membarrier.execMmap(mm); // membarrier_exec_mmap: no registrations carry over
        dev.kava.kernel.rseq.Rseq.exec(t); // rseq_execve
        Hart oldHart = t.hart;
        Hart h = k.newHart(as);
        k.getMm(mm);
        t.group.mm = mm;
        t.retiredAtExec(oldHart.instret());
        t.hart = h;
        t.mem = new Uaccess(as);
        oldHart.release();
        k.dropMm(old, t.group.tgid);
        Kernel.vforkRelease(t);
        if (t.group.files.isShared()) {
            FdTable shared = t.group.files;
            t.group.files = shared.copy();
            Kernel.dropFiles(shared);
        }
        closeOnExec(t);
        // de_thread: a table shared with another process (clone(CLONE_SIGHAND)) is replaced by a
        // private copy before the handlers are flushed, so the other process keeps its handlers.
        SigHand shared = t.group.sighand;
        if (shared.isShared()) {
            t.group.sighand = shared.copy();
            shared.unshareLast();
        }
        // flush_signal_handlers: caught signals go back to the default; ignored ones stay ignored.
        for (int sig = 1; sig <= Signal.NSIG; sig++) {
            SigHand.Action a = t.group.sighand.get(sig);
            t.group.sighand.set(sig, a.handler() == Signal.SIG_IGN ? new SigHand.Action(Signal.SIG_IGN, 0, 0) : SigHand.Action.DEFAULT);
        }
        Signals.execReset(t); // the alternate stack and the POSIX timers go too (kernel/signal)
        dev.kava.kernel.ExecDomain.exec(t); // SET_PERSONALITY
        t.setCommFromPath(filename);
        t.group.comm = t.comm; // after de_thread the exec'ing thread leads the process
        t.group.exePath = cur.guestPath();
        if (cur instanceof File ef) t.group.exeFile = ef.path();
        t.group.didExec = true;
        t.group.dumpable = 1;
        byte[] random = new byte[16];
        k.entropy().nextBytes(random);
        var cred = t.group.cred;
        ElfLoader.StackInfo info = new ElfLoader.StackInfo(args, envp, filename, cred.uid(), cred.euid(), cred.gid(),
                cred.egid(), false, random, Isa.hwcap());
        ElfLoader.Loaded loaded;
        try {
            loaded = prepared.load(mm, info, k.vvar());
        } catch (ErrnoException e) {
            k.log().info(t.describe() + ": exec of " + filename + " failed after the point of no return: "
                    + Errno.name(e.errno));
            Signals.force(t, SigInfo.fault(Signal.SIGSEGV, SigInfo.SI_KERNEL, 0));
            return;
        }
        startThread(h, loaded.entry(), loaded.sp());
    }

    /**
     * load_script's parsing of the first BINPRM_BUF_SIZE bytes: null when they do not start
     * with #!, ENOEXEC when no interpreter is named or its name is cut off.
     */
    static Script parseScript(byte[] buf) {
        if (buf[0] != '#' || buf[1] != '!') return null;
        int bufEnd = buf.length - 1;
        int iEnd = -1;
        for (int i = 0; i < buf.length; i++) {
            if (buf[i] == '\n') {
                iEnd = i;
                break;
            }
        }
        if (iEnd < 0) {
            int p = nextNonSpacetab(buf, 2, bufEnd);
            if (p < 0) throw ErrnoException.of(Errno.ENOEXEC); // all spaces and tabs
            if (nextTerminator(buf, p, bufEnd) < 0) throw ErrnoException.of(Errno.ENOEXEC); // interpreter cut off
            iEnd = bufEnd;
        }
        while (iEnd > 2 && (buf[iEnd - 1] == ' ' || buf[iEnd - 1] == '\t')) iEnd--;
        int name = nextNonSpacetab(buf, 2, iEnd);
        if (name < 0 || name == iEnd) throw ErrnoException.of(Errno.ENOEXEC);
        int sep = nextTerminator(buf, name, iEnd);
        int nameEnd = sep < 0 ? iEnd : sep;
        String arg = null;
        if (sep >= 0 && buf[sep] != 0) {
            int a = nextNonSpacetab(buf, sep, iEnd);
            if (a >= 0) {
                int aEnd = a;
                while (aEnd < iEnd && buf[aEnd] != 0) aEnd++;
                arg = new String(buf, a, aEnd - a, StandardCharsets.ISO_8859_1);
            }
        }
        return new Script(new String(buf, name, nameEnd - name, StandardCharsets.ISO_8859_1), arg);
    }

    private static int nextNonSpacetab(byte[] b, int first, int last) {
        for (int i = first; i < last; i++) if (b[i] != ' ' && b[i] != '\t') return i;
        return -1;
    }

    private static int nextTerminator(byte[] b, int first, int last) {
        for (int i = first; i < last; i++) if (b[i] == ' ' || b[i] == '\t' || b[i] == 0) return i;
        return -1;
    }

    /** start_thread (arch/riscv/kernel/process.c): a clean register file, pc at the entry, sp set. */
    private static void startThread(Hart h, long pc, long sp) {
        java.util.Arrays.fill(h.x, 0);
        java.util.Arrays.fill(h.f, 0);
        h.setFcsr(0);
        h.clearReservation();
        h.x[2] = sp;
        h.pc = pc;
    }

    /**
     * open_exec (do_open_execat): a regular file on a mount without noexec that the caller may
     * execute (root may execute any file with an x bit).
     */
    static ExecFile openExec(Task t, int dirfd, String path, boolean follow) {
        FsPath p = Namei.lookup(t, dirfd, path, follow);
        Inode inode = p.inode();
        if (inode.isSymlink()) throw ErrnoException.of(Errno.ELOOP);
        if (!inode.isRegular() || p.mnt().noExec()) throw ErrnoException.of(Errno.EACCES);
        Permission.check(t.group.cred, inode, Permission.MAY_EXEC);
        File f = inode.open(t, p, Fcntl.O_RDONLY | Fcntl.O_LARGEFILE);
        if (!(f instanceof ExecFile ef)) {
            f.fput();
            throw ErrnoException.of(Errno.EACCES);
        }
        dev.kava.fs.notify.Fsnotify.openExec(f);
        dev.kava.fs.notify.Fsnotify.access(f); // prepare_binprm's kernel_read of the header
        return ef;
    }

    private static void checkExecutable(Kstat st) {
        if (!st.isRegular()) throw ErrnoException.of(Errno.EACCES);
        if ((st.mode() & 0111) == 0) throw ErrnoException.of(Errno.EACCES);
    }

    /** bprm_stack_limits and copy_strings' E2BIG checks. */
    private static long argLimit(Task t) {
        long stack = t.group.rlimits.cur(Resource.RLIMIT_STACK);
        return Math.max(Math.min(Long.divideUnsigned(stack, 4), 6L << 20), ARG_MAX);
    }

    private static void checkArgSize(Task t, List<String> argv, List<String> envp) {
        long limit = argLimit(t);
        long ptrs = (argv.size() + envp.size()) * 8L;
        if (limit <= ptrs) throw ErrnoException.of(Errno.E2BIG);
        limit -= ptrs;
        long total = 0;
        for (List<String> l : List.of(argv, envp)) {
            for (String s : l) {
                int len = s.getBytes(StandardCharsets.ISO_8859_1).length + 1;
                if (len > MAX_ARG_STRLEN) throw ErrnoException.of(Errno.E2BIG);
                total += len;
            }
        }
        if (total > limit) throw ErrnoException.of(Errno.E2BIG);
    }

    /** do_close_on_exec. */
    private static void closeOnExec(Task t) {
        FdTable files = t.group.files;
        for (int fd = 0; fd < files.maxFds(); fd++) {
            if (files.closeOnExec(fd)) Locks.posixClose(files.get(fd), files); // filp_close
        }
        for (File f : files.removeCloseOnExec()) f.fput();
    }
}
