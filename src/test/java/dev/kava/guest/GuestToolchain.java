package dev.kava.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The riscv64 cross compiler and qemu-riscv64-static, and compiling guest programs with a cache. */
final class GuestToolchain {
    private GuestToolchain() {}

    static final String CC = "riscv64-linux-gnu-gcc";
    static final String QEMU = "qemu-riscv64-static";
    /** Flags every guest program is built with; -lm and -latomic cover libm and sub-word atomics. */
    static final List<String> CFLAGS = List.of("-O2", "-static");
    static final List<String> LIBS = List.of("-lm", "-latomic");

    /** Null when both tools are there, else a message naming what is missing. */
    static String missing() {
        List<String> gone = new ArrayList<>();
        if (!onPath(CC)) gone.add(CC + " (Debian: gcc-riscv64-linux-gnu, libc6-dev-riscv64-cross)");
        if (!onPath(QEMU)) gone.add(QEMU + " (Debian: qemu-user-static)");
        return gone.isEmpty() ? null : "guest tests need " + String.join(" and ", gone);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /**
     * Compiles src into outDir/name (name without ".c"), unless the binary there was built from
     * the same source text with the same flags: a hash of both is kept beside it.
     */
    static Path compile(Path src, Path outDir) throws IOException, InterruptedException {
        return compile(src, outDir, true);
    }

    /** As above; dynamic programs link against the cross libc's shared libraries (and need ld.so at run time). */
    static Path compile(Path src, Path outDir, boolean statically) throws IOException, InterruptedException {
        String name = src.getFileName().toString().replaceFirst("\\.c$", "");
        Path bin = outDir.resolve(name);
        Path stamp = outDir.resolve("." + name + ".hash");
        List<String> flags = statically ? CFLAGS : List.of("-O2");
        String hash = hash(Files.readAllBytes(src), String.join(" ", flags) + " " + String.join(" ", LIBS));
        if (Files.isRegularFile(bin) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(hash)) return bin;
        Files.createDirectories(outDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(CC);
        cmd.addAll(flags);
        cmd.addAll(List.of("-o", bin.toString(), src.toString()));
        cmd.addAll(LIBS);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("compiling " + src + " failed:\n" + log);
        }
        Files.writeString(stamp, hash);
        return bin;
    }

    /** Where the cross toolchain keeps riscv64 ld.so and libc.so.6 (libc6-riscv64-cross). */
    static final Path CROSS_LIBS = Path.of("/usr/riscv64-linux-gnu/lib");
    static final List<String> SHARED_LIBS = List.of("ld-linux-riscv64-lp64d.so.1", "libc.so.6", "libm.so.6", "libatomic.so.1");

    /** Copies the shared libraries dynamic programs need into root/lib; false when the toolchain has none. */
    static boolean installSharedLibs(Path root) throws IOException {
        Path lib = root.resolve("lib");
        Files.createDirectories(lib);
        for (String name : SHARED_LIBS) {
            Path from = CROSS_LIBS.resolve(name);
            if (!Files.exists(from)) return false;
            Path to = lib.resolve(name);
            if (!Files.exists(to) || Files.size(to) != Files.size(from)) {
                Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return true;
    }

    private static String hash(byte[] source, String flags) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(source);
            md.update(flags.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
