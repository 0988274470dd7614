package dev.kava.kernel.sched;

/**
 * The global load average (kernel/sched/loadavg.c): exponentially decaying averages of the
 * number of active tasks over 1, 5 and 15 minutes, in FSHIFT fixed point, sampled every
 * LOAD_FREQ. Linux samples from the timer tick; kava's scheduler calls {@link #update} with the
 * active count just before every change of it, so every sample point that passed since the
 * previous call saw exactly that count, and missed samples are folded in with calc_load_n as
 * NO_HZ does. "Active" is what the scheduler counts as runnable or running; kava has no
 * uninterruptible sleeps to add.
 */
public final class LoadAvg {
    /** FSHIFT, FIXED_1 and the decay factors 1/exp(5s/1min), 1/exp(5s/5min), 1/exp(5s/15min) (include/linux/sched/loadavg.h). */
    public static final int FSHIFT = 11;
    public static final long FIXED_1 = 1L << FSHIFT;
    static final long EXP_1 = 1884, EXP_5 = 2014, EXP_15 = 2037;
    /** LOAD_FREQ = 5*HZ+1 ticks; with HZ=100 (USER_HZ's rate) that is 5.01 s. */
    public static final long LOAD_FREQ_NANOS = 5_010_000_000L;

    private final long[] avenrun = new long[3];
    private long nextSample;

    public LoadAvg(long nowNanos) {
        this.nextSample = nowNanos + LOAD_FREQ_NANOS;
    }

    /** Folds in every sample point up to now, at which active tasks were runnable. */
    public synchronized void update(long nowNanos, int active) {
        if (nowNanos < nextSample) return;
        long n = (nowNanos - nextSample) / LOAD_FREQ_NANOS + 1;
        long a = (long) Math.max(active, 0) * FIXED_1;
        avenrun[0] = calcLoadN(avenrun[0], EXP_1, a, n);
        avenrun[1] = calcLoadN(avenrun[1], EXP_5, a, n);
        avenrun[2] = calcLoadN(avenrun[2], EXP_15, a, n);
        nextSample += n * LOAD_FREQ_NANOS;
    }

    /** get_avenrun: the three averages plus offset, in FSHIFT fixed point. */
    public synchronized long[] get(long offset) {
        return new long[]{avenrun[0] + offset, avenrun[1] + offset, avenrun[2] + offset};
    }

    /** calc_load: load = load * exp + active * (1 - exp), rounded up while rising. */
    static long calcLoad(long load, long exp, long active) {
        long newload = load * exp + active * (FIXED_1 - exp);
        if (active >= load) newload += FIXED_1 - 1;
        return newload / FIXED_1;
    }

    /** calc_load_n: n updates at once, with exp^n computed by fixed_power_int. */
    static long calcLoadN(long load, long exp, long active, long n) {
        return calcLoad(load, fixedPowerInt(exp, FSHIFT, n), active);
    }

    /** fixed_power_int (include/linux/sched/loadavg.h): x^n in frac_bits fixed point, rounded. */
    static long fixedPowerInt(long x, int fracBits, long n) {
        long result = 1L << fracBits;
        if (n != 0) {
            while (true) {
                if ((n & 1) != 0) {
                    result *= x;
                    result += 1L << (fracBits - 1);
                    result >>>= fracBits;
                }
                n >>>= 1;
                if (n == 0) break;
                x *= x;
                x += 1L << (fracBits - 1);
                x >>>= fracBits;
            }
        }
        return result;
    }

    /** LOAD_INT and LOAD_FRAC: the integer part and two decimals of a fixed-point load. */
    public static String format(long load) {
        long i = load >> FSHIFT;
        long frac = ((load & (FIXED_1 - 1)) * 100) >> FSHIFT;
        return i + "." + (frac < 10 ? "0" : "") + frac;
    }
}
