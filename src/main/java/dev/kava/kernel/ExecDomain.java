package dev.kava.kernel;

import dev.kava.abi.Personality;
import dev.kava.abi.SyscallNr;

/**
 * The execution domain (kernel/exec_domain.c): a thread's personality, set and read by
 * personality(2) (setarch, linux32/linux64), copied to new threads and processes, and kept
 * by exec except for the base domain, which becomes PER_LINUX unless it is PER_LINUX32
 * (riscv's SET_PERSONALITY with CONFIG_COMPAT). kava lays out memory without randomization,
 * so ADDR_NO_RANDOMIZE changes nothing; uname reads PER_LINUX32 and UNAME26.
 */
public final class ExecDomain {
    private ExecDomain() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.PERSONALITY, (task, a) -> personality(task, (int) a[0]));
    }

    /** SYSCALL_DEFINE1(personality, unsigned int, personality): returns the old value. */
    static long personality(Task t, int personality) {
        int old = t.personality;
        if (personality != Personality.QUERY) t.personality = personality;
        return Integer.toUnsignedLong(old);
    }

    /** SET_PERSONALITY at exec (arch/riscv/include/asm/elf.h, a 64-bit ELF). */
    public static void exec(Task t) {
        int p = t.personality;
        if ((p & Personality.PER_MASK) != Personality.PER_LINUX32) {
            t.personality = Personality.PER_LINUX | (p & ~Personality.PER_MASK);
        }
    }
}
