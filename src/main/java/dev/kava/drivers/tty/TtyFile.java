package dev.kava.drivers.tty;

import dev.kava.abi.Fcntl;
import dev.kava.fs.File;
import dev.kava.fs.Kstat;
import dev.kava.fs.Poll;
import dev.kava.kernel.Task;

/**
 * An open terminal (a struct file with tty_fops and its tty_file_private): read, write, poll,
 * ioctl and release go to {@link TtyIo}. After a hangup the file behaves as hung_up_tty_fops:
 * reads see end of file, writes and most ioctls fail with EIO, poll reports everything.
 */
public final class TtyFile extends File {
    /**
     * How stat() describes the file: the inode it was opened through (a devpts or devtmpfs
     * node), which the filesystem supplies; times come from the tty.
     */
    public record Node(long dev, long ino, int mode, int uid, int gid, long rdev) {}

    final TtyStruct tty;
    private final Node node;
    private volatile boolean hungUp;

    /** A file of tty; not yet open: {@link TtyIo#open} counts it and runs the driver's open. */
    TtyFile(TtyStruct tty, int flags, Node node) {
        super(flags);
        this.tty = tty;
        this.node = node;
    }

    public TtyStruct tty() {
        return tty;
    }

    boolean hungUp() {
        return hungUp;
    }

    /** The file is switched to hung_up_tty_fops. */
    void markHungUp() {
        hungUp = true;
    }

    /** tty_io_nonblock: O_NONBLOCK (O_NDELAY is the same flag on Linux). */
    boolean nonBlocking() {
        return (flags & Fcntl.O_NONBLOCK) != 0;
    }

    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        return TtyIo.read(t, this, dst, off, len);
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        return TtyIo.write(t, this, src, off, len);
    }

    @Override
    public boolean isStream() {
        return true;
    }

    @Override
    public int poll(Task t, Poll.Table pt) {
        return TtyIo.poll(this, pt);
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        return TtyIo.ioctl(t, this, cmd, arg);
    }

    @Override
    public Kstat stat() {
        long atime, mtime;
        synchronized (tty.lock) {
            atime = tty.atimeSec;
            mtime = tty.mtimeSec;
        }
        return new Kstat(node.dev(), node.ino(), node.mode(), 1, node.uid(), node.gid(), node.rdev(), 0, 1024, 0,
                atime, 0, mtime, 0, mtime, 0);
    }

    @Override
    public void release() {
        eventpollRelease();
        TtyIo.release(this);
    }

    @Override
    public String toString() {
        return "TtyFile(" + tty.name() + ")";
    }
}
