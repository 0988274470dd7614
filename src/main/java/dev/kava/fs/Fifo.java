package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Named pipes (fifo_open in fs/pipe.c): every open of a FIFO inode shares one pipe while any
 * end is open. A reader waits for a writer and a writer for a reader, unless O_NONBLOCK
 * (then a lone writer gets ENXIO); O_RDWR never waits.
 */
final class Fifo {
    private Fifo() {}

    /** inode->i_pipe */
    private static final Map<Inode, Pipe> PIPES = new IdentityHashMap<>();

    static File open(Task t, Inode inode, FsPath path, int flags) {
        Pipe p;
        synchronized (PIPES) {
            p = PIPES.computeIfAbsent(inode, k -> new Pipe(false));
        }
        return openPipe(t, p, inode, path, flags, 0);
    }

    /**
     * fifo_open on pipe p: of a FIFO inode (then path is where), or, with a null inode, of an
     * anonymous pipe reopened by /proc/PID/fd, which never waits for a partner (is_pipe).
     */
    static PipeFile openPipe(Task t, Pipe p, Inode inode, FsPath path, int flags, long ino) {
        boolean nonBlock = (flags & Fcntl.O_NONBLOCK) != 0;
        boolean isPipe = inode == null;
        PipeFile f;
        switch (flags & Fcntl.O_ACCMODE) {
            case Fcntl.O_RDONLY -> {
                int seen;
                boolean writer;
                // Whether the partner is open is decided as this end opens (one step under pipe->mutex
                // in Linux): a writer that is woken by this open and writes and closes at once must
                // not leave this reader waiting for another writer.
                synchronized (p) {
                    seen = p.writeOpens;
                    writer = p.writers() > 0;
                }
                f = new PipeFile(p, path, flags, true, false, ino);
                if (!isPipe && !nonBlock && !writer) waitFor(t, f, () -> p.writers() > 0 || writeOpens(p) != seen);
            }
            case Fcntl.O_WRONLY -> {
                if (!isPipe && nonBlock && p.readers() == 0) {
                    closed(inode, p);
                    throw ErrnoException.of(Errno.ENXIO);
                }
                int seen;
                boolean reader;
                synchronized (p) {
                    seen = p.readOpens;
                    reader = p.readers() > 0;
                }
                f = new PipeFile(p, path, flags, false, true, ino);
                if (!isPipe && !reader) waitFor(t, f, () -> p.readers() > 0 || readOpens(p) != seen);
            }
            case Fcntl.O_RDWR -> f = new PipeFile(p, path, flags, true, true, ino);
            default -> {
                if (inode != null) closed(inode, p);
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        return f;
    }

    private static int readOpens(Pipe p) {
        synchronized (p) {
            return p.readOpens;
        }
    }

    private static int writeOpens(Pipe p) {
        synchronized (p) {
            return p.writeOpens;
        }
    }

    /** wait_for_partner: a signal undoes the open (ERESTARTSYS). */
    private static void waitFor(Task t, PipeFile f, java.util.function.BooleanSupplier partner) {
        if (t.waitEvent(f.pipe.waitq, partner, Long.MAX_VALUE) == -Errno.EINTR) {
            f.fput();
            throw ErrnoException.of(Errno.ERESTARTSYS);
        }
    }

    /** The pipe is dropped from the inode once no end is open (free_pipe_info). */
    static void closed(Inode inode, Pipe p) {
        synchronized (PIPES) {
            if (p.readers() == 0 && p.writers() == 0 && PIPES.get(inode) == p) PIPES.remove(inode);
        }
    }
}
