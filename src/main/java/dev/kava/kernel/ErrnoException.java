package dev.kava.kernel;

import dev.kava.abi.Errno;

/**
 * A syscall's error return, thrown from deep inside a syscall (a user-memory fault, a failed
 * lookup) and turned into {@code -errno} by the dispatcher. It is an expected outcome, not a
 * kernel bug, so it carries no stack trace.
 */
public final class ErrnoException extends RuntimeException {
    public final int errno;

    public ErrnoException(int errno) {
        super(Errno.name(errno), null, false, false);
        this.errno = errno;
    }

    public static ErrnoException of(int errno) {
        return new ErrnoException(errno);
    }
}
