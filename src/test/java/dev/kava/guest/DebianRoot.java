package dev.kava.guest;

import dev.kava.cli.Main;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guest root made of Debian trixie riscv64 packages by kava's own builder ({@code kava rootfs
 * build --packages ...}, in-process), for the acceptance tests with real network software. On a
 * clean machine the builder fetches the packages and their dependencies from the archive and
 * caches them (~/.cache/kava/debs), so CI needs nothing installed for them; offline, it builds
 * from that cache, and the test is skipped when neither the archive nor the cached packages are
 * there. Built once into target/guest-NAME and reused while target/guest-NAME.ready names the
 * same packages.
 */
final class DebianRoot {
    private DebianRoot() {}

    /** The root target/guest-NAME with these packages (comma-separated); mustExist is a file every good build has. */
    static Path get(String name, String packages, String mustExist) throws Exception {
        return get(name, packages, mustExist, root -> {});
    }

    /** What is done to a freshly built root before it is marked ready (Debian's postinst work, for example). */
    interface Prepare {
        void prepare(Path root) throws Exception;
    }

    /** As above, with prepare run once on each new build. */
    static synchronized Path get(String name, String packages, String mustExist, Prepare prepare) throws Exception {
        Path root = Path.of("target/guest-" + name);
        Path ready = Path.of("target/guest-" + name + ".ready");
        if (Files.isRegularFile(ready) && Files.readString(ready).equals(packages + "\n")
                && Files.exists(root.resolve(mustExist))) return root;
        List<String> args = new ArrayList<>(List.of("rootfs", "build", "--suite", BusyboxSmokeTest.SUITE,
                "--packages", packages, "--dir", root.toString()));
        String unreachable = BusyboxSmokeTest.archiveUnreachable();
        if (unreachable != null) {
            Path index = BusyboxSmokeTest.debCache().resolve("index").resolve(BusyboxSmokeTest.SUITE).resolve("InRelease");
            Assumptions.assumeTrue(Files.isRegularFile(index), () -> "skipped: no cached Debian index in "
                    + BusyboxSmokeTest.debCache() + " and the archive cannot be reached: " + unreachable);
            args.add("--offline");
        }
        Files.deleteIfExists(ready);
        BusyboxSmokeTest.deleteTree(root);
        Files.deleteIfExists(Path.of(root + ".mtree"));
        int rc = Main.execute(args.toArray(new String[0]));
        Assumptions.assumeTrue(rc == 0 || unreachable == null,
                () -> "skipped: " + packages + " are not all in the offline cache and the archive cannot be reached");
        assertEquals(0, rc, "kava " + String.join(" ", args) + " failed (its messages are on stderr)");
        assertTrue(Files.exists(root.resolve(mustExist)), "no " + mustExist + " after kava rootfs build");
        GuestRun.prepareRoot(root);
        prepare.prepare(root);
        Files.writeString(ready, packages + "\n");
        return root;
    }
}
