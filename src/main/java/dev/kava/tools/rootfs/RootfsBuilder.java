package dev.kava.tools.rootfs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a root filesystem from Debian packages, in pure Java: finds the archive, verifies its
 * signed index, resolves the requested packages' dependencies, downloads (or reuses from the
 * cache) and verifies each .deb, unpacks them into a tree, adds the system files, and leaves the
 * tree in a directory or packs it into an image with a {@link RootfsImageWriter}.
 */
public final class RootfsBuilder {
    /** What to build. Exactly one of {@code dir} and {@code image} is set. */
    public record Options(String suite, String arch, List<String> packages, String mirror, Path cache, Path dir, Path image,
                          Path manifestFile, boolean offline, boolean busyboxLinks, List<Path> keyrings) {}

    /** What was built. */
    public record Result(Path output, Path manifestFile, List<BinaryPackage> packages, int downloaded, long downloadedBytes,
                         int files, Duration elapsed) {}

    /** The host and process surroundings the builder reads (replaceable in tests). */
    public record Host(Map<String, String> env, Path aptDir, Path keyringDir, Path home, Clock clock, Fetcher fetcher,
                       RootfsImageWriter imageWriter) {
        public static Host real() {
            Map<String, String> env = System.getenv();
            return new Host(env, Path.of("/etc/apt"), Path.of("/usr/share/keyrings"), Path.of(System.getProperty("user.home")),
                    Clock.systemUTC(), new Fetcher(env), RootfsImageWriter.find());
        }
    }

    private final Options o;
    private final Host host;
    private final PrintStream err;
    private final Progress progress;

    public RootfsBuilder(Options options, Host host, PrintStream err, boolean terminal) {
        this.o = options;
        this.host = host;
        this.err = err;
        this.progress = new Progress(err, terminal);
    }

    /** The default cache: $XDG_CACHE_HOME/kava/debs/SUITE, else ~/.cache/kava/debs/SUITE. */
    public static Path defaultCache(Map<String, String> env, Path home, String suite) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("kava").resolve("debs").resolve(suite);
    }

    public Result build() {
        long t0 = System.nanoTime();
        if ((o.dir() == null) == (o.image() == null)) throw new RootfsException("give exactly one of --dir DIR and -o IMAGE");
        if (!o.suite().matches("[a-z0-9][a-z0-9.\\-]*")) throw new RootfsException("bad suite name '" + o.suite() + "'");
        if (!o.arch().matches("[a-z0-9]+")) throw new RootfsException("bad architecture '" + o.arch() + "'");
        if (o.packages().isEmpty()) throw new RootfsException("no packages requested");
        for (String p : o.packages()) {
            if (!p.matches("[a-z0-9][a-z0-9+.\\-]+(=[A-Za-z0-9.+~:\\-]+)?")) throw new RootfsException("bad package name '" + p + "'");
        }
        RootfsImageWriter writer = null;
        if (o.image() != null) {
            writer = host.imageWriter();
            if (writer == null) {
                throw new RootfsException("-o IMAGE needs the EROFS image writer, which is not available in this build yet; "
                        + "use --dir DIR to get the tree (and its manifest)");
            }
        }
        Path output = o.dir() != null ? o.dir() : o.image();
        checkOutput(output);

        // The archive and its verified index.
        List<String> warnings = new ArrayList<>();
        ArchiveKeyring keyring = keyring(warnings);
        for (String w : warnings) err.println("kava rootfs: warning: " + w);
        String mirror = null, noMirror;
        if (o.offline()) {
            noMirror = "offline (--offline)";
        } else {
            try {
                mirror = AptSources.findMirror(o.mirror(), host.env(), host.aptDir());
                noMirror = null;
            } catch (RootfsException e) {
                noMirror = e.getMessage();
            }
        }
        Path cache = o.cache() != null ? o.cache() : defaultCache(host.env(), host.home(), o.suite());
        DebianArchive archive = new DebianArchive(mirror, noMirror, o.suite(), o.arch(), cache, keyring, host.fetcher(),
                err::println, host.clock());
        ReleaseFile rel = archive.release();
        err.println("kava rootfs: " + rel.origin() + " " + (rel.version().isEmpty() ? "" : rel.version() + " ") + "(" + rel.codename() + ") "
                + o.arch() + ", index of " + rel.date() + (archive.indexFromCache() ? " (cached)" : " from " + mirror));
        PackageIndex index = archive.packages();

        // The package set.
        Resolver.Result res = new Resolver(index).resolve(o.packages());
        for (String w : res.warnings()) err.println("kava rootfs: warning: " + w);
        List<BinaryPackage> pkgs = res.packages();
        List<BinaryPackage> missing = new ArrayList<>();
        long missingBytes = 0;
        for (BinaryPackage p : pkgs) {
            if (!archive.isCached(p)) {
                missing.add(p);
                missingBytes += Math.max(0, p.size());
            }
        }
        err.println("kava rootfs: " + pkgs.size() + " package" + (pkgs.size() == 1 ? "" : "s") + ": "
                + String.join(" ", pkgs.stream().map(BinaryPackage::name).toList())
                + " (" + missing.size() + " to download, " + Progress.human(missingBytes) + "; " + (pkgs.size() - missing.size()) + " cached in " + cache + ")");

        // Downloads.
        if (!missing.isEmpty()) {
            progress.begin(missing.size(), missingBytes);
            try {
                for (BinaryPackage p : missing) archive.download(p, progress);
            } finally {
                progress.end();
            }
        }

        // The tree.
        Path stage;
        try {
            if (o.dir() != null) {
                stage = o.dir();
                Files.createDirectories(stage);
            } else {
                Path parent = o.image().toAbsolutePath().getParent();
                Files.createDirectories(parent);
                stage = Files.createTempDirectory(parent, ".kava-rootfs-");
            }
        } catch (IOException e) {
            throw new RootfsException("cannot create " + output + ": " + e.getMessage());
        }
        Manifest manifest = new Manifest();
        StagingTree tree = new StagingTree(stage, manifest);
        int files;
        try {
            SystemFiles sys = new SystemFiles(tree, err::println);
            sys.mergedUsr();
            DebUnpacker unpacker = new DebUnpacker(tree, w -> err.println("kava rootfs: warning: " + w));
            List<String> controls = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<List<String>> lists = new ArrayList<>();
            for (BinaryPackage p : pkgs) {
                DebUnpacker.Unpacked u = unpacker.unpack(archive.debPath(p));
                controls.add(u.control());
                names.add(p.name());
                lists.add(u.paths());
            }
            String versionId = rel.version().contains(".") ? rel.version().substring(0, rel.version().indexOf('.')) : rel.version();
            sys.addBaseFiles(rel.codename().isEmpty() ? o.suite() : rel.codename(), versionId);
            if (o.busyboxLinks()) {
                int links = sys.busyboxLinks();
                if (links > 0) err.println("kava rootfs: " + links + " busybox applet links");
            }
            String sh = sys.shell();
            if (sh != null) err.println("kava rootfs: /bin/sh -> " + sh);
            else if (!tree.exists("/bin/sh")) err.println("kava rootfs: warning: no shell in the tree: /bin/sh is missing");
            sys.dpkgStatus(controls, names, lists);
            tree.finish(FileTime.from(buildTime(rel)));
            files = manifest.entries().size();
        } catch (IOException | RuntimeException e) {
            if (o.image() != null) deleteQuietly(stage);
            if (e instanceof RuntimeException re) throw re;
            throw new RootfsException("cannot build the tree in " + stage + ": " + e.getMessage(), e);
        }

        // The output.
        Path manifestFile = o.manifestFile();
        if (manifestFile == null && o.dir() != null) {
            Path abs = o.dir().toAbsolutePath().normalize();
            manifestFile = abs.resolveSibling(abs.getFileName() + ".mtree");
        }
        try {
            if (manifestFile != null) manifest.write(manifestFile);
            if (writer != null) {
                err.println("kava rootfs: writing " + o.image() + " (" + writer.name() + ")");
                writer.write(stage, manifest, o.image());
                deleteTree(stage);
            }
        } catch (IOException e) {
            if (writer != null) deleteQuietly(stage);
            throw new RootfsException("cannot write " + (writer != null ? o.image() : manifestFile) + ": " + e.getMessage(), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        err.println(String.format(Locale.ROOT, "kava rootfs: %s: %d packages, %d paths%s, in %.1f s", output, pkgs.size(), files,
                manifestFile != null ? "; manifest " + manifestFile : "", took.toMillis() / 1000.0));
        return new Result(output, manifestFile, pkgs, missing.size(), missingBytes, files, took);
    }

    /** SOURCE_DATE_EPOCH when set (reproducible builds), else the index's date. */
    private Instant buildTime(ReleaseFile rel) {
        String sde = host.env().get("SOURCE_DATE_EPOCH");
        if (sde != null && sde.matches("\\d+")) return Instant.ofEpochSecond(Long.parseLong(sde));
        return rel.date();
    }

    private ArchiveKeyring keyring(List<String> warnings) {
        if (o.keyrings() == null || o.keyrings().isEmpty()) {
            return ArchiveKeyring.debianDefault(host.keyringDir(), warnings);
        }
        ArchiveKeyring k = new ArchiveKeyring();
        for (Path p : o.keyrings()) {
            try {
                k.addFile(p);
            } catch (IOException | org.bouncycastle.openpgp.PGPException | RuntimeException e) {
                throw new RootfsException("cannot read keyring " + p + ": " + e.getMessage());
            }
        }
        return k;
    }

    private void checkOutput(Path output) {
        if (o.dir() != null && Files.exists(o.dir(), LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(o.dir(), LinkOption.NOFOLLOW_LINKS)) throw new RootfsException(o.dir() + " exists and is not a directory");
            try (Stream<Path> s = Files.list(o.dir())) {
                if (s.findAny().isPresent()) throw new RootfsException(o.dir() + " is not empty: give a new or empty directory");
            } catch (IOException e) {
                throw new RootfsException("cannot read " + o.dir() + ": " + e.getMessage());
            }
        }
        if (o.image() != null && Files.isDirectory(o.image())) throw new RootfsException(output + " is a directory");
    }

    private static void deleteQuietly(Path stage) {
        try {
            deleteTree(stage);
        } catch (IOException e) {
            // A temporary directory left behind; its name says what it is.
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                StagingTree.setPermissions(dir, 0700);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
