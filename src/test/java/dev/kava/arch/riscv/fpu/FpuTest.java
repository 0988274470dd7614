package dev.kava.arch.riscv.fpu;

import static dev.kava.arch.riscv.fpu.Fpu.DZ;
import static dev.kava.arch.riscv.fpu.Fpu.NV;
import static dev.kava.arch.riscv.fpu.Fpu.NX;
import static dev.kava.arch.riscv.fpu.Fpu.OF;
import static dev.kava.arch.riscv.fpu.Fpu.RDN;
import static dev.kava.arch.riscv.fpu.Fpu.RMM;
import static dev.kava.arch.riscv.fpu.Fpu.RNE;
import static dev.kava.arch.riscv.fpu.Fpu.RTZ;
import static dev.kava.arch.riscv.fpu.Fpu.RUP;
import static dev.kava.arch.riscv.fpu.Fpu.UF;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-picked corner cases of the RISC-V F/D semantics, each checked for exact result bits and
 * exact flags. (FpuRandomTest covers the bulk against an exact reference.)
 */
class FpuTest {
    private static final long SIGN_D = 0x8000_0000_0000_0000L;
    private static final int SIGN_S = 0x8000_0000;
    private static final long QNAN_D = 0x7FF8_0000_0000_0001L, SNAN_D = 0x7FF0_0000_0000_0001L;
    private static final int QNAN_S = 0x7FC0_0001, SNAN_S = 0x7F80_0001;
    private static final long INF_D = 0x7FF0_0000_0000_0000L, MAX_D = 0x7FEF_FFFF_FFFF_FFFFL;
    private static final int INF_S = 0x7F80_0000, MAX_S = 0x7F7F_FFFF;
    private static final long CN_D = Fpu.CANONICAL_NAN_D;
    private static final int CN_S = Fpu.CANONICAL_NAN_S;

    private Fpu u;

    @BeforeEach
    void setUp() {
        u = new Fpu();
    }

    private static long d(double x) {
        return Double.doubleToRawLongBits(x);
    }

    private static int f(float x) {
        return Float.floatToRawIntBits(x);
    }

    /** Asserts the result and the flags raised since the last check, then clears the flags. */
    private void is(long want, long got, int flags) {
        assertEquals(Long.toHexString(want), Long.toHexString(got), "result");
        assertEquals(flagString(flags), flagString(u.fflags), "flags for result " + Long.toHexString(got));
        u.fflags = 0;
    }

    private void is(int want, int got, int flags) {
        is(want & 0xFFFF_FFFFL, got & 0xFFFF_FFFFL, flags);
    }

    private static String flagString(int fl) {
        return ((fl & NV) != 0 ? "NV " : "") + ((fl & DZ) != 0 ? "DZ " : "") + ((fl & OF) != 0 ? "OF " : "")
                + ((fl & UF) != 0 ? "UF " : "") + ((fl & NX) != 0 ? "NX" : "");
    }

    // ---------------------------------------------------------------- rounding modes

    @Test
    void oneThirdInEveryMode() {
        long one = d(1), three = d(3);
        is(0x3FD5555555555555L, u.divD(one, three, RNE), NX);
        is(0x3FD5555555555555L, u.divD(one, three, RTZ), NX);
        is(0x3FD5555555555555L, u.divD(one, three, RDN), NX);
        is(0x3FD5555555555556L, u.divD(one, three, RUP), NX);
        is(0x3FD5555555555555L, u.divD(one, three, RMM), NX);
        long mthree = d(-3);
        is(0xBFD5555555555555L, u.divD(one, mthree, RNE), NX);
        is(0xBFD5555555555555L, u.divD(one, mthree, RTZ), NX);
        is(0xBFD5555555555556L, u.divD(one, mthree, RDN), NX);
        is(0xBFD5555555555555L, u.divD(one, mthree, RUP), NX);
        // binary32: 1/3 = 0x3EAAAAAA|1010...: the discarded part is above half
        is(0x3EAAAAAB, u.divS(f(1), f(3), RNE), NX);
        is(0x3EAAAAAA, u.divS(f(1), f(3), RTZ), NX);
        is(0x3EAAAAAA, u.divS(f(1), f(3), RDN), NX);
        is(0x3EAAAAAB, u.divS(f(1), f(3), RUP), NX);
        is(0x3EAAAAAB, u.divS(f(1), f(3), RMM), NX);
    }

    @Test
    void roundToNearestMaxMagnitudeBreaksTiesAwayFromZero() {
        long one = d(1), halfUlp = d(0x1p-53);
        is(d(1), u.addD(one, halfUlp, RNE), NX); // tie: to even
        is(0x3FF0000000000001L, u.addD(one, halfUlp, RMM), NX); // tie: away
        is(0xBFF0000000000001L, u.addD(one ^ SIGN_D, halfUlp ^ SIGN_D, RMM), NX);
        is(d(1), u.addD(one, halfUlp, RTZ), NX);
        is(0x3FF0000000000001L, u.addD(one, halfUlp, RUP), NX);
        // a tie whose even neighbour is the larger one: both nearest modes go up
        is(0x3FF0000000000002L, u.addD(0x3FF0000000000001L, halfUlp, RNE), NX);
        is(0x3FF0000000000002L, u.addD(0x3FF0000000000001L, halfUlp, RMM), NX);
        is(f(1), u.addS(f(1), f(0x1p-24f), RNE), NX);
        is(0x3F800001, u.addS(f(1), f(0x1p-24f), RMM), NX);
        // integer conversion ties
        is(0x4340000000000000L, u.cvtDL((1L << 53) + 1, RNE), NX);
        is(0x4340000000000001L, u.cvtDL((1L << 53) + 1, RMM), NX);
        is(2, u.cvtWS(f(2.5f), RNE), NX);
        is(3, u.cvtWS(f(2.5f), RMM), NX);
        is(-3, u.cvtWS(f(-2.5f), RMM), NX);
        is(-3, u.cvtWS(f(-2.5f), RDN), NX);
        is(-2, u.cvtWS(f(-2.5f), RUP), NX);
        is(-2, u.cvtWS(f(-2.5f), RTZ), NX);
    }

    // ---------------------------------------------------------------- signed zeros

    @Test
    void signedZeros() {
        for (int rm = 0; rm <= 4; rm++) {
            long z = rm == RDN ? SIGN_D : 0;
            is(z, u.addD(d(1), d(-1), rm), 0); // x + (-x) = +0, -0 only in RDN
            is(z, u.subD(d(2.5), d(2.5), rm), 0);
            is(z, u.addD(0, SIGN_D, rm), 0); // (+0) + (-0)
            is(SIGN_D, u.addD(SIGN_D, SIGN_D, rm), 0); // (-0) + (-0) = -0 always
            is(0, u.addD(0, 0, rm), 0);
            is((int) (z >>> 32), u.addS(f(1), f(-1), rm), 0);
            is((int) (z >>> 32), u.subS(0, 0, rm), 0);
            is(SIGN_S, u.addS(SIGN_S, SIGN_S, rm), 0);
            is(SIGN_D, u.mulD(SIGN_D, d(5), rm), 0);
            is(SIGN_D, u.sqrtD(SIGN_D, rm), 0); // sqrt(-0) = -0, no NV
            is(SIGN_S, u.sqrtS(SIGN_S, rm), 0);
            is(z, u.fmaD(0, d(5), SIGN_D, rm), 0); // +0*5 + -0
            is(SIGN_D, u.fmaD(SIGN_D, d(5), SIGN_D, rm), 0); // -0 + -0
            is(z, u.fmaD(d(2), d(3), d(-6), rm), 0); // exact cancellation
            is((int) (z >>> 32), u.fmaS(f(2), f(3), f(-6), rm), 0);
            is(d(7), u.fmaD(SIGN_D, d(5), d(7), rm), 0);
            is(SIGN_D, u.divD(SIGN_D, d(3), rm), 0);
            is(0, u.divD(d(-1), INF_D | SIGN_D, rm), 0);
        }
        is(d(-0.0f), u.cvtDS(f(-0.0f)), 0);
        is(SIGN_S, u.cvtSD(SIGN_D, RNE), 0);
        is(0, u.cvtDL(0, RDN), 0); // integer zero converts to +0
        is(0, u.cvtSW(0, RDN), 0);
    }

    // ---------------------------------------------------------------- overflow

    @Test
    void overflowPerMode() {
        long two = d(2);
        is(INF_D, u.mulD(MAX_D, two, RNE), OF | NX);
        is(MAX_D, u.mulD(MAX_D, two, RTZ), OF | NX);
        is(MAX_D, u.mulD(MAX_D, two, RDN), OF | NX);
        is(INF_D, u.mulD(MAX_D, two, RUP), OF | NX);
        is(INF_D, u.mulD(MAX_D, two, RMM), OF | NX);
        long nmax = MAX_D | SIGN_D;
        is(INF_D | SIGN_D, u.mulD(nmax, two, RNE), OF | NX);
        is(nmax, u.mulD(nmax, two, RTZ), OF | NX);
        is(INF_D | SIGN_D, u.mulD(nmax, two, RDN), OF | NX);
        is(nmax, u.mulD(nmax, two, RUP), OF | NX);
        is(INF_D | SIGN_D, u.mulD(nmax, two, RMM), OF | NX);
        is(INF_S, u.mulS(MAX_S, f(2), RNE), OF | NX);
        is(MAX_S, u.mulS(MAX_S, f(2), RTZ), OF | NX);
        is(MAX_S | SIGN_S, u.mulS(MAX_S | SIGN_S, f(2), RUP), OF | NX);
        // MAX + half an ulp: a tie that RNE/RMM round up into overflow; RTZ/RDN stay finite
        // (no OF: the result rounded with an unbounded exponent is MAX itself)
        long halfUlp = d(0x1p970);
        is(INF_D, u.addD(MAX_D, halfUlp, RNE), OF | NX);
        is(INF_D, u.addD(MAX_D, halfUlp, RMM), OF | NX);
        is(INF_D, u.addD(MAX_D, halfUlp, RUP), OF | NX);
        is(MAX_D, u.addD(MAX_D, halfUlp, RTZ), NX);
        is(MAX_D, u.addD(MAX_D, halfUlp, RDN), NX);
        // infinity arithmetic is exact
        is(INF_D, u.addD(INF_D, MAX_D, RNE), 0);
        is(INF_D, u.mulD(INF_D, two, RTZ), 0);
        is(INF_D, u.divD(INF_D, 0, RNE), 0); // not DZ: the dividend is not finite
    }

    // ---------------------------------------------------------------- underflow

    @Test
    void tininessIsDetectedAfterRounding() {
        // (1 - 2^-52) * (1 + 2^-52) * 2^-1022 = 2^-1022 * (1 - 2^-104): rounding with an unbounded
        // exponent gives 2^-1022 in RNE/RUP/RMM, so not tiny: NX without UF.
        long a = 0x3FEFFFFFFFFFFFFEL, b = 0x0010000000000001L, minNormal = 0x0010000000000000L;
        is(minNormal, u.mulD(a, b, RNE), NX);
        is(minNormal, u.mulD(a, b, RUP), NX);
        is(minNormal, u.mulD(a, b, RMM), NX);
        is(0x000FFFFFFFFFFFFFL, u.mulD(a, b, RTZ), UF | NX);
        is(0x000FFFFFFFFFFFFFL, u.mulD(a, b, RDN), UF | NX);
        // 2^-1022 - 2^-1075 has 53 bits: tiny even after rounding, inexact as a subnormal (a tie
        // that goes to the even 2^-1022): UF although the result is the smallest normal
        is(minNormal, u.mulD(0x3FEFFFFFFFFFFFFFL, minNormal, RNE), UF | NX);
        // binary32: (1 - 2^-23) * (1 + 2^-23) * 2^-126
        is(0x00800000, u.mulS(0x3F7FFFFE, 0x00800001, RNE), NX);
        is(0x007FFFFF, u.mulS(0x3F7FFFFE, 0x00800001, RTZ), UF | NX);
        // tiny but exact: no flags at all
        is(0x0008000000000000L, u.mulD(minNormal, d(0.5), RNE), 0);
        is(d(0x1p-1073), u.addD(1, 1, RNE), 0);
        is(0x00400000, u.divS(0x00800000, f(2), RUP), 0);
        // half the smallest subnormal
        is(0, u.divD(1, d(2), RNE), UF | NX);
        is(1, u.divD(1, d(2), RUP), UF | NX);
        is(1, u.divD(1, d(2), RMM), UF | NX);
        is(SIGN_D | 1, u.divD(1, d(-2), RDN), UF | NX);
        is(SIGN_D, u.divD(1, d(-2), RUP), UF | NX);
        // products deep below the subnormals
        is(0, u.mulD(d(0x1p-1000), d(0x1p-1000), RNE), UF | NX);
        is(1, u.mulD(d(0x1p-1000), d(0x1p-1000), RUP), UF | NX);
        is(0, u.mulS(f(0x1p-100f), f(0x1p-100f), RTZ), UF | NX);
        // double -> float at the threshold
        long justBelow = d(0x1p-126 * (1 - 0x1p-30));
        is(0x00800000, u.cvtSD(justBelow, RNE), NX);
        is(0x007FFFFF, u.cvtSD(justBelow, RTZ), UF | NX);
        is(0, u.cvtSD(d(1e-300), RNE), UF | NX);
        is(1, u.cvtSD(d(1e-300), RUP), UF | NX);
    }

    // ---------------------------------------------------------------- NaNs and invalid operations

    @Test
    void nanResultsAreCanonical() {
        is(CN_D, u.addD(QNAN_D, d(1), RNE), 0);
        is(CN_D, u.addD(0xFFF8000000000000L, d(1), RTZ), 0); // negative NaN: still the canonical one
        is(CN_D, u.addD(SNAN_D, d(1), RNE), NV);
        is(CN_D, u.mulD(d(1), SNAN_D, RNE), NV);
        is(CN_D, u.divD(QNAN_D, SNAN_D, RNE), NV);
        is(CN_D, u.sqrtD(QNAN_D, RNE), 0);
        is(CN_S, u.addS(QNAN_S, f(1), RNE), 0);
        is(CN_S, u.mulS(SNAN_S, f(1), RUP), NV);
        is(CN_S, u.sqrtS(SNAN_S | SIGN_S, RNE), NV);
        // invalid operations
        is(CN_D, u.addD(INF_D, INF_D | SIGN_D, RNE), NV);
        is(CN_D, u.subD(INF_D, INF_D, RNE), NV);
        is(CN_D, u.mulD(0, INF_D, RNE), NV);
        is(CN_D, u.divD(0, SIGN_D, RNE), NV);
        is(CN_D, u.divD(INF_D, INF_D | SIGN_D, RNE), NV);
        is(CN_D, u.sqrtD(d(-1), RNE), NV);
        is(CN_D, u.sqrtD(INF_D | SIGN_D, RNE), NV);
        is(CN_S, u.sqrtS(f(-1e-40f), RNE), NV); // negative subnormal
        is(CN_S, u.divS(0, 0, RNE), NV);
        // divide by zero
        is(INF_D, u.divD(d(1), 0, RNE), DZ);
        is(INF_D | SIGN_D, u.divD(d(-1), 0, RNE), DZ);
        is(INF_D | SIGN_D, u.divD(d(1), SIGN_D, RTZ), DZ);
        is(INF_S | SIGN_S, u.divS(f(1e-40f), SIGN_S, RNE), DZ);
        // conversions between formats
        is(CN_S, u.cvtSD(SNAN_D, RNE), NV);
        is(CN_S, u.cvtSD(0xFFF8000000000001L, RNE), 0);
        is(CN_D, u.cvtDS(SNAN_S), NV);
        is(CN_D, u.cvtDS(0xFFC00001), 0);
    }

    @Test
    void fusedMultiplyAdd() {
        // (1+2^-27)^2 - 1 = 2^-26 + 2^-54 exactly; rounding the product first would lose 2^-54
        long a = d(1 + 0x1p-27);
        is(0x3E50000001000000L, u.fmaD(a, a, d(-1), RNE), 0);
        is(0x3E50000000000000L, u.addD(u.mulD(a, a, RNE), d(-1), RNE), NX);
        u.fflags = 0;
        // binary32 where computing in double and rounding twice would give 0x3F800002:
        // (1+2^-23) + (1+2^-23) * 2^-24 * (1-2^-23) = 1 + 2^-23 + 2^-24 - 2^-70, just below a tie
        is(0x3F800001, u.fmaS(0x3F800001, 0x337FFFFE, 0x3F800001, RNE), NX);
        is(0x3F800002, u.fmaS(0x3F800001, 0x337FFFFE, 0x3F800001, RUP), NX);
        // 0 * inf is invalid even when the addend is a quiet NaN
        is(CN_D, u.fmaD(0, INF_D, QNAN_D, RNE), NV);
        is(CN_D, u.fmaD(INF_D, SIGN_D, QNAN_D, RNE), NV);
        is(CN_S, u.fmaS(0, INF_S, QNAN_S, RNE), NV);
        is(CN_D, u.fmaD(d(1), d(1), QNAN_D, RNE), 0);
        is(CN_D, u.fmaD(d(1), d(1), SNAN_D, RNE), NV);
        is(CN_D, u.fmaD(QNAN_D, d(1), d(1), RNE), 0);
        is(CN_D, u.fmaD(INF_D, d(1), INF_D | SIGN_D, RNE), NV); // inf - inf
        is(CN_D, u.fmaD(0, INF_D, d(1), RNE), NV);
        is(INF_D, u.fmaD(INF_D, d(1), INF_D, RNE), 0);
        is(INF_D | SIGN_D, u.fmaD(d(1), d(1), INF_D | SIGN_D, RNE), 0);
        // a huge product cancelled by the addend: no intermediate overflow
        is(d(0x1p1023 * (0x1p-52)), u.fmaD(d(0x1p1000), d(0x1p23 + 0x1p-29), d(-0x1p1023), RNE), 0);
        // overflow and underflow through fma
        is(INF_D, u.fmaD(MAX_D, d(2), d(-1), RNE), OF | NX);
        is(MAX_D, u.fmaD(MAX_D, d(2), d(-1), RTZ), OF | NX);
        is(0x0010000000000000L, u.fmaD(0x3FEFFFFFFFFFFFFEL, 0x0010000000000001L, 0, RNE), NX);
        is(0x000FFFFFFFFFFFFFL, u.fmaD(0x3FEFFFFFFFFFFFFEL, 0x0010000000000001L, SIGN_D, RDN), UF | NX);
    }

    // ---------------------------------------------------------------- sqrt

    @Test
    void squareRoot() {
        is(0x3FF6A09E667F3BCDL, u.sqrtD(d(2), RNE), NX);
        is(0x3FF6A09E667F3BCCL, u.sqrtD(d(2), RTZ), NX);
        is(0x3FF6A09E667F3BCCL, u.sqrtD(d(2), RDN), NX);
        is(0x3FF6A09E667F3BCDL, u.sqrtD(d(2), RUP), NX);
        is(d(2), u.sqrtD(d(4), RUP), 0);
        is(d(0x1p-537), u.sqrtD(1, RNE), 0); // sqrt of the smallest subnormal
        is(INF_D, u.sqrtD(INF_D, RNE), 0);
        is(f((float) Math.sqrt(2)), u.sqrtS(f(2), RNE), NX);
        is(f(3), u.sqrtS(f(9), RDN), 0);
    }

    // ---------------------------------------------------------------- fmin / fmax

    @Test
    void minMax() {
        is(SIGN_D, u.minD(SIGN_D, 0), 0);
        is(SIGN_D, u.minD(0, SIGN_D), 0);
        is(0, u.maxD(SIGN_D, 0), 0);
        is(0, u.maxD(0, SIGN_D), 0);
        is(d(1), u.minD(QNAN_D, d(1)), 0); // one NaN: the other operand
        is(d(1), u.maxD(d(1), QNAN_D), 0);
        is(d(1), u.minD(SNAN_D, d(1)), NV); // ... with NV when it signals
        is(CN_D, u.minD(QNAN_D, QNAN_D), 0);
        is(CN_D, u.maxD(SNAN_D, QNAN_D), NV);
        is(d(-2), u.minD(d(-2), d(1)), 0);
        is(d(1), u.maxD(d(-2), d(1)), 0);
        is(INF_D | SIGN_D, u.minD(INF_D | SIGN_D, d(1)), 0);
        is(SIGN_S, u.minS(0, SIGN_S), 0);
        is(0, u.maxS(SIGN_S, 0), 0);
        is(f(3), u.minS(QNAN_S, f(3)), 0);
        is(f(3), u.maxS(SNAN_S, f(3)), NV);
        is(CN_S, u.maxS(SNAN_S, SNAN_S), NV);
        is(f(-3), u.minS(f(-3), f(2)), 0);
    }

    // ---------------------------------------------------------------- compare and classify

    @Test
    void comparisons() {
        is(1, u.eqD(0, SIGN_D), 0);
        is(1, u.leD(SIGN_D, 0), 0);
        is(0, u.ltD(SIGN_D, 0), 0);
        is(1, u.ltD(d(1), d(2)), 0);
        is(0, u.eqD(QNAN_D, QNAN_D), 0); // quiet: no NV for quiet NaNs
        is(0, u.eqD(SNAN_D, d(1)), NV);
        is(0, u.ltD(QNAN_D, d(1)), NV); // signaling: NV for any NaN
        is(0, u.leD(d(1), QNAN_D), NV);
        is(1, u.leD(INF_D | SIGN_D, INF_D), 0);
        is(0, u.eqS(QNAN_S, f(1)), 0);
        is(0, u.eqS(SNAN_S, f(1)), NV);
        is(0, u.ltS(QNAN_S, f(1)), NV);
        is(1, u.leS(f(1), f(1)), 0);
        is(1, u.eqS(SIGN_S, 0), 0);
    }

    @Test
    void classify() {
        assertEquals(1 << 0, Fpu.classD(INF_D | SIGN_D));
        assertEquals(1 << 1, Fpu.classD(d(-1)));
        assertEquals(1 << 2, Fpu.classD(SIGN_D | 1));
        assertEquals(1 << 3, Fpu.classD(SIGN_D));
        assertEquals(1 << 4, Fpu.classD(0));
        assertEquals(1 << 5, Fpu.classD(0x000FFFFFFFFFFFFFL));
        assertEquals(1 << 6, Fpu.classD(0x0010000000000000L));
        assertEquals(1 << 7, Fpu.classD(INF_D));
        assertEquals(1 << 8, Fpu.classD(SNAN_D));
        assertEquals(1 << 9, Fpu.classD(CN_D));
        assertEquals(1 << 9, Fpu.classD(0xFFF8000000000000L));
        assertEquals(1 << 0, Fpu.classS(INF_S | SIGN_S));
        assertEquals(1 << 1, Fpu.classS(f(-1)));
        assertEquals(1 << 2, Fpu.classS(SIGN_S | 1));
        assertEquals(1 << 3, Fpu.classS(SIGN_S));
        assertEquals(1 << 4, Fpu.classS(0));
        assertEquals(1 << 5, Fpu.classS(0x007FFFFF));
        assertEquals(1 << 6, Fpu.classS(MAX_S));
        assertEquals(1 << 7, Fpu.classS(INF_S));
        assertEquals(1 << 8, Fpu.classS(SNAN_S));
        assertEquals(1 << 9, Fpu.classS(CN_S));
    }

    // ---------------------------------------------------------------- float -> integer

    @Test
    void floatToIntSaturates() {
        long two63 = d(0x1p63);
        is(Long.MAX_VALUE, u.cvtLD(two63, RNE), NV);
        is(Long.MIN_VALUE, u.cvtLD(two63 | SIGN_D, RNE), 0); // -2^63 is in range
        is(Long.MIN_VALUE, u.cvtLD(d(Math.nextDown(-0x1p63)), RTZ), NV);
        is(0x7FFFFFFFFFFFFC00L, u.cvtLD(d(Math.nextDown(0x1p63)), RNE), 0);
        is(Long.MIN_VALUE, u.cvtLuD(two63, RNE), 0); // 2^63 as unsigned
        is(-1L, u.cvtLuD(d(0x1p64), RNE), NV);
        is(0xFFFFFFFFFFFFF800L, u.cvtLuD(d(Math.nextDown(0x1p64)), RNE), 0);
        is(0, u.cvtLuD(d(-1), RTZ), NV);
        is(0, u.cvtLuD(d(-0.5), RTZ), NX);
        // 2^31 - 0.5 in each mode: in range only where it rounds down
        long x = d(0x1p31 - 0.5);
        is(Integer.MAX_VALUE, u.cvtWD(x, RNE), NV); // ties to even: 2^31
        is(Integer.MAX_VALUE, u.cvtWD(x, RTZ), NX);
        is(Integer.MAX_VALUE, u.cvtWD(x, RDN), NX);
        is(Integer.MAX_VALUE, u.cvtWD(x, RUP), NV);
        is(Integer.MAX_VALUE, u.cvtWD(x, RMM), NV);
        long y = d(-0x1p31 - 0.5);
        is(Integer.MIN_VALUE, u.cvtWD(y, RNE), NX); // ties to even: -2^31
        is(Integer.MIN_VALUE, u.cvtWD(y, RTZ), NX);
        is(Integer.MIN_VALUE, u.cvtWD(y, RDN), NV);
        is(Integer.MIN_VALUE, u.cvtWD(y, RUP), NX);
        is(Integer.MIN_VALUE, u.cvtWD(y, RMM), NV);
        // unsigned 32-bit: results are sign-extended from bit 31
        is(0, u.cvtWuD(d(-0.9), RTZ), NX); // rounds to 0: in range
        is(0, u.cvtWuD(d(-0.9), RNE), NV); // rounds to -1
        is(0, u.cvtWuD(d(-1), RTZ), NV);
        is(0, u.cvtWuD(SIGN_D, RNE), 0);
        is(0xFFFFFFFFB2D05E00L, u.cvtWuD(d(3e9), RNE), 0);
        is(-1L, u.cvtWuD(d(0x1p32 - 1), RNE), 0);
        is(-1L, u.cvtWuD(d(0x1p32), RNE), NV);
        is(0xFFFFFFFF80000000L, u.cvtWuS(f(0x1p31f), RNE), 0);
        // NaN and infinities
        is(Integer.MAX_VALUE, u.cvtWD(QNAN_D | SIGN_D, RNE), NV);
        is(-1L, u.cvtWuD(QNAN_D, RNE), NV);
        is(Long.MAX_VALUE, u.cvtLD(SNAN_D, RNE), NV);
        is(-1L, u.cvtLuD(QNAN_D, RNE), NV);
        is(Integer.MIN_VALUE, u.cvtWD(INF_D | SIGN_D, RNE), NV);
        is(Integer.MAX_VALUE, u.cvtWD(INF_D, RNE), NV);
        is(0, u.cvtLuD(INF_D | SIGN_D, RNE), NV);
        is(-1L, u.cvtLuS(INF_S, RNE), NV);
        is(Integer.MAX_VALUE, u.cvtWS(QNAN_S, RNE), NV);
        is(Long.MIN_VALUE, u.cvtLS(f(-0x1p63f), RNE), 0);
        is(Long.MIN_VALUE, u.cvtLS(f(Math.nextDown(-0x1p63f)), RNE), NV);
        // ordinary rounding
        is(1, u.cvtLD(d(1.5), RTZ), NX);
        is(2, u.cvtLD(d(1.5), RNE), NX);
        is(-2, u.cvtLD(d(-1.5), RDN), NX);
        is(0, u.cvtWD(d(0x1p-1074), RNE), NX);
        is(1, u.cvtWD(d(0x1p-1074), RUP), NX);
        is(-1, u.cvtWD(d(-0x1p-1074), RDN), NX);
        is(123456789, u.cvtWD(d(123456789), RNE), 0);
    }

    // ---------------------------------------------------------------- integer -> float

    @Test
    void intToFloat() {
        is(0x4B800000, u.cvtSW(16777217, RNE), NX); // 2^24 + 1: a tie, to even
        is(0x4B800001, u.cvtSW(16777217, RUP), NX);
        is(0x4B800000, u.cvtSW(16777217, RTZ), NX);
        is(0xCB800001, u.cvtSW(-16777217, RDN), NX);
        is(0x4F7FFFFF, u.cvtSWu(0xFFFFFFFFL, RTZ), NX);
        is(0x4F800000, u.cvtSWu(-1L, RNE), NX); // only the low 32 bits count
        is(f(5), u.cvtSW(0x1_0000_0005L, RNE), 0);
        is(d(4294967295.0), u.cvtDWu(-1L, RNE), 0);
        is(d(5), u.cvtDW(0x1_0000_0005L, RNE), 0);
        is(d(-1), u.cvtDW(0xFFFF_FFFFL, RNE), 0);
        is(0xC3E0000000000000L, u.cvtDL(Long.MIN_VALUE, RNE), 0);
        is(0x43F0000000000000L, u.cvtDLu(-1L, RNE), NX); // 2^64 - 1 rounds up to 2^64
        is(0x43EFFFFFFFFFFFFFL, u.cvtDLu(-1L, RTZ), NX);
        is(0x43E0000000000000L, u.cvtDLu(Long.MIN_VALUE, RNE), 0);
        is(0xDF000000, u.cvtSL(Long.MIN_VALUE, RUP), 0);
        is(0x5F7FFFFF, u.cvtSLu(-1L, RDN), NX);
        is(0x5F800000, u.cvtSLu(-1L, RMM), NX);
        is(0, u.cvtSLu(0, RNE), 0);
    }

    // ---------------------------------------------------------------- float <-> double

    @Test
    void floatDouble() {
        is(0x3EAAAAAB, u.cvtSD(d(1.0 / 3), RNE), NX);
        is(0x3EAAAAAA, u.cvtSD(d(1.0 / 3), RTZ), NX);
        is(INF_S, u.cvtSD(MAX_D, RNE), OF | NX);
        is(MAX_S, u.cvtSD(MAX_D, RTZ), OF | NX);
        is(MAX_S | SIGN_S, u.cvtSD(MAX_D | SIGN_D, RUP), OF | NX);
        is(INF_S | SIGN_S, u.cvtSD(INF_D | SIGN_D, RTZ), 0);
        is(f(1.5f), u.cvtSD(d(1.5), RNE), 0);
        is(1, u.cvtSD(d(0x1p-149), RNE), 0); // the smallest subnormal float, exactly
        is(d(0x1p-149), u.cvtDS(1), 0);
        is(d(Float.MAX_VALUE), u.cvtDS(MAX_S), 0);
    }

    // ---------------------------------------------------------------- NaN boxing, flags

    @Test
    void nanBoxing() {
        assertEquals(0xFFFFFFFF3F800000L, Fpu.boxS(0x3F800000));
        assertEquals(0xFFFFFFFF80000000L, Fpu.boxS(SIGN_S));
        assertEquals(0x3F800000, Fpu.unboxS(0xFFFFFFFF3F800000L));
        assertEquals(SIGN_S, Fpu.unboxS(0xFFFFFFFF80000000L));
        assertEquals(CN_S, Fpu.unboxS(0x000000003F800000L)); // not boxed
        assertEquals(CN_S, Fpu.unboxS(0xFFFFFFFE3F800000L));
        assertEquals(CN_S, Fpu.unboxS(0x7FF8000000000000L)); // a double
    }

    @Test
    void flagsAccrue() {
        u.divD(d(1), d(3), RNE);
        u.divD(d(1), 0, RNE);
        u.addD(d(1), d(2), RNE); // exact: adds nothing, clears nothing
        assertEquals(NX | DZ, u.fflags);
        u.sqrtS(f(-1), RNE);
        assertEquals(NX | DZ | NV, u.fflags);
    }
}
