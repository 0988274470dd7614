package dev.kava.kernel.sys;

import dev.kava.abi.Errno;
import dev.kava.abi.Random;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

/**
 * getrandom (drivers/char/random.c; here until kava has a drivers tree). The pool is always
 * initialised, so the call never blocks.
 */
public final class RandomSyscalls {
    private RandomSyscalls() {}

    /** MAX_RW_COUNT: INT_MAX rounded down to a page. */
    private static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~Page.MASK;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.GETRANDOM, (task, a) -> getrandom(task, a[0], a[1], (int) a[2]));
    }

    private static long getrandom(Task t, long buf, long len, int flags) {
        if ((flags & ~(Random.GRND_NONBLOCK | Random.GRND_RANDOM | Random.GRND_INSECURE)) != 0) return -Errno.EINVAL;
        if ((flags & (Random.GRND_INSECURE | Random.GRND_RANDOM)) == (Random.GRND_INSECURE | Random.GRND_RANDOM)) {
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(len, MAX_RW_COUNT) > 0) len = MAX_RW_COUNT;
        if (Long.compareUnsigned(len, Mmap.TASK_SIZE) > 0 || Long.compareUnsigned(buf, Mmap.TASK_SIZE - len) > 0) {
            return -Errno.EFAULT; // import_ubuf's access_ok
        }
        byte[] chunk = new byte[(int) Math.min(len, Page.SIZE)];
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(chunk.length, len - done);
            t.kernel.entropy().nextBytes(chunk);
            if (!t.mem.addressSpace().copyToUser(buf + done, chunk, 0, n)) return done > 0 ? done : -Errno.EFAULT;
            done += n;
        }
        return done;
    }
}
