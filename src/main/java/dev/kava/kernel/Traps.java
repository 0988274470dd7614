package dev.kava.kernel;

import dev.kava.abi.Mman;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Trap;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.mm.Mmap;

/**
 * Exceptions from user mode other than ecall (arch/riscv/kernel/traps.c and mm/fault.c): each
 * becomes the signal Linux sends for it. Faults the mm can resolve never get here.
 */
public final class Traps {
    private Traps() {}

    public static void userTrap(Task t, int cause) {
        long tval = t.hart.trapValue;
        SigInfo si = switch (cause) {
            case Trap.ILLEGAL_INSN -> SigInfo.fault(Signal.SIGILL, SigInfo.ILL_ILLOPC, t.hart.pc);
            case Trap.BREAKPOINT -> SigInfo.fault(Signal.SIGTRAP, SigInfo.TRAP_BRKPT, t.hart.pc);
            case Trap.INSN_MISALIGNED, Trap.LOAD_MISALIGNED, Trap.STORE_MISALIGNED ->
                    SigInfo.fault(Signal.SIGBUS, SigInfo.BUS_ADRALN, tval);
            case Trap.INSN_ACCESS_FAULT, Trap.LOAD_ACCESS_FAULT, Trap.STORE_ACCESS_FAULT ->
                    SigInfo.fault(Signal.SIGSEGV, SigInfo.SEGV_ACCERR, tval);
            case Trap.INSN_PAGE_FAULT, Trap.LOAD_PAGE_FAULT, Trap.STORE_PAGE_FAULT -> pageFault(t, cause, tval);
            default -> SigInfo.fault(Signal.SIGILL, SigInfo.ILL_ILLOPC, t.hart.pc);
        };
        Signals.force(t, si);
    }

    /**
     * do_page_fault's bad_area: SEGV_MAPERR where no area covers the address, SEGV_ACCERR where
     * one forbids the access. A fault on an area that allows the access can only mean the mm
     * found no free page frame: the OOM killer's SIGKILL.
     */
    private static SigInfo pageFault(Task t, int cause, long addr) {
        Mmap.Vma v = t.group.mm.findVma(addr);
        if (v == null || v.start() > addr) return SigInfo.fault(Signal.SIGSEGV, SigInfo.SEGV_MAPERR, addr);
        int need = switch (cause) {
            case Trap.INSN_PAGE_FAULT -> Mman.PROT_EXEC;
            case Trap.STORE_PAGE_FAULT -> Mman.PROT_WRITE;
            default -> Mman.PROT_READ;
        };
        // RISC-V has no write-only pages: PROT_WRITE areas are readable too.
        int prot = (v.prot() & Mman.PROT_WRITE) != 0 ? v.prot() | Mman.PROT_READ : v.prot();
        if ((prot & need) == need) {
            t.kernel.log().info("Out of memory: killed " + t.describe() + " (no page frame for 0x"
                    + Long.toHexString(addr) + ")");
            return SigInfo.user(Signal.SIGKILL, SigInfo.SI_KERNEL, 0, 0);
        }
        return SigInfo.fault(Signal.SIGSEGV, SigInfo.SEGV_ACCERR, addr);
    }
}
