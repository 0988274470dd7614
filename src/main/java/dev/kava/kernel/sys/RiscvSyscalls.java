package dev.kava.kernel.sys;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * riscv_flush_icache (arch/riscv/kernel/sys_riscv.c; here until the arch package takes its
 * syscalls). riscv_hwprobe is in arch/riscv/HwprobeSyscall.
 */
public final class RiscvSyscalls {
    private RiscvSyscalls() {}

    /** SYS_RISCV_FLUSH_ICACHE_LOCAL / _ALL (arch/riscv/include/uapi/asm/unistd.h): the only flag. */
    private static final long SYS_RISCV_FLUSH_ICACHE_ALL = 1;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.RISCV_FLUSH_ICACHE, (task, a) -> flushIcache(task, a[2]));
    }

    private static long flushIcache(Task t, long flags) {
        if ((flags & ~SYS_RISCV_FLUSH_ICACHE_ALL) != 0) return -Errno.EINVAL;
        // The range is advisory in Linux too; every hart of the process drops its decoded code.
        t.hart.flushIcache();
        return 0;
    }
}
