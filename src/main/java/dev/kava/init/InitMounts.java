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
import java.util.function.Consumer;

/**
 * The initial mount tree (init_mount_tree in fs/namespace.c and init/do_mounts.c): nullfs as
 * mount 1, the root filesystem on top of it, then the kernel's usual mounts on the root's
 * own directories (/dev, /proc, /sys, /tmp, /run, ... when the root has them: a read-only
 * root cannot grow mount points).
 */
public final class InitMounts {
    private InitMounts() {}

    /** Builds the initial namespace with root (a host directory, read-only) as "/". */
    public static MountNamespace boot(Path root, Clock clock, PageAllocator memory) throws IOException {
        return boot(root, clock, memory, null);
    }

    /**
     * Builds the initial namespace with root as "/": a host directory (hostfs, read-only) or
     * an EROFS image file (as a kernel mounts root=/dev/... of type erofs). Image problems
     * found later are logged to log.
     */
    public static MountNamespace boot(Path root, Clock clock, PageAllocator memory, Consumer<String> log) throws IOException {
        NullFs nullfs = new NullFs(clock::realtimeNanos);
        MountNamespace ns = new MountNamespace(nullfs);
        SuperBlock rootfs = Files.isRegularFile(root) ? erofsRoot(root, clock, log) : new HostFs(root, true, clock::realtimeNanos);
        attach(ns, rootfs, new FsPath(ns.root(), nullfs.root()), Mount.MS_RDONLY | Mount.MS_RELATIME);
        long half = memory.limitPages() / 2 * 4096;
        long inodes = Math.max(1024, memory.limitPages() / 2);
        mountIfDir(ns, "/tmp", new Tmpfs("tmpfs", "tmpfs", clock::realtimeNanos, memory, half, inodes, 01777),
                Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_RELATIME);
        mountIfDir(ns, "/run", new Tmpfs("tmpfs", "tmpfs", clock::realtimeNanos, memory, half / 5, inodes, 0755),
                Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_RELATIME);
        return ns;
    }

    private static SuperBlock erofsRoot(Path image, Clock clock, Consumer<String> log) throws IOException {
        try {
            return ErofsSuperBlock.mount(image, clock::realtimeNanos, log);
        } catch (ErofsException e) {
            throw new IOException("cannot mount as EROFS: " + e.getMessage() + " (" + Errno.name(e.errno) + ")");
        }
    }

    private static void attach(MountNamespace ns, SuperBlock sb, FsPath where, int flags) {
        ns.attach(MountNamespace.newMount(sb, sb.root(), flags), MountNamespace.followDown(where));
    }

    /** Mounts sb at an existing directory of the tree so far; a missing one is skipped. */
    private static void mountIfDir(MountNamespace ns, String path, SuperBlock sb, int flags) {
        FsPath p = ns.rootPath();
        try {
            for (String c : path.substring(1).split("/")) {
                var child = p.dentry().child(c);
                if (child == null || !child.inode().isDir()) return;
                p = MountNamespace.followDown(new FsPath(p.mnt(), child));
            }
        } catch (ErrnoException e) {
            if (e.errno == Errno.ENOENT || e.errno == Errno.ENOTDIR || e.errno == Errno.EACCES) return;
            throw e;
        }
        attach(ns, sb, p, flags);
    }
}
