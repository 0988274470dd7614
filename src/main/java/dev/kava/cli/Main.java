package dev.kava.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The kava command: subcommands for running programs and, later, tools. */
@Command(name = "kava", mixinStandardHelpOptions = true, version = "kava 0.1.0 (Linux 7.0 in Java, riscv64)",
        description = "The Linux kernel, written in Java, running riscv64 Linux programs.",
        subcommands = {RunCommand.class, dev.kava.tools.rootfs.RootfsCommand.class, MkfsErofsCommand.class,
                FsckErofsCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (for tests and main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Everything after PROGRAM belongs to the program, options included.
        cl.setStopAtPositional(true);
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(new PrintWriter(System.err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            // One line and status 2, like other command-line tools; no stack trace, no usage dump.
            String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
            ex.getCommandLine().getErr().println(cmd + ": " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            c.getErr().println("kava: internal error: " + ex);
            if (System.getenv("KAVA_DEBUG") != null) ex.printStackTrace(c.getErr());
            return 70; // EX_SOFTWARE
        });
        // No arguments: boot the default root and open a login shell on the console.
        if (args.length == 0) args = new String[]{"run", "-w", "/root", "--", "/bin/sh", "-l"};
        return cl.execute(rewriteStraceFile(args));
    }

    /**
     * Turns "--strace=FILE" (before PROGRAM) into the hidden "--strace-file FILE": a plain
     * --strace takes no value, so "--strace /prog" keeps /prog as the program.
     */
    static String[] rewriteStraceFile(String[] args) {
        java.util.Set<String> takesValue = java.util.Set.of("--root", "-e", "--env", "-w", "--workdir", "--kernel-log",
                "--cpus", "--memory");
        java.util.List<String> out = new java.util.ArrayList<>();
        boolean valueNext = false, options = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (options && i > 0) {
                if (valueNext) {
                    valueNext = false;
                } else if (a.equals("--") || !a.startsWith("-")) {
                    options = false; // PROGRAM (or the separator before it): the rest is the program's
                } else if (a.startsWith("--strace=")) {
                    out.add("--strace-file");
                    out.add(a.substring("--strace=".length()));
                    continue;
                } else {
                    valueNext = takesValue.contains(a);
                }
            }
            out.add(a);
        }
        return out.toArray(new String[0]);
    }
}
