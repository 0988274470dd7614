package dev.kava.fs;

/**
 * A file made by anon_inode_getfile (fs/anon_inodes.c): eventfd, epoll, inotify, signalfd,
 * timerfd. They all share the one anon_inodefs inode, so fstat gives every one of them the
 * same st_dev and st_ino, and /proc/PID/fd shows "anon_inode:" and the name given at creation.
 * Each of them has a poll method, none has FMODE_PREAD (pread is ESPIPE), and their llseek is
 * noop_llseek: seeking "succeeds" and the position stays where it is.
 */
public abstract class AnonInodeFile extends File {
    /** The name passed to anon_inode_getfile: "[eventfd]", or "inotify" without brackets. */
    private final String name;

    protected AnonInodeFile(int flags, String name) {
        super(flags);
        this.name = name;
    }

    @Override
    public final Kstat stat() {
        return AnonInodes.stat();
    }

    @Override
    public final String dname() {
        return "anon_inode:" + name;
    }

    @Override
    public final boolean canPoll() {
        return true;
    }

    @Override
    public final boolean isStream() {
        return true;
    }

    /** noop_llseek */
    @Override
    public final long lseek(long offset, int whence) {
        return pos;
    }

    /** Subclasses that release more call this too. */
    @Override
    public void release() {
        eventpollRelease();
    }
}
