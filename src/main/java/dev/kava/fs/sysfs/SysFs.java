package dev.kava.fs.sysfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.SuperBlock;
import dev.kava.fs.proc.ProcDir;
import dev.kava.fs.proc.ProcFile;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * sysfs (fs/sysfs, on kernfs): the kernel's objects as directories of one-value attribute
 * files. kava has few devices, so this is the part programs read to learn about the machine:
 * /sys/devices/system/cpu (online, possible, present and a cpuN directory per vCPU, which
 * glibc counts for get_nprocs_conf), /sys/kernel/mm/transparent_hugepage, and the usual
 * top-level directories, empty where kava has nothing to show (/sys/fs/cgroup is where a
 * cgroup2 mount would go). Mounted by type name "sysfs" ({@link #create} is the factory for the
 * filesystem-type registry, dev.kava.fs.FileSystems, once it exists).
 */
public final class SysFs extends SuperBlock {
    /** SYSFS_MAGIC (include/uapi/linux/magic.h). */
    public static final long SYSFS_MAGIC = 0x62656572L;

    private final Kernel kernel;
    private final String source;

    public SysFs(Kernel kernel) {
        this(kernel, "sysfs", false);
    }

    public SysFs(Kernel kernel, String source, boolean readOnly) {
        super("sysfs", kernel.clock()::realtimeNanos, readOnly);
        this.kernel = kernel;
        this.source = source;
        ProcDir root = new ProcDir(this, 0555);
        setRoot(root);
        populate(root);
    }

    /** get_tree for mount(2) -t sysfs (the factory a filesystem-type registry calls); sysfs takes no options. */
    public static SysFs create(Kernel kernel, String source, int sbFlags, java.util.List<?> params) {
        if (params != null && !params.isEmpty()) throw ErrnoException.of(Errno.EINVAL);
        return new SysFs(kernel, source == null ? "none" : source, (sbFlags & dev.kava.abi.Mount.MS_RDONLY) != 0);
    }

    @Override
    public long magic() {
        return SYSFS_MAGIC;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public StatFs statfs() {
        return new StatFs(SYSFS_MAGIC, 4096, 0, 0, 0, 0, 0, 255);
    }

    /**
     * An attribute file (kernfs_fop_open): read-only attributes refuse to be opened for
     * writing with EACCES, root included.
     */
    static final class Attr extends ProcFile {
        Attr(SuperBlock sb, Show show) {
            super(sb, sb.nextIno(), 0444, null, show, null, Errno.EIO);
        }

        @Override
        public File open(Task t, FsPath path, int flags) {
            if ((flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY) throw ErrnoException.of(Errno.EACCES);
            return super.open(t, path, flags);
        }
    }

    private void attr(ProcDir dir, String name, Supplier<String> value) {
        dir.add(name, new Attr(this, t -> (value.get() + "\n").getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** kernfs directories are rwxr-xr-x; the root is r-xr-xr-x. */
    private ProcDir dir(ProcDir parent, String name) {
        return parent.add(name, new ProcDir(this, 0755));
    }

    private void populate(ProcDir root) {
        ProcDir devices = dir(root, "devices");
        ProcDir system = dir(devices, "system");
        ProcDir cpu = dir(system, "cpu");
        String range = kernel.cpus() == 1 ? "0" : "0-" + (kernel.cpus() - 1);
        attr(cpu, "online", () -> range);
        attr(cpu, "possible", () -> range);
        attr(cpu, "present", () -> range);
        attr(cpu, "offline", () -> "");
        attr(cpu, "kernel_max", () -> Integer.toString(Kernel.MAX_CPUS - 1));
        for (int c = 0; c < kernel.cpus(); c++) dir(cpu, "cpu" + c);
        ProcDir kernelDir = dir(root, "kernel");
        ProcDir thp = dir(dir(kernelDir, "mm"), "transparent_hugepage");
        // kava has no huge pages: madvise(MADV_HUGEPAGE) is accepted and changes nothing.
        attr(thp, "enabled", () -> "always [madvise] never");
        attr(thp, "defrag", () -> "always defer defer+madvise [madvise] never");
        ProcDir fs = dir(root, "fs");
        dir(fs, "cgroup");
        for (String name : new String[]{"block", "bus", "class", "dev", "firmware", "module"}) dir(root, name);
    }
}
