package dev.kava.init;

import dev.kava.abi.Errno;
import dev.kava.abi.Mount;
import dev.kava.fs.FsPath;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.SuperBlock;
import dev.kava.fs.erofs.ErofsException;
import dev.kava.fs.erofs.ErofsSuperBlock;
import dev.kava.fs.hostfs.HostFs;
import dev.kava.fs.nullfs.NullFs;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.time.Clock;
import dev.kava.mm.PageAllocator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.function.Consumer;

/**
 * The initial mount tree (init_mount_tree in fs/namespace.c and init/do_mounts.c): nullfs as
 * mount 1, the root filesystem on top of it, then the kernel's usual mounts on the root's
 * own directories (/dev, /proc, /sys, /tmp, /run, ... when the root has them: a read-only
 * root cannot grow mount points).
 */
public final class InitMounts {
    private InitMounts() {}

    /** A host directory the user mounts into the guest (kava run -v HOST:GUEST[:ro|:rw]). */
    public record Volume(Path host, String guestDir, boolean readWrite) {}

    /** Builds the initial namespace with root (a host directory, read-only) as "/". */
    public static MountNamespace boot(Path root, Clock clock, PageAllocator memory) throws IOException {
        return boot(root, clock, memory, null, java.util.List.of());
    }

    /**
     * The initial namespace of kernel: also procfs on /proc and sysfs on /sys when the root has
     * those directories (as an init system mounts them: nosuid, nodev, noexec), then each volume,
     * in order, on its guest directory, which must exist (IllegalArgumentException otherwise: a
     * read-only root cannot grow mount points).
     */
    public static MountNamespace boot(Path root, Clock clock, PageAllocator memory, dev.kava.kernel.Kernel kernel,
                                      java.util.List<Volume> volumes) throws IOException {
        NullFs nullfs = new NullFs(clock::realtimeNanos);
        MountNamespace ns = new MountNamespace(nullfs);
        // The root: a host directory (hostfs, read-only) or an EROFS image file, as a kernel
        // mounts root=/dev/... of type erofs; image problems found later go to the kernel log.
        Consumer<String> log = kernel != null ? kernel.log()::info : null;
        SuperBlock rootfs = Files.isRegularFile(root) ? erofsRoot(root, clock, log) : new HostFs(root, true, clock::realtimeNanos);
        attach(ns, rootfs, new FsPath(ns.root(), nullfs.root()), Mount.MS_RDONLY | Mount.MS_RELATIME);
        LongSupplier now = clock::realtimeNanos;
        int tmpFlags = Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_RELATIME;
        // devtmpfs_mount: the kernel mounts devtmpfs on /dev itself (rw,relatime); systemd adds /dev/shm.
        mountIfDir(ns, "/dev", dev.kava.drivers.base.Devtmpfs.create(now, memory), Mount.MS_RELATIME);
        mountIfDir(ns, "/dev/shm", Tmpfs.withDefaults("tmpfs", now, memory, 01777), tmpFlags);
        mountIfDir(ns, "/tmp", Tmpfs.withDefaults("tmpfs", now, memory, 01777), tmpFlags);
        // /run is smaller: a fifth of the default size.
        mountIfDir(ns, "/run", new Tmpfs("tmpfs", "tmpfs", now, memory, Tmpfs.defaultMaxBytes(memory) / 5,
                Tmpfs.defaultMaxInodes(memory), 0755), tmpFlags);
        // The root is read-only: the other places a session writes to get a tmpfs of their own.
        mountIfDir(ns, "/var/tmp", Tmpfs.withDefaults("tmpfs", now, memory, 01777), tmpFlags);
        mountIfDir(ns, "/root", Tmpfs.withDefaults("tmpfs", now, memory, 0700), tmpFlags);
        if (kernel != null) {
            int pseudo = Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_NOEXEC | Mount.MS_RELATIME;
            mountIfDir(ns, "/proc", new dev.kava.fs.proc.ProcFs(kernel), pseudo);
            mountIfDir(ns, "/sys", new dev.kava.fs.sysfs.SysFs(kernel), pseudo);
            // devpts on /dev/pts, as systemd mounts it: nosuid,noexec,gid=5,mode=620,ptmxmode=000.
            mountIfDir(ns, "/dev/pts", new dev.kava.fs.devpts.DevptsFs(kernel),
                    Mount.MS_NOSUID | Mount.MS_NOEXEC | Mount.MS_RELATIME);
        }
        for (Volume v : volumes) mountVolume(ns, v, clock);
        return ns;
    }

    private static SuperBlock erofsRoot(Path image, Clock clock, Consumer<String> log) throws IOException {
        try {
            return ErofsSuperBlock.mount(image, clock::realtimeNanos, log);
        } catch (ErofsException e) {
            throw new IOException("cannot mount as EROFS: " + e.getMessage() + " (" + Errno.name(e.errno) + ")");
        }
    }

    /** A -v volume: a hostfs of the host directory on an existing guest directory (symlinks followed in the guest). */
    private static void mountVolume(MountNamespace ns, Volume v, Clock clock) throws IOException {
        FsPath root = ns.rootPath();
        FsPath where;
        try {
            where = dev.kava.fs.Namei.kernLookup(dev.kava.kernel.Cred.ROOT, root, root, v.guestDir(), true);
        } catch (ErrnoException e) {
            throw new IllegalArgumentException("-v " + v.host() + ":" + v.guestDir() + ": " + v.guestDir()
                    + (e.errno == Errno.ENOENT ? " does not exist in the guest (the root is read-only: create the directory in it)"
                    : ": " + Errno.message(e.errno)));
        }
        if (!where.inode().isDir()) {
            throw new IllegalArgumentException("-v " + v.host() + ":" + v.guestDir() + ": " + v.guestDir() + " is not a directory in the guest");
        }
        HostFs fs = new HostFs(v.host(), !v.readWrite(), clock::realtimeNanos);
        int flags = (v.readWrite() ? 0 : Mount.MS_RDONLY) | Mount.MS_RELATIME;
        attach(ns, fs, where, flags);
    }

    private static void attach(MountNamespace ns, SuperBlock sb, FsPath where, int flags) {
        ns.attach(MountNamespace.newMount(sb, sb.root(), flags), MountNamespace.followDown(where));
    }

    /** Mounts sb at an existing directory of the tree so far; a missing one is skipped. */
    private static void mountIfDir(MountNamespace ns, String path, SuperBlock sb, int flags) {
        FsPath root = ns.rootPath(), p;
        try {
            p = dev.kava.fs.Namei.kernLookup(dev.kava.kernel.Cred.ROOT, root, root, path, true);
        } catch (ErrnoException e) {
            if (e.errno == Errno.ENOENT || e.errno == Errno.ENOTDIR || e.errno == Errno.EACCES || e.errno == Errno.ELOOP) return;
            throw e;
        }
        if (p.inode().isDir()) attach(ns, sb, p, flags);
    }
}
