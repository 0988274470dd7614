package dev.kava.arch.riscv;

/**
 * Thrown inside the executor when a guest memory access traps. One instance per hart is reused
 * (no stack trace is filled in), so a fault costs no allocation.
 */
final class MemoryFault extends RuntimeException {
    int cause;
    long addr;

    MemoryFault() {
        super(null, null, false, false);
    }

    MemoryFault set(int cause, long addr) {
        this.cause = cause;
        this.addr = addr;
        return this;
    }
}
