package dev.kava.kernel;

import dev.kava.abi.Mman;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Trap;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;
import dev.kava.mm.PageAllocator;

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
        if (si != null) Signals.force(t, si);
    }

    /**
     * do_page_fault (arch/riscv/mm/fault.c) for what the mm could not resolve by itself. No area
     * covers the address: a growsdown area just above may grow over it (expand_stack), else
     * bad_area's SEGV_MAPERR. An area forbids the access: SEGV_ACCERR. An area allows it: either
     * the page lies wholly past the end of the mapped file (filemap_fault's VM_FAULT_SIGBUS:
     * SIGBUS BUS_ADRERR), or no page frame was left, and Linux runs the OOM killer. Returns null
     * when the access should simply be retried.
     */
    private static SigInfo pageFault(Task t, int cause, long addr) {
        Mmap mm = t.group.mm;
        Mmap.Vma v = mm.findVma(addr);
        if (v == null || v.start() > addr) {
            if (v != null && v.growsDown() && mm.expandStack(addr, t.group.rlimits.cur(Resource.RLIMIT_STACK))) {
                return null; // the stack grew: the instruction runs again
            }
            return SigInfo.fault(Signal.SIGSEGV, SigInfo.SEGV_MAPERR, addr);
        }
        int need = switch (cause) {
            case Trap.INSN_PAGE_FAULT -> Mman.PROT_EXEC;
            case Trap.STORE_PAGE_FAULT -> Mman.PROT_WRITE;
            default -> Mman.PROT_READ;
        };
        // RISC-V has no write-only pages: PROT_WRITE areas are readable too.
        int prot = (v.prot() & Mman.PROT_WRITE) != 0 ? v.prot() | Mman.PROT_READ : v.prot();
        if ((prot & need) != need) return SigInfo.fault(Signal.SIGSEGV, SigInfo.SEGV_ACCERR, addr);
        if (v.file() != null && !memoryExhausted(t)) {
            // The page lies past the end of the file, or reading it failed: VM_FAULT_SIGBUS.
            return SigInfo.fault(Signal.SIGBUS, Signal.BUS_ADRERR, addr);
        }
        return outOfMemory(t, addr);
    }

    private static boolean memoryExhausted(Task t) {
        PageAllocator pages = t.kernel.pages();
        return pages.usedPages() >= pages.limitPages();
    }

    /**
     * The OOM killer (mm/oom_kill.c, out_of_memory): a page fault found no free frame under the
     * kernel's memory size (--memory). Like Linux, kava kills the process using the most memory
     * (oom_badness: its resident pages), which need not be the one that faulted, and logs the
     * choice. The faulting task retries its access once the victim's memory is freed; when it is
     * the victim itself, it dies by SIGKILL.
     */
    private static SigInfo outOfMemory(Task t, long addr) {
        TaskGroup victim = t.group;
        long most = victim.mm == null ? 0 : victim.mm.as.residentPages();
        for (TaskGroup g : t.kernel.allGroups()) {
            Mmap m = g.mm;
            if (m == null || g.exiting()) continue;
            long r = m.as.residentPages();
            if (r > most) {
                most = r;
                victim = g;
            }
        }
        t.kernel.log().info("Out of memory: killed process " + victim.tgid + " (" + victim.comm + "), "
                + (most << Page.SHIFT >> 10) + " kB resident; task " + t.describe() + " found no page frame for 0x"
                + Long.toHexString(addr));
        SigInfo kill = SigInfo.user(Signal.SIGKILL, SigInfo.SI_KERNEL, 0, 0);
        if (victim == t.group) return kill;
        Signals.sendToGroup(victim, kill);
        t.kernel.scheduler().yield(t); // let the victim run and free its memory
        return null;
    }
}
