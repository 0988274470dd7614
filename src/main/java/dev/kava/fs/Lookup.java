package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/** Where a *at() path starts: the directory a descriptor names, or the working directory (path_init). */
final class Lookup {
    private Lookup() {}

    /** The guest directory a relative path is looked up from; EBADF or ENOTDIR for a bad dirfd. */
    static String base(Task t, int dirfd, String path) {
        if (path.startsWith("/")) return "/";
        if (dirfd == Fcntl.AT_FDCWD) return t.group.fs.cwd();
        File f = t.group.files.require(dirfd);
        String p = f.guestPath();
        if (p == null || !f.stat().isDirectory()) throw ErrnoException.of(Errno.ENOTDIR);
        return p;
    }

    static HostRoot.Resolved resolve(Task t, int dirfd, String path, boolean follow) {
        return t.kernel.root().lookup(base(t, dirfd, path), path, follow);
    }
}
