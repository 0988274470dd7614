package dev.kava.fs.proc;

import dev.kava.abi.Stat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The small formats procfs shares with Linux's seq_file helpers. */
class ProcTextTest {
    @Test
    void bitmapsPrintAsLinuxPrintsCpumasks() {
        assertEquals("3", ProcText.bitmap(3, 2));
        assertEquals("1", ProcText.bitmap(1, 1));
        assertEquals("ff", ProcText.bitmap(0xff, 8));
        assertEquals("00,00000001", ProcText.bitmap(1, 40));
        assertEquals("ffffffff,ffffffff", ProcText.bitmap(-1L, 64));
        assertEquals("0-1", ProcText.bitmapList(3, 2));
        assertEquals("0", ProcText.bitmapList(1, 4));
        assertEquals("0-1,3,5-7", ProcText.bitmapList(0b11101011, 8));
        assertEquals("", ProcText.bitmapList(0, 8));
    }

    @Test
    void escapeMangles() {
        assertEquals("/a\\040b\\011c\\012d\\134e", ProcText.escape("/a b\tc\nd\\e", " \t\n\\"));
        assertEquals("/plain", ProcText.escape("/plain", " \t\n\\"));
    }

    @Test
    void deviceNumbers() {
        long dev = Stat.encodeDev(136, 300);
        assertEquals(136, ProcText.major(dev));
        assertEquals(300, ProcText.minor(dev));
        assertEquals(0, ProcText.major(Stat.encodeDev(0, 17)));
        assertEquals(17, ProcText.minor(Stat.encodeDev(0, 17)));
    }

    @Test
    void sigsetsAndTicks() {
        assertEquals("0000000000000200", ProcText.sigset(1L << 9));
        assertEquals("ffffffffffffffff", ProcText.sigset(-1L));
        assertEquals(150, ProcText.clockT(1_500_000_000L));
    }

    @Test
    void mountOptionsInShowMntOptsOrder() {
        int f = dev.kava.abi.Mount.MS_RELATIME | dev.kava.abi.Mount.MS_NOEXEC | dev.kava.abi.Mount.MS_NOSUID
                | dev.kava.abi.Mount.MS_NODEV;
        assertEquals(",nosuid,nodev,noexec,relatime", ProcNamespace.mntOpts(f));
        assertEquals("", ProcNamespace.mntOpts(0));
    }
}
