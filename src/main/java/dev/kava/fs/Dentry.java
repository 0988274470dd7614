package dev.kava.fs;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A name in the directory tree (struct dentry): a name, its parent, and the inode it names.
 * The children map is a cache of names looked up (the dcache); a filesystem's directory
 * inodes hold the truth, and every lookup checks the cached dentry against them (as
 * d_revalidate does), so host-side changes to a hostfs are seen. Children are held weakly:
 * a dentry stays while something uses it (an open file, a working directory, a mount, a
 * child), and the garbage collector is the dcache shrinker for the rest.
 */
public final class Dentry {
    private final SuperBlock sb;
    private String name;
    private Dentry parent;
    private Inode inode;
    /** Unlinked, or replaced by a rename (d_unhashed): no longer reachable by its name. */
    private boolean unhashed;
    /** Mounts on this dentry, in any namespace (d_mounted, DCACHE_MOUNTED); changed under Dentry.class, read without it. */
    volatile int mounts;
    private final Map<String, WeakReference<Dentry>> children = new HashMap<>();
    /** The open files on this name (the dentry references they hold, for fsnotify's end of a removed file). */
    private final java.util.concurrent.atomic.AtomicInteger openFiles = new java.util.concurrent.atomic.AtomicInteger();

    private Dentry(SuperBlock sb, Dentry parent, String name, Inode inode) {
        this.sb = sb;
        this.parent = parent == null ? this : parent;
        this.name = name;
        this.inode = inode;
    }

    static Dentry makeRoot(SuperBlock sb, Inode inode) {
        return new Dentry(sb, null, "/", inode);
    }

    public SuperBlock sb() { return sb; }

    public synchronized String name() { return name; }

    /** The parent dentry; a filesystem's root is its own parent (IS_ROOT). */
    public synchronized Dentry parent() { return parent; }

    public synchronized Inode inode() { return inode; }

    public boolean isRoot() { return parent() == this; }

    public synchronized boolean unhashed() { return unhashed; }

    /** How many open files hold this dentry. */
    public int openFiles() {
        return openFiles.get();
    }

    /** An open file took a reference (File's constructor). */
    void getFile() {
        openFiles.incrementAndGet();
    }

    /** An open file dropped its reference (fput); returns how many remain. */
    public int putFile() {
        return openFiles.decrementAndGet();
    }

    public boolean isMountpoint() {
        return mounts > 0;
    }

    /**
     * d_lookup + ->lookup: the child named name, or null if the directory has no such entry.
     * Call with this directory's inode lock held.
     *
     * <p>A cached child that something is mounted on is used without asking the filesystem (as
     * Linux's dcache hands out an in-use dentry of 9p without revalidating it): the walk goes on
     * into the mount, and the directory under it cannot be removed or renamed by the guest (EBUSY).
     * So a walk through /tmp or /proc costs no host lookup on a hostfs root.
     */
    public Dentry child(String name) {
        synchronized (this) {
            WeakReference<Dentry> ref = children.get(name);
            Dentry d = ref == null ? null : ref.get();
            if (d != null && d.isMountpoint()) return d;
        }
        Inode dir = inode();
        Inode found = dir.lookup(name);
        synchronized (this) {
            WeakReference<Dentry> ref = children.get(name);
            Dentry d = ref == null ? null : ref.get();
            if (found == null) {
                if (d != null) d.dropFromParent(); // gone behind our back (host-side change)
                return null;
            }
            if (d != null && d.inode().same(found)) return d;
            if (d != null) d.markUnhashed();
            d = new Dentry(sb, this, name, found);
            children.put(name, new WeakReference<>(d));
            return d;
        }
    }

    /** d_instantiate for a name just created in this directory. */
    public Dentry instantiate(String name, Inode created) {
        synchronized (this) {
            WeakReference<Dentry> ref = children.get(name);
            Dentry old = ref == null ? null : ref.get();
            if (old != null) old.markUnhashed();
            Dentry d = new Dentry(sb, this, name, created);
            children.put(name, new WeakReference<>(d));
            return d;
        }
    }

    /** d_tmpfile: a dentry for an unnamed inode (O_TMPFILE), never reachable by name. */
    public static Dentry tmpfile(Dentry dir, Inode inode) {
        return tmpfile(dir, inode, "#" + inode.ino);
    }

    /** An unhashed dentry with a given name (memfd's "memfd:NAME", shown in /proc/PID/fd). */
    public static Dentry tmpfile(Dentry dir, Inode inode, String name) {
        Dentry d = new Dentry(dir.sb, dir, name, inode);
        d.unhashed = true;
        return d;
    }

    /** d_delete: the name was removed; open files and working directories keep the inode. */
    public void deleted() {
        dropFromParent();
    }

    private void dropFromParent() {
        Dentry p = parent();
        synchronized (p) {
            WeakReference<Dentry> ref = p.children.get(name());
            if (ref != null && ref.get() == this) p.children.remove(name());
        }
        markUnhashed();
    }

    private synchronized void markUnhashed() {
        unhashed = true;
    }

    /** The cached child with this name, if any, without asking the filesystem. */
    synchronized Dentry cachedChild(String name) {
        WeakReference<Dentry> ref = children.get(name);
        return ref == null ? null : ref.get();
    }

    /** d_move: this dentry now has newName under newParent; whatever was cached there is replaced. */
    static void move(Dentry d, Dentry newParent, String newName) {
        synchronized (Dentry.class) { // the rename lock: one d_move at a time keeps the tree consistent
            Dentry oldParent = d.parent();
            String oldName = d.name();
            synchronized (oldParent) {
                WeakReference<Dentry> ref = oldParent.children.get(oldName);
                if (ref != null && ref.get() == d) oldParent.children.remove(oldName);
            }
            synchronized (newParent) {
                WeakReference<Dentry> ref = newParent.children.get(newName);
                Dentry victim = ref == null ? null : ref.get();
                if (victim != null && victim != d) victim.markUnhashed();
                newParent.children.put(newName, new WeakReference<>(d));
            }
            synchronized (d) {
                d.parent = newParent;
                d.name = newName;
                d.unhashed = false;
            }
        }
    }

    /** d_exchange: two dentries swap names and parents (RENAME_EXCHANGE). */
    static void exchange(Dentry a, Dentry b) {
        synchronized (Dentry.class) {
            Dentry pa = a.parent(), pb = b.parent();
            String na = a.name(), nb = b.name();
            synchronized (pa) { pa.children.put(na, new WeakReference<>(b)); }
            synchronized (pb) { pb.children.put(nb, new WeakReference<>(a)); }
            synchronized (a) { a.parent = pb; a.name = nb; }
            synchronized (b) { b.parent = pa; b.name = na; }
        }
    }

    /** Whether this dentry is anc or below it in the same filesystem (is_subdir). */
    public boolean isSubdirOf(Dentry anc) {
        Dentry d = this;
        while (true) {
            if (d == anc) return true;
            Dentry p = d.parent();
            if (p == d) return false;
            d = p;
        }
    }

    @Override
    public String toString() {
        return "Dentry[" + name() + "]";
    }
}
