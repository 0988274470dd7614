package dev.kava.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kava run's option checks, made before any kernel boots. */
class RunCommandTest {
    /** Runs kava run with args; returns the exit code and what it printed to stderr. */
    private static String[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new RunCommand()).execute(args);
            return new String[]{Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    /** --hostname takes what sethostname would: 1 to 64 bytes (as UTF-8 in the guest). */
    @Test
    void hostnameOutsideOneTo64BytesIsRefused(@TempDir Path root) {
        String[] r = run("--root", root.toString(), "--hostname", "x".repeat(65), "/prog");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--hostname") && r[1].contains("more than 64"), r[1]);
        r = run("--root", root.toString(), "--hostname", "", "/prog");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("empty"), r[1]);
        r = run("--root", root.toString(), "--hostname", "é".repeat(33), "/prog");
        assertEquals("2", r[0], "66 bytes in UTF-8");
    }
}
