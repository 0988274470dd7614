package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Zba, Zbb and Zbs. */
class BitManipInsnTest {
    private static final int A0 = 10;

    private static long eval(String body) {
        return Asm.run("li t0, 0x8000000080000f01\nli t1, 3\nli t2, -2\n" + body).x[A0];
    }

    @Test
    void zba() {
        long t0 = 0x8000000080000f01L;
        assertEquals((t0 & 0xffffffffL) + 3, eval("add.uw a0, t0, t1"));
        assertEquals((t0 << 1) + 3, eval("sh1add a0, t0, t1"));
        assertEquals((t0 << 2) + 3, eval("sh2add a0, t0, t1"));
        assertEquals((t0 << 3) + 3, eval("sh3add a0, t0, t1"));
        assertEquals(((t0 & 0xffffffffL) << 1) + 3, eval("sh1add.uw a0, t0, t1"));
        assertEquals(((t0 & 0xffffffffL) << 2) + 3, eval("sh2add.uw a0, t0, t1"));
        assertEquals(((t0 & 0xffffffffL) << 3) + 3, eval("sh3add.uw a0, t0, t1"));
        assertEquals((t0 & 0xffffffffL) << 4, eval("slli.uw a0, t0, 4"));
        assertEquals(t0 & 0xffffffffL, eval("zext.w a0, t0"));
    }

    @Test
    void zbbLogicCountsAndExtends() {
        long t0 = 0x8000000080000f01L;
        assertEquals(t0 & ~3L, eval("andn a0, t0, t1"));
        assertEquals(t0 | ~3L, eval("orn a0, t0, t1"));
        assertEquals(~(t0 ^ 3L), eval("xnor a0, t0, t1"));
        assertEquals(0, eval("clz a0, t0"));
        assertEquals(64, eval("clz a0, zero"));
        assertEquals(0, eval("clzw a0, t0"));
        assertEquals(32, eval("clzw a0, zero"));
        assertEquals(30, eval("clzw a0, t1"));
        assertEquals(0, eval("ctz a0, t0"));
        assertEquals(64, eval("ctz a0, zero"));
        assertEquals(32, eval("ctzw a0, zero"));
        assertEquals(1, eval("ctzw a0, t2"));
        assertEquals(Long.bitCount(t0), eval("cpop a0, t0"));
        assertEquals(Integer.bitCount((int) t0), eval("cpopw a0, t0"));
        assertEquals(1, eval("sext.b a0, t0"));
        assertEquals(0xf01, eval("sext.h a0, t0"));
        assertEquals(-1, eval("li t3, 0xff\nsext.b a0, t3"));
        assertEquals(0xf01, eval("zext.h a0, t0"));
    }

    @Test
    void zbbMinMaxRotatesBytes() {
        long t0 = 0x8000000080000f01L;
        assertEquals(3, eval("max a0, t0, t1"));
        assertEquals(t0, eval("maxu a0, t0, t1"));
        assertEquals(t0, eval("min a0, t0, t1"));
        assertEquals(3, eval("minu a0, t0, t1"));
        assertEquals(Long.rotateLeft(t0, 3), eval("rol a0, t0, t1"));
        assertEquals(Long.rotateRight(t0, 3), eval("ror a0, t0, t1"));
        assertEquals(Long.rotateRight(t0, 13), eval("rori a0, t0, 13"));
        assertEquals((long) Integer.rotateLeft((int) t0, 3), eval("rolw a0, t0, t1"));
        assertEquals((long) Integer.rotateRight((int) t0, 3), eval("rorw a0, t0, t1"));
        assertEquals((long) Integer.rotateRight((int) t0, 5), eval("roriw a0, t0, 5"));
        assertEquals(0xff000000ff00ffffL, eval("orc.b a0, t0"));
        assertEquals(Long.reverseBytes(t0), eval("rev8 a0, t0"));
    }

    @Test
    void zbs() {
        long t0 = 0x8000000080000f01L;
        assertEquals(t0 & ~(1L << 63), eval("li t3, 127\nbclr a0, t0, t3"));
        assertEquals(t0 & ~1L, eval("bclri a0, t0, 0"));
        assertEquals(0, eval("bext a0, t0, t1"), "bit 3 of 0x...f01 is clear");
        assertEquals(1, eval("bexti a0, t0, 63"));
        assertEquals(t0 ^ (1L << 3), eval("binv a0, t0, t1"));
        assertEquals(t0 ^ (1L << 40), eval("binvi a0, t0, 40"));
        assertEquals(t0 | (1L << 3), eval("bset a0, t0, t1"));
        assertEquals(t0 | (1L << 62), eval("bseti a0, t0, 62"));
    }
}
