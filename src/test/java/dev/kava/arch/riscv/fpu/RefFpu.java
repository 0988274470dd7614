package dev.kava.arch.riscv.fpu;

import java.math.BigInteger;

/**
 * A slow, obviously-exact reference for {@link Fpu}: operands are decoded into exact BigInteger
 * dyadic numbers, results are computed exactly (rationals for division, exact integer square
 * roots for sqrt) and rounded by a direct transcription of IEEE 754-2008 §4.3 / §7 with RISC-V's
 * choices (canonical NaN, tininess after rounding). Shares no code with Fpu on purpose.
 *
 * <p>Encodings are raw bits in a long (binary32 in the low 32 bits).
 */
final class RefFpu {
    static final int NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

    int flags;

    /** A binary interchange format: precision p (with the hidden bit), exponent range. */
    record Fmt(int p, int emin, int emax, int width) {
        int bias() {
            return emax;
        }

        int fracBits() {
            return p - 1;
        }

        int expBits() {
            return width - p;
        }
    }

    static final Fmt S = new Fmt(24, -126, 127, 32);
    static final Fmt D = new Fmt(53, -1022, 1023, 64);

    // ---------------------------------------------------------------- decoding

    /** A decoded operand: NaN (quiet or signaling), infinity, or the finite value +-m*2^e. */
    static final class V {
        boolean nan, snan, inf, neg;
        BigInteger m = BigInteger.ZERO;
        int e;

        boolean zero() {
            return !nan && !inf && m.signum() == 0;
        }

        /** The signed finite value's integer m (negative when neg). */
        BigInteger signedM() {
            return neg ? m.negate() : m;
        }
    }

    static V decode(long bits, Fmt f) {
        V v = new V();
        v.neg = ((bits >>> (f.width() - 1)) & 1) != 0;
        long frac = bits & ((1L << f.fracBits()) - 1);
        int be = (int) ((bits >>> f.fracBits()) & ((1L << f.expBits()) - 1));
        int maxBe = (1 << f.expBits()) - 1;
        if (be == maxBe) {
            if (frac == 0) {
                v.inf = true;
            } else {
                v.nan = true;
                v.snan = (frac & (1L << (f.fracBits() - 1))) == 0;
            }
            return v;
        }
        if (be == 0) {
            v.m = BigInteger.valueOf(frac);
            v.e = f.emin() - f.fracBits();
        } else {
            v.m = BigInteger.valueOf(frac | (1L << f.fracBits()));
            v.e = be - f.bias() - f.fracBits();
        }
        return v;
    }

    // ---------------------------------------------------------------- encoding

    static long canon(Fmt f) {
        return f == D ? 0x7ff8000000000000L : 0x7fc00000L;
    }

    static long signBit(boolean neg, Fmt f) {
        return neg ? 1L << (f.width() - 1) : 0;
    }

    static long inf(boolean neg, Fmt f) {
        return signBit(neg, f) | ((((1L << f.expBits()) - 1)) << f.fracBits());
    }

    static long zero(boolean neg, Fmt f) {
        return signBit(neg, f);
    }

    static long maxFinite(boolean neg, Fmt f) {
        return inf(neg, f) - 1;
    }

    // ---------------------------------------------------------------- exact reals

    /** A positive real number known exactly enough to round it. */
    interface Real {
        /** floor(log2(x)). */
        int ilog2();

        /** floor(x * 2^s). */
        BigInteger floorScaled(int s);

        /** Whether x * 2^s is an integer. */
        boolean exactAt(int s);
    }

    /** m * 2^e, m > 0. */
    record Dyadic(BigInteger m, int e) implements Real {
        public int ilog2() {
            return m.bitLength() - 1 + e;
        }

        public BigInteger floorScaled(int s) {
            int k = e + s;
            return k >= 0 ? m.shiftLeft(k) : m.shiftRight(-k);
        }

        public boolean exactAt(int s) {
            int k = e + s;
            return k >= 0 || m.getLowestSetBit() >= -k;
        }
    }

    /** n/d * 2^k, n, d > 0. */
    record Ratio(BigInteger n, BigInteger d, int k) implements Real {
        public int ilog2() {
            int t = n.bitLength() - d.bitLength(); // n/d in [2^(t-1), 2^(t+1))
            boolean ge = t >= 0 ? n.compareTo(d.shiftLeft(t)) >= 0 : n.shiftLeft(-t).compareTo(d) >= 0;
            return (ge ? t : t - 1) + k;
        }

        private BigInteger[] divRem(int s) {
            int j = k + s;
            BigInteger num = j >= 0 ? n.shiftLeft(j) : n, den = j >= 0 ? d : d.shiftLeft(-j);
            return num.divideAndRemainder(den);
        }

        public BigInteger floorScaled(int s) {
            return divRem(s)[0];
        }

        public boolean exactAt(int s) {
            return divRem(s)[1].signum() == 0;
        }
    }

    /** sqrt(m * 2^e), m > 0, e even. */
    record Sqrt(BigInteger m, int e) implements Real {
        static Sqrt of(BigInteger m, int e) {
            return (e & 1) != 0 ? new Sqrt(m.shiftLeft(1), e - 1) : new Sqrt(m, e);
        }

        public int ilog2() {
            return Math.floorDiv(m.bitLength() - 1 + e, 2);
        }

        public BigInteger floorScaled(int s) {
            int j = e + 2 * s; // x*2^s = sqrt(m * 2^j); floor(sqrt(floor(y))) = floor(sqrt(y))
            return (j >= 0 ? m.shiftLeft(j) : m.shiftRight(-j)).sqrt();
        }

        public boolean exactAt(int s) {
            int j = e + 2 * s;
            if (j < 0 && m.getLowestSetBit() < -j) return false; // not even an integer square
            BigInteger n = j >= 0 ? m.shiftLeft(j) : m.shiftRight(-j);
            BigInteger r = n.sqrt();
            return r.multiply(r).equals(n);
        }
    }

    // ---------------------------------------------------------------- rounding

    private record Rounded(BigInteger n, boolean inexact) {}

    /** x * 2^s rounded to an integer in mode rm (neg: the sign of the value x stands for). */
    private static Rounded roundAt(Real x, int s, boolean neg, int rm) {
        BigInteger n = x.floorScaled(s);
        boolean half = x.floorScaled(s + 1).testBit(0);
        boolean sticky = !x.exactAt(s + 1);
        boolean any = half || sticky;
        boolean up = switch (rm) {
            case RNE -> half && (sticky || n.testBit(0));
            case RTZ -> false;
            case RDN -> neg && any;
            case RUP -> !neg && any;
            case RMM -> half;
            default -> throw new IllegalArgumentException("rm " + rm);
        };
        return new Rounded(up ? n.add(BigInteger.ONE) : n, any);
    }

    /** Rounds the nonzero value (neg ? -x : x) to format f, raising flags. */
    long round(boolean neg, Real x, int rm, Fmt f) {
        int p = f.p();
        int e = x.ilog2();
        // Overflow and tininess are judged on the result rounded with an unbounded exponent.
        Rounded u = roundAt(x, p - 1 - e, neg, rm);
        int eu = u.n().bitLength() > p ? e + 1 : e;
        if (eu > f.emax()) {
            flags |= OF | NX;
            boolean toInf = switch (rm) {
                case RNE, RMM -> true;
                case RTZ -> false;
                case RDN -> neg;
                default -> !neg;
            };
            return toInf ? inf(neg, f) : maxFinite(neg, f);
        }
        boolean tiny = eu < f.emin();
        int eq = Math.max(e, f.emin());
        Rounded r = roundAt(x, p - 1 - eq, neg, rm);
        if (r.inexact()) {
            flags |= NX;
            if (tiny) flags |= UF;
        }
        BigInteger n = r.n();
        int q = eq - (p - 1); // value = n * 2^q
        if (n.signum() == 0) return zero(neg, f);
        if (n.bitLength() > p) {
            n = n.shiftRight(1);
            q++;
        }
        long frac;
        long be;
        if (n.bitLength() == p) {
            be = q + (p - 1) + f.bias();
            frac = n.clearBit(p - 1).longValueExact();
        } else {
            if (q != f.emin() - (p - 1)) throw new AssertionError("unnormalized result");
            be = 0;
            frac = n.longValueExact();
        }
        if (be <= 0 && n.bitLength() == p) throw new AssertionError("exponent underflow");
        return signBit(neg, f) | (be << f.fracBits()) | frac;
    }

    /** Rounds the exact signed value m * 2^e; an exact zero gets the sign zeroSign. */
    long roundSigned(BigInteger m, int e, int rm, Fmt f, boolean zeroSign) {
        if (m.signum() == 0) return zero(zeroSign, f);
        return round(m.signum() < 0, new Dyadic(m.abs(), e), rm, f);
    }

    private long nan(Fmt f, boolean invalid) {
        if (invalid) flags |= NV;
        return canon(f);
    }

    // ---------------------------------------------------------------- operations

    long add(long a, long b, int rm, Fmt f) {
        V x = decode(a, f), y = decode(b, f);
        if (x.nan || y.nan) return nan(f, x.snan || y.snan);
        if (x.inf && y.inf) return x.neg != y.neg ? nan(f, true) : inf(x.neg, f);
        if (x.inf) return inf(x.neg, f);
        if (y.inf) return inf(y.neg, f);
        int e = Math.min(x.e, y.e);
        BigInteger sum = x.signedM().shiftLeft(x.e - e).add(y.signedM().shiftLeft(y.e - e));
        // IEEE 754 §6.3: an exact zero sum of opposite-signed operands is +0, -0 in RDN; the sum
        // of two zeros of the same sign keeps that sign.
        boolean zeroSign = x.zero() && y.zero() && x.neg == y.neg ? x.neg : rm == RDN;
        return roundSigned(sum, e, rm, f, zeroSign);
    }

    long sub(long a, long b, int rm, Fmt f) {
        return add(a, b ^ signBit(true, f), rm, f);
    }

    long mul(long a, long b, int rm, Fmt f) {
        V x = decode(a, f), y = decode(b, f);
        boolean neg = x.neg ^ y.neg;
        if (x.nan || y.nan) return nan(f, x.snan || y.snan);
        if (x.inf || y.inf) return x.zero() || y.zero() ? nan(f, true) : inf(neg, f);
        if (x.zero() || y.zero()) return zero(neg, f);
        return round(neg, new Dyadic(x.m.multiply(y.m), x.e + y.e), rm, f);
    }

    long div(long a, long b, int rm, Fmt f) {
        V x = decode(a, f), y = decode(b, f);
        boolean neg = x.neg ^ y.neg;
        if (x.nan || y.nan) return nan(f, x.snan || y.snan);
        if (x.inf) return y.inf ? nan(f, true) : inf(neg, f);
        if (y.inf) return zero(neg, f);
        if (y.zero()) {
            if (x.zero()) return nan(f, true);
            flags |= DZ;
            return inf(neg, f);
        }
        if (x.zero()) return zero(neg, f);
        return round(neg, new Ratio(x.m, y.m, x.e - y.e), rm, f);
    }

    long sqrt(long a, int rm, Fmt f) {
        V x = decode(a, f);
        if (x.nan) return nan(f, x.snan);
        if (x.zero()) return zero(x.neg, f);
        if (x.neg) return nan(f, true);
        if (x.inf) return inf(false, f);
        return round(false, Sqrt.of(x.m, x.e), rm, f);
    }

    long fma(long a, long b, long c, int rm, Fmt f) {
        V x = decode(a, f), y = decode(b, f), z = decode(c, f);
        boolean infZero = (x.inf && y.zero()) || (x.zero() && y.inf);
        if (x.nan || y.nan || z.nan) return nan(f, x.snan || y.snan || z.snan || infZero);
        if (infZero) return nan(f, true);
        boolean pneg = x.neg ^ y.neg;
        if (x.inf || y.inf) {
            if (z.inf && z.neg != pneg) return nan(f, true);
            return inf(pneg, f);
        }
        if (z.inf) return inf(z.neg, f);
        BigInteger pm = x.m.multiply(y.m);
        if (pneg) pm = pm.negate();
        int pe = x.e + y.e;
        int e = Math.min(pe, z.e);
        BigInteger sum = pm.shiftLeft(pe - e).add(z.signedM().shiftLeft(z.e - e));
        boolean pzero = x.zero() || y.zero();
        boolean zeroSign = pzero && z.zero() && pneg == z.neg ? pneg : rm == RDN;
        return roundSigned(sum, e, rm, f, zeroSign);
    }

    /** float -> integer (lo..hi the target range); nanVal for NaN and +overflow, lo for -overflow. */
    BigInteger toInt(long a, Fmt f, int rm, BigInteger lo, BigInteger hi) {
        V x = decode(a, f);
        if (x.nan) {
            flags |= NV;
            return hi;
        }
        if (x.inf) {
            flags |= NV;
            return x.neg ? lo : hi;
        }
        if (x.zero()) return BigInteger.ZERO;
        Rounded r = roundAt(new Dyadic(x.m, x.e), 0, x.neg, rm);
        BigInteger v = x.neg ? r.n().negate() : r.n();
        if (v.compareTo(lo) < 0 || v.compareTo(hi) > 0) {
            flags |= NV;
            return x.neg ? lo : hi;
        }
        if (r.inexact()) flags |= NX;
        return v;
    }

    static final BigInteger W_MIN = BigInteger.valueOf(Integer.MIN_VALUE), W_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    static final BigInteger WU_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    static final BigInteger L_MIN = BigInteger.valueOf(Long.MIN_VALUE), L_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    static final BigInteger LU_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** fcvt.w: the 32-bit result sign-extended. */
    long cvtW(long a, Fmt f, int rm) {
        return toInt(a, f, rm, W_MIN, W_MAX).longValue();
    }

    /** fcvt.wu: the 32-bit result sign-extended too (RISC-V). */
    long cvtWu(long a, Fmt f, int rm) {
        return (int) toInt(a, f, rm, BigInteger.ZERO, WU_MAX).longValue();
    }

    long cvtL(long a, Fmt f, int rm) {
        return toInt(a, f, rm, L_MIN, L_MAX).longValue();
    }

    long cvtLu(long a, Fmt f, int rm) {
        return toInt(a, f, rm, BigInteger.ZERO, LU_MAX).longValue();
    }

    /** integer -> float of the exact integer v. */
    long fromInt(BigInteger v, int rm, Fmt f) {
        return roundSigned(v, 0, rm, f, false);
    }

    /** Converts between formats (narrowing rounds; widening is exact). */
    long convert(long a, Fmt from, Fmt to, int rm) {
        V x = decode(a, from);
        if (x.nan) return nan(to, x.snan);
        if (x.inf) return inf(x.neg, to);
        if (x.zero()) return zero(x.neg, to);
        return round(x.neg, new Dyadic(x.m, x.e), rm, to);
    }

    // ---------------------------------------------------------------- non-arithmetic

    /** Compares finite or infinite non-NaN values: -1, 0, 1 (so -0 == +0). */
    static int cmp(V x, V y) {
        int sx = x.inf ? (x.neg ? -1 : 1) : 0, sy = y.inf ? (y.neg ? -1 : 1) : 0;
        if (sx != 0 || sy != 0) {
            if (sx == 0) return -sy;
            if (sy == 0) return sx;
            return Integer.compare(sx, sy);
        }
        int e = Math.min(x.e, y.e);
        return x.signedM().shiftLeft(x.e - e).compareTo(y.signedM().shiftLeft(y.e - e));
    }

    long minMax(long a, long b, Fmt f, boolean max) {
        V x = decode(a, f), y = decode(b, f);
        if (x.snan || y.snan) flags |= NV;
        if (x.nan && y.nan) return canon(f);
        if (x.nan) return b;
        if (y.nan) return a;
        int c = cmp(x, y);
        if (c == 0) { // equal: only +0 vs -0 can differ; -0 is the smaller
            if (x.neg == y.neg) return a;
            return (x.neg ^ max) ? a : b;
        }
        return (c < 0) ^ max ? a : b;
    }

    /** 0 = eq (quiet), 1 = lt, 2 = le (signaling). */
    long compare(long a, long b, Fmt f, int kind) {
        V x = decode(a, f), y = decode(b, f);
        if (x.nan || y.nan) {
            if (kind != 0 || x.snan || y.snan) flags |= NV;
            return 0;
        }
        int c = cmp(x, y);
        boolean r = switch (kind) {
            case 0 -> c == 0;
            case 1 -> c < 0;
            default -> c <= 0;
        };
        return r ? 1 : 0;
    }

    static long classify(long a, Fmt f) {
        V x = decode(a, f);
        int bit;
        if (x.nan) bit = x.snan ? 8 : 9;
        else if (x.inf) bit = x.neg ? 0 : 7;
        else if (x.zero()) bit = x.neg ? 3 : 4;
        else {
            boolean sub = x.m.bitLength() < f.p();
            bit = x.neg ? (sub ? 2 : 1) : (sub ? 5 : 6);
        }
        return 1L << bit;
    }
}
