package dev.kava.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * A mount (struct mount / struct vfsmount): a filesystem's subtree attached at a dentry of a
 * parent mount, with its own flags and ID. The mount tree is guarded by its namespace's lock.
 */
public final class Mount {
    /**
     * The mount ID /proc/PID/mountinfo shows; nullfs is 1. IDs come from the kernel's own
     * allocator (one per initial namespace and the namespaces made from it), given when the
     * mount is first attached; 0 until then.
     */
    public volatile int id;
    public final SuperBlock sb;
    /** The dentry of sb this mount shows at its mountpoint (the fs root, or a subdirectory for bind mounts). */
    public final Dentry root;
    /** MS_RDONLY | MS_NOSUID | ... (dev.kava.abi.Mount.MNT_FLAGS_MASK). */
    volatile int flags;
    /** The mount this one is attached to, and the dentry of that mount it covers; itself/root when detached or the top. */
    Mount parent;
    Dentry mountpoint;
    MountNamespace ns;
    final List<Mount> children = new ArrayList<>();
    /** Open files, working directories and roots inside this mount (mnt_count beyond the tree's own). */
    final Users users = new Users();
    /**
     * The propagation type mount(2) last set (MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE).
     * kava has one mount namespace and no peer groups: a shared or slave mount behaves as a
     * private one (nothing propagates); the type is recorded for what checks it (pivot_root
     * and MS_MOVE refuse shared parents, binds refuse unbindable mounts) and for mountinfo.
     */
    volatile int propagation = dev.kava.abi.Mount.MS_PRIVATE;
    /** mnt_expiry_mark: set by umount2(MNT_EXPIRE), cleared when the mount is used (mntput). */
    volatile boolean expiryMark;

    /** mnt_count beyond the tree's own references; any change is a use that clears the expiry mark. */
    final class Users {
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        int incrementAndGet() {
            expiryMark = false;
            return count.incrementAndGet();
        }

        int decrementAndGet() {
            expiryMark = false;
            return count.decrementAndGet();
        }

        int get() {
            return count.get();
        }
    }

    Mount(SuperBlock sb, Dentry root, int flags) {
        this.sb = sb;
        this.root = root;
        this.flags = flags;
        this.parent = this;
        this.mountpoint = root;
    }

    /**
     * The 64-bit mount ID statx(STATX_MNT_ID_UNIQUE) reports (mnt_id_unique): never reused,
     * and above 2^31 so it cannot be mistaken for a mount ID (MNT_UNIQUE_ID_OFFSET in fs/namespace.c).
     */
    public long uniqueId() {
        return (1L << 31) + id;
    }

    public int flags() {
        return flags;
    }

    public boolean readOnly() {
        return (flags & dev.kava.abi.Mount.MS_RDONLY) != 0 || sb.readOnly();
    }

    public boolean noExec() {
        return (flags & dev.kava.abi.Mount.MS_NOEXEC) != 0;
    }

    public boolean noSuid() {
        return (flags & dev.kava.abi.Mount.MS_NOSUID) != 0;
    }

    public boolean noDev() {
        return (flags & dev.kava.abi.Mount.MS_NODEV) != 0;
    }

    /** The propagation type (MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE), for mountinfo. */
    public int propagation() {
        return propagation;
    }

    /** The namespace this mount is attached in, or null once it is unmounted. */
    public MountNamespace namespace() {
        synchronized (MountNamespace.TREE_LOCK) {
            return ns;
        }
    }

    public boolean noSymFollow() {
        return (flags & dev.kava.abi.Mount.MS_NOSYMFOLLOW) != 0;
    }

    /** The mount this one is attached to (itself for the namespace root or a detached mount). */
    public Mount parent() {
        synchronized (MountNamespace.TREE_LOCK) {
            return parent;
        }
    }

    public Dentry mountpoint() {
        synchronized (MountNamespace.TREE_LOCK) {
            return mountpoint;
        }
    }

    public boolean attached() {
        synchronized (MountNamespace.TREE_LOCK) {
            return parent != this;
        }
    }

    @Override
    public String toString() {
        return "Mount[" + id + " " + sb.type() + "]";
    }
}
