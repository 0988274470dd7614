package dev.kava.fs;

import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.kernel.Task;

import java.util.concurrent.atomic.AtomicLong;

/** One end of a pipe as an open file (pipefifo_fops): reads from the read end, writes to the write end. */
public final class PipeFile extends File {
    /** The device number of pipefs, as stat() reports it (an anonymous superblock; Linux shows 0:0xc or so). */
    private static final long PIPEFS_DEV = 0xc;
    private static final AtomicLong NEXT_INO = new AtomicLong(1000);

    final Pipe pipe;
    private final boolean readEnd, writeEnd;
    private final long ino;

    private PipeFile(Pipe pipe, boolean readEnd, int flags, long ino) {
        super(flags);
        this.pipe = pipe;
        this.readEnd = readEnd;
        this.writeEnd = !readEnd;
        this.ino = ino;
        pipe.openEnd(readEnd);
    }

    /** An open FIFO (fifo_open): a reader, a writer, or both for O_RDWR. */
    PipeFile(Pipe pipe, FsPath path, int flags, boolean reader, boolean writer) {
        this(pipe, path, flags, reader, writer, 0);
    }

    /** An open of a pipe by /proc/PID/fd: an anonymous pipe file with the pipe's inode number. */
    PipeFile(Pipe pipe, FsPath path, int flags, boolean reader, boolean writer, long ino) {
        super(path, flags);
        this.pipe = pipe;
        this.readEnd = reader;
        this.writeEnd = writer;
        this.ino = ino;
        if (reader) pipe.openEnd(true);
        if (writer) pipe.openEnd(false);
    }

    /** create_pipe_files: the read end (O_RDONLY) and write end (O_WRONLY) of a new pipe. */
    public static PipeFile[] createPair(int flags) {
        Pipe p = new Pipe((flags & Fcntl.O_DIRECT) != 0);
        long ino = NEXT_INO.getAndIncrement();
        int status = flags & (Fcntl.O_NONBLOCK | Fcntl.O_DIRECT);
        return new PipeFile[]{new PipeFile(p, true, Fcntl.O_RDONLY | status, ino), new PipeFile(p, false, Fcntl.O_WRONLY | status, ino)};
    }

    public Pipe pipe() {
        return pipe;
    }

    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        return pipe.read(t, dst, off, len, (flags & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        return pipe.write(t, src, off, len, (flags & Fcntl.O_NONBLOCK) != 0);
    }

    @Override
    public boolean isStream() {
        return true;
    }

    /** Opening /proc/PID/fd/N of a pipe: fifo_open on the same pipe, waiting for a partner as a FIFO does. */
    @Override
    public File reopen(Task t, int flags) {
        if (path != null) throw dev.kava.kernel.ErrnoException.of(dev.kava.abi.Errno.ENXIO); // a FIFO reopens by its path
        return Fifo.openPipe(t, pipe, null, null, flags, ino);
    }

    @Override
    public Kstat stat() {
        if (path != null) return super.stat();
        return new Kstat(PIPEFS_DEV, ino, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(pipe.waitq);
        return pipe.pollMask(readable(), writable());
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    /** pipe_ioctl: FIONREAD counts the bytes in the pipe. */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == dev.kava.abi.Ioctls.FIONREAD) {
            t.mem.write32(arg, pipe.available());
            return 0;
        }
        throw dev.kava.kernel.ErrnoException.of(dev.kava.abi.Errno.ENOTTY);
    }

    @Override
    public void release() {
        eventpollRelease();
        if (readEnd) pipe.closeEnd(true);
        if (writeEnd) pipe.closeEnd(false);
        if (path != null) Fifo.closed(path.inode(), pipe);
    }
}
