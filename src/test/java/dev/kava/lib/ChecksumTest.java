package dev.kava.lib;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The word-at-a-time Internet checksum agrees with the 16-bit definition for every length and offset. */
class ChecksumTest {
    /** RFC 1071 as written: 16-bit big-endian words, an odd byte padded with zero. */
    private static int reference(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        for (; i + 1 < off + len; i += 2) sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < off + len) sum += (b[i] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    @Test
    void matchesTheDefinition() {
        Random r = new Random(42);
        byte[] b = new byte[70000];
        r.nextBytes(b);
        for (int len : new int[]{0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1499, 65535, 65536}) {
            for (int off : new int[]{0, 1, 2, 3, 7}) {
                assertEquals(reference(b, off, len), Checksum.fold(Checksum.partial(b, off, len, 0)), "len " + len + " off " + off);
            }
        }
        byte[] ones = new byte[65536];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertEquals(reference(ones, 0, ones.length), Checksum.fold(Checksum.partial(ones, 0, ones.length, 0)));
    }
}
