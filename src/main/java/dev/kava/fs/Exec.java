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

import java.nio.charset.StandardCharsets;
import java.util.List;

/** execve (fs/exec.c): replaces a task's program image. */
public final class Exec {
    private Exec() {}

    /** MAX_ARG_STRLEN: the longest single argument or environment string, with its NUL (32 pages). */
    public static final int MAX_ARG_STRLEN = 32 * 4096;
    /** ARG_MAX: the least room for arguments whatever the stack limit (include/uapi/linux/limits.h). */
    public static final long ARG_MAX = 131072;

    /**
     * Executes path in t. Before the point of no return errors are thrown as ErrnoException
     * and t is unchanged; after it, a failure kills the process with SIGSEGV, as Linux does.
     */
    public static void execve(Task t, String path, List<String> argv, List<String> envp) {
        checkArgSize(t, argv, envp);
        ExecFile file = openExec(t, path);
        ElfLoader.Prepared prepared = ElfLoader.prepare(file, p -> openExec(t, p));

        // Point of no return (begin_new_exec).
        t.group.setCommFromPath(path);
        t.group.exePath = file.guestPath();
        closeOnExec(t);
        byte[] random = new byte[16];
        t.kernel.entropy().nextBytes(random);
        var cred = t.group.cred;
        ElfLoader.StackInfo info = new ElfLoader.StackInfo(argv, envp, path, cred.uid(), cred.euid(), cred.gid(),
                cred.egid(), false, random, Isa.hwcap());
        ElfLoader.Loaded loaded;
        try {
            loaded = prepared.load(t.group.mm, info);
        } catch (ErrnoException e) {
            t.kernel.log().info(t.describe() + ": exec of " + path + " failed after the point of no return: "
                    + Errno.name(e.errno));
            Signals.force(t, SigInfo.fault(Signal.SIGSEGV, SigInfo.SI_KERNEL, 0));
            return;
        }
        startThread(t.hart, loaded.entry(), loaded.sp());
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

    /** open_exec: a regular file with an execute bit (root may execute any file with one). */
    static ExecFile openExec(Task t, String path) {
        HostRoot.Resolved r = t.kernel.root().lookup(t.group.fs.cwd(), path, true);
        Kstat st = r.stat();
        if (!st.isRegular()) throw ErrnoException.of(Errno.EACCES);
        if ((st.mode() & 0111) == 0) throw ErrnoException.of(Errno.EACCES);
        File f = t.kernel.root().open(r, Fcntl.O_RDONLY | Fcntl.O_LARGEFILE);
        if (!(f instanceof ExecFile ef)) throw ErrnoException.of(Errno.EACCES);
        return ef;
    }

    /** bprm_stack_limits and copy_strings' E2BIG checks. */
    private static void checkArgSize(Task t, List<String> argv, List<String> envp) {
        long stack = t.group.rlimits.cur(Resource.RLIMIT_STACK);
        long limit = Math.max(Math.min(Long.divideUnsigned(stack, 4), 6L << 20), ARG_MAX);
        long ptrs = (argv.size() + envp.size()) * 8L;
        if (limit <= ptrs) throw ErrnoException.of(Errno.E2BIG);
        limit -= ptrs;
        long total = 0;
        for (List<String> l : List.of(argv, envp)) {
            for (String s : l) {
                int len = s.getBytes(StandardCharsets.UTF_8).length + 1;
                if (len > MAX_ARG_STRLEN) throw ErrnoException.of(Errno.E2BIG);
                total += len;
            }
        }
        if (total > limit) throw ErrnoException.of(Errno.E2BIG);
    }

    /** do_close_on_exec. */
    private static void closeOnExec(Task t) {
        for (File f : t.group.files.removeCloseOnExec()) f.release();
    }
}
