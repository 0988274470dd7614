package dev.kava.ipc.mqueue;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.fs.Dentry;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Mount;
import dev.kava.fs.Permission;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

/**
 * POSIX message queues (ipc/mqueue.c): mq_open, mq_unlink, mq_timedsend, mq_timedreceive,
 * mq_notify and mq_getsetattr on the kernel's internal mqueue mount. A message sent to an
 * empty queue with a receiver asleep goes straight to it; a receive from a full queue with a
 * sender asleep takes the sender's message in (pipelined_send, pipelined_receive).
 * SIGEV_THREAD notification sends the registrant's 32-byte cookie to its netlink socket (glibc
 * makes one and runs the function from a helper thread that reads it).
 */
public final class Mqueue {
    private Mqueue() {}

    /** NAME_MAX. */
    private static final int NAME_MAX = 255;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MQ_OPEN, (task, a) -> mqOpen(task, a[0], (int) a[1], (int) a[2], a[3]));
        t.register(SyscallNr.MQ_UNLINK, (task, a) -> mqUnlink(task, a[0]));
        t.register(SyscallNr.MQ_TIMEDSEND, (task, a) -> mqTimedsend(task, (int) a[0], a[1], a[2], a[3], a[4]));
        t.register(SyscallNr.MQ_TIMEDRECEIVE, (task, a) -> mqTimedreceive(task, (int) a[0], a[1], a[2], a[3], a[4]));
        t.register(SyscallNr.MQ_NOTIFY, (task, a) -> mqNotify(task, (int) a[0], a[1]));
        t.register(SyscallNr.MQ_GETSETATTR, (task, a) -> mqGetsetattr(task, (int) a[0], a[1], a[2]));
    }

    /** getname then lookup_one_len's checks: no '/', not "." or "..", at most NAME_MAX bytes. */
    private static String queueName(Task t, long addr) {
        String name = t.mem.readPath(addr, false);
        if (name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length > NAME_MAX) throw ErrnoException.of(Errno.ENAMETOOLONG);
        if (name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) throw ErrnoException.of(Errno.EACCES);
        return name;
    }

    // ---- mq_open and mq_unlink ----

    /** do_mq_open and prepare_open. The descriptor is always close-on-exec, as in Linux. */
    static long mqOpen(Task t, long uname, int oflag, int mode, long uattr) {
        long[] attr = null;
        if (uattr != 0) {
            byte[] b = t.mem.read(uattr, dev.kava.abi.Mqueue.MQ_ATTR_SIZE);
            attr = new long[] {Uaccess.getLong(b, dev.kava.abi.Mqueue.MQ_MAXMSG), Uaccess.getLong(b, dev.kava.abi.Mqueue.MQ_MSGSIZE)};
        }
        String name = queueName(t, uname);
        long limit = t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
        if (t.group.files.lowestFree(limit) < 0) return -Errno.EMFILE;
        Mount mnt = MqueueFs.internalMount(t.kernel);
        MqueueFs.Root root = (MqueueFs.Root) mnt.root.inode();
        Inode inode;
        synchronized (root) {
            inode = root.lookup(name);
            if (inode == null) {
                if ((oflag & Fcntl.O_CREAT) == 0) return -Errno.ENOENT;
                inode = root.create(name, mode & ~t.group.fs.umask(), t.group.cred, attr, t);
            } else {
                if ((oflag & (Fcntl.O_CREAT | Fcntl.O_EXCL)) == (Fcntl.O_CREAT | Fcntl.O_EXCL)) return -Errno.EEXIST;
                int acc = oflag & Fcntl.O_ACCMODE;
                if (acc == (Fcntl.O_RDWR | Fcntl.O_WRONLY)) return -Errno.EINVAL;
                int may = acc == Fcntl.O_RDONLY ? Permission.MAY_READ
                        : acc == Fcntl.O_WRONLY ? Permission.MAY_WRITE : Permission.MAY_READ | Permission.MAY_WRITE;
                if (!Permission.allowed(t.group.cred, inode, may)) return -Errno.EACCES;
            }
        }
        Dentry d = mnt.root.child(name);
        if (d == null) return -Errno.ENOENT; // unlinked in between
        File f = inode.open(t, new FsPath(mnt, d), oflag & (Fcntl.O_ACCMODE | Fcntl.O_NONBLOCK | Fcntl.O_LARGEFILE));
        try {
            return t.group.files.install(f, true, 0, limit);
        } catch (RuntimeException e) {
            f.fput();
            throw e;
        }
    }

    /** mq_unlink: vfs_unlink in the root (sticky: only the queue's owner, or root, may remove it). */
    static long mqUnlink(Task t, long uname) {
        String name = queueName(t, uname);
        Mount mnt = MqueueFs.internalMount(t.kernel);
        MqueueFs.Root root = (MqueueFs.Root) mnt.root.inode();
        synchronized (root) {
            Inode inode = root.lookup(name);
            if (inode == null) return -Errno.ENOENT;
            if (!Permission.allowed(t.group.cred, root, Permission.MAY_WRITE | Permission.MAY_EXEC)) return -Errno.EACCES;
            if (Permission.stickyDenies(t.group.cred, root, inode)) return -Errno.EPERM;
            Dentry d = mnt.root.child(name);
            root.unlink(name, inode);
            if (d != null) d.deleted();
        }
        return 0;
    }

    // ---- send and receive ----

    /** prepare_timeout: an absolute CLOCK_REALTIME time in ns (Long.MAX_VALUE: none); EINVAL if not a valid timespec. */
    private static long deadline(Task t, long uts) {
        if (uts == 0) return Long.MAX_VALUE;
        byte[] b = t.mem.read(uts, Time.TIMESPEC_SIZE);
        long sec = Uaccess.getLong(b, 0), nsec = Uaccess.getLong(b, 8);
        if (sec < 0 || nsec < 0 || nsec >= Time.NSEC_PER_SEC) throw ErrnoException.of(Errno.EINVAL);
        if (sec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1) return Long.MAX_VALUE;
        return sec * Time.NSEC_PER_SEC + nsec;
    }

    /** The queue file behind fd; EBADF for other files. */
    private static MqueueFile queueFile(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (!(f instanceof MqueueFile mf)) throw ErrnoException.of(Errno.EBADF);
        return mf;
    }

    /** do_mq_timedsend. */
    static long mqTimedsend(Task t, int mqdes, long uptr, long len, long prioArg, long uts) {
        long deadline = deadline(t, uts);
        int prio = (int) prioArg;
        if (Integer.toUnsignedLong(prio) >= dev.kava.abi.Mqueue.MQ_PRIO_MAX) return -Errno.EINVAL;
        MqueueFile f = queueFile(t, mqdes);
        if (!f.writable()) return -Errno.EBADF;
        MqueueInode q = f.queue;
        if (Long.compareUnsigned(len, q.msgsize) > 0) return -Errno.EMSGSIZE;
        byte[] msg = t.mem.read(uptr, (int) len);
        MqueueInode.Waiter w;
        synchronized (q) {
            if (q.curmsgs == q.maxmsg) {
                if (f.nonBlocking()) return -Errno.EAGAIN;
                w = new MqueueInode.Waiter(msg, prio);
                q.senders.add(w);
            } else {
                if (!q.receivers.isEmpty()) {
                    // pipelined_send: the oldest sleeping receiver takes it.
                    MqueueInode.Waiter r = q.receivers.remove(0);
                    r.msg = msg;
                    r.prio = prio;
                    r.ready = true;
                } else {
                    q.insert(msg, prio);
                    doNotify(t, q);
                }
                q.touchMtime();
                q.wq.wakeAll();
                return 0;
            }
        }
        return sleep(t, q, q.senders, w, deadline);
    }

    /**
     * wq_sleep: until served (0), a signal (ERESTARTSYS) or the deadline (ETIMEDOUT), a wall
     * time that follows CLOCK_REALTIME when it is set (schedule_hrtimeout_range_clock on it).
     */
    private static long sleep(Task t, MqueueInode q, java.util.List<MqueueInode.Waiter> list, MqueueInode.Waiter w,
                              long deadline) {
        int r = t.waitEventRealtime(q.wq, () -> w.ready, deadline);
        synchronized (q) {
            if (w.ready) return 0;
            list.remove(w);
        }
        return r == -Errno.ETIMEDOUT ? -Errno.ETIMEDOUT : -Errno.ERESTARTSYS;
    }

    /** do_mq_timedreceive. */
    static long mqTimedreceive(Task t, int mqdes, long uptr, long len, long uprio, long uts) {
        long deadline = deadline(t, uts);
        MqueueFile f = queueFile(t, mqdes);
        if (!f.readable()) return -Errno.EBADF;
        MqueueInode q = f.queue;
        if (Long.compareUnsigned(len, q.msgsize) < 0) return -Errno.EMSGSIZE;
        byte[] msg;
        int prio;
        MqueueInode.Waiter w = null;
        synchronized (q) {
            if (q.curmsgs == 0) {
                if (f.nonBlocking()) return -Errno.EAGAIN;
                w = new MqueueInode.Waiter(null, 0);
                q.receivers.add(w);
                msg = null;
                prio = 0;
            } else {
                Object[] m = q.get();
                msg = (byte[]) m[0];
                prio = (Integer) m[1];
                q.touchAtime();
                // pipelined_receive: a sleeping sender's message takes the room just made.
                if (!q.senders.isEmpty()) {
                    MqueueInode.Waiter s = q.senders.remove(0);
                    q.insert(s.msg, s.prio);
                    s.ready = true;
                }
                q.wq.wakeAll();
            }
        }
        if (w != null) {
            long r = sleep(t, q, q.receivers, w, deadline);
            if (r < 0) return r;
            msg = w.msg;
            prio = w.prio;
        }
        if (uprio != 0) t.mem.write32(uprio, prio);
        t.mem.write(uptr, msg);
        return msg.length;
    }

    /**
     * __do_notify: a message arrived in an empty queue with no receiver asleep; the registered
     * process gets its signal (SI_MESGQ, from the sender) and is unregistered. Caller holds q's lock.
     */
    private static void doNotify(Task t, MqueueInode q) {
        if (q.notifyOwner == 0 || q.curmsgs != 1) return;
        if (q.notifyHow == Signal.SIGEV_SIGNAL && q.notifySigno != 0) {
            TaskGroup g = t.kernel.findGroup(q.notifyOwner);
            if (g != null && !g.zombie) {
                Signals.sendToGroup(g, new SigInfo(q.notifySigno, Signal.SI_MESGQ, t.group.tgid, t.group.cred.uid(), 0,
                        q.notifyValue, 0, 0, 0, null, null));
            }
        } else if (q.notifyHow == Signal.SIGEV_THREAD && q.notifySock != null) {
            // set_cookie(NOTIFY_WOKENUP) and netlink_sendskb: glibc's helper thread starts the function.
            q.notifyCookie[dev.kava.abi.Mqueue.NOTIFY_COOKIE_LEN - 1] = dev.kava.abi.Mqueue.NOTIFY_WOKENUP;
            q.notifySock.unicastFromKernel(q.notifyCookie);
        }
        q.notifyOwner = 0;
        q.notifySock = null;
        q.notifyCookie = null;
    }

    // ---- mq_notify and mq_getsetattr ----

    /** do_mq_notify. */
    static long mqNotify(Task t, int mqdes, long unotification) {
        int how = 0, signo = 0;
        long value = 0;
        byte[] cookie = null;
        dev.kava.net.netlink.NetlinkSock sock = null;
        if (unotification != 0) {
            byte[] b = t.mem.read(unotification, Signal.SIGEVENT_SIZE);
            value = Uaccess.getLong(b, Signal.SIGEV_VALUE);
            signo = Uaccess.getInt(b, Signal.SIGEV_SIGNO);
            how = Uaccess.getInt(b, Signal.SIGEV_NOTIFY);
            if (how != Signal.SIGEV_NONE && how != Signal.SIGEV_SIGNAL && how != Signal.SIGEV_THREAD) return -Errno.EINVAL;
            if (how == Signal.SIGEV_SIGNAL && !Signals.validSignal(Integer.toUnsignedLong(signo))) return -Errno.EINVAL;
            if (how == Signal.SIGEV_THREAD) {
                cookie = t.mem.read(value, dev.kava.abi.Mqueue.NOTIFY_COOKIE_LEN);
                // netlink_getsockbyfd: the descriptor must be a netlink socket.
                File s = t.group.files.get(signo);
                if (s == null) return -Errno.EBADF;
                if (!(s instanceof dev.kava.net.SocketFile sf)) return -Errno.ENOTSOCK;
                if (!(sf.sk instanceof dev.kava.net.netlink.NetlinkSock ns)) return -Errno.ECONNREFUSED;
                sock = ns;
            }
        }
        MqueueInode q = queueFile(t, mqdes).queue;
        int tgid = t.group.tgid;
        synchronized (q) {
            if (unotification == 0) {
                if (q.notifyOwner == tgid) q.removeNotification();
            } else if (q.notifyOwner != 0) {
                return -Errno.EBUSY;
            } else {
                q.notifyHow = how;
                q.notifySigno = signo;
                q.notifyValue = value;
                q.notifyOwner = tgid;
                q.notifySock = sock;
                q.notifyCookie = cookie;
            }
        }
        q.touchCtime();
        return 0;
    }

    /** mq_getsetattr: only O_NONBLOCK of mq_flags can change. */
    static long mqGetsetattr(Task t, int mqdes, long unew, long uold) {
        long newFlags = -1;
        if (unew != 0) {
            byte[] b = t.mem.read(unew, dev.kava.abi.Mqueue.MQ_ATTR_SIZE);
            newFlags = Uaccess.getLong(b, dev.kava.abi.Mqueue.MQ_FLAGS);
            if ((newFlags & ~(long) Fcntl.O_NONBLOCK) != 0) return -Errno.EINVAL;
        }
        MqueueFile f = queueFile(t, mqdes);
        MqueueInode q = f.queue;
        byte[] old = new byte[dev.kava.abi.Mqueue.MQ_ATTR_SIZE];
        synchronized (q) {
            Uaccess.putLong(old, dev.kava.abi.Mqueue.MQ_FLAGS, f.flags() & Fcntl.O_NONBLOCK);
            Uaccess.putLong(old, dev.kava.abi.Mqueue.MQ_MAXMSG, q.maxmsg);
            Uaccess.putLong(old, dev.kava.abi.Mqueue.MQ_MSGSIZE, q.msgsize);
            Uaccess.putLong(old, dev.kava.abi.Mqueue.MQ_CURMSGS, q.curmsgs);
            if (unew != 0) f.setNonBlocking((newFlags & Fcntl.O_NONBLOCK) != 0);
        }
        if (unew != 0) q.touchCtime();
        if (uold != 0) t.mem.write(uold, old);
        return 0;
    }
}
