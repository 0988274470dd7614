package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Kcmp;
import dev.kava.abi.SyscallNr;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * kcmp (kernel/kcmp.c): whether two tasks share a kernel object (an open file, the address
 * space, the descriptor table, the fs context, the signal actions, the I/O context). 0 means
 * the same object; 1 and 2 order different objects, consistently for the kernel's lifetime,
 * without telling where they are (Linux orders obfuscated pointers; kava numbers the objects
 * in the order kcmp first meets them).
 */
public final class KcmpSyscall {
    private KcmpSyscall() {}

    /** Each object's number; weak, so that kcmp keeps nothing alive. */
    private static final Map<Object, Long> IDS = new WeakHashMap<>();
    private static long nextId = 1;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.KCMP, (task, a) -> kcmp(task, (int) a[0], (int) a[1], (int) a[2], a[3], a[4]));
    }

    private static synchronized long id(Object o) {
        return IDS.computeIfAbsent(o, k -> nextId++);
    }

    /** kcmp_ptr: 0 when the same, else 1 or 2 by the objects' order; objects never kept (null) compare as themselves. */
    private static long cmp(Object a, Object b) {
        if (a == b) return 0;
        long x = a == null ? 0 : id(a), y = b == null ? 0 : id(b);
        return x < y ? 1 : 2;
    }

    static long kcmp(Task t, int pid1, int pid2, int type, long idx1, long idx2) {
        Kernel k = t.kernel;
        Task t1 = k.findTask(pid1), t2 = k.findTask(pid2);
        if (t1 == null || t2 == null) return -Errno.ESRCH;
        // ptrace_may_access(PTRACE_MODE_READ_REALCREDS) of both.
        if (!Ptrace.mayAttachRealCreds(t, t1.group) || !Ptrace.mayAttachRealCreds(t, t2.group)) return -Errno.EPERM;
        TaskGroup g1 = t1.group, g2 = t2.group;
        return switch (type) {
            case Kcmp.KCMP_FILE -> {
                // get_file_raw_ptr takes an unsigned int: the index's low 32 bits.
                var f1 = g1.files != null ? g1.files.get((int) idx1) : null;
                var f2 = g2.files != null ? g2.files.get((int) idx2) : null;
                yield f1 != null && f2 != null ? cmp(f1, f2) : -Errno.EBADF;
            }
            case Kcmp.KCMP_VM -> cmp(g1.mm, g2.mm);
            case Kcmp.KCMP_FILES -> cmp(g1.files, g2.files);
            case Kcmp.KCMP_FS -> cmp(g1.fs, g2.fs);
            case Kcmp.KCMP_SIGHAND -> cmp(g1.sighand, g2.sighand);
            case Kcmp.KCMP_IO -> cmp(t1.ioContext, t2.ioContext);
            case Kcmp.KCMP_SYSVSEM, Kcmp.KCMP_EPOLL_TFD -> {
                k.log().once("kcmp-" + type, t.describe() + ": kcmp type " + type
                        + " (KCMP_SYSVSEM, KCMP_EPOLL_TFD) is not implemented: -EOPNOTSUPP");
                yield -Errno.EOPNOTSUPP;
            }
            default -> -Errno.EINVAL;
        };
    }
}
