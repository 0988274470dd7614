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
    final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();

    Mount(SuperBlock sb, Dentry root, int flags) {
        this.sb = sb;
        this.root = root;
        this.flags = flags;
        this.parent = this;
        this.mountpoint = root;
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
