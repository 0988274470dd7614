package dev.kava.tools.rootfs;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kava rootfs}: root filesystems for kava, built from Debian's packages. */
@Command(name = "rootfs", mixinStandardHelpOptions = true,
        description = "Build root filesystems for kava from Debian's riscv64 packages.",
        subcommands = {RootfsCommand.Build.class})
public final class RootfsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kava rootfs build}. */
    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Download the named Debian packages and what they depend on (Depends, Pre-Depends), verify them "
                            + "against the archive's signed index, unpack them and add the files a booting system needs.",
                    "Maintainer scripts are not run. The archive is --mirror, else $KAVA_DEBIAN_MIRROR, else the first "
                            + "http(s) .../debian source of the host's apt configuration."})
    public static final class Build implements Callable<Integer> {
        @Option(names = "--suite", paramLabel = "SUITE", defaultValue = "trixie", description = "Debian suite (default: ${DEFAULT-VALUE}).")
        String suite;

        @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "riscv64", description = "Architecture (default: ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--packages", paramLabel = "PKG", split = ",",
                description = "Packages to install, with their dependencies (default: busybox-static). PKG=VERSION picks a version.")
        List<String> packages = new ArrayList<>();

        @Option(names = "--mirror", paramLabel = "URL", description = "Debian archive URL (ending in /debian).")
        String mirror;

        @Option(names = "--cache", paramLabel = "DIR",
                description = "Cache of .debs and of the verified index (default: $XDG_CACHE_HOME/kava/debs/SUITE or ~/.cache/kava/debs/SUITE).")
        Path cache;

        @Option(names = "-o", paramLabel = "IMAGE", description = "Write an EROFS image (LZMA-compressed).")
        Path image;

        @Option(names = "--dir", paramLabel = "DIR", description = "Leave the tree in DIR (new or empty), and its manifest in DIR.mtree.")
        Path dir;

        @Option(names = "--manifest", paramLabel = "FILE", description = "Where to write the owners/modes manifest (default with --dir: DIR.mtree).")
        Path manifest;

        @Option(names = "--offline", description = "Use only the cache: no network access.")
        boolean offline;

        @Option(names = "--keyring", paramLabel = "FILE",
                description = "Trust only these OpenPGP keyrings (repeatable; default: the host's Debian archive keyrings and kava's bundled Debian keys).")
        List<Path> keyrings = new ArrayList<>();

        @Option(names = "--no-busybox-links", description = "Do not link busybox's applets into /bin, /sbin, /usr/bin, /usr/sbin.")
        boolean noBusyboxLinks;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> pkgs = packages.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (pkgs.isEmpty()) pkgs = List.of("busybox-static");
            if ((dir == null) == (image == null)) {
                spec.commandLine().getErr().println("kava rootfs build: give exactly one of --dir DIR and -o IMAGE");
                return 2;
            }
            RootfsBuilder.Options opts = new RootfsBuilder.Options(suite, arch, pkgs, mirror, cache, dir, image, manifest, offline,
                    !noBusyboxLinks, keyrings);
            try {
                new RootfsBuilder(opts, RootfsBuilder.Host.real(), System.err, Progress.stderrIsTerminal()).build();
                return 0;
            } catch (RootfsException e) {
                System.err.println("kava rootfs: " + e.getMessage());
                if (System.getenv("KAVA_DEBUG") != null) e.printStackTrace();
                return 1;
            }
        }
    }
}
