package dev.kava.net;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Socket;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Socket-level control messages (net/core/scm.c, include/net/scm.h): the scm_cookie a
 * sendmsg builds from SCM_RIGHTS and SCM_CREDENTIALS, and what recvmsg writes back with
 * put_cmsg and scm_detach_fds. Each file in {@link #fp} holds a reference of its own
 * ({@link FdTable#getRef}), dropped by {@link #destroy} unless the file was installed.
 */
public final class Scm {
    /** SCM_MAX_FD (include/net/scm.h): the most descriptors one message carries. */
    public static final int SCM_MAX_FD = 253;
    /** INVALID_UID / INVALID_GID. */
    public static final int INVALID_ID = -1;
    /** overflowuid / overflowgid: what from_kuid_munged reports for an id with no mapping. */
    public static final int OVERFLOW_ID = 65534;

    /** The sender's process (scm->pid, as pid_vnr sees it); 0 with hasPid false for none. */
    public int pid;
    public boolean hasPid;
    public int uid = INVALID_ID, gid = INVALID_ID;
    /** scm->fp: the files of SCM_RIGHTS, or null. */
    public List<File> fp;

    /** scm_set_cred */
    public void setCred(boolean hasPid, int pid, int uid, int gid) {
        this.hasPid = hasPid;
        this.pid = hasPid ? pid : 0;
        this.uid = uid;
        this.gid = gid;
    }

    /**
     * scm_send: the cookie of a sendmsg. forcecreds attaches the sender's credentials; then
     * __scm_send parses the control messages: EINVAL for a malformed header, an SCM_RIGHTS on
     * a family other than AF_UNIX, a wrong SCM_CREDENTIALS length or an unknown SOL_SOCKET
     * type; EBADF for a descriptor that is not open; EPERM for credentials that are not the
     * caller's; ESRCH for a pid that does not exist. Other levels are skipped.
     */
    public static Scm send(Task t, Sock sk, MsgHdr msg, boolean forcecreds) {
        Scm p = new Scm();
        if (forcecreds) p.setCred(true, t.group.tgid, t.group.cred.uid(), t.group.cred.gid());
        if (msg.control == null || msg.controllen <= 0) return p;
        try {
            p.parse(t, sk, msg.control, (int) msg.controllen);
        } catch (RuntimeException e) {
            p.destroy();
            throw e;
        }
        if (p.fp != null && p.fp.isEmpty()) p.fp = null;
        return p;
    }

    /** One control message: its level and type, and where its data lies in the control buffer. */
    @FunctionalInterface
    public interface CmsgVisitor {
        void visit(int level, int type, int data, int dataLen);
    }

    /**
     * for_each_cmsghdr over the first size bytes of a control buffer: CMSG_FIRSTHDR, then
     * __cmsg_nxthdr until the next header would not fit; a header that fails CMSG_OK (shorter
     * than a header, or longer than what is left) is EINVAL, as every sendmsg path says.
     */
    public static void forEachCmsg(byte[] ctl, int size, CmsgVisitor v) {
        long off = size >= Socket.CMSGHDR_SIZE ? 0 : -1;
        while (off >= 0) {
            long cmsgLen = Uaccess.getLong(ctl, (int) off);
            if (Long.compareUnsigned(cmsgLen, Socket.CMSGHDR_SIZE) < 0 || Long.compareUnsigned(cmsgLen, size - off) > 0) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            int level = Uaccess.getInt(ctl, (int) off + Socket.CMSG_LEVEL_OFF);
            int type = Uaccess.getInt(ctl, (int) off + Socket.CMSG_TYPE_OFF);
            v.visit(level, type, (int) off + Socket.CMSGHDR_SIZE, (int) (cmsgLen - Socket.CMSGHDR_SIZE));
            long next = off + Socket.cmsgAlign(cmsgLen);
            off = next + Socket.CMSGHDR_SIZE > size ? -1 : next;
        }
    }

    private void parse(Task t, Sock sk, byte[] ctl, int size) {
        forEachCmsg(ctl, size, (level, type, d, dlen) -> {
            if (level == Socket.SOL_SOCKET) {
                switch (type) {
                    case Socket.SCM_RIGHTS -> {
                        if (sk.family != Socket.AF_UNIX) throw ErrnoException.of(Errno.EINVAL);
                        fpCopy(t, ctl, d, dlen);
                    }
                    case Socket.SCM_CREDENTIALS -> {
                        if (dlen != Socket.UCRED_SIZE) throw ErrnoException.of(Errno.EINVAL);
                        int cpid = Uaccess.getInt(ctl, d), cuid = Uaccess.getInt(ctl, d + 4), cgid = Uaccess.getInt(ctl, d + 8);
                        checkCreds(t, cpid, cuid, cgid);
                        if (!hasPid || pid != cpid) {
                            if (cpid <= 0 || t.kernel.findGroup(cpid) == null && t.kernel.findTask(cpid) == null) {
                                throw ErrnoException.of(Errno.ESRCH);
                            }
                            hasPid = true;
                            pid = cpid;
                        }
                        uid = cuid;
                        gid = cgid;
                    }
                    default -> throw ErrnoException.of(Errno.EINVAL);
                }
            }
        });
    }

    /** scm_check_creds: ids must be valid; the pid the caller's unless CAP_SYS_ADMIN, the ids its own unless CAP_SETUID/CAP_SETGID. */
    private static void checkCreds(Task t, int cpid, int cuid, int cgid) {
        if (cuid == INVALID_ID || cgid == INVALID_ID) throw ErrnoException.of(Errno.EINVAL);
        Cred c = t.group.cred;
        boolean root = c.euid() == 0;
        boolean pidOk = cpid == t.group.tgid || root;
        boolean uidOk = cuid == c.uid() || cuid == c.euid() || cuid == c.suid() || root;
        boolean gidOk = cgid == c.gid() || cgid == c.egid() || cgid == c.sgid() || root;
        if (!(pidOk && uidOk && gidOk)) throw ErrnoException.of(Errno.EPERM);
    }

    /** scm_fp_copy: takes a reference on each descriptor's file (fget_raw: O_PATH ones too). */
    private void fpCopy(Task t, byte[] ctl, int data, int dataLen) {
        int num = dataLen / 4;
        if (num <= 0) return;
        if (num > SCM_MAX_FD) throw ErrnoException.of(Errno.EINVAL);
        if (fp == null) fp = new ArrayList<>();
        if (fp.size() + num > SCM_MAX_FD) throw ErrnoException.of(Errno.EINVAL);
        for (int i = 0; i < num; i++) {
            int fd = Uaccess.getInt(ctl, data + 4 * i);
            File f = fd < 0 ? null : t.group.files.get(fd);
            if (f == null) throw ErrnoException.of(Errno.EBADF);
            FdTable.getRef(f);
            fp.add(f);
        }
    }

    /** scm_fp_dup: a second list with references of its own (a MSG_PEEK of passed descriptors). */
    public static List<File> fpDup(List<File> fp) {
        if (fp == null) return null;
        List<File> copy = new ArrayList<>(fp);
        for (File f : copy) FdTable.getRef(f);
        return copy;
    }

    /** scm_destroy: drops the references of the files never installed. */
    public void destroy() {
        List<File> f = fp;
        fp = null;
        if (f != null) putFiles(f);
    }

    // ---- dropping references without unbounded recursion

    private static final ThreadLocal<ArrayDeque<File>> PENDING = new ThreadLocal<>();

    /**
     * fput of each file, done one after the other: releasing a socket may drop the files in
     * flight in its queue, which may be sockets with files in flight in theirs, and so on.
     * A nested call queues its files for the outermost one, so the depth stays constant.
     * Call without holding a socket lock.
     */
    public static void putFiles(Collection<File> files) {
        if (files.isEmpty()) return;
        ArrayDeque<File> q = PENDING.get();
        if (q != null) {
            q.addAll(files);
            return;
        }
        q = new ArrayDeque<>(files);
        PENDING.set(q);
        try {
            File f;
            while ((f = q.poll()) != null) {
                try {
                    FdTable.putRef(f);
                } catch (RuntimeException e) {
                    // A release that fails must not keep the others in the queue alive.
                }
            }
        } finally {
            PENDING.remove();
        }
    }

    // ---- receiving

    /**
     * put_cmsg: one control message at msg's control pointer. Too small a buffer truncates it
     * (MSG_CTRUNC); a fault leaves the rest as it was (callers ignore put_cmsg's EFAULT).
     */
    public static void putCmsg(Task t, MsgHdr msg, int level, int type, byte[] data) {
        long cmlen = Socket.cmsgLen(data.length);
        if (msg.controlUser == 0 || msg.controllen < Socket.CMSGHDR_SIZE) {
            msg.flags |= Socket.MSG_CTRUNC;
            return;
        }
        if (msg.controllen < cmlen) {
            msg.flags |= Socket.MSG_CTRUNC;
            cmlen = msg.controllen;
        }
        byte[] b = new byte[(int) cmlen];
        Uaccess.putLong(b, Socket.CMSG_LEN_OFF, cmlen);
        Uaccess.putInt(b, Socket.CMSG_LEVEL_OFF, level);
        Uaccess.putInt(b, Socket.CMSG_TYPE_OFF, type);
        System.arraycopy(data, 0, b, Socket.CMSGHDR_SIZE, (int) cmlen - Socket.CMSGHDR_SIZE);
        if (!t.mem.addressSpace().copyToUser(msg.controlUser, b, 0, b.length)) return;
        long used = Math.min(Socket.cmsgSpace(data.length), msg.controllen);
        msg.controlUser += used;
        msg.controllen -= used;
    }

    /**
     * scm_detach_fds: installs as many passed files as the control buffer has room for
     * (each a new descriptor, close-on-exec with MSG_CMSG_CLOEXEC), writes the SCM_RIGHTS
     * header, and sets MSG_CTRUNC when some did not fit; those are closed with the cookie.
     */
    private void detachFds(Task t, MsgHdr msg) {
        boolean cloexec = (msg.flags & Socket.MSG_CMSG_CLOEXEC) != 0;
        long room = msg.controllen <= Socket.CMSGHDR_SIZE ? 0 : (msg.controllen - Socket.CMSGHDR_SIZE) / 4;
        int fdmax = (int) Math.min(room, fp.size());
        long cm = msg.controlUser;
        long limit = t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
        int i = 0;
        for (; i < fdmax; i++) {
            int fd;
            try {
                fd = t.group.files.install(fp.get(i), cloexec, 0, limit);
            } catch (ErrnoException e) {
                break;
            }
            byte[] b = new byte[4];
            Uaccess.putInt(b, 0, fd);
            if (!t.mem.addressSpace().copyToUser(cm + Socket.CMSGHDR_SIZE + 4L * i, b, 0, 4)) {
                t.group.files.remove(fd);
                break;
            }
        }
        if (i > 0) {
            byte[] h = new byte[Socket.CMSGHDR_SIZE];
            Uaccess.putLong(h, Socket.CMSG_LEN_OFF, Socket.cmsgLen(4L * i));
            Uaccess.putInt(h, Socket.CMSG_LEVEL_OFF, Socket.SOL_SOCKET);
            Uaccess.putInt(h, Socket.CMSG_TYPE_OFF, Socket.SCM_RIGHTS);
            if (t.mem.addressSpace().copyToUser(cm, h, 0, h.length)) {
                long used = Math.min(Socket.cmsgSpace(4L * i), msg.controllen);
                msg.controlUser += used;
                msg.controllen -= used;
            }
        }
        if (i < fp.size() || (!fp.isEmpty() && fdmax <= 0)) msg.flags |= Socket.MSG_CTRUNC;
    }

    /**
     * scm_recv_unix (__scm_recv_common): with no control buffer the credentials and files are
     * dropped and MSG_CTRUNC tells; otherwise SCM_CREDENTIALS when the socket asked for them
     * (SO_PASSCRED) and SCM_RIGHTS for the files. The cookie is destroyed.
     */
    public void recvUnix(Task t, Sock sk, MsgHdr msg) {
        try {
            if (msg.controlUser == 0) {
                if (sk.passcred || fp != null) msg.flags |= Socket.MSG_CTRUNC;
                return;
            }
            if (sk.passcred) {
                byte[] uc = new byte[Socket.UCRED_SIZE];
                Uaccess.putInt(uc, 0, pid);
                Uaccess.putInt(uc, 4, uid == INVALID_ID ? OVERFLOW_ID : uid);
                Uaccess.putInt(uc, 8, gid == INVALID_ID ? OVERFLOW_ID : gid);
                putCmsg(t, msg, Socket.SOL_SOCKET, Socket.SCM_CREDENTIALS, uc);
            }
            if (fp != null) detachFds(t, msg);
        } finally {
            destroy();
        }
    }
}
