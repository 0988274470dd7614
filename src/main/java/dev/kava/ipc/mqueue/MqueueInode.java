package dev.kava.ipc.mqueue;

import dev.kava.abi.Errno;
import dev.kava.abi.Mqueue;
import dev.kava.abi.Resource;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.ipc.IpcNamespace;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * struct mqueue_inode_info (ipc/mqueue.c): a queue's attributes, its messages by priority
 * (highest first, FIFO within one), the senders and receivers sleeping on it, and the process
 * registered for notification. Guarded by this inode's monitor (info->lock).
 */
final class MqueueInode extends Inode {
    /** DIRENT_SIZE: what a queue adds to the root directory's size; FILENT_SIZE: a queue's i_size. */
    static final int DIRENT_SIZE = 20, FILENT_SIZE = 80;
    /** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on 64-bit, for the RLIMIT_MSGQUEUE charge. */
    private static final long MSG_MSG_SIZE = 48, TREE_NODE_SIZE = 48;
    /** Bytes charged to each uid's RLIMIT_MSGQUEUE (UCOUNT_RLIMIT_MSGQUEUE), per namespace. */
    private static final Map<IpcNamespace, Map<Integer, Long>> CHARGED = new java.util.WeakHashMap<>();

    final long maxmsg, msgsize;
    private final long charge;
    private final int chargedUid;
    /** Messages by priority, highest first. */
    private final TreeMap<Integer, ArrayDeque<byte[]>> messages = new TreeMap<>(java.util.Comparator.reverseOrder());
    long curmsgs, qsize;
    /** Sleeping senders and receivers, oldest first (e_wait_q[SEND], e_wait_q[RECV]). */
    final List<Waiter> senders = new ArrayList<>(), receivers = new ArrayList<>();
    final WaitQueue wq = new WaitQueue();
    /** The registered process (notify_owner, 0 if none) and its sigevent. */
    int notifyOwner, notifyHow, notifySigno;
    long notifyValue;
    /** SIGEV_THREAD: the netlink socket the cookie goes to (notify_sock) and the cookie (notify_cookie). */
    dev.kava.net.netlink.NetlinkSock notifySock;
    byte[] notifyCookie;
    private int openCount;

    /** A sleeping sender (with its message) or receiver (which gets one); ready once served. */
    static final class Waiter {
        byte[] msg;
        int prio;
        volatile boolean ready;

        Waiter(byte[] msg, int prio) {
            this.msg = msg;
            this.prio = prio;
        }
    }

    private MqueueInode(MqueueFs fs, int mode, long maxmsg, long msgsize, long charge, int chargedUid) {
        super(fs, fs.nextIno(), mode);
        this.maxmsg = maxmsg;
        this.msgsize = msgsize;
        this.charge = charge;
        this.chargedUid = chargedUid;
        this.nlink = 1;
        this.size = FILENT_SIZE;
    }

    /**
     * mqueue_get_inode for a regular file: the namespace's defaults or attr {maxmsg, msgsize},
     * checked against msg_max and msgsize_max (the hard limits for CAP_SYS_RESOURCE), then the
     * queue's worst-case memory charged to the caller's RLIMIT_MSGQUEUE (EMFILE beyond it).
     */
    static MqueueInode make(MqueueFs fs, int mode, Cred c, long[] attr, Task t) {
        IpcNamespace ns = fs.ns;
        long maxmsg = attr != null ? attr[0] : ns.mqMsgDefault;
        long msgsize = attr != null ? attr[1] : ns.mqMsgsizeDefault;
        if (maxmsg <= 0 || msgsize <= 0) throw ErrnoException.of(Errno.EINVAL);
        boolean capResource = c.euid() == 0;
        if (capResource ? maxmsg > Mqueue.HARD_MSGMAX || msgsize > Mqueue.HARD_MSGSIZEMAX
                : maxmsg > ns.mqMsgMax || msgsize > ns.mqMsgsizeMax) throw ErrnoException.of(Errno.EINVAL);
        long bytes = maxmsg * msgsize + maxmsg * MSG_MSG_SIZE + Math.min(maxmsg, Mqueue.MQ_PRIO_MAX) * TREE_NODE_SIZE;
        long limit = t != null ? t.group.rlimits.cur(Resource.RLIMIT_MSGQUEUE) : Mqueue.MQ_BYTES_MAX;
        synchronized (CHARGED) {
            Map<Integer, Long> byUid = CHARGED.computeIfAbsent(ns, k -> new HashMap<>());
            long now = byUid.getOrDefault(c.uid(), 0L) + bytes;
            if (limit != Resource.RLIM_INFINITY && Long.compareUnsigned(now, limit) > 0) throw ErrnoException.of(Errno.EMFILE);
            byUid.put(c.uid(), now);
        }
        return new MqueueInode(fs, mode, maxmsg, msgsize, bytes, c.uid());
    }

    /** The queue lost its name: it goes when its last descriptor does. */
    void dropLink() {
        boolean free;
        synchronized (this) {
            nlink = 0;
            free = openCount == 0;
        }
        touchCtime();
        if (free) evict();
    }

    /** mqueue_evict_inode: the charge goes back and the namespace counts one queue less. */
    private void evict() {
        MqueueFs fs = (MqueueFs) sb;
        synchronized (CHARGED) {
            CHARGED.get(fs.ns).merge(chargedUid, -charge, Long::sum);
        }
        synchronized (fs.root().inode()) {
            fs.queueCount--;
        }
    }

    @Override
    public File open(Task t, FsPath path, int flags) {
        synchronized (this) {
            openCount++;
        }
        return new MqueueFile(this, path, flags);
    }

    /** The last descriptor of a file on this queue closed. */
    void closed() {
        boolean free;
        synchronized (this) {
            // mqueue_flush_file removes the notification when its process closes a descriptor of
            // the queue; kava has no flush hook, so it goes with the queue's last descriptor.
            if (notifyOwner != 0) removeNotification();
            openCount--;
            free = nlink <= 0 && openCount == 0;
        }
        if (free) evict();
    }

    /**
     * remove_notification: the registration goes; a SIGEV_THREAD registrant's socket is told with
     * its cookie marked NOTIFY_REMOVED (glibc's helper thread reads it and gives up the slot).
     * Caller holds this inode's lock.
     */
    void removeNotification() {
        if (notifyOwner != 0 && notifyHow == dev.kava.abi.Signal.SIGEV_THREAD && notifySock != null) {
            notifyCookie[dev.kava.abi.Mqueue.NOTIFY_COOKIE_LEN - 1] = dev.kava.abi.Mqueue.NOTIFY_REMOVED;
            notifySock.unicastFromKernel(notifyCookie);
        }
        notifyOwner = 0;
        notifySock = null;
        notifyCookie = null;
    }

    // ---- messages, under this inode's lock ----

    /** msg_insert. */
    void insert(byte[] msg, int prio) {
        messages.computeIfAbsent(prio, k -> new ArrayDeque<>()).addLast(msg);
        curmsgs++;
        qsize += msg.length;
    }

    /** msg_get: the oldest message of the highest priority, as {text, priority}. */
    Object[] get() {
        var e = messages.firstEntry();
        byte[] m = e.getValue().pollFirst();
        if (e.getValue().isEmpty()) messages.remove(e.getKey());
        curmsgs--;
        qsize -= m.length;
        return new Object[] {m, e.getKey()};
    }

    /** The status line a read of the queue's file shows (mqueue_read_file). */
    synchronized String status() {
        return String.format("QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize,
                notifyOwner != 0 ? notifyHow : 0,
                notifyOwner != 0 && notifyHow == dev.kava.abi.Signal.SIGEV_SIGNAL ? notifySigno : 0, notifyOwner);
    }
}
