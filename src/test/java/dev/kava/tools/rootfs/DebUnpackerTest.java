package dev.kava.tools.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacking .debs built in the test into a staging tree, and the manifest it leaves. */
class DebUnpackerTest {
    @TempDir
    Path tmp;

    private StagingTree tree(Path root) throws IOException {
        Files.createDirectories(root);
        StagingTree t = new StagingTree(root, new Manifest());
        new SystemFiles(t, s -> { }).mergedUsr();
        return t;
    }

    private DebUnpacker.Unpacked unpack(StagingTree t, TestDeb deb, List<String> warnings) throws IOException {
        return new DebUnpacker(t, warnings::add).unpack(new ByteArrayInputStream(deb.build()), "test.deb");
    }

    @Test
    void filesDirectoriesLinksModesAndOwners() throws IOException {
        for (String comp : List.of("xz", "zst", "gz", "none")) {
            Path root = tmp.resolve(comp);
            StagingTree t = tree(root);
            TestDeb deb = new TestDeb("hello", "1.0-1", "riscv64").compression(comp)
                    .dir("./", 0755)
                    .dir("./usr/", 0755).dir("./usr/bin/", 0755)
                    .file("./usr/bin/hello", 0755, "#!/bin/sh\necho hello\n")
                    .file("./usr/bin/passwd", 04755, 0, 0, "suid".getBytes(StandardCharsets.UTF_8))
                    .dir("./var/", 0755).dir("./var/mail/", 02775)
                    .file("./etc/shadow-ish", 0640, 0, 42, "secret".getBytes(StandardCharsets.UTF_8))
                    .symlink("./usr/bin/hi", "hello")
                    .hardlink("./usr/bin/hello2", "./usr/bin/hello")
                    .file("./bin/old-style", 0755, "packaged under /bin\n")
                    .chardev("./dev/null-ish", 0666, 1, 3)
                    .file("./usr/share/doc/hello/with space é", 0644, "odd name\n");
            List<String> warnings = new ArrayList<>();
            DebUnpacker.Unpacked u = unpack(t, deb, warnings);
            assertTrue(warnings.isEmpty(), warnings.toString());
            assertTrue(u.control().contains("Package: hello"), u.control());
            assertEquals("#!/bin/sh\necho hello\n", Files.readString(root.resolve("usr/bin/hello")));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/hello"))));
            assertEquals("hello", Files.readSymbolicLink(root.resolve("usr/bin/hi")).toString());
            assertEquals(Files.getAttribute(root.resolve("usr/bin/hello"), "unix:ino"), Files.getAttribute(root.resolve("usr/bin/hello2"), "unix:ino"));
            assertTrue(Files.isRegularFile(root.resolve("usr/bin/old-style"), LinkOption.NOFOLLOW_LINKS), "./bin is the merged-/usr symlink");
            assertTrue(Files.isSymbolicLink(root.resolve("bin")));
            Manifest m = t.manifest();
            assertEquals(04755, m.get("/usr/bin/passwd").mode(), "setuid kept in the manifest");
            assertEquals(02775, m.get("/var/mail").mode());
            assertEquals(42, m.get("/etc/shadow-ish").gid());
            assertEquals(Manifest.Type.SYMLINK, m.get("/usr/bin/hi").type());
            assertEquals("/usr/bin/hello", m.get("/usr/bin/hello2").hardlinkTo());
            assertEquals(Manifest.Type.CHAR, m.get("/dev/null-ish").type());
            assertEquals(3, m.get("/dev/null-ish").devMinor());
            assertTrue(Files.isRegularFile(root.resolve("dev/null-ish")), "a placeholder on disk");
            assertEquals(Manifest.Type.FILE, m.get("/usr/bin/old-style").type());
            assertTrue(u.paths().contains("/usr/bin/old-style"));
            assertTrue(Files.isRegularFile(root.resolve("usr/share/doc/hello/with space é")));
            assertEquals(1_700_000_000L, Files.getLastModifiedTime(root.resolve("usr/bin/hello")).toMillis() / 1000);

            // The manifest survives a round trip through its file.
            Path mf = tmp.resolve(comp + ".mtree");
            m.write(mf);
            Manifest back = Manifest.read(mf);
            assertEquals(m.entries(), back.entries());
            String text = Files.readString(mf);
            assertTrue(text.contains("./usr/bin/passwd type=file mode=4755 uid=0 gid=0\n"), text);
            assertTrue(text.contains("./usr/share/doc/hello/with\\040space\\040\\303\\251 type=file"), text);
            assertTrue(text.contains("./dev/null-ish type=char mode=0666 uid=0 gid=0 device=linux,1,3\n"), text);
            assertTrue(text.contains("./bin type=link mode=0777 uid=0 gid=0 link=usr/bin\n"), text);
        }
    }

    @Test
    void namesAndSymlinksCannotEscapeTheTree() throws IOException {
        Path root = tmp.resolve("root");
        StagingTree t = tree(root);
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        // ".." in a name is refused outright.
        RootfsException e = assertThrows(RootfsException.class,
                () -> unpack(t, new TestDeb("evil", "1", "all").file("./../outside/x", 0644, "x"), new ArrayList<>()));
        assertTrue(e.getMessage().contains(".."), e.getMessage());
        // A symlink to an absolute host path, then a file through it: lands inside the tree.
        unpack(t, new TestDeb("evil2", "1", "all")
                .symlink("./usr/lib/escape", outside.toString())
                .symlink("./usr/lib/up", "../../../../../../..")
                .file("./usr/lib/escape/owned", 0644, "x")
                .file("./usr/lib/up/tmp/owned2", 0644, "y"), new ArrayList<>());
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing was written outside the tree");
        }
        assertTrue(Files.isRegularFile(root.resolve(outside.toString().substring(1)).resolve("owned")), "the absolute target is inside the tree");
        assertTrue(Files.isRegularFile(root.resolve("tmp/owned2")), ".. stops at the tree's root");
    }

    @Test
    void laterPackagesReplaceFilesButNotDirectories() throws IOException {
        Path root = tmp.resolve("r");
        StagingTree t = tree(root);
        List<String> warnings = new ArrayList<>();
        unpack(t, new TestDeb("a", "1", "all").file("./etc/conf", 0644, "a").dir("./opt/", 0755).file("./opt/x", 0644, "x"), warnings);
        unpack(t, new TestDeb("b", "1", "all").file("./etc/conf", 0600, "b").file("./opt", 0644, "file over dir").dir("./bin/", 0755), warnings);
        assertEquals("b", Files.readString(root.resolve("etc/conf")));
        assertEquals(0600, t.manifest().get("/etc/conf").mode());
        assertTrue(Files.isDirectory(root.resolve("opt")), "a directory is not replaced by a file");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(Files.isSymbolicLink(root.resolve("bin")), "a directory entry keeps merged /usr's symlink");
    }

    @Test
    void notADeb() {
        StagingTree t = new StagingTree(tmp, new Manifest());
        assertThrows(Exception.class, () -> new DebUnpacker(t, s -> { })
                .unpack(new ByteArrayInputStream("!<arch>\nnot really".getBytes(StandardCharsets.US_ASCII)), "bad.deb"));
        assertFalse(Files.exists(tmp.resolve("usr")));
    }
}
