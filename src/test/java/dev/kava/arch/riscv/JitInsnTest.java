package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The instruction tests again, with every block translated by {@link BlockCompiler} at its first
 * run (a block the compiler leaves to the interpreter still runs interpreted): the translated
 * code must give the same registers, memory, traps, pc and instret.
 */
class JitInsnTest {
    @BeforeAll
    static void translateEverything() {
        Asm.jitThreshold = 0;
    }

    @AfterAll
    static void backToDefault() {
        Asm.jitThreshold = null;
        assertEquals(0, BlockCompiler.failedCount(), "the compiler failed on some block");
    }

    @Nested
    class Integer extends IntegerInsnTest {}

    @Nested
    class Memory extends MemoryInsnTest {}

    @Nested
    class BitManipulation extends BitManipInsnTest {}

    @Nested
    class Atomic extends AtomicInsnTest {}

    @Nested
    class Csr extends CsrInsnTest {}

    @Nested
    class FpRegister extends FpRegisterInsnTest {}
}
