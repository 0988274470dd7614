package dev.kava.kernel;

/**
 * One system call implementation. It gets the calling task and the six argument registers
 * (a0-a5) and returns the value for a0: a result, or -errno. It may also throw
 * {@link ErrnoException}, which becomes -errno.
 */
@FunctionalInterface
public interface Syscall {
    long call(Task task, long[] args);
}
