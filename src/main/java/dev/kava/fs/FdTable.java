package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process's file descriptor table (struct files_struct): descriptors to open files with a
 * close-on-exec flag each. New descriptors take the lowest free number, as POSIX requires.
 */
public final class FdTable {
    /** sysctl fs.nr_open: the highest RLIMIT_NOFILE can go (include/linux/fs.h NR_OPEN default). */
    public static final int NR_OPEN = 1 << 20;

    private File[] files = new File[64];
    private boolean[] cloexec = new boolean[64];

    /**
     * How many descriptors, in every table, refer to each open file (the file's f_count as far
     * as descriptors hold it): a file shared with a forked child is released only when the last
     * descriptor anywhere is closed. Always taken after a table's own lock.
     */
    private static final Map<File, int[]> REFS = new IdentityHashMap<>();

    /** Processes sharing this table (files_struct.count): clone(CLONE_FILES) shares it. */
    private final AtomicInteger users = new AtomicInteger(1);

    private static void ref(File f) {
        if (f == null) return;
        synchronized (REFS) {
            REFS.computeIfAbsent(f, k -> new int[1])[0]++;
        }
    }

    private static void unref(File f) {
        if (f == null) return;
        synchronized (REFS) {
            int[] c = REFS.get(f);
            if (c != null && --c[0] <= 0) REFS.remove(f);
        }
    }

    private static boolean referenced(File f) {
        synchronized (REFS) {
            return REFS.containsKey(f);
        }
    }

    /**
     * get_file for a reference that is not a descriptor (a file in flight in an SCM_RIGHTS
     * message holds one): closing every descriptor then does not release the file.
     */
    public static void getRef(File f) {
        ref(f);
    }

    /** fput of a reference taken by {@link #getRef}: releases the file when it was the last reference anywhere. */
    public static void putRef(File f) {
        boolean last;
        synchronized (REFS) {
            int[] c = REFS.get(f);
            if (c == null) return;
            last = --c[0] <= 0;
            if (last) REFS.remove(f);
        }
        if (last) f.fput();
    }

    /** The file's references, descriptors in every table and {@link #getRef} ones (its f_count). */
    public static int refCount(File f) {
        synchronized (REFS) {
            int[] c = REFS.get(f);
            return c == null ? 0 : c[0];
        }
    }

    /** Another process shares this table (clone with CLONE_FILES). */
    public FdTable share() {
        users.incrementAndGet();
        return this;
    }

    /** A process stops using this table; true when it was the last one (put_files_struct). */
    public boolean unshareLast() {
        return users.decrementAndGet() == 0;
    }

    /** Whether other processes share this table. */
    public boolean isShared() {
        return users.get() > 1;
    }

    /** A copy for fork (dup_fd): the same open files at the same descriptors, close-on-exec flags included. */
    public synchronized FdTable copy() {
        FdTable c = new FdTable();
        c.files = files.clone();
        c.cloexec = cloexec.clone();
        for (File f : c.files) ref(f);
        return c;
    }

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
                ref(file);
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
        ref(file);
        unref(old);
        return old;
    }

    /** Removes fd and returns its file; EBADF when it is not open. */
    public synchronized File remove(int fd) {
        File f = get(fd);
        if (f == null) throw ErrnoException.of(Errno.EBADF);
        files[fd] = null;
        cloexec[fd] = false;
        unref(f);
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
                unref(files[fd]);
                files[fd] = null;
                cloexec[fd] = false;
            }
        }
        removed.removeIf(this::refersTo);
        return removed;
    }

    /** Whether some descriptor, in this or any other process's table, still refers to file (so release() must wait). */
    public boolean refersTo(File file) {
        return referenced(file);
    }

    /** Removes every descriptor and returns the files no descriptor anywhere refers to any more, for exit. */
    public synchronized List<File> removeAll() {
        List<File> out = new ArrayList<>();
        for (File f : files) {
            if (f == null) continue;
            unref(f);
            if (!out.contains(f)) out.add(f);
        }
        out.removeIf(FdTable::referenced);
        Arrays.fill(files, null);
        Arrays.fill(cloexec, false);
        return out;
    }

    /** The size of the descriptor array (fdt->max_fds), which select() clamps its nfds to. */
    public synchronized int maxFds() {
        return files.length;
    }

    private void grow(int min) {
        int n = Math.max(min, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }
}
