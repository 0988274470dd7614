package dev.kava.fs.tmpfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.mm.PageAllocator;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tmpfs's inode operations as mm/shmem.c has them: link counts, sizes, timestamps, inode accounting, whiteouts. */
class ShmemInodeTest {
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final Tmpfs fs = new Tmpfs("tmpfs", "tmpfs", clock::get, PageAllocator.UNLIMITED, 1 << 20, 100, 01777);
    final Inode root = fs.root().inode();
    final Cred user = new Cred(1000, 1000, 1000, 1000, 100, 100, 100, 100);

    long ctime(Inode i) {
        Kstat k = i.getattr();
        return k.ctimeSec() * 1_000_000_000L + k.ctimeNsec();
    }

    long mtime(Inode i) {
        Kstat k = i.getattr();
        return k.mtimeSec() * 1_000_000_000L + k.mtimeNsec();
    }

    void tick() {
        clock.addAndGet(1_000_000);
    }

    @Test
    void directoriesCountTheirSubdirectoriesAndEntries() {
        assertEquals(2, root.nlink());
        assertEquals(40, root.size(), "an empty directory is 2 * BOGO_DIRENT_SIZE");
        assertEquals(0, root.getattr().blocks());
        Inode d = root.mkdir("d", 0755, user);
        root.create("f", 0644, user);
        assertEquals(3, root.nlink());
        assertEquals(80, root.size());
        assertEquals(1000, d.uid());
        root.rmdir("d", d);
        assertEquals(0, d.nlink());
        assertEquals(2, root.nlink());
        assertEquals(60, root.size());
        Inode s = root.symlink("s", "x".repeat(127), user);
        assertEquals(0, s.getattr().blocks(), "a short target lives in the inode");
        Inode l = root.symlink("l", "x".repeat(128), user);
        assertEquals(8, l.getattr().blocks(), "a long one in a page");
        assertEquals(128, l.size());
    }

    @Test
    void everyNameCostsAnInode() {
        Tmpfs fs = new Tmpfs("tmpfs", "tmpfs", clock::get, PageAllocator.UNLIMITED, 1 << 20, 6, 01777);
        Inode root = fs.root().inode();
        Inode f = root.create("f", 0644, user); // the root and f: 2 of 6
        root.link(f, "g");
        root.link(f, "h");
        root.link(f, "i");
        root.link(f, "j"); // 6 of 6
        assertEquals(5, f.nlink());
        assertEquals(Errno.ENOSPC, assertThrows(ErrnoException.class, () -> root.link(f, "k")).errno);
        root.unlink("j", f);
        root.link(f, "k");
        assertEquals(0, fs.statfs().ffree());
        for (String n : new String[]{"f", "g", "h", "i", "k"}) root.unlink(n, f);
        assertEquals(5, fs.statfs().ffree(), "all back but the root's");
        Inode t = root.tmpfile(0600, user);
        assertEquals(0, t.nlink());
        root.link(t, "named");
        assertEquals(1, t.nlink());
        assertEquals(4, fs.statfs().ffree(), "an O_TMPFILE file's first name is free");
    }

    @Test
    void timestampsFollowLinux() {
        Inode d = root.mkdir("d", 0755, user);
        Inode f = d.create("f", 0644, user);
        long rootM = mtime(root), dM = mtime(d), fC = ctime(f);
        tick();
        d.rename("f", root, "g", 0, user);
        assertTrue(mtime(root) > rootM && mtime(d) > dM && ctime(f) > fC, "both directories and the inode");
        Inode e = root.mkdir("e", 0755, user);
        long eC = ctime(e);
        tick();
        root.rmdir("e", e);
        assertTrue(ctime(e) > eC, "rmdir changes the directory's ctime");
        long gC = ctime(f);
        Inode h = root.create("h", 0644, user);
        long hC = ctime(h);
        tick();
        root.rename("g", root, "h", Fcntl.RENAME_EXCHANGE, user);
        assertTrue(ctime(f) > gC && ctime(h) > hC, "an exchange changes both inodes");
        assertSame(f, root.lookup("h"));
        assertSame(h, root.lookup("g"));
    }

    @Test
    void renameMovesLinksOfDirectories() {
        Inode a = root.mkdir("a", 0755, user);
        Inode b = root.mkdir("b", 0755, user);
        a.mkdir("sub", 0755, user);
        assertEquals(3, a.nlink());
        a.rename("sub", b, "sub", 0, user);
        assertEquals(2, a.nlink());
        assertEquals(3, b.nlink());
        Inode empty = a.mkdir("empty", 0755, user);
        b.rename("sub", a, "empty", 0, user);
        assertEquals(0, empty.nlink(), "the replaced directory is gone");
        assertEquals(3, a.nlink());
        assertEquals(2, b.nlink());
        Inode full = a.mkdir("full", 0755, user);
        full.create("x", 0644, user);
        assertEquals(Errno.ENOTEMPTY, assertThrows(ErrnoException.class, () -> a.rename("empty", a, "full", 0, user)).errno);
        Inode file = b.create("file", 0644, user);
        a.rename("full", b, "file", Fcntl.RENAME_EXCHANGE, user);
        assertEquals(3, a.nlink(), "a lost a directory and gained a file");
        assertEquals(3, b.nlink());
        assertSame(file, a.lookup("full"));
    }

    @Test
    void aWhiteoutTakesTheOldName() {
        Inode f = root.create("f", 0644, user);
        root.rename("f", root, "g", Fcntl.RENAME_WHITEOUT, user);
        Inode w = root.lookup("f");
        assertEquals(Stat.S_IFCHR, w.mode());
        assertEquals(0, w.getattr().rdev());
        assertEquals(1000, w.uid());
        assertSame(f, root.lookup("g"));
        assertEquals(80, root.size());
        assertNull(root.lookup("h"));
    }
}
