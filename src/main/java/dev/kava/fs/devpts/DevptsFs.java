package dev.kava.fs.devpts;

import dev.kava.abi.Errno;
import dev.kava.abi.Major;
import dev.kava.abi.Stat;
import dev.kava.drivers.tty.Devpts;
import dev.kava.drivers.tty.Pty;
import dev.kava.drivers.tty.TtyDevices;
import dev.kava.drivers.tty.TtyStruct;
import dev.kava.fs.CharDevices;
import dev.kava.fs.Dentry;
import dev.kava.fs.Directory;
import dev.kava.fs.File;
import dev.kava.fs.FileSystems;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.MountNamespace;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * devpts (fs/devpts/inode.c): one directory per instance holding "ptmx" and a node N for every
 * pty pair whose slave is N, mounted on /dev/pts. Each instance numbers its own ptys (the tty
 * layer's {@link Devpts}); /dev/ptmx opens a new pair in the instance mounted next to it on
 * "pts", as ptmx_open's devpts_acquire does, or in the kernel's first instance.
 */
public final class DevptsFs extends SuperBlock {
    /** DEVPTS_SUPER_MAGIC (include/uapi/linux/magic.h). */
    public static final long DEVPTS_SUPER_MAGIC = 0x1cd1;
    /** The "tty" group that owns slave nodes (mounted gid=5,mode=620, as systemd does). */
    static final int TTY_GID = 5;

    /** Each kernel's first instance: where a /dev/ptmx with no devpts beside it makes its ptys. */
    private static final Map<Kernel, DevptsFs> INITIAL = new WeakHashMap<>();

    private final Devpts ptys;
    private final int ptmxMode;
    /** mode=, gid= and uid= of the mount: what new slave nodes get (Linux's defaults: 0600, the opener's ids). */
    private final int slaveMode, slaveGid, slaveUid;
    private final Map<Integer, SlaveInode> slaves = new HashMap<>();

    /** The instance the kernel mounts at boot, as systemd does: gid=5,mode=620,ptmxmode=000. */
    public DevptsFs(Kernel kernel) {
        this(kernel, 0, 0620, TTY_GID, -1);
    }

    /** uid/gid -1: the creating process's. */
    public DevptsFs(Kernel kernel, int ptmxMode, int slaveMode, int slaveGid, int slaveUid) {
        super("devpts", kernel.clock()::realtimeNanos, false);
        this.ptys = new Devpts(kernel);
        this.ptmxMode = ptmxMode & 07777;
        this.slaveMode = slaveMode & 07777;
        this.slaveGid = slaveGid;
        this.slaveUid = slaveUid;
        setRoot(new RootInode(this));
        synchronized (INITIAL) {
            INITIAL.putIfAbsent(kernel, this);
        }
    }

    /** mount -t devpts: every mount is a new instance (the "newinstance" behaviour of Linux 4.7+). */
    public static SuperBlock create(Kernel kernel, String source, int sbFlags, List<FileSystems.Param> params) {
        int ptmxMode = 0, mode = 0600, gid = -1, uid = -1;
        for (FileSystems.Param p : params) {
            switch (p.key()) {
                case "ptmxmode" -> ptmxMode = octal(p.value());
                case "mode" -> mode = octal(p.value());
                case "gid" -> gid = number(p.value());
                case "uid" -> uid = number(p.value());
                case "max", "newinstance" -> { } // every mount is a new instance; the pty limit is the kernel's
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
        }
        return new DevptsFs(kernel, ptmxMode, mode, gid, uid);
    }

    private static int number(String v) {
        try {
            return Integer.parseInt(v);
        } catch (RuntimeException e) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    private static int octal(String v) {
        try {
            return Integer.parseInt(v, 8);
        } catch (RuntimeException e) {
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /** The tty layer's numbering of this instance. */
    public Devpts ptys() {
        return ptys;
    }

    @Override
    public long magic() {
        return DEVPTS_SUPER_MAGIC;
    }

    @Override
    public String source() {
        return "devpts";
    }

    @Override
    public String options() {
        return (slaveGid >= 0 ? ",gid=" + slaveGid : "") + ",mode=" + String.format("%03o", slaveMode)
                + ",ptmxmode=" + String.format("%03o", ptmxMode);
    }

    /** The node of pty N while its pair exists (devpts_pty_new / devpts_pty_kill), kept so chmod and chown stick. */
    synchronized SlaveInode slave(int index) {
        return slave(index, null);
    }

    /** As above; creator is the process that made the pair (its ids own a new node unless uid=/gid= say otherwise). */
    synchronized SlaveInode slave(int index, dev.kava.kernel.Cred creator) {
        TtyStruct tty = ptys.lookupSlave(index);
        if (tty == null) {
            slaves.remove(index);
            return null;
        }
        SlaveInode i = slaves.get(index);
        if (i == null || i.tty != tty) {
            int uid = slaveUid >= 0 ? slaveUid : creator != null ? creator.fsuid() : 0;
            int gid = slaveGid >= 0 ? slaveGid : creator != null ? creator.fsgid() : 0;
            i = new SlaveInode(this, index, tty, slaveMode, uid, gid);
            slaves.put(index, i);
        }
        return i;
    }

    /** Registers the drivers of /dev/ptmx (5:2) and of the slaves (136:N). */
    public static void registerDrivers() {
        CharDevices.register(Major.TTYAUX_MAJOR, Major.TTYAUX_PTMX, DevptsFs::openPtmx);
        CharDevices.registerMajor(Pty.SLAVE_MAJOR, DevptsFs::openSlave);
    }

    /** ptmx_open: a new pair in the devpts instance this ptmx belongs to. */
    static File openPtmx(Task t, Inode inode, FsPath path, int flags) {
        DevptsFs fs = instanceFor(t, path);
        if (fs == null) throw ErrnoException.of(Errno.ENODEV);
        // fstat of the master is the node it was opened through (/dev/ptmx or /dev/pts/ptmx), as
        // ttyname's check of /proc/self/fd/N against fstat needs.
        File master = Pty.openMaster(t, fs.ptys, flags, TtyDevices.node(inode), path);
        int index = ((dev.kava.drivers.tty.TtyFile) master).tty().index;
        fs.slave(index, t.group.cred); // devpts_pty_new: the node appears, owned by its creator
        return master;
    }

    /** tty_open of /dev/pts/N: the slave of the pair numbered by the node's minor. */
    static File openSlave(Task t, Inode inode, FsPath path, int flags) {
        DevptsFs fs = path != null && path.mnt().sb instanceof DevptsFs d ? d : initial(t.kernel);
        if (fs == null) throw ErrnoException.of(Errno.ENXIO);
        int index = CharDevices.minor(inode.getattr().rdev());
        TtyStruct slave = fs.ptys.lookupSlave(index);
        if (slave == null) throw ErrnoException.of(Errno.EIO);
        return Pty.openSlave(t, slave, flags, TtyDevices.node(inode), path);
    }

    /**
     * devpts_acquire: the instance whose ptmx this is, or the one mounted on "pts" beside a
     * /dev/ptmx node, or else the kernel's first instance.
     */
    private static DevptsFs instanceFor(Task t, FsPath ptmx) {
        if (ptmx != null) {
            if (ptmx.mnt().sb instanceof DevptsFs d) return d;
            try {
                Dentry dir = ptmx.dentry().parent();
                Inode dirInode = dir.inode();
                Dentry pts;
                synchronized (dirInode.lock) {
                    pts = dir.child("pts");
                }
                if (pts != null) {
                    FsPath p = MountNamespace.followDown(new FsPath(ptmx.mnt(), pts));
                    if (p.mnt().sb instanceof DevptsFs d) return d;
                }
            } catch (ErrnoException e) {
                // No "pts" beside it: fall back to the first instance, as Linux falls back to the initial one.
            }
        }
        return initial(t.kernel);
    }

    /** The kernel's first devpts instance, or null before one is mounted. */
    public static DevptsFs initial(Kernel k) {
        synchronized (INITIAL) {
            return INITIAL.get(k);
        }
    }

    /** The root directory: "ptmx" and the slave numbers, made as asked for. */
    private static final class RootInode extends Inode {
        private final Inode ptmx;

        RootInode(DevptsFs fs) {
            super(fs, 1, Stat.S_IFDIR | 0755);
            nlink = 2;
            this.ptmx = new PtmxInode(fs);
        }

        DevptsFs fs() {
            return (DevptsFs) sb;
        }

        @Override
        public Inode lookup(String name) {
            if (name.equals("ptmx")) return ptmx;
            int index = parseIndex(name);
            return index < 0 ? null : fs().slave(index);
        }

        @Override
        public List<Directory.Entry> list() {
            List<Directory.Entry> out = new ArrayList<>();
            out.add(new Directory.Entry(2, Stat.DT_CHR, "ptmx"));
            for (int i : fs().ptys.indices()) {
                SlaveInode s = fs().slave(i);
                if (s != null) out.add(new Directory.Entry(s.ino, Stat.DT_CHR, Integer.toString(i)));
            }
            return out;
        }

        /** Only canonical decimal names ("0", "12"; not "012" or "+1") name a pty. */
        private static int parseIndex(String name) {
            if (name.isEmpty() || name.length() > 7 || (name.length() > 1 && name.charAt(0) == '0')) return -1;
            for (int i = 0; i < name.length(); i++) if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
            return Integer.parseInt(name);
        }
    }

    /** The instance's own ptmx node (5:2), mode ptmxmode (000 unless the mount asks otherwise). */
    private static final class PtmxInode extends Inode {
        PtmxInode(DevptsFs fs) {
            super(fs, 2, Stat.S_IFCHR | fs.ptmxMode);
            rdev = Stat.encodeDev(Major.TTYAUX_MAJOR, Major.TTYAUX_PTMX);
        }
    }

    /** /dev/pts/N: character device 136:N, with the mount's mode and owners. */
    static final class SlaveInode extends Inode {
        final TtyStruct tty;

        SlaveInode(DevptsFs fs, int index, TtyStruct tty, int mode, int uid, int gid) {
            super(fs, index + 3L, Stat.S_IFCHR | mode);
            this.tty = tty;
            this.uid = uid;
            this.gid = gid;
            this.rdev = Stat.encodeDev(Pty.SLAVE_MAJOR, index);
        }
    }
}
