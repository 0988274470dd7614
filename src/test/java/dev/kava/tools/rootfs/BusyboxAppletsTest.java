package dev.kava.tools.rootfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading busybox's applet tables out of its binary. */
class BusyboxAppletsTest {
    private static final List<String> NAMES = List.of("[", "[[", "acpid", "ash", "cat", "chroot", "ifconfig", "linuxrc", "ls", "mount",
            "sh", "vi", "zcat");
    // 1 = /bin, 2 = /sbin, 3 = /usr/bin, 4 = /usr/sbin, 0 = / (linuxrc only)
    private static final int[] LOCS = {3, 3, 2, 1, 1, 4, 2, 0, 1, 1, 1, 1, 1};

    /** A fake binary: noise, the location table, more noise with nibbles in range, the names. */
    static byte[] fakeBusybox(boolean withLocations) {
        Random r = new Random(42);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] noise = new byte[5000];
        r.nextBytes(noise);
        b.writeBytes(noise);
        b.write(0xff);
        if (withLocations) {
            for (int i = 0; i < LOCS.length; i += 2) b.write(LOCS[i] | (i + 1 < LOCS.length ? LOCS[i + 1] << 4 : 0));
        }
        b.write(0xff);
        b.writeBytes(new byte[]{0x20, 0x11, 0x22}); // other tables before the names, as in Debian's binary
        for (String n : NAMES) {
            b.writeBytes(n.getBytes(StandardCharsets.US_ASCII));
            b.write(0);
        }
        b.write(0);
        b.writeBytes("/var/log/wtmp\0-/bin/sh\0".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(noise);
        return b.toByteArray();
    }

    @Test
    void namesAndLocationsFromTheBinary() {
        BusyboxApplets.Table t = BusyboxApplets.read(fakeBusybox(true));
        assertNotNull(t);
        assertTrue(t.locationsFromBinary());
        assertEquals(NAMES, t.applets().stream().map(BusyboxApplets.Applet::name).toList());
        assertEquals(new BusyboxApplets.Applet("[", "/usr/bin"), t.applets().get(0));
        assertEquals(new BusyboxApplets.Applet("acpid", "/sbin"), t.applets().get(2));
        assertEquals(new BusyboxApplets.Applet("chroot", "/usr/sbin"), t.applets().get(5));
        assertEquals(new BusyboxApplets.Applet("linuxrc", "/"), t.applets().get(7));
        assertEquals(new BusyboxApplets.Applet("sh", "/bin"), t.applets().get(10));
    }

    @Test
    void withoutTheLocationTableTheBundledListDecides() {
        BusyboxApplets.Table t = BusyboxApplets.read(fakeBusybox(false));
        assertNotNull(t);
        assertFalse(t.locationsFromBinary());
        assertEquals(new BusyboxApplets.Applet("acpid", "/sbin"), t.applets().get(2), "from busybox-applets.txt");
        assertEquals(new BusyboxApplets.Applet("ls", "/bin"), t.applets().get(8));
        assertNull(BusyboxApplets.read("no applets here".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void linksAsBusyboxInstallMakesThem(@TempDir Path root) throws IOException {
        StagingTree t = new StagingTree(root, new Manifest());
        SystemFiles sys = new SystemFiles(t, s -> { });
        sys.mergedUsr();
        t.file("/usr/bin/busybox", fakeBusybox(true), Manifest.Entry.file(0755, 0, 0));
        t.file("/usr/bin/vi", "a real vi".getBytes(StandardCharsets.US_ASCII), Manifest.Entry.file(0755, 0, 0));
        assertEquals(11, sys.busyboxLinks(), "all but linuxrc, and vi which exists");
        assertEquals("busybox", Files.readSymbolicLink(root.resolve("usr/bin/ls")).toString());
        assertEquals("../bin/busybox", Files.readSymbolicLink(root.resolve("usr/sbin/acpid")).toString());
        assertEquals("../bin/busybox", Files.readSymbolicLink(root.resolve("usr/sbin/chroot")).toString());
        assertEquals("a real vi", Files.readString(root.resolve("usr/bin/vi")), "existing files win");
        assertFalse(Files.exists(root.resolve("linuxrc")));
        assertNull(sys.shell(), "/bin/sh is one of the applets");
        assertEquals("busybox", Files.readSymbolicLink(root.resolve("bin/sh")).toString());
    }
}
