package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Utsname;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.fs.FileSyscalls;
import dev.kava.fs.FsPath;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.UtsNamespace;
import dev.kava.kernel.sys.SysSyscalls;
import dev.kava.mm.Mmap;

import java.util.function.Supplier;

/**
 * /proc/sys (fs/proc/proc_sysctl.c): the sysctl values kava has, read-only but for the
 * host and domain names, the IPC and inotify limits. A sysctl's mode binds root too (proc_sys_permission ignores
 * CAP_DAC_OVERRIDE), so opening a read-only one for writing fails with EACCES, as it does on
 * Linux for a read-only sysctl; the others Linux lets root write are read-only here until kava
 * can change them.
 */
final class ProcSys {
    private ProcSys() {}

    /** NGROUPS_MAX (include/uapi/linux/limits.h). */
    static final int NGROUPS_MAX = 65536;
    /** PID_MAX_LIMIT on 64-bit (include/linux/threads.h): kava's pids never get that far. */
    static final int PID_MAX_LIMIT = 4 * 1024 * 1024;
    /** The overflow uid and gid (DEFAULT_OVERFLOWUID, include/linux/highuid.h). */
    static final int OVERFLOWUID = 65534;

    /** A sysctl file: its mode is enforced for everyone, root included. */
    static final class SysctlFile extends ProcFile {
        SysctlFile(ProcFs fs, Show show) {
            super(fs, fs.nextIno(), 0444, null, show, null, Errno.EIO);
        }

        SysctlFile(ProcFs fs, int perm, Show show, Store store) {
            super(fs, fs.nextIno(), perm, null, show, store, Errno.EIO);
        }

        @Override
        public File open(Task t, FsPath path, int flags) {
            int acc = flags & dev.kava.abi.Fcntl.O_ACCMODE;
            if (acc != dev.kava.abi.Fcntl.O_RDONLY && (mode() & 0222) == 0) throw ErrnoException.of(Errno.EACCES);
            return super.open(t, path, flags);
        }
    }

    private static void value(ProcFs fs, ProcDir dir, String name, Supplier<String> v) {
        dir.add(name, new SysctlFile(fs, t -> SeqFile.bytes(v.get() + "\n")));
    }

    /**
     * A number root may set (mode 0644), as proc_dointvec_minmax (signed) or
     * proc_doulongvec_minmax reads one: blanks, an optional sign, digits, then a blank or the
     * end; outside [min, max] is EINVAL. With sysctl_writes_strict, a write not at the start of
     * the file is ignored.
     */
    private static void number(ProcFs fs, ProcDir dir, String name, java.util.function.LongSupplier get,
                               java.util.function.LongConsumer set, long min, long max, boolean signed) {
        dir.add(name, new SysctlFile(fs, 0644, t -> SeqFile.bytes(get.getAsLong() + "\n"), (t, data, offset) -> {
            if (offset != 0) return data.length;
            int i = 0;
            while (i < data.length && Character.isWhitespace(data[i])) i++;
            boolean neg = false;
            if (i < data.length && data[i] == '-') {
                if (!signed) throw ErrnoException.of(Errno.EINVAL);
                neg = true;
                i++;
            }
            int start = i;
            long v = 0;
            while (i < data.length && data[i] >= '0' && data[i] <= '9') {
                v = v * 10 + (data[i] - '0');
                if (v > (1L << 40)) throw ErrnoException.of(Errno.EINVAL);
                i++;
            }
            if (i == start || (i < data.length && !Character.isWhitespace(data[i]) && data[i] != 0)) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            if (neg) v = -v;
            if (v < min || v > max) throw ErrnoException.of(Errno.EINVAL);
            set.accept(v);
            return data.length;
        }));
    }

    /**
     * kernel.hostname and kernel.domainname (kernel/utsname_sysctl.c proc_do_uts_string): the
     * name of the reader's or writer's own UTS namespace, mode 0644. A write goes through
     * proc_dostring with sysctl_writes_strict: it starts at the file position (a position past
     * the current name changes nothing), stops at a NUL, a newline or 64 bytes, ends the name
     * there, and always reports the whole count written.
     */
    private static void utsString(ProcFs fs, ProcDir dir, String name, boolean host) {
        dir.add(name, new SysctlFile(fs, 0644,
                t -> SeqFile.bytes(UtsNamespace.cString(utsField(t, host)) + "\n"),
                (t, data, offset) -> {
                    if (data.length == 0) return 0;
                    byte[] v = utsField(t, host);
                    int len = UtsNamespace.cString(v).length();
                    if (offset > len) return data.length;
                    int pos = (int) offset;
                    for (int i = 0; i < data.length && pos < Utsname.NEW_UTS_LEN; i++) {
                        if (data[i] == 0 || data[i] == '\n') break;
                        v[pos++] = data[i];
                    }
                    v[pos] = 0;
                    UtsNamespace uts = t.nsproxy.uts();
                    if (host) uts.setNodename(v);
                    else uts.setDomainname(v);
                    return data.length;
                }));
    }

    private static byte[] utsField(Task t, boolean host) {
        UtsNamespace uts = t.nsproxy.uts();
        return host ? uts.nodename() : uts.domainname();
    }

    static void populate(ProcFs fs, ProcDir sys) {
        Kernel k = fs.kernel();
        ProcDir kernel = sys.dir("kernel");
        value(fs, kernel, "ostype", () -> SysSyscalls.SYSNAME);
        value(fs, kernel, "osrelease", () -> SysSyscalls.RELEASE);
        value(fs, kernel, "version", () -> SysSyscalls.VERSION);
        utsString(fs, kernel, "hostname", true);
        utsString(fs, kernel, "domainname", false);
        value(fs, kernel, "pid_max", () -> Integer.toString(PID_MAX_LIMIT));
        value(fs, kernel, "threads-max", () -> Long.toString(k.maxThreads()));
        value(fs, kernel, "ngroups_max", () -> Integer.toString(NGROUPS_MAX));
        value(fs, kernel, "cap_last_cap", () -> Integer.toString(TaskArray.CAP_LAST_CAP));
        value(fs, kernel, "overflowuid", () -> Integer.toString(OVERFLOWUID));
        value(fs, kernel, "overflowgid", () -> Integer.toString(OVERFLOWUID));
        // System V IPC limits (ipc/ipc_sysctl.c); shmmax and shmall are unsigned longs near ULONG_MAX.
        Supplier<dev.kava.ipc.IpcNamespace> ipc = () -> dev.kava.ipc.IpcNamespace.of(k);
        value(fs, kernel, "shmmax", () -> Long.toUnsignedString(ipc.get().shmCtlMax));
        value(fs, kernel, "shmall", () -> Long.toUnsignedString(ipc.get().shmCtlAll));
        number(fs, kernel, "shmmni", () -> ipc.get().shmCtlMni, v -> ipc.get().shmCtlMni = (int) v, 0, dev.kava.abi.Ipc.IPCMNI, true);
        value(fs, kernel, "sem", () -> ipc.get().semSysctl());
        number(fs, kernel, "msgmax", () -> ipc.get().msgCtlMax, v -> ipc.get().msgCtlMax = (int) v, 0, Integer.MAX_VALUE, true);
        number(fs, kernel, "msgmnb", () -> ipc.get().msgCtlMnb, v -> ipc.get().msgCtlMnb = (int) v, 0, Integer.MAX_VALUE, true);
        number(fs, kernel, "msgmni", () -> ipc.get().msgCtlMni, v -> ipc.get().msgCtlMni = (int) v, 0, dev.kava.abi.Ipc.IPCMNI, true);
        ProcDir random = kernel.dir("random");
        value(fs, random, "boot_id", fs::bootId);
        value(fs, random, "uuid", () -> ProcFs.randomUuid(k));
        value(fs, random, "poolsize", () -> "256");
        value(fs, random, "entropy_avail", () -> "256");
        ProcDir fsDir = sys.dir("fs");
        // kava keeps no system-wide count of open files: the limit is LONG_MAX, as when unset.
        value(fs, fsDir, "file-max", () -> Long.toString(Long.MAX_VALUE));
        value(fs, fsDir, "nr_open", () -> Integer.toString(FdTable.NR_OPEN));
        value(fs, fsDir, "pipe-max-size", () -> Long.toString(FileSyscalls.PIPE_MAX_SIZE));
        // POSIX message queue limits (ipc/mq_sysctl.c).
        ProcDir mq = fsDir.dir("mqueue");
        number(fs, mq, "queues_max", () -> ipc.get().mqQueuesMax, v -> ipc.get().mqQueuesMax = (int) v, 0, Integer.MAX_VALUE, true);
        number(fs, mq, "msg_max", () -> ipc.get().mqMsgMax, v -> ipc.get().mqMsgMax = (int) v,
                dev.kava.abi.Mqueue.MIN_MSGMAX, dev.kava.abi.Mqueue.HARD_MSGMAX, true);
        number(fs, mq, "msgsize_max", () -> ipc.get().mqMsgsizeMax, v -> ipc.get().mqMsgsizeMax = (int) v,
                dev.kava.abi.Mqueue.MIN_MSGSIZEMAX, dev.kava.abi.Mqueue.HARD_MSGSIZEMAX, true);
        number(fs, mq, "msg_default", () -> ipc.get().mqMsgDefault, v -> ipc.get().mqMsgDefault = (int) v,
                dev.kava.abi.Mqueue.MIN_MSGMAX, dev.kava.abi.Mqueue.HARD_MSGMAX, true);
        number(fs, mq, "msgsize_default", () -> ipc.get().mqMsgsizeDefault, v -> ipc.get().mqMsgsizeDefault = (int) v,
                dev.kava.abi.Mqueue.MIN_MSGSIZEMAX, dev.kava.abi.Mqueue.HARD_MSGSIZEMAX, true);
        ProcDir inotify = fsDir.dir("inotify");
        Supplier<dev.kava.fs.notify.inotify.InotifyUcounts> in = () -> dev.kava.fs.notify.inotify.InotifyUcounts.of(k);
        number(fs, inotify, "max_queued_events", () -> in.get().maxQueuedEvents, v -> in.get().maxQueuedEvents = (int) v,
                0, Integer.MAX_VALUE, true);
        number(fs, inotify, "max_user_instances", () -> in.get().maxUserInstances, v -> in.get().maxUserInstances = v,
                0, Integer.MAX_VALUE, false);
        number(fs, inotify, "max_user_watches", () -> in.get().maxUserWatches, v -> in.get().maxUserWatches = v,
                0, Integer.MAX_VALUE, false);
        sys.add("net", new ProcNetEntries.SysctlDir(fs, ""));
        ProcDir vm = sys.dir("vm");
        value(fs, vm, "overcommit_memory", () -> "0"); // the heuristic: kava reserves nothing up front
        value(fs, vm, "overcommit_ratio", () -> "50");
        value(fs, vm, "max_map_count", () -> Integer.toString(Mmap.MAX_MAP_COUNT));
        value(fs, vm, "mmap_min_addr", () -> Long.toString(Mmap.MMAP_MIN_ADDR));
    }

}
