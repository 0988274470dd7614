package dev.kava.fs;

import dev.kava.abi.Stat;
import dev.kava.kernel.Uaccess;

/** File attributes as stat() reports them (struct kstat), and their struct stat encoding. */
public record Kstat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size,
                    int blksize, long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
                    long ctimeSec, long ctimeNsec) {

    /** struct stat as riscv64 lays it out (include/uapi/asm-generic/stat.h). */
    public byte[] toStatStruct() {
        byte[] b = new byte[Stat.SIZE];
        Uaccess.putLong(b, Stat.ST_DEV, dev);
        Uaccess.putLong(b, Stat.ST_INO, ino);
        Uaccess.putInt(b, Stat.ST_MODE, mode);
        Uaccess.putInt(b, Stat.ST_NLINK, nlink);
        Uaccess.putInt(b, Stat.ST_UID, uid);
        Uaccess.putInt(b, Stat.ST_GID, gid);
        Uaccess.putLong(b, Stat.ST_RDEV, rdev);
        Uaccess.putLong(b, Stat.ST_SIZE, size);
        Uaccess.putInt(b, Stat.ST_BLKSIZE, blksize);
        Uaccess.putLong(b, Stat.ST_BLOCKS, blocks);
        Uaccess.putLong(b, Stat.ST_ATIME, atimeSec);
        Uaccess.putLong(b, Stat.ST_ATIME_NSEC, atimeNsec);
        Uaccess.putLong(b, Stat.ST_MTIME, mtimeSec);
        Uaccess.putLong(b, Stat.ST_MTIME_NSEC, mtimeNsec);
        Uaccess.putLong(b, Stat.ST_CTIME, ctimeSec);
        Uaccess.putLong(b, Stat.ST_CTIME_NSEC, ctimeNsec);
        return b;
    }

    public boolean isDirectory() {
        return (mode & Stat.S_IFMT) == Stat.S_IFDIR;
    }

    public boolean isRegular() {
        return (mode & Stat.S_IFMT) == Stat.S_IFREG;
    }

    public boolean isSymlink() {
        return (mode & Stat.S_IFMT) == Stat.S_IFLNK;
    }
}
