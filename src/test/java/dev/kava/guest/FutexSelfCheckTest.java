package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs src/test/guest/kava-only/selfcheck/futex_selfcheck.c under kava only: futex_waitv, the futex2
 * futex_wake/futex_wait/futex_requeue, FUTEX_WAIT_REQUEUE_PI/FUTEX_CMP_REQUEUE_PI, robust lists,
 * rseq, riscv_hwprobe and RLIMIT_AS, where qemu-user is no oracle. The program carries the
 * values Linux's source gives and prints FAIL lines for mismatches.
 */
class FutexSelfCheckTest {
    @Test
    void selfCheck() throws Exception {
        Assumptions.assumeTrue(GuestToolchain.missing() == null, "no riscv64 toolchain");
        Path out = Path.of("target/guest-kava-only");
        Files.createDirectories(out);
        Path bin = GuestToolchain.compile(Path.of("src/test/guest/kava-only/selfcheck/futex_selfcheck.c"), out);
        GuestRun r = GuestRun.underKava(out, bin.getFileName().toString(), null, Duration.ofSeconds(120));
        String text = r.stdoutText();
        assertTrue(text.contains("done 0 failures"), text + "\n--- kava stderr ---\n" + r.stderrText());
        assertEquals(0, r.status());
    }
}
