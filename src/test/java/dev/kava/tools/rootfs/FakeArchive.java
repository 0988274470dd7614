package dev.kava.tools.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/** A small Debian archive on disk, signed with a test key: dists/SUITE/InRelease, Packages.xz, pool/. */
final class FakeArchive {
    final Path root;
    final TestKey key;
    final String suite;
    private final StringBuilder packages = new StringBuilder();

    FakeArchive(Path root, TestKey key, String suite) {
        this.root = root;
        this.key = key;
        this.suite = suite;
    }

    String url() {
        return root.toUri().toString().replaceAll("/$", "");
    }

    /** Adds a package to the pool and the index; returns the pool path of its .deb. */
    Path add(TestDeb deb, String name, String version, String arch) throws IOException {
        byte[] data = deb.build();
        String file = "pool/main/" + name.charAt(0) + "/" + name + "/" + name + "_" + version.replaceFirst("^\\d+:", "") + "_" + arch + ".deb";
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        packages.append(deb.control().strip()).append('\n')
                .append("Filename: ").append(file).append('\n')
                .append("Size: ").append(data.length).append('\n')
                .append("SHA256: ").append(sha256(data)).append("\n\n");
        return p;
    }

    /** Writes the Packages index and the signed InRelease (dated {@code date}). */
    void publish(Instant date, Instant validUntil) throws IOException {
        publish(date, validUntil, key);
    }

    void publish(Instant date, Instant validUntil, TestKey signer) throws IOException {
        byte[] plain = packages.toString().getBytes(StandardCharsets.UTF_8);
        byte[] xz = TestDeb.xz(plain);
        Path dir = root.resolve("dists/" + suite + "/main/binary-riscv64");
        Files.createDirectories(dir.resolve("by-hash/SHA256"));
        Files.write(dir.resolve("Packages.xz"), xz);
        Files.write(dir.resolve("by-hash/SHA256/" + sha256(xz)), xz);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
        String release = "Origin: Debian\nLabel: Debian\nSuite: stable\nVersion: 13.99\nCodename: " + suite + "\n"
                + "Date: " + f.format(date) + "\n"
                + (validUntil == null ? "" : "Valid-Until: " + f.format(validUntil) + "\n")
                + "Acquire-By-Hash: yes\nArchitectures: all riscv64\nComponents: main\nDescription: kava test archive\n"
                + "SHA256:\n"
                + " " + sha256(plain) + " " + plain.length + " main/binary-riscv64/Packages\n"
                + " " + sha256(xz) + " " + xz.length + " main/binary-riscv64/Packages.xz\n";
        Files.write(root.resolve("dists/" + suite + "/InRelease"), signer.clearsign(release));
    }

    Path keyFile() throws IOException {
        Path k = root.resolve("archive-key.asc");
        Files.write(k, key.armoredPublicKey());
        return k;
    }

    static String sha256(byte[] d) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
