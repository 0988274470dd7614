package dev.kava.arch.riscv;

/**
 * A {@link CodePage.Block} translated to JVM bytecode by {@link BlockCompiler}: one hidden class
 * per block, which HotSpot then compiles to host code like any other method.
 *
 * <p>The contract mirrors one pass of {@link Interpreter#run}'s inner loop over the block: it
 * executes every instruction, leaves x[] as the interpreter would and returns the next pc.
 * Two exits say more, through fields of the hart, because a return value cannot:
 * <ul>
 *   <li>a guest memory fault propagates as {@link MemoryFault} after the registers written by
 *       the instructions before the faulting one are stored, with {@link Hart#jitFaultIndex} the
 *       index of the faulting instruction;</li>
 *   <li>a store that hit decoded code ({@link Mmu#codeModified}) clears the flag and returns
 *       the pc after the store, with {@link Hart#jitStoreExit} = number of instructions of the
 *       block from the store on (at least 1), so that run() can take back the ones that did
 *       not run.</li>
 * </ul>
 */
interface CompiledBlock {
    /** Runs the block whose page starts at base; returns the next pc. */
    long exec(Hart h, long[] x, Mmu m, long base);
}
