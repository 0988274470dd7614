package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Mman;
import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** strncpy_from_user and getname as readCString and readPath do them, read a piece at a time. */
class UaccessTest {
    private static final long BASE = 0x10000;

    /** Two mapped pages at BASE, the page after them unmapped; s (with its NUL) placed to end at end. */
    private static Uaccess withString(String s, long end) {
        AddressSpace as = new AddressSpace();
        as.map(BASE, 0x2000, Mman.PROT_READ | Mman.PROT_WRITE);
        byte[] b = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(as.copyToUser(end - b.length, b, 0, b.length));
        return new Uaccess(as);
    }

    @Test
    void stringsOfEveryLengthAroundTheBufferSteps() {
        for (int len : new int[]{0, 1, 127, 128, 129, 255, 256, 257, 1000, 4095, 4096, 5000}) {
            String s = "x".repeat(len);
            long end = BASE + 0x2000; // the NUL is the last mapped byte
            assertEquals(s, withString(s, end).readCString(end - len - 1, 8192), "length " + len);
        }
    }

    @Test
    void aStringAcrossAPageBoundary() {
        String s = "/tmp/" + "a".repeat(300);
        long end = BASE + 0x1000 + 100;
        assertEquals(s, withString(s, end).readCString(end - s.length() - 1, 4096));
    }

    @Test
    void theLimitCountsTheNul() {
        long end = BASE + 0x1000;
        Uaccess u = withString("abcd", end);
        assertEquals("abcd", u.readCString(end - 5, 5));
        assertNull(u.readCString(end - 5, 4), "no NUL within 4 bytes");
        assertNull(u.readCString(end - 5, 0));
    }

    @Test
    void faultsOnlyPastTheNul() {
        long end = BASE + 0x2000;
        Uaccess u = withString("tail", end);
        assertEquals("tail", u.readCString(end - 5, 4096), "the unmapped page after the NUL is not read");
        byte[] noNul = new byte[16];
        Arrays.fill(noNul, (byte) 'z');
        AddressSpace as = new AddressSpace();
        as.map(BASE, 0x1000, Mman.PROT_READ | Mman.PROT_WRITE);
        assertTrue(as.copyToUser(BASE + 0x1000 - 16, noNul, 0, 16));
        ErrnoException e = assertThrows(ErrnoException.class, () -> new Uaccess(as).readCString(BASE + 0x1000 - 16, 4096));
        assertEquals(Errno.EFAULT, e.errno);
    }

    @Test
    void pathsAsGetnameReadsThem() {
        long end = BASE + 0x2000;
        assertEquals("/etc/passwd", withString("/etc/passwd", end).readPath(end - 12, false));
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> withString("", end).readPath(end - 1, false)).errno);
        assertEquals("", withString("", end).readPath(end - 1, true));
        String longest = "p".repeat(Uaccess.PATH_MAX - 1);
        assertEquals(longest, withString(longest, end).readPath(end - Uaccess.PATH_MAX, false));
        String tooLong = "p".repeat(Uaccess.PATH_MAX);
        assertEquals(Errno.ENAMETOOLONG, assertThrows(ErrnoException.class,
                () -> withString(tooLong, end).readPath(end - Uaccess.PATH_MAX - 1, false)).errno);
    }
}
