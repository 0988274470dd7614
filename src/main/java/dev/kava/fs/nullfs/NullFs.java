package dev.kava.fs.nullfs;

import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.Inode;
import dev.kava.fs.SuperBlock;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * nullfs (Linux 7.0, fs/nullfs.c): the immutable, empty filesystem at the bottom of every
 * mount tree. It has one instance, mount ID 1, and one inode: a directory nothing can be
 * created in (every directory operation fails with EPERM, the VFS's answer when a
 * filesystem has none). The real root is mounted on top of it, so that the real root can be
 * pivoted away and unmounted like any other mount.
 */
public final class NullFs extends SuperBlock {
    /** NULL_FS_MAGIC (include/uapi/linux/magic.h, Linux 7.0): "NULL". */
    public static final long NULL_FS_MAGIC = 0x4E554C4CL;

    public NullFs(LongSupplier clock) {
        super("nullfs", clock, true);
        setRoot(new Root(this));
    }

    @Override
    public long magic() {
        return NULL_FS_MAGIC;
    }

    @Override
    public StatFs statfs() {
        return new StatFs(NULL_FS_MAGIC, blockSize(), 0, 0, 0, 1, 0, 255);
    }

    @Override
    public String source() {
        return "nullfs";
    }

    /** The one inode: an empty directory, mode 0755, owned by root. */
    private static final class Root extends Inode {
        Root(SuperBlock sb) {
            super(sb, 1, Stat.S_IFDIR | 0755);
            nlink = 2;
        }

        @Override
        public Inode lookup(String name) {
            return null;
        }

        @Override
        public List<Directory.Entry> list() {
            return List.of();
        }
    }
}
