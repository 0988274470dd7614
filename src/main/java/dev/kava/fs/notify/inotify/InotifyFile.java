package dev.kava.fs.notify.inotify;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Inotify;
import dev.kava.abi.Ioctls;
import dev.kava.fs.AnonInodeFile;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.util.Arrays;

/**
 * An inotify instance as a file (inotify_fops in fs/notify/inotify/inotify_user.c): an
 * anon_inode file, open for reading only, whose reads return the queued events as struct
 * inotify_event records, each name padded with NULs to a multiple of 16 bytes.
 */
public final class InotifyFile extends AnonInodeFile {
    final InotifyGroup group;

    InotifyFile(InotifyGroup group, int flags) {
        super(Fcntl.O_RDONLY | (flags & Fcntl.O_NONBLOCK), "inotify");
        this.group = group;
    }

    /**
     * inotify_read: as many whole events as fit; EINVAL when the first one does not; EAGAIN
     * or a wait when none is queued.
     */
    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        int done = 0;
        while (true) {
            while (true) {
                InotifyGroup.Event e;
                try {
                    e = group.take(len - done);
                } catch (ErrnoException ex) {
                    if (done > 0) return done; // what was read already is returned
                    throw ex;
                }
                if (e == null) break;
                copyEvent(e, dst, off + done);
                done += e.size();
            }
            if (done > 0) return done;
            if ((flags & Fcntl.O_NONBLOCK) != 0) throw ErrnoException.of(Errno.EAGAIN);
            if (t.waitEvent(group.waitq, () -> !group.isEmpty(), Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
    }

    /** copy_event_to_user: wd, mask (inotify_mask_to_arg), cookie, len, then the padded name. */
    private static void copyEvent(InotifyGroup.Event e, byte[] dst, int at) {
        int mask = e.mask() & (Inotify.IN_ALL_EVENTS | Inotify.IN_ISDIR | Inotify.IN_UNMOUNT | Inotify.IN_IGNORED
                | Inotify.IN_Q_OVERFLOW);
        int pad = e.paddedNameLen();
        Uaccess.putInt(dst, at, e.wd());
        Uaccess.putInt(dst, at + 4, mask);
        Uaccess.putInt(dst, at + 8, e.cookie());
        Uaccess.putInt(dst, at + 12, pad);
        if (pad > 0) {
            int n = Inotify.EVENT_SIZE + at;
            System.arraycopy(e.name(), 0, dst, n, e.name().length);
            Arrays.fill(dst, n + e.name().length, n + pad, (byte) 0);
        }
    }

    /** inotify_poll */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(group.waitq);
        return group.isEmpty() ? 0 : dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
    }

    /** inotify_ioctl: FIONREAD, and INOTIFY_IOC_SETNEXTWD (CONFIG_CHECKPOINT_RESTORE). */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == Ioctls.FIONREAD) {
            t.mem.write32(arg, group.queuedBytes());
            return 0;
        }
        if (cmd == Inotify.INOTIFY_IOC_SETNEXTWD) {
            if (arg < 1 || arg > Integer.MAX_VALUE) throw ErrnoException.of(Errno.EINVAL);
            group.setNextWd((int) arg);
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }

    /** inotify_show_fdinfo: one line per watch (kava's filesystems have no file handles to show). */
    @Override
    public String fdinfo() {
        StringBuilder sb = new StringBuilder();
        for (InotifyGroup.InotifyMark m : group.marks()) {
            dev.kava.fs.Inode inode = m.inode();
            if (inode == null) continue;
            long dev = inode.sb.dev();
            long major = (dev >>> 8) & 0xfff, minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
            sb.append("inotify wd:").append(Integer.toHexString(m.wd))
                    .append(" ino:").append(Long.toHexString(inode.ino))
                    .append(" sdev:").append(Long.toHexString((major << 20) | minor))
                    .append(" mask:").append(Integer.toHexString(InotifyGroup.userMask(m)))
                    .append(" ignored_mask:0 \n");
        }
        return sb.toString();
    }

    /** inotify_release: the group and its watches go. */
    @Override
    public void release() {
        super.release();
        group.destroy();
    }
}
