package dev.kava.arch.riscv.fpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomized self-check of {@link Fpu} against the exact BigInteger reference {@link RefFpu}:
 * every operation, both formats, all rounding modes (RNE, which has the fast paths, half the
 * time), comparing result bits and flags. Operands mix special values, uniformly random bits,
 * exponents at the subnormal and overflow edges, short significands (exact results and ties), and
 * operand pairs built to cancel or to land on the underflow/overflow thresholds.
 *
 * <p>Iterations per (operation, format): system property fpu.random.iterations (default 30000);
 * seed: fpu.random.seed (default fixed, so failures reproduce).
 */
class FpuRandomTest {
    private static final int N = Integer.getInteger("fpu.random.iterations", 30000);
    private static final long SEED = Long.getLong("fpu.random.seed", 0x6b617661L);

    /** Format parameters for the generators. */
    private record G(RefFpu.Fmt f, int width, int fracBits, int bias, int maxBe) {
        long sign() {
            return 1L << (width - 1);
        }

        long mask() {
            return width == 64 ? -1L : 0xFFFF_FFFFL;
        }

        long pack(boolean neg, int be, long frac) {
            return (neg ? sign() : 0) | ((long) be << fracBits) | (frac & ((1L << fracBits) - 1));
        }

        int beOf(long bits) {
            return (int) ((bits >>> fracBits) & maxBe);
        }
    }

    private static final G GD = new G(RefFpu.D, 64, 52, 1023, 0x7FF);
    private static final G GS = new G(RefFpu.S, 32, 23, 127, 0xFF);

    private static final long[] SPECIAL_D = {
        0L, 0x7FF0000000000000L, 0x7FF8000000000000L, 0x7FF8000000000001L, 0x7FFFFFFFFFFFFFFFL,
        0x7FF0000000000001L, 0x7FF4000000000000L, 0x7FF7FFFFFFFFFFFFL, 1L, 2L, 3L, 0x000FFFFFFFFFFFFFL,
        0x0010000000000000L, 0x0010000000000001L, 0x001FFFFFFFFFFFFFL, 0x7FEFFFFFFFFFFFFFL,
        0x7FE0000000000000L, 0x7FDFFFFFFFFFFFFFL, 0x3FF0000000000000L, 0x3FF0000000000001L,
        0x3FEFFFFFFFFFFFFFL, 0x4000000000000000L, 0x3FE0000000000000L, 0x4008000000000000L,
        0x3CA0000000000000L, 0x3C90000000000000L, 0x43E0000000000000L, 0x41E0000000000000L,
        0x41F0000000000000L, 0x43F0000000000000L, 0x41DFFFFFFFE00000L, 0x41DFFFFFFFC00000L,
        0x43DFFFFFFFFFFFFFL, 0x0008000000000000L, 0x0000000000000004L,
    };
    private static final long[] SPECIAL_S = {
        0L, 0x7F800000L, 0x7FC00000L, 0x7FC00001L, 0x7FFFFFFFL, 0x7F800001L, 0x7FA00000L, 0x7FBFFFFFL,
        1L, 2L, 3L, 0x007FFFFFL, 0x00800000L, 0x00800001L, 0x00FFFFFFL, 0x7F7FFFFFL, 0x7F000000L,
        0x7EFFFFFFL, 0x3F800000L, 0x3F800001L, 0x3F7FFFFFL, 0x40000000L, 0x3F000000L, 0x40400000L,
        0x33800000L, 0x33000000L, 0x5F000000L, 0x4F000000L, 0x4F800000L, 0x5F800000L, 0x4EFFFFFFL,
        0x5EFFFFFFL, 0x00400000L, 0x00000004L,
    };

    private final Random rnd = new Random(SEED);
    private final List<String> failures = new ArrayList<>();
    private int checked;
    /** How often each expected flag (NX, UF, OF, DZ, NV) occurred: the generators must reach them. */
    private final int[] flagCount = new int[5];

    // ---------------------------------------------------------------- operand generators

    private long operand(G g) {
        long[] special = g.width == 64 ? SPECIAL_D : SPECIAL_S;
        boolean neg = rnd.nextBoolean();
        switch (rnd.nextInt(12)) {
            case 0, 1:
                return special[rnd.nextInt(special.length)] | (neg ? g.sign() : 0);
            case 2:
                return rnd.nextLong() & g.mask();
            default:
                return g.pack(neg, exponent(g), fraction(g));
        }
    }

    private int exponent(G g) {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextInt(g.maxBe); // any finite
            case 1 -> rnd.nextInt(g.fracBits + 8); // subnormal and just above
            case 2 -> g.maxBe - 1 - rnd.nextInt(g.fracBits + 4); // near overflow
            default -> g.bias - 40 + rnd.nextInt(80); // ordinary
        };
    }

    private long fraction(G g) {
        long all = (1L << g.fracBits) - 1;
        return switch (rnd.nextInt(7)) {
            case 0 -> 0;
            case 1 -> all;
            case 2 -> (rnd.nextLong() & all) >>> rnd.nextInt(g.fracBits) << rnd.nextInt(4) & all; // few low bits
            case 3 -> { // short significand: only the top k bits random (exact results, ties)
                int k = rnd.nextInt(g.fracBits / 2 + 2);
                yield k == 0 ? 0 : (rnd.nextLong() & ((1L << k) - 1)) << (g.fracBits - k);
            }
            case 4 -> all ^ (1L << rnd.nextInt(g.fracBits)); // nearly all ones
            default -> rnd.nextLong() & all;
        };
    }

    /** Nudges the bit pattern by a few ulps (staying in the same sign). */
    private long nudge(G g, long bits) {
        long mag = bits & ~g.sign() & g.mask(), d = rnd.nextInt(7) - 3;
        long m = mag + d;
        if (m < 0) m = 0;
        return (bits & g.sign()) | (m & g.mask() & ~g.sign());
    }

    /** A second operand for a with a product (mul) or quotient (div) exponent near an edge. */
    private long edgePartner(G g, long a, boolean div) {
        int ea = g.beOf(a) - g.bias;
        int target = rnd.nextBoolean()
                ? -(g.bias - 1) - rnd.nextInt(g.fracBits + 3) + 2 // around the subnormal range
                : g.bias - 1 + rnd.nextInt(3); // around overflow
        int eb = div ? ea - target : target - ea;
        int be = eb + g.bias;
        if (be < 1 || be >= g.maxBe) return operand(g);
        return g.pack(rnd.nextBoolean(), be, fraction(g));
    }

    /** An exponent at one of the thresholds where tininess or overflow is decided. */
    private int edgeExponent(G g) {
        return switch (rnd.nextInt(4)) {
            case 0, 1 -> 1 - g.bias; // the smallest normal: tininess after rounding
            case 2 -> 1 - g.bias - rnd.nextInt(g.fracBits + 2); // deep in the subnormals
            default -> g.bias + 1; // the overflow threshold
        };
    }

    /** Scales the finite value (bits) by 2^k, in the format of g. */
    private static long scalb(G g, long bits, int k) {
        if (g.width == 64) return Double.doubleToRawLongBits(Math.scalb(Double.longBitsToDouble(bits), k));
        return Float.floatToRawIntBits(Math.scalb(Float.intBitsToFloat((int) bits), k)) & 0xFFFF_FFFFL;
    }

    /**
     * A partner b for a whose product a*b (div: quotient a/b) is within a few ulps of a power of
     * two at a tininess/overflow threshold, so rounding decides whether the result is tiny or
     * overflows.
     */
    private long thresholdPartner(G g, long a, boolean div) {
        if (g.beOf(a) == 0 || g.beOf(a) == g.maxBe) return operand(g);
        int t = edgeExponent(g), ea = g.beOf(a) - g.bias;
        long b;
        if (div) {
            b = scalb(g, a, -t); // a/b = 2^t
        } else {
            // b ~ 2^t / a: the reciprocal of a's significand, scaled.
            long one = g.pack(false, g.bias, 0), am = g.pack(false, g.bias, a);
            long r = g.width == 64 ? Double.doubleToRawLongBits(Double.longBitsToDouble(one) / Double.longBitsToDouble(am))
                    : Float.floatToRawIntBits(Float.intBitsToFloat((int) one) / Float.intBitsToFloat((int) am)) & 0xFFFF_FFFFL;
            b = scalb(g, r, t - ea);
        }
        b = nudge(g, b) ^ (rnd.nextBoolean() ? g.sign() : 0);
        return b;
    }

    private int mode() {
        return rnd.nextBoolean() ? Fpu.RNE : rnd.nextInt(5);
    }

    // ---------------------------------------------------------------- checking

    private interface Impl {
        long run(Fpu u);
    }

    private interface Ref {
        long run(RefFpu r);
    }

    private void check(String what, Impl impl, Ref ref) {
        Fpu u = new Fpu();
        RefFpu r = new RefFpu();
        long got, want;
        try {
            got = impl.run(u);
        } catch (RuntimeException e) {
            failures.add(what + ": threw " + e);
            return;
        }
        want = ref.run(r);
        checked++;
        for (int i = 0; i < 5; i++) if ((r.flags & (1 << i)) != 0) flagCount[i]++;
        if (got != want || u.fflags != r.flags) {
            if (failures.size() < 40) {
                failures.add(String.format("%s: got %x flags %s, want %x flags %s", what, got, flags(u.fflags), want, flags(r.flags)));
            } else if (failures.size() == 40) {
                failures.add("...");
            }
        }
    }

    private static String flags(int f) {
        StringBuilder b = new StringBuilder();
        if ((f & Fpu.NV) != 0) b.append("NV ");
        if ((f & Fpu.DZ) != 0) b.append("DZ ");
        if ((f & Fpu.OF) != 0) b.append("OF ");
        if ((f & Fpu.UF) != 0) b.append("UF ");
        if ((f & Fpu.NX) != 0) b.append("NX ");
        return b.isEmpty() ? "-" : b.toString().trim();
    }

    /** Fails on mismatches, or if some flag in mustSee was never expected (weak generators). */
    private void done(int mustSee) {
        for (int i = 0; i < 5; i++) {
            if ((mustSee & (1 << i)) != 0 && flagCount[i] == 0) {
                failures.add("generator never produced flag " + flags(1 << i) + " " + java.util.Arrays.toString(flagCount));
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " mismatches (of " + checked + "):\n" + String.join("\n", failures));
    }

    private static String hex(long... v) {
        StringBuilder b = new StringBuilder();
        for (long x : v) b.append(String.format("%x ", x));
        return b.toString();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void addSub() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long a = operand(g);
                long b = switch (rnd.nextInt(4)) {
                    case 0 -> nudge(g, a ^ g.sign()); // near cancellation
                    case 1 -> nudge(g, a) ^ (rnd.nextBoolean() ? g.sign() : 0);
                    default -> operand(g);
                };
                int rm = mode();
                boolean sub = rnd.nextBoolean();
                String what = (sub ? "sub" : "add") + g.width + " " + hex(a, b) + "rm" + rm;
                if (g == GD) {
                    check(what, u -> sub ? u.subD(a, b, rm) : u.addD(a, b, rm), r -> sub ? r.sub(a, b, rm, g.f) : r.add(a, b, rm, g.f));
                } else {
                    check(what, u -> (sub ? u.subS((int) a, (int) b, rm) : u.addS((int) a, (int) b, rm)) & 0xFFFF_FFFFL,
                            r -> sub ? r.sub(a, b, rm, g.f) : r.add(a, b, rm, g.f));
                }
            }
        }
        done(Fpu.NX | Fpu.OF | Fpu.NV);
    }

    @Test
    void mul() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long a = operand(g);
                long b = switch (rnd.nextInt(4)) {
                    case 0 -> edgePartner(g, a, false);
                    case 1 -> thresholdPartner(g, a, false);
                    default -> operand(g);
                };
                int rm = mode();
                String what = "mul" + g.width + " " + hex(a, b) + "rm" + rm;
                if (g == GD) check(what, u -> u.mulD(a, b, rm), r -> r.mul(a, b, rm, g.f));
                else check(what, u -> u.mulS((int) a, (int) b, rm) & 0xFFFF_FFFFL, r -> r.mul(a, b, rm, g.f));
            }
        }
        done(Fpu.NX | Fpu.UF | Fpu.OF | Fpu.NV);
    }

    @Test
    void div() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long a = operand(g);
                long b = switch (rnd.nextInt(5)) {
                    case 0 -> edgePartner(g, a, true);
                    case 4 -> thresholdPartner(g, a, true);
                    case 1 -> nudge(g, a);
                    default -> operand(g);
                };
                int rm = mode();
                String what = "div" + g.width + " " + hex(a, b) + "rm" + rm;
                if (g == GD) check(what, u -> u.divD(a, b, rm), r -> r.div(a, b, rm, g.f));
                else check(what, u -> u.divS((int) a, (int) b, rm) & 0xFFFF_FFFFL, r -> r.div(a, b, rm, g.f));
            }
        }
        done(Fpu.NX | Fpu.UF | Fpu.OF | Fpu.DZ | Fpu.NV);
    }

    @Test
    void sqrt() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long a0 = operand(g);
                // Mostly positive, and sometimes an exact square (short significand squared).
                long a = rnd.nextInt(4) == 0 ? a0 : a0 & ~g.sign();
                int rm = mode();
                String what = "sqrt" + g.width + " " + hex(a) + "rm" + rm;
                if (g == GD) check(what, u -> u.sqrtD(a, rm), r -> r.sqrt(a, rm, g.f));
                else check(what, u -> u.sqrtS((int) a, rm) & 0xFFFF_FFFFL, r -> r.sqrt(a, rm, g.f));
            }
            for (int i = 0; i < N / 4; i++) { // squares of short values, and their neighbours
                long s = g.pack(false, g.bias - 30 + rnd.nextInt(60), fraction(g) & ~((1L << (g.fracBits / 2)) - 1));
                long sq = g == GD ? Double.doubleToRawLongBits(Math.pow(Double.longBitsToDouble(s), 2))
                        : Float.floatToRawIntBits((float) Math.pow(Float.intBitsToFloat((int) s), 2)) & 0xFFFF_FFFFL;
                long a = rnd.nextBoolean() ? sq : nudge(g, sq);
                int rm = mode();
                String what = "sqrt" + g.width + " " + hex(a) + "rm" + rm;
                if (g == GD) check(what, u -> u.sqrtD(a, rm), r -> r.sqrt(a, rm, g.f));
                else check(what, u -> u.sqrtS((int) a, rm) & 0xFFFF_FFFFL, r -> r.sqrt(a, rm, g.f));
            }
        }
        done(Fpu.NX | Fpu.NV);
    }

    @Test
    void fma() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                if (g == GS && rnd.nextInt(6) == 0) {
                    long[] t = nearMidpointS();
                    int rm = mode();
                    check("fma32 " + hex(t) + "rm" + rm, u -> u.fmaS((int) t[0], (int) t[1], (int) t[2], rm) & 0xFFFF_FFFFL,
                            r -> r.fma(t[0], t[1], t[2], rm, g.f));
                    continue;
                }
                long a = operand(g);
                long b = switch (rnd.nextInt(5)) {
                    case 0 -> edgePartner(g, a, false);
                    case 1 -> thresholdPartner(g, a, false);
                    default -> operand(g);
                };
                long c = switch (rnd.nextInt(6)) {
                    case 5 -> { // a tiny addend that decides the rounding at a threshold
                        long f = rnd.nextBoolean() ? 1L << rnd.nextInt(g.fracBits) : rnd.nextLong();
                        yield g.pack(rnd.nextBoolean(), 0, f); // a subnormal
                    }
                    case 0, 1 -> { // cancel the product (nearly) exactly
                        long p = g == GD ? Double.doubleToRawLongBits(Double.longBitsToDouble(a) * Double.longBitsToDouble(b))
                                : Float.floatToRawIntBits(Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b)) & 0xFFFF_FFFFL;
                        yield nudge(g, p ^ g.sign());
                    }
                    case 2 -> g.pack(rnd.nextBoolean(), Math.max(0, Math.min(g.maxBe - 1, g.beOf(a) + g.beOf(b) - g.bias - rnd.nextInt(120) + 60)), fraction(g));
                    default -> operand(g);
                };
                int rm = mode();
                String what = "fma" + g.width + " " + hex(a, b, c) + "rm" + rm;
                if (g == GD) check(what, u -> u.fmaD(a, b, c, rm), r -> r.fma(a, b, c, rm, g.f));
                else check(what, u -> u.fmaS((int) a, (int) b, (int) c, rm) & 0xFFFF_FFFFL, r -> r.fma(a, b, c, rm, g.f));
            }
        }
        done(Fpu.NX | Fpu.UF | Fpu.OF | Fpu.NV);
    }

    /**
     * binary32 fma operands whose exact a*b+c lies within 2^-46 (relative) of a float midpoint,
     * so that evaluating it in double would round onto the midpoint (the double-rounding hazard):
     * a = 1 + k*2^-23 and b = (1 - k*2^-23) * ulp(c)/2 make a*b = ulp(c)/2 * (1 - k^2*2^-46).
     */
    private long[] nearMidpointS() {
        int be = 30 + rnd.nextInt(190);
        long c = GS.pack(rnd.nextBoolean(), be, fraction(GS));
        int k = 1 + rnd.nextInt(64);
        long a = GS.pack(rnd.nextBoolean(), 127, k);
        long b = (Float.floatToRawIntBits(Math.scalb(1f - k * 0x1p-23f, be - 127 - 24)) & 0xFFFF_FFFFL) | (rnd.nextBoolean() ? GS.sign() : 0);
        return new long[] {a, b, c};
    }

    /** Values around the integer-conversion boundaries. */
    private long intish(G g) {
        if (rnd.nextInt(4) == 0) return operand(g);
        int e = rnd.nextInt(70) - 3; // 2^-3 .. 2^66
        long frac = fraction(g);
        long bits = g.pack(rnd.nextBoolean(), e + g.bias, frac);
        return rnd.nextBoolean() ? bits : nudge(g, bits);
    }

    @Test
    void floatToInt() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long a = intish(g);
                int rm = mode();
                int kind = rnd.nextInt(4);
                String what = "cvt" + new String[] {"W", "Wu", "L", "Lu"}[kind] + g.width + " " + hex(a) + "rm" + rm;
                Impl impl;
                if (g == GD) {
                    impl = switch (kind) {
                        case 0 -> u -> u.cvtWD(a, rm);
                        case 1 -> u -> u.cvtWuD(a, rm);
                        case 2 -> u -> u.cvtLD(a, rm);
                        default -> u -> u.cvtLuD(a, rm);
                    };
                } else {
                    int s = (int) a;
                    impl = switch (kind) {
                        case 0 -> u -> u.cvtWS(s, rm);
                        case 1 -> u -> u.cvtWuS(s, rm);
                        case 2 -> u -> u.cvtLS(s, rm);
                        default -> u -> u.cvtLuS(s, rm);
                    };
                }
                Ref ref = switch (kind) {
                    case 0 -> r -> r.cvtW(a, g.f, rm);
                    case 1 -> r -> r.cvtWu(a, g.f, rm);
                    case 2 -> r -> r.cvtL(a, g.f, rm);
                    default -> r -> r.cvtLu(a, g.f, rm);
                };
                check(what, impl, ref);
            }
        }
        done(Fpu.NX | Fpu.NV);
    }

    private long randomInt() {
        long v = switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextLong();
            case 1 -> rnd.nextInt(2000) - 1000;
            case 2 -> (1L << rnd.nextInt(64)) + rnd.nextInt(9) - 4;
            case 3 -> rnd.nextLong() >> rnd.nextInt(64);
            default -> (rnd.nextLong() >>> rnd.nextInt(40)) << rnd.nextInt(30); // short, exact-ish
        };
        return rnd.nextInt(4) == 0 ? -v : v;
    }

    @Test
    void intToFloat() {
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long x = randomInt();
                int rm = mode();
                int kind = rnd.nextInt(4);
                String what = "cvt" + g.width + "from" + new String[] {"W", "Wu", "L", "Lu"}[kind] + " " + hex(x) + "rm" + rm;
                BigInteger v = switch (kind) {
                    case 0 -> BigInteger.valueOf((int) x);
                    case 1 -> BigInteger.valueOf(x & 0xFFFF_FFFFL);
                    case 2 -> BigInteger.valueOf(x);
                    default -> x < 0 ? BigInteger.valueOf(x).add(two64) : BigInteger.valueOf(x);
                };
                Impl impl;
                if (g == GD) {
                    impl = switch (kind) {
                        case 0 -> u -> u.cvtDW(x, rm);
                        case 1 -> u -> u.cvtDWu(x, rm);
                        case 2 -> u -> u.cvtDL(x, rm);
                        default -> u -> u.cvtDLu(x, rm);
                    };
                } else {
                    impl = switch (kind) {
                        case 0 -> u -> u.cvtSW(x, rm) & 0xFFFF_FFFFL;
                        case 1 -> u -> u.cvtSWu(x, rm) & 0xFFFF_FFFFL;
                        case 2 -> u -> u.cvtSL(x, rm) & 0xFFFF_FFFFL;
                        default -> u -> u.cvtSLu(x, rm) & 0xFFFF_FFFFL;
                    };
                }
                check(what, impl, r -> r.fromInt(v, rm, g.f));
            }
        }
        done(Fpu.NX);
    }

    @Test
    void floatDoubleConversions() {
        for (int i = 0; i < N; i++) {
            long a = switch (rnd.nextInt(4)) {
                case 0 -> GD.pack(rnd.nextBoolean(), 1023 + rnd.nextInt(300) - 150 + (rnd.nextBoolean() ? -24 : 0), fraction(GD));
                // just below the float thresholds (smallest normal, overflow), mostly all-ones
                case 1 -> GD.pack(rnd.nextBoolean(), rnd.nextBoolean() ? 1023 - 127 : 1023 + 127,
                        rnd.nextBoolean() ? fraction(GD) : -1L << rnd.nextInt(30));
                default -> operand(GD);
            };
            int rm = mode();
            check("cvtSD " + hex(a) + "rm" + rm, u -> u.cvtSD(a, rm) & 0xFFFF_FFFFL, r -> r.convert(a, RefFpu.D, RefFpu.S, rm));
            long s = operand(GS);
            check("cvtDS " + hex(s), u -> u.cvtDS((int) s), r -> r.convert(s, RefFpu.S, RefFpu.D, Fpu.RNE));
        }
        done(Fpu.NX | Fpu.UF | Fpu.OF | Fpu.NV);
    }

    @Test
    void minMaxCompareClassify() {
        for (G g : new G[] {GD, GS}) {
            for (int i = 0; i < N; i++) {
                long a = operand(g);
                long b = switch (rnd.nextInt(4)) {
                    case 0 -> a;
                    case 1 -> a ^ g.sign();
                    case 2 -> nudge(g, a);
                    default -> operand(g);
                };
                String w = g.width + " " + hex(a, b);
                if (g == GD) {
                    check("min" + w, u -> u.minD(a, b), r -> r.minMax(a, b, g.f, false));
                    check("max" + w, u -> u.maxD(a, b), r -> r.minMax(a, b, g.f, true));
                    check("eq" + w, u -> u.eqD(a, b), r -> r.compare(a, b, g.f, 0));
                    check("lt" + w, u -> u.ltD(a, b), r -> r.compare(a, b, g.f, 1));
                    check("le" + w, u -> u.leD(a, b), r -> r.compare(a, b, g.f, 2));
                    check("class" + w, u -> Fpu.classD(a), r -> RefFpu.classify(a, g.f));
                } else {
                    int x = (int) a, y = (int) b;
                    check("min" + w, u -> u.minS(x, y) & 0xFFFF_FFFFL, r -> r.minMax(a, b, g.f, false));
                    check("max" + w, u -> u.maxS(x, y) & 0xFFFF_FFFFL, r -> r.minMax(a, b, g.f, true));
                    check("eq" + w, u -> u.eqS(x, y), r -> r.compare(a, b, g.f, 0));
                    check("lt" + w, u -> u.ltS(x, y), r -> r.compare(a, b, g.f, 1));
                    check("le" + w, u -> u.leS(x, y), r -> r.compare(a, b, g.f, 2));
                    check("class" + w, u -> Fpu.classS(x), r -> RefFpu.classify(a, g.f));
                }
            }
        }
        done(Fpu.NV);
    }
}
