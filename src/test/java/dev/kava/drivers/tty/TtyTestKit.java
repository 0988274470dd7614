package dev.kava.drivers.tty;

import dev.kava.abi.Fcntl;
import dev.kava.abi.Mman;
import dev.kava.abi.Signal;
import dev.kava.arch.riscv.Hart;
import dev.kava.fs.FdTable;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.signal.SigHand;
import dev.kava.mm.AddressSpace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A kernel without guest code for tty tests: processes are plain Task objects, each driven by a
 * host thread of its own that runs what the test hands it while holding a vCPU (so that it can
 * block on wait queues and be woken as a task is). Each process has a scratch page at
 * {@link #SCRATCH} for ioctl arguments.
 */
final class TtyTestKit {
    static final long SCRATCH = 0x10000;
    static final long TIMEOUT_S = 20;

    final Kernel kernel;
    final Devpts devpts;

    TtyTestKit() throws Exception {
        kernel = new Kernel(new Kernel.Config().root(Path.of(".")).cpus(16));
        devpts = new Devpts(kernel);
        // pid 1 is init, whose children never keep a process group from being orphaned: keep it out of the tests.
        kernel.allocPid();
    }

    /** A process in its own group; pgid and sid default to its pid (a session leader). */
    Proc process(Proc parent, int pgid, int sid) {
        int pid = kernel.allocPid();
        AddressSpace as = new AddressSpace();
        as.map(SCRATCH, 0x1000, Mman.PROT_READ | Mman.PROT_WRITE);
        TaskGroup pg = parent == null ? null : parent.task.group;
        TaskGroup g = new TaskGroup(kernel, pid, pg, null, new FdTable(), null, new Rlimits(1000));
        g.pgid = pgid == 0 ? pid : pgid;
        g.sid = sid == 0 ? pid : sid;
        g.exitSignal = Signal.SIGCHLD;
        Task t = new Task(kernel, g, pid, new Hart(as));
        kernel.attach(t, pg, true, false);
        return new Proc(t);
    }

    Proc leader() {
        return process(null, 0, 0);
    }

    /** A process driven by its own host thread. */
    final class Proc {
        final Task task;
        private final BlockingQueue<Runnable> work = new LinkedBlockingQueue<>();

        Proc(Task task) {
            this.task = task;
            Thread th = Thread.ofPlatform().daemon(true).name("test-task-" + task.tid).unstarted(this::loop);
            task.se.setThread(th);
            th.start();
            kernel.scheduler().wake(task);
        }

        private void loop() {
            kernel.scheduler().waitForCpu(task);
            while (true) {
                Runnable r = kernel.scheduler().outsideCpu(task, () -> {
                    try {
                        return work.take();
                    } catch (InterruptedException e) {
                        return null;
                    }
                });
                if (r == null) return;
                r.run();
            }
        }

        TaskGroup group() {
            return task.group;
        }

        int pid() {
            return task.group.tgid;
        }

        /** Runs body as this task, later. */
        <T> CompletableFuture<T> start(Callable<T> body) {
            CompletableFuture<T> f = new CompletableFuture<>();
            work.add(() -> {
                try {
                    f.complete(body.call());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        /** Runs body as this task and waits for its result. */
        <T> T call(Callable<T> body) throws Exception {
            try {
                return start(body).get(TIMEOUT_S, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                throw e;
            }
        }

        /** The errno of body's ErrnoException, or 0 when it returned normally. */
        int errnoOf(Callable<?> body) throws Exception {
            return call(() -> {
                try {
                    body.call();
                    return 0;
                } catch (ErrnoException e) {
                    return e.errno;
                }
            });
        }

        String read(TtyFile f, int max) throws Exception {
            return call(() -> {
                byte[] b = new byte[max];
                int n = f.read(task, b, 0, max);
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            });
        }

        int write(TtyFile f, String s) throws Exception {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            return call(() -> f.write(task, b, 0, b.length));
        }

        /** ioctl with an int argument in the scratch page; returns the ioctl's result. */
        long ioctlInt(TtyFile f, int cmd, int value) throws Exception {
            return call(() -> {
                task.mem.write32(SCRATCH, value);
                return f.ioctl(task, cmd, SCRATCH);
            });
        }

        /** ioctl that writes an int to the scratch page; returns that int, or the -errno the ioctl returned. */
        long ioctlGetInt(TtyFile f, int cmd) throws Exception {
            return call(() -> {
                long r = f.ioctl(task, cmd, SCRATCH);
                return r < 0 ? r : task.mem.read32(SCRATCH);
            });
        }

        /** ioctl with bytes in the scratch page; returns the ioctl's result. */
        long ioctlBytes(TtyFile f, int cmd, byte[] arg) throws Exception {
            return call(() -> {
                task.mem.write(SCRATCH, arg);
                return f.ioctl(task, cmd, SCRATCH);
            });
        }

        byte[] scratch(int len) throws Exception {
            return call(() -> task.mem.read(SCRATCH, len));
        }

        /** Whether sig waits in the process's shared queue. */
        boolean pending(int sig) {
            return (task.group.sharedPending.mask() & Signal.bit(sig)) != 0;
        }

        /** Gives sig a handler (an address never run), so that it is queued instead of acted on by default. */
        void catchSignal(int sig) {
            task.group.sighand.set(sig, new SigHand.Action(0x1000, 0, 0));
        }

        void ignoreSignal(int sig) {
            task.group.sighand.set(sig, new SigHand.Action(Signal.SIG_IGN, 0, 0));
        }
    }

    // ---- pty helpers ----

    /** A pty pair opened by p: the master, unlocked. */
    TtyFile openMaster(Proc p) throws Exception {
        TtyFile m = p.call(() -> Pty.openMaster(p.task, devpts, Fcntl.O_RDWR | Fcntl.O_NOCTTY, null));
        synchronized (m.tty.lock) {
            m.tty.ptyLock = false;
        }
        return m;
    }

    TtyFile openSlave(Proc p, TtyFile master, int flags) throws Exception {
        return p.call(() -> Pty.openSlave(p.task, master.tty.link, Fcntl.O_RDWR | flags, null));
    }

    /** Changes a tty's termios as TCSETS would, without job control checks. */
    static void setTermios(TtyFile f, java.util.function.Consumer<Ktermios> change) {
        TtyStruct tty = f.tty.pairGetTty();
        synchronized (tty.lock) {
            Ktermios k = tty.termios.copy();
            change.accept(k);
            TtyIoctl.setTermiosLocked(tty, k);
        }
    }

    static String bytes(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 32 || c > 126) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    static void assertBytes(String want, String got) {
        org.junit.jupiter.api.Assertions.assertEquals(bytes(want), bytes(got));
    }

    static void assertBytes(String want, String got, String message) {
        org.junit.jupiter.api.Assertions.assertEquals(bytes(want), bytes(got), message);
    }

}
