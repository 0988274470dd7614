package dev.kava.fs.hostfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.fs.ExecFile;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.RegularFile;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A regular file of a hostfs mount, open: a host FileChannel, opened with O_NOFOLLOW on the
 * checked path (see {@link HostFs}). Reads and writes go to the channel at explicit offsets;
 * O_APPEND writes go to the end as the host sees it, atomically with respect to the guest's
 * other appends to the file (not to host processes appending at the same time).
 */
public final class HostFile extends File implements ExecFile {
    private final HostInode inode;
    private final FileChannel channel;

    private HostFile(HostInode inode, FsPath path, FileChannel channel, int flags) {
        super(path, flags);
        this.inode = inode;
        this.channel = channel;
    }

    static HostFile open(HostInode inode, FsPath path, int flags) {
        int acc = flags & Fcntl.O_ACCMODE;
        boolean write = acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR;
        if ((write || (flags & Fcntl.O_TRUNC) != 0) && inode.sb.readOnly()) throw ErrnoException.of(Errno.EROFS);
        Set<OpenOption> opts = new HashSet<>();
        opts.add(LinkOption.NOFOLLOW_LINKS); // the walk found a regular file: never follow a link swapped in since
        if (write) opts.add(StandardOpenOption.WRITE);
        if (!write || acc == Fcntl.O_RDWR) opts.add(StandardOpenOption.READ);
        FileChannel ch = inode.fs().shared(() -> FileChannel.open(inode.regularPath(), opts));
        inode.channels.put(ch, write);
        return new HostFile(inode, path, ch, flags);
    }

    @Override
    public synchronized int read(Task t, byte[] dst, int off, int len) {
        int n = pread(t, dst, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pread(Task t, byte[] dst, int off, int len, long offset) {
        return readAt(dst, off, len, offset);
    }

    @Override
    public int readAt(byte[] dst, int off, int len, long offset) {
        if (offset < 0) return 0; // nothing lives at an offset no file can reach
        try {
            int total = 0;
            ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
            while (bb.hasRemaining()) {
                int n = channel.read(bb, offset + total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw ErrnoException.of(Errno.EIO);
        }
    }

    @Override
    public synchronized int write(Task t, byte[] src, int off, int len) {
        if ((flags & Fcntl.O_APPEND) != 0) {
            synchronized (inode) {
                pos = size();
                int n = writeAt(t, src, off, len, pos);
                pos += n;
                return n;
            }
        }
        int n = writeAt(t, src, off, len, pos);
        pos += n;
        return n;
    }

    /** pwrite; on an O_APPEND file it appends whatever the offset, as on Linux (generic_write_checks). */
    @Override
    public int pwrite(Task t, byte[] src, int off, int len, long offset) {
        if ((flags & Fcntl.O_APPEND) != 0) {
            synchronized (inode) {
                return writeAt(t, src, off, len, size());
            }
        }
        return writeAt(t, src, off, len, offset);
    }

    private int writeAt(Task t, byte[] src, int off, int len, long offset) {
        if (offset < 0) throw ErrnoException.of(Errno.EINVAL);
        if (len == 0) return 0;
        RegularFile.checkFileSizeLimit(t, offset, len);
        int total = 0;
        try {
            ByteBuffer bb = ByteBuffer.wrap(src, off, len);
            while (bb.hasRemaining()) total += channel.write(bb, offset + total);
            return total;
        } catch (IOException e) {
            if (total > 0) return total; // a short write, as when the disk fills part way
            throw ErrnoException.of(HostFs.errnoOf(e));
        }
    }

    @Override
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw ErrnoException.of(Errno.EIO);
        }
    }

    @Override
    public synchronized long lseek(long offset, int whence) {
        long size = size();
        long np;
        switch (whence) {
            case Fcntl.SEEK_SET -> np = offset;
            case Fcntl.SEEK_CUR -> np = pos + offset;
            case Fcntl.SEEK_END -> np = size + offset;
            case Fcntl.SEEK_DATA -> {
                if (offset < 0 || offset >= size) throw ErrnoException.of(Errno.ENXIO);
                np = offset;
            }
            case Fcntl.SEEK_HOLE -> {
                if (offset < 0 || offset >= size) throw ErrnoException.of(Errno.ENXIO);
                np = size;
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        // Overflow of pos + offset also lands here: vfs_setpos rejects negative positions.
        if (np < 0) throw ErrnoException.of(Errno.EINVAL);
        pos = np;
        return np;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == dev.kava.abi.Ioctls.FIONREAD) {
            // Regular files answer FIONREAD in do_vfs_ioctl: bytes between the position and the end.
            long left = Math.max(0, size() - pos);
            t.mem.write32(arg, (int) Math.min(left, Integer.MAX_VALUE));
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }


    /** The descriptors' hold on the host channel (one) plus one per mapping of the file (vma->vm_file). */
    private final java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger(1);

    /**
     * get_file for a mapping: the host file stays open after the last descriptor closes, for as
     * long as a mapping may still fault pages in from it. False if it is already closed.
     */
    @Override
    public boolean pin() {
        while (true) {
            int h = holders.get();
            if (h <= 0) return false;
            if (holders.compareAndSet(h, h + 1)) return true;
        }
    }

    /** fput for a mapping (or for the descriptors, from release): the last holder closes the channel. */
    @Override
    public void unpin() {
        if (holders.decrementAndGet() != 0) return;
        inode.channels.remove(channel);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing is buffered: the data went to the host at each write.
        }
    }

    @Override
    public void release() {
        unpin();
    }

    /** Open only for reading: nothing of the guest's to write back. */
    @Override
    public void fsync(Task t, boolean datasync) {}
}
