package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A process's file descriptor table (struct files_struct): descriptors to open files with a
 * close-on-exec flag each. New descriptors take the lowest free number, as POSIX requires.
 */
public final class FdTable {
    /** sysctl fs.nr_open: the highest RLIMIT_NOFILE can go (include/linux/fs.h NR_OPEN default). */
    public static final int NR_OPEN = 1 << 20;

    private File[] files = new File[64];
    private boolean[] cloexec = new boolean[64];

    public synchronized File get(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    /** The file at fd, or EBADF (fdget). */
    public File require(int fd) {
        File f = get(fd);
        if (f == null) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /** Installs file at the lowest free descriptor >= min, below limit (the RLIMIT_NOFILE value); EMFILE when none. */
    public synchronized int install(File file, boolean closeOnExec, int min, long limit) {
        int max = (int) Math.min(limit, NR_OPEN);
        for (int fd = Math.max(min, 0); fd < max; fd++) {
            if (fd >= files.length) grow(fd + 1);
            if (files[fd] == null) {
                files[fd] = file;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        throw ErrnoException.of(Errno.EMFILE);
    }

    /** The lowest free descriptor below limit, or -1 when the table is full. */
    public synchronized int lowestFree(long limit) {
        int max = (int) Math.min(limit, NR_OPEN);
        for (int fd = 0; fd < max; fd++) if (fd >= files.length || files[fd] == null) return fd;
        return -1;
    }

    /** Puts file at exactly fd, closing what was there (dup3). Returns the replaced file or null. */
    public synchronized File installAt(int fd, File file, boolean closeOnExec) {
        if (fd >= files.length) grow(fd + 1);
        File old = files[fd];
        files[fd] = file;
        cloexec[fd] = closeOnExec;
        return old;
    }

    /** Removes fd and returns its file; EBADF when it is not open. */
    public synchronized File remove(int fd) {
        File f = get(fd);
        if (f == null) throw ErrnoException.of(Errno.EBADF);
        files[fd] = null;
        cloexec[fd] = false;
        return f;
    }

    public synchronized boolean closeOnExec(int fd) {
        return get(fd) != null && cloexec[fd];
    }

    public synchronized void setCloseOnExec(int fd, boolean on) {
        if (get(fd) != null) cloexec[fd] = on;
    }

    /** Removes the close-on-exec descriptors (do_close_on_exec) and returns the files no descriptor refers to any more. */
    public synchronized List<File> removeCloseOnExec() {
        List<File> removed = new ArrayList<>();
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && cloexec[fd]) {
                removed.add(files[fd]);
                files[fd] = null;
                cloexec[fd] = false;
            }
        }
        removed.removeIf(this::refersTo);
        return removed;
    }

    /** Whether some descriptor still refers to file (so release() must wait). */
    public synchronized boolean refersTo(File file) {
        for (File f : files) if (f == file) return true;
        return false;
    }

    /** Removes every descriptor and returns the files, for exit. */
    public synchronized List<File> removeAll() {
        List<File> out = new ArrayList<>();
        for (File f : files) if (f != null && !out.contains(f)) out.add(f);
        Arrays.fill(files, null);
        Arrays.fill(cloexec, false);
        return out;
    }

    private void grow(int min) {
        int n = Math.max(min, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }
}
