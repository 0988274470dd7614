package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Mman;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.signal.SigInfo;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Syscall tracing in strace's output format: {@code name(args) = result}, with descriptors,
 * paths, buffers, flags and errno names decoded. Arguments are formatted before the call (an
 * exiting call never returns) and buffers the call fills after it.
 */
public final class Strace {
    /** Formatted arguments of a call in progress. */
    public record Call(long nr, String spec, String[] args) {
        /** The arguments known at entry: those before the first buffer the call fills. */
        int known() {
            for (int i = 0; i < args.length; i++) if (args[i] == null) return i;
            return args.length;
        }
    }

    /**
     * The line left open by the last syscall entry (strace prints "name(args" at entry and the
     * rest at exit): another task's event first closes it with " <unfinished ...>", and that
     * call's exit is then printed as "<... name resumed>". Guarded by this.
     */
    private Task openTask;
    private Call openCall;

    /** Longest buffer prefix shown, as strace's default -s 32. */
    private static final int STRSIZE = 32;

    private final PrintStream out;

    /*
     * Argument kinds, one letter per argument:
     * d int, l long, u unsigned, x hex, p pointer, f descriptor, s path, b buffer written (length is the
     * next argument), B buffer read (length is the result), o octal mode, O open flags, P mmap prot,
     * M mmap flags, c clock id, S signal, R rlimit resource, h sigprocmask how, A *at() flags,
     * I ioctl request, W lseek whence, F fcntl command. A '>' at the end: the result is an address.
     */
    private static final Map<Integer, String> SPECS = new HashMap<>();

    static {
        spec(SyscallNr.READ, "fBu"); spec(SyscallNr.WRITE, "fbu"); spec(SyscallNr.READV, "fpu");
        spec(SyscallNr.WRITEV, "fpu"); spec(SyscallNr.PREAD64, "fBul"); spec(SyscallNr.LSEEK, "flW");
        spec(SyscallNr.OPENAT, "fsOo"); spec(SyscallNr.CLOSE, "f"); spec(SyscallNr.DUP, "f");
        spec(SyscallNr.DUP3, "ffO"); spec(SyscallNr.FCNTL, "fFx"); spec(SyscallNr.IOCTL, "fIp");
        spec(SyscallNr.GETDENTS64, "fpu"); spec(SyscallNr.READLINKAT, "fsBu"); spec(SyscallNr.NEWFSTATAT, "fspA");
        spec(SyscallNr.FSTAT, "fp"); spec(SyscallNr.GETCWD, "pu"); spec(SyscallNr.CHDIR, "s");
        spec(SyscallNr.FCHDIR, "f"); spec(SyscallNr.FACCESSAT, "fsd"); spec(SyscallNr.FACCESSAT2, "fsdA");
        spec(SyscallNr.BRK, "p>"); spec(SyscallNr.MMAP, "puPMfx>"); spec(SyscallNr.MUNMAP, "pu");
        spec(SyscallNr.MPROTECT, "puP"); spec(SyscallNr.MADVISE, "pud"); spec(SyscallNr.MREMAP, "puuxp>"); spec(SyscallNr.EXIT, "d");
        spec(SyscallNr.EXIT_GROUP, "d"); spec(SyscallNr.UNAME, "p"); spec(SyscallNr.GETPID, "");
        spec(SyscallNr.GETTID, ""); spec(SyscallNr.GETPPID, ""); spec(SyscallNr.GETUID, ""); spec(SyscallNr.GETEUID, "");
        spec(SyscallNr.GETGID, ""); spec(SyscallNr.GETEGID, ""); spec(SyscallNr.GETRESUID, "ppp");
        spec(SyscallNr.GETRESGID, "ppp"); spec(SyscallNr.PRLIMIT64, "dRpp"); spec(SyscallNr.GETRLIMIT, "Rp");
        spec(SyscallNr.SETRLIMIT, "Rp"); spec(SyscallNr.SET_TID_ADDRESS, "p"); spec(SyscallNr.SET_ROBUST_LIST, "pu");
        spec(SyscallNr.UMASK, "o"); spec(SyscallNr.SYSINFO, "p"); spec(SyscallNr.GETPGID, "d"); spec(SyscallNr.GETSID, "d");
        spec(SyscallNr.CLOCK_GETTIME, "cp"); spec(SyscallNr.CLOCK_GETRES, "cp"); spec(SyscallNr.GETTIMEOFDAY, "pp");
        spec(SyscallNr.NANOSLEEP, "pp"); spec(SyscallNr.CLOCK_NANOSLEEP, "cdpp"); spec(SyscallNr.GETRANDOM, "pux");
        spec(SyscallNr.RT_SIGACTION, "Sppu"); spec(SyscallNr.RT_SIGPROCMASK, "hppu"); spec(SyscallNr.RT_SIGPENDING, "pu");
        spec(SyscallNr.KILL, "dS"); spec(SyscallNr.TKILL, "dS"); spec(SyscallNr.TGKILL, "ddS");
        spec(SyscallNr.RSEQ, "puxx"); spec(SyscallNr.RISCV_HWPROBE, "puupx");
        spec(SyscallNr.RISCV_FLUSH_ICACHE, "ppx");
        spec(SyscallNr.MKDIRAT, "fso"); spec(SyscallNr.MKNODAT, "fsxx"); spec(SyscallNr.UNLINKAT, "fsx");
        spec(SyscallNr.SYMLINKAT, "sfs"); spec(SyscallNr.LINKAT, "fsfsA"); spec(SyscallNr.RENAMEAT2, "fsfsx");
        spec(SyscallNr.MOUNT, "sssxs"); spec(SyscallNr.UMOUNT2, "sx"); spec(SyscallNr.PIVOT_ROOT, "ss");
        spec(SyscallNr.SETHOSTNAME, "bd"); spec(SyscallNr.SETDOMAINNAME, "bd"); spec(SyscallNr.UNSHARE, "x");
        spec(SyscallNr.SETNS, "fx");
    }

    private static void spec(int nr, String s) {
        SPECS.put(nr, s);
    }

    public Strace(PrintStream out) {
        this.out = out;
    }

    /**
     * strace -f's printleader: once more than one task is traced, every line starts with
     * "[pid N] " (the tid, right-aligned in five columns).
     */
    private static String leader(Task t) {
        if (t == null || t.kernel.nrThreads() <= 1) return "";
        return String.format("[pid %5d] ", t.tid);
    }

    public Call enter(Task t, long nr, long[] a) {
        String spec = SPECS.getOrDefault((int) nr, "xxxxxx");
        int n = spec.replace(">", "").length();
        String[] args = new String[n];
        for (int i = 0; i < n; i++) {
            char k = spec.charAt(i);
            args[i] = k == 'B' ? null : format(t, k, a, i);
        }
        // open(2) shows a mode only when one is used.
        if (nr == SyscallNr.OPENAT && (a[2] & (Fcntl.O_CREAT | Fcntl.__O_TMPFILE)) == 0) {
            args = java.util.Arrays.copyOf(args, 3);
        }
        Call c = new Call(nr, spec, args);
        synchronized (this) {
            closeOpenLine();
            int k = c.known();
            StringBuilder sb = new StringBuilder(leader(t)).append(SyscallNr.name(nr)).append('(');
            sb.append(String.join(", ", java.util.Arrays.asList(args).subList(0, k)));
            if (k > 0 && k < args.length) sb.append(", ");
            out.print(sb);
            openTask = t;
            openCall = c;
        }
        return c;
    }

    /** Ends a line left open by another task's syscall entry (strace's "<unfinished ...>"). */
    private void closeOpenLine() {
        if (openTask == null) return;
        out.println(" <unfinished ...>");
        openTask = null;
        openCall = null;
    }

    public void exit(Task t, Call c, long ret) {
        long[] a = t.syscallArgs;
        for (int i = 0; i < c.args.length; i++) {
            if (c.args[i] == null) c.args[i] = Errno.isError(ret) ? hex(a[i]) : buffer(t, a[i], ret);
        }
        String result;
        if (c.nr == SyscallNr.EXIT || c.nr == SyscallNr.EXIT_GROUP) {
            result = "?";
        } else if (Errno.isError(ret)) {
            int e = (int) -ret;
            result = "-1 " + Errno.name(e) + " (" + Errno.message(e) + ")";
        } else if (c.spec.endsWith(">")) {
            result = hex(ret);
        } else {
            result = Long.toString(ret);
        }
        int k = c.known();
        String rest = String.join(", ", java.util.Arrays.asList(c.args).subList(k, c.args.length)) + ") = " + result;
        synchronized (this) {
            if (openTask == t && openCall == c) {
                out.println(rest);
            } else {
                closeOpenLine();
                out.println(leader(t) + "<... " + SyscallNr.name(c.nr) + " resumed>" + (k > 0 && k < c.args.length ? ", " : "") + rest);
            }
            openTask = null;
            openCall = null;
            out.flush();
        }
    }

    /** A signal taken by the task, as strace shows it. */
    public void signal(Task t, SigInfo si) {
        String code = switch (si.code()) {
            case SigInfo.SI_USER -> "SI_USER";
            case SigInfo.SI_TKILL -> "SI_TKILL";
            case SigInfo.SI_KERNEL -> "SI_KERNEL";
            default -> faultCode(si);
        };
        String detail = si.code() <= 0
                ? ", si_pid=" + si.pid() + ", si_uid=" + si.uid()
                : ", si_addr=" + hex(si.addr());
        synchronized (this) {
            closeOpenLine();
            out.println(leader(t) + "--- " + Signal.name(si.signo()) + " {si_signo=" + Signal.name(si.signo()) + ", si_code=" + code
                    + detail + "} ---");
            out.flush();
        }
    }

    private static String faultCode(SigInfo si) {
        return switch (si.signo()) {
            case Signal.SIGSEGV -> si.code() == SigInfo.SEGV_MAPERR ? "SEGV_MAPERR" : "SEGV_ACCERR";
            case Signal.SIGBUS -> "BUS_ADRALN";
            case Signal.SIGILL -> "ILL_ILLOPC";
            case Signal.SIGTRAP -> "TRAP_BRKPT";
            default -> Integer.toString(si.code());
        };
    }

    /** The end of the process: "+++ exited with 0 +++" or "+++ killed by SIGSEGV +++". */
    public void exit(Task t, ExitStatus status) {
        // The task has left the task table by now: it still counts, as strace has not yet seen it go.
        String lead = t != null && t.kernel.nrThreads() >= 1 ? String.format("[pid %5d] ", t.tid) : "";
        synchronized (this) {
            if (openTask != null) {
                // A call that never returned (exit, or killed in it): strace ends it with "= ?".
                if (openTask == t) out.println(") = ?");
                else closeOpenLine();
                openTask = null;
                openCall = null;
            }
            out.println(lead + "+++ " + status + " +++");
            out.flush();
        }
    }

    private String format(Task t, char kind, long[] a, int i) {
        long v = a[i];
        return switch (kind) {
            case 'd' -> Integer.toString((int) v);
            case 'l' -> Long.toString(v);
            case 'u' -> Long.toUnsignedString(v);
            case 'x' -> v == 0 ? "0" : hex(v);
            case 'p' -> v == 0 ? "NULL" : hex(v);
            case 'f' -> (int) v == Fcntl.AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v);
            case 's' -> path(t, v);
            case 'b' -> buffer(t, v, a[i + 1]);
            case 'o' -> "0" + Integer.toOctalString((int) v & 07777);
            case 'O' -> openFlags((int) v);
            case 'P' -> prot((int) v);
            case 'M' -> mapFlags((int) v);
            case 'c' -> clock((int) v);
            case 'S' -> Signal.name((int) v);
            case 'R' -> Resource.name((int) v);
            case 'h' -> switch ((int) v) {
                case Signal.SIG_BLOCK -> "SIG_BLOCK";
                case Signal.SIG_UNBLOCK -> "SIG_UNBLOCK";
                case Signal.SIG_SETMASK -> "SIG_SETMASK";
                default -> Integer.toString((int) v);
            };
            case 'A' -> atFlags((int) v);
            case 'I' -> ioctl((int) v);
            case 'W' -> switch ((int) v) {
                case Fcntl.SEEK_SET -> "SEEK_SET";
                case Fcntl.SEEK_CUR -> "SEEK_CUR";
                case Fcntl.SEEK_END -> "SEEK_END";
                case Fcntl.SEEK_DATA -> "SEEK_DATA";
                case Fcntl.SEEK_HOLE -> "SEEK_HOLE";
                default -> Integer.toString((int) v);
            };
            case 'F' -> switch ((int) v) {
                case Fcntl.F_DUPFD -> "F_DUPFD";
                case Fcntl.F_GETFD -> "F_GETFD";
                case Fcntl.F_SETFD -> "F_SETFD";
                case Fcntl.F_GETFL -> "F_GETFL";
                case Fcntl.F_SETFL -> "F_SETFL";
                case Fcntl.F_DUPFD_CLOEXEC -> "F_DUPFD_CLOEXEC";
                default -> Integer.toString((int) v);
            };
            default -> hex(v);
        };
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String path(Task t, long addr) {
        if (addr == 0) return "NULL";
        try {
            String s = t.mem.readCString(addr, Uaccess.PATH_MAX);
            return s == null ? hex(addr) : quote(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), Integer.MAX_VALUE);
        } catch (ErrnoException e) {
            return hex(addr);
        }
    }

    private static String buffer(Task t, long addr, long len) {
        int n = (int) Math.max(0, Math.min(len, STRSIZE));
        try {
            String q = quote(t.mem.read(addr, n), n);
            return len > STRSIZE ? q + "..." : q;
        } catch (ErrnoException e) {
            return hex(addr);
        }
    }

    /** A C string literal as strace writes one. */
    static String quote(byte[] b, int max) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(b.length, max); i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        // Octal escapes; three digits when a digit follows, so it cannot be misread.
                        boolean digitNext = i + 1 < b.length && b[i + 1] >= '0' && b[i + 1] <= '7';
                        sb.append('\\').append(digitNext ? String.format("%03o", c) : Integer.toOctalString(c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String flags(int v, String[] names, int[] bits, String zero) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            if (bits[i] != 0 && (v & bits[i]) == bits[i]) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(names[i]);
                v &= ~bits[i];
            }
        }
        if (v != 0 || sb.isEmpty()) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append(sb.isEmpty() && v == 0 ? zero : "0x" + Integer.toHexString(v));
        }
        return sb.toString();
    }

    static String openFlags(int v) {
        String acc = switch (v & Fcntl.O_ACCMODE) {
            case Fcntl.O_RDONLY -> "O_RDONLY";
            case Fcntl.O_WRONLY -> "O_WRONLY";
            case Fcntl.O_RDWR -> "O_RDWR";
            default -> "O_ACCMODE";
        };
        int rest = v & ~Fcntl.O_ACCMODE;
        if (rest == 0) return acc;
        return acc + "|" + flags(rest,
                new String[]{"O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK", "O_SYNC", "O_DSYNC",
                        "O_ASYNC", "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC",
                        "O_PATH", "O_TMPFILE"},
                new int[]{Fcntl.O_CREAT, Fcntl.O_EXCL, Fcntl.O_NOCTTY, Fcntl.O_TRUNC, Fcntl.O_APPEND, Fcntl.O_NONBLOCK,
                        Fcntl.O_SYNC, Fcntl.O_DSYNC, Fcntl.FASYNC, Fcntl.O_DIRECT, Fcntl.O_LARGEFILE, Fcntl.O_DIRECTORY,
                        Fcntl.O_NOFOLLOW, Fcntl.O_NOATIME, Fcntl.O_CLOEXEC, Fcntl.O_PATH, Fcntl.__O_TMPFILE}, "0");
    }

    static String prot(int v) {
        return flags(v, new String[]{"PROT_READ", "PROT_WRITE", "PROT_EXEC", "PROT_GROWSDOWN", "PROT_GROWSUP"},
                new int[]{Mman.PROT_READ, Mman.PROT_WRITE, Mman.PROT_EXEC, Mman.PROT_GROWSDOWN, Mman.PROT_GROWSUP}, "PROT_NONE");
    }

    static String mapFlags(int v) {
        String type = switch (v & Mman.MAP_TYPE) {
            case Mman.MAP_SHARED -> "MAP_SHARED";
            case Mman.MAP_PRIVATE -> "MAP_PRIVATE";
            case Mman.MAP_SHARED_VALIDATE -> "MAP_SHARED_VALIDATE";
            default -> "0x" + Integer.toHexString(v & Mman.MAP_TYPE);
        };
        int rest = v & ~Mman.MAP_TYPE;
        if (rest == 0) return type;
        return type + "|" + flags(rest,
                new String[]{"MAP_FIXED", "MAP_ANONYMOUS", "MAP_GROWSDOWN", "MAP_DENYWRITE", "MAP_EXECUTABLE",
                        "MAP_LOCKED", "MAP_NORESERVE", "MAP_POPULATE", "MAP_NONBLOCK", "MAP_STACK", "MAP_HUGETLB",
                        "MAP_SYNC", "MAP_FIXED_NOREPLACE"},
                new int[]{Mman.MAP_FIXED, Mman.MAP_ANONYMOUS, Mman.MAP_GROWSDOWN, Mman.MAP_DENYWRITE, Mman.MAP_EXECUTABLE,
                        Mman.MAP_LOCKED, Mman.MAP_NORESERVE, Mman.MAP_POPULATE, Mman.MAP_NONBLOCK, Mman.MAP_STACK,
                        Mman.MAP_HUGETLB, Mman.MAP_SYNC, Mman.MAP_FIXED_NOREPLACE}, "0");
    }

    static String atFlags(int v) {
        return flags(v, new String[]{"AT_SYMLINK_NOFOLLOW", "AT_EACCESS", "AT_SYMLINK_FOLLOW", "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH"},
                new int[]{Fcntl.AT_SYMLINK_NOFOLLOW, Fcntl.AT_EACCESS, Fcntl.AT_SYMLINK_FOLLOW, Fcntl.AT_NO_AUTOMOUNT,
                        Fcntl.AT_EMPTY_PATH}, "0");
    }

    private static String clock(int v) {
        String[] names = {"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
                "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
                "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI"};
        return v >= 0 && v < names.length ? names[v] : Integer.toString(v);
    }

    private static String ioctl(int v) {
        return switch (v) {
            case Ioctls.TCGETS -> "TCGETS";
            case Ioctls.TCSETS -> "TCSETS";
            case Ioctls.TCSETSW -> "TCSETSW";
            case Ioctls.TCSETSF -> "TCSETSF";
            case Ioctls.TIOCGWINSZ -> "TIOCGWINSZ";
            case Ioctls.TIOCSWINSZ -> "TIOCSWINSZ";
            case Ioctls.TIOCGPGRP -> "TIOCGPGRP";
            case Ioctls.FIONREAD -> "FIONREAD";
            case Ioctls.FIONBIO -> "FIONBIO";
            case Ioctls.FIOCLEX -> "FIOCLEX";
            case Ioctls.FIONCLEX -> "FIONCLEX";
            default -> "0x" + Integer.toHexString(v);
        };
    }
}
