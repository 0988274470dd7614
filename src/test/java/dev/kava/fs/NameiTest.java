package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.fs.hostfs.HostFs;
import dev.kava.fs.nullfs.NullFs;
import dev.kava.fs.tmpfs.Tmpfs;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.mm.PageAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path walk over a hostfs root on nullfs: symlinks and ".." resolve inside the root, as in
 * a chroot; mounts are crossed both ways; errors are Linux's.
 */
class NameiTest {
    @TempDir
    Path outside;
    Path rootDir;
    MountNamespace ns;
    FsPath root;

    @BeforeEach
    void setUp() throws IOException {
        rootDir = Files.createDirectories(outside.resolve("root"));
        Files.writeString(outside.resolve("secret"), "host file outside the root");
        Files.createDirectories(rootDir.resolve("etc"));
        Files.createDirectories(rootDir.resolve("tmp"));
        Files.writeString(rootDir.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(rootDir.resolve("a/b"));
        Files.createSymbolicLink(rootDir.resolve("a/up"), Path.of("../../../../secret"));
        Files.createSymbolicLink(rootDir.resolve("a/abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(rootDir.resolve("a/hostabs"), outside.resolve("secret"));
        Files.createSymbolicLink(rootDir.resolve("a/dir"), Path.of("b"));
        Files.createSymbolicLink(rootDir.resolve("self"), Path.of("self"));
        NullFs nullfs = new NullFs(() -> 0);
        ns = new MountNamespace(nullfs);
        HostFs hostfs = new HostFs(rootDir, true, () -> 0);
        ns.attach(MountNamespace.newMount(hostfs, hostfs.root(), dev.kava.abi.Mount.MS_RDONLY), new FsPath(ns.root(), nullfs.root()));
        root = ns.rootPath();
    }

    /** The links point outside the temporary directory on purpose; remove them before JUnit cleans up. */
    @AfterEach
    void removeLinks() throws IOException {
        for (String l : new String[]{"a/up", "a/abs", "a/hostabs", "a/dir", "self"}) Files.deleteIfExists(rootDir.resolve(l));
    }

    FsPath lookup(String path, boolean follow) {
        return Namei.kernLookup(Cred.ROOT, root, root, path, follow);
    }

    String name(FsPath p) {
        return MountNamespace.path(p, root);
    }

    int errno(String path, boolean follow) {
        return assertThrows(ErrnoException.class, () -> lookup(path, follow)).errno;
    }

    @Test
    void theRootSitsOnNullfsMountOne() {
        // Mount IDs are per kernel (per initial namespace), whatever other kernels this JVM made.
        assertSame(ns.root(), ns.mounts().get(0), "nullfs is the namespace's first mount");
        assertEquals(1, ns.root().id, "nullfs is mount 1");
        assertEquals(2, root.mnt().id, "the root is mount 2");
        assertEquals(NullFs.NULL_FS_MAGIC, ns.root().sb.magic());
        assertEquals("hostfs", root.mnt().sb.type());
        assertSame(root.mnt(), lookup("/..", true).mnt(), ".. at the root stays at the root");
    }

    @Test
    void dotDotStopsAtTheRoot() {
        assertEquals("/etc/passwd", name(lookup("/../../../etc/passwd", true)));
        assertEquals("/", name(lookup("/a/b/../../..", true)));
    }

    @Test
    void symlinksResolveInsideTheRoot() {
        assertEquals(Errno.ENOENT, errno("/a/up", true), "../../.. in a link cannot climb out");
        assertEquals("/etc/passwd", name(lookup("/a/abs", true)), "absolute links start at the guest root");
        assertEquals(Errno.ENOENT, errno("/a/hostabs", true), "a host path in a link means nothing in the guest");
        assertEquals("/a/b", name(lookup("/a/dir", true)));
        assertTrue(lookup("/a/abs", false).inode().isSymlink(), "the last link is not followed when asked");
        assertEquals("/a/b", name(lookup("/a/dir/", false)), "a trailing slash follows it anyway");
    }

    @Test
    void errorsAreLinuxs() {
        assertEquals(Errno.ENOENT, errno("/nope", true));
        assertEquals(Errno.ENOENT, errno("", true));
        assertEquals(Errno.ENOTDIR, errno("/etc/passwd/x", true));
        assertEquals(Errno.ENOTDIR, errno("/etc/passwd/", true));
        assertEquals(Errno.ENOTDIR, errno("/etc/passwd/..", true));
        assertEquals(Errno.ELOOP, errno("/self", true));
        assertEquals(Errno.ENAMETOOLONG, errno("/" + "x".repeat(256), true));
    }

    @Test
    void mountsAreCrossedBothWays() {
        Tmpfs tmp = new Tmpfs("tmpfs", "tmpfs", () -> 0, PageAllocator.UNLIMITED, 1 << 20, 100, 01777);
        FsPath where = lookup("/tmp", true);
        ns.attach(MountNamespace.newMount(tmp, tmp.root(), 0), where);
        FsPath t = lookup("/tmp", true);
        assertSame(tmp, t.mnt().sb, "the walk goes down into the mount");
        tmp.root().inode().mkdir("sub", 0755, Cred.ROOT);
        assertEquals("/tmp/sub", name(lookup("/tmp/sub", true)));
        assertEquals("/etc/passwd", name(lookup("/tmp/sub/../../etc/passwd", true)), ".. climbs out of the mount");
        assertEquals("hostfs", lookup("/tmp/..", true).mnt().sb.type());
        ns.detachTree(t.mnt());
        assertEquals("hostfs", lookup("/tmp", true).mnt().sb.type(), "unmounted: the directory below shows again");
    }
}
