package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.Netlink;
import dev.kava.kernel.ErrnoException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attribute parsing as lib/nlattr.c does it: lenient walks, strict rejections, policy lengths. */
class NlAttrsTest {
    private static final int[] MIN = {0, 4, 0, 1};
    private static final boolean[] EXACT = {false, true, false, true};

    /** A message body: the built attributes after the nlmsghdr NlMsg puts first. */
    private static byte[] attrs(java.util.function.Consumer<NlMsg> fill) {
        NlMsg m = new NlMsg(0, 0, 0, 0);
        fill.accept(m);
        return m.bytes();
    }

    @Test
    void parsesBuiltAttributes() {
        byte[] b = attrs(m -> {
            m.u32(1, 0x12345678);
            m.string(2, "lo");
            m.u8(3, 7);
        });
        NlAttrs a = NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, true);
        assertEquals(0x12345678, a.u32(1));
        assertEquals("lo", a.string(2));
        assertEquals(2, a.stringLength(2));
        assertEquals(7, a.u8(3));
    }

    @Test
    void truncatedAttributeStopsTheWalkAndIsAnErrorOnlyWhenStrict() {
        byte[] b = attrs(m -> m.u32(1, 5));
        b[Netlink.NLMSG_HDRLEN] = 40; // nla_len beyond the message
        NlAttrs lenient = NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, false);
        assertFalse(lenient.has(1));
        ErrnoException e = assertThrows(ErrnoException.class, () -> NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, true));
        assertEquals(Errno.EINVAL, e.errno);
    }

    @Test
    void headerShorterThanItselfIsNotAnAttribute() {
        byte[] b = attrs(m -> m.u32(1, 5));
        b[Netlink.NLMSG_HDRLEN] = 2;
        assertFalse(NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, false).has(1));
        assertThrows(ErrnoException.class, () -> NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, true));
    }

    @Test
    void tooShortForThePolicyIsErange() {
        byte[] b = attrs(m -> m.u8(1, 5)); // a u32 attribute with one byte
        ErrnoException e = assertThrows(ErrnoException.class, () -> NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, false));
        assertEquals(Errno.ERANGE, e.errno);
    }

    @Test
    void longerThanExactIsAcceptedLenientlyAndRejectedStrictly() {
        byte[] b = attrs(m -> m.u64(1, 5));
        assertTrue(NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, false).has(1));
        ErrnoException e = assertThrows(ErrnoException.class, () -> NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, true));
        assertEquals(Errno.EINVAL, e.errno);
    }

    @Test
    void unknownTypeAboveMaxOnlyStrictRejects() {
        byte[] b = attrs(m -> m.u32(9, 5));
        assertFalse(NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, false).has(3));
        assertThrows(ErrnoException.class, () -> NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, true));
    }

    @Test
    void nestedFlagIsMaskedFromTheType() {
        byte[] b = attrs(m -> {
            int n = m.nestStart(2);
            m.u32(1, 1);
            m.nestEnd(n);
        });
        NlAttrs a = NlAttrs.parse(b, Netlink.NLMSG_HDRLEN, b.length, 3, MIN, EXACT, true);
        assertTrue(a.has(2));
        assertEquals(8, a.length(2));
    }
}
