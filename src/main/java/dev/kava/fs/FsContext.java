package dev.kava.fs;

/**
 * A process's filesystem context (struct fs_struct): its root and working directory, as
 * locations in the mount tree, and its umask. clone(CLONE_FS) shares one; fork copies it.
 */
public final class FsContext {
    private FsPath root;
    private FsPath cwd;
    private int umask = 0022;
    /** Processes sharing this context (fs_struct.users): clone(CLONE_FS) shares it. */
    private int users = 1;

    public FsContext(FsPath root, FsPath cwd) {
        this.root = root;
        this.cwd = cwd;
        use(root);
        use(cwd);
    }

    public synchronized FsPath root() {
        return root;
    }

    public synchronized FsPath cwd() {
        return cwd;
    }

    public synchronized int umask() {
        return umask;
    }

    /** umask(2): sets the mask, returns the old one. */
    public synchronized int setUmask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    public synchronized void setCwd(FsPath p) {
        use(p);
        unuse(cwd);
        cwd = p;
    }

    public synchronized void setRoot(FsPath p) {
        use(p);
        unuse(root);
        root = p;
    }

    /** A copy for fork without CLONE_FS (copy_fs_struct). */
    public synchronized FsContext copy() {
        FsContext c = new FsContext(root, cwd);
        c.umask = umask;
        return c;
    }

    /** Another process shares this context (clone with CLONE_FS). */
    public synchronized FsContext share() {
        users++;
        return this;
    }

    /** Whether other processes share this context (fs->users > 1). */
    public synchronized boolean isShared() {
        return users > 1;
    }

    /** exit_fs: a user is gone; the last one unpins the mounts of its root and working directory. */
    public synchronized void put() {
        if (--users != 0) return;
        unuse(root);
        unuse(cwd);
    }

    private static void use(FsPath p) {
        p.mnt().users.incrementAndGet();
    }

    private static void unuse(FsPath p) {
        p.mnt().users.decrementAndGet();
    }
}
