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

    /** umount_mnt: takes m off its mountpoint (it keeps its own submounts and its place in the namespace). */
    private static void unhash(Mount m) {
        HASH.remove(new Key(m.parent, m.mountpoint));
        m.parent.children.remove(m);
        synchronized (Dentry.class) {
            m.mountpoint.mounts--;
        }
        m.parent = m;
        m.mountpoint = m.root;
    }

    /** attach_mnt: puts m (and what hangs below it) at where, which nothing covers yet. */
    private static void hash(Mount m, FsPath where) {
        m.parent = where.mnt();
        m.mountpoint = where.dentry();
        where.mnt().children.add(m);
        HASH.put(new Key(where.mnt(), where.dentry()), m);
        synchronized (Dentry.class) {
            where.dentry().mounts++;
        }
    }

    /**
     * do_move_mount (MS_MOVE): m, an attached mount of this namespace, and everything mounted
     * below it move to where (the caller followed where down to its topmost mount).
     */
    public void move(Mount m, FsPath where) {
        synchronized (TREE_LOCK) {
            unhash(m);
            hash(m, where);
        }
    }

    /**
     * The mount switch of pivot_root: newMnt leaves its mountpoint, the old root mount rootMnt
     * goes to putOld (followed down to its topmost mount; it may lie on newMnt itself, as with
     * pivot_root(".", ".")), and newMnt takes rootMnt's place.
     */
    public void pivot(Mount newMnt, Mount rootMnt, FsPath putOld) {
        synchronized (TREE_LOCK) {
            unhash(newMnt);
            Mount rootParent = rootMnt.parent;
            Dentry rootMp = rootMnt.mountpoint;
            unhash(rootMnt);
            hash(rootMnt, putOld);
            hash(newMnt, new FsPath(rootParent, rootMp));
        }
    }

    /**
     * do_loopback (MS_BIND): a copy of old as seen from its dentry root (clone_mnt), with, when
     * recurse (MS_REC), copies of every mount below that dentry but the unbindable ones (copy_tree),
     * attached at where. Returns the new top mount.
     */
    public Mount bind(Mount old, Dentry root, boolean recurse, FsPath where) {
        synchronized (TREE_LOCK) {
            // The copy is made before it is attached (where may lie inside old).
            Mount top = cloneMount(old, root);
            List<Object[]> below = new ArrayList<>();
            if (recurse) copySubmounts(old, root, top, below);
            attach(top, where);
            for (Object[] c : below) attach((Mount) c[0], new FsPath((Mount) c[1], (Dentry) c[2]));
            return top;
        }
    }

    private static Mount cloneMount(Mount old, Dentry root) {
        Mount m = newMount(old.sb, root, old.flags);
        m.propagation = old.propagation;
        return m;
    }

    /** copy_tree: copies of old's submounts that lie under root, each with the copy it goes on and where, parents first. */
    private static void copySubmounts(Mount old, Dentry root, Mount clone, List<Object[]> out) {
        for (Mount c : old.children) {
            if (c.propagation == dev.kava.abi.Mount.MS_UNBINDABLE) continue;
            if (!c.mountpoint.isSubdirOf(root)) continue;
            Mount cc = cloneMount(c, c.root);
            out.add(new Object[]{cc, clone, c.mountpoint});
            copySubmounts(c, c.root, cc, out);
        }
    }

    /** is_path_reachable: whether (mnt, d) is at or below root, climbing through the mounts. */
    public static boolean isPathReachable(Mount mnt, Dentry d, FsPath root) {
        synchronized (TREE_LOCK) {
            while (mnt != root.mnt() && mnt.parent != mnt) {
                d = mnt.mountpoint;
                mnt = mnt.parent;
            }
            return mnt == root.mnt() && d.isSubdirOf(root.dentry());
        }
    }

    /** Whether some mount in any namespace shows sb (its active references, for fsnotify's unmount). */
    public static boolean mounted(SuperBlock sb) {
        synchronized (TREE_LOCK) {
            for (Mount m : HASH.values()) if (m.sb == sb) return true;
            return false;
        }
    }

    /** Every mount from m down, m first (for MS_REC propagation changes). */
    public static List<Mount> subtree(Mount m) {
        synchronized (TREE_LOCK) {
            List<Mount> out = new ArrayList<>();
            collect(m, out);
            return out;
        }
    }

    private static void collect(Mount m, List<Mount> out) {
        out.add(m);
        for (Mount c : m.children) collect(c, out);
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
     * d_path: the name of p as seen from root; a deleted file gets " (deleted)". A place not
     * below root (outside a chroot, or in a detached or kernel-internal mount) is named from the
     * top of its own tree, as prepend_path leaves it (see {@link #reachable}). A null root means
     * the top of whatever tree p is in.
     */
    public static String path(FsPath p, FsPath root) {
        return walk(p, root, new boolean[1]);
    }

    /** Whether root is an ancestor of p (prepend_path returned 0): getcwd and mountinfo ask. */
    public static boolean reachable(FsPath p, FsPath root) {
        boolean[] reached = new boolean[1];
        walk(p, root, reached);
        return reached[0];
    }

    private static String walk(FsPath p, FsPath root, boolean[] reachable) {
        StringBuilder sb = new StringBuilder();
        List<String> parts = new ArrayList<>();
        Mount mnt = p.mnt();
        Dentry d = p.dentry();
        reachable[0] = true;
        synchronized (TREE_LOCK) {
            while (true) {
                if (root != null && mnt == root.mnt() && d == root.dentry()) break;
                if (d == mnt.root || d.isRoot()) {
                    if (mnt.parent == mnt) { reachable[0] = root == null; break; }
                    d = mnt.mountpoint;
                    mnt = mnt.parent;
                    continue;
                }
                parts.add(d.name());
                d = d.parent();
            }
        }
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
