package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The character device table (fs/char_dev.c): opening a character device node, on any
 * filesystem, asks the driver registered for its major and minor numbers. No driver: ENXIO.
 */
public final class CharDevices {
    private CharDevices() {}

    /** A driver's open: the struct file for the device node at path. */
    @FunctionalInterface
    public interface Driver {
        File open(Task t, Inode inode, FsPath path, int flags);
    }

    private static final Map<Long, Driver> DRIVERS = new ConcurrentHashMap<>();
    private static final Map<Integer, Driver> MAJORS = new ConcurrentHashMap<>();

    /** register_chrdev_region for one minor. */
    public static void register(int major, int minor, Driver d) {
        DRIVERS.put(((long) major << 32) | (minor & 0xffffffffL), d);
    }

    /** A driver for every minor of a major (ptys: 136-143). */
    public static void registerMajor(int major, Driver d) {
        MAJORS.put(major, d);
    }

    static File open(Task t, Inode inode, FsPath path, int flags) {
        if (path != null && path.mnt().noDev()) throw ErrnoException.of(Errno.EACCES);
        long rdev = inode.getattr().rdev();
        int major = major(rdev), minor = minor(rdev);
        Driver d = DRIVERS.get(((long) major << 32) | (minor & 0xffffffffL));
        if (d == null) d = MAJORS.get(major);
        if (d == null) throw ErrnoException.of(Errno.ENXIO);
        return d.open(t, inode, path, flags);
    }

    /** MAJOR of a user-visible dev_t (new_decode_dev). */
    public static int major(long dev) {
        return (int) ((dev & 0xfff00) >>> 8);
    }

    /** MINOR of a user-visible dev_t. */
    public static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
    }
}
