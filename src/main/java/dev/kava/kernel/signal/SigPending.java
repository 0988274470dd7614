package dev.kava.kernel.signal;

import dev.kava.abi.Signal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A set of pending signals (struct sigpending): a mask and a queue of siginfos. Standard
 * signals do not queue (legacy_queue): one pending instance each, keeping the first siginfo.
 * Real-time signals queue every instance, in order.
 */
public final class SigPending {
    /** The most queued real-time signals kept (RLIMIT_SIGPENDING's order of magnitude). */
    private static final int MAX_QUEUED = 8192;

    private long mask;
    private final List<SigInfo> queue = new ArrayList<>();

    /** Queues si; returns false when it was dropped (a standard signal already pending, or the queue full). */
    public synchronized boolean add(SigInfo si) {
        long bit = Signal.bit(si.signo());
        if (si.signo() < Signal.SIGRTMIN && (mask & bit) != 0) return false;
        if (si.signo() >= Signal.SIGRTMIN && queue.size() >= MAX_QUEUED) return false;
        queue.add(si);
        mask |= bit;
        return true;
    }

    public synchronized long mask() {
        return mask;
    }

    /** Whether a signal outside blocked is pending. */
    public synchronized boolean hasUnblocked(long blocked) {
        return (mask & ~blocked) != 0;
    }

    /** The synchronous signals next_signal prefers (SYNCHRONOUS_MASK). */
    private static final long SYNCHRONOUS = Signal.bit(Signal.SIGSEGV) | Signal.bit(Signal.SIGBUS)
            | Signal.bit(Signal.SIGILL) | Signal.bit(Signal.SIGTRAP) | Signal.bit(Signal.SIGFPE) | Signal.bit(Signal.SIGSYS);

    /** Removes and returns the next pending signal not in blocked (next_signal's order), or null. */
    public synchronized SigInfo take(long blocked) {
        long ready = mask & ~blocked;
        if (ready == 0) return null;
        long sync = ready & SYNCHRONOUS;
        int sig = Long.numberOfTrailingZeros(sync != 0 ? sync : ready) + 1;
        return takeSignal(sig);
    }

    /** Removes and returns the first instance of sig (collect_signal), or null if not pending. */
    public synchronized SigInfo takeSignal(int sig) {
        long bit = Signal.bit(sig);
        if ((mask & bit) == 0) return null;
        SigInfo first = null;
        boolean more = false;
        for (Iterator<SigInfo> it = queue.iterator(); it.hasNext(); ) {
            SigInfo si = it.next();
            if (si.signo() != sig) continue;
            if (first == null) {
                first = si;
                it.remove();
            } else {
                more = true;
                break;
            }
        }
        if (!more) mask &= ~bit;
        return first;
    }

    /** Drops every instance of the signals in set (flush_sigqueue_mask). */
    public synchronized void removeMask(long set) {
        if ((mask & set) == 0) return;
        mask &= ~set;
        queue.removeIf(si -> (set & Signal.bit(si.signo())) != 0);
    }

    public void remove(int sig) {
        removeMask(Signal.bit(sig));
    }

    public synchronized void clear() {
        mask = 0;
        queue.clear();
    }
}
