package dev.kava.arch.riscv;

/**
 * Why {@link Hart#run} returned. Non-negative values are the RISC-V exception codes a
 * hart writes to scause (privileged spec, table "Supervisor cause register values");
 * negative values are kava's own reasons to leave the execution loop.
 */
public final class Trap {
    private Trap() {}

    public static final int INSN_MISALIGNED = 0;
    public static final int INSN_ACCESS_FAULT = 1;
    public static final int ILLEGAL_INSN = 2;
    public static final int BREAKPOINT = 3;
    public static final int LOAD_MISALIGNED = 4;
    public static final int LOAD_ACCESS_FAULT = 5;
    public static final int STORE_MISALIGNED = 6;
    public static final int STORE_ACCESS_FAULT = 7;
    public static final int ECALL_U = 8;
    public static final int INSN_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;

    /** The instruction budget given to {@link Hart#run} was used up. */
    public static final int BUDGET_EXHAUSTED = -1;
    /** Someone called {@link Hart#interrupt()}: the kernel wants the hart back (preemption, signal, shootdown). */
    public static final int INTERRUPTED = -2;

    public static String name(int cause) {
        return switch (cause) {
            case INSN_MISALIGNED -> "instruction address misaligned";
            case INSN_ACCESS_FAULT -> "instruction access fault";
            case ILLEGAL_INSN -> "illegal instruction";
            case BREAKPOINT -> "breakpoint";
            case LOAD_MISALIGNED -> "load address misaligned";
            case LOAD_ACCESS_FAULT -> "load access fault";
            case STORE_MISALIGNED -> "store/AMO address misaligned";
            case STORE_ACCESS_FAULT -> "store/AMO access fault";
            case ECALL_U -> "environment call from U-mode";
            case INSN_PAGE_FAULT -> "instruction page fault";
            case LOAD_PAGE_FAULT -> "load page fault";
            case STORE_PAGE_FAULT -> "store/AMO page fault";
            case BUDGET_EXHAUSTED -> "budget exhausted";
            case INTERRUPTED -> "interrupted";
            default -> "cause " + cause;
        };
    }
}
