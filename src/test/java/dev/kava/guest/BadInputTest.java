package dev.kava.guest;

import dev.kava.abi.Errno;
import dev.kava.fs.HostStdio;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile input never crashes the kernel: bad pointers to every pointer-taking syscall (compared
 * with Linux through qemu), programs that are not riscv64 programs, a wild jump, a fork bomb under
 * RLIMIT_NPROC, and a few Linux behaviours qemu-user does not reproduce (fixed expectations). No
 * Java stack trace may reach the guest's streams or the kernel log.
 */
class BadInputTest {
    static final Path SOURCES = Path.of("src/test/guest/proc");
    static final Path ROOT = ProcessDifferentialTest.ROOT;
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static void assertNoJavaTrace(String what, String text) {
        for (String line : text.split("\n")) {
            assertFalse(line.contains("Exception") || line.startsWith("\tat ") || line.contains("Error:"),
                    what + ": a Java stack trace escaped:\n" + text);
        }
    }

    private static String compile(Path src) throws Exception {
        ProcessDifferentialTest.prepareRoot();
        return GuestToolchain.compile(src, ROOT).getFileName().toString();
    }

    /** Every row of badptr.c prints the errno Linux gives, and the program survives all of them. */
    @Test
    void badPointersGiveLinuxErrors() throws Exception {
        String name = compile(SOURCES.resolve("badptr.c"));
        GuestRun qemu = GuestRun.underQemu(ROOT, name, null, TIMEOUT);
        assertEquals(0, qemu.status(), "badptr.c fails under qemu");
        GuestRun kava = GuestRun.underKava(ROOT, name, null, TIMEOUT);
        assertNoJavaTrace("badptr", kava.stdoutText() + kava.stderrText());
        if (!Arrays.equals(qemu.stdout(), kava.stdout())) {
            fail("badptr: differs from Linux\n" + GuestDifferentialTest.firstDifference(qemu.stdoutText(), kava.stdoutText())
                    + "\n--- kava stderr ---\n" + kava.stderrText());
        }
        assertEquals(qemu.status(), kava.status());
    }

    /** Runs a file that is not a riscv64 program; the kernel refuses it with an errno and stays usable. */
    private static int refuse(Path file) throws Exception {
        ByteArrayOutputStream klog = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        Kernel k = new Kernel(new Kernel.Config().root(ROOT).stdout(out).stderr(out)
                .stdioKinds(HostStdio.Kind.NULL, HostStdio.Kind.PIPE, HostStdio.Kind.PIPE)
                .kernelLog(new PrintStream(klog, true, StandardCharsets.UTF_8)));
        String logs;
        try {
            var status = k.run("/" + file.getFileName(), List.of("/" + file.getFileName()), List.of());
            logs = klog.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
            return fail(file.getFileName() + " was executed (" + status + ") instead of refused; log:\n" + logs);
        } catch (ErrnoException e) {
            logs = klog.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
            assertNoJavaTrace(file.getFileName().toString(), logs);
            return e.errno;
        }
    }

    private static Path executable(String name, byte[] content) throws Exception {
        Path p = ROOT.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void programsThatAreNotRiscvProgramsAreRefused() throws Exception {
        String name = compile(SOURCES.resolve("badptr.c"));
        byte[] elf = Files.readAllBytes(ROOT.resolve(name));
        // Cut inside the ELF header, and inside the program headers: ENOEXEC, or EIO for a short read of them (load_elf_phdrs).
        int e1 = refuse(executable("truncated-header", Arrays.copyOf(elf, 40)));
        assertEquals(Errno.ENOEXEC, e1, "ELF cut inside its header");
        int e2 = refuse(executable("truncated-phdrs", Arrays.copyOf(elf, 80)));
        assertTrue(e2 == Errno.ENOEXEC || e2 == Errno.EIO, "ELF cut inside its program headers: errno " + e2);
        assertEquals(Errno.ENOEXEC, refuse(executable("garbage-bytes", "\u0001\u0002garbage, not a program\n".getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals(Errno.ENOEXEC, refuse(executable("empty-file", new byte[0])));
        Path hostTrue = Path.of("/bin/true");
        Assumptions.assumeTrue(Files.isRegularFile(hostTrue), "no /bin/true on the host");
        assertEquals(Errno.ENOEXEC, refuse(executable("host-true", Files.readAllBytes(hostTrue))), "an x86-64 (host) ELF");
        // And the kernel still runs a real program afterwards.
        GuestRun ok = GuestRun.underKava(ROOT, name, null, TIMEOUT);
        assertEquals(0, ok.status(), ok.stderrText());
    }

    /**
     * An ELF cut after its first page: its segments map past the end of the file without
     * complaint, but elf_load's padzero then clears the tail of the data segment's last file page,
     * which lies wholly beyond EOF: filemap_fault says VM_FAULT_SIGBUS, clear_user fails, elf_load
     * returns -EFAULT for the writable segment and exec, past its point of no return, ends the
     * process with SIGSEGV (status 139). That is what Linux does (checked against a host kernel with
     * an x86-64 static binary cut the same way). qemu-user loads ELF files itself and says 135
     * instead, so it is not the oracle here; SIGBUS for a user access past EOF is compared with
     * qemu (whose file mmap is the host kernel's) in proc/segv.c.
     */
    @Test
    void elfCutAfterAPageFailsInPadzero() throws Exception {
        String name = compile(SOURCES.resolve("badptr.c"));
        executable("truncated-body", Arrays.copyOf(Files.readAllBytes(ROOT.resolve(name)), 4096));
        GuestRun kava = GuestRun.underKava(ROOT, "truncated-body", null, TIMEOUT);
        assertNoJavaTrace("truncated-body", kava.stdoutText() + kava.stderrText());
        assertEquals(139, kava.status(), "padzero beyond EOF must fail the exec with SIGSEGV\n" + kava.stderrText());
    }

    @Test
    void jumpToUnmappedAddressIsSigsegv() throws Exception {
        String name = compile(SOURCES.resolve("badinput/jump.c"));
        GuestRun qemu = GuestRun.underQemu(ROOT, name, null, TIMEOUT);
        GuestRun kava = GuestRun.underKava(ROOT, name, null, TIMEOUT);
        assertEquals(139, qemu.status());
        assertEquals(139, kava.status(), kava.stderrText());
        assertEquals(qemu.stdoutText(), kava.stdoutText());
        assertNoJavaTrace("jump", kava.stdoutText() + kava.stderrText());
    }

    @Test
    void forkBombUnderNprocEndsWithEagain() throws Exception {
        String name = compile(SOURCES.resolve("badinput/nproc.c"));
        GuestRun qemu = GuestRun.underQemu(ROOT, name, null, TIMEOUT);
        assertTrue(qemu.stdoutText().contains(" then EAGAIN\n"), "nproc.c under qemu: " + qemu.stdoutText());
        GuestRun kava = GuestRun.underKava(ROOT, name, null, TIMEOUT);
        String out = kava.stdoutText();
        if (out.contains("ENOSYS") || out.startsWith("setresuid") || out.startsWith("setrlimit")) {
            Assumptions.abort("pending: fork, setresuid and RLIMIT_NPROC (" + out.trim() + ")");
        }
        assertNoJavaTrace("nproc", out + kava.stderrText());
        assertEquals(0, kava.status(), out + kava.stderrText());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("forked (\\d+) then EAGAIN\nreaped (\\d+)\n").matcher(out);
        assertTrue(m.find(), "expected EAGAIN from fork:\n" + out);
        assertEquals(m.group(1), m.group(2), "every child reaped");
        assertTrue(Integer.parseInt(m.group(1)) < 8, "RLIMIT_NPROC 8 bounds the children: " + out);
    }

    /** Linux answers qemu-user does not reproduce, from mm/mmap.c, mm/mmap.c's may_expand_vm and kernel/signal.c. */
    @Test
    void linuxBehaviourQemuDoesNotReproduce() throws Exception {
        String name = compile(SOURCES.resolve("badinput/linux_only.c"));
        GuestRun kava = GuestRun.underKava(ROOT, name, null, TIMEOUT);
        if (kava.stdoutText().contains("sa_mask blocked in handler: -1") || kava.status() != 0) {
            Assumptions.abort("pending: signal handler delivery\n" + kava.stdoutText() + kava.stderrText());
        }
        assertEquals("""
                MAP_FIXED_NOREPLACE over a mapping: EEXIST
                RLIMIT_AS 64 MiB: set ok, 256 MiB mmap ENOMEM
                sa_mask blocked in handler: 1
                """, kava.stdoutText(), kava.stderrText());
    }
}
