package dev.kava.cli;

import dev.kava.abi.Errno;
import dev.kava.drivers.tty.NativeTerminal;
import dev.kava.fs.HostStdio;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.UtsNamespace;
import dev.kava.net.core.Net;
import dev.kava.net.host.HostNetLoop;
import dev.kava.net.host.PortForward;
import dev.kava.net.host.UserNet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kava run}: boots a kernel and runs one program in it, exiting with its status. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a riscv64 Linux program under kava. Exits with the program's status (128+N if killed by signal N).")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--root", paramLabel = "DIR|IMAGE", description = "Host directory or EROFS image to use as the guest's root filesystem (read-only; default: busybox-static from Debian, built on first use).")
    Path root;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Set an environment variable for the program (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = "--strace", description = "Trace the program's system calls as strace does, to stderr (--strace=FILE: to FILE).")
    boolean strace;

    /** --strace=FILE, rewritten by {@link Main} so that a bare --strace never swallows PROGRAM. */
    @Option(names = "--strace-file", hidden = true)
    String straceFile;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "The program's working directory inside the guest (default /).")
    String workdir;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "The guest's host name, 1 to 64 bytes, as uname -n and /proc/sys/kernel/hostname show it (default kava).")
    String hostname;

    @Option(names = {"-v", "--volume"}, paramLabel = "HOSTDIR:GUESTDIR[:ro|:rw]",
            description = "Mount a host directory on an existing guest directory, read-only unless :rw (repeatable).")
    List<String> volumes = new ArrayList<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "HOSTPORT:GUESTPORT[/tcp|/udp]",
            description = "Forward host 127.0.0.1:HOSTPORT to the guest's 127.0.0.1:GUESTPORT (repeatable; TCP unless /udp).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--net", paramLabel = "none|host-loopback",
            description = "none (default): the guest has only its loopback. host-loopback: also eth0 10.0.2.15/24 with gateway 10.0.2.2; TCP and UDP to 10.0.2.2:PORT reach the host's 127.0.0.1:PORT.")
    String net = "none";

    @Option(names = "--verbose", description = "Print kernel log messages to stderr.")
    boolean kernelLog;

    @Option(names = "--kernel-log", paramLabel = "FILE", description = "Write kernel log messages to FILE.")
    Path kernelLogFile;

    @Option(names = "--cpus", paramLabel = "N", description = "Virtual CPUs that run guest tasks at once (default: the host's cores).")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Guest memory size, e.g. 512M or 2G (default 4G).")
    String memory;

    @Option(names = "--deterministic", description = "Reproducible runs: one vCPU, time counted in guest instructions, fixed random seed.")
    boolean deterministic;

    @Option(names = "--stats", description = "At exit, print guest instructions retired and wall time to stderr.")
    boolean stats;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program to run: a path inside the guest root.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The default environment of a program started by kava run (what a root login gets), plus the host's TERM. */
    static final List<String> DEFAULT_ENV = defaultEnv(System.getenv("TERM"));

    static List<String> defaultEnv(String term) {
        List<String> e = new ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"));
        if (term != null && !term.isEmpty()) e.add("TERM=" + term);
        return List.copyOf(e);
    }

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (root == null) {
            root = DefaultRoot.ensure(err);
            if (root == null) return 1;
        }
        if (!Files.isDirectory(root) && !Files.isRegularFile(root)) {
            err.println("kava run: --root " + root + ": not a directory or an EROFS image");
            return 2;
        }
        long memoryBytes = 4L << 30;
        if (memory != null) {
            memoryBytes = parseSize(memory);
            if (memoryBytes < (16L << 20)) {
                err.println("kava run: --memory " + memory + ": expected a size of at least 16M, like 512M or 2G");
                return 2;
            }
        }
        if (hostname != null) {
            String problem = UtsNamespace.checkName(guestBytes(hostname));
            if (problem != null) {
                err.println("kava run: --hostname " + hostname + ": " + problem);
                return 2;
            }
        }
        if (cpus != null && (cpus < 1 || cpus > Kernel.MAX_CPUS)) {
            err.println("kava run: --cpus " + cpus + ": expected 1 to " + Kernel.MAX_CPUS);
            return 2;
        }
        List<String> envp = environment(err);
        if (envp == null) return 2;
        HostStdio.Kind[] kinds = {HostConsole.kind(0), HostConsole.kind(1), HostConsole.kind(2)};
        // A terminal on stdin becomes the guest's console tty, the host terminal in raw mode meanwhile.
        NativeTerminal terminal = kinds[0] == HostStdio.Kind.TTY ? HostConsole.openTerminal(kinds) : null;
        // In raw mode the host terminal no longer turns \n into \r\n: kava's own messages must.
        PrintStream diag = terminal != null ? HostConsole.crlf(err) : err;
        try {
            return run(diag, kinds, terminal, memoryBytes, envp);
        } finally {
            if (terminal != null) terminal.close();
        }
    }

    /** Boots the kernel and runs the program; err is where kava's own messages go. */
    private int run(PrintStream err, HostStdio.Kind[] kinds, NativeTerminal terminal, long memoryBytes, List<String> envp) {
        PrintStream logStream = kernelLog ? err : null;
        if (kernelLogFile != null) {
            try {
                logStream = new PrintStream(new java.io.FileOutputStream(kernelLogFile.toFile()), true, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("kava run: --kernel-log " + kernelLogFile + ": " + e.getMessage());
                return 2;
            }
        }
        PrintStream straceStream = strace ? err : null;
        if (straceFile != null) {
            try {
                straceStream = new PrintStream(new java.io.FileOutputStream(straceFile), true, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("kava run: --strace=" + straceFile + ": " + e.getMessage());
                return 2;
            }
        }
        // Guest strings are bytes: the kernel holds them as one char per byte (ISO-8859-1).
        List<String> argv = new ArrayList<>();
        argv.add(guestBytes(program));
        for (String a : args) argv.add(guestBytes(a));
        envp = envp.stream().map(RunCommand::guestBytes).toList();

        // Unbuffered views of the host's descriptors: the guest's writes reach them in order, at once.
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        OutputStream errOut = new FileOutputStream(FileDescriptor.err);
        Kernel.Config config = new Kernel.Config()
                .root(root)
                .stdin(new FileInputStream(FileDescriptor.in))
                .stdout(out)
                .stderr(errOut)
                .stdioKinds(kinds[0], kinds[1], kinds[2])
                .console(terminal)
                .kernelLog(logStream)
                .strace(straceStream)
                .workdir(workdir == null ? null : guestBytes(workdir))
                .memoryBytes(memoryBytes)
                .deterministic(deterministic);
        if (cpus != null) config.cpus(cpus);
        if (hostname != null) config.hostname(guestBytes(hostname));
        for (String v : volumes) {
            String problem = addVolume(config, v);
            if (problem != null) {
                err.println("kava run: -v " + v + ": " + problem);
                return 2;
            }
        }
        List<PortForward.Spec> forwards = new ArrayList<>();
        for (String p : publish) {
            try {
                forwards.add(PortForward.Spec.parse(p));
            } catch (IllegalArgumentException e) {
                err.println("kava run: -p " + p + ": " + e.getMessage());
                return 2;
            }
        }
        if (!net.equals("none") && !net.equals("host-loopback")) {
            err.println("kava run: --net " + net + ": expected none or host-loopback");
            return 2;
        }
        long startNanos = System.nanoTime();
        Kernel kernel;
        try {
            kernel = new Kernel(config);
        } catch (IOException e) {
            err.println("kava run: --root " + root + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("kava run: " + e.getMessage());
            return 2;
        }
        HostNetLoop hostNet = null;
        if (!forwards.isEmpty() || net.equals("host-loopback")) {
            Kernel k = kernel;
            hostNet = new HostNetLoop("kava-hostnet", e -> k.log().oops("host network", e));
            if (net.equals("host-loopback")) UserNet.attach(hostNet, Net.of(kernel));
            for (int i = 0; i < forwards.size(); i++) {
                try {
                    PortForward.start(hostNet, Net.of(kernel), forwards.get(i));
                } catch (IOException e) {
                    err.println("kava run: -p " + publish.get(i) + ": " + e.getMessage());
                    hostNet.close();
                    return 2;
                }
            }
        }
        ExitStatus status;
        try {
            status = kernel.run(guestBytes(program), argv, envp);
        } catch (IllegalArgumentException e) {
            err.println("kava run: " + e.getMessage());
            return 2;
        } catch (ErrnoException e) {
            err.println("kava run: " + program + ": " + Errno.message(e.errno));
            // As a shell does: 127 when the program is not there, 126 when it cannot be executed.
            return e.errno == Errno.ENOENT || e.errno == Errno.ENOTDIR ? 127 : 126;
        } finally {
            if (hostNet != null) hostNet.close();
        }
        if (stats) {
            double secs = (System.nanoTime() - startNanos) / 1e9;
            long insns = kernel.instructionsRetired();
            err.printf("kava: stats: %d guest instructions retired, %.3f s wall, %.1f MIPS%n",
                    insns, secs, insns / secs / 1e6);
            err.println("kava: stats: " + dev.kava.arch.riscv.Hart.jitSummary());
        }
        return status.shellStatus();
    }

    /** Parses HOSTDIR:GUESTDIR[:ro|:rw] into config; a message when it is wrong, else null. */
    static String addVolume(Kernel.Config config, String spec) {
        String[] parts = spec.split(":", -1);
        boolean rw = false;
        if (parts.length == 3) {
            if (parts[2].equals("rw")) rw = true;
            else if (!parts[2].equals("ro")) return "expected :ro or :rw at the end, not :" + parts[2];
        } else if (parts.length != 2) {
            return "expected HOSTDIR:GUESTDIR[:ro|:rw]";
        }
        if (parts[0].isEmpty() || !Files.isDirectory(Path.of(parts[0]))) return parts[0] + " is not a directory on the host";
        if (!parts[1].startsWith("/")) return "the guest directory must be an absolute path";
        config.volume(Path.of(parts[0]), guestBytes(parts[1]), rw);
        return null;
    }

    /** "512M", "2G", "1048576", "64k": bytes, or -1 when malformed. */
    static long parseSize(String s) {
        s = s.trim();
        if (s.isEmpty()) return -1;
        char u = Character.toUpperCase(s.charAt(s.length() - 1));
        int shift = switch (u) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        String num = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (num.endsWith("i") || num.endsWith("I")) return -1;
        try {
            long v = Long.parseLong(num);
            if (v < 0 || v > (Long.MAX_VALUE >> shift)) return -1;
            return v << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The program's environment: the defaults overridden and extended by -e. Null after an error message. */
    private List<String> environment(PrintStream err) {
        List<String> out = new ArrayList<>(DEFAULT_ENV);
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                err.println("kava run: -e " + e + ": expected NAME=VALUE");
                return null;
            }
            String name = e.substring(0, eq + 1);
            out.removeIf(x -> x.startsWith(name));
            out.add(e);
        }
        return out;
    }

    /** A host string as the guest sees it: its UTF-8 bytes, one char per byte. */
    static String guestBytes(String s) {
        return new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
