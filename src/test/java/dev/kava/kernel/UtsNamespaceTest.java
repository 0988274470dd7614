package dev.kava.kernel;

import dev.kava.abi.Sched;
import dev.kava.abi.Utsname;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** struct uts_namespace and the nsproxy that holds it (kernel/utsname.c, kernel/nsproxy.c). */
class UtsNamespaceTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void initialNamespaceHasItsNameTheDefaultDomainAndTheInitInode() {
        UtsNamespace ns = UtsNamespace.initial("box");
        assertEquals("box", UtsNamespace.cString(ns.nodename()));
        assertEquals("(none)", UtsNamespace.cString(ns.domainname()));
        assertEquals(4026531838L, ns.inum, "PROC_UTS_INIT_INO");
        assertEquals(Utsname.FIELD_LEN, ns.nodename().length);
    }

    @Test
    void hostNamesAreOneTo64Bytes() {
        assertNull(UtsNamespace.checkName("a"));
        assertNull(UtsNamespace.checkName("a".repeat(64)));
        assertNotNull(UtsNamespace.checkName(""));
        assertNotNull(UtsNamespace.checkName("a".repeat(65)));
    }

    @Test
    void aCopyStartsEqualAndThenGoesItsOwnWay() {
        UtsNamespace a = UtsNamespace.initial("kava");
        a.setDomainname(bytes("example.org"));
        UtsNamespace b = a.copy(0xF0000010L);
        assertEquals(0xF0000010L, b.inum);
        assertArrayEquals(a.nodename(), b.nodename());
        assertArrayEquals(a.domainname(), b.domainname());
        b.setNodename(bytes("other"));
        assertEquals("kava", UtsNamespace.cString(a.nodename()));
        assertEquals("other", UtsNamespace.cString(b.nodename()));
    }

    /** sethostname copies len bytes and zeroes the rest: bytes after an embedded NUL stay. */
    @Test
    void aNameIsStoredAsItsBytesNulPadded() {
        UtsNamespace ns = UtsNamespace.initial("longer-name");
        ns.setNodename(new byte[]{'a', 'b', 0, 'c', 'd'});
        byte[] f = ns.nodename();
        assertArrayEquals(new byte[]{'a', 'b', 0, 'c', 'd', 0, 0}, java.util.Arrays.copyOf(f, 7));
        assertEquals("ab", UtsNamespace.cString(f));
        ns.setNodename(new byte[0]);
        assertArrayEquals(new byte[Utsname.FIELD_LEN], ns.nodename());
        byte[] tooLong = new byte[Utsname.FIELD_LEN];
        java.util.Arrays.fill(tooLong, (byte) 'a');
        assertThrows(IllegalArgumentException.class, () -> ns.setNodename(tooLong), "65 bytes not ending in NUL");
    }

    @Test
    void nsproxyIsSharedUnlessANewUtsNamespaceIsAsked() throws Exception {
        Kernel k = new Kernel(new Kernel.Config().root(Path.of(".")).hostname("host-1"));
        NsProxy init = k.initNsProxy();
        assertEquals("host-1", UtsNamespace.cString(init.uts().nodename()));
        assertSame(init, init.copy(k, Sched.CLONE_FILES | Sched.CLONE_VM));
        NsProxy a = init.copy(k, Sched.CLONE_NEWUTS), b = init.copy(k, Sched.CLONE_NEWUTS);
        assertNotEquals(init.uts().inum, a.uts().inum);
        assertNotEquals(a.uts().inum, b.uts().inum);
        assertEquals("host-1", UtsNamespace.cString(a.uts().nodename()));
        assertThrows(IllegalArgumentException.class, () -> new Kernel.Config().hostname("x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> new Kernel.Config().hostname(""));
    }
}
