package dev.kava.drivers.chr;

import dev.kava.abi.Errno;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/**
 * /dev/random and /dev/urandom (drivers/char/random.c). Their bytes come from the kernel's
 * entropy source ({@link dev.kava.kernel.Kernel#entropy()}), the one getrandom(2) uses, so a
 * deterministic run reads the same bytes every time. As on Linux since 5.18 the pool is always
 * initialised: neither device ever blocks, and they differ only in /dev/random having a poll
 * method.
 */
public final class Random {
    private Random() {}

    /** POOL_READY_BITS: what RNDGETENTCNT reports once the pool is initialised (input_pool.init_bits). */
    static final int POOL_READY_BITS = 256;

    /** random_fops (blocking: /dev/random) and urandom_fops. */
    static final class RandomFile extends File {
        private final boolean random;

        RandomFile(FsPath path, int flags, boolean random) {
            super(path, flags);
            this.random = random;
        }

        /** random_read_iter / urandom_read_iter: as many bytes as asked. */
        @Override
        public int read(Task t, byte[] dst, int off, int len) {
            byte[] b = new byte[len];
            t.kernel.entropy().nextBytes(b);
            System.arraycopy(b, 0, dst, off, len);
            return len;
        }

        @Override
        public int pread(Task t, byte[] dst, int off, int len, long offset) {
            return read(t, dst, off, len);
        }

        /**
         * random_write_iter mixes the bytes into the input pool without crediting any entropy: the
         * output of a pool that is already initialised cannot tell. kava's entropy source is
         * seeded by the host (or by the fixed seed of a deterministic run) and takes no input,
         * so the bytes are consumed and have no other effect.
         */
        @Override
        public int write(Task t, byte[] src, int off, int len) {
            return len;
        }

        @Override
        public int pwrite(Task t, byte[] src, int off, int len, long offset) {
            return len;
        }

        /** noop_llseek: the position stays where it is. */
        @Override
        public long lseek(long offset, int whence) {
            return pos;
        }

        /** random_poll (only /dev/random has one): with the pool ready, readable. */
        @Override
        public int poll(Task t, Poll.Table pt) {
            if (!random) return super.poll(t, pt);
            return dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
        }

        @Override
        public boolean canPoll() {
            return random;
        }

        /** random_ioctl. */
        @Override
        public long ioctl(Task t, int cmd, long arg) {
            boolean admin = t.group.cred.euid() == 0; // CAP_SYS_ADMIN: kava's root has every capability
            switch (cmd) {
                case dev.kava.abi.Random.RNDGETENTCNT -> {
                    t.mem.write32(arg, POOL_READY_BITS);
                    return 0;
                }
                case dev.kava.abi.Random.RNDADDTOENTCNT -> {
                    if (!admin) throw ErrnoException.of(Errno.EPERM);
                    int count = t.mem.read32(arg);
                    if (count < 0) throw ErrnoException.of(Errno.EINVAL);
                    return 0; // credit_init_bits: the pool is already initialised
                }
                case dev.kava.abi.Random.RNDADDENTROPY -> {
                    if (!admin) throw ErrnoException.of(Errno.EPERM);
                    int count = t.mem.read32(arg);
                    if (count < 0) throw ErrnoException.of(Errno.EINVAL);
                    int size = t.mem.read32(arg + 4);
                    if (size < 0) throw ErrnoException.of(Errno.EINVAL);
                    // write_pool_user: the bytes are read as Linux reads them (a bad buffer is EFAULT), then see write().
                    for (long done = 0; done < size; done += 4096) t.mem.read(arg + 8 + done, (int) Math.min(4096, size - done));
                    return 0;
                }
                case dev.kava.abi.Random.RNDZAPENTCNT, dev.kava.abi.Random.RNDCLEARPOOL -> {
                    // "No longer has any effect" (random.c), but still needs the capability.
                    if (!admin) throw ErrnoException.of(Errno.EPERM);
                    return 0;
                }
                case dev.kava.abi.Random.RNDRESEEDCRNG -> {
                    if (!admin) throw ErrnoException.of(Errno.EPERM);
                    return 0;
                }
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
        }
    }
}
