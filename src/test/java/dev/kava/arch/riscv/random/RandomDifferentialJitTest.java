package dev.kava.arch.riscv.random;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link RandomDifferentialTest} with every block translated at its first run, so that each
 * build checks the JIT's code against qemu, not only against the interpreter. Fewer
 * instructions than the interpreted run by default ({@code kava.random.count} overrides);
 * replay a failure with the same properties plus the test name.
 */
class RandomDifferentialJitTest {
    static final int DEFAULT_COUNT = 30_000;

    @Test
    void translatedCodeMatchesQemu() throws Exception {
        RandomDifferentialTest.jitThreshold = 0;
        try {
            RandomDifferentialTest.matchesQemu(Integer.getInteger("kava.random.count", DEFAULT_COUNT));
        } finally {
            RandomDifferentialTest.jitThreshold = null;
        }
        String summary = dev.kava.arch.riscv.Hart.jitSummary();
        System.out.println("RandomDifferentialJitTest: " + summary);
        assertTrue(summary.contains("(0 by a compiler failure)"), "the compiler failed on some block: " + summary);
    }
}
