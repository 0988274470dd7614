package dev.kava.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The command line's own parsing rules. */
class MainTest {
    @Test
    void straceFileIsRewrittenOnlyAmongKavaOptions() {
        assertArrayEquals(new String[]{"run", "--root", "/r", "--strace-file", "t.log", "/prog", "--strace=x"},
                Main.rewriteStraceFile(new String[]{"run", "--root", "/r", "--strace=t.log", "/prog", "--strace=x"}));
        assertArrayEquals(new String[]{"run", "--deterministic", "/prog", "--strace=x"},
                Main.rewriteStraceFile(new String[]{"run", "--deterministic", "/prog", "--strace=x"}),
                "after PROGRAM every argument is the program's");
        assertArrayEquals(new String[]{"run", "--strace", "--", "/prog"},
                Main.rewriteStraceFile(new String[]{"run", "--strace", "--", "/prog"}));
        assertArrayEquals(new String[]{"run", "-e", "--strace=x", "/prog"},
                Main.rewriteStraceFile(new String[]{"run", "-e", "--strace=x", "/prog"}), "the value of -e is left alone");
    }
}
