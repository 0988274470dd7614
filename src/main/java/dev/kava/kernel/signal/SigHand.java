package dev.kava.kernel.signal;

import dev.kava.abi.Signal;

/** A process's signal actions (struct sighand_struct): one sigaction per signal. */
public final class SigHand {
    /** One struct sigaction as riscv64 stores it: handler, flags, mask. */
    public record Action(long handler, long flags, long mask) {
        public static final Action DEFAULT = new Action(Signal.SIG_DFL, 0, 0);
    }

    private final Action[] actions = new Action[Signal.NSIG + 1];

    public SigHand() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    public synchronized Action get(int sig) {
        return actions[sig];
    }

    public synchronized void set(int sig, Action a) {
        actions[sig] = a;
    }
}
