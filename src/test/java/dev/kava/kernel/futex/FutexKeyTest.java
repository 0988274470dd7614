package dev.kava.kernel.futex;

import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FutexKeyTest {
    @Test
    void keysCompareByIdentityOfTheirBase() {
        AddressSpace a = new AddressSpace(), b = new AddressSpace();
        assertEquals(new Futex.Key(a, 0x1000, false), new Futex.Key(a, 0x1000, false));
        assertNotEquals(new Futex.Key(a, 0x1000, false), new Futex.Key(b, 0x1000, false));
        // A shared-flagged futex in private memory does not meet a private one (FUT_OFF_MMSHARED).
        assertNotEquals(new Futex.Key(a, 0x1000, false), new Futex.Key(a, 0x1000, true));
        assertSame(Futex.bucket(new Futex.Key(a, 0x1000, false)), Futex.bucket(new Futex.Key(a, 0x1000, false)));
    }

    @Test
    void wakeOnAKeyWithoutWaitersWakesNobody() {
        assertEquals(0, Futex.wakeKey(new Futex.Key(new AddressSpace(), 0x2000, false), 1, -1));
    }
}
