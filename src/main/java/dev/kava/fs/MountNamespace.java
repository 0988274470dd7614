package dev.kava.fs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mount namespace (struct mnt_namespace, fs/namespace.c): the mount tree processes see, with
 * nullfs at its root as on Linux 7.0. Mounts are found by the (parent mount, dentry) pair they
 * cover, through one hash for all namespaces (mount_hashtable); TREE_LOCK is namespace_sem and
 * mount_lock in one.
 */
public final class MountNamespace {
    static final Object TREE_LOCK = new Object();
    /** (parent, mountpoint) -> the mount attached there (mount_hashtable). */
    private static final Map<Key, Mount> HASH = new HashMap<>();

    private record Key(Mount parent, Dentry mountpoint) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.parent == parent && k.mountpoint == mountpoint;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(parent) * 31 + System.identityHashCode(mountpoint);
        }
    }

    /** The mount ID allocator (mnt_id_ida), shared by the namespaces of one kernel. */
    private final AtomicInteger nextId;
    private final Mount root;
    /** Every mount of the namespace in the order mounted (ns->list), as /proc/mounts lists them. */
    private final List<Mount> list = new ArrayList<>();

    /** A namespace whose root mount shows sb (nullfs for the initial namespace). */
    public MountNamespace(SuperBlock rootSb) {
        this.nextId = new AtomicInteger(1);
        this.root = newMount(rootSb, rootSb.root(), 0);
        root.id = nextId.getAndIncrement();
        synchronized (TREE_LOCK) {
            root.ns = this;
            list.add(root);
        }
    }

    /** A new, unattached mount of sb (vfs_create_mount); it gets its ID when attached. */
    public static Mount newMount(SuperBlock sb, Dentry root, int flags) {
        return new Mount(sb, root, flags & dev.kava.abi.Mount.MNT_FLAGS_MASK);
    }

    public Mount root() {
        return root;
    }

    /** The root of the namespace as processes see it: the top of whatever is stacked on the nullfs root. */
    public FsPath rootPath() {
        return followDown(new FsPath(root, root.root));
    }

    /** Every mount, in mount order. */
    public List<Mount> mounts() {
        synchronized (TREE_LOCK) {
            return new ArrayList<>(list);
        }
    }

    /** lookup_mnt: the mount attached at p, or null. */
    public static Mount lookup(FsPath p) {
        synchronized (TREE_LOCK) {
            return HASH.get(new Key(p.mnt(), p.dentry()));
        }
    }

    /** follow_mount / traverse_mounts: down through every mount stacked at p. */
    public static FsPath followDown(FsPath p) {
        if (!p.dentry().isMountpoint()) return p;
        synchronized (TREE_LOCK) {
            while (true) {
                Mount m = HASH.get(new Key(p.mnt(), p.dentry()));
                if (m == null) return p;
                p = new FsPath(m, m.root);
            }
        }
    }

    /** follow_up for "..": from a mount's root to the dentry it covers, as often as needed. */
    public static FsPath followUp(FsPath p) {
        synchronized (TREE_LOCK) {
            while (p.dentry() == p.mnt().root && p.mnt().parent != p.mnt()) {
                p = new FsPath(p.mnt().parent, p.mnt().mountpoint);
            }
            return p;
        }
    }

    /**
     * graft_tree / do_add_mount: attaches m on top of whatever is at where (the caller has
     * followed where down to the topmost mount, as lock_mount does).
     */
    public void attach(Mount m, FsPath where) {
        synchronized (TREE_LOCK) {
            if (m.id == 0) m.id = nextId.getAndIncrement();
            m.parent = where.mnt();
            m.mountpoint = where.dentry();
            m.ns = this;
            where.mnt().children.add(m);
            HASH.put(new Key(where.mnt(), where.dentry()), m);
            synchronized (Dentry.class) {
                where.dentry().mounts++;
            }
            list.add(m);
        }
    }

    /** umount_tree: detaches m and every mount below it; lazily (MNT_DETACH) their users keep them. */
    public void detachTree(Mount m) {
        synchronized (TREE_LOCK) {
            for (Mount c : new ArrayList<>(m.children)) detachTree(c);
            detachOne(m);
        }
    }

    private void detachOne(Mount m) {
        if (m.parent == m) return;
        Mount stackedOnTop = HASH.get(new Key(m, m.root));
        HASH.remove(new Key(m.parent, m.mountpoint));
        m.parent.children.remove(m);
        synchronized (Dentry.class) {
            m.mountpoint.mounts--;
        }
        // A mount stacked on m's root moves down to where m was (umount of a lower stacked mount).
        if (stackedOnTop != null && stackedOnTop.parent == m) {
            HASH.remove(new Key(m, m.root));
            synchronized (Dentry.class) {
                m.root.mounts--;
                m.mountpoint.mounts++;
            }
            m.children.remove(stackedOnTop);
            stackedOnTop.parent = m.parent;
            stackedOnTop.mountpoint = m.mountpoint;
            m.parent.children.add(stackedOnTop);
            HASH.put(new Key(m.parent, m.mountpoint), stackedOnTop);
        }
        m.parent = m;
        m.mountpoint = m.root;
        list.remove(m);
        m.ns = null;
    }

    /** Whether m or a mount below it is in use by open files or working directories (propagate_mount_busy). */
    public static boolean busy(Mount m, int allowedUsers) {
        synchronized (TREE_LOCK) {
            if (m.users.get() > allowedUsers) return true;
            for (Mount c : m.children) if (busy(c, 0)) return true;
            return false;
        }
    }

    /** Whether m has mounts attached below it. */
    public static boolean hasChildren(Mount m) {
        synchronized (TREE_LOCK) {
            return !m.children.isEmpty();
        }
    }

    /**
     * d_path: the name of p as seen from root; a deleted file gets " (deleted)", a place outside
     * root is prefixed "(unreachable)" as getcwd reports it. A null root means the top of
     * whatever tree p is in.
     */
    public static String path(FsPath p, FsPath root) {
        StringBuilder sb = new StringBuilder();
        List<String> parts = new ArrayList<>();
        Mount mnt = p.mnt();
        Dentry d = p.dentry();
        boolean reachable = true;
        synchronized (TREE_LOCK) {
            while (true) {
                if (root != null && mnt == root.mnt() && d == root.dentry()) break;
                if (d == mnt.root || d.isRoot()) {
                    if (mnt.parent == mnt) { reachable = root == null; break; }
                    d = mnt.mountpoint;
                    mnt = mnt.parent;
                    continue;
                }
                parts.add(d.name());
                d = d.parent();
            }
        }
        if (!reachable) sb.append("(unreachable)");
        for (int i = parts.size() - 1; i >= 0; i--) sb.append('/').append(parts.get(i));
        if (parts.isEmpty()) sb.append('/');
        if (p.dentry().unhashed() && !p.dentry().isRoot()) sb.append(" (deleted)");
        return sb.toString();
    }

    /** The path of p within its own filesystem (mountinfo's root column; dentry_path). */
    public static String pathInFs(Dentry d) {
        List<String> parts = new ArrayList<>();
        while (!d.isRoot()) {
            parts.add(d.name());
            d = d.parent();
        }
        if (parts.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) sb.append('/').append(parts.get(i));
        return sb.toString();
    }
}
