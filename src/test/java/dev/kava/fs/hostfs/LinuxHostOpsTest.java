package dev.kava.fs.hostfs;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The libc fast paths of hostfs agree with the portable ones they replace: statx against NIO's
 * lstat attributes, and openat2(RESOLVE_NO_SYMLINKS) against toRealPath for "this directory
 * path resolves to itself".
 */
class LinuxHostOpsTest {
    @TempDir
    Path tmp;
    Path dir;
    LinuxHostOps ops;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(LinuxHostOps.available(), "no native host calls here");
        ops = new LinuxHostOps();
        dir = tmp.toRealPath();
    }

    /** What HostFs read before: NIO's unix view, in the LSTAT_* order. */
    static long[] nio(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p,
                "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastAccessTime,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        FileTime at = (FileTime) a.get("lastAccessTime"), mt = (FileTime) a.get("lastModifiedTime"), ct = (FileTime) a.get("ctime");
        return new long[]{(Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("rdev"),
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                at.toInstant().getEpochSecond(), at.toInstant().getNano(), mt.toInstant().getEpochSecond(), mt.toInstant().getNano(),
                ct.toInstant().getEpochSecond(), ct.toInstant().getNano()};
    }

    @Test
    void statxGivesWhatNioGives() throws IOException {
        Path f = Files.writeString(dir.resolve("file"), "twelve bytes");
        Path d = Files.createDirectories(dir.resolve("dir"));
        Path l = Files.createSymbolicLink(dir.resolve("link"), Path.of("file"));
        Files.createLink(dir.resolve("hard"), f);
        List<Path> paths = new java.util.ArrayList<>(List.of(f, d, l, dir));
        for (String dev : List.of("/dev/null", "/dev/zero")) if (Files.exists(Path.of(dev))) paths.add(Path.of(dev));
        for (Path p : paths) {
            long[] fast = ops.lstat(p);
            assertNotNull(fast, "statx is there on any Linux since 4.11 and glibc since 2.28");
            assertArrayEquals(nio(p), fast, p.toString());
        }
        assertThrows(NoSuchFileException.class, () -> ops.lstat(dir.resolve("missing")));
    }

    @Test
    void openat2AgreesWithToRealPath() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(dir.resolve("a/file"), "x");
        Files.createSymbolicLink(dir.resolve("a/up"), Path.of(".."));
        Files.createSymbolicLink(dir.resolve("a/self"), Path.of("."));
        Files.createSymbolicLink(dir.resolve("a/toc"), dir.resolve("a/b/c"));
        Files.createSymbolicLink(dir.resolve("a/dangling"), Path.of("nowhere"));
        for (String rel : List.of("a", "a/b", "a/b/c", "a/file", "a/up", "a/self", "a/toc", "a/toc/..", "a/self/b",
                "a/dangling", "a/missing", "a/missing/x", "a/up/a/b")) {
            Path p = dir.resolve(rel);
            boolean expected;
            try {
                expected = p.toRealPath().equals(p);
            } catch (NoSuchFileException e) {
                expected = false;
            }
            assertEquals(expected, ops.resolvesToItself(p), rel);
        }
        assertEquals(true, ops.resolvesToItself(a));
    }
}
