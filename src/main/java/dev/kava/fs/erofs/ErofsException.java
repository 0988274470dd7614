package dev.kava.fs.erofs;

import dev.kava.abi.Errno;

/**
 * A problem with an EROFS image: a corrupted structure (EFSCORRUPTED, which Linux defines as
 * EUCLEAN), a bad superblock checksum (EFSBADCRC = EBADMSG), an unsupported feature
 * (EOPNOTSUPP) or an I/O error (EIO). Carries the errno the VFS returns and a message for the
 * kernel log, as erofs_err() prints it.
 */
public final class ErofsException extends RuntimeException {
    /** EFSCORRUPTED in fs/erofs/internal.h. */
    public static final int EFSCORRUPTED = Errno.EUCLEAN;
    /** EFSBADCRC in fs/erofs/internal.h. */
    public static final int EFSBADCRC = Errno.EBADMSG;

    public final int errno;

    public ErofsException(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    public static ErofsException corrupted(String message) {
        return new ErofsException(EFSCORRUPTED, message);
    }

    public static ErofsException unsupported(String message) {
        return new ErofsException(Errno.EOPNOTSUPP, message);
    }
}
