package dev.kava.fs;

/**
 * A process's filesystem context (struct fs_struct): its working directory as a guest path.
 * The root is the kernel's root for now (no chroot).
 */
public final class FsContext {
    private String cwd = "/";
    public int umask = 0022;

    public synchronized String cwd() {
        return cwd;
    }

    public synchronized void setCwd(String guestPath) {
        this.cwd = guestPath;
    }

    /** A copy for fork without CLONE_FS (copy_fs_struct). */
    public synchronized FsContext copy() {
        FsContext c = new FsContext();
        c.cwd = cwd;
        c.umask = umask;
        return c;
    }
}
