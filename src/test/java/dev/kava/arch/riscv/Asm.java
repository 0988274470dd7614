package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kava.abi.Mman;
import dev.kava.mm.AddressSpace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Test support: assembles RISC-V snippets with the cross binutils (riscv64-linux-gnu-as) and
 * runs them on a bare hart. Encodings come from the real assembler, so a test cannot agree
 * with a decoder bug by encoding instructions the same wrong way.
 */
final class Asm {
    static final long CODE = 0x10000, DATA = 0x20000, STACK_TOP = 0x80000;
    static final String AS = "riscv64-linux-gnu-as", LD = "riscv64-linux-gnu-ld", OBJCOPY = "riscv64-linux-gnu-objcopy";
    private static final Path CACHE = Path.of("target", "asm-cache");

    private Asm() {}

    static boolean toolchainPresent() {
        try {
            return new ProcessBuilder(AS, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Assembles src (with or without compressed instructions) to the raw bytes of .text. */
    static byte[] assemble(String src, boolean rvc) {
        assumeTrue(toolchainPresent(), "riscv64-linux-gnu-as not installed (apt-get install binutils-riscv64-linux-gnu)");
        try {
            String text = (rvc ? "" : ".option norvc\n") + src + "\n";
            String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
            Files.createDirectories(CACHE);
            Path bin = CACHE.resolve(key + ".bin");
            if (!Files.exists(bin)) {
                Path s = CACHE.resolve(key + ".S"), o = CACHE.resolve(key + ".o");
                Files.writeString(s, text);
                exec(AS, "-march=rv64gc_zba_zbb_zbs", "-mno-relax", "-o", o.toString(), s.toString());
                // Link at CODE so that pc-relative relocations (la, call) are resolved; no
                // relaxation, so code sizes are exactly what the source says.
                Path elf = CACHE.resolve(key + ".elf"), tmp = CACHE.resolve(key + ".tmp");
                exec(LD, "--no-relax", "-Ttext=0x" + Long.toHexString(CODE), "-e", "0x" + Long.toHexString(CODE),
                        "-o", elf.toString(), o.toString());
                exec(OBJCOPY, "-O", "binary", "-j", ".text", elf.toString(), tmp.toString());
                Files.move(tmp, bin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readAllBytes(bin);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new RuntimeException(e);
        }
    }

    private static void exec(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /**
     * The JIT threshold of the harts {@link #load} makes (see {@link Hart#setJitThreshold});
     * null: the default. {@link JitInsnTest} sets it to 0 to run the instruction tests translated.
     */
    static volatile Integer jitThreshold;

    /** A hart with the snippet at CODE (r-x), a zeroed r/w data page at DATA and a stack. */
    static Hart load(String src) {
        byte[] code = assemble(src, true);
        AddressSpace as = new AddressSpace();
        long len = (code.length + 0xfff) & ~0xfffL;
        as.map(CODE, Math.max(len, 0x1000), Mman.PROT_READ | Mman.PROT_EXEC);
        as.pokeUser(CODE, code, 0, code.length);
        as.map(DATA, 0x2000, Mman.PROT_READ | Mman.PROT_WRITE);
        as.map(STACK_TOP - 0x4000, 0x4000, Mman.PROT_READ | Mman.PROT_WRITE);
        Hart h = new Hart(as);
        h.pc = CODE;
        h.x[2] = STACK_TOP;
        Integer t = jitThreshold;
        if (t != null) h.setJitThreshold(t);
        return h;
    }

    /** Runs until a trap other than budget exhaustion and returns the cause. */
    static int runToTrap(Hart h) {
        int cause;
        long start = h.instret();
        do {
            cause = h.run(1_000_000);
            if (h.instret() - start > 50_000_000L) throw new AssertionError("runaway: pc 0x" + Long.toHexString(h.pc));
        } while (cause == Trap.BUDGET_EXHAUSTED);
        return cause;
    }

    /** Loads and runs a snippet that ends in ebreak; fails if it traps otherwise. */
    static Hart run(String src) {
        Hart h = load(src + "\nebreak\n");
        int cause = runToTrap(h);
        if (cause != Trap.BREAKPOINT) {
            throw new AssertionError("trap " + Trap.name(cause) + " at pc 0x" + Long.toHexString(h.pc)
                    + " tval 0x" + Long.toHexString(h.trapValue));
        }
        return h;
    }
}
