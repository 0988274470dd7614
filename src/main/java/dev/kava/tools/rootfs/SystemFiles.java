package dev.kava.tools.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What a booting system needs beyond the packages' files, since no maintainer script runs:
 * the merged-/usr layout, accounts, host name and resolver files, a profile with a prompt, an
 * os-release, empty mount points, a shell at /bin/sh and busybox's applet links, and dpkg's
 * status. A file a package brought is never replaced.
 */
public final class SystemFiles {
    private final StagingTree tree;
    private final Consumer<String> log;

    public SystemFiles(StagingTree tree, Consumer<String> log) {
        this.tree = tree;
        this.log = log;
    }

    /**
     * The merged-/usr layout that Debian (since 12, required in 13) has: /bin, /sbin and /lib
     * are symlinks into /usr. Made before unpacking, so that files packaged under ./bin land in
     * /usr/bin as on a real system (base-files ships the same links).
     */
    public void mergedUsr() throws IOException {
        tree.directory("/", Manifest.Entry.dir(0755, 0, 0));
        tree.directory("/usr", Manifest.Entry.dir(0755, 0, 0));
        for (String d : List.of("bin", "sbin", "lib")) {
            tree.directory("/usr/" + d, Manifest.Entry.dir(0755, 0, 0));
            tree.symlink("/" + d, "usr/" + d, 0, 0);
        }
    }

    /** Adds the system files; {@code osRelease} is used only when no package brought one. */
    public void addBaseFiles(String codename, String versionId) throws IOException {
        for (String d : List.of("/etc", "/var", "/var/lib", "/usr/local", "/usr/local/bin", "/home")) dir(d, 0755);
        dir("/proc", 0555);
        dir("/sys", 0555);
        dir("/dev", 0755);
        dir("/run", 0755);
        dir("/root", 0700);
        dir("/tmp", 01777);
        dir("/var/tmp", 01777);

        file("/etc/passwd", 0644, """
                root:x:0:0:root:/root:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        file("/etc/group", 0644, """
                root:x:0:
                tty:x:5:
                users:x:100:
                nogroup:x:65534:
                """);
        file("/etc/shadow", 0640, """
                root:*:0:0:99999:7:::
                nobody:*:0:0:99999:7:::
                """);
        file("/etc/hostname", 0644, "kava\n");
        file("/etc/hosts", 0644, """
                127.0.0.1	localhost
                127.0.1.1	kava
                ::1		localhost ip6-localhost ip6-loopback
                """);
        file("/etc/resolv.conf", 0644, "# kava: no name server is configured (the guest has no network yet)\n");
        file("/etc/nsswitch.conf", 0644, """
                passwd:         files
                group:          files
                shadow:         files
                hosts:          files dns
                networks:       files
                protocols:      files
                services:       files
                """);
        file("/etc/profile", 0644, """
                # /etc/profile: made by kava rootfs build (base-files was not installed).
                export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                export HOME="${HOME:-/root}"
                PS1='\\u@\\h:\\w\\$ '
                export PS1
                """);
        if (!tree.exists("/etc/os-release") && !tree.exists("/usr/lib/os-release")) {
            String name = "Debian GNU/Linux";
            file("/usr/lib/os-release", 0644, "PRETTY_NAME=\"" + name + (versionId.isEmpty() ? "" : " " + versionId)
                    + " (" + codename + ")\"\n"
                    + "NAME=\"" + name + "\"\n"
                    + (versionId.isEmpty() ? "" : "VERSION_ID=\"" + versionId + "\"\n")
                    + "VERSION_CODENAME=" + codename + "\n"
                    + "ID=debian\n"
                    + "VARIANT=\"kava rootfs\"\n"
                    + "VARIANT_ID=kava\n");
        }
        if (!exists("/etc/os-release")) tree.symlink("/etc/os-release", "../usr/lib/os-release", 0, 0);
    }

    /**
     * Links busybox's applets as {@code busybox --install -s} would (existing files win) when a
     * busybox binary is in the tree. Links are relative ("busybox", "../bin/busybox") so that
     * the tree reads the same from the host. Returns the number of links made.
     */
    public int busyboxLinks() throws IOException {
        StagingTree.Resolved bb = busybox();
        if (bb == null) return 0;
        BusyboxApplets.Table t = BusyboxApplets.read(Files.readAllBytes(bb.host()));
        if (t == null) {
            log.accept("kava rootfs: " + bb.guestPath() + " holds no applet table: no applet links made");
            return 0;
        }
        if (!t.locationsFromBinary()) {
            log.accept("kava rootfs: busybox's install-location table was not found; applet directories come from kava's list");
        }
        int made = 0;
        for (BusyboxApplets.Applet a : t.applets()) {
            if (a.dir().equals("/") || a.name().equals("busybox")) continue; // linuxrc is for initrds
            String link = a.dir() + "/" + a.name();
            if (exists(link)) continue;
            StagingTree.Resolved parent = tree.resolve(a.dir(), true, true);
            tree.directory(parent.guestPath(), Manifest.Entry.dir(0755, 0, 0));
            tree.symlink(link, relative(parent.guestPath(), bb.guestPath()), 0, 0);
            made++;
        }
        return made;
    }

    /**
     * Makes /bin/sh when no package did: dash, else bash, else busybox. Returns the target, or
     * null when there was nothing to link to (or /bin/sh existed).
     */
    public String shell() throws IOException {
        if (exists("/bin/sh")) return null;
        for (String cand : List.of("/usr/bin/dash", "/usr/bin/bash")) {
            if (exists(cand)) {
                tree.symlink("/bin/sh", cand.substring("/usr/bin/".length()), 0, 0);
                return cand;
            }
        }
        StagingTree.Resolved bb = busybox();
        if (bb == null) return null;
        StagingTree.Resolved binDir = tree.resolve("/bin", true, true);
        tree.symlink("/bin/sh", relative(binDir.guestPath(), bb.guestPath()), 0, 0);
        return bb.guestPath();
    }

    private StagingTree.Resolved busybox() {
        for (String p : List.of("/usr/bin/busybox", "/bin/busybox", "/usr/sbin/busybox", "/sbin/busybox")) {
            StagingTree.Resolved r = tree.resolve(p, true, false);
            if (r != null && Files.isRegularFile(r.host(), LinkOption.NOFOLLOW_LINKS)) return r;
        }
        return null;
    }

    /**
     * dpkg's database as it would be after {@code dpkg --unpack}: every package
     * "install ok unpacked" in /var/lib/dpkg/status (its configuration is still to be done, by
     * {@code dpkg --configure -a} inside the system), and the list of its files in info/PKG.list.
     */
    public void dpkgStatus(List<String> controls, List<String> packageNames, List<List<String>> fileLists) throws IOException {
        dir("/var/lib/dpkg", 0755);
        dir("/var/lib/dpkg/info", 0755);
        dir("/var/lib/dpkg/updates", 0755);
        StringBuilder status = new StringBuilder();
        for (int i = 0; i < controls.size(); i++) {
            String c = controls.get(i);
            if (c == null) continue;
            List<String> lines = new ArrayList<>(List.of(c.strip().split("\n")));
            int at = 0;
            while (at < lines.size() && !lines.get(at).toLowerCase(Locale.ROOT).startsWith("package:")) at++;
            lines.add(Math.min(at + 1, lines.size()), "Status: install ok unpacked");
            status.append(String.join("\n", lines)).append("\n\n");
            StringBuilder list = new StringBuilder();
            for (String p : fileLists.get(i)) list.append(p.equals("/") ? "/." : p).append('\n');
            tree.file("/var/lib/dpkg/info/" + packageNames.get(i) + ".list", list.toString().getBytes(StandardCharsets.UTF_8),
                    Manifest.Entry.file(0644, 0, 0));
        }
        if (!exists("/var/lib/dpkg/status")) {
            tree.file("/var/lib/dpkg/status", status.toString().getBytes(StandardCharsets.UTF_8), Manifest.Entry.file(0644, 0, 0));
        }
        for (String f : List.of("/var/lib/dpkg/available", "/var/lib/dpkg/diversions", "/var/lib/dpkg/statoverride")) {
            if (!exists(f)) tree.file(f, new byte[0], Manifest.Entry.file(0644, 0, 0));
        }
    }

    static String relative(String fromDir, String to) {
        return Path.of(fromDir).relativize(Path.of(to)).toString();
    }

    private boolean exists(String guestPath) {
        StagingTree.Resolved r = tree.resolve(guestPath, false, false);
        return r != null && Files.exists(r.host(), LinkOption.NOFOLLOW_LINKS);
    }

    private void dir(String path, int mode) throws IOException {
        StagingTree.Resolved r = tree.resolve(path, true, false);
        if (r != null && Files.isDirectory(r.host(), LinkOption.NOFOLLOW_LINKS)) return; // a package's directory stays as packaged
        tree.directory(path, Manifest.Entry.dir(mode, 0, 0));
    }

    private void file(String path, int mode, String content) throws IOException {
        if (exists(path)) return;
        tree.file(path, content.getBytes(StandardCharsets.UTF_8), Manifest.Entry.file(mode, 0, 0));
    }
}
