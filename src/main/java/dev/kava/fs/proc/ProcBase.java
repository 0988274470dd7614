package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

import java.io.ByteArrayOutputStream;

/** Files of fs/proc/base.c: cmdline, environ, comm, limits. */
final class ProcBase {
    private ProcBase() {}

    /** The most of a process's memory one cmdline or environ read copies (a page at a time, as access_remote_vm). */
    private static final long MAX_COPY = 1L << 20;

    /**
     * access_remote_vm: up to len bytes of g's memory at addr, as far as it is mapped
     * readable (a short result stops at the first page that is not).
     */
    static byte[] readRemote(Mmap mm, long addr, long len) {
        len = Math.max(0, Math.min(len, MAX_COPY));
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) len);
        byte[] page = new byte[Page.SIZE];
        long end = addr + len;
        while (addr < end) {
            int n = (int) Math.min(end - addr, Page.SIZE - (addr & Page.MASK));
            if (!mm.as.copyFromUser(addr, page, 0, n)) break;
            out.write(page, 0, n);
            addr += n;
        }
        return out.toByteArray();
    }

    /**
     * get_mm_cmdline: the argument strings, arg_start to arg_end. A program that overwrote its
     * arguments' last NUL (setproctitle) may run on into the environment area: then the text
     * is everything up to and including the first NUL (get_mm_proctitle).
     */
    static byte[] cmdline(PidDir p, Task reader) {
        Mmap mm = TaskMmu.mm(p.g);
        if (mm == null) return new byte[0];
        Mmap.Layout l = mm.layout();
        long argStart = l.argStart(), argEnd = l.argEnd(), envStart = l.envStart(), envEnd = l.envEnd();
        if (argStart == 0 || argEnd <= argStart) return new byte[0];
        if (envStart != argEnd || envEnd < envStart) envEnd = argEnd;
        byte[] last = readRemote(mm, argEnd - 1, 1);
        if (last.length == 1 && last[0] != 0) {
            byte[] all = readRemote(mm, argStart, envEnd - argStart);
            int n = 0;
            while (n < all.length && all[n] != 0) n++;
            return java.util.Arrays.copyOf(all, Math.min(all.length, n + 1));
        }
        return readRemote(mm, argStart, argEnd - argStart);
    }

    /** environ_read: env_start to env_end, for a caller allowed to look (checked at open). */
    static byte[] environ(PidDir p, Task reader) {
        Mmap mm = TaskMmu.mm(p.g);
        if (mm == null) return new byte[0];
        Mmap.Layout l = mm.layout();
        if (l.envStart() == 0 || l.envEnd() <= l.envStart()) return new byte[0];
        return readRemote(mm, l.envStart(), l.envEnd() - l.envStart());
    }

    /** comm_show: the thread's name and a newline. */
    static byte[] comm(PidDir p, Task reader) {
        Task t = p.task();
        String c = t != null ? t.comm : p.g.comm;
        return SeqFile.bytes(c + "\n");
    }

    /** comm_write: a thread of the same process may rename the task (the name is cut to 15 bytes, newline kept). */
    static int commWrite(PidDir p, Task writer, byte[] data) {
        Task t = p.task();
        if (t == null || !p.alive()) throw ErrnoException.of(Errno.ESRCH);
        if (writer.group != p.g) throw ErrnoException.of(Errno.EINVAL);
        t.setComm(java.util.Arrays.copyOf(data, Math.min(data.length, dev.kava.abi.Prctl.TASK_COMM_LEN - 1)));
        return data.length;
    }

    /** The rows of /proc/PID/limits (lnames in fs/proc/base.c). */
    private static final String[][] LIMITS = {
        {"Max cpu time", "seconds"},
        {"Max file size", "bytes"},
        {"Max data size", "bytes"},
        {"Max stack size", "bytes"},
        {"Max core file size", "bytes"},
        {"Max resident set", "bytes"},
        {"Max processes", "processes"},
        {"Max open files", "files"},
        {"Max locked memory", "bytes"},
        {"Max address space", "bytes"},
        {"Max file locks", "locks"},
        {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"},
        {"Max nice priority", null},
        {"Max realtime priority", null},
        {"Max realtime timeout", "us"},
    };

    /** proc_pid_limits: "%-25s %-20s %-20s %-10s". */
    static byte[] limits(PidDir p, Task reader) {
        TaskGroup g = p.g;
        Rlimits r = g.rlimits;
        StringBuilder sb = new StringBuilder(1500);
        sb.append(String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units"));
        for (int i = 0; i < Resource.RLIM_NLIMITS; i++) {
            long cur = r.cur(i), max = r.max(i);
            sb.append(String.format("%-25s ", LIMITS[i][0]));
            sb.append(String.format("%-20s ", cur == Resource.RLIM_INFINITY ? "unlimited" : Long.toUnsignedString(cur)));
            sb.append(String.format("%-20s ", max == Resource.RLIM_INFINITY ? "unlimited" : Long.toUnsignedString(max)));
            if (LIMITS[i][1] != null) sb.append(String.format("%-10s\n", LIMITS[i][1]));
            else sb.append('\n');
        }
        return SeqFile.bytes(sb);
    }
}
