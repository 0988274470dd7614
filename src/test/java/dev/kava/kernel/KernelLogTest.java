package dev.kava.kernel;

import dev.kava.abi.Syslog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The printk ring buffer as syslog(2) reads it (kernel/printk/printk.c). */
class KernelLogTest {
    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void recordsCarryLevelAndTimestamp() {
        KernelLog log = new KernelLog(null);
        log.setClock(() -> 1_234_567_891L);
        log.info("hello");
        assertEquals("<6>[    1.234567] hello\n", s(log.readAll(1000, false)));
    }

    @Test
    void readAllKeepsTheNewestThatFitAndClearHidesOlder() {
        KernelLog log = new KernelLog(null);
        log.info("one");
        log.info("two");
        log.info("three");
        String all = s(log.readAll(1000, false));
        assertEquals(3, all.lines().count());
        int last = "<6>[    0.000000] three\n".length();
        assertEquals("<6>[    0.000000] three\n", s(log.readAll(last + 5, false)));
        assertEquals(all, s(log.readAll(1000, true)), "READ_CLEAR returns what READ_ALL did");
        assertEquals("", s(log.readAll(1000, false)));
        log.info("four");
        assertEquals("<6>[    0.000000] four\n", s(log.readAll(1000, false)));
    }

    @Test
    void readConsumesAndSplitsOnlyALongFirstRecord() {
        KernelLog log = new KernelLog(null);
        log.info("abcdef");
        log.info("gh");
        long unread = log.sizeUnread();
        assertEquals(2 * "<6>[    0.000000] ".length() + 7 + 3, unread);
        assertEquals("<6>[ ", s(log.read(5)));
        assertEquals(unread - 5, log.sizeUnread());
        assertEquals("   0.000000] abcdef\n", s(log.read(1000)).substring(0, 20));
        assertFalse(log.unread());
        log.info("x");
        assertTrue(log.unread());
    }

    @Test
    void theRingDropsTheOldest() {
        KernelLog log = new KernelLog(null);
        String line = "y".repeat(1000);
        for (int i = 0; i < 200; i++) log.info(line);
        assertTrue(log.readAll(Integer.MAX_VALUE, false).length <= Syslog.LOG_BUF_LEN);
    }

    @Test
    void devKmsgRecordsKeepTheirPartsAndNumbers() {
        KernelLog log = new KernelLog(null);
        log.setClock(() -> 2_000_001_000L);
        log.info("kernel says");
        log.emit(1, Syslog.LOGLEVEL_DEFAULT, "user says\n".getBytes(StandardCharsets.UTF_8));
        log.emit(3, 6, "two\nlines".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, log.firstSeq());
        assertEquals(3, log.nextSeq());
        KernelLog.Kmsg k = log.kmsgFrom(0);
        assertEquals(6, k.prio(), "kernel records are facility 0");
        assertEquals("kernel says", s(k.text()));
        KernelLog.Kmsg u = log.kmsgFrom(1);
        assertEquals(1 << 3 | Syslog.MESSAGE_LOGLEVEL_DEFAULT, u.prio(), "LOG_USER, default_message_loglevel");
        assertEquals("user says", s(u.text()), "one trailing newline dropped");
        assertEquals(2_000_001_000L, u.tsNanos());
        assertEquals("two\nlines", s(log.kmsgFrom(2).text()), "one record, newline and all");
        assertEquals(null, log.kmsgFrom(3));
        assertTrue(s(log.readAll(1000, false)).endsWith("<30>[    2.000001] two\n<30>[    2.000001] lines\n"),
                "syslog shows each line of a record with the prefix");
    }

    @Test
    void devKmsgReadersBehindTheRingSkipAhead() {
        KernelLog log = new KernelLog(null);
        String line = "z".repeat(1000);
        for (int i = 0; i < 200; i++) log.info(line);
        long first = log.firstSeq();
        assertTrue(first > 0, "the oldest records were dropped");
        assertEquals(first, log.kmsgFrom(0).seq(), "a reader at a dropped record gets the oldest one left");
        assertEquals(first + 5, log.kmsgFrom(first + 5).seq());
    }
}
