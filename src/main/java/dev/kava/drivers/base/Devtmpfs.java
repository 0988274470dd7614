package dev.kava.drivers.base;

import dev.kava.abi.Major;
import dev.kava.abi.Stat;
import dev.kava.fs.Inode;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;
import dev.kava.mm.PageAllocator;

import java.util.function.LongSupplier;

/**
 * devtmpfs (drivers/base/devtmpfs.c): a tmpfs instance of type "devtmpfs" holding a node for
 * every device the kernel has, mounted on /dev at boot. kava's devices are fixed, so the
 * instance is filled once, with the names, modes and owners a Debian system shows after udev
 * ran (udev gives the tty group, gid 5, to /dev/tty and /dev/ptmx), the /proc/self/fd links
 * systemd adds, and the pts/ and shm/ directories other filesystems are mounted on.
 */
public final class Devtmpfs {
    private Devtmpfs() {}

    /** The tty group of Debian's base-passwd. */
    static final int TTY_GID = 5;

    /** A populated devtmpfs: its size limits are tmpfs's defaults (half of memory). */
    public static Tmpfs create(LongSupplier clock, PageAllocator memory) {
        Tmpfs fs = Tmpfs.withDefaults("devtmpfs", clock, memory, 0755);
        Inode root = fs.root().inode();
        chr(root, "null", 0666, Major.MEM_MAJOR, Major.MEM_NULL, 0);
        chr(root, "zero", 0666, Major.MEM_MAJOR, Major.MEM_ZERO, 0);
        chr(root, "full", 0666, Major.MEM_MAJOR, Major.MEM_FULL, 0);
        chr(root, "random", 0666, Major.MEM_MAJOR, Major.MEM_RANDOM, 0);
        chr(root, "urandom", 0666, Major.MEM_MAJOR, Major.MEM_URANDOM, 0);
        chr(root, "kmsg", 0644, Major.MEM_MAJOR, Major.MEM_KMSG, 0);
        chr(root, "tty", 0666, Major.TTYAUX_MAJOR, Major.TTYAUX_TTY, TTY_GID);
        chr(root, "console", 0600, Major.TTYAUX_MAJOR, Major.TTYAUX_CONSOLE, 0);
        chr(root, "ptmx", 0666, Major.TTYAUX_MAJOR, Major.TTYAUX_PTMX, TTY_GID);
        root.symlink("fd", "/proc/self/fd", Cred.ROOT);
        root.symlink("stdin", "/proc/self/fd/0", Cred.ROOT);
        root.symlink("stdout", "/proc/self/fd/1", Cred.ROOT);
        root.symlink("stderr", "/proc/self/fd/2", Cred.ROOT);
        root.mkdir("pts", 0755, Cred.ROOT);
        root.mkdir("shm", 01777, Cred.ROOT);
        return fs;
    }

    private static void chr(Inode dir, String name, int perm, int major, int minor, int gid) {
        Inode node = dir.mknod(name, Stat.S_IFCHR | perm, Stat.encodeDev(major, minor), Cred.ROOT);
        if (gid != 0) node.setOwner(-1, gid);
    }
}
