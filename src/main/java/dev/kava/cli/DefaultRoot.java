package dev.kava.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The root filesystem kava boots when none is named: an EROFS image (LZMA) of Debian trixie's
 * busybox-static plus what a shell session needs, built by {@code kava rootfs build} the first
 * time and kept in the cache ({@code $XDG_CACHE_HOME/kava/roots}, else {@code ~/.cache/kava/roots};
 * {@code KAVA_DEFAULT_ROOT} names another image or directory).
 */
final class DefaultRoot {
    private DefaultRoot() {}

    static final String PACKAGES = "busybox-static";

    static Path location(Map<String, String> env) {
        String named = env.get("KAVA_DEFAULT_ROOT");
        if (named != null && !named.isEmpty()) return Path.of(named);
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("kava/roots/default-trixie.erofs");
    }

    /** The default root, built now if it is not there yet; null (with a message on err) when it cannot be. */
    static Path ensure(PrintStream err) {
        Path image = location(System.getenv());
        if (Files.exists(image)) return image;
        if (System.getenv("KAVA_DEFAULT_ROOT") != null) {
            err.println("kava: KAVA_DEFAULT_ROOT=" + image + ": no such image or directory");
            return null;
        }
        err.println("kava: building the default root filesystem (" + PACKAGES + " from Debian trixie) in " + image
                + "; this happens once");
        try {
            Files.createDirectories(image.getParent());
            Path partial = image.resolveSibling(image.getFileName() + ".partial");
            int rc = Main.execute("rootfs", "build", "--packages", PACKAGES, "-o", partial.toString());
            if (rc != 0) {
                err.println("kava: could not build the default root filesystem; name one with --root DIR|IMAGE");
                return null;
            }
            Files.move(partial, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return image;
        } catch (IOException e) {
            err.println("kava: " + image + ": " + e.getMessage());
            return null;
        }
    }
}
