package dev.kava.arch.riscv;

import dev.kava.arch.riscv.fpu.Fpu;
import dev.kava.mm.AddressSpace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One RISC-V hart in user mode: the architectural state (pc, x0-x31, f0-f31, fcsr, counters)
 * and the entry point the kernel uses to run guest code, {@link #run}. This is kava's whole
 * "hardware" interface, like gVisor's Platform: the kernel calls run(), and gets back a trap
 * (ecall, a fault it must turn into a signal, an illegal instruction) or a scheduling point.
 * Page faults the mm can resolve (demand paging, copy-on-write) never leave run().
 */
public final class Hart {
    /** x0..x31, plus a sink at index 32 that absorbs writes to x0 (x[0] stays 0). */
    public final long[] x = new long[33];
    /** f0..f31 as raw bits; singles are NaN-boxed. */
    public final long[] f = new long[32];
    public long pc;

    /** Floating-point unit: holds the accrued flags (fflags). */
    public final Fpu fpu = new Fpu();
    /** Dynamic rounding mode (frm); values 5..7 make dynamic-rounding instructions illegal. */
    public int frm;

    /** tval of the last trap: the faulting address, or the instruction bits for illegal instructions. */
    public long trapValue;

    /** Instructions retired before the current run() call. */
    long instret;

    // LR/SC reservation: SC succeeds only if the reserved word still holds the value LR read.
    boolean reservationValid;
    long reservationAddr, reservationValue;

    public final Mmu mmu;

    // Side exits of a CompiledBlock (see there): the instruction that faulted, and how many
    // instructions of the block a store to decoded code cut off (0: none).
    int jitFaultIndex, jitStoreExit;

    /** Runs after which a block is translated to bytecode (0: at once); negative: never. */
    int jitThreshold = BlockCompiler.ENABLED ? BlockCompiler.THRESHOLD : -1;

    /** The time CSR: ticks of {@link Isa#TIMEBASE_HZ}. Replaceable for deterministic runs. */
    public interface TimeSource {
        long ticks();
    }

    private static final long START_NANOS = System.nanoTime();
    public TimeSource timeSource = () -> (System.nanoTime() - START_NANOS) / (1_000_000_000L / Isa.TIMEBASE_HZ);

    /** Non-zero when another thread wants this hart's attention (bits below); read at block boundaries. */
    volatile int attention;
    static final int ATTN_CHECK = 1, ATTN_INTERRUPT = 2;
    private static final VarHandle ATTENTION;
    static {
        try {
            ATTENTION = MethodHandles.lookup().findVarHandle(Hart.class, "attention", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public Hart(AddressSpace as) {
        this.mmu = new Mmu(as, this);
    }

    public AddressSpace addressSpace() {
        return mmu.as;
    }

    /** Detaches the hart from its address space (thread exit, exec). */
    public void release() {
        mmu.detach();
    }

    /**
     * Runs guest code until a trap, an interrupt request, or (at the next block boundary after)
     * {@code budget} instructions. Returns a {@link Trap} code. On a trap, pc is the trapping
     * instruction (for ecall too: the kernel advances it by 4) and trapValue is set.
     */
    public int run(long budget) {
        return Interpreter.run(this, budget);
    }

    /** Asks the hart to leave run() at its next block boundary with {@link Trap#INTERRUPTED}. Any thread. */
    public void interrupt() {
        ATTENTION.getAndBitwiseOr(this, ATTN_CHECK | ATTN_INTERRUPT);
    }

    void requestAttention() {
        ATTENTION.getAndBitwiseOr(this, ATTN_CHECK);
    }

    /** Clears and returns the attention bits. */
    int takeAttention() {
        return (int) ATTENTION.getAndSet(this, 0);
    }

    /**
     * Sets when this hart translates hot blocks to JVM bytecode: after {@code runs} runs of a
     * block, 0 at its first run, never if negative. For tests and benchmarks that compare the
     * two tiers; the default comes from {@code kava.jit} and {@code kava.jit.threshold}.
     */
    public void setJitThreshold(int runs) {
        jitThreshold = runs;
    }

    /** One line on the translating tier's work in this JVM (blocks translated, time spent), for --stats. */
    public static String jitSummary() {
        return BlockCompiler.summary();
    }

    /** Guest instructions retired so far. */
    public long instret() {
        return instret;
    }

    /** fcsr = frm << 5 | fflags. */
    public int fcsr() {
        return (frm << 5) | fpu.fflags;
    }

    public void setFcsr(int v) {
        frm = (v >>> 5) & 7;
        fpu.fflags = v & 0x1f;
    }

    /** Drops any LR reservation (the kernel does this on signal delivery and context switch). */
    public void clearReservation() {
        reservationValid = false;
    }

    /** Drops every decoded instruction this hart could use: fence.i / riscv_flush_icache. */
    public void flushIcache() {
        mmu.as.dropDecodedCode();
    }

    /** Copies the user-visible register state from another hart (fork, clone). */
    public void copyStateFrom(Hart o) {
        System.arraycopy(o.x, 0, x, 0, 32);
        System.arraycopy(o.f, 0, f, 0, 32);
        pc = o.pc;
        frm = o.frm;
        fpu.fflags = o.fpu.fflags;
    }
}
