package dev.kava.guest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random arguments to (nearly) every syscall number never crash the kernel: badinput/fuzz.c makes
 * 40 calls of each number 0..470 in a child of its own, and no oops, Java exception or stack line
 * may appear in the kernel log or the guest's streams. The numbers fuzz.c leaves out, and why, are
 * listed in it.
 */
class FuzzTest {
    static final Path ROOT = ProcessDifferentialTest.ROOT;

    @Test
    void randomArgumentsToEverySyscallNeverOops() throws Exception {
        ProcessDifferentialTest.prepareRoot();
        String name = GuestToolchain.compile(BadInputTest.SOURCES.resolve("badinput/fuzz.c"), ROOT).getFileName().toString();
        deleteTree(ROOT.resolve("fuzz.d"));
        Files.createDirectories(ROOT.resolve("fuzz.d"));
        Files.write(ROOT.resolve("fuzz.d/sink"), new byte[0]);
        GuestRun kava;
        try {
            kava = GuestRun.underKava(ROOT, name, null, Duration.ofSeconds(120));
        } finally {
            deleteTree(ROOT.resolve("fuzz.d"));
        }
        String all = kava.stdoutText() + kava.stderrText(); // stderr holds the kernel log, if any
        List<String> bad = new ArrayList<>();
        for (String line : all.split("\n")) {
            if (line.contains("oops") || line.contains("Exception") || line.contains("Error:") || line.startsWith("\tat ")) {
                bad.add(line);
            }
        }
        if (!bad.isEmpty()) {
            fail("the fuzzer made the kernel fail " + bad.stream().filter(l -> l.contains("oops")).count()
                    + " time(s):\n" + String.join("\n", bad) + "\n--- full output ---\n" + all);
        }
        assertTrue(kava.stdoutText().contains("fuzz done\n"), all);
        assertEquals(0, kava.status(), all);
    }

    /** Removes what the fuzzer created; its random modes may have left directories unreadable. */
    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            p.toFile().setReadable(true);
            p.toFile().setWritable(true);
            p.toFile().setExecutable(true);
            List<Path> children;
            try (Stream<Path> s = Files.list(p)) {
                children = s.toList();
            }
            for (Path c : children) deleteTree(c);
        }
        Files.deleteIfExists(p);
    }
}
