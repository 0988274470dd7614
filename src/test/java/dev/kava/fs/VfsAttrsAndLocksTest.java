package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Flock;
import dev.kava.abi.Stat;
import dev.kava.abi.Statx;
import dev.kava.abi.Xattr;
import dev.kava.arch.riscv.Hart;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.PageAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the guest programs cannot reach yet (kava has no symlinkat or mknodat in this tree, and
 * qemu runs on the host's disk): symlink and FIFO attribute rules, tmpfs's space accounting,
 * the lock table's splitting and merging, and the statx encoding. Works on a tmpfs directly,
 * as a task of a kernel that never runs. (Named to run after NameiTest, which expects the
 * JVM's first mount to be nullfs: mount IDs come from one counter for every kernel.)
 */
class VfsAttrsAndLocksTest {
    static Kernel kernel;
    static final AtomicInteger NEXT_TID = new AtomicInteger(5000);

    Tmpfs fs;
    Mount mnt;
    FsPath dir, file, link, fifo;

    @BeforeAll
    static void kernel() throws Exception {
        kernel = new Kernel(new Kernel.Config().root(Path.of(".")));
    }

    static Task task(Cred cred) {
        int tid = NEXT_TID.getAndIncrement();
        TaskGroup g = new TaskGroup(kernel, tid, null, null, new FdTable(), null, new Rlimits(100));
        g.cred = cred;
        return new Task(kernel, g, tid, new Hart(new AddressSpace()));
    }

    static Cred user(int uid) {
        return new Cred(uid, uid, uid, uid, uid, uid, uid, uid);
    }

    FsPath child(FsPath parent, String name, Inode inode) {
        return new FsPath(parent.mnt(), parent.dentry().instantiate(name, inode));
    }

    @BeforeEach
    void setUp() {
        fs = new Tmpfs("tmpfs", "tmpfs", () -> 1_000_000_000L, new PageAllocator(1000), 64 * 4096, 100, 01777);
        mnt = MountNamespace.newMount(fs, fs.root(), 0);
        FsPath root = new FsPath(mnt, fs.root());
        Inode r = root.inode();
        file = child(root, "f", r.create("f", 0644, Cred.ROOT));
        link = child(root, "l", r.symlink("l", "f", Cred.ROOT));
        fifo = child(root, "p", r.mknod("p", Stat.S_IFIFO | 0644, 0, Cred.ROOT));
        dir = root;
    }

    // ---- chmod and xattrs on symlinks and special files

    @Test
    void aSymlinksModeCannotChangeButAReadOnlyMountComesFirst() {
        assertEquals(-Errno.EOPNOTSUPP, AttrSyscalls.chmodCommon(task(Cred.ROOT), link, 0600));
        assertEquals(-Errno.EOPNOTSUPP, AttrSyscalls.chmodCommon(task(user(1000)), link, 0600),
                "checked before ownership, as notify_change does");
        assertEquals(0777, link.inode().mode() & 07777);
        Mount ro = MountNamespace.newMount(fs, fs.root(), dev.kava.abi.Mount.MS_RDONLY);
        FsPath roLink = new FsPath(ro, link.dentry());
        assertEquals(Errno.EROFS, assertThrows(ErrnoException.class,
                () -> AttrSyscalls.chmodCommon(task(Cred.ROOT), roLink, 0600)).errno);
    }

    @Test
    void aSymlinksOwnerAndTimesCanChange() {
        Task root = task(Cred.ROOT);
        assertEquals(0, AttrSyscalls.chownCommon(root, link, 7, 8));
        assertEquals(7, link.inode().uid());
        assertEquals(0, AttrSyscalls.vfsUtimes(root, link, new long[] {5, 6, 7, 8}));
        Kstat st = link.inode().getattr();
        assertEquals(5, st.atimeSec());
        assertEquals(8, st.mtimeNsec());
    }

    @Test
    void userXattrsLiveOnlyOnRegularFilesAndDirectories() {
        Task root = task(Cred.ROOT);
        byte[] v = {1, 2};
        assertEquals(Errno.EPERM, errno(() -> XattrSyscalls.setxattr(root, link, "user.x", v, 0)));
        assertEquals(Errno.ENODATA, errno(() -> XattrSyscalls.getxattr(root, link, "user.x")));
        assertEquals(Errno.EPERM, errno(() -> XattrSyscalls.setxattr(root, fifo, "user.x", v, 0)));
        assertEquals(Errno.EPERM, errno(() -> XattrSyscalls.removexattr(root, fifo, "user.x")));
        assertEquals(0, XattrSyscalls.setxattr(root, link, "trusted.x", v, 0), "trusted.* is fine on a symlink");
        assertArrayEquals(v, XattrSyscalls.getxattr(root, link, "trusted.x"));
        assertEquals(0, XattrSyscalls.setxattr(root, dir, "user.d", v, 0));
        assertEquals(0, XattrSyscalls.setxattr(root, file, "user.f", v, Xattr.XATTR_CREATE));
    }

    @Test
    void aStickyDirectorysUserXattrsBelongToItsOwner() {
        byte[] v = {1};
        Task other = task(user(1000));
        assertEquals(Errno.EPERM, errno(() -> XattrSyscalls.setxattr(other, dir, "user.x", v, 0)),
                "mode 01777: writable by all, but sticky");
        dir.inode().setMode(0777);
        assertEquals(0, XattrSyscalls.setxattr(other, dir, "user.x", v, 0));
        assertEquals(Errno.EPERM, errno(() -> XattrSyscalls.setxattr(other, file, "security.x", v, 0)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> XattrSyscalls.setxattr(task(Cred.ROOT), file, "system.posix_acl_access", v, 0)),
                "no POSIX ACLs on kava's tmpfs");
    }

    // ---- tmpfs space

    @Test
    void xattrsShareTheInodeSpace() {
        Task root = task(Cred.ROOT);
        // 100 inodes of 1024 bytes; 4 in use (root, f, l, p).
        assertEquals(96, fs.statfs().ffree());
        byte[] big = new byte[65536];
        for (int i = 0; i < 95; i++) {
            long r;
            try {
                r = XattrSyscalls.setxattr(root, file, "user.v" + i, big, 0);
            } catch (ErrnoException e) {
                r = -e.errno;
            }
            if (r < 0) {
                assertEquals(-Errno.ENOSPC, r);
                assertEquals(1, i, "96 KiB of inode space holds one 64 KiB value");
                break;
            }
        }
        assertTrue(fs.statfs().ffree() < 96);
        assertEquals(0, XattrSyscalls.setxattr(root, file, "user.v0", new byte[10], Xattr.XATTR_REPLACE),
                "a smaller value gives the space back");
        assertEquals(95, fs.statfs().ffree());
        assertEquals(0, XattrSyscalls.removexattr(root, file, "user.v0"));
        assertEquals(96, fs.statfs().ffree());
    }

    @Test
    void aFailedFallocateGivesBackWhatItTook() {
        Tmpfs small = new Tmpfs("tmpfs", "tmpfs", () -> 0L, new PageAllocator(1000), 3 * 4096, 100, 0777);
        Mount m = MountNamespace.newMount(small, small.root(), 0);
        Inode ri = small.root().inode();
        FsPath p = new FsPath(m, small.root().instantiate("x", ri.create("x", 0644, Cred.ROOT)));
        Task t = task(Cred.ROOT);
        File f = p.inode().open(t, p, Fcntl.O_RDWR);
        f.fallocate(t, 0, 0, 4096);
        assertEquals(ErrnoException.class, assertThrows(ErrnoException.class, () -> f.fallocate(t, 0, 0, 5 * 4096)).getClass());
        assertEquals(2, small.statfs().bfree(), "the second call's pages are gone again");
        assertEquals(8, p.inode().getattr().blocks());
        assertEquals(4096, p.inode().size());
        f.fput();
    }

    @Test
    void punchingAHoleVisitsOnlyThePagesThatExist() {
        Task t = task(Cred.ROOT);
        File f = file.inode().open(t, file, Fcntl.O_RDWR);
        Attr.doTruncate(t, file.inode(), 1L << 60, true);
        f.pwrite(t, new byte[] {1, 2, 3}, 0, 3, 0);
        f.pwrite(t, new byte[] {4, 5, 6}, 0, 3, 1L << 50);
        assertEquals(16, file.inode().getattr().blocks(), "two pages");
        f.fallocate(t, RegularFile.FALLOC_FL_PUNCH_HOLE | RegularFile.FALLOC_FL_KEEP_SIZE, 1, (1L << 60) - 2);
        assertEquals(8, file.inode().getattr().blocks(), "the first page is only partly in the hole");
        byte[] b = new byte[3];
        f.pread(t, b, 0, 3, 0);
        assertArrayEquals(new byte[] {1, 0, 0}, b);
        f.pread(t, b, 0, 3, 1L << 50);
        assertArrayEquals(new byte[3], b);
        f.fallocate(t, RegularFile.FALLOC_FL_PUNCH_HOLE | RegularFile.FALLOC_FL_KEEP_SIZE, 0, 1L << 60);
        assertEquals(0, file.inode().getattr().blocks());
        assertEquals(1L << 60, file.inode().size());
        f.fput();
    }

    // ---- the lock table

    @Test
    void posixLocksSplitAndMerge() {
        Task t = task(Cred.ROOT);
        File f = file.inode().open(t, file, Fcntl.O_RDWR);
        Object a = new Object(), b = new Object();
        Locks.posixLock(t, f, a, 1, false, Flock.F_WRLCK, 0, 99, false);
        Locks.posixLock(t, f, a, 1, false, Flock.F_UNLCK, 40, 59, false);
        assertEquals(List.of(new FileLock(a, 1, false, Flock.F_WRLCK, 0, 39), new FileLock(a, 1, false, Flock.F_WRLCK, 60, 99)),
                Locks.locksOf(f));
        Locks.posixLock(t, f, a, 1, false, Flock.F_RDLCK, 40, 59, false);
        assertEquals(3, Locks.locksOf(f).size());
        Locks.posixLock(t, f, a, 1, false, Flock.F_WRLCK, 30, 69, false);
        assertEquals(List.of(new FileLock(a, 1, false, Flock.F_WRLCK, 0, 99)), Locks.locksOf(f), "merged back into one");
        assertEquals(Errno.EAGAIN, errno(() -> Locks.posixLock(t, f, b, 2, false, Flock.F_RDLCK, 99, 99, false)));
        Locks.posixLock(t, f, b, 2, false, Flock.F_RDLCK, 100, FileLock.OFFSET_MAX, false);
        Locks.posixLock(t, f, a, 1, false, Flock.F_RDLCK, 0, 99, false);
        Locks.posixLock(t, f, b, 2, false, Flock.F_RDLCK, 50, 60, false);
        assertEquals(new FileLock(b, 2, false, Flock.F_RDLCK, 50, 60), Locks.test(f, a, Flock.F_WRLCK, 0, 200),
                "the first conflicting lock in list order");
        Locks.ownerGone(b);
        assertEquals(List.of(new FileLock(a, 1, false, Flock.F_RDLCK, 0, 99)), Locks.locksOf(f));
        Locks.posixClose(f, a);
        assertEquals(List.of(), Locks.locksOf(f));
        f.fput();
    }

    @Test
    void adjacentLocksMergeEvenAtTheEndOfTheRange() {
        Task t = task(Cred.ROOT);
        File f = file.inode().open(t, file, Fcntl.O_RDWR);
        Object a = new Object();
        Locks.posixLock(t, f, a, 1, false, Flock.F_WRLCK, 10, FileLock.OFFSET_MAX, false);
        Locks.posixLock(t, f, a, 1, false, Flock.F_WRLCK, 0, 9, false);
        assertEquals(List.of(new FileLock(a, 1, false, Flock.F_WRLCK, 0, FileLock.OFFSET_MAX)), Locks.locksOf(f));
        Locks.posixLock(t, f, a, 1, false, Flock.F_UNLCK, 0, FileLock.OFFSET_MAX, false);
        assertEquals(List.of(), Locks.locksOf(f));
        f.fput();
    }

    @Test
    void theLastCloseReleasesOfdAndFlockLocks() {
        Task t = task(Cred.ROOT);
        File f = file.inode().open(t, file, Fcntl.O_RDWR);
        File g = file.inode().open(t, file, Fcntl.O_RDWR);
        Locks.posixLock(t, f, f, -1, true, Flock.F_WRLCK, 0, 9, false);
        Locks.flockLock(t, f, Flock.F_RDLCK, false);
        Locks.flockLock(t, g, Flock.F_RDLCK, false);
        assertEquals(Errno.EAGAIN, errno(() -> Locks.posixLock(t, g, g, -1, true, Flock.F_RDLCK, 5, 5, false)));
        assertEquals(Errno.EWOULDBLOCK, errno(() -> Locks.flockLock(t, g, Flock.F_WRLCK, false)));
        f.fput();
        Locks.posixLock(t, g, g, -1, true, Flock.F_WRLCK, 5, 5, false);
        Locks.flockLock(t, g, Flock.F_WRLCK, false);
        assertEquals(2, Locks.locksOf(g).size());
        g.fput();
        assertEquals(List.of(), Locks.locksOf(g));
    }

    @Test
    void lockRangesAreCheckedAsLinuxDoes() {
        Task t = task(Cred.ROOT);
        File f = file.inode().open(t, file, Fcntl.O_RDWR);
        assertArrayEquals(new long[] {90, 99}, Locks.range(f, Fcntl.SEEK_SET, 100, -10));
        assertArrayEquals(new long[] {0, FileLock.OFFSET_MAX}, Locks.range(f, Fcntl.SEEK_SET, 0, 0));
        assertEquals(Errno.EINVAL, errno(() -> Locks.range(f, Fcntl.SEEK_SET, 5, -6)));
        assertEquals(Errno.EOVERFLOW, errno(() -> Locks.range(f, Fcntl.SEEK_SET, Long.MAX_VALUE, 2)));
        assertEquals(Errno.EINVAL, errno(() -> Locks.range(f, 3, 0, 1)));
        f.fput();
    }

    // ---- statx

    @Test
    void statxPutsEveryFieldWhereStructStatxHasIt() {
        Kstat st = file.inode().getattr();
        byte[] b = StatSyscalls.fill(file, st, Statx.STATX_BASIC_STATS | Statx.STATX_BTIME | Statx.STATX_MNT_ID_UNIQUE);
        assertEquals(Statx.STATX_BASIC_STATS | Statx.STATX_BTIME | Statx.STATX_MNT_ID_UNIQUE, Uaccess.getInt(b, 0));
        assertEquals(Stat.S_IFREG | 0644, Uaccess.getInt(b, 0x1c) & 0xffff);
        assertEquals(st.ino(), Uaccess.getLong(b, 0x20));
        assertEquals(1, Uaccess.getLong(b, 0x50), "btime seconds");
        assertEquals((1L << 31) + mnt.id, Uaccess.getLong(b, 0x90));
        assertEquals(0x203070, Uaccess.getLong(b, 0x38), "tmpfs's attributes_mask");
        assertEquals(0, Uaccess.getLong(b, 0x08), "not the root of its mount");
        byte[] r = StatSyscalls.fill(dir, dir.inode().getattr(), 0);
        assertEquals(Statx.STATX_ATTR_MOUNT_ROOT, Uaccess.getLong(r, 0x08));
        assertEquals(Statx.STATX_MNT_ID | (Statx.STATX_BASIC_STATS & ~(Statx.STATX_MTIME | Statx.STATX_CTIME)),
                Uaccess.getInt(r, 0), "multigrain times: none asked, none given");
        assertEquals(mnt.id, Uaccess.getLong(r, 0x90));
    }

    private static int errno(org.junit.jupiter.api.function.Executable op) {
        return assertThrows(ErrnoException.class, op).errno;
    }
}
