package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Signal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.kava.abi.Termbits.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Controlling terminals and job control (drivers/tty/tty_jobctrl.c): a session leader, its
 * pty slave as controlling terminal, and a background job (a child in a process group of its
 * own, in the same session).
 */
class TtyJobCtrlTest {
    private TtyTestKit kit;
    private TtyTestKit.Proc leader, job;
    private TtyFile master, ctty;

    @BeforeEach
    void session() throws Exception {
        kit = new TtyTestKit();
        leader = kit.leader();
        master = kit.openMaster(leader);
        ctty = kit.openSlave(leader, master, 0);
        job = kit.process(leader, 0, leader.pid());
    }

    private int errno(TtyTestKit.Proc p, java.util.concurrent.Callable<?> body) throws Exception {
        return p.errnoOf(body);
    }

    @Test
    void openingATerminalMakesItTheSessionLeadersControllingTerminal() throws Exception {
        assertSame(ctty.tty, leader.group().tty);
        assertEquals(leader.pid(), leader.ioctlGetInt(ctty, Ioctls.TIOCGPGRP));
        assertEquals(leader.pid(), leader.ioctlGetInt(ctty, Ioctls.TIOCGSID));
        assertEquals(leader.pid(), leader.ioctlGetInt(master, Ioctls.TIOCGSID), "through the master too");
        TtyTestKit.Proc other = kit.leader();
        TtyFile mine = kit.openSlave(other, master, 0);
        assertNull(other.group().tty, "the terminal already belongs to a session");
        assertEquals(-Errno.ENOTTY, other.ioctlGetInt(mine, Ioctls.TIOCGPGRP), "not the caller's controlling terminal");
        assertEquals(-Errno.ENOTTY, other.ioctlGetInt(mine, Ioctls.TIOCGSID));
    }

    @Test
    void aBackgroundReaderGetsSigttin() throws Exception {
        job.group().tty = ctty.tty; // as fork would have passed it on
        assertEquals(Errno.ERESTARTSYS, errno(job, () -> ctty.read(job.task, new byte[10], 0, 10)));
        assertTrue(job.pending(Signal.SIGTTIN), "the whole background group is stopped");
        job.group().sharedPending.clear();
        job.ignoreSignal(Signal.SIGTTIN);
        assertEquals(Errno.EIO, errno(job, () -> ctty.read(job.task, new byte[10], 0, 10)));
    }

    @Test
    void anOrphanedBackgroundGroupReadsEio() throws Exception {
        TtyTestKit.Proc orphan = kit.process(null, 0, leader.pid());
        orphan.group().tty = ctty.tty;
        assertEquals(Errno.EIO, errno(orphan, () -> ctty.read(orphan.task, new byte[10], 0, 10)));
        assertFalse(orphan.pending(Signal.SIGTTIN), "nobody could continue it");
    }

    @Test
    void tostopStopsBackgroundWriters() throws Exception {
        job.group().tty = ctty.tty;
        assertEquals(2, job.write(ctty, "ok"));
        TtyTestKit.setTermios(ctty, k -> k.lflag |= TOSTOP);
        assertEquals(Errno.ERESTARTSYS, errno(job, () -> ctty.write(job.task, new byte[]{'x'}, 0, 1)));
        assertTrue(job.pending(Signal.SIGTTOU));
        job.group().sharedPending.clear();
        job.task.blocked |= Signal.bit(Signal.SIGTTOU);
        assertEquals(1, job.write(ctty, "x"), "a blocked SIGTTOU lets the write through");
    }

    @Test
    void aBackgroundTcsetattrGetsSigttou() throws Exception {
        job.group().tty = ctty.tty;
        byte[] t = ctty.tty.termios().toTermios();
        assertEquals(Errno.ERESTARTSYS, (int) -job.ioctlBytes(ctty, Ioctls.TCSETS, t));
        assertTrue(job.pending(Signal.SIGTTOU));
        assertEquals(0, job.call(() -> ctty.ioctl(job.task, Ioctls.TCGETS, TtyTestKit.SCRATCH)), "reading is fine");
    }

    @Test
    void tiocspgrpMovesTheForegroundWithinTheSession() throws Exception {
        assertEquals(0, leader.ioctlInt(ctty, Ioctls.TIOCSPGRP, job.pid()));
        assertEquals(job.pid(), leader.ioctlGetInt(ctty, Ioctls.TIOCGPGRP));
        job.group().tty = ctty.tty;
        leader.write(master, "hi\n");
        assertEquals("hi\n", job.read(ctty, 10));
        assertEquals(-Errno.ESRCH, job.ioctlInt(ctty, Ioctls.TIOCSPGRP, 99999));
        assertEquals(-Errno.EINVAL, job.ioctlInt(ctty, Ioctls.TIOCSPGRP, -1));
        TtyTestKit.Proc stranger = kit.leader();
        assertEquals(-Errno.EPERM, job.ioctlInt(ctty, Ioctls.TIOCSPGRP, stranger.pid()), "another session's group");
        TtyFile notMine = kit.openSlave(stranger, master, Fcntl.O_NOCTTY);
        assertEquals(-Errno.ENOTTY, stranger.ioctlInt(notMine, Ioctls.TIOCSPGRP, stranger.pid()));
    }

    @Test
    void aBackgroundTiocspgrpGetsSigttou() throws Exception {
        job.group().tty = ctty.tty;
        assertEquals(-Errno.ERESTARTSYS, job.ioctlInt(ctty, Ioctls.TIOCSPGRP, job.pid()));
        assertTrue(job.pending(Signal.SIGTTOU));
    }

    @Test
    void tiocscttyNeedsALeaderWithoutATerminalAndStealsOnlyWhenAsked() throws Exception {
        TtyTestKit.Proc other = kit.leader();
        TtyFile f = kit.openSlave(other, master, Fcntl.O_NOCTTY);
        assertEquals(-Errno.EPERM, other.call(() -> f.ioctl(other.task, Ioctls.TIOCSCTTY, 0)), "it is taken");
        assertEquals(-Errno.EPERM, job.call(() -> ctty.ioctl(job.task, Ioctls.TIOCSCTTY, 0)), "not a session leader");
        assertEquals(0, other.call(() -> f.ioctl(other.task, Ioctls.TIOCSCTTY, 1)), "root may steal it");
        assertSame(ctty.tty, other.group().tty);
        assertNull(leader.group().tty);
        assertEquals(other.pid(), other.ioctlGetInt(f, Ioctls.TIOCGSID));
    }

    @Test
    void tiocnottyHangsUpTheForegroundGroup() throws Exception {
        leader.catchSignal(Signal.SIGHUP);
        leader.catchSignal(Signal.SIGCONT);
        assertEquals(-Errno.ENOTTY, job.call(() -> ctty.ioctl(job.task, Ioctls.TIOCNOTTY, 0)), "not its terminal");
        assertEquals(0, leader.call(() -> ctty.ioctl(leader.task, Ioctls.TIOCNOTTY, 0)));
        assertTrue(leader.pending(Signal.SIGHUP));
        assertTrue(leader.pending(Signal.SIGCONT));
        assertNull(leader.group().tty);
        assertEquals(0, ctty.tty.session());
        assertEquals(0, ctty.tty.foregroundPgrp());
    }

    @Test
    void aSessionLeaderExitingHangsUpItsForegroundGroup() throws Exception {
        leader.ioctlInt(ctty, Ioctls.TIOCSPGRP, job.pid());
        job.group().tty = ctty.tty;
        job.catchSignal(Signal.SIGHUP);
        job.catchSignal(Signal.SIGCONT);
        TtyJobCtrl.disassociateCtty(leader.group(), true);
        assertTrue(job.pending(Signal.SIGHUP));
        assertFalse(job.pending(Signal.SIGCONT), "on exit, a pty's foreground group gets SIGHUP alone");
        assertNull(job.group().tty, "the whole session loses the terminal");
        assertEquals(0, ctty.tty.session());
    }

    @Test
    void theControllingTerminalOutlivesItsFilesUntilTheMasterCloses() throws Exception {
        leader.catchSignal(Signal.SIGHUP);
        leader.call(() -> {
            ctty.release();
            return null;
        });
        assertSame(ctty.tty, leader.group().tty, "the master still holds the slave (its count is not 0)");
        leader.call(() -> {
            master.release();
            return null;
        });
        assertNull(leader.group().tty);
    }
}
