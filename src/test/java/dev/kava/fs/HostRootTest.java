package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The root's path walk: symlinks and ".." resolve inside the root, as in a chroot, and errors are Linux's. */
class HostRootTest {
    @TempDir
    Path outside;
    Path rootDir;
    HostRoot root;

    @BeforeEach
    void setUp() throws IOException {
        rootDir = Files.createDirectories(outside.resolve("root"));
        Files.writeString(outside.resolve("secret"), "host file outside the root");
        Files.createDirectories(rootDir.resolve("etc"));
        Files.writeString(rootDir.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(rootDir.resolve("a/b"));
        Files.createSymbolicLink(rootDir.resolve("a/up"), Path.of("../../../../secret"));
        Files.createSymbolicLink(rootDir.resolve("a/abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(rootDir.resolve("a/hostabs"), outside.resolve("secret"));
        Files.createSymbolicLink(rootDir.resolve("a/dir"), Path.of("b"));
        Files.createSymbolicLink(rootDir.resolve("self"), Path.of("self"));
        root = new HostRoot(rootDir);
    }

    /** The links point outside the temporary directory on purpose; remove them before JUnit cleans up. */
    @org.junit.jupiter.api.AfterEach
    void removeLinks() throws IOException {
        for (String l : new String[]{"a/up", "a/abs", "a/hostabs", "a/dir", "self"}) Files.deleteIfExists(rootDir.resolve(l));
    }

    int errno(String base, String path, boolean follow) {
        return assertThrows(ErrnoException.class, () -> root.lookup(base, path, follow)).errno;
    }

    @Test
    void dotDotStopsAtTheRoot() {
        HostRoot.Resolved r = root.lookup("/", "/../../../etc/passwd", true);
        assertEquals("/etc/passwd", r.guestPath());
        assertEquals(rootDir.resolve("etc/passwd").toAbsolutePath().normalize(), r.hostPath().toAbsolutePath().normalize());
        assertEquals("/", root.lookup("/a/b", "../../..", true).guestPath());
    }

    @Test
    void symlinksResolveInsideTheRoot() {
        assertEquals(Errno.ENOENT, errno("/", "/a/up", true), "../../.. in a link cannot climb out");
        assertEquals("/etc/passwd", root.lookup("/", "/a/abs", true).guestPath(), "absolute links start at the guest root");
        assertEquals(Errno.ENOENT, errno("/", "/a/hostabs", true), "a host path in a link means nothing in the guest");
        assertEquals("/a/b", root.lookup("/a", "dir", true).guestPath());
        assertTrue(root.lookup("/", "/a/abs", false).stat().isSymlink(), "the last link is not followed when asked");
        assertEquals("/a/b", root.lookup("/", "/a/dir/", false).guestPath(), "a trailing slash follows it anyway");
    }

    @Test
    void errorsAreLinuxs() {
        assertEquals(Errno.ENOENT, errno("/", "/nope", true));
        assertEquals(Errno.ENOENT, errno("/", "", true));
        assertEquals(Errno.ENOTDIR, errno("/", "/etc/passwd/x", true));
        assertEquals(Errno.ENOTDIR, errno("/", "/etc/passwd/", true));
        assertEquals(Errno.ENOTDIR, errno("/", "/etc/passwd/..", true));
        assertEquals(Errno.ELOOP, errno("/", "/self", true));
        assertEquals(Errno.ENAMETOOLONG, errno("/", "/" + "x".repeat(256), true));
        assertEquals(Errno.EROFS, assertThrows(ErrnoException.class,
                () -> root.open(root.lookup("/", "/etc/passwd", true), dev.kava.abi.Fcntl.O_WRONLY)).errno);
    }
}
