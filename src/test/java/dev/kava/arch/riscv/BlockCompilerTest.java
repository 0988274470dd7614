package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kava.abi.Mman;
import dev.kava.mm.AddressSpace;

import org.junit.jupiter.api.Test;

/**
 * The translating tier against the interpreter: each program runs on two harts, one that never
 * translates and one that translates every block at its first run, and both must stop with the
 * same trap, pc, tval, instret, registers and data memory.
 */
class BlockCompilerTest {
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13;

    /** What a hart left behind when it stopped. */
    record Stop(int cause, long pc, long tval, long instret, long[] x, byte[] data) {
        static Stop of(Hart h, int cause) {
            byte[] d = new byte[0x2000];
            h.addressSpace().copyFromUser(Asm.DATA, d, 0, d.length);
            return new Stop(cause, h.pc, h.trapValue, h.instret(), java.util.Arrays.copyOf(h.x, 32), d);
        }
    }

    private static Stop run(Hart h, int jitThreshold) {
        h.setJitThreshold(jitThreshold);
        return Stop.of(h, Asm.runToTrap(h));
    }

    /** Runs src both ways and returns the translated run's result, after checking that it matches. */
    private static Stop both(java.util.function.Supplier<Hart> load) {
        Stop interpreted = run(load.get(), -1);
        long before = BlockCompiler.translatedCount();
        Stop translated = run(load.get(), 0);
        assertTrue(BlockCompiler.translatedCount() > before, "some block was translated");
        assertEquals(0, BlockCompiler.failedCount(), "the compiler never failed");
        assertEquals(Trap.name(interpreted.cause), Trap.name(translated.cause), "trap");
        assertEquals(Long.toHexString(interpreted.pc), Long.toHexString(translated.pc), "pc");
        assertEquals(interpreted.tval, translated.tval, "tval");
        assertEquals(interpreted.instret, translated.instret, "instret");
        assertArrayEquals(interpreted.x, translated.x, "registers");
        assertArrayEquals(interpreted.data, translated.data, "data memory");
        return translated;
    }

    private static Stop both(String src) {
        return both(() -> Asm.load(src));
    }

    @Test
    void loopMatchesTheInterpreter() {
        Stop s = both("""
                li t0, 0x20000
                li a0, 0
                li a1, 100
            1:  sd a1, 0(t0)
                ld a2, 0(t0)
                add a0, a0, a2
                addiw a1, a1, -1
                sltu a3, zero, a1
                mulw a3, a3, a1
                bnez a1, 1b
                ebreak
                """);
        assertEquals(Trap.BREAKPOINT, s.cause);
        assertEquals(5050, s.x[A0]);
    }

    @Test
    void faultInTheMiddleOfATranslatedBlock() {
        // The loop's block is hot (and translated) long before its load walks off the data
        // pages at 0x22000: the fault must come out at the load with the loop counter, the
        // instructions before the load in the same pass retired, and the ones after it not.
        Stop s = both("""
                li t0, 0x20000
                li a0, 0
            1:  addi a0, a0, 1
                addi a1, a0, 7
                ld a2, 0(t0)
                addi a3, a0, 9
                addi t0, t0, 8
                j 1b
                """);
        assertEquals(Trap.LOAD_PAGE_FAULT, s.cause);
        assertEquals(0x22000, s.tval);
        assertEquals(0x2000 / 8 + 1, s.x[A0], "the pass that faults did its first addi");
        assertEquals(s.x[A0] + 7, s.x[A1]);
        assertEquals(s.x[A0] - 1 + 9, s.x[A3], "the addi after the load did not run in the faulting pass");
    }

    @Test
    void faultingLoadIntoX0AndStoreFault() {
        Stop s = both("""
                li a0, 5
                li t0, 0x100000
                addi a1, a0, 1
                ld zero, 0(t0)
                addi a2, a0, 2
                j 1f
            1:  ebreak
                """);
        assertEquals(Trap.LOAD_PAGE_FAULT, s.cause);
        assertEquals(6, s.x[A1]);
        assertEquals(0, s.x[A2]);
        Stop w = both("""
                li a0, 5
                la t0, 1f
                addi a1, a0, 1
                sw a0, 0(t0)
                addi a2, a0, 2
            1:  j 1b
                """);
        assertEquals(Trap.STORE_PAGE_FAULT, w.cause);
        assertEquals(6, w.x[A1]);
        assertEquals(0, w.x[A2]);
    }

    @Test
    void storeIntoTheBlocksOwnCodeEndsTheBlock() {
        // On a writable code page, the store rewrites an instruction later in its own block
        // (addi a0, a0, 1 becomes addi a0, a0, 100): execution continues at the instruction
        // after the store, freshly decoded, as on hardware after the store and a fence.i.
        String src = """
                la t0, 2f
                li t1, 0x06450513
                li a0, 0
                li a2, 3
            1:  sw t1, 0(t0)
                addi a1, a1, 1
            2:  addi a0, a0, 1
                addi a2, a2, -1
                bnez a2, 1b
                ebreak
                """;
        byte[] code = Asm.assemble(src + "\n", false);
        Stop s = both(() -> {
            AddressSpace as = new AddressSpace();
            as.map(Asm.CODE, 0x1000, Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC);
            as.pokeUser(Asm.CODE, code, 0, code.length);
            as.map(Asm.DATA, 0x2000, Mman.PROT_READ | Mman.PROT_WRITE);
            Hart h = new Hart(as);
            h.pc = Asm.CODE;
            return h;
        });
        assertEquals(Trap.BREAKPOINT, s.cause);
        assertEquals(300, s.x[A0]);
        assertEquals(3, s.x[A1]);
    }

    @Test
    void onlyIntegerMemoryAndControlBlocksAreTranslated() {
        CodePage.Block alu = new CodePage.Block(new Insn[] {Decoder.decode(0x00150513), Decoder.decode(0xfe051ee3)},
                new int[] {0, 4}, 8); // addi a0, a0, 1; bnez a0, -4
        assertNotNull(BlockCompiler.compile(alu));
        CodePage.Block ecall = new CodePage.Block(new Insn[] {Decoder.decode(0x00150513), Decoder.decode(0x00000073)},
                new int[] {0, 4}, 8); // addi a0, a0, 1; ecall
        assertNull(BlockCompiler.compile(ecall));
    }
}
