package dev.kava.kernel;

import dev.kava.abi.Signal;

/**
 * How a process ended: exit(code) or death by a signal (the information in a wait status).
 *
 * @param code the exit code (0-255) when signal is 0
 * @param signal the fatal signal, or 0 for a normal exit
 * @param coreDumped whether a core was dumped (never, for now: RLIMIT_CORE is 0)
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {
    public static ExitStatus exited(int code) {
        return new ExitStatus(code & 0xff, 0, false);
    }

    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal, false);
    }

    /** The status as wait4() reports it (include/uapi/linux/wait.h encoding). */
    public int waitStatus() {
        return signal == 0 ? code << 8 : signal | (coreDumped ? 0x80 : 0);
    }

    /** The status a shell reports: the exit code, or 128 + the signal number. */
    public int shellStatus() {
        return signal == 0 ? code : 128 + signal;
    }

    @Override
    public String toString() {
        return signal == 0 ? "exited with " + code : "killed by " + Signal.name(signal) + (coreDumped ? " (core dumped)" : "");
    }
}
