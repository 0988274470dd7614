package dev.kava.ipc.mqueue;

import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Poll;
import dev.kava.kernel.Task;

import java.nio.charset.StandardCharsets;

/** An open message queue (mqueue_file_operations): read shows the status line; poll shows room and messages. */
final class MqueueFile extends File {
    final MqueueInode queue;

    MqueueFile(MqueueInode queue, FsPath path, int flags) {
        super(path, flags);
        this.queue = queue;
    }

    /** mqueue_read_file: simple_read_from_buffer over the status line. */
    @Override
    public synchronized int read(Task t, byte[] dst, int off, int len) {
        int n = pread(t, dst, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pread(Task t, byte[] dst, int off, int len, long offset) {
        byte[] s = queue.status().getBytes(StandardCharsets.US_ASCII);
        if (offset < 0) throw dev.kava.kernel.ErrnoException.of(dev.kava.abi.Errno.EINVAL);
        if (offset >= s.length) return 0;
        int n = (int) Math.min(len, s.length - offset);
        System.arraycopy(s, (int) offset, dst, off, n);
        queue.touchAtime();
        return n;
    }

    /** mqueue_poll_file. */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(queue.wq);
        int mask = 0;
        synchronized (queue) {
            if (queue.curmsgs != 0) mask |= dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
            if (queue.curmsgs < queue.maxmsg) mask |= dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM;
        }
        return mask;
    }

    @Override
    public boolean canPoll() {
        return true;
    }

    boolean nonBlocking() {
        return (flags & dev.kava.abi.Fcntl.O_NONBLOCK) != 0;
    }

    synchronized void setNonBlocking(boolean on) {
        flags = on ? flags | dev.kava.abi.Fcntl.O_NONBLOCK : flags & ~dev.kava.abi.Fcntl.O_NONBLOCK;
    }

    @Override
    public void release() {
        eventpollRelease();
        queue.closed();
    }
}
