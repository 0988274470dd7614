package dev.kava.kernel.sys;

import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/** exit and exit_group (kernel/exit.c). */
public final class ExitSyscalls {
    private ExitSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.EXIT, (task, a) -> {
            task.kernel.exitThread(task, (int) a[0]);
            return 0;
        });
        t.register(SyscallNr.EXIT_GROUP, (task, a) -> {
            task.group.exit(ExitStatus.exited((int) a[0] & 0xff));
            return 0;
        });
    }
}
