package dev.kava.ipc;

import dev.kava.abi.Errno;
import dev.kava.abi.Ipc;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.util.Iterator;

/**
 * System V message queues (ipc/msg.c): msgget, msgsnd, msgrcv and msgctl. A message sent
 * while a matching receiver sleeps goes straight to it (pipelined_send); otherwise it is queued
 * if it fits in q_qbytes, or the sender sleeps. Receivers pick by type: the first (0), the
 * first of a type (>0, or of any other type with MSG_EXCEPT), or the lowest type up to |type|
 * (<0); MSG_COPY copies the message at an index without removing it.
 */
public final class Msg {
    private Msg() {}

    /** convert_mode's search modes. */
    static final int SEARCH_ANY = 1, SEARCH_EQUAL = 2, SEARCH_NOTEQUAL = 3, SEARCH_LESSEQUAL = 4, SEARCH_NUMBER = 5;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MSGGET, (task, a) -> msgget(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.MSGSND, (task, a) -> msgsnd(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.MSGRCV, (task, a) -> msgrcv(task, (int) a[0], a[1], a[2], a[3], (int) a[4]));
        t.register(SyscallNr.MSGCTL, (task, a) -> msgctl(task, (int) a[0], (int) a[1], a[2]));
    }

    static long msgget(Task t, int key, int msgflg) {
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        return IpcUtil.ipcget(t, ns.msgIds, key, msgflg, (task, k, flg) -> {
            // newque
            MsgQueue q = new MsgQueue(k, flg & IpcUtil.S_IRWXUGO, ns.msgCtlMnb);
            IpcUtil.setOwner(task, q);
            q.ctime = IpcUtil.now(task);
            return ns.msgIds.add(q, ns.msgCtlMni);
        });
    }

    // ---- msgsnd ----

    /** ksys_msgsnd and do_msgsnd. */
    static long msgsnd(Task t, int msqid, long msgp, long msgsz, int msgflg) {
        long mtype = t.mem.read64(msgp);
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        if (Long.compareUnsigned(msgsz, ns.msgCtlMax) > 0 || msgsz < 0 || msqid < 0) return -Errno.EINVAL;
        if (mtype < 1) return -Errno.EINVAL;
        byte[] text = t.mem.read(msgp + dev.kava.abi.Msg.MSGBUF_MTEXT, (int) msgsz);
        MsgQueue.Message msg = new MsgQueue.Message(mtype, text);
        MsgQueue q = ns.msgIds.check(msqid);
        while (true) {
            synchronized (q) {
                if (!IpcUtil.ipcperms(t.group, q, IpcUtil.S_IWUGO)) return -Errno.EACCES;
                if (q.deleted) return -Errno.EIDRM;
                if (fits(q, msgsz)) {
                    q.lspid = t.group.tgid;
                    q.stime = IpcUtil.now(t);
                    if (!pipelinedSend(t, q, msg)) {
                        q.messages.addLast(msg);
                        q.cbytes += msgsz;
                        q.qnum++;
                        ns.msgBytes.addAndGet(msgsz);
                        ns.msgHdrs.incrementAndGet();
                    }
                    return 0;
                }
                if ((msgflg & Ipc.IPC_NOWAIT) != 0) return -Errno.EAGAIN;
            }
            int w = t.waitEvent(q.wq, () -> fitsNow(q, msgsz), Long.MAX_VALUE);
            synchronized (q) {
                if (q.deleted) return -Errno.EIDRM;
            }
            if (w == -Errno.EINTR) return -Errno.ERESTARTNOHAND;
        }
    }

    /** msg_fits_inqueue. Caller holds q's lock. */
    private static boolean fits(MsgQueue q, long msgsz) {
        return msgsz + q.cbytes <= q.qbytes && 1 + q.qnum <= q.qbytes;
    }

    private static boolean fitsNow(MsgQueue q, long msgsz) {
        synchronized (q) {
            return q.deleted || fits(q, msgsz);
        }
    }

    /** pipelined_send: the first sleeping receiver that accepts msg gets it (one too small for it gets E2BIG). */
    private static boolean pipelinedSend(Task t, MsgQueue q, MsgQueue.Message msg) {
        boolean woke = false;
        try {
            for (Iterator<MsgQueue.Receiver> it = q.receivers.iterator(); it.hasNext(); ) {
                MsgQueue.Receiver r = it.next();
                if (!testmsg(msg, r.type, r.mode)) continue;
                it.remove();
                woke = true;
                if (r.maxsize < msg.text().length) {
                    r.result = -Errno.E2BIG;
                } else {
                    q.rtime = IpcUtil.now(t);
                    r.result = msg;
                    return true;
                }
            }
            return false;
        } finally {
            if (woke) q.wq.wakeAll();
        }
    }

    private static boolean testmsg(MsgQueue.Message m, long type, int mode) {
        return switch (mode) {
            case SEARCH_ANY, SEARCH_NUMBER -> true;
            case SEARCH_LESSEQUAL -> m.type() <= type;
            case SEARCH_EQUAL -> m.type() == type;
            default -> m.type() != type;
        };
    }

    // ---- msgrcv ----

    /** do_msgrcv with do_msg_fill. */
    static long msgrcv(Task t, int msqid, long msgp, long bufsz, long msgtyp, int msgflg) {
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        if (msqid < 0 || bufsz < 0) return -Errno.EINVAL;
        boolean copy = (msgflg & dev.kava.abi.Msg.MSG_COPY) != 0;
        if (copy && ((msgflg & dev.kava.abi.Msg.MSG_EXCEPT) != 0 || (msgflg & Ipc.IPC_NOWAIT) == 0)) return -Errno.EINVAL;
        long copySize = copy ? Math.min(bufsz, ns.msgCtlMax) : 0;
        // convert_mode
        int mode;
        if (copy) {
            mode = SEARCH_NUMBER;
        } else if (msgtyp == 0) {
            mode = SEARCH_ANY;
        } else if (msgtyp < 0) {
            msgtyp = msgtyp == Long.MIN_VALUE ? Long.MAX_VALUE : -msgtyp;
            mode = SEARCH_LESSEQUAL;
        } else {
            mode = (msgflg & dev.kava.abi.Msg.MSG_EXCEPT) != 0 ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
        }
        MsgQueue q = ns.msgIds.check(msqid);
        MsgQueue.Message msg;
        while (true) {
            MsgQueue.Receiver r;
            synchronized (q) {
                if (!IpcUtil.ipcperms(t.group, q, IpcUtil.S_IRUGO)) return -Errno.EACCES;
                if (q.deleted) return -Errno.EIDRM;
                msg = findMsg(q, msgtyp, mode);
                if (msg != null) {
                    if (bufsz < msg.text().length && (msgflg & dev.kava.abi.Msg.MSG_NOERROR) == 0) return -Errno.E2BIG;
                    if (copy) {
                        // copy_msg: the copy buffer (bufsz, at most msgmax) must hold the whole text.
                        if (msg.text().length > copySize) return -Errno.EINVAL;
                        break;
                    }
                    q.messages.remove(msg);
                    q.qnum--;
                    q.rtime = IpcUtil.now(t);
                    q.lrpid = t.group.tgid;
                    q.cbytes -= msg.text().length;
                    ns.msgBytes.addAndGet(-msg.text().length);
                    ns.msgHdrs.decrementAndGet();
                    q.wq.wakeAll(); // ss_wakeup: senders may fit now
                    break;
                }
                if ((msgflg & Ipc.IPC_NOWAIT) != 0) return -Errno.ENOMSG;
                r = new MsgQueue.Receiver(msgtyp, mode,
                        (msgflg & dev.kava.abi.Msg.MSG_NOERROR) != 0 ? Integer.MAX_VALUE : bufsz);
                q.receivers.add(r);
            }
            int w = t.waitEvent(q.wq, () -> r.result != null, Long.MAX_VALUE);
            synchronized (q) {
                Object res = r.result;
                if (res == null) {
                    q.receivers.remove(r);
                    if (w == -Errno.EINTR) return -Errno.ERESTARTNOHAND;
                    continue;
                }
                if (res instanceof MsgQueue.Message m) {
                    q.lrpid = t.group.tgid;
                    msg = m;
                    break;
                }
                int err = (Integer) res;
                if (err != -Errno.EAGAIN) return err; // E2BIG, EIDRM
                // expunge_all(-EAGAIN) of IPC_SET: look again, with the new permissions.
            }
        }
        // do_msg_fill
        int n = (int) Math.min(bufsz, msg.text().length);
        byte[] out = new byte[dev.kava.abi.Msg.MSGBUF_MTEXT + n];
        Uaccess.putLong(out, 0, msg.type());
        System.arraycopy(msg.text(), 0, out, dev.kava.abi.Msg.MSGBUF_MTEXT, n);
        t.mem.write(msgp, out);
        return n;
    }

    /** find_msg: the message a receiver of (type, mode) takes now, or null. Caller holds q's lock. */
    private static MsgQueue.Message findMsg(MsgQueue q, long type, int mode) {
        MsgQueue.Message found = null;
        long count = 0;
        for (MsgQueue.Message m : q.messages) {
            if (!testmsg(m, type, mode)) continue;
            if (mode == SEARCH_LESSEQUAL && m.type() != 1) {
                type = m.type() - 1;
                found = m;
            } else if (mode == SEARCH_NUMBER) {
                if (type == count) return m;
            } else {
                return m;
            }
            count++;
        }
        return found;
    }

    // ---- msgctl ----

    static long msgctl(Task t, int msqid, int cmd, long buf) {
        if (msqid < 0 || cmd < 0) return -Errno.EINVAL;
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        switch (cmd) {
            case Ipc.IPC_INFO, dev.kava.abi.Msg.MSG_INFO -> {
                return info(t, ns, cmd, buf);
            }
            case dev.kava.abi.Msg.MSG_STAT, dev.kava.abi.Msg.MSG_STAT_ANY, Ipc.IPC_STAT -> {
                return stat(t, ns, msqid, cmd, buf);
            }
            case Ipc.IPC_SET -> {
                byte[] b = t.mem.read(buf, dev.kava.abi.Msg.MSQID64_DS_SIZE);
                return down(t, ns, msqid, cmd, IpcUtil.PermSet.read(b, 0), Uaccess.getLong(b, dev.kava.abi.Msg.MSG_QBYTES));
            }
            case Ipc.IPC_RMID -> {
                return down(t, ns, msqid, cmd, null, 0);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** msgctl_info: struct msginfo; MSG_INFO reports the queues, messages and bytes in use. */
    private static long info(Task t, IpcNamespace ns, int cmd, long buf) {
        byte[] b = new byte[dev.kava.abi.Msg.MSGINFO_SIZE];
        int maxIdx;
        boolean msgInfo = cmd == dev.kava.abi.Msg.MSG_INFO;
        synchronized (ns.msgIds) {
            Uaccess.putInt(b, 0, msgInfo ? ns.msgIds.inUse() : dev.kava.abi.Msg.MSGPOOL);
            Uaccess.putInt(b, 4, msgInfo ? (int) Math.min(ns.msgHdrs.get(), Integer.MAX_VALUE) : dev.kava.abi.Msg.MSGMAP);
            Uaccess.putInt(b, 24, msgInfo ? (int) Math.min(ns.msgBytes.get(), Integer.MAX_VALUE) : dev.kava.abi.Msg.MSGTQL);
            maxIdx = ns.msgIds.maxIndex();
        }
        Uaccess.putInt(b, 8, ns.msgCtlMax);
        Uaccess.putInt(b, 12, ns.msgCtlMnb);
        Uaccess.putInt(b, 16, ns.msgCtlMni);
        Uaccess.putInt(b, 20, dev.kava.abi.Msg.MSGSSZ);
        Uaccess.putShort(b, 28, dev.kava.abi.Msg.MSGSEG);
        t.mem.write(buf, b);
        return Math.max(maxIdx, 0);
    }

    /** msgctl_stat: IPC_STAT by id; MSG_STAT and MSG_STAT_ANY by index, returning the id. */
    private static long stat(Task t, IpcNamespace ns, int msqid, int cmd, long buf) {
        MsgQueue q = cmd == Ipc.IPC_STAT ? ns.msgIds.check(msqid) : ns.msgIds.byIndex(msqid);
        byte[] b = new byte[dev.kava.abi.Msg.MSQID64_DS_SIZE];
        synchronized (q) {
            if (cmd != dev.kava.abi.Msg.MSG_STAT_ANY && !IpcUtil.ipcperms(t.group, q, IpcUtil.S_IRUGO)) return -Errno.EACCES;
            if (q.deleted) return -Errno.EIDRM;
            q.toIpc64Perm(b, 0);
            Uaccess.putLong(b, dev.kava.abi.Msg.MSG_STIME, q.stime);
            Uaccess.putLong(b, dev.kava.abi.Msg.MSG_RTIME, q.rtime);
            Uaccess.putLong(b, dev.kava.abi.Msg.MSG_CTIME, q.ctime);
            Uaccess.putLong(b, dev.kava.abi.Msg.MSG_CBYTES, q.cbytes);
            Uaccess.putLong(b, dev.kava.abi.Msg.MSG_QNUM, q.qnum);
            Uaccess.putLong(b, dev.kava.abi.Msg.MSG_QBYTES, q.qbytes);
            Uaccess.putInt(b, dev.kava.abi.Msg.MSG_LSPID, q.lspid);
            Uaccess.putInt(b, dev.kava.abi.Msg.MSG_LRPID, q.lrpid);
        }
        t.mem.write(buf, b);
        return cmd == Ipc.IPC_STAT ? 0 : q.id;
    }

    /** msgctl_down: IPC_SET (qbytes above msgmnb needs CAP_SYS_RESOURCE) and IPC_RMID (freeque). */
    private static long down(Task t, IpcNamespace ns, int msqid, int cmd, IpcUtil.PermSet set, long qbytes) {
        synchronized (ns.msgIds) {
            MsgQueue q = ns.msgIds.check(msqid);
            synchronized (q) {
                IpcUtil.checkOwner(t, q);
                if (cmd == Ipc.IPC_SET) {
                    if (Long.compareUnsigned(qbytes, ns.msgCtlMnb) > 0 && !IpcUtil.capable(t.group)) return -Errno.EPERM;
                    IpcUtil.updatePerm(set, q);
                    q.qbytes = qbytes;
                    q.ctime = IpcUtil.now(t);
                    // expunge_all(-EAGAIN): receivers look again; ss_wakeup: senders may fit.
                    for (MsgQueue.Receiver r : q.receivers) r.result = -Errno.EAGAIN;
                    q.receivers.clear();
                    q.wq.wakeAll();
                    return 0;
                }
                // freeque
                for (MsgQueue.Receiver r : q.receivers) r.result = -Errno.EIDRM;
                q.receivers.clear();
                ns.msgIds.remove(q);
                ns.msgBytes.addAndGet(-q.cbytes);
                ns.msgHdrs.addAndGet(-q.qnum);
                q.messages.clear();
                q.wq.wakeAll();
            }
            return 0;
        }
    }

    // ---- /proc/sysvipc/msg ----

    public static String procShow(Kernel k) {
        IpcNamespace ns = IpcNamespace.of(k);
        StringBuilder sb = new StringBuilder("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid"
                + "      stime      rtime      ctime\n");
        for (MsgQueue q : ns.msgIds.all()) {
            synchronized (q) {
                sb.append(String.format("%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n", q.key, q.id, q.mode,
                        q.cbytes, q.qnum, q.lspid, q.lrpid, Integer.toUnsignedLong(q.uid), Integer.toUnsignedLong(q.gid),
                        Integer.toUnsignedLong(q.cuid), Integer.toUnsignedLong(q.cgid), q.stime, q.rtime, q.ctime));
            }
        }
        return sb.toString();
    }
}
