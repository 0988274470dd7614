package dev.kava.drivers.tty;

import dev.kava.abi.Stat;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;

import java.io.IOException;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * kava's console: a tty whose "hardware" is the host terminal kava runs in, as a hypervisor
 * console (hvc0, char 229:0 in Documentation/admin-guide/devices.txt) is the terminal of a
 * virtual machine. What the guest writes goes to the host terminal; what the user types on the
 * host (put in raw mode by whoever owns it) is fed to the guest's N_TTY line discipline, so
 * ^C becomes SIGINT for the guest's foreground process group, and the guest's ICANON, ECHO
 * and so on apply. A host thread reads the host terminal and looks at its window size every
 * {@link #POLL_MILLIS} ms: a change sends SIGWINCH to the foreground process group.
 */
public final class ConsoleTty {
    /** devices.txt: 229 char, hypervisor virtual console; 0 = /dev/hvc0. */
    public static final int HVC_MAJOR = 229;
    /** How often the host terminal is looked at when nothing happens (input, window size, end). */
    static final int POLL_MILLIS = 250;
    /** Input queued beyond the line discipline's buffer before the host thread stops reading. */
    private static final int PORT_LIMIT = 4096;
    /** The "tty" group, which owns terminal device nodes. */
    private static final int TTY_GID = 5;

    private static final Map<Kernel, ConsoleTty> CONSOLES = new WeakHashMap<>();

    private final TtyStruct tty;
    private final HostTerminal term;
    private final TtyFile.Node node;
    private final Thread reader;

    private ConsoleTty(Kernel kernel, HostTerminal term) {
        this.term = term;
        this.tty = new TtyStruct(kernel, new Driver(term), 0, new Object(), PORT_LIMIT);
        this.node = new TtyFile.Node(Stat.encodeDev(0, 5), 1000, Stat.S_IFCHR | 0620, 0, TTY_GID,
                tty.driver.devnum(tty));
        Winsize ws = term.windowSize();
        if (ws != null) tty.winsize = ws;
        this.reader = Thread.ofPlatform().name("kava-console").daemon(true).unstarted(this::readLoop);
    }

    /** Creates the console of kernel on term and starts reading the host terminal. */
    public static ConsoleTty start(Kernel kernel, HostTerminal term) {
        ConsoleTty c = new ConsoleTty(kernel, term);
        synchronized (CONSOLES) {
            CONSOLES.put(kernel, c);
        }
        c.reader.start();
        return c;
    }

    /** The console of kernel, or null when it has none (for /dev/hvc0 and /dev/console later). */
    public static ConsoleTty of(Kernel kernel) {
        synchronized (CONSOLES) {
            return CONSOLES.get(kernel);
        }
    }

    public TtyStruct tty() {
        return tty;
    }

    /** Opens the console (tty_open); without O_NOCTTY a session leader with no controlling terminal gets it. */
    public TtyFile open(Task t, int flags) {
        TtyFile f = new TtyFile(tty, TtyIo.fileFlags(flags), node);
        TtyIo.open(t, f, (flags & dev.kava.abi.Fcntl.O_NOCTTY) != 0);
        return f;
    }

    /**
     * The first process's descriptors 0-2: starts the console on term and opens it with flags.
     * The first process is a session leader without a terminal, so the console becomes its
     * controlling terminal and its process group the foreground one.
     */
    public static TtyFile openForInit(Kernel kernel, Task init, HostTerminal term, int flags) {
        return start(kernel, term).open(init, flags);
    }

    /**
     * The host thread: waits while the guest's input is full, else reads what the user typed
     * and hands it to the line discipline. The host terminal's end of input hangs the console
     * up, as a line that lost its carrier.
     */
    private void readLoop() {
        byte[] buf = new byte[PORT_LIMIT];
        try {
            while (true) {
                int space;
                synchronized (tty.lock) {
                    while ((space = tty.port.space()) == 0) tty.lock.wait(POLL_MILLIS);
                }
                int n = term.read(buf, Math.min(space, buf.length), POLL_MILLIS);
                if (n < 0) {
                    TtyIo.hangup(tty, false);
                    return;
                }
                if (n > 0) tty.receive(buf, 0, n);
                Winsize ws = term.windowSize();
                if (ws != null) TtyIo.doResize(tty, ws);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            tty.kernel.log().once("console-read", "console: reading the host terminal failed: " + e);
            TtyIo.hangup(tty, false);
        }
    }

    /** The console driver: output goes straight to the host terminal. */
    private static final class Driver extends TtyDriver {
        private final HostTerminal term;

        Driver(HostTerminal term) {
            super("hvc", HVC_MAJOR, 0, Type.CONSOLE);
            this.term = term;
        }

        @Override
        public Ktermios initTermios() {
            return Ktermios.std();
        }

        @Override
        public int write(TtyStruct tty, byte[] b, int off, int len) {
            if (tty.stopped) return 0;
            try {
                term.write(b, off, len);
            } catch (IOException e) {
                // The host terminal is gone: the output is lost, as on a line that dropped.
                tty.kernel.log().once("console-write", "console: writing to the host terminal failed: " + e);
            }
            return len;
        }

        @Override
        public int writeRoom(TtyStruct tty) {
            return tty.stopped ? 0 : PORT_LIMIT;
        }

        /** The line discipline has room again: the host thread may read more. */
        @Override
        public void unthrottle(TtyStruct tty) {
            synchronized (tty.lock) {
                tty.lock.notifyAll();
            }
        }
    }
}
