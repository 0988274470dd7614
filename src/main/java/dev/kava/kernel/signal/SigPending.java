package dev.kava.kernel.signal;

/**
 * A set of pending signals (struct sigpending). Standard signals do not queue: one pending
 * instance each, keeping the siginfo of the first.
 */
public final class SigPending {
    private long mask;
    private final SigInfo[] info = new SigInfo[dev.kava.abi.Signal.NSIG + 1];

    public synchronized void add(SigInfo si) {
        long bit = dev.kava.abi.Signal.bit(si.signo());
        if ((mask & bit) == 0) info[si.signo()] = si;
        mask |= bit;
    }

    public synchronized long mask() {
        return mask;
    }

    /** Removes and returns the lowest-numbered pending signal not in blocked, or null. */
    public synchronized SigInfo take(long blocked) {
        long ready = mask & ~blocked;
        if (ready == 0) return null;
        int sig = Long.numberOfTrailingZeros(ready) + 1;
        mask &= ~dev.kava.abi.Signal.bit(sig);
        SigInfo si = info[sig];
        info[sig] = null;
        return si;
    }

    public synchronized void remove(int sig) {
        mask &= ~dev.kava.abi.Signal.bit(sig);
        info[sig] = null;
    }
}
