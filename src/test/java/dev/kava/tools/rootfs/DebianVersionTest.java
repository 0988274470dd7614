package dev.kava.tools.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version comparison and parsing against dpkg's own test cases: lib/dpkg/t/t-version.c
 * (dpkg_version_compare, dpkg_version_relate, parseversion) and the comparison table of
 * scripts/t/Dpkg_Version.t (each line checked both ways round).
 */
class DebianVersionTest {
    private static DebianVersion v(long epoch, String up, String rev) {
        return new DebianVersion(epoch, up, rev);
    }

    private static int sign(int x) {
        return Integer.signum(x);
    }

    @Test
    void compareCasesOfTVersionC() {
        assertEquals(0, v(0, "", "").compareTo(v(0, "", "")));
        assertTrue(v(1, "", "").compareTo(v(2, "", "")) != 0);
        assertTrue(v(0, "1", "1").compareTo(v(0, "2", "1")) != 0);
        assertTrue(v(0, "1", "1").compareTo(v(0, "1", "2")) != 0);
        assertEquals(0, v(0, "0", "0").compareTo(v(0, "0", "0")));
        assertEquals(0, v(0, "0", "00").compareTo(v(0, "00", "0")));
        assertEquals(0, v(1, "2", "3").compareTo(v(1, "2", "3")));
        assertTrue(v(0, "0", "0").compareTo(v(1, "0", "0")) < 0);
        assertTrue(v(1, "0", "0").compareTo(v(0, "0", "0")) > 0);
        assertTrue(v(0, "a", "0").compareTo(v(0, "b", "0")) < 0);
        assertTrue(v(0, "b", "0").compareTo(v(0, "a", "0")) > 0);
        assertTrue(v(0, "0", "a").compareTo(v(0, "0", "b")) < 0);
        assertTrue(v(0, "0", "b").compareTo(v(0, "0", "a")) > 0);
    }

    @Test
    void relateCasesOfTVersionC() {
        DebianVersion a = v(0, "1", "1"), b = v(0, "1", "1");
        assertTrue(Dependency.Relation.EQ.holds(a, b));
        assertFalse(Dependency.Relation.LT.holds(a, b));
        assertTrue(Dependency.Relation.LE.holds(a, b));
        assertFalse(Dependency.Relation.GT.holds(a, b));
        assertTrue(Dependency.Relation.GE.holds(a, b));
        a = v(0, "1", "1");
        b = v(0, "2", "1");
        assertFalse(Dependency.Relation.EQ.holds(a, b));
        assertTrue(Dependency.Relation.LT.holds(a, b));
        assertTrue(Dependency.Relation.LE.holds(a, b));
        assertFalse(Dependency.Relation.GT.holds(a, b));
        assertFalse(Dependency.Relation.GE.holds(a, b));
        a = v(0, "2", "1");
        b = v(0, "1", "1");
        assertFalse(Dependency.Relation.EQ.holds(a, b));
        assertFalse(Dependency.Relation.LT.holds(a, b));
        assertFalse(Dependency.Relation.LE.holds(a, b));
        assertTrue(Dependency.Relation.GT.holds(a, b));
        assertTrue(Dependency.Relation.GE.holds(a, b));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0|0|",
            "0:0|0|0|",
            "0:0-|0|0|",
            "0:0-0|0|0|0",
            "0:0.0-0.0|0|0.0|0.0",
            "1:0|1|0|",
            "5:1|5|1|",
            "0:0-0-0|0|0-0|0",
            "0:0-0-0-0|0|0-0-0|0",
            "0:0:0-0|0|0:0|0",
            "0:0:0:0-0|0|0:0:0|0",
            "0:0:0-0-0|0|0:0-0|0",
            "0:0-0:0-0|0|0-0:0|0",
            "0:09azAZ.-+~:-0|0|09azAZ.-+~:|0",
            "0:0-azAZ09.+~|0|0|azAZ09.+~",
            "'  \t0:0-1'|0|0|1",
            "'0:0-1\t  '|0|0|1",
            "'\t  0:0-1  \t'|0|0|1",
    })
    void parseCasesOfTVersionC(String s, long epoch, String up, String rev) {
        assertEquals(0, DebianVersion.parse(s).compareTo(v(epoch, up, rev == null ? "" : rev)), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "0:", "0:0 0-1", "-1:0-1", "999999999999999999999999:0-1", "a:0-0", "A:0-0", "-0", "0:-0",
            "0:abc3-0", "0:0-0:0"})
    void parseRejectsWhatDpkgRejects(String s) {
        assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(s), s);
    }

    @Test
    void parseRejectsInvalidCharactersLikeTVersionC() {
        for (char c : "!#@$%&/|\\<>()[]{};,_=*^'".toCharArray()) {
            String up = "0:0" + c + "-0";
            assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(up), up);
        }
        for (char c : "!#@$%&/|\\<>()[]{}:;,_=*^'".toCharArray()) {
            String rev = "0:0-0" + c;
            assertThrows(IllegalArgumentException.class, () -> DebianVersion.parse(rev), rev);
        }
    }

    /** The __DATA__ table of dpkg's scripts/t/Dpkg_Version.t: a, b, sign of compare(a, b). */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
            "1.0-1 2.0-2 -1",
            "2.2~rc-4 2.2-1 -1",
            "2.2-1 2.2~rc-4 1",
            "1.0000-1 1.0-1 0",
            "1 0:1 0",
            "0 0:0-0 0",
            "2:2.5 1:7.5 1",
            "1:0foo 0foo 1",
            "0:0foo 0foo 0",
            "0foo 0foo 0",
            "0foo- 0foo 0",
            "0foo- 0foo-0 0",
            "0foo 0fo 1",
            "0foo- 0foo+ -1",
            "0foo~1 0foo -1",
            "0foo~foo+Bar 0foo~foo+bar -1",
            "0foo~~ 0foo~ -1",
            "1~ 1 -1",
            "12345+that-really-is-some-ver-0 12345+that-really-is-some-ver-10 -1",
            "0foo-0 0foo-01 -1",
            "0foo.bar 0foobar 1",
            "0foo.bar 0foo1bar 1",
            "0foo.bar 0foo0bar 1",
            "0foo1bar-1 0foobar-1 -1",
            "0foo2.0 0foo2 1",
            "0foo2.0.0 0foo2.10.0 -1",
            "0foo2.0 0foo2.0.0 -1",
            "0foo2.0 0foo2.10 -1",
            "0foo2.1 0foo2.10 -1",
            "1.09 1.9 0",
            "1.0.8+nmu1 1.0.8 1",
            "3.11 3.10+nmu1 1",
            "0.9j-20080306-4 0.9i-20070324-2 1",
            "1.2.0~b7-1 1.2.0~b6-1 1",
            "1.011-1 1.06-2 1",
            "0.0.9+dfsg1-1 0.0.8+dfsg1-3 1",
            "4.6.99+svn6582-1 4.6.99+svn6496-1 1",
            "53 52 1",
            "0.9.9~pre122-1 0.9.9~pre111-1 1",
            "2:2.3.2-2+lenny2 2:2.3.2-2 1",
            "1:3.8.1-1 3.8.GA-1 1",
            "1.0.1+gpl-1 1.0.1-2 1",
            "1a 1000a -1",
            "-0.6.5 0.9.1 -1",
    })
    void dpkgVersionTable(String a, String b, int expected) {
        assertEquals(expected, sign(DebianVersion.compare(a, b)), a + " cmp " + b);
        assertEquals(-expected, sign(DebianVersion.compare(b, a)), b + " cmp " + a);
    }

    @Test
    void tildeSortsBeforeEverythingEvenTheEnd() {
        assertTrue(DebianVersion.compare("1.0~rc1", "1.0") < 0);
        assertTrue(DebianVersion.compare("1.0~rc1", "1.0~rc1~1") > 0);
        assertTrue(DebianVersion.compare("1.0+b1", "1.0") > 0);
        assertTrue(DebianVersion.compare("1:1.37.0-6+b9", "1:1.37.0-6") > 0);
        assertTrue(DebianVersion.compare("1:1.37.0-6+b9", "1.99") > 0, "the epoch wins");
    }

    @Test
    void printsAsWritten() {
        assertEquals("1:1.37.0-6+b9", DebianVersion.parse("1:1.37.0-6+b9").toString());
        assertEquals("2.41", DebianVersion.parse("2.41").toString());
        assertEquals(DebianVersion.parse("1.0"), DebianVersion.parse("1.00"));
    }
}
