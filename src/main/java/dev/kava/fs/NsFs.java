package dev.kava.fs;

import dev.kava.abi.Stat;
import dev.kava.abi.Statfs;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * nsfs (fs/nsfs.c): where the /proc/PID/ns links lead. Each namespace has one inode whose
 * number is the namespace's (ns.inum), so that two links name the same namespace exactly when
 * stat gives the same st_dev and st_ino; its dentry is named "KIND:[INUM]" as the link reads
 * (ns_get_name). The kernel keeps one internal mount of it (nsfs_mnt). An open namespace file
 * reads nothing (EINVAL); setns(2) and the NS_GET_* ioctls are not implemented.
 */
public final class NsFs extends SuperBlock {
    private static final Map<Kernel, Mount> NSFS_MNT = new WeakHashMap<>();

    /** The inode of each namespace seen so far, by inode number. */
    private final Map<Long, NsInode> inodes = new HashMap<>();

    private NsFs(Kernel k) {
        super("nsfs", k.clock()::realtimeNanos, false);
        setRoot(new Root(this));
    }

    /** nsfs_mnt of kernel k. */
    private static Mount internalMount(Kernel k) {
        synchronized (NSFS_MNT) {
            return NSFS_MNT.computeIfAbsent(k, kk -> {
                NsFs fs = new NsFs(kk);
                return MountNamespace.newMount(fs, fs.root(), 0);
            });
        }
    }

    /**
     * ns_get_path: where the namespace of kind ("uts", "net", ...) with inode number inum is,
     * its inode made on first use.
     */
    public static FsPath path(Task t, String kind, long inum) {
        Mount m = internalMount(t.kernel);
        NsFs fs = (NsFs) m.sb;
        NsInode inode;
        synchronized (fs.inodes) {
            inode = fs.inodes.computeIfAbsent(inum, i -> new NsInode(fs, i));
        }
        return new FsPath(m, Dentry.tmpfile(fs.root(), inode, name(kind, inum)));
    }

    /** ns_get_name: what a /proc/PID/ns link reads. */
    public static String name(String kind, long inum) {
        return kind + ":[" + Long.toUnsignedString(inum) + "]";
    }

    @Override
    public long magic() {
        return Statfs.NSFS_MAGIC;
    }

    @Override
    public String source() {
        return "nsfs";
    }

    /** The root: nothing can be looked up in it. */
    private static final class Root extends Inode {
        Root(NsFs fs) {
            super(fs, 1, Stat.S_IFDIR | 0555);
            nlink = 2;
        }
    }

    /** A namespace's inode (nsfs_init_inode): S_IFREG | S_IRUGO, owned by root, S_IMMUTABLE. */
    static final class NsInode extends Inode {
        NsInode(NsFs fs, long inum) {
            super(fs, inum, Stat.S_IFREG | 0444);
        }

        @Override
        public boolean immutable() {
            return true;
        }

        @Override
        public File open(Task t, FsPath path, int flags) {
            return new NsFile(path, flags);
        }
    }

    /** An open namespace (ns_file_operations): no read, write or seek. */
    static final class NsFile extends File {
        NsFile(FsPath path, int flags) {
            super(path, flags);
        }
    }
}
