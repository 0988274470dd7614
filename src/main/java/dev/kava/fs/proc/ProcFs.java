package dev.kava.fs.proc;

import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.Inode;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * procfs (fs/proc): the kernel's view of its processes and of itself, as text files made when
 * read. The root holds the fixed entries (meminfo, stat, sys/, ...; fs/proc/root.c and
 * proc_misc), the links self and thread-self, and one directory per process (fs/proc/base.c).
 * The filesystem is mounted by type name "proc" ({@link #create} is the factory for the
 * filesystem-type registry, dev.kava.fs.FileSystems, once it exists: register("proc", false,
 * ProcFs::create)); every instance shows the same kernel.
 */
public final class ProcFs extends SuperBlock {
    /** PROC_SUPER_MAGIC (include/uapi/linux/magic.h). */
    public static final long PROC_SUPER_MAGIC = 0x9fa0L;
    /** PROC_ROOT_INO (fs/proc/internal.h): the root directory's inode number. */
    static final long PROC_ROOT_INO = 1;

    private final Kernel kernel;
    private final String source;
    /** /proc/sys/kernel/random/boot_id: one random UUID per boot, drawn when first read. */
    private String bootId;

    /**
     * tgid_pidfd_to_pid (fs/proc/base.c): the process behind a file opened on a /proc/PID
     * directory (not a task/TID one), which pidfd_send_signal accepts in place of a pidfd; else
     * null. A /proc/TID of a thread that is not the leader stands for its process too.
     */
    public static TaskGroup processOfPidDir(dev.kava.fs.File f) {
        return f.inode() instanceof PidDir d && d.thread == null ? d.g : null;
    }

    /** A procfs instance for kernel, its timestamps from the kernel's realtime clock. */
    public ProcFs(Kernel kernel) {
        this(kernel, "proc", false);
    }

    public ProcFs(Kernel kernel, String source, boolean readOnly) {
        super("proc", kernel.clock()::realtimeNanos, readOnly);
        this.kernel = kernel;
        this.source = source;
        setRoot(new Root(this));
    }

    /**
     * get_tree for mount(2) -t proc (the factory a filesystem-type registry calls): source is
     * what /proc/mounts shows, sbFlags' MS_RDONLY makes it read-only. proc's own options
     * (hidepid=, gid=, subset=) are not supported: EINVAL, as for an unknown option.
     */
    public static ProcFs create(Kernel kernel, String source, int sbFlags, java.util.List<?> params) {
        if (params != null && !params.isEmpty()) throw dev.kava.kernel.ErrnoException.of(dev.kava.abi.Errno.EINVAL);
        return new ProcFs(kernel, source == null ? "none" : source, (sbFlags & dev.kava.abi.Mount.MS_RDONLY) != 0);
    }

    public Kernel kernel() {
        return kernel;
    }

    private final java.util.Map<String, Long> stableInos = new java.util.HashMap<>();

    /** One inode number per path of the dynamic non-process entries (/proc/sys/net, /proc/net): the same each lookup. */
    synchronized long stableIno(String path) {
        return stableInos.computeIfAbsent(path, p -> nextIno());
    }

    /**
     * The boot id. It is drawn from the kernel's entropy at the first read rather than at boot,
     * so that a seeded kernel whose programs never read it gives them the same random bytes.
     */
    synchronized String bootId() {
        if (bootId == null) bootId = randomUuid(kernel);
        return bootId;
    }

    @Override
    public long magic() {
        return PROC_SUPER_MAGIC;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public int blockSize() {
        return 1024; // proc_fill_super: s_blocksize 1024
    }

    @Override
    public StatFs statfs() {
        return new StatFs(PROC_SUPER_MAGIC, 4096, 0, 0, 0, 0, 0, 255);
    }

    /** A random (version 4) UUID from the kernel's entropy, as generate_random_uuid makes. */
    static String randomUuid(Kernel k) {
        byte[] b = new byte[16];
        synchronized (k.entropy()) {
            k.entropy().nextBytes(b);
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = hi << 8 | (b[i] & 0xff);
        for (int i = 8; i < 16; i++) lo = lo << 8 | (b[i] & 0xff);
        return new UUID(hi, lo).toString();
    }

    /** The root directory (proc_root): fixed entries, then a directory per process. */
    static final class Root extends ProcDir {
        Root(ProcFs fs) {
            super(fs, 0555);
            ProcRootEntries.populate(fs, this);
        }

        private ProcFs fs() {
            return (ProcFs) sb;
        }

        /** proc_root_getattr: the links of the fixed entries' subdirectories plus one per process. */
        @Override
        public dev.kava.fs.Kstat getattr() {
            dev.kava.fs.Kstat k = super.getattr();
            int n = k.nlink() + fs().kernel.allGroups().size();
            return new dev.kava.fs.Kstat(k.dev(), k.ino(), k.mode(), n, k.uid(), k.gid(), k.rdev(), k.size(), k.blksize(),
                    k.blocks(), k.atimeSec(), k.atimeNsec(), k.mtimeSec(), k.mtimeNsec(), k.ctimeSec(), k.ctimeNsec());
        }

        @Override
        public Inode lookup(String name) {
            Inode fixed = super.lookup(name);
            if (fixed != null) return fixed;
            int pid = PidDir.parsePid(name);
            if (pid <= 0) return null;
            Kernel k = fs().kernel;
            TaskGroup g = k.findGroup(pid);
            if (g != null) return new PidDir(fs(), g, pid, null);
            // A thread's id works too, though readdir does not list it (proc_pid_lookup).
            Task t = k.findTask(pid);
            if (t != null && !t.group.reaped) return new PidDir(fs(), t.group, pid, null);
            return null;
        }

        @Override
        public List<Directory.Entry> list() {
            List<Directory.Entry> out = new ArrayList<>(super.list());
            for (TaskGroup g : fs().kernel.allGroups()) {
                out.add(new Directory.Entry(PidDir.ino(g.tgid, 0), Stat.DT_DIR, Integer.toString(g.tgid)));
            }
            return out;
        }
    }
}
