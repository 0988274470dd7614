package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Poll;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import static dev.kava.abi.Termbits.*;

/**
 * Unix98 pseudo-terminals (drivers/tty/pty.c): a master and a slave tty joined back to back,
 * what is written to one being received by the other. Opening /dev/ptmx makes a pair
 * ({@link #openMaster}); the slave is then opened by number through devpts
 * ({@link #openSlave}) or from the master (TIOCGPTPEER). The slave starts locked
 * (TIOCSPTLCK). Closing the master hangs the slave up; once every slave file is closed, the
 * master reads EIO (after what was buffered) and polls POLLHUP.
 */
public final class Pty {
    private Pty() {}

    /** UNIX98_PTY_MASTER_MAJOR (include/uapi/linux/major.h; devices.txt: 128-135 char, Unix98 PTY masters). */
    public static final int MASTER_MAJOR = 128;
    /** UNIX98_PTY_SLAVE_MAJOR (136-143 char, Unix98 PTY slaves: /dev/pts/N is 136:N). */
    public static final int SLAVE_MAJOR = 136;
    /** TTYAUX_MAJOR (5 char, alternate TTY devices): /dev/ptmx is 5:2. */
    public static final int TTYAUX_MAJOR = 5;
    public static final int PTMX_MINOR = 2;
    /** tty_buffer_set_limit(port, 8192) in pty_common_install: bytes queued for a side beyond its line discipline. */
    static final int PORT_LIMIT = 8192;
    /** The gid of /dev/pts nodes: the "tty" group, as devpts is mounted with gid=5,mode=620. */
    private static final int TTY_GID = 5;

    static final Driver MASTER = new Driver("ptm", MASTER_MAJOR, TtyDriver.Type.PTY_MASTER);
    static final Driver SLAVE = new Driver("pts", SLAVE_MAJOR, TtyDriver.Type.PTY_SLAVE);

    /**
     * ptmx_open: a new pty pair numbered in fsi, its slave locked; returns the master's open
     * file. node is how stat() shows it (the /dev/ptmx inode), or null for 5:2, crw-rw-rw-.
     */
    public static TtyFile openMaster(Task t, Devpts fsi, int flags, TtyFile.Node node) {
        int index = fsi.newIndex();
        Object lock = new Object();
        TtyStruct master = new TtyStruct(t.kernel, MASTER, index, lock, PORT_LIMIT);
        TtyStruct slave = new TtyStruct(t.kernel, SLAVE, index, lock, PORT_LIMIT);
        if (node == null) {
            node = new TtyFile.Node(Stat.encodeDev(0, 5), 2, Stat.S_IFCHR | 0666, 0, TTY_GID,
                    Stat.encodeDev(TTYAUX_MAJOR, PTMX_MINOR));
        }
        TtyFile file = new TtyFile(master, TtyIo.fileFlags(flags), node);
        synchronized (lock) {
            // pty_common_install: the pair, each counting one reference (the master's file, the master).
            master.link = slave;
            slave.link = master;
            master.devpts = fsi;
            slave.devpts = fsi;
            master.count = 1;
            slave.count = 1;
            master.files.add(file);
            master.ptyLock = true;
            fsi.add(index, slave);
            MASTER.open(master, file);
        }
        return file;
    }

    /**
     * Opens the slave of a pair (tty_open through /dev/pts/N): EIO while the slave is locked or
     * its master is closed. Without O_NOCTTY a session leader with no controlling terminal gets
     * it. node is how stat() shows it, or null for 136:N, crw--w----, group tty.
     */
    public static TtyFile openSlave(Task t, TtyStruct slave, int flags, TtyFile.Node node) {
        if (slave.driver != SLAVE) throw ErrnoException.of(Errno.EIO);
        if (node == null) node = slaveNode(slave);
        TtyFile file = new TtyFile(slave, TtyIo.fileFlags(flags), node);
        TtyIo.open(t, file, (flags & Fcntl.O_NOCTTY) != 0);
        return file;
    }

    /** What a /dev/pts/N node looks like: devpts numbers the inode N + 3. */
    static TtyFile.Node slaveNode(TtyStruct slave) {
        return new TtyFile.Node(Stat.encodeDev(0, 24), slave.index + 3L, Stat.S_IFCHR | 0620, 0, TTY_GID,
                SLAVE.devnum(slave));
    }

    /**
     * ptm_open_peer (TIOCGPTPEER): opens the slave of the master file and installs it at the
     * lowest free descriptor; flags are the open flags (O_RDWR, O_NOCTTY, O_CLOEXEC...).
     */
    static long openPeer(Task t, TtyFile masterFile, int flags) {
        TtyStruct tty = masterFile.tty;
        if (tty.driver != MASTER) return -Errno.EIO;
        long limit = t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
        if (t.group.files.lowestFree(limit) < 0) return -Errno.EMFILE;
        TtyFile slave = openSlave(t, tty.link, flags, null);
        try {
            return t.group.files.install(slave, (flags & Fcntl.O_CLOEXEC) != 0, 0, limit);
        } catch (ErrnoException e) {
            slave.release();
            throw e;
        }
    }

    /** The pty driver: both sides, told apart by type. */
    static final class Driver extends TtyDriver {
        Driver(String name, int major, Type type) {
            super(name, major, 0, type);
        }

        /** init_termios: the slave starts cooked; the master raw (it only passes bytes through). */
        @Override
        public Ktermios initTermios() {
            Ktermios k = Ktermios.std();
            k.cflag = B38400 | CS8 | CREAD;
            if (type == Type.PTY_MASTER) {
                k.iflag = 0;
                k.oflag = 0;
                k.lflag = 0;
            }
            return k;
        }

        /** pty_write: what one side writes is received by the other, as far as its buffer has room. */
        @Override
        public int write(TtyStruct tty, byte[] b, int off, int len) {
            if (tty.stopped || len == 0) return 0;
            return tty.link.receive(b, off, len);
        }

        /** pty_write_room: the room in the other side's input. */
        @Override
        public int writeRoom(TtyStruct tty) {
            if (tty.stopped) return 0;
            return tty.link.port.space();
        }

        /** pty_unthrottle: this side read some input, so the other side may write again. */
        @Override
        public void unthrottle(TtyStruct tty) {
            tty.link.wakeup();
        }

        /** pty_flush_buffer: output already sits in the other side's queue; discard it there. */
        @Override
        public void flushBuffer(TtyStruct tty) {
            TtyStruct to = tty.link;
            if (to == null) return;
            to.port.flush();
            if (to.packet) {
                tty.pktStatus |= Ioctls.TIOCPKT_FLUSHWRITE;
                to.readWait.wakeAll(Poll.POLLIN | Poll.POLLPRI);
            }
        }

        @Override
        public boolean hasSetTermios() {
            return type == Type.PTY_SLAVE;
        }

        /** pty_set_termios (slave): tells a packet-mode master about flow control changes; always 8 bits, no parity. */
        @Override
        public void setTermios(TtyStruct tty, Ktermios old) {
            if (type != Type.PTY_SLAVE) {
                super.setTermios(tty, old);
                return;
            }
            if (tty.link != null && tty.link.packet) {
                int extproc = (old.lflag & EXTPROC) | (tty.termios.lflag & EXTPROC);
                boolean oldFlow = (old.iflag & IXON) != 0 && old.cc(VSTOP) == 023 && old.cc(VSTART) == 021;
                boolean newFlow = (tty.termios.iflag & IXON) != 0 && tty.termios.cc(VSTOP) == 023
                        && tty.termios.cc(VSTART) == 021;
                if (oldFlow != newFlow || extproc != 0) {
                    if (oldFlow != newFlow) {
                        tty.pktStatus &= ~(Ioctls.TIOCPKT_DOSTOP | Ioctls.TIOCPKT_NOSTOP);
                        tty.pktStatus |= newFlow ? Ioctls.TIOCPKT_DOSTOP : Ioctls.TIOCPKT_NOSTOP;
                    }
                    if (extproc != 0) tty.pktStatus |= Ioctls.TIOCPKT_IOCTL;
                    tty.link.readWait.wakeAll(Poll.POLLIN | Poll.POLLPRI);
                }
            }
            tty.termios.cflag &= ~(CSIZE | PARENB);
            tty.termios.cflag |= CS8 | CREAD;
        }

        /** pty_start / pty_stop (slave): a packet-mode master learns that output stopped or restarted. */
        @Override
        public void start(TtyStruct tty) {
            if (type == Type.PTY_SLAVE && tty.link != null && tty.link.packet) {
                tty.pktStatus &= ~Ioctls.TIOCPKT_STOP;
                tty.pktStatus |= Ioctls.TIOCPKT_START;
                tty.link.readWait.wakeAll(Poll.POLLIN);
            }
        }

        @Override
        public void stop(TtyStruct tty) {
            if (type == Type.PTY_SLAVE && tty.link != null && tty.link.packet) {
                tty.pktStatus &= ~Ioctls.TIOCPKT_START;
                tty.pktStatus |= Ioctls.TIOCPKT_STOP;
                tty.link.readWait.wakeAll(Poll.POLLIN);
            }
        }

        /**
         * pty_open: the slave opens only while its master is open and unlocked; the side opened
         * is usable again and the other side no longer sees it closed.
         */
        @Override
        public void open(TtyStruct tty, TtyFile file) {
            boolean refuse = tty.otherClosed || tty.link.ptyLock
                    || (type == Type.PTY_SLAVE && tty.link.count != 1);
            if (refuse) {
                tty.ioError = true;
                throw ErrnoException.of(Errno.EIO);
            }
            tty.ioError = false;
            tty.link.otherClosed = false;
        }

        /**
         * pty_close: on the last close of a side, the other side sees it closed. Closing the
         * master also removes /dev/pts/N and hangs the slave up.
         */
        @Override
        public void close(TtyStruct tty, TtyFile file) {
            if (type == Type.PTY_SLAVE) {
                if (tty.ioError) return;
                // The count includes the master's reference: more than two means other slave files remain.
                if (tty.count > 2) return;
            }
            tty.ioError = true;
            tty.readWait.wakeAll(Poll.POLLIN);
            tty.writeWait.wakeAll(Poll.POLLOUT);
            tty.packet = false;
            if (tty.link == null) return;
            tty.link.otherClosed = true;
            tty.link.readWait.wakeAll(Poll.POLLIN | Poll.POLLHUP);
            tty.link.writeWait.wakeAll(Poll.POLLOUT);
            if (type == Type.PTY_MASTER) {
                tty.otherClosed = true;
                if (tty.devpts != null) tty.devpts.kill(tty.index);
                TtyIo.hangup(tty.link, false);
            }
        }

        /** pty_unix98_remove: both sides are closed; the number may be used again. */
        @Override
        public void remove(TtyStruct tty) {
            if (tty.devpts != null) tty.devpts.killIndex(tty.index);
        }

        /** pty_unix98_ioctl: the master's own requests. */
        @Override
        public long ioctl(TtyStruct tty, Task t, TtyFile file, int cmd, long arg) {
            if (type != Type.PTY_MASTER) return -Errno.ENOIOCTLCMD;
            switch (cmd) {
                case Ioctls.TIOCSPTLCK -> {
                    int val = t.mem.read32(arg);
                    tty.ptyLock = val != 0;
                    return 0;
                }
                case Ioctls.TIOCGPTLCK -> {
                    t.mem.write32(arg, tty.ptyLock ? 1 : 0);
                    return 0;
                }
                case Ioctls.TIOCPKT -> {
                    int pktmode = t.mem.read32(arg);
                    if (pktmode != 0) {
                        if (!tty.packet) {
                            tty.link.pktStatus = 0;
                            tty.packet = true;
                        }
                    } else {
                        tty.packet = false;
                    }
                    return 0;
                }
                case Ioctls.TIOCGPKT -> {
                    t.mem.write32(arg, tty.packet ? 1 : 0);
                    return 0;
                }
                case Ioctls.TIOCGPTN -> {
                    t.mem.write32(arg, tty.index);
                    return 0;
                }
                case Ioctls.TIOCSIG -> {
                    // pty_signal: INTR, QUIT or SUSP for the slave's foreground process group.
                    int sig = (int) arg;
                    if (sig != Signal.SIGINT && sig != Signal.SIGQUIT && sig != Signal.SIGTSTP) return -Errno.EINVAL;
                    if (tty.link.pgrp != 0) TtyJobCtrl.killPgrp(tty.kernel, tty.link.pgrp, sig);
                    return 0;
                }
                default -> {
                    return -Errno.ENOIOCTLCMD;
                }
            }
        }
    }
}
