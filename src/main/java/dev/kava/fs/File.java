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
    /** Where the file was opened (f_path), or null for anonymous files (pipes, eventfd, ...). */
    protected final FsPath path;

    protected File(int flags) {
        this(null, flags);
    }

    protected File(FsPath path, int flags) {
        this.flags = flags;
        this.path = path;
        if (path != null) {
            path.mnt().users.incrementAndGet();
            path.dentry().getFile();
        }
    }

    /** f_path: where the file was opened, or null for an anonymous file. */
    public FsPath path() {
        return path;
    }

    /** The inode behind the file (file_inode), or null for files without one. */
    public Inode inode() {
        return path == null ? null : path.dentry().inode();
    }

    /** Set by the first fput: a racing close and a dropped non-descriptor reference may both see the last one go. */
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    /** fput: the last descriptor is gone; releases the file and the mount it pinned. */
    public final void fput() {
        fput(null);
    }

    /**
     * fput by close(2), close_range or dup2 of the closing task: Linux runs __fput as task work
     * of that task before it returns to user space, so a release may sleep in it (SO_LINGER).
     * closer is null where no task waits (exit, a reference dropped elsewhere).
     */
    public final void fput(Task closer) {
        if (!released.compareAndSet(false, true)) return;
        try {
            dev.kava.fs.notify.Fsnotify.close(this);
            Locks.fileReleased(this); // locks_remove_file: its flock and OFD locks go
            release(closer);
        } finally {
            if (path != null) {
                dev.kava.fs.notify.Fsnotify.filePut(this); // dput: a removed file's last reference
                path.mnt().users.decrementAndGet();
            }
        }
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

    /** What readIter and writeIter return for files that move data through read() and write(). */
    public static final long NO_ITER = Long.MIN_VALUE;

    /**
     * read_iter for files whose one call must see the whole user vector at once (a socket: one
     * message per call): segs holds (address, length) pairs that import_iovec checked, and the
     * file copies to user memory itself. NO_ITER for the files ReadWrite feeds through read().
     */
    public long readIter(Task t, long[] segs) {
        return NO_ITER;
    }

    /** write_iter, as {@link #readIter}: the file takes the whole vector in one call, or NO_ITER. */
    public long writeIter(Task t, long[] segs) {
        return NO_ITER;
    }

    /** Whether the file has a splice_write of its own besides the ones SpliceSyscalls knows (a socket's splice_to_socket): splice and sendfile then write to it with write(). */
    public boolean canSpliceWrite() {
        return false;
    }

    /**
     * splice_read of a stream that has one (a socket): up to len bytes for a pipe, without
     * waiting when nonBlock (SPLICE_F_NONBLOCK). EINVAL for files without a splice_read.
     */
    public int spliceRead(Task t, byte[] dst, int off, int len, boolean nonBlock) {
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

    /** Writes at an explicit offset without moving the position; ESPIPE for streams. */
    public int pwrite(Task t, byte[] src, int off, int len, long offset) {
        throw ErrnoException.of(Errno.ESPIPE);
    }

    /**
     * A write whose IOCB_APPEND the caller decides (pwritev2's RWF_APPEND / RWF_NOAPPEND instead
     * of the file's O_APPEND): at the file position, or at the end of the file when append is
     * set, moving the position past the bytes written. Streams ignore append.
     */
    public int write(Task t, byte[] src, int off, int len, boolean append) {
        return write(t, src, off, len);
    }

    /** A positioned write whose IOCB_APPEND the caller decides; ESPIPE for streams. */
    public int pwrite(Task t, byte[] src, int off, int len, long offset, boolean append) {
        return pwrite(t, src, off, len, offset);
    }

    /**
     * fsync/fdatasync (file_operations.fsync): writes the file's dirty data back. EINVAL for
     * files without the operation (pipes, eventfds, character devices), as vfs_fsync_range.
     */
    public void fsync(Task t, boolean datasync) {
        throw ErrnoException.of(Errno.EINVAL);
    }

    /** fallocate (vfs_fallocate's checks are the caller's): EOPNOTSUPP where the filesystem has none. */
    public void fallocate(Task t, int mode, long offset, long len) {
        Inode i = inode();
        if (i != null && i.isDir()) throw ErrnoException.of(Errno.EISDIR);
        if (i == null || !i.isRegular()) throw ErrnoException.of(Errno.ENODEV);
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** Whether read() returns once some data is there, instead of filling the buffer (pipes, ttys). */
    public boolean isStream() {
        return false;
    }

    /** Moves the file position; ESPIPE for streams (no_llseek). */
    public long lseek(long offset, int whence) {
        throw ErrnoException.of(Errno.ESPIPE);
    }

    /** fstat: the inode's attributes; anonymous files override this. */
    public Kstat stat() {
        Inode i = inode();
        if (i == null) throw ErrnoException.of(Errno.EBADF);
        return i.getattr();
    }

    /** The file-specific ioctls (unlocked_ioctl); ENOTTY when the file has none. */
    public long ioctl(Task t, int cmd, long arg) {
        throw ErrnoException.of(Errno.ENOTTY);
    }

    /** This file as a directory, or null (only directories implement iterate_shared). */
    public Directory asDirectory() {
        return null;
    }

    /**
     * d_dname: the name /proc/PID/fd shows for a file without a path: "pipe:[ino]",
     * "socket:[ino]", or "anon_inode:[name]" (anon_inodefs files override this with their name).
     */
    public String dname() {
        Kstat st = stat();
        return switch (st.mode() & dev.kava.abi.Stat.S_IFMT) {
            case dev.kava.abi.Stat.S_IFIFO -> "pipe:[" + st.ino() + "]";
            case dev.kava.abi.Stat.S_IFSOCK -> "socket:[" + st.ino() + "]";
            // A device with no name in the tree: udev's by-number name for it.
            case dev.kava.abi.Stat.S_IFCHR -> "/dev/char/" + ((st.rdev() >>> 8) & 0xfff) + ":" + ((st.rdev() & 0xff) | ((st.rdev() >>> 12) & 0xfff00));
            default -> "anon_inode:[" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "]";
        };
    }

    /** show_fdinfo: the file's own lines in /proc/PID/fdinfo/N after the common ones, or "". */
    public String fdinfo() {
        return "";
    }

    /**
     * Opening /proc/PID/fd/N of this file when it has no path: a new open file on the same
     * object, as fifo_open does on a pipe's inode. Files without one refuse with ENXIO, as
     * opening an anon_inode or a socket does.
     */
    public File reopen(Task t, int flags) {
        throw ErrnoException.of(Errno.ENXIO);
    }

    /** The file's name in its mount tree (d_path), or null for anonymous files. */
    public String guestPath() {
        return path == null ? null : MountNamespace.path(path, null);
    }

    /** Called when the last descriptor referring to this file is closed (release). */
    public void release() {}

    /** release, knowing the task whose close dropped the last reference (null: none); the default ignores it. */
    public void release(Task closer) {
        release();
    }

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
