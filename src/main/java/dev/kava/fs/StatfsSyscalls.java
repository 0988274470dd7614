package dev.kava.fs;

import dev.kava.abi.Fcntl;
import dev.kava.abi.Mount;
import dev.kava.abi.Statfs;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

/** statfs and fstatfs (fs/statfs.c). */
public final class StatfsSyscalls {
    private StatfsSyscalls() {}

    /** NAME_MAX, what simple_statfs reports as f_namelen. */
    private static final long NAME_MAX = 255;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.STATFS, (task, a) -> statfs(task, a[0], a[1]));
        t.register(SyscallNr.FSTATFS, (task, a) -> fstatfs(task, (int) a[0], a[1]));
    }

    /** statfs(path, buf): user_statfs follows a final symlink. */
    static long statfs(Task t, long pathAddr, long buf) {
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), true);
        t.mem.write(buf, encode(vfsStatfs(p)));
        return 0;
    }

    /** fstatfs(fd, buf): fd_statfs takes O_PATH descriptors too. */
    static long fstatfs(Task t, int fd, long buf) {
        File f = t.group.files.require(fd);
        Kstatfs st = f.path() != null ? vfsStatfs(f.path()) : anonymous(f);
        t.mem.write(buf, encode(st));
        return 0;
    }

    /** struct kstatfs: the superblock's figures with f_flags from the mount (calculate_f_flags). */
    record Kstatfs(SuperBlock.StatFs fs, long fsid, long frsize, long flags) {}

    /** vfs_statfs: the filesystem's statfs, f_frsize defaulting to f_bsize, f_flags from the mount. */
    static Kstatfs vfsStatfs(FsPath p) {
        SuperBlock sb = p.mnt().sb;
        SuperBlock.StatFs s = sb.statfs();
        // f_fsid: an identifier unique to the superblock, as filesystems derive it from their
        // device number or UUID (u64_to_fsid(huge_encode_dev(sb->s_dev))).
        return new Kstatfs(s, sb.dev(), s.bsize(), flagsOf(p.mnt()));
    }

    /** calculate_f_flags: ST_VALID, the mount's flags (flags_by_mnt), the superblock's (flags_by_sb). */
    static long flagsOf(dev.kava.fs.Mount m) {
        int mf = m.flags();
        long f = Mount.ST_VALID;
        if ((mf & Mount.MS_RDONLY) != 0 || m.sb.readOnly()) f |= Mount.ST_RDONLY;
        if ((mf & Mount.MS_NOSUID) != 0) f |= Mount.ST_NOSUID;
        if ((mf & Mount.MS_NODEV) != 0) f |= Mount.ST_NODEV;
        if ((mf & Mount.MS_NOEXEC) != 0) f |= Mount.ST_NOEXEC;
        if ((mf & Mount.MS_NOATIME) != 0) f |= Mount.ST_NOATIME;
        if ((mf & Mount.MS_NODIRATIME) != 0) f |= Mount.ST_NODIRATIME;
        if ((mf & Mount.MS_RELATIME) != 0) f |= Mount.ST_RELATIME;
        if ((mf & Mount.MS_NOSYMFOLLOW) != 0) f |= Mount.ST_NOSYMFOLLOW;
        return f;
    }

    /**
     * A file outside kava's mount tree lives on one of Linux's internal filesystems: pipefs for
     * pipes, devpts for a terminal, anon_inodefs for eventfd, epoll and the like. Their
     * simple_statfs reports the magic, a page-sized block and NAME_MAX, nothing else; the
     * internal mounts have no flags.
     */
    private static Kstatfs anonymous(File f) {
        long magic = Statfs.ANON_INODE_FS_MAGIC;
        if (f instanceof PipeFile) magic = Statfs.PIPEFS_MAGIC;
        if (f instanceof HostStdio s) {
            magic = switch (s.kind()) {
                case TTY -> Statfs.DEVPTS_SUPER_MAGIC;
                case PIPE -> Statfs.PIPEFS_MAGIC;
                case NULL -> Statfs.TMPFS_MAGIC; // /dev/null on devtmpfs
                case FILE -> dev.kava.fs.hostfs.HostFs.HOSTFS_SUPER_MAGIC;
            };
        }
        return new Kstatfs(new SuperBlock.StatFs(magic, 4096, 0, 0, 0, 0, 0, NAME_MAX), 0, 4096, Mount.ST_VALID);
    }

    /** do_statfs_native: struct statfs with 64-bit words. */
    static byte[] encode(Kstatfs st) {
        byte[] b = new byte[Statfs.SIZE];
        SuperBlock.StatFs s = st.fs();
        Uaccess.putLong(b, Statfs.F_TYPE, s.type());
        Uaccess.putLong(b, Statfs.F_BSIZE, s.bsize());
        Uaccess.putLong(b, Statfs.F_BLOCKS, s.blocks());
        Uaccess.putLong(b, Statfs.F_BFREE, s.bfree());
        Uaccess.putLong(b, Statfs.F_BAVAIL, s.bavail());
        Uaccess.putLong(b, Statfs.F_FILES, s.files());
        Uaccess.putLong(b, Statfs.F_FFREE, s.ffree());
        Uaccess.putInt(b, Statfs.F_FSID, (int) st.fsid());
        Uaccess.putInt(b, Statfs.F_FSID + 4, (int) (st.fsid() >>> 32));
        Uaccess.putLong(b, Statfs.F_NAMELEN, s.namelen());
        Uaccess.putLong(b, Statfs.F_FRSIZE, st.frsize());
        Uaccess.putLong(b, Statfs.F_FLAGS, st.flags());
        return b;
    }
}
