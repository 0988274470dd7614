package dev.kava.fs;

import dev.kava.abi.Stat;
import dev.kava.abi.Statfs;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.UtsNamespace;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * nsfs (fs/nsfs.c): where the /proc/PID/ns links lead. Each namespace has one inode whose
 * number is the namespace's (ns.inum), so that two links name the same namespace exactly when
 * stat gives the same st_dev and st_ino; its dentry is named "KIND:[INUM]" as the link reads
 * (ns_get_name). The kernel keeps one internal mount of it (nsfs_mnt). An open namespace file
 * reads nothing (EINVAL); setns(2) takes one ({@link #nsOf}); the NS_GET_* ioctls are not
 * implemented (ENOTTY).
 */
public final class NsFs extends SuperBlock {
    private static final Map<Kernel, Mount> NSFS_MNT = new WeakHashMap<>();

    /**
     * A namespace as nsfs knows it (struct ns_common): its name ("uts", "pid", ...), its
     * CLONE_NEW* type, its inode number, and the namespace itself when kava has more than one of
     * its kind (a UTS namespace), else null (the kernel's single namespace of that kind).
     */
    public record Ns(String name, long type, long inum, UtsNamespace uts) {}

    /** The inodes of the kernel's single namespaces, by inode number (a UTS namespace stashes its own). */
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

    /** ns_get_path: where namespace ns is, its inode made on first use (path_from_stashed). */
    public static FsPath path(Task t, Ns ns) {
        Mount m = internalMount(t.kernel);
        NsFs fs = (NsFs) m.sb;
        NsInode inode;
        if (ns.uts() != null) {
            synchronized (ns.uts()) {
                inode = (NsInode) ns.uts().stashed;
                if (inode == null) ns.uts().stashed = inode = new NsInode(fs, ns);
            }
        } else {
            synchronized (fs.inodes) {
                inode = fs.inodes.computeIfAbsent(ns.inum(), i -> new NsInode(fs, ns));
            }
        }
        return new FsPath(m, Dentry.tmpfile(fs.root(), inode, name(ns)));
    }

    /** ns_get_name: what a /proc/PID/ns link reads. */
    public static String name(Ns ns) {
        return ns.name() + ":[" + Long.toUnsignedString(ns.inum()) + "]";
    }

    /** proc_ns_file and get_proc_ns: the namespace f is open on, or null when f is no namespace file. */
    public static Ns nsOf(File f) {
        return f instanceof NsFile && f.inode() instanceof NsInode i ? i.ns : null;
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
        final Ns ns;

        NsInode(NsFs fs, Ns ns) {
            super(fs, ns.inum(), Stat.S_IFREG | 0444);
            this.ns = ns;
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
