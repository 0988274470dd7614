package dev.kava.drivers.chr;

import dev.kava.abi.Errno;
import dev.kava.abi.Major;
import dev.kava.fs.CharDevices;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.printk.DevKmsg;
import dev.kava.mm.Mmap;

import java.util.Arrays;

/**
 * The memory devices (drivers/char/mem.c), major 1: /dev/null, /dev/zero and /dev/full, and
 * chr_dev_init's registration of the whole devlist, which also holds /dev/random and
 * /dev/urandom (random.c) and /dev/kmsg (kernel/printk). /dev/mem, /dev/kmem and /dev/port are
 * not there: they would reach the host's memory and I/O ports.
 */
public final class Mem {
    private Mem() {}

    /** chr_dev_init: registers every device of the devlist with the character device table. */
    public static void register() {
        CharDevices.register(Major.MEM_MAJOR, Major.MEM_NULL, (t, inode, path, flags) -> new NullFile(path, flags));
        CharDevices.register(Major.MEM_MAJOR, Major.MEM_ZERO, (t, inode, path, flags) -> new ZeroFile(path, flags));
        CharDevices.register(Major.MEM_MAJOR, Major.MEM_FULL, (t, inode, path, flags) -> new FullFile(path, flags));
        CharDevices.register(Major.MEM_MAJOR, Major.MEM_RANDOM, (t, inode, path, flags) -> new Random.RandomFile(path, flags, true));
        CharDevices.register(Major.MEM_MAJOR, Major.MEM_URANDOM, (t, inode, path, flags) -> new Random.RandomFile(path, flags, false));
        CharDevices.register(Major.MEM_MAJOR, Major.MEM_KMSG, DevKmsg::open);
    }

    /** null_lseek (also zero_lseek and full_lseek): the position is always 0. */
    abstract static class MemFile extends File {
        MemFile(FsPath path, int flags) {
            super(path, flags);
        }

        @Override
        public long lseek(long offset, int whence) {
            pos = 0;
            return 0;
        }
    }

    /** /dev/null: reads find end of file, writes vanish (read_null, write_null). */
    static final class NullFile extends MemFile {
        NullFile(FsPath path, int flags) {
            super(path, flags);
        }

        @Override
        public int read(Task t, byte[] dst, int off, int len) {
            return 0;
        }

        @Override
        public int pread(Task t, byte[] dst, int off, int len, long offset) {
            return 0;
        }

        @Override
        public int write(Task t, byte[] src, int off, int len) {
            return len;
        }

        @Override
        public int pwrite(Task t, byte[] src, int off, int len, long offset) {
            return len;
        }
    }

    /**
     * /dev/zero: reads give zeros, writes vanish (read_iter_zero, write_zero). Mapping it
     * (mmap_zero) gives anonymous memory: {@link Mmap.AnonymousFile}.
     */
    static final class ZeroFile extends MemFile implements Mmap.AnonymousFile {
        ZeroFile(FsPath path, int flags) {
            super(path, flags);
        }

        @Override
        public int read(Task t, byte[] dst, int off, int len) {
            Arrays.fill(dst, off, off + len, (byte) 0);
            return len;
        }

        @Override
        public int pread(Task t, byte[] dst, int off, int len, long offset) {
            return read(t, dst, off, len);
        }

        @Override
        public int write(Task t, byte[] src, int off, int len) {
            return len;
        }

        @Override
        public int pwrite(Task t, byte[] src, int off, int len, long offset) {
            return len;
        }
    }

    /** /dev/full: reads give zeros, every write fails with ENOSPC (write_full). */
    static final class FullFile extends MemFile {
        FullFile(FsPath path, int flags) {
            super(path, flags);
        }

        @Override
        public int read(Task t, byte[] dst, int off, int len) {
            Arrays.fill(dst, off, off + len, (byte) 0);
            return len;
        }

        @Override
        public int pread(Task t, byte[] dst, int off, int len, long offset) {
            return read(t, dst, off, len);
        }

        @Override
        public int write(Task t, byte[] src, int off, int len) {
            throw ErrnoException.of(Errno.ENOSPC);
        }

        @Override
        public int pwrite(Task t, byte[] src, int off, int len, long offset) {
            throw ErrnoException.of(Errno.ENOSPC);
        }
    }
}
