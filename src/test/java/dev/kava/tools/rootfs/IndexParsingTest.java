package dev.kava.tools.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deb822, Release, Packages and relationship-field parsing; apt source discovery. */
class IndexParsingTest {
    static String resource(String name) {
        try (InputStream in = IndexParsingTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deb822ParagraphsFieldsAndContinuations() {
        List<Deb822.Paragraph> ps = Deb822.parse("A: 1\nb-Field:  two  \n more\n .\n last\n\n\n# comment\nA: 3\n");
        assertEquals(2, ps.size());
        assertEquals("1", ps.get(0).get("a"), "field names are case-insensitive");
        assertEquals("two\nmore\n\nlast", ps.get(0).get("B-FIELD"));
        assertEquals("3", ps.get(1).get("A"));
        assertThrows(IllegalArgumentException.class, () -> Deb822.parse(" continuation first\n"));
        assertThrows(IllegalArgumentException.class, () -> Deb822.parse("no colon here\n"));
    }

    @Test
    void releaseFile() {
        ReleaseFile r = ReleaseFile.parse(resource("Release.fixture"));
        assertEquals("Debian", r.origin());
        assertEquals("trixie", r.codename());
        assertEquals("13.8", r.version());
        assertTrue(r.isSuite("trixie") && r.isSuite("stable") && !r.isSuite("bookworm"));
        assertEquals(Instant.parse("2026-11-21T09:15:44Z"), r.date());
        assertEquals(Instant.parse("2026-11-28T09:15:44Z"), r.validUntil());
        assertTrue(r.acquireByHash());
        assertEquals(List.of("all", "amd64", "arm64", "riscv64"), r.architectures());
        ReleaseFile.IndexEntry xz = r.sha256().get("main/binary-riscv64/Packages.xz");
        assertEquals(9387120, xz.size());
        assertEquals("a".repeat(64), xz.sha256(), "hashes are normalised to lower case");
        assertEquals(3, r.sha256().size(), "only the SHA256 field is read");
        assertThrows(IllegalArgumentException.class, () -> ReleaseFile.parse("Origin: x\nSHA256:\n abc 1 f\n"), "no Date");
        assertThrows(IllegalArgumentException.class, () -> ReleaseFile.parse("Date: Sat, 21 Nov 2026 09:15:44 UTC\nSHA256:\n abc 1 f\n"));
    }

    @Test
    void releaseDatesInTheFormsAptAccepts() {
        Instant t = Instant.parse("2026-11-21T09:15:44Z");
        assertEquals(t, ReleaseFile.parseDate("Sat, 21 Nov 2026 09:15:44 UTC"));
        assertEquals(t, ReleaseFile.parseDate("Sat, 21 Nov 2026 09:15:44 GMT"));
        assertEquals(t, ReleaseFile.parseDate("Sat, 21 Nov 2026 09:15:44 +0000"));
        assertEquals(t, ReleaseFile.parseDate("Sat, 21 Nov 2026 10:15:44 +0100"));
        assertEquals(t, ReleaseFile.parseDate("Sat,  21 Nov 2026 09:15:44 Z"));
        assertThrows(IllegalArgumentException.class, () -> ReleaseFile.parseDate("yesterday"));
    }

    @Test
    void packagesIndexKeepsTheArchitectureAndAll() {
        PackageIndex idx = PackageIndex.parse(resource("Packages.fixture"), "riscv64");
        List<BinaryPackage> libc = idx.versions("libc6");
        assertEquals(2, libc.size(), "the amd64 libc6 is not ours");
        assertEquals("2.41-12", libc.get(0).version().toString(), "newest first");
        BinaryPackage bb = idx.versions("busybox-static").get(0);
        assertEquals("1:1.37.0-6+b9", bb.version().toString());
        assertEquals("pool/main/b/busybox/busybox-static_1.37.0-6+b9_riscv64.deb", bb.filename());
        assertEquals(941532, bb.size());
        assertEquals("4add476d2b185c5b487c285b38d790f0881a7e4a8e2ddde835f917e770eb8633", bb.sha256());
        assertEquals(List.of("busybox-static"), idx.providers("busybox").stream().map(p -> p.pkg().name()).toList());
        assertEquals("all", idx.versions("busybox-syslogd").get(0).architecture());
        assertEquals("same", libc.get(0).multiArch());
        assertEquals("no", bb.multiArch());
        assertEquals(0, idx.versions("mawk").get(0).priorityRank());
        BinaryPackage gcc = idx.versions("libgcc-s1").get(0);
        assertEquals(1, gcc.preDepends().size());
        assertEquals("libc6 (>= 2.35)", gcc.preDepends().get(0).get(0).toString());
        assertEquals("libgcc1 (= 1:14.2.0-19)", gcc.provides().get(0).toString());
        assertFalse(idx.isKnown("nothing-like-this"));
    }

    @Test
    void relationshipFields() {
        List<List<Dependency>> f = Dependency.parseField(
                "libc6 (>= 2.38), busybox (>> 1:1.37.0) | busybox-static (>> 1:1.37.0),python3:any (>= 3.11~),  foo:native ,"
                        + " bar [amd64] , baz [!amd64], q (<= 1) <!nocheck>, old (< 2), older (> 1)", "riscv64");
        assertEquals(8, f.size(), "bar [amd64] is dropped on riscv64");
        assertEquals("libc6 (>= 2.38)", Dependency.format(f.get(0)));
        assertEquals("busybox (>> 1:1.37.0) | busybox-static (>> 1:1.37.0)", Dependency.format(f.get(1)));
        Dependency py = f.get(2).get(0);
        assertEquals("python3", py.name());
        assertEquals("any", py.archQualifier());
        assertEquals(Dependency.Relation.GE, py.relation());
        assertEquals("native", f.get(3).get(0).archQualifier());
        assertEquals("baz", f.get(4).get(0).name());
        assertEquals("q (<= 1)", f.get(5).get(0).toString());
        assertEquals(Dependency.Relation.LE, f.get(6).get(0).relation(), "'<' is the old spelling of <=");
        assertNull(Dependency.parseField("old (< 2), older (> 1)", "riscv64").get(1).get(0).archQualifier());
        assertEquals(Dependency.Relation.GE, Dependency.parseField("older (> 1)", "riscv64").get(0).get(0).relation());
        assertThrows(IllegalArgumentException.class, () -> Dependency.parseField("foo (>= )", "riscv64"));
        assertTrue(Dependency.parseField("  ", "riscv64").isEmpty());
    }

    @Test
    void mirrorComesFromOptionEnvThenAptSources(@TempDir Path apt) throws IOException {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list"), """
                # deb http://old.example.invalid/debian bookworm main
                deb-src http://src.example.invalid/debian bookworm main
                deb [arch=amd64 signed-by=/k.gpg] http://one-line.example.invalid/ubuntu noble main
                """);
        Files.writeString(apt.resolve("sources.list.d/a.sources"), """
                Types: deb
                URIs: http://disabled.example.invalid/debian
                Suites: bookworm
                Enabled: no

                Types: deb deb-src
                # a comment inside the stanza
                URIs: https://mirror.example.invalid/debian/
                Suites: bookworm bookworm-updates
                Components: main

                Types: deb
                URIs: http://security.example.invalid/debian-security
                Suites: bookworm-security
                """);
        Files.writeString(apt.resolve("sources.list.d/b.list"), "deb http://later.example.invalid/debian trixie main\n");
        assertEquals("https://mirror.example.invalid/debian", AptSources.findMirror(null, Map.of(), apt));
        assertEquals("http://env.example.invalid/debian", AptSources.findMirror(null, Map.of(AptSources.ENV, "http://env.example.invalid/debian/"), apt));
        assertEquals("http://opt.example.invalid/debian",
                AptSources.findMirror("http://opt.example.invalid/debian", Map.of(AptSources.ENV, "http://env.example.invalid/debian"), apt));
        assertThrows(RootfsException.class, () -> AptSources.findMirror("ftp://x.example.invalid/debian", Map.of(), apt));

        Files.delete(apt.resolve("sources.list.d/a.sources"));
        assertEquals("http://later.example.invalid/debian", AptSources.findMirror(null, Map.of(), apt));
        Files.delete(apt.resolve("sources.list.d/b.list"));
        RootfsException e = assertThrows(RootfsException.class, () -> AptSources.findMirror(null, Map.of(), apt));
        assertTrue(e.getMessage().contains("--mirror") && e.getMessage().contains(AptSources.ENV), e.getMessage());
    }
}
