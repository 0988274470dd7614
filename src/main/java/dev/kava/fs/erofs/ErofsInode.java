package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An EROFS inode (struct erofs_inode): attributes from the on-disk inode, read-only operations. */
public final class ErofsInode extends Inode {
    final ErofsImage.Node node;

    ErofsInode(ErofsSuperBlock sb, ErofsImage.Node node) {
        super(sb, node.nid, node.mode);
        this.node = node;
        this.uid = node.uid;
        this.gid = node.gid;
        this.nlink = node.nlink;
        this.size = node.size;
        int type = node.type();
        this.rdev = type == Stat.S_IFCHR || type == Stat.S_IFBLK ? node.rdevEncoded() : 0;
        // erofs_read_inode: atime = ctime = mtime.
        atimeSec = mtimeSec = ctimeSec = node.mtime;
        atimeNsec = mtimeNsec = ctimeNsec = node.mtimeNsec;
    }

    ErofsSuperBlock esb() {
        return (ErofsSuperBlock) sb;
    }

    ErofsImage image() {
        return esb().image();
    }

    @Override
    public synchronized Kstat getattr() {
        return new Kstat(sb.dev(), ino, mode, nlink, uid, gid, rdev, size, sb.blockSize(), node.blocks512(),
                atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec);
    }

    @Override
    public boolean same(Inode other) {
        return other instanceof ErofsInode e && e.sb == sb && e.node.nid == node.nid;
    }

    @Override
    public Inode lookup(String name) {
        if (!isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        if (n.length > ErofsFormat.EROFS_NAME_LEN) throw ErrnoException.of(Errno.ENAMETOOLONG);
        ErofsImage.Dirent d = esb().call(() -> image().lookup(node, n));
        if (d == null) return null;
        return esb().iget(d.nid());
    }

    @Override
    public List<Directory.Entry> list() {
        if (!isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        return esb().call(() -> {
            List<Directory.Entry> out = new ArrayList<>();
            for (ErofsImage.Dirent d : image().readdir(node)) {
                String name = d.nameString();
                if (name.equals(".") || name.equals("..")) continue;
                out.add(new Directory.Entry(d.nid(), dtype(d.fileType()), name));
            }
            return out;
        });
    }

    /** fs_ftype_to_dtype: FT_* to DT_*. */
    static int dtype(int ft) {
        return switch (ft) {
            case ErofsFormat.FT_REG_FILE -> Stat.DT_REG;
            case ErofsFormat.FT_DIR -> Stat.DT_DIR;
            case ErofsFormat.FT_CHRDEV -> Stat.DT_CHR;
            case ErofsFormat.FT_BLKDEV -> Stat.DT_BLK;
            case ErofsFormat.FT_FIFO -> Stat.DT_FIFO;
            case ErofsFormat.FT_SOCK -> Stat.DT_SOCK;
            case ErofsFormat.FT_SYMLINK -> Stat.DT_LNK;
            default -> Stat.DT_UNKNOWN;
        };
    }

    @Override
    public String readlink() {
        if (!isSymlink()) throw ErrnoException.of(Errno.EINVAL);
        return esb().call(() -> new String(image().readlink(node), StandardCharsets.ISO_8859_1));
    }

    @Override
    public File open(Task t, FsPath path, int flags) {
        if (isRegular()) {
            if ((flags & Fcntl.O_ACCMODE) != Fcntl.O_RDONLY || (flags & Fcntl.O_TRUNC) != 0) throw ErrnoException.of(Errno.EROFS);
            return new ErofsFile(this, path, flags);
        }
        return super.open(t, path, flags);
    }

    @Override
    public byte[] getxattr(String name) {
        for (ErofsImage.Xattr x : xattrList()) {
            if (x.name().equals(name)) return x.value().clone();
        }
        throw ErrnoException.of(Errno.ENODATA);
    }

    @Override
    public List<String> listxattr() {
        List<String> out = new ArrayList<>();
        for (ErofsImage.Xattr x : xattrList()) out.add(x.name());
        return out;
    }

    private List<ErofsImage.Xattr> xattrList() {
        return esb().call(() -> image().xattrs(node));
    }

    @Override
    public void setxattr(String name, byte[] value, int flags) {
        throw ErrnoException.of(Errno.EROFS);
    }

    @Override
    public void removexattr(String name) {
        throw ErrnoException.of(Errno.EROFS);
    }

    @Override
    public synchronized void setMode(int perm) {
        throw ErrnoException.of(Errno.EROFS);
    }

    @Override
    public synchronized void setOwner(int newUid, int newGid) {
        throw ErrnoException.of(Errno.EROFS);
    }

    @Override
    public synchronized void setTimes(long aSec, long aNsec, long mSec, long mNsec, boolean setA, boolean setM) {
        throw ErrnoException.of(Errno.EROFS);
    }

    @Override
    public void truncate(long newSize) {
        throw ErrnoException.of(isDir() ? Errno.EISDIR : Errno.EROFS);
    }

    @Override
    public synchronized void touchAtime() {
        // A read-only filesystem keeps its times.
    }

    /** Reads file data (for ErofsFile). */
    int read(long pos, byte[] dst, int off, int len) {
        if (pos < 0 || pos >= size || len <= 0) return 0;
        return esb().call(() -> image().read(node, pos, dst, off, len));
    }

    /** SEEK_DATA/SEEK_HOLE over chunk-based holes; other layouts are data throughout. */
    long seek(long offset, boolean data) {
        return esb().call(() -> {
            long p = offset;
            if (node.layout != ErofsFormat.EROFS_INODE_CHUNK_BASED && !(node.layout == ErofsFormat.EROFS_INODE_FLAT_PLAIN && node.startblk == -1L)) {
                return data ? p : size;
            }
            while (p < size) {
                ErofsImage.Mapping m = image().mapFlat(node, p);
                if (m.mapped() == data) return p;
                p = m.la() + m.llen();
            }
            return data ? -1L : size;
        });
    }
}
