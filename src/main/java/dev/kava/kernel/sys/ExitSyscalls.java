package dev.kava.kernel.sys;

import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/** exit and exit_group (kernel/exit.c). */
public final class ExitSyscalls {
    private ExitSyscalls() {}

    public static void register(SyscallTable t) {
        // With one thread per process, exit ends the process too: the last thread out sets the status.
        t.register(SyscallNr.EXIT, (task, a) -> exit(task, (int) a[0]));
        t.register(SyscallNr.EXIT_GROUP, (task, a) -> exit(task, (int) a[0]));
    }

    private static long exit(Task t, int code) {
        t.group.exit(ExitStatus.exited(code & 0xff));
        return 0;
    }
}
