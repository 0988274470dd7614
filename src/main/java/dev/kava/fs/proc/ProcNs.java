package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Sched;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.NsFs;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.UtsNamespace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;

/**
 * /proc/PID/ns (fs/proc/namespaces.c): one magic link per namespace kind, reading
 * "KIND:[INUM]" and leading to the namespace's nsfs inode. The UTS namespace is the task's own;
 * kava has one namespace of every other kind: the initial ones keep Linux's fixed inode
 * numbers (include/linux/proc_ns.h), the mount and network namespaces, whose numbers Linux
 * allocates at boot, get theirs from the kernel on first use.
 */
final class ProcNs {
    private ProcNs() {}

    /** PROC_IPC_INIT_INO, PROC_USER_INIT_INO, PROC_PID_INIT_INO, PROC_CGROUP_INIT_INO, PROC_TIME_INIT_INO. */
    static final long IPC_INIT_INO = 0xEFFFFFFFL, USER_INIT_INO = 0xEFFFFFFDL, PID_INIT_INO = 0xEFFFFFFCL,
            CGROUP_INIT_INO = 0xEFFFFFFBL, TIME_INIT_INO = 0xEFFFFFFAL;

    /** The kernel's one mount and network namespace numbers. */
    private static final Map<Kernel, long[]> BOOT_INUMS = new WeakHashMap<>();

    private static long bootInum(Kernel k, int which) {
        synchronized (BOOT_INUMS) {
            return BOOT_INUMS.computeIfAbsent(k, kk -> new long[]{kk.allocNsInum(), kk.allocNsInum()})[which];
        }
    }

    /**
     * ns_entries[], in Linux's order: each entry's name and the namespace it shows for a task
     * (pid_for_children reads "pid:[N]": the namespace's own name, real_ns_name).
     */
    record Kind(String name, BiFunction<Kernel, Task, NsFs.Ns> ns) {}

    private static NsFs.Ns single(String name, long type, long inum) {
        return new NsFs.Ns(name, type, inum, null);
    }

    static final List<Kind> KINDS = List.of(
            new Kind("net", (k, t) -> single("net", Sched.CLONE_NEWNET, bootInum(k, 1))),
            new Kind("uts", (k, t) -> {
                UtsNamespace uts = t.nsproxy.uts();
                return new NsFs.Ns("uts", Sched.CLONE_NEWUTS, uts.inum, uts);
            }),
            new Kind("ipc", (k, t) -> single("ipc", Sched.CLONE_NEWIPC, IPC_INIT_INO)),
            new Kind("pid", (k, t) -> single("pid", Sched.CLONE_NEWPID, PID_INIT_INO)),
            new Kind("pid_for_children", (k, t) -> single("pid", Sched.CLONE_NEWPID, PID_INIT_INO)),
            new Kind("user", (k, t) -> single("user", Sched.CLONE_NEWUSER, USER_INIT_INO)),
            new Kind("mnt", (k, t) -> single("mnt", Sched.CLONE_NEWNS, bootInum(k, 0))),
            new Kind("cgroup", (k, t) -> single("cgroup", Sched.CLONE_NEWCGROUP, CGROUP_INIT_INO)),
            new Kind("time", (k, t) -> single("time", Sched.CLONE_NEWTIME, TIME_INIT_INO)),
            new Kind("time_for_children", (k, t) -> single("time", Sched.CLONE_NEWTIME, TIME_INIT_INO)));

    /** The task whose namespaces a /proc/PID or /proc/PID/task/TID directory shows: the thread, or the leader. */
    private static Task task(PidDir p) {
        if (!p.alive() || p.exited()) throw ErrnoException.of(Errno.ENOENT);
        Task t = p.thread != null ? p.thread : p.g.leader();
        if (t == null) throw ErrnoException.of(Errno.ENOENT);
        return t;
    }

    /** /proc/PID/ns: mode 0511 (S_IRUSR | S_IXUGO). */
    static final class NsDir extends ProcInode {
        final PidDir p;

        record Key(TaskGroup g, int pid, Task thread, String kind) {}

        NsDir(PidDir p, int index) {
            super(p.fs, PidDir.ino(p.pid, index), Stat.S_IFDIR | 0511, new Key(p.g, p.pid, p.thread, "ns"), p.g);
            this.p = p;
        }

        @Override
        public Inode lookup(String name) {
            if (!p.alive() || p.exited()) return null;
            for (int i = 0; i < KINDS.size(); i++) {
                if (KINDS.get(i).name().equals(name)) return new NsLink(p, i);
            }
            return null;
        }

        @Override
        public List<Directory.Entry> list() {
            p.requireAlive();
            List<Directory.Entry> out = new ArrayList<>();
            for (int i = 0; i < KINDS.size(); i++) out.add(new Directory.Entry(linkIno(p, i), Stat.DT_LNK, KINDS.get(i).name()));
            return out;
        }
    }

    static long linkIno(PidDir p, int kind) {
        return PidDir.ino(p.pid, 0x300000 + kind);
    }

    /**
     * One namespace link (proc_ns_get_link, proc_ns_readlink): both need PTRACE_MODE_READ
     * access to the task (EACCES otherwise).
     */
    static final class NsLink extends ProcInode {
        final PidDir p;
        final Kind kind;

        record Key(TaskGroup g, int pid, Task thread, String kind) {}

        NsLink(PidDir p, int kind) {
            super(p.fs, linkIno(p, kind), Stat.S_IFLNK | 0777, new Key(p.g, p.pid, p.thread, KINDS.get(kind).name()), p.g);
            this.p = p;
            this.kind = KINDS.get(kind);
        }

        private NsFs.Ns ns(Task reader) {
            Task t = task(p);
            if (!ProcAccess.mayAccess(reader, p.g)) throw ErrnoException.of(Errno.EACCES);
            return kind.ns().apply(t.kernel, t);
        }

        @Override
        public FsPath followMagic(Task t) {
            return NsFs.path(t, ns(t));
        }

        @Override
        public String readlink() {
            throw ErrnoException.of(Errno.ENOENT);
        }

        @Override
        public String readlink(Task t) {
            return NsFs.name(ns(t));
        }
    }
}
