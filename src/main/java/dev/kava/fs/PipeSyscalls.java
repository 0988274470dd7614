package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/** pipe2 (fs/pipe.c). riscv64 has no pipe(2): libc's pipe() is pipe2(fds, 0). */
public final class PipeSyscalls {
    private PipeSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.PIPE2, (task, a) -> pipe2(task, a[0], (int) a[1]));
    }

    static long pipe2(Task t, long fdsAddr, int flags) {
        // do_pipe2 accepts O_CLOEXEC, O_NONBLOCK, O_DIRECT (packet mode) and O_NOTIFICATION_PIPE;
        // the last needs CONFIG_WATCH_QUEUE, which kava does not have: EINVAL, as on such a kernel.
        if ((flags & ~(Fcntl.O_CLOEXEC | Fcntl.O_NONBLOCK | Fcntl.O_DIRECT)) != 0) return -Errno.EINVAL;
        FdTable files = t.group.files;
        long limit = t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
        PipeFile[] ends = PipeFile.createPair(flags);
        boolean cloexec = (flags & Fcntl.O_CLOEXEC) != 0;
        int rfd = -1, wfd = -1;
        try {
            rfd = files.install(ends[0], cloexec, 0, limit);
            wfd = files.install(ends[1], cloexec, 0, limit);
        } catch (RuntimeException e) {
            if (rfd >= 0) files.remove(rfd);
            ends[0].release();
            ends[1].release();
            throw e;
        }
        byte[] b = new byte[8];
        dev.kava.kernel.Uaccess.putInt(b, 0, rfd);
        dev.kava.kernel.Uaccess.putInt(b, 4, wfd);
        if (!t.hart.addressSpace().copyToUser(fdsAddr, b, 0, 8)) {
            // Linux installs the descriptors only after the copy succeeds; undo ours.
            files.remove(rfd);
            files.remove(wfd);
            ends[0].release();
            ends[1].release();
            return -Errno.EFAULT;
        }
        return 0;
    }
}
