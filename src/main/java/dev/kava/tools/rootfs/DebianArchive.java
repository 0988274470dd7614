package dev.kava.tools.rootfs;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * One suite of a Debian archive, through a local cache:
 *
 * <pre>
 * CACHE/                      the .debs, named as in the pool (busybox-static_1.37.0-6+b9_riscv64.deb)
 * CACHE/index/SUITE/InRelease                          the last verified InRelease
 * CACHE/index/SUITE/main/binary-ARCH/Packages.{xz,gz}  the index it lists
 * </pre>
 *
 * Everything read from the network or the cache is checked before use: the InRelease signature
 * against the {@link ArchiveKeyring} (and its Valid-Until), the Packages index and every .deb
 * against the SHA256 and size that the signed InRelease (resp. the Packages index) gives. With no
 * archive reachable (or {@code offline}), a cached index and cached .debs are used once they
 * verify again; a file that fails verification is deleted and never used.
 */
public final class DebianArchive {
    private final String mirror;          // null: no network (offline, or no archive configured)
    private final String noMirrorReason;  // why mirror is null, for messages
    private final String suite, arch, component = "main";
    private final Path cache, indexDir;
    private final ArchiveKeyring keyring;
    private final Fetcher fetcher;
    private final Consumer<String> log;
    private final Clock clock;

    private ReleaseFile release;
    private boolean indexFromCache;

    public DebianArchive(String mirror, String noMirrorReason, String suite, String arch, Path cache, ArchiveKeyring keyring,
                         Fetcher fetcher, Consumer<String> log, Clock clock) {
        this.mirror = mirror;
        this.noMirrorReason = noMirrorReason;
        this.suite = suite;
        this.arch = arch;
        this.cache = cache;
        this.indexDir = cache.resolve("index").resolve(suite);
        this.keyring = keyring;
        this.fetcher = fetcher;
        this.log = log;
        this.clock = clock;
    }

    public Path cacheDir() {
        return cache;
    }

    public boolean indexFromCache() {
        return indexFromCache;
    }

    /** The suite's verified Release data (downloaded, or from the cache when the archive is unreachable). */
    public ReleaseFile release() {
        if (release != null) return release;
        Path cached = indexDir.resolve("InRelease");
        String url = mirror == null ? null : mirror + "/dists/" + suite + "/InRelease";
        byte[] data = null;
        String problem = null;
        if (url != null) {
            try {
                data = fetcher.get(url);
            } catch (Fetcher.NotFoundException e) {
                throw new RootfsException("the archive " + mirror + " has no suite " + suite + " (" + url + " not found)");
            } catch (IOException e) {
                problem = "cannot download " + url + ": " + describe(e);
            }
        } else {
            problem = noMirrorReason;
        }
        if (data == null) {
            if (!Files.isRegularFile(cached)) {
                throw new RootfsException(problem + ", and there is no cached index in " + indexDir);
            }
            log.accept("kava rootfs: " + problem + "; using the cached index " + cached);
            release = checkRelease(readFile(cached), cached.toString());
            indexFromCache = true;
            return release;
        }
        ReleaseFile fresh = checkRelease(data, url);
        if (Files.isRegularFile(cached)) {
            // Refuse to go back in time (a replayed older InRelease), as apt does.
            try {
                ReleaseFile old = ReleaseFile.parse(new ClearsignedVerifier(keyring).verify(readFile(cached), cached.toString(), clock.instant()).text());
                if (fresh.date().isBefore(old.date())) {
                    throw new RootfsException(url + " is older (" + fresh.date() + ") than the cached index (" + old.date()
                            + "): refusing to go back in time; if the archive really was rolled back, delete " + cached);
                }
            } catch (ClearsignedVerifier.BadSignatureException | IllegalArgumentException e) {
                // A cached file that no longer verifies is simply replaced.
            }
        }
        writeAtomically(cached, data);
        release = fresh;
        return release;
    }

    private ReleaseFile checkRelease(byte[] data, String what) {
        ClearsignedVerifier.Verified v = new ClearsignedVerifier(keyring).verify(data, what, clock.instant());
        ReleaseFile r;
        try {
            r = ReleaseFile.parse(v.text());
        } catch (IllegalArgumentException e) {
            throw new RootfsException(what + ": " + e.getMessage());
        }
        if (!r.isSuite(suite)) {
            throw new RootfsException(what + " is for " + r.codename() + " (suite " + r.suite() + "), not " + suite);
        }
        Instant now = clock.instant();
        if (r.validUntil() != null && now.isAfter(r.validUntil())) {
            throw new RootfsException(what + " expired on " + r.validUntil() + " (Valid-Until); "
                    + (mirror == null ? "go online to refresh the index" : "the archive " + mirror + " is stale"));
        }
        if (!r.architectures().isEmpty() && !r.architectures().contains(arch)) {
            throw new RootfsException(suite + " has no architecture " + arch + " (it has " + String.join(" ", r.architectures()) + ")");
        }
        return r;
    }

    /**
     * The verified Packages index of main for the architecture. The compressed index is
     * downloaded (xz, else gz, else plain) and, when the InRelease lists the uncompressed file's
     * hash too, kept uncompressed in the cache as apt keeps its lists: rechecking its SHA256
     * costs less than decompressing again at every build.
     */
    public PackageIndex packages() {
        ReleaseFile r = release();
        String base = component + "/binary-" + arch + "/Packages";
        ReleaseFile.IndexEntry plainEntry = r.sha256().get(base);
        ReleaseFile.IndexEntry entry = null;
        for (String ext : List.of(".xz", ".gz", "")) {
            entry = r.sha256().get(base + ext);
            if (entry != null) break;
        }
        if (entry == null) throw new RootfsException("the InRelease of " + suite + " lists no " + base + "{.xz,.gz}");
        Path localPlain = plainEntry == null ? null : indexDir.resolve(plainEntry.path());
        Path local = indexDir.resolve(entry.path());
        Path use;
        if (localPlain != null && matches(localPlain, plainEntry.size(), plainEntry.sha256())) {
            use = localPlain;
        } else if (matches(local, entry.size(), entry.sha256())) {
            use = keepUncompressed(local, localPlain, plainEntry);
        } else {
            deleteQuietly(local);
            if (localPlain != null) deleteQuietly(localPlain);
            if (mirror == null) {
                throw new RootfsException(noMirrorReason + ", and the cached " + base + " is missing or does not match the cached InRelease");
            }
            String dir = mirror + "/dists/" + suite + "/";
            String byHash = dir + entry.path().substring(0, entry.path().lastIndexOf('/') + 1) + "by-hash/SHA256/" + entry.sha256();
            String plain = dir + entry.path();
            log.accept("kava rootfs: fetching " + plain + " (" + Progress.human(entry.size()) + ")");
            try {
                Path part = partFile(local);
                try {
                    fetcher.download(r.acquireByHash() ? byHash : plain, part, null);
                } catch (Fetcher.NotFoundException e) {
                    if (!r.acquireByHash()) throw e;
                    fetcher.download(plain, part, null);
                }
                verifyAndMove(part, local, entry.size(), entry.sha256(), plain);
            } catch (IOException e) {
                throw new RootfsException("cannot download " + plain + ": " + describe(e));
            }
            use = keepUncompressed(local, localPlain, plainEntry);
        }
        try (InputStream in = decompress(use)) {
            return PackageIndex.parse(in, arch);
        } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new RootfsException("cannot read " + use + ": " + e.getMessage());
        }
    }

    /** Decompresses a verified index into its uncompressed cache file when the InRelease gives that file's hash. */
    private Path keepUncompressed(Path local, Path localPlain, ReleaseFile.IndexEntry plainEntry) {
        if (localPlain == null || local.equals(localPlain)) return local;
        try {
            Path part = partFile(localPlain);
            try (InputStream in = decompress(local)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            verifyAndMove(part, localPlain, plainEntry.size(), plainEntry.sha256(), localPlain + " (decompressed " + local.getFileName() + ")");
            Files.delete(local);
            return localPlain;
        } catch (IOException e) {
            throw new RootfsException("cannot decompress " + local + ": " + describe(e));
        }
    }

    private static InputStream decompress(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        String n = p.getFileName().toString();
        if (n.endsWith(".xz")) return new XZInputStream(in);
        if (n.endsWith(".gz")) return new GzipCompressorInputStream(in, true);
        return in;
    }

    /** The cache path a package's .deb has (whether or not it is there yet). */
    public Path debPath(BinaryPackage p) {
        if (p.filename() == null || p.sha256() == null) throw new RootfsException(p.id() + " has no Filename or SHA256 in the index");
        String base = p.filename().substring(p.filename().lastIndexOf('/') + 1);
        if (base.isEmpty() || base.startsWith(".") || base.contains("\\")) throw new RootfsException("bad Filename for " + p.id() + ": " + p.filename());
        return cache.resolve(base);
    }

    /** Whether the package's .deb is cached and matches the index (a mismatching file is deleted). */
    public boolean isCached(BinaryPackage p) {
        Path f = debPath(p);
        if (matches(f, p.size(), p.sha256())) return true;
        if (Files.exists(f)) {
            log.accept("kava rootfs: the cached " + f + " does not match the index: deleting it");
            deleteQuietly(f);
        }
        return false;
    }

    /** Downloads a package's .deb into the cache and verifies it; returns its path. */
    public Path download(BinaryPackage p, Progress progress) {
        Path f = debPath(p);
        if (isCached(p)) return f;
        if (mirror == null) throw new RootfsException(noMirrorReason + ", and " + p.id() + " is not in the cache " + cache);
        String url = mirror + "/" + p.filename();
        progress.file(p.name() + " " + p.version(), p.size());
        try {
            Path part = partFile(f);
            fetcher.download(url, part, progress::bytes);
            verifyAndMove(part, f, p.size(), p.sha256(), url);
        } catch (IOException e) {
            throw new RootfsException("cannot download " + url + ": " + describe(e));
        }
        progress.fileDone();
        return f;
    }

    private Path partFile(Path f) throws IOException {
        Files.createDirectories(f.getParent());
        return f.resolveSibling(f.getFileName() + ".part");
    }

    /** Checks a downloaded file against the signed size and SHA256, then moves it into place; deletes it if it fails. */
    private static void verifyAndMove(Path part, Path dest, long size, String sha256, String url) throws IOException {
        long actualSize = Files.size(part);
        String actual = sha256(part);
        if ((size >= 0 && actualSize != size) || !actual.equalsIgnoreCase(sha256)) {
            Files.deleteIfExists(part);
            throw new RootfsException("SHA256 mismatch for " + url + ": expected " + sha256 + " (" + size + " bytes), got "
                    + actual + " (" + actualSize + " bytes); the download was deleted. The archive or a proxy served a wrong file.");
        }
        try {
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static boolean matches(Path f, long size, String sha256) {
        try {
            if (!Files.isRegularFile(f)) return false;
            if (size >= 0 && Files.size(f) != size) return false;
            return sha256(f).equalsIgnoreCase(sha256);
        } catch (IOException e) {
            return false;
        }
    }

    public static String sha256(Path f) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] readFile(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new RootfsException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static void writeAtomically(Path dest, byte[] data) {
        try {
            Files.createDirectories(dest.getParent());
            Path tmp = dest.resolveSibling(dest.getFileName() + ".part");
            Files.write(tmp, data);
            Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RootfsException("cannot write the cache file " + dest + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Left for the next run to replace.
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
