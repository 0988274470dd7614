package dev.kava.arch.riscv.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kava.abi.Mman;
import dev.kava.arch.riscv.Hart;
import dev.kava.arch.riscv.Trap;
import dev.kava.arch.riscv.random.RandomProgram.Image;
import dev.kava.arch.riscv.random.RandomProgram.Line;
import dev.kava.mm.AddressSpace;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Randomized differential test of kava's hart against qemu-riscv64-static.
 *
 * <p>Random RV64GC + Zba/Zbb/Zbs programs (see {@link RandomProgram}, {@link InsnGenerator})
 * run under qemu (subprocess) and under kava's {@link Hart}; each prints its registers, fcsr
 * and scratch memory, and the two dumps must be identical. On a mismatch the program is
 * truncated by bisection to find the first group of instructions where the two diverge.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code kava.random.seed}: master seed (default: random, printed)</li>
 *   <li>{@code kava.random.count}: total random instructions (default 100000)</li>
 *   <li>{@code kava.random.perProgram}: instructions per program (default 500)</li>
 *   <li>{@code kava.random.program}: run only this program index (replay)</li>
 *   <li>{@code kava.random.qemuOnly=true}: only check that qemu runs the programs (generator self-check)</li>
 *   <li>{@code kava.random.listing=true}: print the listing of every failing program</li>
 *   <li>{@code kava.random.exclude}: comma-separated group kinds not to generate, for triage
 *       (alu, muldiv, divcorner, bitmanip, ctzw, mem, amo, lrsc, sc, fp, fpmem, csr, c.alu, c.mem, c.spmem,
 *       branch, loop, misc); changes the programs, so pass it again to replay</li>
 *   <li>{@code kava.qemu}: the qemu binary (default qemu-riscv64-static)</li>
 * </ul>
 * Replay one failure: {@code -Dkava.random.seed=S -Dkava.random.program=I}, or run
 * {@link #main} with {@code S I}.
 */
class RandomDifferentialTest {
    static final int DEFAULT_COUNT = 100_000;
    static final int DEFAULT_PER_PROGRAM = 500;
    static final int MAX_REPORTED = 5;

    static String qemuBinary() {
        String q = System.getProperty("kava.qemu", "qemu-riscv64-static");
        if (q.contains("/")) return new File(q).canExecute() ? q : null;
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, q);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    static Set<String> excluded() {
        Set<String> s = new java.util.HashSet<>();
        for (String k : System.getProperty("kava.random.exclude", "").split(",")) if (!k.isBlank()) s.add(k.strip());
        return s;
    }

    static long programSeed(long seed, int index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------------------------
    // Running one image.

    /** What a run produced: the 4096-byte dump, or a description of what went wrong. */
    record Outcome(byte[] dump, String error) {
        boolean sameAs(Outcome o) {
            if (dump == null || o.dump == null) return false;
            return java.util.Arrays.equals(dump, o.dump);
        }
    }

    static final class Qemu {
        final String binary;
        final Path dir;

        Qemu(String binary, Path dir) {
            this.binary = binary;
            this.dir = dir;
        }

        Outcome run(Image img, String name) throws IOException, InterruptedException {
            Path elf = dir.resolve(name);
            Files.write(elf, img.elf());
            if (!elf.toFile().setExecutable(true)) return new Outcome(null, "cannot chmod +x " + elf);  // qemu-user insists
            Process p = new ProcessBuilder(binary, elf.toString()).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(null, "qemu timed out");
            }
            Files.deleteIfExists(elf);
            int rc = p.exitValue();
            if (rc != 0 || out.length != RandomProgram.AREA_SIZE) {
                return new Outcome(null, "qemu exit " + rc + ", " + out.length + " bytes of output, stderr: "
                        + new String(err).strip());
            }
            return new Outcome(out, null);
        }
    }

    /** The harts' JIT threshold (see {@link Hart#setJitThreshold}); null: the default. */
    static volatile Integer jitThreshold;

    /** Runs the image on a fresh kava hart: a tiny "kernel" that only knows write and exit_group. */
    static Outcome runKava(Image img) {
        AddressSpace as = new AddressSpace();
        byte[] elf = img.elf();
        long len = (elf.length + 0xfffL) & ~0xfffL;
        as.map(RandomProgram.BASE, len, Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC);
        if (!as.copyToUser(RandomProgram.BASE, elf, 0, elf.length)) return new Outcome(null, "copyToUser failed");
        Hart h = new Hart(as);
        Integer t = jitThreshold;
        if (t != null) h.setJitThreshold(t);
        try {
            h.pc = img.entry();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int slices = 0;
            while (true) {
                int cause;
                try {
                    cause = h.run(1_000_000);
                } catch (RuntimeException | Error e) {
                    return new Outcome(null, "kava threw " + e + " at pc=0x" + Long.toHexString(h.pc) + stackTop(e));
                }
                if (cause == Trap.ECALL_U) {
                    long nr = h.x[17];
                    if (nr == 64) {
                        int n = (int) h.x[12];
                        byte[] buf = new byte[n];
                        if (!as.copyFromUser(h.x[11], buf, 0, n)) return new Outcome(null, "write: bad buffer");
                        out.write(buf, 0, n);
                        h.x[10] = n;
                        h.pc += 4;
                    } else if (nr == 94) {
                        break;
                    } else {
                        return new Outcome(null, "unexpected syscall " + nr + " at pc=0x" + Long.toHexString(h.pc));
                    }
                } else if (cause == Trap.BUDGET_EXHAUSTED || cause == Trap.INTERRUPTED) {
                    if (++slices > 20) return new Outcome(null, "kava: runaway program, pc=0x" + Long.toHexString(h.pc));
                } else {
                    return new Outcome(null, "kava trap: " + Trap.name(cause) + " at pc=0x" + Long.toHexString(h.pc)
                            + " tval=0x" + Long.toHexString(h.trapValue));
                }
            }
            byte[] dump = out.toByteArray();
            if (dump.length != RandomProgram.AREA_SIZE) return new Outcome(null, "kava wrote " + dump.length + " bytes");
            return new Outcome(dump, null);
        } finally {
            h.release();
        }
    }

    private static String stackTop(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, st.length); i++) sb.append("\n        at ").append(st[i]);
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------
    // Comparing dumps.

    static long xReg(byte[] dump, int r) {
        return r == 0 ? 0 : RandomProgram.getLong(dump, RandomProgram.DUMP_X + 8 * (r - 1));
    }

    static long fReg(byte[] dump, int r) {
        return RandomProgram.getLong(dump, RandomProgram.DUMP_F + 8 * r);
    }

    static long fcsr(byte[] dump) {
        return RandomProgram.getLong(dump, RandomProgram.DUMP_FCSR);
    }

    static String hex(long v) {
        return String.format("0x%016x", v);
    }

    /** Register-by-register (and memory word by word) differences. */
    static String diff(Outcome expected, Outcome actual) {
        if (expected.dump == null) return "  qemu: " + expected.error + "\n";
        if (actual.dump == null) return "  kava: " + actual.error + "\n";
        byte[] q = expected.dump, k = actual.dump;
        StringBuilder sb = new StringBuilder();
        for (int r = 1; r <= 31; r++) {
            if (xReg(q, r) != xReg(k, r)) sb.append(String.format("  x%-2d   qemu=%s kava=%s%n", r, hex(xReg(q, r)), hex(xReg(k, r))));
        }
        for (int r = 0; r < 32; r++) {
            if (fReg(q, r) != fReg(k, r)) sb.append(String.format("  f%-2d   qemu=%s kava=%s%n", r, hex(fReg(q, r)), hex(fReg(k, r))));
        }
        if (fcsr(q) != fcsr(k)) {
            sb.append(String.format("  fcsr  qemu=0x%02x (frm=%d fflags=%s) kava=0x%02x (frm=%d fflags=%s)%n",
                    fcsr(q), fcsr(q) >> 5, flags(fcsr(q)), fcsr(k), fcsr(k) >> 5, flags(fcsr(k))));
        }
        int memDiffs = 0;
        for (int off = 0; off < RandomProgram.DUMP_X; off += 8) {
            long a = RandomProgram.getLong(q, off), b = RandomProgram.getLong(k, off);
            if (a != b) {
                if (++memDiffs <= 8) {
                    sb.append(String.format("  mem[x31%+d]  qemu=%s kava=%s%n", off - RandomProgram.AREA_SIZE / 2, hex(a), hex(b)));
                }
            }
        }
        if (memDiffs > 8) sb.append("  ... ").append(memDiffs - 8).append(" more memory words differ\n");
        return sb.toString();
    }

    static String flags(long fcsr) {
        StringBuilder sb = new StringBuilder();
        String[] n = {"NX", "UF", "OF", "DZ", "NV"};
        for (int i = 4; i >= 0; i--) if ((fcsr >> i & 1) != 0) sb.append(sb.isEmpty() ? "" : "|").append(n[i]);
        return sb.isEmpty() ? "0" : sb.toString();
    }

    // ------------------------------------------------------------------------------------
    // The test.

    record Result(int index, long programSeed, Outcome qemu, Outcome kava) {}

    @Test
    void kavaMatchesQemu() throws Exception {
        matchesQemu(Integer.getInteger("kava.random.count", DEFAULT_COUNT));
    }

    /** Runs about count random instructions under qemu and kava and compares. */
    static void matchesQemu(int count) throws Exception {
        String qemu = qemuBinary();
        Assumptions.assumeTrue(qemu != null, "qemu-riscv64-static not found: skipping the random differential test");
        long seed = Long.getLong("kava.random.seed", System.nanoTime() ^ 0x5DEECE66DL);
        int perProgram = Math.max(1, Integer.getInteger("kava.random.perProgram", DEFAULT_PER_PROGRAM));
        int programs = Math.max(1, (count + perProgram - 1) / perProgram);
        boolean qemuOnly = Boolean.getBoolean("kava.random.qemuOnly");
        Integer only = Integer.getInteger("kava.random.program");
        System.out.printf("RandomDifferentialTest: seed=%d programs=%d x %d instructions%s%s%s (replay: -Dkava.random.seed=%d)%n",
                seed, programs, perProgram, only != null ? " (only program " + only + ")" : "",
                excluded().isEmpty() ? "" : " excluding " + excluded(),
                jitThreshold == null ? "" : " with JIT threshold " + jitThreshold, seed);

        Path dir = Files.createTempDirectory("kava-random");
        Qemu q = new Qemu(qemu, dir);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Result> failures = new ArrayList<>();
        long executed = 0;
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (int i = 0; i < programs; i++) {
                if (only != null && only != i) continue;
                final int index = i;
                futures.add(pool.submit(() -> {
                    long ps = programSeed(seed, index);
                    RandomProgram prog = RandomProgram.generate(ps, perProgram, excluded());
                    Image img = prog.build();
                    Outcome qo = q.run(img, "p" + index);
                    Outcome ko = qemuOnly ? qo : runKava(img);
                    return new Result(index, ps, qo, ko);
                }));
            }
            for (Future<Result> fu : futures) {
                Result r = fu.get();
                executed += perProgram;
                if (r.qemu.dump == null || !r.qemu.sameAs(r.kava)) failures.add(r);
            }
            if (failures.isEmpty()) {
                System.out.printf("RandomDifferentialTest: %d programs, ~%d random instructions: kava matches qemu (seed=%d)%n",
                        futures.size(), executed, seed);
                return;
            }
            StringBuilder report = new StringBuilder();
            report.append(String.format("%d of %d random programs failed: kava differs from qemu, or qemu rejected the program (seed=%d)%n",
                    failures.size(), futures.size(), seed));
            int shown = 0;
            for (Result r : failures) {
                if (shown++ >= MAX_REPORTED) {
                    report.append("... and ").append(failures.size() - MAX_REPORTED).append(" more failing programs\n");
                    break;
                }
                report.append(explain(q, seed, r, perProgram, qemuOnly));
            }
            System.out.println(report);
            fail(report.toString());
        } finally {
            pool.shutdownNow();
            try (var s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final Pattern REG = Pattern.compile("\\b([xf])(\\d{1,2})\\b");

    /** Describes one failing program; bisects to the first group where qemu and kava diverge. */
    static String explain(Qemu q, long seed, Result r, int perProgram, boolean qemuOnly) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n=== program %d (seed=%d, program seed=%d; replay: -Dkava.random.seed=%d -Dkava.random.program=%d%s)%n",
                r.index, seed, r.programSeed, seed, r.index,
                excluded().isEmpty() ? "" : " -Dkava.random.exclude=" + String.join(",", excluded())));
        RandomProgram prog = RandomProgram.generate(r.programSeed, perProgram, excluded());
        if (r.qemu.dump == null) {
            sb.append("  qemu rejected the program (generator bug): ").append(r.qemu.error).append('\n');
            int lo = 0, hi = prog.groups.size();
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (q.run(prog.build(mid), "bisect-" + r.index).dump != null) lo = mid;
                else hi = mid;
            }
            sb.append(String.format("  qemu first fails with group %d (%s):%n", hi - 1, prog.groups.get(hi - 1).kind()));
            for (Line l : prog.build(hi).listing()) {
                if (l.group() == hi - 1) sb.append("    ").append(l).append('\n');
            }
            return sb.toString();
        }
        sb.append(diff(r.qemu, r.kava));
        if (qemuOnly) return sb.toString();
        // Bisect over the number of groups: prefix lo matches, prefix hi does not.
        int lo = 0, hi = prog.groups.size();
        Outcome q0 = q.run(prog.build(0), "bisect-" + r.index);
        if (!q0.sameAs(runKava(prog.build(0)))) {
            sb.append("  even the prologue+epilogue alone differ:\n").append(diff(q0, runKava(prog.build(0))));
            return sb.toString();
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            Image img = prog.build(mid);
            Outcome qo = q.run(img, "bisect-" + r.index);
            if (qo.dump == null) {
                sb.append("  qemu failed on a truncated program: ").append(qo.error).append('\n');
                return sb.toString();
            }
            if (qo.sameAs(runKava(img))) lo = mid;
            else hi = mid;
        }
        int g = hi - 1;
        Image before = prog.build(g);
        Image after = prog.build(hi);
        Outcome qBefore = q.run(before, "bisect-" + r.index);
        Outcome qAfter = q.run(after, "bisect-" + r.index);
        Outcome kAfter = runKava(after);
        sb.append(String.format("  first divergence after group %d (%s) of %d:%n", g, prog.groups.get(g).kind(), prog.groups.size()));
        Set<String> regs = new LinkedHashSet<>();
        for (Line l : after.listing()) {
            if (l.group() != g) continue;
            sb.append("    ").append(l).append('\n');
            Matcher m = REG.matcher(l.asm());
            while (m.find()) regs.add(m.group(1) + m.group(2));
        }
        sb.append("  inputs (qemu state before the group):\n");
        for (String reg : regs) {
            int n = Integer.parseInt(reg.substring(1));
            long v = reg.charAt(0) == 'x' ? xReg(qBefore.dump, n) : fReg(qBefore.dump, n);
            sb.append(String.format("    %-4s = %s%n", reg, hex(v)));
        }
        sb.append(String.format("    fcsr = 0x%02x (frm=%d fflags=%s)%n", fcsr(qBefore.dump), fcsr(qBefore.dump) >> 5, flags(fcsr(qBefore.dump))));
        sb.append("  after the group:\n").append(diff(qAfter, kAfter));
        if (Boolean.getBoolean("kava.random.listing")) {
            sb.append("  listing:\n");
            for (Line l : after.listing()) sb.append("    ").append(l).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------
    // Generator self-check: the encodings agree with GNU as.

    @Test
    void encodingsMatchGnuAssembler() throws Exception {
        String as = which("riscv64-linux-gnu-as"), objcopy = which("riscv64-linux-gnu-objcopy");
        Assumptions.assumeTrue(as != null && objcopy != null, "riscv64-linux-gnu-as not found: skipping the encoding cross-check");
        Path dir = Files.createTempDirectory("kava-random-as");
        try {
            for (long s : new long[] {1, 2, 3, System.nanoTime()}) {
                RandomProgram prog = RandomProgram.generate(s, 3000);
                Image img = prog.build();
                Path src = dir.resolve("p.s"), obj = dir.resolve("p.o"), bin = dir.resolve("p.bin");
                Files.writeString(src, RandomProgram.assembly(img));
                exec(as, "-march=rv64gc_zba_zbb_zbs", "-mno-relax", "-o", obj.toString(), src.toString());
                exec(objcopy, "-O", "binary", "-j", ".text", obj.toString(), bin.toString());
                byte[] gas = Files.readAllBytes(bin);
                List<Line> listing = img.listing();
                Line last = listing.getLast();
                int codeLen = (int) (last.addr() + last.size() - img.entry());
                byte[] ours = java.util.Arrays.copyOfRange(img.elf(), (int) (img.entry() - RandomProgram.BASE),
                        (int) (img.entry() - RandomProgram.BASE) + codeLen);
                if (!java.util.Arrays.equals(ours, gas)) {
                    StringBuilder sb = new StringBuilder("encodings differ from GNU as (generator seed " + s + "):\n");
                    int bad = 0;
                    for (Line l : listing) {
                        int off = (int) (l.addr() - img.entry());
                        int g = 0;
                        for (int i = l.size() - 1; i >= 0; i--) g = (g << 8) | (off + i < gas.length ? gas[off + i] & 0xff : 0);
                        if (g != (l.size() == 2 ? l.bits() & 0xffff : l.bits())) {
                            sb.append(String.format("  %s   gas=%08x%n", l, g));
                            if (++bad > 20) break;
                        }
                    }
                    fail(sb.toString());
                }
                assertArrayEquals(gas, ours);
            }
        } finally {
            try (var st = Files.walk(dir)) {
                st.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String which(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) fail(String.join(" ", cmd) + " failed:\n" + out);
    }

    // ------------------------------------------------------------------------------------

    /**
     * Replays one program outside Maven: {@code main SEED INDEX [PER_PROGRAM]} prints its listing,
     * then qemu's and kava's results and the bisection.
     */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int index = Integer.parseInt(args[1]);
        int per = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_PER_PROGRAM;
        long ps = programSeed(seed, index);
        RandomProgram prog = RandomProgram.generate(ps, per, excluded());
        Image img = prog.build();
        for (Line l : img.listing()) System.out.println(l);
        String qemu = qemuBinary();
        if (qemu == null) throw new IllegalStateException("qemu-riscv64-static not found");
        Path dir = Files.createTempDirectory("kava-random");
        Qemu q = new Qemu(qemu, dir);
        Outcome qo = q.run(img, "replay");
        Outcome ko = runKava(img);
        if (qo.sameAs(ko)) {
            System.out.println("kava matches qemu");
        } else {
            System.out.println(explain(q, seed, new Result(index, ps, qo, ko), per, false));
        }
        Files.deleteIfExists(dir);
    }
}
