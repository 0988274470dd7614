package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/**
 * An open file (struct file): the object a file descriptor points to. Subclasses implement
 * the operations their kind of file has (file_operations); the rest fail as Linux's defaults
 * do. Errors are thrown as {@link ErrnoException}.
 */
public abstract class File {
    /** The open flags (O_ACCMODE, O_APPEND, O_NONBLOCK, ...), as F_GETFL reports them. */
    protected int flags;
    /** The file position (f_pos). */
    protected long pos;

    protected File(int flags) {
        this.flags = flags;
    }

    public int flags() {
        return flags;
    }

    /** F_SETFL may change only these (SETFL_MASK in fs/fcntl.c). */
    public void setStatusFlags(int newFlags) {
        int mask = Fcntl.O_APPEND | Fcntl.O_NONBLOCK | Fcntl.FASYNC | Fcntl.O_DIRECT | Fcntl.O_NOATIME;
        flags = (flags & ~mask) | (newFlags & mask);
    }

    /** FMODE_READ */
    public boolean readable() {
        int acc = flags & Fcntl.O_ACCMODE;
        return (flags & Fcntl.O_PATH) == 0 && (acc == Fcntl.O_RDONLY || acc == Fcntl.O_RDWR);
    }

    /** FMODE_WRITE */
    public boolean writable() {
        int acc = flags & Fcntl.O_ACCMODE;
        return (flags & Fcntl.O_PATH) == 0 && (acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR);
    }

    public boolean isPath() {
        return (flags & Fcntl.O_PATH) != 0;
    }

    /**
     * Reads up to len bytes at the file position; returns the count, 0 at end of file. A stream
     * (pipe, terminal) may return fewer bytes than asked as soon as some are available.
     */
    public int read(Task t, byte[] dst, int off, int len) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** Writes len bytes at the file position; returns the count written. */
    public int write(Task t, byte[] src, int off, int len) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** Reads at an explicit offset without moving the position; ESPIPE for streams. */
    public int pread(Task t, byte[] dst, int off, int len, long offset) {
        throw ErrnoException.of(Errno.ESPIPE);
    }

    /** Whether read() returns once some data is there, instead of filling the buffer (pipes, ttys). */
    public boolean isStream() {
        return false;
    }

    /** Moves the file position; ESPIPE for streams (no_llseek). */
    public long lseek(long offset, int whence) {
        throw ErrnoException.of(Errno.ESPIPE);
    }

    public abstract Kstat stat();

    /** The file-specific ioctls (unlocked_ioctl); ENOTTY when the file has none. */
    public long ioctl(Task t, int cmd, long arg) {
        throw ErrnoException.of(Errno.ENOTTY);
    }

    /** This file as a directory, or null (only directories implement iterate_shared). */
    public Directory asDirectory() {
        return null;
    }

    /** The guest path this file was opened by, when known (for *at() lookups and getcwd). */
    public String guestPath() {
        return null;
    }

    /** Called when the last descriptor referring to this file is closed (release). */
    public void release() {}

    /**
     * The poll method (file_operations.poll): registers with pt (when not null) every wait
     * queue woken when this file's readiness changes (poll_wait), then returns the events
     * ready now (POLLIN, POLLOUT, POLLHUP, ...). Files without one report DEFAULT_POLLMASK
     * (vfs_poll) and cannot be added to an epoll set (file_can_poll).
     */
    public int poll(Task t, Poll.Table pt) {
        return dev.kava.abi.Poll.DEFAULT_POLLMASK;
    }

    /** The ready events now, registering nowhere. */
    public final int poll(Task t) {
        return poll(t, null);
    }

    /** Whether this file has a poll method (file_can_poll): epoll_ctl refuses the others with EPERM. */
    public boolean canPoll() {
        return false;
    }

    /** The epoll items watching this file (f_ep); guarded by the list itself. */
    final java.util.List<EventPoll.Item> epItems = new java.util.ArrayList<>();

    /** eventpoll_release: the file is going away; every epoll set drops it. Called by release(). */
    protected final void eventpollRelease() {
        EventPoll.fileReleased(this);
    }
}
