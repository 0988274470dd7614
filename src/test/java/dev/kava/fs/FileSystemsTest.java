package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Mount;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.mm.PageAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filesystem type registry, mount option parsing, and tmpfs's options (mm/shmem.c). */
class FileSystemsTest {
    static final PageAllocator MEMORY = new PageAllocator(1 << 18); // 1 GiB

    static Tmpfs tmpfs(String options) {
        int[] sb = {0};
        return Tmpfs.create(MEMORY, () -> 0, null, FileSystems.parse(options, sb));
    }

    static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno;
    }

    @Test
    void tmpfsIsRegisteredAndNullfsIsNot() {
        assertNotNull(FileSystems.get("tmpfs"));
        assertNull(FileSystems.get("nullfs"), "mount -t nullfs must be ENODEV");
        assertTrue(FileSystems.list().stream().anyMatch(t -> t.name().equals("tmpfs") && !t.requiresDev()));
        assertEquals(Errno.EBUSY, errno(() -> FileSystems.register("tmpfs", false, (k, s, f, p) -> null)));
    }

    @Test
    void genericWordsBecomeSuperblockFlags() {
        int[] sb = {Mount.MS_SYNCHRONOUS};
        List<FileSystems.Param> p = FileSystems.parse("ro,,size=1m,async,mode=0700,noswap", sb);
        assertEquals(Mount.MS_RDONLY, sb[0]);
        assertEquals(List.of(new FileSystems.Param("size", "1m"), new FileSystems.Param("mode", "0700"),
                new FileSystems.Param("noswap", null)), p);
        sb[0] = Mount.MS_RDONLY;
        assertEquals(List.of(), FileSystems.parse("rw", sb));
        assertEquals(0, sb[0]);
        assertEquals(List.of(), FileSystems.parse(null, sb));
    }

    @Test
    void memparseReadsCNumbersWithSuffixes() {
        assertArrayEquals(new long[]{1 << 20, 2}, FileSystems.memparse("1m"));
        assertArrayEquals(new long[]{0x10L << 30, 5}, FileSystems.memparse("0x10G"));
        assertArrayEquals(new long[]{8, 3}, FileSystems.memparse("010"));
        assertArrayEquals(new long[]{5, 1}, FileSystems.memparse("5%"));
        assertArrayEquals(new long[]{0, 0}, FileSystems.memparse("abc"));
        assertArrayEquals(new long[]{0, 1}, FileSystems.memparse("0x"), "0x without a hex digit is an octal 0");
    }

    @Test
    void tmpfsOptions() {
        Tmpfs t = tmpfs("size=1m,nr_inodes=10,mode=700,uid=12,gid=34");
        assertEquals(256, t.statfs().blocks());
        assertEquals(10, t.statfs().files());
        Inode root = t.root().inode();
        assertEquals(040700, root.mode());
        assertEquals(12, root.uid());
        assertEquals(34, root.gid());
        assertEquals(",size=1024k,nr_inodes=10,mode=700,uid=12,gid=34", t.options());
        assertEquals("", tmpfs(null).options(), "the defaults are not shown");
        assertEquals(128 * 1024, tmpfs("size=50%").statfs().blocks(), "half of 1 GiB in pages");
        assertEquals(1, tmpfs("size=1").statfs().blocks(), "rounded up to a page");
        assertEquals(0, tmpfs("size=0,nr_inodes=0").statfs().blocks(), "0 is unlimited");
        for (String bad : new String[]{"size=abc", "size=1q", "size", "mode=9", "uid=-1", "uid=4294967295", "gid=x",
                "nosuch", "noswap=1", "huge=sometimes", "nr_inodes=1k2"}) {
            assertEquals(Errno.EINVAL, errno(() -> tmpfs(bad)), bad);
        }
        tmpfs("huge=never,inode64,inode32,noswap,size=0x100000,uid=+5");
    }

    @Test
    void remountChangesSizeNotBelowUse() {
        Tmpfs t = tmpfs("size=1m,nr_inodes=3");
        Inode root = t.root().inode();
        root.mkdir("a", 0755, Cred.ROOT);
        root.mkdir("b", 0755, Cred.ROOT);
        assertEquals(Errno.ENOSPC, errno(() -> root.mkdir("c", 0755, Cred.ROOT)), "nr_inodes counts the root");
        assertEquals(Errno.EINVAL, errno(() -> t.reconfigure(false, FileSystems.parse("nr_inodes=2", new int[1]))));
        t.reconfigure(false, FileSystems.parse("nr_inodes=4,size=2m,mode=0", new int[1]));
        root.mkdir("c", 0755, Cred.ROOT);
        assertEquals(512, t.statfs().blocks());
        assertEquals(041777, root.mode(), "mode= is not changed by a remount");
        t.reconfigure(true, List.of());
        assertTrue(t.readOnly());
        t.reconfigure(false, List.of());
        Tmpfs unlimited = tmpfs("size=0");
        assertEquals(Errno.EINVAL, errno(() -> unlimited.reconfigure(false, FileSystems.parse("size=1m", new int[1]))),
                "Cannot retroactively limit size");
        Tmpfs noswap = tmpfs("noswap");
        assertEquals(Errno.EINVAL, errno(() -> noswap.reconfigure(false, List.of())), "swap cannot be enabled again");
        noswap.reconfigure(false, FileSystems.parse("noswap", new int[1]));
        assertEquals(Errno.EINVAL, errno(() -> t.reconfigure(false, FileSystems.parse("noswap", new int[1]))),
                "Cannot disable swap on remount");
    }

    @Test
    void aHardReadOnlyFilesystemCannotBeRemountedWritable() {
        SuperBlock ro = new dev.kava.fs.nullfs.NullFs(() -> 0);
        assertTrue(ro.readOnly());
        assertEquals(Errno.EACCES, errno(() -> ro.reconfigure(false, List.of())));
        ro.reconfigure(true, List.of());
        assertEquals(Errno.EINVAL, errno(() -> ro.reconfigure(true, FileSystems.parse("size=1", new int[1]))));
    }
}
