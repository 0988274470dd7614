package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.abi.Timerfd;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.kernel.time.HrTimer;

/**
 * timerfd (fs/timerfd.c): a timer as a file. Each expiry counts a tick; read returns the ticks
 * as a u64 and waits for one when there are none. A periodic timer is not re-armed when it
 * expires but when the ticks are read (or timerfd_gettime looks): the periods missed meanwhile
 * are counted then (hrtimer_forward_now), as Linux does to keep short periods cheap.
 *
 * <p>An absolute CLOCK_REALTIME timer armed with TFD_TIMER_CANCEL_ON_SET is cancelled when the
 * wall clock is set (timerfd_clock_was_set): it becomes readable, and the next read fails
 * with ECANCELED.
 */
public final class TimerFd extends AnonInodeFile {
    private final int clockid;
    private final WaitQueue wqh = new WaitQueue();
    /** Guarded by this (ctx->wqh.lock). */
    private final HrTimer tmr;
    private long tintv, ticks;
    private boolean expired;
    private int settimeFlags;
    /**
     * ctx->moffs: the realtime offset when the timer last checked, or Long.MAX_VALUE once a
     * clock set cancelled it; mightCancel: on the cancel list (TFD_TIMER_CANCEL_ON_SET).
     */
    private long moffs;
    private boolean mightCancel;
    private final dev.kava.kernel.sched.WaitQueue.Callback onClockSet = key -> clockWasSet();
    private final dev.kava.kernel.time.Clock clock;

    private TimerFd(Task t, int clockid, int flags) {
        super(Fcntl.O_RDWR | (flags & Fcntl.O_NONBLOCK), "[timerfd]");
        this.clockid = clockid;
        this.clock = t.kernel.clock();
        this.moffs = clock.realtimeOffset();
        this.tmr = new HrTimer(t.kernel, clockid, this, this::triggered, () -> wqh.wakeAll(dev.kava.abi.Poll.POLLIN));
    }

    public static void register(SyscallTable t) {
        t.register(SyscallNr.TIMERFD_CREATE, (task, a) -> create(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.TIMERFD_SETTIME, (task, a) -> settime(task, (int) a[0], (int) a[1], a[2], a[3]));
        t.register(SyscallNr.TIMERFD_GETTIME, (task, a) -> gettime(task, (int) a[0], a[1]));
    }

    private static boolean isAlarm(int clockid) {
        return clockid == Time.CLOCK_REALTIME_ALARM || clockid == Time.CLOCK_BOOTTIME_ALARM;
    }

    /** timerfd_create: the clocks a timerfd may use; the alarm clocks need CAP_WAKE_ALARM (root). */
    static long create(Task t, int clockid, int flags) {
        if ((flags & ~Timerfd.TFD_CREATE_FLAGS) != 0
                || (clockid != Time.CLOCK_MONOTONIC && clockid != Time.CLOCK_REALTIME && !isAlarm(clockid)
                        && clockid != Time.CLOCK_BOOTTIME)) {
            return -Errno.EINVAL;
        }
        if (isAlarm(clockid) && t.group.cred.euid() != 0) return -Errno.EPERM;
        TimerFd f = new TimerFd(t, clockid, flags);
        return t.group.files.install(f, (flags & Timerfd.TFD_CLOEXEC) != 0, 0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
    }

    /** timerfd_fget: EBADF for no file, EINVAL for a file that is not a timerfd. */
    private static TimerFd fget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null) throw ErrnoException.of(Errno.EBADF);
        if (!(f instanceof TimerFd tf)) throw ErrnoException.of(Errno.EINVAL);
        return tf;
    }

    /** get_itimerspec64 with itimerspec64_valid: {interval, value} in ns (KTIME_MAX-saturated), or null when invalid. */
    private static long[] readItimerspec(Task t, long addr) {
        byte[] b = t.mem.read(addr, Time.ITIMERSPEC_SIZE);
        long[] r = new long[2];
        for (int i = 0; i < 2; i++) {
            long sec = Uaccess.getLong(b, 16 * i), nsec = Uaccess.getLong(b, 16 * i + 8);
            if (sec < 0 || nsec < 0 || nsec >= Time.NSEC_PER_SEC) return null;
            // timespec64_to_ktime: KTIME_SEC_MAX and beyond is KTIME_MAX
            r[i] = sec >= Long.MAX_VALUE / Time.NSEC_PER_SEC ? Long.MAX_VALUE : sec * Time.NSEC_PER_SEC + nsec;
        }
        return r;
    }

    private static byte[] itimerspec(long value, long interval) {
        byte[] b = new byte[Time.ITIMERSPEC_SIZE];
        Uaccess.putLong(b, 0, interval / Time.NSEC_PER_SEC);
        Uaccess.putLong(b, 8, interval % Time.NSEC_PER_SEC);
        Uaccess.putLong(b, 16, value / Time.NSEC_PER_SEC);
        Uaccess.putLong(b, 24, value % Time.NSEC_PER_SEC);
        return b;
    }

    /** timerfd_settime and do_timerfd_settime. */
    static long settime(Task t, int ufd, int flags, long utmr, long otmr) {
        long[] nt = readItimerspec(t, utmr);
        if ((flags & ~Timerfd.TFD_SETTIME_FLAGS) != 0 || nt == null) return -Errno.EINVAL;
        TimerFd f = fget(t, ufd);
        long[] old;
        f.catchUp();
        int r;
        synchronized (f) {
            f.setupCancel(flags);
            // An expired periodic timer moves on first, so that the old value is its next expiry.
            if (f.expired && f.tintv != 0) f.tmr.forwardNow(f.tintv);
            // As in gettime: a period that passed while this ran moves it on again.
            while (f.tintv != 0 && f.tmr.expires() != 0 && f.remaining() == 0) f.tmr.forwardNow(f.tintv);
            old = new long[]{f.remaining(), f.tintv};
            r = f.setup(flags, nt[1], nt[0]);
        }
        if (r != 0) return r;
        if (otmr != 0) t.mem.write(otmr, itimerspec(old[0], old[1]));
        return 0;
    }

    /** timerfd_setup_cancel: an absolute wall-clock timer with TFD_TIMER_CANCEL_ON_SET goes on the cancel list. Holds this. */
    private void setupCancel(int flags) {
        boolean want = (clockid == Time.CLOCK_REALTIME || clockid == Time.CLOCK_REALTIME_ALARM)
                && (flags & Timerfd.TFD_TIMER_ABSTIME) != 0 && (flags & Timerfd.TFD_TIMER_CANCEL_ON_SET) != 0;
        if (want == mightCancel) return;
        mightCancel = want;
        if (want) clock.wasSet().add(onClockSet);
        else clock.wasSet().remove(onClockSet);
    }

    /** timerfd_clock_was_set: a timer on the cancel list whose offset is stale is cancelled and made readable. */
    private void clockWasSet() {
        synchronized (this) {
            if (!mightCancel || moffs == clock.realtimeOffset()) return;
            moffs = Long.MAX_VALUE;
            ticks++;
        }
        wqh.wakeAll(dev.kava.abi.Poll.POLLIN);
    }

    /** timerfd_canceled: whether a clock set cancelled the timer; if so the cancellation is consumed. Holds this. */
    private boolean canceled() {
        if (!mightCancel || moffs != Long.MAX_VALUE) return false;
        moffs = clock.realtimeOffset();
        return true;
    }

    /**
     * timerfd_setup: the ticks are forgotten; a non-zero value arms the timer, relative or
     * absolute; -ECANCELED when a clock set had cancelled the timer. Holds this.
     */
    private int setup(int flags, long value, long interval) {
        tmr.cancel();
        expired = false;
        ticks = 0;
        tintv = interval;
        boolean abs = (flags & Timerfd.TFD_TIMER_ABSTIME) != 0;
        tmr.init(abs);
        tmr.setExpires(0); // hrtimer_setup: a disarmed timer has no expiry
        if (value != 0) {
            long expiry = abs ? value : saturatingAdd(tmr.now(), value);
            tmr.start(expiry);
            if (canceled()) return -Errno.ECANCELED;
        }
        settimeFlags = flags & Timerfd.TFD_SETTIME_FLAGS;
        return 0;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** timerfd_get_remaining: time to the expiry, 0 once it passed (or when disarmed). Holds this. */
    private long remaining() {
        if (tmr.expires() == 0) return 0;
        long rem = tmr.expires() - tmr.now();
        return rem < 0 ? 0 : rem;
    }

    /** timerfd_gettime: a periodic timer that expired is forwarded and re-armed, its missed periods counted. */
    static long gettime(Task t, int ufd, long otmr) {
        TimerFd f = fget(t, ufd);
        long[] cur;
        f.catchUp();
        boolean refired = false;
        synchronized (f) {
            while (true) {
                if (f.expired && f.tintv != 0) {
                    f.expired = false;
                    f.ticks += f.tmr.forwardNow(f.tintv) - 1;
                    f.tmr.restart();
                }
                // A periodic timer that came due again while this ran (kava's CPU is slow next to
                // a short period) is forwarded again, so the value is in (0, interval] as Linux's
                // instant reading gives, never a 0 that reads as "disarmed".
                if (f.tintv == 0 || f.remaining() > 0 || !f.tmr.expireIfDue()) break;
                refired = true;
            }
            cur = new long[]{f.remaining(), f.tintv};
        }
        if (refired) f.wqh.wakeAll(dev.kava.abi.Poll.POLLIN);
        t.mem.write(otmr, itimerspec(cur[0], cur[1]));
        return 0;
    }

    /** timerfd_triggered (the hrtimer function): one more tick; the wakeup follows outside the lock. Holds this. */
    private void triggered() {
        expired = true;
        ticks++;
    }

    /** An expiry the timer thread has not processed yet is processed now (see {@link HrTimer#expireIfDue}). */
    private void catchUp() {
        boolean fired;
        synchronized (this) {
            fired = tmr.expireIfDue();
        }
        if (fired) wqh.wakeAll(dev.kava.abi.Poll.POLLIN);
    }

    private boolean hasTicks() {
        catchUp();
        synchronized (this) {
            return ticks != 0;
        }
    }

    /** timerfd_read_iter: the ticks as a u64, re-arming a periodic timer with the periods it missed. */
    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        if (len < 8) throw ErrnoException.of(Errno.EINVAL);
        long n;
        while (true) {
            catchUp();
            synchronized (this) {
                // If the clock was set, the ticks do not matter and the timer is not re-armed:
                // the reader must look at the clock again.
                if (canceled()) {
                    ticks = 0;
                    expired = false;
                    throw ErrnoException.of(Errno.ECANCELED);
                }
                if (ticks != 0) {
                    n = ticks;
                    if (expired && tintv != 0) {
                        n += tmr.forwardNow(tintv) - 1;
                        tmr.restart();
                    }
                    expired = false;
                    ticks = 0;
                    break;
                }
                if ((flags & Fcntl.O_NONBLOCK) != 0) throw ErrnoException.of(Errno.EAGAIN);
            }
            if (t.waitEvent(wqh, this::hasTicks, Long.MAX_VALUE) == -Errno.EINTR) {
                throw ErrnoException.of(Errno.ERESTARTSYS);
            }
        }
        Uaccess.putLong(dst, off, n);
        return 8;
    }

    /** timerfd_poll: readable while there are ticks. */
    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(wqh);
        return hasTicks() ? dev.kava.abi.Poll.POLLIN : 0;
    }

    /** TFD_IOC_SET_TICKS (CONFIG_CHECKPOINT_RESTORE): sets the tick count a read will return. */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd != Timerfd.TFD_IOC_SET_TICKS) throw ErrnoException.of(Errno.ENOTTY);
        long n = t.mem.read64(arg);
        if (n == 0) return -Errno.EINVAL;
        synchronized (this) {
            if (canceled()) return -Errno.ECANCELED;
            ticks = n;
        }
        wqh.wakeAll(dev.kava.abi.Poll.POLLIN);
        return 0;
    }

    /** timerfd_show: the clock, ticks, settime flags (octal) and the remaining time and interval. */
    @Override
    public String fdinfo() {
        catchUp();
        synchronized (this) {
            return show();
        }
    }

    private String show() {
        long v = remaining();
        return "clockid: " + clockid + "\nticks: " + ticks + "\nsettime flags: 0" + Integer.toOctalString(settimeFlags)
                + "\nit_value: (" + v / Time.NSEC_PER_SEC + ", " + v % Time.NSEC_PER_SEC + ")\nit_interval: ("
                + tintv / Time.NSEC_PER_SEC + ", " + tintv % Time.NSEC_PER_SEC + ")\n";
    }

    @Override
    public void release() {
        synchronized (this) {
            setupCancel(0);
            tmr.cancel();
        }
        super.release();
    }
}
