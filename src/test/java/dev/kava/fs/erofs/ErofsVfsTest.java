package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.fs.Directory;
import dev.kava.fs.ExecFile;
import dev.kava.fs.File;
import dev.kava.fs.Inode;
import dev.kava.fs.Kstat;
import dev.kava.kernel.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VFS face of EROFS: superblock, inodes, open files, errors as errnos (and logged). */
class ErofsVfsTest {
    @Test
    void vfsOperations(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("t");
        Files.createDirectories(tree.resolve("bin"));
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 / 7);
        Files.write(tree.resolve("bin/prog"), big);
        Files.createSymbolicLink(tree.resolve("ln"), Path.of("bin/prog"));
        Files.getFileAttributeView(tree.resolve("bin/prog"), java.nio.file.attribute.UserDefinedFileAttributeView.class)
                .write("a", ByteBuffer.wrap(new byte[]{7}));
        Path img = dir.resolve("i.img");
        MkfsErofs.Options o = new MkfsErofs.Options();
        o.algorithm = ErofsFormat.Z_EROFS_COMPRESSION_LZMA;
        o.fixedTime = 1_600_000_000L;
        MkfsErofs.build(tree, img, o);

        List<String> log = new ArrayList<>();
        ErofsSuperBlock sb = ErofsSuperBlock.mount(img, () -> 0L, log::add);
        assertEquals("erofs", sb.type());
        assertTrue(sb.readOnly());
        assertEquals(0xE0F5E1E2L, sb.statfs().type());
        assertEquals(255, sb.statfs().namelen());
        Inode root = sb.root().inode();
        assertTrue(root.isDir());
        List<String> names = root.list().stream().map(Directory.Entry::name).sorted().toList();
        assertEquals(List.of("bin", "ln"), names);
        assertNull(root.lookup("nope"));
        Inode ln = root.lookup("ln");
        assertEquals("bin/prog", ln.readlink());
        Inode bin = root.lookup("bin");
        Inode prog = bin.lookup("prog");
        assertTrue(prog.same(bin.lookup("prog")));
        Kstat st = prog.getattr();
        assertEquals(big.length, st.size());
        assertEquals(1_600_000_000L, st.mtimeSec());
        assertTrue(st.blocks() > 0 && st.blocks() < big.length / 512, "compressed blocks " + st.blocks());
        assertEquals(List.of("user.a"), prog.listxattr());
        assertArrayEquals(new byte[]{7}, prog.getxattr("user.a"));
        assertEquals(Errno.ENODATA, assertThrows(ErrnoException.class, () -> prog.getxattr("user.b")).errno);
        assertEquals(Errno.EROFS, assertThrows(ErrnoException.class, () -> prog.setMode(0777)).errno);
        assertEquals(Errno.EROFS, assertThrows(ErrnoException.class, () -> prog.open(null, null, Fcntl.O_RDWR)).errno);

        File f = prog.open(null, null, Fcntl.O_RDONLY);
        ExecFile ef = (ExecFile) f;
        assertEquals(big.length, ef.size());
        byte[] got = new byte[big.length];
        assertEquals(big.length, ef.readAt(got, 0, got.length, 0));
        assertArrayEquals(big, got);
        byte[] part = new byte[1000];
        assertEquals(1000, f.pread(null, part, 0, 1000, 123_456));
        for (int i = 0; i < 1000; i++) assertEquals(big[123_456 + i], part[i]);
        assertEquals(big.length - 10, f.lseek(-10, Fcntl.SEEK_END));
        assertEquals(10, f.read(null, part, 0, 1000));
        assertEquals(0, f.read(null, part, 0, 1000));
        assertEquals(5, f.lseek(5, Fcntl.SEEK_DATA));
        assertEquals(big.length, f.lseek(5, Fcntl.SEEK_HOLE));
        assertEquals(Stat.S_IFREG, prog.type());

        // A corrupted pcluster: reads of that file fail with EIO and are logged; the mount lives on.
        byte[] image = Files.readAllBytes(img);
        ErofsImage e = sb.image();
        ErofsImage.Extent x = e.mapCompressed(((ErofsInode) prog).node, 0);
        for (int i = 0; i < 200; i++) image[(int) (x.pa() + x.plen() - 1 - i)] ^= 0x33;
        Path bad = dir.resolve("bad.img");
        Files.write(bad, image);
        ErofsSuperBlock sb2 = ErofsSuperBlock.mount(bad, () -> 0L, log::add);
        Inode p2 = sb2.root().inode().lookup("bin").lookup("prog");
        File f2 = p2.open(null, null, Fcntl.O_RDONLY);
        int errno = assertThrows(ErrnoException.class, () -> f2.pread(null, new byte[100], 0, 100, 0)).errno;
        assertTrue(errno == Errno.EIO || errno == Errno.EUCLEAN, Errno.name(errno));
        assertTrue(log.stream().anyMatch(m -> m.contains("erofs")), log.toString());
        assertEquals("bin/prog", sb2.root().inode().lookup("ln").readlink());
    }
}
