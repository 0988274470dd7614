package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Poll;
import dev.kava.abi.Signal;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.ExitStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.kava.abi.Termbits.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pseudo-terminal pairs (drivers/tty/pty.c), as Linux 6.18 behaves on the host. */
class PtyTest {
    private TtyTestKit kit;
    private TtyTestKit.Proc p;

    @BeforeEach
    void kernel() throws Exception {
        kit = new TtyTestKit();
        p = kit.leader();
    }

    private TtyFile master() throws Exception {
        return p.call(() -> Pty.openMaster(p.task, kit.devpts, Fcntl.O_RDWR | Fcntl.O_NOCTTY, null));
    }

    private TtyFile slave(TtyFile master) throws Exception {
        return p.call(() -> Pty.openSlave(p.task, master.tty.link, Fcntl.O_RDWR | Fcntl.O_NOCTTY, null));
    }

    private int poll(TtyFile f) throws Exception {
        return p.call(() -> f.poll(p.task));
    }

    private static void makeRaw(TtyFile f) {
        TtyTestKit.setTermios(f, k -> {
            k.iflag = 0;
            k.oflag = 0;
            k.lflag = 0;
            k.cc[VMIN] = 1;
            k.cc[VTIME] = 0;
        });
    }

    @Test
    void theSlaveIsLockedUntilTheMasterUnlocksIt() throws Exception {
        TtyFile m = master();
        assertEquals(1, p.ioctlGetInt(m, Ioctls.TIOCGPTLCK));
        assertEquals(Errno.EIO, p.errnoOf(() -> Pty.openSlave(p.task, m.tty.link, Fcntl.O_RDWR, null)));
        assertEquals(0, p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0));
        assertEquals(0, p.ioctlGetInt(m, Ioctls.TIOCGPTLCK));
        assertNotNull(slave(m));
    }

    @Test
    void numbersAreTheLowestFreeAndReusedOnlyWhenBothSidesAreClosed() throws Exception {
        TtyFile m0 = master(), m1 = master();
        assertEquals(0, p.ioctlGetInt(m0, Ioctls.TIOCGPTN));
        assertEquals(1, p.ioctlGetInt(m1, Ioctls.TIOCGPTN));
        assertSame(m1.tty.link, kit.devpts.lookupSlave(1));
        p.ioctlInt(m0, Ioctls.TIOCSPTLCK, 0);
        TtyFile s0 = slave(m0);
        assertEquals(-Errno.ENOTTY, p.ioctlGetInt(s0, Ioctls.TIOCGPTN), "the slave has no number ioctl");
        p.call(() -> {
            m0.release();
            return null;
        });
        assertNull(kit.devpts.lookupSlave(0), "/dev/pts/0 goes away with its master");
        assertTrue(kit.devpts.inUse(0), "the number stays taken while the slave is open");
        assertEquals(2, p.ioctlGetInt(master(), Ioctls.TIOCGPTN), "the next pair gets 2");
        p.call(() -> {
            s0.release();
            return null;
        });
        assertEquals(0, p.ioctlGetInt(master(), Ioctls.TIOCGPTN), "0 is free again");
    }

    @Test
    void statShowsTheNodes() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = slave(m);
        assertEquals(Stat.encodeDev(5, 2), m.stat().rdev());
        assertEquals(Stat.S_IFCHR | 0666, m.stat().mode());
        assertEquals(Stat.encodeDev(136, 0), s.stat().rdev());
        assertEquals(Stat.S_IFCHR | 0620, s.stat().mode());
        assertEquals((int) Stat.encodeDev(136, 0), p.ioctlGetInt(m, Ioctls.TIOCGDEV), "the master names its slave");
    }

    @Test
    void closingTheMasterHangsTheSlaveUp() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = p.call(() -> Pty.openSlave(p.task, m.tty.link, Fcntl.O_RDWR, null));
        assertSame(s.tty, p.group().tty, "a session leader opening a terminal gets it as controlling terminal");
        TtyTestKit.Proc other = kit.leader();
        other.call(() -> {
            m.release();
            return null;
        });
        assertEquals(ExitStatus.killed(Signal.SIGHUP), p.group().exitStatus(), "the session leader gets SIGHUP");
        assertNull(p.group().tty);
        assertEquals("", other.read(s, 10), "a hung-up terminal reads end of file");
        assertEquals(Errno.EIO, other.errnoOf(() -> s.write(other.task, new byte[]{'x'}, 0, 1)));
        int hungUp = Poll.POLLIN | Poll.POLLOUT | Poll.POLLERR | Poll.POLLHUP | Poll.POLLRDNORM | Poll.POLLWRNORM;
        assertEquals(hungUp, other.call(() -> s.poll(other.task)));
        assertEquals(-Errno.EIO, other.ioctlGetInt(s, Ioctls.TIOCGPGRP));
        assertEquals(-Errno.ENOTTY, other.ioctlInt(s, Ioctls.TIOCSPGRP, 1));
    }

    @Test
    void closingEverySlaveMakesTheMasterReadEioAfterTheData() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = slave(m);
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM, poll(m));
        makeRaw(s);
        p.write(s, "data");
        p.call(() -> {
            s.release();
            return null;
        });
        assertEquals(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLHUP, poll(m));
        assertEquals("data", p.read(m, 10));
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLHUP, poll(m));
        assertEquals(Errno.EIO, p.errnoOf(() -> m.read(p.task, new byte[10], 0, 10)));
        assertEquals(2, p.write(m, "zz"), "writing to the master still works");
        TtyFile again = slave(m);
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM, poll(m), "a new slave open ends the hangup");
        assertNotNull(again);
    }

    @Test
    void aPairBuffersTheLineDisciplinePlusTheFlipBuffer() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = slave(m);
        makeRaw(s);
        m.setStatusFlags(m.flags() | Fcntl.O_NONBLOCK);
        int total = p.call(() -> {
            int n = 0;
            byte[] b = new byte[1000];
            try {
                while (true) n += m.write(p.task, b, 0, b.length);
            } catch (ErrnoException e) {
                assertEquals(Errno.EAGAIN, e.errno);
            }
            return n;
        });
        assertEquals(NTty.N_TTY_BUF_SIZE - 1 + Pty.PORT_LIMIT, total);
        assertEquals(4095, p.ioctlGetInt(s, Ioctls.FIONREAD));
        assertEquals(4095, p.read(s, 10000).length());
        assertEquals(4095, p.read(s, 10000).length(), "the queued bytes move in as the reader makes room");
    }

    @Test
    void packetModePrefixesDataAndReportsFlushes() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = slave(m);
        assertEquals(0, p.ioctlInt(m, Ioctls.TIOCPKT, 1));
        assertEquals(1, p.ioctlGetInt(m, Ioctls.TIOCGPKT));
        p.write(s, "hi");
        assertEquals("\0hi", p.read(m, 10));
        p.call(() -> s.ioctl(p.task, Ioctls.TCFLSH, TCIOFLUSH));
        assertTrue((poll(m) & Poll.POLLPRI) != 0);
        assertEquals("\u0003", p.read(m, 10), "TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE");
    }

    @Test
    void tiocgptpeerOpensTheSlaveOnANewDescriptor() throws Exception {
        TtyFile m = master();
        assertEquals(Errno.EIO, p.errnoOf(() -> m.ioctl(p.task, Ioctls.TIOCGPTPEER, Fcntl.O_RDWR | Fcntl.O_NOCTTY)),
                "still locked");
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        long fd = p.call(() -> m.ioctl(p.task, Ioctls.TIOCGPTPEER, Fcntl.O_RDWR | Fcntl.O_NOCTTY | Fcntl.O_CLOEXEC));
        assertEquals(0, fd);
        TtyFile s = (TtyFile) p.group().files.get((int) fd);
        assertSame(m.tty.link, s.tty);
        assertTrue(p.group().files.closeOnExec((int) fd));
        p.write(m, "x\n");
        assertEquals("x\n", p.read(s, 10));
    }

    @Test
    void windowSizeLivesOnTheSlaveAndChangesSignalItsForegroundGroup() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = p.call(() -> Pty.openSlave(p.task, m.tty.link, Fcntl.O_RDWR, null));
        p.catchSignal(Signal.SIGWINCH);
        byte[] ws = new Winsize(30, 100, 0, 0).toBytes();
        assertEquals(0, p.ioctlBytes(m, Ioctls.TIOCSWINSZ, ws));
        assertTrue(p.pending(Signal.SIGWINCH));
        p.call(() -> s.ioctl(p.task, Ioctls.TIOCGWINSZ, TtyTestKit.SCRATCH));
        assertEquals(new Winsize(30, 100, 0, 0), Winsize.fromBytes(p.scratch(8)));
    }

    @Test
    void termiosRequestsOnTheMasterActOnTheSlave() throws Exception {
        TtyFile m = master();
        p.ioctlInt(m, Ioctls.TIOCSPTLCK, 0);
        TtyFile s = slave(m);
        assertEquals(0, p.call(() -> m.ioctl(p.task, Ioctls.TCGETS, TtyTestKit.SCRATCH)));
        Ktermios k = new Ktermios();
        k.setFromTermios(p.scratch(TERMIOS_SIZE));
        assertEquals(s.tty.termios().lflag, k.lflag);
        k.lflag &= ~ECHO;
        k.cflag |= PARENB;
        assertEquals(0, p.ioctlBytes(m, Ioctls.TCSETS, k.toTermios()));
        assertEquals(0, s.tty.termios().lflag & ECHO);
        assertEquals(0, s.tty.termios().cflag & PARENB, "pty_set_termios: no parity on a pty");
        assertEquals(0, p.call(() -> s.ioctl(p.task, Ioctls.TCGETS2, TtyTestKit.SCRATCH)));
        assertEquals(38400, dev.kava.kernel.Uaccess.getInt(p.scratch(TERMIOS2_SIZE), C_OSPEED));
    }

    @Test
    void unknownRequestsAreEnotty() throws Exception {
        TtyFile m = master();
        assertEquals(-Errno.ENOTTY, p.call(() -> m.ioctl(p.task, 0x54ff, 0)));
        assertEquals(-Errno.ENOTTY, p.call(() -> m.ioctl(p.task, Ioctls.TIOCMGET, TtyTestKit.SCRATCH)));
        assertEquals(-Errno.EINVAL, p.ioctlInt(m, Ioctls.TIOCSETD, 5), "only N_TTY exists");
        assertEquals(0, p.ioctlInt(m, Ioctls.TIOCSETD, N_TTY));
        assertEquals(-Errno.EINVAL, p.call(() -> m.ioctl(p.task, Ioctls.TCXONC, 9)));
        assertEquals(-Errno.EINVAL, p.call(() -> m.ioctl(p.task, Ioctls.TIOCSIG, Signal.SIGKILL)));
        assertThrows(ErrnoException.class, () -> p.call(() -> m.ioctl(p.task, Ioctls.TCGETS, 0x99990000L)));
    }
}
