package dev.kava.guest;

import dev.kava.fs.HostStdio;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One run of a guest program: its stdout, stderr and exit status (128+N for death by signal N). */
record GuestRun(byte[] stdout, byte[] stderr, int status) {
    String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * The mount points a root needs: an empty dev/ (kava mounts devtmpfs there), tmp/ (a tmpfs)
     * and proc/ (procfs). Made for both runs, so a program listing the root sees the same names.
     */
    static void prepareRoot(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir.resolve("dev"));
        java.nio.file.Files.createDirectories(dir.resolve("tmp"));
        java.nio.file.Files.createDirectories(dir.resolve("proc"));
    }

    /**
     * Runs dir/name under qemu-riscv64-static with dir as working directory, an empty environment
     * and stdin (or none). A run that times out is tried once more: qemu-user itself can deadlock
     * in a fork made after threads have run (its own locks, held by a thread at the fork), which
     * says nothing about the program; a second timeout fails the test.
     */
    static GuestRun underQemu(Path dir, String name, byte[] stdin, Duration timeout) throws IOException, InterruptedException {
        try {
            return underQemuOnce(dir, name, stdin, timeout);
        } catch (QemuTimeout first) {
            System.err.println(first.getMessage() + "; running it once more");
            return underQemuOnce(dir, name, stdin, timeout);
        }
    }

    /** The oracle did not finish in time. */
    static final class QemuTimeout extends AssertionError {
        QemuTimeout(String message) {
            super(message);
        }
    }

    private static GuestRun underQemuOnce(Path dir, String name, byte[] stdin, Duration timeout) throws IOException, InterruptedException {
        prepareRoot(dir);
        // -L: dynamic programs find ld.so and their libraries under dir, as they do under kava.
        // ulimit -c 0: a program that dies by a signal must not leave qemu core files behind.
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "ulimit -c 0 && exec \"$@\"", "sh",
                GuestToolchain.QEMU, "-L", dir.toAbsolutePath().toString(), "./" + name)
                .directory(dir.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        Process p = pb.start();
        if (stdin != null) {
            CompletableFuture.runAsync(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException ignored) {
                    // the program stopped reading
                }
            });
        }
        CompletableFuture<byte[]> out = readAll(p.getInputStream()), err = readAll(p.getErrorStream());
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new QemuTimeout("qemu run of " + name + " timed out after " + timeout);
        }
        // A child the program left behind may still hold its stdout open: do not wait forever.
        try {
            // Java reports death by signal N as exit value 128+N, as a shell does.
            return new GuestRun(out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS), p.exitValue());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("qemu run of " + name + " left a process holding its output open");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    private static CompletableFuture<byte[]> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** Runs /name in a fresh in-process kernel whose root is dir, with an empty environment and stdin (or none). */
    static GuestRun underKava(Path dir, String name, byte[] stdin, Duration timeout) throws Exception {
        return underKava(dir, name, stdin, timeout, false);
    }

    /** As above; deterministic: kava's reproducible mode (one vCPU, instruction-counted time, fixed seed). */
    static GuestRun underKava(Path dir, String name, byte[] stdin, Duration timeout, boolean deterministic) throws Exception {
        return underKava(dir, name, stdin, timeout, deterministic, null);
    }

    /** As above, tracing syscalls in strace's format to strace (null: no tracing). */
    static GuestRun underKava(Path dir, String name, byte[] stdin, Duration timeout, boolean deterministic,
                              PrintStream strace) throws Exception {
        return underKava(dir, List.of("/" + name), List.of(), stdin, timeout, deterministic, strace, List.of());
    }

    /** As above, with host directories mounted as kava run -v does. */
    static GuestRun underKava(Path dir, String name, byte[] stdin, Duration timeout, boolean deterministic,
                              PrintStream strace, List<dev.kava.init.InitMounts.Volume> volumes) throws Exception {
        return underKava(dir, List.of("/" + name), List.of(), stdin, timeout, deterministic, strace, volumes);
    }

    /**
     * Runs argv (argv[0] is the program's path inside the guest) with environment env in a fresh
     * in-process kernel whose root is dir.
     */
    static GuestRun underKava(Path dir, List<String> argv, List<String> env, byte[] stdin, Duration timeout)
            throws Exception {
        return underKava(dir, argv, env, stdin, timeout, false, null, List.of());
    }

    /** As above; deterministic: kava's reproducible mode (one vCPU, instruction-counted time, fixed seed). */
    static GuestRun underKava(Path dir, List<String> argv, List<String> env, byte[] stdin, Duration timeout,
                              boolean deterministic) throws Exception {
        return underKava(dir, argv, env, stdin, timeout, deterministic, null, List.of());
    }

    /** The general form: argv with env, host directories mounted as kava run -v does. */
    static GuestRun underKava(Path dir, List<String> argv, List<String> env, byte[] stdin, Duration timeout,
                              boolean deterministic, PrintStream strace,
                              List<dev.kava.init.InitMounts.Volume> volumes) throws Exception {
        String name = argv.get(0);
        if (java.nio.file.Files.isDirectory(dir)) prepareRoot(dir); // an EROFS image root brings its own
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        ByteArrayOutputStream klog = new ByteArrayOutputStream();
        Kernel.Config config = new Kernel.Config()
                .root(dir)
                .stdin(stdin == null ? InputStream.nullInputStream() : new java.io.ByteArrayInputStream(stdin))
                .stdout(out)
                .stderr(err)
                .stdioKinds(stdin == null ? HostStdio.Kind.NULL : HostStdio.Kind.PIPE, HostStdio.Kind.PIPE, HostStdio.Kind.PIPE)
                .kernelLog(new PrintStream(klog, true, StandardCharsets.UTF_8))
                .deterministic(deterministic)
                .strace(strace);
        for (var v : volumes) config.volume(v.host(), v.guestDir(), v.readWrite());
        Kernel kernel = new Kernel(config);
        CompletableFuture<ExitStatus> run = CompletableFuture.supplyAsync(() -> {
            try {
                return kernel.run(name, argv, env);
            } catch (ErrnoException e) {
                throw new AssertionError("kava could not execute " + name + ": " + e.getMessage());
            }
        }, r -> {
            Thread t = new Thread(r, "kava-" + name);
            t.setDaemon(true);
            t.start();
        });
        ExitStatus status;
        try {
            status = run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kernel.killAll();
            throw new AssertionError("kava run of " + name + " timed out after " + timeout + "; stdout so far:\n"
                    + out.toString(StandardCharsets.UTF_8) + "\nkernel log:\n" + klog.toString(StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError ae) throw ae;
            throw e;
        }
        byte[] log = klog.toByteArray();
        byte[] errBytes = err.toByteArray();
        if (log.length > 0) {
            // Keep the kernel log with stderr: it explains a difference (oopses, unimplemented syscalls).
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(errBytes);
            both.writeBytes("--- kernel log ---\n".getBytes(StandardCharsets.UTF_8));
            both.writeBytes(log);
            errBytes = both.toByteArray();
        }
        return new GuestRun(out.toByteArray(), errBytes, status.shellStatus());
    }
}
