package dev.kava.tools.rootfs;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dependency resolution on the fixture index (src/test/resources/.../Packages.fixture). */
class ResolverTest {
    private static final PackageIndex INDEX = PackageIndex.parse(IndexParsingTest.resource("Packages.fixture"), "riscv64");

    private static List<String> resolve(String... pkgs) {
        return new Resolver(INDEX).resolve(List.of(pkgs)).packages().stream().map(p -> p.name() + "=" + p.version()).toList();
    }

    private static List<String> names(String... pkgs) {
        return new Resolver(INDEX).resolve(List.of(pkgs)).packages().stream().map(BinaryPackage::name).toList();
    }

    private static String failure(String... pkgs) {
        return assertThrows(Resolver.UnresolvableException.class, () -> new Resolver(INDEX).resolve(List.of(pkgs))).getMessage();
    }

    @Test
    void onlyTheNamedPackagesAndTheirDependencies() {
        assertEquals(List.of("busybox-static=1:1.37.0-6+b9"), resolve("busybox-static"), "no Priority: required packages are added");
        assertEquals(List.of("libgcc-s1=14.2.0-19", "libc6=2.41-12", "busybox=1:1.37.0-6+b9"), resolve("busybox"),
                "newest versions, dependencies first (the Pre-Depends cycle libc6 <-> libgcc-s1 is broken)");
    }

    @Test
    void versionConstraintsPickAnOlderVersion() {
        assertEquals(List.of("libgcc-s1=14.2.0-19", "libc6=2.40-1", "wants-old-libc=1.0"), resolve("wants-old-libc"));
        String msg = failure("busybox", "wants-old-libc");
        assertTrue(msg.contains("libc6 (<< 2.41)") && msg.contains("already selected"), msg);
        assertTrue(resolve("libc6=2.40-1").contains("libc6=2.40-1"), "name=version");
        assertTrue(failure("libc6=9.9").contains("has no version 9.9"));
    }

    @Test
    void alternativesTakeTheFirstSatisfiableUnlessAnotherIsSelected() {
        assertEquals(List.of("xpkg", "pick-x-or-y"), names("pick-x-or-y"));
        List<String> both = names("pick-x-or-y", "needs-y");
        assertTrue(both.contains("ypkg") && !both.contains("xpkg"), "ypkg is needed anyway, so it satisfies x | y: " + both);
        assertEquals(List.of("busybox-static", "busybox-syslogd"), names("busybox-static", "busybox-syslogd"),
                "the second alternative, already selected, wins");
        assertTrue(names("busybox-syslogd").contains("busybox"), "alone, the first alternative is taken");
    }

    @Test
    void virtualPackages() {
        assertEquals(List.of("libgcc-s1", "libc6", "mawk", "needs-awk"), names("needs-awk"),
                "of mawk (required) and gawk (optional), the higher priority provider");
        assertTrue(names("gawk", "needs-awk").containsAll(List.of("gawk", "needs-awk")));
        assertFalse(names("gawk", "needs-awk").contains("mawk"), "a selected provider satisfies the virtual");
        assertEquals(List.of("exim4", "mailer-user"), names("mailer-user"),
                "default-mta is in no package: the second alternative's providers are used");
        String msg = failure("awk");
        assertTrue(msg.contains("virtual package provided by gawk, mawk"), msg);
        assertEquals(List.of("busybox-static"), names("busybox-static"));
    }

    @Test
    void versionedProvides() {
        assertEquals(List.of("rust-foo", "rust-user"), names("rust-user"));
        String msg = failure("rust-user-too-new");
        assertTrue(msg.contains("librust-foo-dev (>= 2)") && msg.contains("rust-foo provides librust-foo-dev (= 1.2.3-1)"), msg);
        msg = failure("wants-versioned-plain-virtual");
        assertTrue(msg.contains("plain-virtual (>= 1)"), "an unversioned Provides does not satisfy a versioned relation: " + msg);
    }

    @Test
    void architectureQualifiers() {
        assertTrue(names("py-tool").contains("python3"), "python3:any is satisfied by Multi-Arch: allowed");
        String msg = failure("wants-any-foo");
        assertTrue(msg.contains("libfoo-dev:any") && msg.contains("Multi-Arch: same, not allowed"), msg);
        assertTrue(names("wants-native-foo").containsAll(List.of("libfoo-dev", "libc6")), ":native and :riscv64 are ours");
    }

    @Test
    void cyclesTerminate() {
        List<String> n = names("cycle-a");
        assertEquals(2, n.size());
        assertTrue(n.containsAll(List.of("cycle-a", "cycle-b")));
    }

    @Test
    void everyProblemIsReportedWithItsChain() {
        Resolver.UnresolvableException e = assertThrows(Resolver.UnresolvableException.class,
                () -> new Resolver(INDEX).resolve(List.of("broken", "nonexistent-pkg")));
        assertEquals(3, e.problems.size(), e.getMessage());
        assertTrue(e.getMessage().contains("package nonexistent-pkg is not in the archive for riscv64"), e.getMessage());
        assertTrue(e.getMessage().contains("broken 1.0 depends on libc6 (>= 9.0)"), e.getMessage());
        assertTrue(e.getMessage().contains("the archive has 2.41-12, 2.40-1"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-package | also-missing") && e.getMessage().contains("also-missing is not in the archive"),
                e.getMessage());
    }

    @Test
    void conflictsAreWarnings() {
        Resolver.Result r = new Resolver(INDEX).resolve(List.of("busybox", "busybox-static"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("busybox-static 1:1.37.0-6+b9 conflicts with")), r.warnings().toString());
    }
}
