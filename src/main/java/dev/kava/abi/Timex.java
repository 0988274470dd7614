package dev.kava.abi;

/** adjtimex and clock_adjtime: struct __kernel_timex, modes, status bits and states (include/uapi/linux/timex.h). */
public final class Timex {
    private Timex() {}

    /** sizeof(struct __kernel_timex) on 64-bit. */
    public static final int SIZE = 208;
    /** Field offsets of struct __kernel_timex (int fields are followed by 32 bits of padding). */
    public static final int MODES = 0, OFFSET = 8, FREQ = 16, MAXERROR = 24, ESTERROR = 32, STATUS = 40, CONSTANT = 48,
            PRECISION = 56, TOLERANCE = 64, TIME_SEC = 72, TIME_USEC = 80, TICK = 88, PPSFREQ = 96, JITTER = 104,
            SHIFT = 112, STABIL = 120, JITCNT = 128, CALCNT = 136, ERRCNT = 144, STBCNT = 152, TAI = 160;

    public static final int ADJ_OFFSET = 0x0001;
    public static final int ADJ_FREQUENCY = 0x0002;
    public static final int ADJ_MAXERROR = 0x0004;
    public static final int ADJ_ESTERROR = 0x0008;
    public static final int ADJ_STATUS = 0x0010;
    public static final int ADJ_TIMECONST = 0x0020;
    public static final int ADJ_TAI = 0x0080;
    public static final int ADJ_SETOFFSET = 0x0100;
    public static final int ADJ_MICRO = 0x1000;
    public static final int ADJ_NANO = 0x2000;
    public static final int ADJ_TICK = 0x4000;
    /** ADJ_ADJTIME (include/linux/timex.h): the adjtime() interface. */
    public static final int ADJ_ADJTIME = 0x8000;
    public static final int ADJ_OFFSET_SINGLESHOT = 0x8001;
    public static final int ADJ_OFFSET_READONLY = 0x2001;

    public static final int STA_PLL = 0x0001;
    public static final int STA_PPSFREQ = 0x0002;
    public static final int STA_PPSTIME = 0x0004;
    public static final int STA_FLL = 0x0008;
    public static final int STA_INS = 0x0010;
    public static final int STA_DEL = 0x0020;
    public static final int STA_UNSYNC = 0x0040;
    public static final int STA_FREQHOLD = 0x0080;
    public static final int STA_PPSSIGNAL = 0x0100;
    public static final int STA_PPSJITTER = 0x0200;
    public static final int STA_PPSWANDER = 0x0400;
    public static final int STA_PPSERROR = 0x0800;
    public static final int STA_CLOCKERR = 0x1000;
    public static final int STA_NANO = 0x2000;
    public static final int STA_MODE = 0x4000;
    public static final int STA_CLK = 0x8000;
    /** STA_RONLY: the bits ADJ_STATUS cannot change. */
    public static final int STA_RONLY = STA_PPSSIGNAL | STA_PPSJITTER | STA_PPSWANDER | STA_PPSERROR | STA_CLOCKERR
            | STA_NANO | STA_MODE | STA_CLK;

    public static final int TIME_OK = 0, TIME_INS = 1, TIME_DEL = 2, TIME_OOP = 3, TIME_WAIT = 4, TIME_ERROR = 5;

    /** MAXTC (include/linux/timex.h): the largest time constant. */
    public static final long MAXTC = 10;
    /** NTP_PHASE_LIMIT (include/linux/timex.h): (MAXPHASE / NSEC_PER_USEC) << 5, in us. */
    public static final long NTP_PHASE_LIMIT = (500_000_000L / 1000) << 5;
    /** MAXFREQ (include/linux/timex.h): the largest frequency error, ns/s. */
    public static final long MAXFREQ = 500_000;
    /** PPM_SCALE: NSEC_PER_USEC << (NTP_SCALE_SHIFT - SHIFT_USEC). */
    public static final long PPM_SCALE = 1000L << (32 - 16);
    /** USER_HZ */
    public static final long USER_HZ = 100;
}
