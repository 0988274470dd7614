package dev.kava.kernel.time;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.abi.Timex;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

/**
 * The NTP state of the kernel clock and adjtimex/clock_adjtime (kernel/time/ntp.c,
 * kernel/time/timekeeping.c do_adjtimex, kernel/time/posix-timers.c clock_adjtime).
 *
 * <p>Anyone may read the state (modes 0); setting anything needs CAP_SYS_TIME (effective uid
 * 0). kava's clock is its own, never the host's. It can be stepped (ADJ_SETOFFSET, as
 * clock_settime) but not slewed (the vDSO computes time from bases that move only by steps):
 * root may change the bookkeeping that does not change the clock's rate (status, maxerror,
 * esterror, time constant, ADJ_NANO/ADJ_MICRO, an offset while the PLL is off, the values
 * already in force), and gets EOPNOTSUPP for what would (frequency, tick, adjtime's slew, the
 * TAI offset, leap seconds).
 */
public final class Ntp {
    private int status = Timex.STA_UNSYNC;
    /** time_maxerror as last set, and the monotonic time it was set: it grows 500 us a second (second_overflow). */
    private long maxerror = Timex.NTP_PHASE_LIMIT, maxerrorSetAt;
    private long esterror = Timex.NTP_PHASE_LIMIT;
    private long constant = 2;
    /** tick_usec: USER_TICK_USEC. */
    private static final long TICK_USEC = 1_000_000 / Timex.USER_HZ;
    /** The TAI offset: what CLOCK_TAI adds to CLOCK_REALTIME here. */
    private static final int TAI = (int) (TimeSyscalls.TAI_OFFSET_NANOS / Time.NSEC_PER_SEC);

    public static void register(SyscallTable t) {
        t.register(SyscallNr.ADJTIMEX, (task, a) -> clockAdjtime(task, Time.CLOCK_REALTIME, a[0]));
        t.register(SyscallNr.CLOCK_ADJTIME, (task, a) -> clockAdjtime(task, (int) a[0], a[1]));
    }

    /** clock_adjtime: only CLOCK_REALTIME can be adjusted; other valid clocks have no clock_adj. */
    static long clockAdjtime(Task t, int clock, long utx) {
        byte[] tx = t.mem.read(utx, Timex.SIZE);
        long r;
        if (clock == Time.CLOCK_REALTIME) {
            r = t.kernel.clock().ntp.doAdjtimex(t, tx);
        } else if (validClock(t, clock)) {
            r = -Errno.EOPNOTSUPP;
        } else {
            r = -Errno.EINVAL;
        }
        if (r >= 0) t.mem.write(utx, tx);
        return r;
    }

    /** clockid_to_kclock: the clocks that exist (posix_clocks[], and the CPU clocks of clock_getcpuclockid). */
    private static boolean validClock(Task t, int clock) {
        if (clock >= 0) return clock <= Time.CLOCK_TAI && clock != Time.CLOCK_SGI_CYCLE;
        return (clock & 7) != 3; // CLOCKFD: a dynamic posix clock's fd; kava has none, so EINVAL
    }

    /**
     * Inside the kernel (include/linux/timex.h) ADJ_OFFSET_SINGLESHOT and ADJ_OFFSET_READONLY are
     * the single bits 0x0001 and 0x2000 that the uapi values (0x8001, 0x2001) add to ADJ_ADJTIME.
     */
    private static final int K_SINGLESHOT = 0x0001, K_READONLY = 0x2000;

    /** capable(CAP_SYS_TIME): kava's capabilities are those of effective uid 0. */
    static boolean capSysTime(Task t) {
        return t.group.cred.euid() == 0;
    }

    /** timekeeping_validate_timex */
    private static long validate(Task t, int modes, byte[] tx) {
        if ((modes & Timex.ADJ_ADJTIME) != 0) {
            // singleshot must not be used with any other mode bits
            if ((modes & K_SINGLESHOT) == 0) return -Errno.EINVAL;
            if ((modes & K_READONLY) == 0 && !capSysTime(t)) return -Errno.EPERM;
        } else {
            if (modes != 0 && !capSysTime(t)) return -Errno.EPERM;
            long tick = Uaccess.getLong(tx, Timex.TICK);
            if ((modes & Timex.ADJ_TICK) != 0 && (tick < 900_000 / Timex.USER_HZ || tick > 1_100_000 / Timex.USER_HZ)) {
                return -Errno.EINVAL;
            }
        }
        if ((modes & Timex.ADJ_SETOFFSET) != 0) {
            if (!capSysTime(t)) return -Errno.EPERM;
            long usec = Uaccess.getLong(tx, Timex.TIME_USEC);
            if (usec < 0) return -Errno.EINVAL;
            if (usec >= ((modes & Timex.ADJ_NANO) != 0 ? Time.NSEC_PER_SEC : 1_000_000)) return -Errno.EINVAL;
        }
        if ((modes & Timex.ADJ_FREQUENCY) != 0) {
            long freq = Uaccess.getLong(tx, Timex.FREQ);
            if (Long.MIN_VALUE / Timex.PPM_SCALE > freq || Long.MAX_VALUE / Timex.PPM_SCALE < freq) return -Errno.EINVAL;
        }
        return 0;
    }

    /** What kava cannot do to its clock; null when the modes only change bookkeeping (or change nothing). */
    private String unsupported(int modes, byte[] tx) {
        if ((modes & Timex.ADJ_ADJTIME) != 0) {
            return (modes & K_READONLY) != 0 ? null : "adjtime's slew";
        }
        if ((modes & Timex.ADJ_FREQUENCY) != 0) return "ADJ_FREQUENCY";
        if ((modes & Timex.ADJ_TICK) != 0 && Uaccess.getLong(tx, Timex.TICK) != TICK_USEC) return "ADJ_TICK";
        if ((modes & Timex.ADJ_TAI) != 0) {
            long c = Uaccess.getLong(tx, Timex.CONSTANT);
            if (c >= 0 && c != TAI) return "ADJ_TAI"; // (an out-of-range value is ignored, as Linux does)
        }
        int newStatus = (modes & Timex.ADJ_STATUS) != 0 ? Uaccess.getInt(tx, Timex.STATUS) : status;
        if ((newStatus & (Timex.STA_INS | Timex.STA_DEL)) != 0) return "leap seconds (STA_INS, STA_DEL)";
        if ((modes & Timex.ADJ_OFFSET) != 0 && (newStatus & Timex.STA_PLL) != 0) return "ADJ_OFFSET with the PLL on";
        return null;
    }

    /** do_adjtimex and __do_adjtimex: applies the modes, fills tx with the state, returns the clock state. */
    synchronized long doAdjtimex(Task t, byte[] tx) {
        int modes = Uaccess.getInt(tx, Timex.MODES);
        long err = validate(t, modes, tx);
        if (err != 0) return err;
        String what = unsupported(modes, tx);
        if (what != null) {
            t.kernel.log().once("adjtimex-" + what, t.describe() + ": adjtimex " + what
                    + ": kava's clock cannot be slewed or stepped: -EOPNOTSUPP");
            return -Errno.EOPNOTSUPP;
        }
        if ((modes & Timex.ADJ_SETOFFSET) != 0) {
            // timekeeping_inject_offset, before the NTP modes (do_adjtimex).
            long sec = Uaccess.getLong(tx, Timex.TIME_SEC), frac = Uaccess.getLong(tx, Timex.TIME_USEC);
            long nsec = (modes & Timex.ADJ_NANO) != 0 ? frac : frac * 1000;
            long delta;
            try {
                delta = Math.addExact(Math.multiplyExact(sec, Time.NSEC_PER_SEC), nsec);
            } catch (ArithmeticException e) {
                return -Errno.EINVAL;
            }
            long r = t.kernel.clock().injectOffset(delta);
            if (r != 0) return r;
        }
        long nowMono = t.kernel.clock().monotonicNanos();
        secondOverflow(nowMono);
        long offsetOut = 0; // time_adjust, and time_offset: kava never has an adjustment in progress
        if ((modes & Timex.ADJ_ADJTIME) == 0 && modes != 0) processModes(modes, tx, nowMono);
        int result = isErrorStatus(status) ? Timex.TIME_ERROR : Timex.TIME_OK;
        Uaccess.putLong(tx, Timex.OFFSET, offsetOut);
        Uaccess.putLong(tx, Timex.FREQ, 0);
        Uaccess.putLong(tx, Timex.MAXERROR, maxerror);
        Uaccess.putLong(tx, Timex.ESTERROR, esterror);
        Uaccess.putInt(tx, Timex.STATUS, status);
        Uaccess.putLong(tx, Timex.CONSTANT, constant);
        Uaccess.putLong(tx, Timex.PRECISION, 1);
        Uaccess.putLong(tx, Timex.TOLERANCE, (Timex.MAXFREQ << 32) / Timex.PPM_SCALE);
        Uaccess.putLong(tx, Timex.TICK, TICK_USEC);
        Uaccess.putInt(tx, Timex.TAI, TAI);
        // pps_fill_timex without CONFIG_NTP_PPS: the PPS fields are zero.
        for (int off : new int[]{Timex.PPSFREQ, Timex.JITTER, Timex.STABIL, Timex.JITCNT, Timex.CALCNT, Timex.ERRCNT, Timex.STBCNT}) {
            Uaccess.putLong(tx, off, 0);
        }
        Uaccess.putInt(tx, Timex.SHIFT, 0);
        long real = t.kernel.clock().realtimeNanos();
        Uaccess.putLong(tx, Timex.TIME_SEC, Math.floorDiv(real, Time.NSEC_PER_SEC));
        long ns = Math.floorMod(real, Time.NSEC_PER_SEC);
        Uaccess.putLong(tx, Timex.TIME_USEC, (status & Timex.STA_NANO) != 0 ? ns : ns / 1000);
        return result;
    }

    /** second_overflow's bookkeeping, caught up: maxerror grows MAXFREQ/1000 us a second; at the limit the clock is unsynchronized. */
    private void secondOverflow(long nowMono) {
        long secs = (nowMono - maxerrorSetAt) / Time.NSEC_PER_SEC;
        if (secs <= 0 || maxerror >= Timex.NTP_PHASE_LIMIT) return;
        long grown = maxerror + Math.min(secs, Timex.NTP_PHASE_LIMIT) * (Timex.MAXFREQ / 1000);
        maxerrorSetAt += secs * Time.NSEC_PER_SEC;
        if (grown > Timex.NTP_PHASE_LIMIT) {
            grown = Timex.NTP_PHASE_LIMIT;
            status |= Timex.STA_UNSYNC;
        }
        maxerror = grown;
    }

    /** process_adjtimex_modes, for the modes kava carries out. */
    private void processModes(int modes, byte[] tx, long nowMono) {
        if ((modes & Timex.ADJ_STATUS) != 0) {
            int st = Uaccess.getInt(tx, Timex.STATUS);
            if ((status & Timex.STA_PLL) != 0 && (st & Timex.STA_PLL) == 0) status = Timex.STA_UNSYNC; // PLL turned off
            status &= Timex.STA_RONLY;
            status |= st & ~Timex.STA_RONLY;
        }
        if ((modes & Timex.ADJ_NANO) != 0) status |= Timex.STA_NANO;
        if ((modes & Timex.ADJ_MICRO) != 0) status &= ~Timex.STA_NANO;
        if ((modes & Timex.ADJ_MAXERROR) != 0) {
            maxerror = Math.clamp(Uaccess.getLong(tx, Timex.MAXERROR), 0, Timex.NTP_PHASE_LIMIT);
            maxerrorSetAt = nowMono;
        }
        if ((modes & Timex.ADJ_ESTERROR) != 0) esterror = Math.clamp(Uaccess.getLong(tx, Timex.ESTERROR), 0, Timex.NTP_PHASE_LIMIT);
        if ((modes & Timex.ADJ_TIMECONST) != 0) {
            long c = Math.clamp(Uaccess.getLong(tx, Timex.CONSTANT), 0, Timex.MAXTC);
            if ((status & Timex.STA_NANO) == 0) c += 4;
            constant = Math.clamp(c, 0, Timex.MAXTC);
        }
    }

    /** is_error_status */
    private static boolean isErrorStatus(int s) {
        return (s & (Timex.STA_UNSYNC | Timex.STA_CLOCKERR)) != 0
                || ((s & (Timex.STA_PPSFREQ | Timex.STA_PPSTIME)) != 0 && (s & Timex.STA_PPSSIGNAL) == 0)
                || (s & (Timex.STA_PPSTIME | Timex.STA_PPSJITTER)) == (Timex.STA_PPSTIME | Timex.STA_PPSJITTER)
                || ((s & Timex.STA_PPSFREQ) != 0 && (s & (Timex.STA_PPSWANDER | Timex.STA_PPSERROR)) != 0);
    }
}
