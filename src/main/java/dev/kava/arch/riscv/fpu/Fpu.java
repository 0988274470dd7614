package dev.kava.arch.riscv.fpu;

/**
 * The floating-point unit of one hart: IEEE 754-2008 binary32/binary64 arithmetic exactly as the
 * RISC-V F and D extensions define it (RISC-V Unprivileged ISA 20191213, chapters 11 "F" and 12
 * "D"), bit for bit and flag for flag.
 *
 * <p>The RISC-V rules that differ from what Java's own arithmetic gives (§11.3, §11.4):
 * <ul>
 *   <li>every NaN result is the canonical NaN (payloads are never propagated);</li>
 *   <li>five rounding modes, selected per instruction;</li>
 *   <li>accrued flags NX/UF/OF/DZ/NV, with tininess detected <em>after</em> rounding, and UF
 *       only raised when the tiny result is also inexact.</li>
 * </ul>
 *
 * <p>Structure: every operation first tries a fast path for the overwhelmingly common case
 * (round-to-nearest-even, normal operands and results), which uses Java's IEEE arithmetic for the
 * result and an error-free transformation (TwoSum, fma-based product/remainder) only to decide
 * NX. Everything else (other rounding modes, special operands, subnormal or overflowing results)
 * goes to an exact integer slow path in the style of Berkeley SoftFloat: the exact result is
 * brought to a 63-bit significand with a sticky ("jam") bit, which is enough to round correctly to
 * 24 or 53 bits in any mode, and {@link #roundPack} rounds it to the target format.
 *
 * <p>Single-precision slow paths widen their (non-NaN) operands to binary64 encodings, which is
 * exact, and share the binary64 code with a target-format parameter.
 *
 * <p>Not thread-safe: one instance per hart.
 */
public final class Fpu {
    // fcsr.fflags bits (§11.2, Table 11.2 "Accrued exception flag encoding").
    public static final int NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    // Rounding modes (§11.2, Table 11.1 "Rounding mode encoding"); DYN (7) is resolved by the caller.
    public static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;
    // The canonical NaNs (§11.3: sign 0, quiet bit set, rest of the significand 0).
    public static final int CANONICAL_NAN_S = 0x7fc00000;
    public static final long CANONICAL_NAN_D = 0x7ff8000000000000L;

    /** Accrued exception flags; every operation ORs its flags in. */
    public int fflags;

    private static final long SIGN_D = 0x8000_0000_0000_0000L;
    private static final long INF_D = 0x7FF0_0000_0000_0000L;
    private static final long FRAC_D = 0x000F_FFFF_FFFF_FFFFL;
    private static final long QUIET_D = 0x0008_0000_0000_0000L;
    private static final long HIDDEN_D = 1L << 52;
    /** Exponent field of 2^1023. */
    private static final long BIG_D = 0x7FE0_0000_0000_0000L;
    private static final int SIGN_S = 0x8000_0000;
    private static final int INF_S = 0x7F80_0000;
    private static final int QUIET_S = 0x0040_0000;

    /** Target formats of the shared slow paths. */
    private static final int F32 = 0, F64 = 1;

    /** Result registers of {@link #shiftRightJam128}: high and low halves. */
    private long t1, t0;

    // ============================================================ binary64 arithmetic

    public long addD(long a, long b, int rm) {
        if (rm == RNE) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), s = x + y;
            // Finite sum of operands below 2^1023 (so no intermediate below can overflow).
            // Knuth's branch-free TwoSum gives the exact rounding error; a sum never underflows
            // (tiny sums are exact), so NX is the only possible flag.
            if (Math.abs(s) <= Double.MAX_VALUE && (a & INF_D) < BIG_D && (b & INF_D) < BIG_D) {
                double bv = s - x, err = (x - (s - bv)) + (y - bv);
                fflags |= err != 0 ? NX : 0; // branch-free: exactness of sums is unpredictable
                return Double.doubleToRawLongBits(s);
            }
        }
        return addSlowD(a, b, rm);
    }

    public long subD(long a, long b, int rm) {
        return addD(a, b ^ SIGN_D, rm);
    }

    public long mulD(long a, long b, int rm) {
        if (rm == RNE) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), p = x * y;
            double ap = Math.abs(p);
            // x*y < 2^106 * ulp(x)*ulp(y), so |p| >= 2^-968 makes ulp(x)*ulp(y) >= 2^-1074: the
            // product error x*y-p, a multiple of it, is representable and fma computes it
            // exactly. p is then far from the subnormal range, so only NX can occur.
            if (ap >= 0x1p-968 && ap <= Double.MAX_VALUE) {
                fflags |= Math.fma(x, y, -p) != 0 ? NX : 0;
                return Double.doubleToRawLongBits(p);
            }
        }
        return mulSlowD(a, b, rm);
    }

    public long divD(long a, long b, int rm) {
        if (rm == RNE) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), q = x / y;
            double aq = Math.abs(q), ax = Math.abs(x);
            // Finite normal quotient (so both operands are finite and nonzero). The remainder
            // x - q*y is a multiple of 2^min(ulpexp(x), ulpexp(q)+ulpexp(y)) >= 2^-1074 when
            // |x| >= 2^-960, so fma rounds it to zero exactly when it is zero.
            if (aq >= 0x1p-1021 && aq <= Double.MAX_VALUE && ax >= 0x1p-960) {
                fflags |= Math.fma(q, y, -x) != 0 ? NX : 0;
                return Double.doubleToRawLongBits(q);
            }
        }
        return divSlowD(a, b, rm);
    }

    public long sqrtD(long a, int rm) {
        if (rm == RNE) {
            double x = Double.longBitsToDouble(a);
            // For x >= 2^-960, s*s - x is a multiple of 2^-1074, so fma detects exactness.
            if (x >= 0x1p-960 && x <= Double.MAX_VALUE) {
                double s = Math.sqrt(x);
                fflags |= Math.fma(s, s, -x) != 0 ? NX : 0;
                return Double.doubleToRawLongBits(s);
            }
        }
        return sqrtSlowD(a, rm);
    }

    /** a*b+c with a single rounding (FMADD.D; the caller negates inputs for the other three). */
    public long fmaD(long a, long b, long c, int rm) {
        if (rm == RNE) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), z = Double.longBitsToDouble(c);
            double r = Math.fma(x, y, z), p = x * y;
            double ar = Math.abs(r), ap = Math.abs(p);
            // r normal and everything far from overflow: decide NX by testing whether the exact
            // x*y + z - r = p + pe + z - r is zero, with pe the exact product error (exact for
            // |p| >= 2^-968, see mulD). The four-term sum is evaluated exactly as a
            // nonoverlapping expansion (Shewchuk's Grow-Expansion, TwoSum steps); it is zero iff
            // all its components are, i.e. iff the sum of their magnitudes is (branch-free).
            if (ar >= 0x1p-1021 && ar <= 0x1p1020 && ap >= 0x1p-968 && ap <= 0x1p1020 && Math.abs(z) <= 0x1p1020) {
                double pe = Math.fma(x, y, -p);
                // {pe, p} + z  ->  {h0, h1, q}
                double q = z + pe, bv = q - z, h0 = (z - (q - bv)) + (pe - bv);
                double q2 = q + p;
                bv = q2 - q;
                double h1 = (q - (q2 - bv)) + (p - bv);
                // {h0, h1, q2} - r  ->  {g0, g1, g2, q5}
                double nr = -r, q3 = nr + h0;
                bv = q3 - nr;
                double g0 = (nr - (q3 - bv)) + (h0 - bv);
                double q4 = q3 + h1;
                bv = q4 - q3;
                double g1 = (q3 - (q4 - bv)) + (h1 - bv);
                double q5 = q4 + q2;
                bv = q5 - q4;
                double g2 = (q4 - (q5 - bv)) + (q2 - bv);
                fflags |= Math.abs(g0) + Math.abs(g1) + Math.abs(g2) + Math.abs(q5) != 0 ? NX : 0;
                return Double.doubleToRawLongBits(r);
            }
        }
        return fmaSlowD(a, b, c, rm);
    }

    // ============================================================ binary32 arithmetic
    //
    // Fast paths compute in double. For add and fma the double result s is made exact-checked
    // with TwoSum (s + err = exact), and the final (float) s is the correctly rounded value unless
    // s is inexact and lands exactly on a float midpoint (double rounding), which goes slow.
    // Products of two floats, and f*y / f*f in the div/sqrt checks, are exact in double.

    public int addS(int a, int b, int rm) {
        if (rm == RNE) {
            double x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b), s = x + y;
            float f = (float) s;
            if (Math.abs(f) <= Float.MAX_VALUE) {
                double bv = s - x, err = (x - (s - bv)) + (y - bv); // TwoSum, exact (float range)
                // If s is exact, NX iff f != s (and sums below 2^-125 are exact in float too, so
                // no UF); if not, f is inexact, and correct unless s is a float midpoint.
                if (!isFloatMidpoint(s) || err == 0) {
                    fflags |= err != 0 | (double) f != s ? NX : 0;
                    return Float.floatToRawIntBits(f);
                }
            }
        }
        return addSlowS(a, b, rm);
    }

    public int subS(int a, int b, int rm) {
        return addS(a, b ^ SIGN_S, rm);
    }

    public int mulS(int a, int b, int rm) {
        if (rm == RNE) {
            double p = (double) Float.intBitsToFloat(a) * Float.intBitsToFloat(b); // exact: 48 bits
            float f = (float) p;
            float af = Math.abs(f);
            if (af >= 0x1p-125f && af <= Float.MAX_VALUE) {
                fflags |= (double) f != p ? NX : 0;
                return Float.floatToRawIntBits(f);
            }
        }
        return mulSlowS(a, b, rm);
    }

    public int divS(int a, int b, int rm) {
        if (rm == RNE) {
            double x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b), q = x / y;
            float f = (float) q;
            float af = Math.abs(f);
            if (af >= 0x1p-125f && af <= Float.MAX_VALUE && !isFloatMidpoint(q)) {
                fflags |= (double) f * y != x ? NX : 0; // f*y is exact in double
                return Float.floatToRawIntBits(f);
            }
        }
        return divSlowS(a, b, rm);
    }

    public int sqrtS(int a, int rm) {
        if (rm == RNE) {
            float xf = Float.intBitsToFloat(a);
            if (xf > 0 && xf <= Float.MAX_VALUE) {
                double x = xf, s = Math.sqrt(x);
                float f = (float) s;
                if (!isFloatMidpoint(s)) {
                    fflags |= (double) f * f != x ? NX : 0; // f*f is exact in double
                    return Float.floatToRawIntBits(f);
                }
            }
        }
        return sqrtSlowS(a, rm);
    }

    public int fmaS(int a, int b, int c, int rm) {
        if (rm == RNE) {
            double p = (double) Float.intBitsToFloat(a) * Float.intBitsToFloat(b); // exact
            double z = Float.intBitsToFloat(c), s = p + z;
            float f = (float) s;
            float af = Math.abs(f);
            if (af >= 0x1p-125f && af <= Float.MAX_VALUE) {
                double bv = s - p, err = (p - (s - bv)) + (z - bv); // TwoSum, exact (float range)
                if (!isFloatMidpoint(s) || err == 0) {
                    fflags |= err != 0 | (double) f != s ? NX : 0;
                    return Float.floatToRawIntBits(f);
                }
            }
        }
        return fmaSlowS(a, b, c, rm);
    }

    /** Whether double d (in the float normal range) lies exactly halfway between two floats. */
    private static boolean isFloatMidpoint(double d) {
        // A double in the float normal range has 29 more fraction bits than the float.
        return (Double.doubleToRawLongBits(d) & 0x1FFF_FFFFL) == 0x1000_0000L;
    }

    // ============================================================ min / max / compare / classify

    /** fmin.d (§11.6, 2.2+ semantics): -0 < +0; a single NaN operand yields the other operand. */
    public long minD(long a, long b) {
        boolean na = isNaND(a), nb = isNaND(b);
        if (na || nb) return minMaxNaND(a, b, na, nb);
        double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
        if (x != y) return x < y ? a : b;
        return a | b; // equal: same bits, or +0/-0 where the sign OR picks -0
    }

    public long maxD(long a, long b) {
        boolean na = isNaND(a), nb = isNaND(b);
        if (na || nb) return minMaxNaND(a, b, na, nb);
        double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
        if (x != y) return x > y ? a : b;
        return a & b; // equal: same bits, or +0/-0 where the sign AND picks +0
    }

    private long minMaxNaND(long a, long b, boolean na, boolean nb) {
        if (isSNaND(a) || isSNaND(b)) fflags |= NV;
        if (na && nb) return CANONICAL_NAN_D;
        return na ? b : a;
    }

    public int minS(int a, int b) {
        boolean na = isNaNS(a), nb = isNaNS(b);
        if (na || nb) return minMaxNaNS(a, b, na, nb);
        float x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b);
        if (x != y) return x < y ? a : b;
        return a | b;
    }

    public int maxS(int a, int b) {
        boolean na = isNaNS(a), nb = isNaNS(b);
        if (na || nb) return minMaxNaNS(a, b, na, nb);
        float x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b);
        if (x != y) return x > y ? a : b;
        return a & b;
    }

    private int minMaxNaNS(int a, int b, boolean na, boolean nb) {
        if (isSNaNS(a) || isSNaNS(b)) fflags |= NV;
        if (na && nb) return CANONICAL_NAN_S;
        return na ? b : a;
    }

    /** feq.d: quiet comparison, NV only for signaling NaNs (§11.8). */
    public long eqD(long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            if (isSNaND(a) || isSNaND(b)) fflags |= NV;
            return 0;
        }
        return Double.longBitsToDouble(a) == Double.longBitsToDouble(b) ? 1 : 0;
    }

    /** flt.d: signaling comparison, NV for any NaN (§11.8). */
    public long ltD(long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            fflags |= NV;
            return 0;
        }
        return Double.longBitsToDouble(a) < Double.longBitsToDouble(b) ? 1 : 0;
    }

    public long leD(long a, long b) {
        if (isNaND(a) || isNaND(b)) {
            fflags |= NV;
            return 0;
        }
        return Double.longBitsToDouble(a) <= Double.longBitsToDouble(b) ? 1 : 0;
    }

    public long eqS(int a, int b) {
        if (isNaNS(a) || isNaNS(b)) {
            if (isSNaNS(a) || isSNaNS(b)) fflags |= NV;
            return 0;
        }
        return Float.intBitsToFloat(a) == Float.intBitsToFloat(b) ? 1 : 0;
    }

    public long ltS(int a, int b) {
        if (isNaNS(a) || isNaNS(b)) {
            fflags |= NV;
            return 0;
        }
        return Float.intBitsToFloat(a) < Float.intBitsToFloat(b) ? 1 : 0;
    }

    public long leS(int a, int b) {
        if (isNaNS(a) || isNaNS(b)) {
            fflags |= NV;
            return 0;
        }
        return Float.intBitsToFloat(a) <= Float.intBitsToFloat(b) ? 1 : 0;
    }

    /**
     * fclass.d (§11.9, Table 11.5): bit 0 -inf, 1 negative normal, 2 negative subnormal, 3 -0,
     * 4 +0, 5 positive subnormal, 6 positive normal, 7 +inf, 8 signaling NaN, 9 quiet NaN.
     */
    public static long classD(long a) {
        boolean neg = a < 0;
        long exp = a & INF_D, frac = a & FRAC_D;
        if (exp == INF_D) {
            if (frac == 0) return neg ? 1 : 1 << 7;
            return (frac & QUIET_D) != 0 ? 1 << 9 : 1 << 8;
        }
        if (exp == 0) {
            if (frac == 0) return neg ? 1 << 3 : 1 << 4;
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    public static long classS(int a) {
        boolean neg = a < 0;
        int exp = a & INF_S, frac = a & 0x007F_FFFF;
        if (exp == INF_S) {
            if (frac == 0) return neg ? 1 : 1 << 7;
            return (frac & QUIET_S) != 0 ? 1 << 9 : 1 << 8;
        }
        if (exp == 0) {
            if (frac == 0) return neg ? 1 << 3 : 1 << 4;
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    // ============================================================ float -> integer
    //
    // §11.7, Table 11.4 ("Domains of float-to-integer conversions and behavior for invalid
    // inputs"): out-of-range or NaN inputs raise NV (not NX) and saturate; NaN gives the maximum.
    // Binary32 inputs widen exactly to double, so one implementation serves both. The range test
    // is done on the value already rounded to an integer, so e.g. 2^31-0.5 under RUP is invalid.
    // 32-bit results are sign-extended to 64 bits, the unsigned ones too (§11.7).

    public long cvtWD(long a, int rm) {
        return toW(Double.longBitsToDouble(a), rm);
    }

    public long cvtWuD(long a, int rm) {
        return toWu(Double.longBitsToDouble(a), rm);
    }

    public long cvtLD(long a, int rm) {
        return toL(Double.longBitsToDouble(a), rm);
    }

    public long cvtLuD(long a, int rm) {
        return toLu(Double.longBitsToDouble(a), rm);
    }

    public long cvtWS(int a, int rm) {
        return toW(Float.intBitsToFloat(a), rm);
    }

    public long cvtWuS(int a, int rm) {
        return toWu(Float.intBitsToFloat(a), rm);
    }

    public long cvtLS(int a, int rm) {
        return toL(Float.intBitsToFloat(a), rm);
    }

    public long cvtLuS(int a, int rm) {
        return toLu(Float.intBitsToFloat(a), rm);
    }

    private long toW(double x, int rm) {
        double r = roundToIntegral(x, rm); // NaN stays NaN and fails the range test
        if (r >= -0x1p31 && r <= 0x1p31 - 1) {
            fflags |= r != x ? NX : 0;
            return (int) r;
        }
        fflags |= NV;
        return x < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }

    private long toWu(double x, int rm) {
        double r = roundToIntegral(x, rm);
        if (r >= 0 && r <= 0x1p32 - 1) { // -0.0 (e.g. -0.4 rounded towards zero) is in range
            fflags |= r != x ? NX : 0;
            return (int) (long) r;
        }
        fflags |= NV;
        return x < 0 ? 0 : -1L; // 2^32-1 sign-extended
    }

    private long toL(double x, int rm) {
        double r = roundToIntegral(x, rm);
        if (r >= -0x1p63 && r < 0x1p63) {
            fflags |= r != x ? NX : 0;
            return (long) r;
        }
        fflags |= NV;
        return x < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    private long toLu(double x, int rm) {
        double r = roundToIntegral(x, rm);
        if (r >= 0 && r < 0x1p64) {
            fflags |= r != x ? NX : 0;
            return r < 0x1p63 ? (long) r : (long) (r - 0x1p63) + Long.MIN_VALUE;
        }
        fflags |= NV;
        return x < 0 ? 0 : -1L; // 2^64-1
    }

    /** x rounded to an integral double in mode rm (exact operations: no flags). */
    private static double roundToIntegral(double x, int rm) {
        switch (rm) {
            case RNE:
                return Math.rint(x);
            case RDN:
                return Math.floor(x);
            case RUP:
                return Math.ceil(x);
            case RTZ:
                return x < 0 ? Math.ceil(x) : Math.floor(x);
            default: { // RMM: ties away from zero. x - t is exact (the fraction of x).
                double t = x < 0 ? Math.ceil(x) : Math.floor(x);
                if (Math.abs(x - t) >= 0.5) t += x < 0 ? -1 : 1;
                return t;
            }
        }
    }

    // ============================================================ integer -> float

    public long cvtDW(long x, int rm) {
        return Double.doubleToRawLongBits((int) x); // always exact
    }

    public long cvtDWu(long x, int rm) {
        return Double.doubleToRawLongBits(x & 0xFFFF_FFFFL); // always exact
    }

    public long cvtDL(long x, int rm) {
        if (x == 0) return 0;
        long m = x < 0 ? -x : x; // Long.MIN_VALUE stays 2^63 read as unsigned
        if (fitsIn(m, 53)) return Double.doubleToRawLongBits(x);
        return roundUnsigned(x < 0, m, rm, F64);
    }

    public long cvtDLu(long x, int rm) {
        if (x == 0) return 0;
        if (x > 0 && fitsIn(x, 53)) return Double.doubleToRawLongBits(x);
        return roundUnsigned(false, x, rm, F64);
    }

    public int cvtSW(long x, int rm) {
        int v = (int) x;
        if (v == 0) return 0;
        long m = Math.abs((long) v);
        if (fitsIn(m, 24)) return Float.floatToRawIntBits(v);
        return (int) roundUnsigned(v < 0, m, rm, F32);
    }

    public int cvtSWu(long x, int rm) {
        long m = x & 0xFFFF_FFFFL;
        if (m == 0) return 0;
        if (fitsIn(m, 24)) return Float.floatToRawIntBits(m);
        return (int) roundUnsigned(false, m, rm, F32);
    }

    public int cvtSL(long x, int rm) {
        if (x == 0) return 0;
        long m = x < 0 ? -x : x;
        if (fitsIn(m, 24)) return Float.floatToRawIntBits(x);
        return (int) roundUnsigned(x < 0, m, rm, F32);
    }

    public int cvtSLu(long x, int rm) {
        if (x == 0) return 0;
        if (x > 0 && fitsIn(x, 24)) return Float.floatToRawIntBits(x);
        return (int) roundUnsigned(false, x, rm, F32);
    }

    /** Whether the nonzero unsigned m has at most p significant bits (so converts exactly). */
    private static boolean fitsIn(long m, int p) {
        return 64 - Long.numberOfLeadingZeros(m) - Long.numberOfTrailingZeros(m) <= p;
    }

    /** Rounds the nonzero unsigned 64-bit magnitude m (with sign neg) to format fmt. */
    private long roundUnsigned(boolean neg, long m, int rm, int fmt) {
        if (m < 0) return roundPack(neg, 63, (m >>> 1) | (m & 1), rm, fmt);
        return roundPack(neg, 62, m, rm, fmt);
    }

    // ============================================================ float <-> double

    public int cvtSD(long a, int rm) {
        if (rm == RNE) {
            double x = Double.longBitsToDouble(a);
            float f = (float) x;
            float af = Math.abs(f);
            if (af >= 0x1p-125f && af <= Float.MAX_VALUE) {
                fflags |= (double) f != x ? NX : 0;
                return Float.floatToRawIntBits(f);
            }
        }
        if (isNaND(a)) {
            if (isSNaND(a)) fflags |= NV;
            return CANONICAL_NAN_S;
        }
        boolean neg = a < 0;
        if (isInfD(a)) return neg ? INF_S | SIGN_S : INF_S;
        if (isZeroD(a)) return neg ? SIGN_S : 0;
        return (int) roundPack(neg, expOf(a), sigOf(a) << 10, rm, F32);
    }

    public long cvtDS(int a) {
        if (isNaNS(a)) {
            if (isSNaNS(a)) fflags |= NV;
            return CANONICAL_NAN_D;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a)); // exact
    }

    // ============================================================ NaN boxing (§12.2)

    public static long boxS(int s) {
        return 0xFFFF_FFFF_0000_0000L | (s & 0xFFFF_FFFFL);
    }

    /** An improperly NaN-boxed value reads as the canonical NaN (§12.2). */
    public static int unboxS(long reg) {
        return (reg >>> 32) == 0xFFFF_FFFFL ? (int) reg : CANONICAL_NAN_S;
    }

    // ============================================================ slow paths: NaN screening

    private long addSlowD(long a, long b, int rm) {
        if (isNaND(a) || isNaND(b)) return nanResultD(isSNaND(a) || isSNaND(b));
        return addCore(a, b, rm, F64);
    }

    private long mulSlowD(long a, long b, int rm) {
        if (isNaND(a) || isNaND(b)) return nanResultD(isSNaND(a) || isSNaND(b));
        return mulCore(a, b, rm, F64);
    }

    private long divSlowD(long a, long b, int rm) {
        if (isNaND(a) || isNaND(b)) return nanResultD(isSNaND(a) || isSNaND(b));
        return divCore(a, b, rm, F64);
    }

    private long sqrtSlowD(long a, int rm) {
        if (isNaND(a)) return nanResultD(isSNaND(a));
        return sqrtCore(a, rm, F64);
    }

    private long fmaSlowD(long a, long b, long c, int rm) {
        if (isNaND(a) || isNaND(b) || isNaND(c)) {
            // 0*inf is invalid even when c is a quiet NaN (as SoftFloat and qemu do for RISC-V).
            return nanResultD(isSNaND(a) || isSNaND(b) || isSNaND(c) || isInfTimesZeroD(a, b));
        }
        return fmaCore(a, b, c, rm, F64);
    }

    private int addSlowS(int a, int b, int rm) {
        if (isNaNS(a) || isNaNS(b)) return nanResultS(isSNaNS(a) || isSNaNS(b));
        return (int) addCore(widen(a), widen(b), rm, F32);
    }

    private int mulSlowS(int a, int b, int rm) {
        if (isNaNS(a) || isNaNS(b)) return nanResultS(isSNaNS(a) || isSNaNS(b));
        return (int) mulCore(widen(a), widen(b), rm, F32);
    }

    private int divSlowS(int a, int b, int rm) {
        if (isNaNS(a) || isNaNS(b)) return nanResultS(isSNaNS(a) || isSNaNS(b));
        return (int) divCore(widen(a), widen(b), rm, F32);
    }

    private int sqrtSlowS(int a, int rm) {
        if (isNaNS(a)) return nanResultS(isSNaNS(a));
        return (int) sqrtCore(widen(a), rm, F32);
    }

    private int fmaSlowS(int a, int b, int c, int rm) {
        if (isNaNS(a) || isNaNS(b) || isNaNS(c)) {
            // (widening a NaN gives a NaN, which is neither infinite nor zero)
            return nanResultS(isSNaNS(a) || isSNaNS(b) || isSNaNS(c) || isInfTimesZeroD(widen(a), widen(b)));
        }
        return (int) fmaCore(widen(a), widen(b), widen(c), rm, F32);
    }

    private long nanResultD(boolean invalid) {
        if (invalid) fflags |= NV;
        return CANONICAL_NAN_D;
    }

    private int nanResultS(boolean invalid) {
        if (invalid) fflags |= NV;
        return CANONICAL_NAN_S;
    }

    private static boolean isInfTimesZeroD(long a, long b) {
        return (isInfD(a) && isZeroD(b)) || (isZeroD(a) && isInfD(b));
    }

    /** The binary64 encoding of the non-NaN binary32 value a (exact). */
    private static long widen(int a) {
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
    }

    // ============================================================ slow paths: exact cores
    //
    // Operands are non-NaN binary64 encodings (of binary32 values when fmt == F32); the result is
    // encoded in fmt (binary32 in the low 32 bits). Finite nonzero operands are unpacked into a
    // 53-bit significand with the integer bit at bit 52 (sigOf) and the unbiased exponent of that
    // bit (expOf): value = sig * 2^(exp-52), subnormals normalized.

    private long addCore(long a, long b, int rm, int fmt) {
        boolean sa = a < 0, sb = b < 0;
        if (isInfD(a)) {
            if (isInfD(b) && sa != sb) return invalid(fmt); // inf - inf
            return inf(sa, fmt);
        }
        if (isInfD(b)) return inf(sb, fmt);
        boolean za = isZeroD(a), zb = isZeroD(b);
        if (za && zb) return zero(sa == sb ? sa : rm == RDN, fmt); // (+0)+(-0) = +0, -0 in RDN
        if (zb) return exactIn(a, fmt);
        if (za) return exactIn(b, fmt);
        int ea = expOf(a), eb = expOf(b);
        long ma = sigOf(a), mb = sigOf(b);
        if (ea < eb || (ea == eb && ma < mb)) { // make a the larger magnitude
            int te = ea; ea = eb; eb = te;
            long tm = ma; ma = mb; mb = tm;
            boolean ts = sa; sa = sb; sb = ts;
        }
        int d = ea - eb;
        if (sa == sb) {
            // Integer bit at 61 leaves room for the carry; value = sum * 2^(ea-61).
            long sum = (ma << 9) + shiftRightJam(mb << 9, d);
            return roundPack(sa, ea + 1, sum, rm, fmt);
        }
        // The jammed subtrahend keeps the difference correctly "rounded to odd" because the low
        // bit of the minuend is 0; when d <= 10 the shift is exact (so is big cancellation).
        long diff = (ma << 10) - shiftRightJam(mb << 10, d);
        if (diff == 0) return zero(rm == RDN, fmt); // x + (-x) = +0, or -0 in RDN
        return roundPack(sa, ea, diff, rm, fmt);
    }

    private long mulCore(long a, long b, int rm, int fmt) {
        boolean neg = (a ^ b) < 0;
        if (isInfD(a) || isInfD(b)) {
            if (isZeroD(a) || isZeroD(b)) return invalid(fmt); // 0 * inf
            return inf(neg, fmt);
        }
        if (isZeroD(a) || isZeroD(b)) return zero(neg, fmt);
        long x = sigOf(a) << 10, y = sigOf(b) << 10; // [2^62, 2^63)
        long hi = Math.multiplyHigh(x, y), lo = x * y; // x*y in [2^124, 2^126)
        long sig = (hi << 1) | (lo >>> 63) | ((lo << 1) != 0 ? 1 : 0); // x*y / 2^63, jammed
        return roundPack(neg, expOf(a) + expOf(b) + 1, sig, rm, fmt);
    }

    private long divCore(long a, long b, int rm, int fmt) {
        boolean neg = (a ^ b) < 0;
        if (isInfD(a)) {
            if (isInfD(b)) return invalid(fmt); // inf / inf
            return inf(neg, fmt);
        }
        if (isInfD(b)) return zero(neg, fmt);
        if (isZeroD(b)) {
            if (isZeroD(a)) return invalid(fmt); // 0 / 0
            fflags |= DZ;
            return inf(neg, fmt);
        }
        if (isZeroD(a)) return zero(neg, fmt);
        long ma = sigOf(a), mb = sigOf(b);
        // Quotient of the significands scaled into [1,2): q = RN(ma/mb) by hardware, then the
        // exact comparison of ma/mb with q (ma * 2^(52-eq) vs Q * mb in 128 bits) says on which
        // side the exact quotient lies. A quotient is never exactly halfway between two 53-bit
        // numbers, so q +- a sticky bit lies strictly between the same grid points and midpoints
        // of every precision <= 53 as the exact quotient, and rounds like it in every mode.
        double q = Double.longBitsToDouble(0x3FF0_0000_0000_0000L | (ma & FRAC_D))
                / Double.longBitsToDouble(0x3FF0_0000_0000_0000L | (mb & FRAC_D));
        long qb = Double.doubleToRawLongBits(q);
        int eq = (int) (qb >>> 52) - 1023; // 0 or -1
        long bigQ = (qb & FRAC_D) | HIDDEN_D;
        int sh = 52 - eq;
        int cmp = compare128(ma >>> (64 - sh), ma << sh, Math.multiplyHigh(bigQ, mb), bigQ * mb);
        return roundPack(neg, expOf(a) - expOf(b) + eq, (bigQ << 10) + cmp, rm, fmt);
    }

    private long sqrtCore(long a, int rm, int fmt) {
        if (isZeroD(a)) return zero(a < 0, fmt); // sqrt(-0) = -0
        if (a < 0) return invalid(fmt); // negative, including -inf
        if (isInfD(a)) return inf(false, fmt);
        int ea = expOf(a);
        long ma = sigOf(a);
        int odd = ea & 1;
        // x = ma * 2^(odd-52) in [1,4) and sqrt(a) = sqrt(x) * 2^((ea-odd)/2). s = RN(sqrt(x)) lies
        // in [1,2) (RN(sqrt(4-2^-50)) = 2-2^-52), and the exact test ma*2^(52+odd) vs S^2 gives
        // the side; as for division, a square root is never a midpoint, so the sticky suffices.
        double s = Math.sqrt(Double.longBitsToDouble(((1023L + odd) << 52) | (ma & FRAC_D)));
        long bigS = (Double.doubleToRawLongBits(s) & FRAC_D) | HIDDEN_D;
        int sh = 52 + odd;
        int cmp = compare128(ma >>> (64 - sh), ma << sh, Math.multiplyHigh(bigS, bigS), bigS * bigS);
        return roundPack(false, (ea - odd) / 2, (bigS << 10) + cmp, rm, fmt);
    }

    private long fmaCore(long a, long b, long c, int rm, int fmt) {
        boolean sp = (a ^ b) < 0, sc = c < 0;
        if (isInfD(a) || isInfD(b)) {
            if (isZeroD(a) || isZeroD(b)) return invalid(fmt); // 0 * inf
            if (isInfD(c) && sc != sp) return invalid(fmt); // inf - inf
            return inf(sp, fmt);
        }
        if (isInfD(c)) return inf(sc, fmt);
        if (isZeroD(a) || isZeroD(b)) {
            if (isZeroD(c)) return zero(sp == sc ? sp : rm == RDN, fmt);
            return exactIn(c, fmt);
        }
        if (isZeroD(c)) return mulCore(a, b, rm, fmt); // product + 0: the product's sign wins
        // P = product of the significands << 20, in [2^124, 2^126), LSB weight 2^ep.
        long x = sigOf(a) << 10, y = sigOf(b) << 10;
        long ph = Math.multiplyHigh(x, y), pl = x * y;
        int ep = expOf(a) + expOf(b) - 124;
        // C = significand of c << 73, in [2^125, 2^126), LSB weight 2^ec.
        long ch = sigOf(c) << 9, cl = 0;
        int ec = expOf(c) - 125;
        // Align to the larger LSB weight, jamming what the other loses. The unshifted operand
        // has zero low bits, and is the larger one whenever bits are lost (shift >= 2), so the
        // jammed difference is still "rounded to odd"; heavy cancellation only happens with
        // shifts <= 1, which are exact.
        int e;
        if (ep >= ec) {
            shiftRightJam128(ch, cl, ep - ec);
            ch = t1;
            cl = t0;
            e = ep;
        } else {
            shiftRightJam128(ph, pl, ec - ep);
            ph = t1;
            pl = t0;
            e = ec;
        }
        long rh, rl;
        boolean neg = sp;
        if (sp == sc) {
            rl = pl + cl;
            rh = ph + ch + (Long.compareUnsigned(rl, pl) < 0 ? 1 : 0); // < 2^127: no overflow
        } else {
            rl = pl - cl;
            rh = ph - ch - (Long.compareUnsigned(pl, cl) < 0 ? 1 : 0);
            if (rh < 0) { // |c| was larger: negate
                rl = -rl;
                rh = ~rh + (rl == 0 ? 1 : 0);
                neg = sc;
            } else if (rh == 0 && rl == 0) {
                return zero(rm == RDN, fmt); // exact cancellation
            }
        }
        int msb = rh != 0 ? 127 - Long.numberOfLeadingZeros(rh) : 63 - Long.numberOfLeadingZeros(rl);
        long sig;
        if (msb >= 62) {
            shiftRightJam128(rh, rl, msb - 62);
            sig = t0;
        } else {
            sig = rl << (62 - msb);
        }
        return roundPack(neg, e + msb, sig, rm, fmt);
    }

    // ============================================================ rounding

    /**
     * Rounds sig * 2^(e-62) (sig > 0, bit 63 clear, the lowest bit a sticky bit standing for any
     * nonzero bits below it; at least 55 significant bits) to format fmt in mode rm, raising
     * NX/UF/OF. This is SoftFloat's softfloat_roundPackToF64/F32 with tininess detected after
     * rounding (§11.4): the value is tiny if, rounded to full precision with an unbounded
     * exponent, it is below the smallest normal.
     */
    private long roundPack(boolean neg, int e, long sig, int rm, int fmt) {
        int sh = Long.numberOfLeadingZeros(sig) - 1;
        sig <<= sh; // integer bit at 62
        e -= sh;
        final int fracBits, rb, expMax;
        int exp; // biased exponent - 1: the integer bit adds the 1 when packing
        final long signBit, infBits;
        if (fmt == F64) {
            fracBits = 52;
            rb = 10;
            exp = e + 1022;
            expMax = 0x7FD;
            signBit = neg ? SIGN_D : 0;
            infBits = INF_D;
        } else {
            fracBits = 23;
            rb = 39;
            exp = e + 126;
            expMax = 0xFD;
            signBit = neg ? SIGN_S & 0xFFFF_FFFFL : 0;
            infBits = INF_S;
        }
        long mask = (1L << rb) - 1, half = 1L << (rb - 1);
        long inc = (rm == RNE || rm == RMM) ? half : rm == (neg ? RDN : RUP) ? mask : 0;
        long roundBits = sig & mask;
        if (exp < 0) {
            // Tiny unless it is just below the smallest normal and rounding carries up to it.
            boolean tiny = exp < -1 || sig + inc >= 0;
            sig = shiftRightJam(sig, -exp);
            exp = 0;
            roundBits = sig & mask;
            if (tiny && roundBits != 0) fflags |= UF;
        } else if (exp > expMax || (exp == expMax && sig + inc < 0)) {
            // Overflow: infinity, or the largest finite number when rounding towards zero.
            fflags |= OF | NX;
            return signBit | (inc == 0 ? infBits - 1 : infBits);
        }
        sig = (sig + inc) >>> rb;
        if (roundBits != 0) {
            fflags |= NX;
            if (roundBits == half && rm == RNE) sig &= ~1L; // tie: to even
        }
        if (sig == 0) exp = 0;
        // Adding sig lets a carry out of the significand (or a subnormal rounding up to the
        // smallest normal) bump the exponent field.
        return signBit | (((long) exp << fracBits) + sig);
    }

    private long invalid(int fmt) {
        fflags |= NV;
        return fmt == F64 ? CANONICAL_NAN_D : CANONICAL_NAN_S;
    }

    private static long inf(boolean neg, int fmt) {
        if (fmt == F64) return neg ? INF_D | SIGN_D : INF_D;
        return neg ? (INF_S | SIGN_S) & 0xFFFF_FFFFL : INF_S;
    }

    private static long zero(boolean neg, int fmt) {
        if (fmt == F64) return neg ? SIGN_D : 0;
        return neg ? SIGN_S & 0xFFFF_FFFFL : 0;
    }

    /** The non-NaN binary64 value a, known to be representable in fmt, encoded in fmt. */
    private static long exactIn(long a, int fmt) {
        if (fmt == F64) return a;
        return Float.floatToRawIntBits((float) Double.longBitsToDouble(a)) & 0xFFFF_FFFFL;
    }

    // ============================================================ bit helpers

    private static boolean isNaND(long a) {
        return (a & ~SIGN_D) > INF_D;
    }

    private static boolean isSNaND(long a) {
        return isNaND(a) && (a & QUIET_D) == 0;
    }

    private static boolean isInfD(long a) {
        return (a & ~SIGN_D) == INF_D;
    }

    private static boolean isZeroD(long a) {
        return (a & ~SIGN_D) == 0;
    }

    private static boolean isNaNS(int a) {
        return (a & ~SIGN_S) > INF_S;
    }

    private static boolean isSNaNS(int a) {
        return isNaNS(a) && (a & QUIET_S) == 0;
    }

    /** Unbiased exponent of the leading bit of the finite nonzero binary64 a. */
    private static int expOf(long a) {
        int be = (int) (a >>> 52) & 0x7FF;
        if (be != 0) return be - 1023;
        return -1022 - (Long.numberOfLeadingZeros(a & FRAC_D) - 11);
    }

    /** 53-bit significand (integer bit at bit 52) of the finite nonzero binary64 a. */
    private static long sigOf(long a) {
        long f = a & FRAC_D;
        if ((a & INF_D) != 0) return f | HIDDEN_D;
        return f << (Long.numberOfLeadingZeros(f) - 11);
    }

    /** a >>> d, with bit 0 set if any 1 bits were shifted out. */
    private static long shiftRightJam(long a, int d) {
        if (d == 0) return a;
        if (d < 64) return (a >>> d) | ((a << -d) != 0 ? 1 : 0);
        return a != 0 ? 1 : 0;
    }

    /** (hi:lo) >>> d with jamming, into (t1:t0). */
    private void shiftRightJam128(long hi, long lo, int d) {
        if (d == 0) {
            t1 = hi;
            t0 = lo;
        } else if (d < 64) {
            t0 = (lo >>> d) | (hi << -d) | ((lo << -d) != 0 ? 1 : 0);
            t1 = hi >>> d;
        } else if (d < 128) {
            int d2 = d - 64;
            boolean lost = lo != 0 || (d2 != 0 && (hi << -d2) != 0);
            t0 = (hi >>> d2) | (lost ? 1 : 0);
            t1 = 0;
        } else {
            t0 = (hi | lo) != 0 ? 1 : 0;
            t1 = 0;
        }
    }

    /** Signum of the unsigned 128-bit comparison (ah:al) vs (bh:bl); the highs are < 2^63. */
    private static int compare128(long ah, long al, long bh, long bl) {
        if (ah != bh) return ah < bh ? -1 : 1;
        return Integer.signum(Long.compareUnsigned(al, bl));
    }
}
