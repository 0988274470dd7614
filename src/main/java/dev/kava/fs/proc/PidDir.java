package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * A process's directory, /proc/PID (tgid_base_stuff in fs/proc/base.c), or one of its threads'
 * under /proc/PID/task/TID (tid_base_stuff). The entries are made at each lookup and belong to
 * the process's user while it is dumpable (task_dump_owner).
 */
final class PidDir extends ProcInode {
    final ProcFs fs;
    final TaskGroup g;
    /** The number the directory is named by: the tgid, or a thread's id. */
    final int pid;
    /** The thread of a task/TID directory; null for a process directory. */
    final Task thread;

    record Key(TaskGroup g, int pid, Task thread) {}

    PidDir(ProcFs fs, TaskGroup g, int pid, Task thread) {
        super(fs, ino(pid, thread == null ? 0 : 1), Stat.S_IFDIR | 0555, new Key(g, pid, thread), g);
        this.fs = fs;
        this.g = g;
        this.pid = pid;
        this.thread = thread;
    }

    /** Stable inode numbers for a process's entries: the pid in the low half, what entry in the high. */
    static long ino(int pid, int entry) {
        return ((long) (entry + 1) << 32) | (pid & 0xffffffffL);
    }

    /** A decimal pid without sign or leading zeros (name_to_int), or -1. */
    static int parsePid(String name) {
        if (name.isEmpty() || name.length() > 10 || (name.charAt(0) == '0')) return -1;
        long v = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** The thread this directory shows: its own thread, the thread the pid names, or the leader. */
    Task task() {
        if (thread != null) return thread;
        for (Task t : g.threadsSnapshot()) if (t.tid == pid) return t;
        return g.leader();
    }

    /** Whether the process is still there (not reaped), and for a thread directory the thread too. */
    boolean alive() {
        if (g.reaped) return false;
        return thread == null || g.threadsSnapshot().contains(thread);
    }

    /** The process has exited (its threads are gone): no memory, files, or working directory any more (exit_mm, exit_files, exit_fs). */
    boolean exited() {
        return g.zombie || g.reaped || g.threadsSnapshot().isEmpty();
    }

    void requireAlive() {
        if (!alive()) throw ErrnoException.of(Errno.ESRCH);
    }

    @Override
    public synchronized dev.kava.fs.Kstat getattr() {
        nlink = 2 + PidEntries.subdirs(thread != null);
        return super.getattr();
    }

    @Override
    public Inode lookup(String name) {
        if (!alive()) return null;
        PidEntries.Entry e = PidEntries.find(name, thread != null);
        return e == null ? null : e.make(this);
    }

    @Override
    public List<Directory.Entry> list() {
        requireAlive();
        List<Directory.Entry> out = new ArrayList<>();
        for (PidEntries.Entry e : PidEntries.entries(thread != null)) {
            out.add(new Directory.Entry(ino(pid, e.index()), Stat.dtype(e.mode()), e.name()));
        }
        return out;
    }

    /** /proc/PID/task: a directory of the process's threads. */
    static final class TaskDir extends ProcInode {
        final PidDir p;

        TaskDir(PidDir p, int index) {
            super(p.fs, ino(p.pid, index), Stat.S_IFDIR | 0555, new Key(p.g, p.pid, null), p.g);
            this.p = p;
        }

        @Override
        public synchronized dev.kava.fs.Kstat getattr() {
            nlink = 2 + p.g.threadsSnapshot().size();
            return super.getattr();
        }

        @Override
        public Inode lookup(String name) {
            int tid = parsePid(name);
            if (tid <= 0 || !p.alive()) return null;
            for (Task t : p.g.threadsSnapshot()) {
                if (t.tid == tid) return new PidDir(p.fs, p.g, tid, t);
            }
            return null;
        }

        @Override
        public List<Directory.Entry> list() {
            p.requireAlive();
            List<Directory.Entry> out = new ArrayList<>();
            List<Task> ts = new ArrayList<>(p.g.threadsSnapshot());
            ts.sort(java.util.Comparator.comparingInt(t -> t.tid));
            for (Task t : ts) out.add(new Directory.Entry(ino(t.tid, 1), Stat.DT_DIR, Integer.toString(t.tid)));
            return out;
        }
    }

    /**
     * A text file of a process (proc_single_file_operations and friends): the owner follows
     * the process, and writes without a write method fail with EINVAL as seq files do.
     */
    static final class PidFile extends ProcFile {
        final PidDir p;
        private final boolean mayNeedAccess;

        record Key(TaskGroup g, int pid, Task thread, String name) {}

        PidFile(PidDir p, int index, String name, int perm, Show show, Store store, boolean checkAccess) {
            super(p.fs, ino(p.pid, index), perm, new Key(p.g, p.pid, p.thread, name), show, store, Errno.EINVAL, p.g);
            this.p = p;
            this.mayNeedAccess = checkAccess;
        }

        @Override
        protected void checkOpen(Task t) {
            p.requireAlive();
            // proc_mem_open: the caller must be allowed to look into the process (PTRACE_MODE_READ).
            if (mayNeedAccess && !ProcAccess.mayAccess(t, p.g)) throw ErrnoException.of(Errno.EACCES);
        }
    }

    /** exe, cwd and root: magic links to where the process's executable, working directory and root are. */
    static final class PidLink extends ProcInode {
        final PidDir p;
        final String name;

        record Key(TaskGroup g, int pid, Task thread, String name) {}

        PidLink(PidDir p, int index, String name) {
            super(p.fs, ino(p.pid, index), Stat.S_IFLNK | 0777, new Key(p.g, p.pid, p.thread, name), p.g);
            this.p = p;
            this.name = name;
        }

        /** proc_exe_link, proc_cwd_link, proc_root_link. */
        private FsPath target(Task t) {
            if (!p.alive() || p.exited()) throw ErrnoException.of(Errno.ENOENT);
            if (!ProcAccess.mayAccess(t, p.g)) throw ErrnoException.of(Errno.EACCES);
            FsPath target = switch (name) {
                case "exe" -> p.g.exeFile;
                case "cwd" -> p.g.fs.cwd();
                case "root" -> p.g.fs.root();
                default -> null;
            };
            if (target == null) throw ErrnoException.of(Errno.ENOENT);
            return target;
        }

        @Override
        public FsPath followMagic(Task t) {
            return target(t);
        }

        @Override
        public String readlink() {
            throw ErrnoException.of(Errno.ENOENT);
        }

        @Override
        public String readlink(Task t) {
            return dev.kava.fs.MountNamespace.path(target(t), t.group.fs.root());
        }
    }
}
