package dev.kava.kernel.signal;

import dev.kava.abi.Signal;

/**
 * A process's signal actions (struct sighand_struct): one sigaction per signal. The threads of a
 * process share one; clone(CLONE_SIGHAND) without CLONE_THREAD shares it between processes too
 * (the count is sighand->count), until one of them execs (de_thread's unsharing) or exits.
 */
public final class SigHand {
    /** One struct sigaction as riscv64 stores it: handler, flags, mask. */
    public record Action(long handler, long flags, long mask) {
        public static final Action DEFAULT = new Action(Signal.SIG_DFL, 0, 0);
    }

    private final Action[] actions = new Action[Signal.NSIG + 1];

    /**
     * signalfd_wqh: readers and pollers of a signalfd sleep here; woken whenever a signal is
     * queued for a process using this table (signalfd_notify) and when a signalfd's mask changes.
     */
    public final dev.kava.kernel.sched.WaitQueue signalfdWqh = new dev.kava.kernel.sched.WaitQueue();

    /** Processes using this table (sighand_struct.count). */
    private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger(1);

    public SigHand() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    /** A private copy of the actions, for a process that stops sharing (copy_sighand, unshare_sighand). */
    public synchronized SigHand copy() {
        SigHand c = new SigHand();
        System.arraycopy(actions, 0, c.actions, 0, actions.length);
        return c;
    }

    /** Another process shares this table (clone with CLONE_SIGHAND). */
    public SigHand share() {
        users.incrementAndGet();
        return this;
    }

    /** A process stops using this table (__cleanup_sighand); true when it was the last one. */
    public boolean unshareLast() {
        return users.decrementAndGet() == 0;
    }

    /** Whether other processes share this table. */
    public boolean isShared() {
        return users.get() > 1;
    }

    public synchronized Action get(int sig) {
        return actions[sig];
    }

    public synchronized void set(int sig, Action a) {
        actions[sig] = a;
    }
}
