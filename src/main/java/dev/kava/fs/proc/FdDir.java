package dev.kava.fs.proc;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.fs.Dentry;
import dev.kava.fs.Directory;
import dev.kava.fs.FdTable;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.fs.Mount;
import dev.kava.fs.MountNamespace;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/fd (fs/proc/fd.c): one magic link per open descriptor, named by its number. Reading
 * one gives the file's path, or "pipe:[ino]", "socket:[ino]", "anon_inode:[name]" for files
 * without one; following one reaches the open file itself, even when its name is gone.
 */
final class FdDir extends ProcInode {
    final PidDir p;

    record Key(TaskGroup g, int pid, Task thread, String kind) {}

    FdDir(PidDir p, int index) {
        super(p.fs, PidDir.ino(p.pid, index), Stat.S_IFDIR | 0500, new Key(p.g, p.pid, p.thread, "fd"), p.g);
        this.p = p;
    }

    /** The open files now, by descriptor (null entries for free ones); none once the process is gone. */
    static File[] files(PidDir p) {
        if (!p.alive() || p.exited()) return new File[0];
        FdTable t = p.g.files;
        int n = t.maxFds();
        File[] out = new File[n];
        for (int fd = 0; fd < n; fd++) out[fd] = t.get(fd);
        return out;
    }

    @Override
    public synchronized Kstat getattr() {
        // proc_fd_getattr: the size is the number of open descriptors.
        long open = 0;
        for (File f : files(p)) if (f != null) open++;
        size = open;
        return super.getattr();
    }

    /** A descriptor number as a name: decimal, no sign, no leading zeros (name_to_int). */
    static int parseFd(String name) {
        if (name.equals("0")) return 0;
        return PidDir.parsePid(name);
    }

    static void checkAccess(PidDir p, Task t) {
        if (!ProcAccess.mayAccess(t, p.g)) throw ErrnoException.of(Errno.EACCES);
    }

    @Override
    public Inode lookup(String name) {
        int fd = parseFd(name);
        if (fd < 0 || !p.alive() || p.exited()) return null;
        File f = p.g.files.get(fd);
        return f == null ? null : new FdLink(p, fd, f);
    }

    @Override
    public List<Directory.Entry> list() {
        p.requireAlive();
        List<Directory.Entry> out = new ArrayList<>();
        File[] fs = files(p);
        for (int fd = 0; fd < fs.length; fd++) {
            if (fs[fd] != null) out.add(new Directory.Entry(fdIno(p, fd, false), Stat.DT_LNK, Integer.toString(fd)));
        }
        return out;
    }

    static long fdIno(PidDir p, int fd, boolean info) {
        return PidDir.ino(p.pid, (info ? 0x200000 : 0x100000) + fd);
    }

    /**
     * What a descriptor's link reads as, seen by reader: d_path from the reader's root, or the
     * d_dname of a file without a path.
     */
    static String linkText(File f, Task reader) {
        FsPath path = f.path();
        if (path == null) return f.dname();
        if (path.inode() instanceof AnonTarget a) return a.file.dname();
        return MountNamespace.path(path, reader.group.fs.root());
    }

    /** One descriptor's magic link (proc_fd_link); its mode shows how the file is open. */
    static final class FdLink extends ProcInode {
        final PidDir p;
        final int fd;
        final File file;

        record Key(TaskGroup g, int pid, Task thread, int fd, File file) {}

        FdLink(PidDir p, int fd, File f) {
            super(p.fs, fdIno(p, fd, false), Stat.S_IFLNK | perm(f), new Key(p.g, p.pid, p.thread, fd, f), p.g);
            this.p = p;
            this.fd = fd;
            this.file = f;
        }

        /** tid_fd_update_inode: r-x for a file open for reading, -wx for writing. */
        private static int perm(File f) {
            int m = 0;
            if (f.readable()) m |= 0500;
            if (f.writable()) m |= 0300;
            return m;
        }

        private File current() {
            if (!p.alive() || p.exited() || p.g.files.get(fd) != file) throw ErrnoException.of(Errno.ENOENT);
            return file;
        }

        @Override
        public FsPath followMagic(Task t) {
            File f = current();
            checkAccess(p, t);
            if (f.path() != null) return f.path();
            return AnonTarget.pathFor(p.fs, f);
        }

        @Override
        public String readlink() {
            throw ErrnoException.of(Errno.ENOENT);
        }

        @Override
        public String readlink(Task t) {
            File f = current();
            checkAccess(p, t);
            return linkText(f, t);
        }
    }

    /**
     * Where the link of a file without a path leads: an unnamed dentry on procfs for the file's
     * own object (pipefs's and anon_inodefs's inodes on Linux). Opening it opens the same pipe
     * again (File.reopen); stat shows the file's attributes.
     */
    static final class AnonTarget extends ProcInode {
        final File file;

        private AnonTarget(ProcFs fs, File f, Kstat st) {
            super(fs, st.ino(), typeOf(st) | (st.mode() & 07777), f);
            this.file = f;
        }

        private static int typeOf(Kstat st) {
            int type = st.mode() & Stat.S_IFMT;
            return type == 0 ? Stat.S_IFREG : type; // an anon inode has no type; open it as a file (then ENXIO)
        }

        static FsPath pathFor(ProcFs fs, File f) {
            Mount m = null;
            for (Mount x : fs.kernel().mountNamespace().mounts()) {
                if (x.sb == fs) {
                    m = x;
                    break;
                }
            }
            if (m == null) throw ErrnoException.of(Errno.ENOENT);
            AnonTarget a = new AnonTarget(fs, f, f.stat());
            return new FsPath(m, Dentry.tmpfile(fs.root(), a));
        }

        @Override
        public Kstat getattr() {
            return file.stat();
        }

        @Override
        public File open(Task t, FsPath path, int flags) {
            return file.reopen(t, flags);
        }
    }

    /** /proc/PID/fdinfo: a text file per descriptor with its position, flags, mount and inode. */
    static final class InfoDir extends ProcInode {
        final PidDir p;

        InfoDir(PidDir p, int index) {
            super(p.fs, PidDir.ino(p.pid, index), Stat.S_IFDIR | 0555, new Key(p.g, p.pid, p.thread, "fdinfo"), p.g);
            this.p = p;
        }

        @Override
        public Inode lookup(String name) {
            int fd = parseFd(name);
            if (fd < 0 || !p.alive() || p.exited()) return null;
            File f = p.g.files.get(fd);
            if (f == null) return null;
            return new PidDir.PidFile(p, 0x200000 + fd, "fdinfo/" + fd, 0444, r -> fdinfo(p, fd, f, r), null, true);
        }

        @Override
        public List<Directory.Entry> list() {
            p.requireAlive();
            List<Directory.Entry> out = new ArrayList<>();
            File[] fs = files(p);
            for (int fd = 0; fd < fs.length; fd++) {
                if (fs[fd] != null) out.add(new Directory.Entry(fdIno(p, fd, true), Stat.DT_REG, Integer.toString(fd)));
            }
            return out;
        }
    }

    /** seq_show of fs/proc/fd.c. */
    static byte[] fdinfo(PidDir p, int fd, File f, Task reader) {
        if (!p.alive() || p.g.files.get(fd) != f) throw ErrnoException.of(Errno.ENOENT);
        long pos;
        try {
            pos = f.lseek(0, Fcntl.SEEK_CUR);
        } catch (ErrnoException e) {
            pos = 0; // a stream has no position; f_pos stays 0
        }
        int flags = f.flags();
        if (p.g.files.closeOnExec(fd)) flags |= Fcntl.O_CLOEXEC;
        FsPath path = f.path();
        // Files without a path live on kernel-internal mounts (pipefs, anon_inodefs) kava does not have: mount 0.
        int mntId = path == null ? 0 : path.mnt().id;
        long ino = path == null || path.inode() instanceof AnonTarget ? f.stat().ino() : path.inode().ino;
        return SeqFile.bytes("pos:\t" + pos + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t" + mntId
                + "\nino:\t" + ino + "\n" + f.fdinfo());
    }
}
