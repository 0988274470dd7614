package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/** What every regular file's write path shares (mm/filemap.c generic_write_check_limits), and fallocate's modes. */
public final class RegularFile {
    private RegularFile() {}

    // include/uapi/linux/falloc.h
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_NO_HIDE_STALE = 0x04;
    public static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    public static final int FALLOC_FL_INSERT_RANGE = 0x20;
    public static final int FALLOC_FL_UNSHARE_RANGE = 0x40;
    public static final int FALLOC_FL_WRITE_ZEROES = 0x80;
    /** The exclusive fallocate modes (include/linux/falloc.h FALLOC_FL_MODE_MASK; ALLOCATE_RANGE is 0). */
    public static final int FALLOC_FL_MODE_MASK = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE
            | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES;

    /**
     * generic_write_check_limits: how much of a len-byte write at pos may happen. A write
     * starting at or past RLIMIT_FSIZE gets SIGXFSZ and EFBIG; one crossing it is shortened.
     */
    public static int writeLimit(Task t, long pos, int len) {
        checkFileSizeLimit(t, pos, len);
        long limit = t.group.rlimits.cur(Resource.RLIMIT_FSIZE);
        if (limit != Resource.RLIM_INFINITY && len > 0 && Long.compareUnsigned(limit - pos, len) < 0) {
            len = (int) (limit - pos);
        }
        return len;
    }

    /** RLIMIT_FSIZE: a write starting at or past the limit gets SIGXFSZ and EFBIG. */
    public static void checkFileSizeLimit(Task t, long pos, long len) {
        long limit = t.group.rlimits.cur(Resource.RLIMIT_FSIZE);
        if (limit == Resource.RLIM_INFINITY || len == 0) return;
        if (Long.compareUnsigned(pos, limit) >= 0) {
            // send_sig(SIGXFSZ, current, 0): SI_USER from the task itself.
            dev.kava.kernel.signal.Signals.sendToTask(t,
                    dev.kava.kernel.signal.SigInfo.user(Signal.SIGXFSZ, 0, t.group.tgid, t.group.cred.uid()));
            throw ErrnoException.of(Errno.EFBIG);
        }
    }
}
