package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Poll;
import dev.kava.abi.Signal;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.BitSet;

import static dev.kava.abi.Termbits.*;

/**
 * The N_TTY line discipline (drivers/tty/n_tty.c): turns the bytes a terminal receives into
 * what read() returns. In canonical mode (ICANON) input is edited a line at a time (ERASE,
 * WERASE, KILL, LNEXT, REPRINT; EOF, EOL, EOL2 end a line) and read returns at most one line;
 * otherwise read follows VMIN and VTIME. ISIG turns INTR, QUIT and SUSP into signals for the
 * foreground process group; IXON makes START and STOP control output; ECHO and friends echo
 * input back through {@link NTtyOutput}, which also post-processes output (OPOST).
 *
 * <p>The input buffer is Linux's 4096-byte ring, with a flag bit per byte marking line ends.
 * Everything here is guarded by the tty's lock; read and write drop it to sleep.
 */
final class NTty {
    /** N_TTY_BUF_SIZE: the input buffer, and the echo buffer, hold this many bytes. */
    static final int N_TTY_BUF_SIZE = 4096;
    private static final int MASK = N_TTY_BUF_SIZE - 1;
    /** WAKEUP_CHARS: poll reports POLLOUT only while fewer bytes than this await output. */
    private static final int WAKEUP_CHARS = 256;
    /** __DISABLED_CHAR: a control character set to 0 is off; EOF is queued as this byte. */
    private static final int DISABLED_CHAR = 0;
    /** HZ / 10: VTIME counts tenths of a second. */
    private static final long DECISECOND_NS = 100_000_000L;

    private final TtyStruct tty;
    final NTtyOutput out;

    private final byte[] readBuf = new byte[N_TTY_BUF_SIZE];
    /** A set bit marks a byte that ends a canonical line (newline, EOF, EOL, EOL2). */
    private final BitSet readFlags = new BitSet(N_TTY_BUF_SIZE);
    /**
     * Ring positions (size_t counters in Linux, masked on use): input is queued at readHead and
     * read from readTail; in canonical mode only bytes before canonHead (complete lines) are readable.
     */
    private long readHead, canonHead, readTail;
    /** The characters that need more than queuing, for the current termios. */
    private final BitSet charMap = new BitSet(256);
    private boolean lnext, erasing, raw, icanon;
    /** Held for a whole read() (atomic_read_lock): concurrent readers take turns. */
    private final TtyMutex readLock;

    NTty(TtyStruct tty) {
        this.tty = tty;
        this.out = new NTtyOutput(tty);
        this.readLock = new TtyMutex(tty.lock);
        setTermios(null);
    }

    /** n_tty_open: a fresh start (after a hangup killed the line discipline, the next open makes a new one). */
    void open() {
        resetBufferFlags();
        out.resetEchoes();
        out.column = out.canonColumn = 0;
        lnext = false;
        setTermios(null);
    }

    // ---- termios tests (the I_*, O_*, L_* macros) ----

    private boolean iflag(int f) {
        return (tty.termios.iflag & f) != 0;
    }

    private boolean lflag(int f) {
        return (tty.termios.lflag & f) != 0;
    }

    private boolean oflag(int f) {
        return (tty.termios.oflag & f) != 0;
    }

    private int cc(int i) {
        return tty.termios.cc(i);
    }

    private int readBuf(long i) {
        return readBuf[(int) (i & MASK)] & 0xff;
    }

    private void putTtyQueue(int c) {
        readBuf[(int) (readHead++ & MASK)] = (byte) c;
    }

    private long readCnt() {
        return readHead - readTail;
    }

    // ---- receiving ----

    /**
     * n_tty_receive_buf2: takes as many of count bytes as the buffer has room for and returns
     * how many that was. In canonical mode with no complete line a full buffer keeps taking
     * bytes, each overwriting the last one, so that ERASE and newline still work.
     */
    int receiveBuf(byte[] cp, int off, int count) {
        int rcvd = 0;
        boolean overflow = false;
        while (true) {
            long room = N_TTY_BUF_SIZE - (readHead - readTail);
            if (iflag(PARMRK)) room = (room + 2) / 3;
            room--;
            if (room <= 0) {
                overflow = icanon && canonHead == readTail;
                if (overflow && room < 0) readHead--;
                room = overflow ? 1 : 0;
            } else {
                overflow = false;
            }
            int n = (int) Math.min(count, room);
            if (n == 0) break;
            receive(cp, off, n);
            off += n;
            count -= n;
            rcvd += n;
        }
        if (tty.driver.isPty() && overflow) tty.driver.unthrottle(tty);
        return rcvd;
    }

    /** __receive_buf: count bytes that fit. */
    private void receive(byte[] cp, int off, int count) {
        boolean preops = iflag(ISTRIP) || (iflag(IUCLC) && lflag(IEXTEN));
        if (raw || (lflag(EXTPROC) && !preops)) {
            for (int i = 0; i < count; i++) putTtyQueue(cp[off + i] & 0xff);
        } else {
            for (int i = 0; i < count; i++) receiveStandard(cp[off + i] & 0xff);
            out.flushEchoes();
        }
        if (icanon && !lflag(EXTPROC)) return;
        if (readCnt() > 0) tty.readWait.wakeAll(Poll.POLLIN | Poll.POLLRDNORM);
    }

    /** One byte of n_tty_receive_buf_standard. */
    private void receiveStandard(int c) {
        if (lnext) {
            receiveCharLnext(c);
            return;
        }
        if (iflag(ISTRIP)) c &= 0x7f;
        if (iflag(IUCLC) && lflag(IEXTEN)) c = Ctype.toLower(c);
        if (lflag(EXTPROC)) {
            putTtyQueue(c);
            return;
        }
        if (charMap.get(c)) receiveCharSpecial(c);
        else receiveChar(c);
    }

    /** n_tty_receive_char_lnext: the character after LNEXT is taken literally. */
    private void receiveCharLnext(int c) {
        lnext = false;
        if (iflag(ISTRIP)) c &= 0x7f;
        if (iflag(IUCLC) && lflag(IEXTEN)) c = Ctype.toLower(c);
        receiveChar(c);
    }

    /** n_tty_receive_char: an ordinary character: echoed and queued. */
    private void receiveChar(int c) {
        if (tty.stopped && !tty.tcoStopped && iflag(IXON) && iflag(IXANY)) {
            tty.startTty();
            out.processEchoes();
        }
        if (lflag(ECHO)) {
            finishErasing();
            // The column of the first character of a line, for erasing tabs later.
            if (canonHead == readHead) out.setCanonCol();
            out.echoChar(c);
            out.commitEchoes();
        }
        if (c == 0xff && iflag(PARMRK)) putTtyQueue(c);
        putTtyQueue(c);
    }

    /** n_tty_receive_char_special: a character in the char map. */
    private void receiveCharSpecial(int c) {
        if (iflag(IXON) && (c == cc(VSTART) || c == cc(VSTOP))) {
            if (c == cc(VSTART)) {
                tty.startTty();
                out.processEchoes();
            } else {
                tty.stopTty();
            }
            return;
        }
        if (lflag(ISIG)) {
            if (c == cc(VINTR)) {
                receiveSignalChar(Signal.SIGINT, c);
                return;
            } else if (c == cc(VQUIT)) {
                receiveSignalChar(Signal.SIGQUIT, c);
                return;
            } else if (c == cc(VSUSP)) {
                receiveSignalChar(Signal.SIGTSTP, c);
                return;
            }
        }
        if (tty.stopped && !tty.tcoStopped && iflag(IXON) && iflag(IXANY)) {
            tty.startTty();
            out.processEchoes();
        }
        if (c == '\r') {
            if (iflag(IGNCR)) return;
            if (iflag(ICRNL)) c = '\n';
        } else if (c == '\n' && iflag(INLCR)) {
            c = '\r';
        }
        if (icanon && receiveCharCanon(c)) return;
        if (lflag(ECHO)) {
            finishErasing();
            if (c == '\n') {
                out.charRaw('\n');
            } else {
                if (canonHead == readHead) out.setCanonCol();
                out.echoChar(c);
            }
            out.commitEchoes();
        }
        if (c == 0xff && iflag(PARMRK)) putTtyQueue(c);
        putTtyQueue(c);
    }

    /** n_tty_receive_char_canon: line editing; returns false for a character to queue as usual. */
    private boolean receiveCharCanon(int c) {
        if (c == cc(VERASE) || c == cc(VKILL) || (c == cc(VWERASE) && lflag(IEXTEN))) {
            eraser(c);
            out.commitEchoes();
            return true;
        }
        if (c == cc(VLNEXT) && lflag(IEXTEN)) {
            lnext = true;
            if (lflag(ECHO)) {
                finishErasing();
                if (lflag(ECHOCTL)) {
                    // Shows ^ and backs up over it: the next character overwrites it.
                    out.charRaw('^');
                    out.charRaw('\b');
                    out.commitEchoes();
                }
            }
            return true;
        }
        if (c == cc(VREPRINT) && lflag(ECHO) && lflag(IEXTEN)) {
            finishErasing();
            out.echoChar(c);
            out.charRaw('\n');
            for (long tail = canonHead; (tail & MASK) != (readHead & MASK); tail++) out.echoChar(readBuf(tail));
            out.commitEchoes();
            return true;
        }
        if (c == '\n') {
            if (lflag(ECHO) || lflag(ECHONL)) {
                out.charRaw('\n');
                out.commitEchoes();
            }
            handleNewline(c);
            return true;
        }
        if (c == cc(VEOF)) {
            // EOF ends the line without being part of it: read() drops the marker.
            handleNewline(DISABLED_CHAR);
            return true;
        }
        if (c == cc(VEOL) || (c == cc(VEOL2) && lflag(IEXTEN))) {
            if (lflag(ECHO)) {
                if (canonHead == readHead) out.setCanonCol();
                out.echoChar(c);
                out.commitEchoes();
            }
            if (c == 0xff && iflag(PARMRK)) putTtyQueue(c);
            handleNewline(c);
            return true;
        }
        return false;
    }

    /** n_tty_receive_handle_newline: c completes a line, which readers may now take. */
    private void handleNewline(int c) {
        readFlags.set((int) (readHead & MASK));
        putTtyQueue(c);
        canonHead = readHead;
        tty.readWait.wakeAll(Poll.POLLIN | Poll.POLLRDNORM);
    }

    /** n_tty_receive_signal_char: INTR, QUIT or SUSP. */
    private void receiveSignalChar(int sig, int c) {
        isig(sig);
        if (iflag(IXON)) tty.startTty();
        if (lflag(ECHO)) {
            out.echoChar(c);
            out.commitEchoes();
        } else {
            out.processEchoes();
        }
    }

    /**
     * isig: signals the foreground process group; unless NOFLSH, also discards pending input,
     * pending echoes and output the driver has not sent yet.
     */
    private void isig(int sig) {
        int pgrp = tty.pgrp;
        if (pgrp != 0) TtyJobCtrl.killPgrp(tty.kernel, pgrp, sig);
        if (lflag(NOFLSH)) return;
        out.resetEchoes();
        tty.driverFlushBuffer();
        resetBufferFlags();
        if (tty.link != null) packetModeFlush();
    }

    /** finish_erasing: closes the \...\ of ECHOPRT erasing. */
    private void finishErasing() {
        if (erasing) {
            out.charRaw('/');
            erasing = false;
        }
    }

    /** eraser: ERASE (one character), WERASE (one word) or KILL (the line), with their echoes. */
    private void eraser(int c) {
        if (readHead == canonHead) return;
        final int ERASE = 0, WERASE = 1, KILL = 2;
        int killType;
        if (c == cc(VERASE)) {
            killType = ERASE;
        } else if (c == cc(VWERASE)) {
            killType = WERASE;
        } else {
            if (!lflag(ECHO)) {
                readHead = canonHead;
                return;
            }
            if (!lflag(ECHOK) || !lflag(ECHOKE) || !lflag(ECHOE)) {
                readHead = canonHead;
                finishErasing();
                out.echoChar(cc(VKILL));
                // A newline after the KILL character when ECHOK is on and ECHOKE off.
                if (lflag(ECHOK)) out.charRaw('\n');
                return;
            }
            killType = KILL;
        }
        int seenAlnums = 0;
        while ((readHead & MASK) != (canonHead & MASK)) {
            long head = readHead;
            // One character, all bytes of a UTF-8 sequence on an IUTF8 terminal.
            do {
                head--;
                c = readBuf(head);
            } while (isContinuation(c) && (head & MASK) != (canonHead & MASK));
            if (isContinuation(c)) break;
            if (killType == WERASE) {
                // BSD's ALTWERASE: a word is letters, digits and underscores.
                if (Ctype.isAlnum(c) || c == '_') seenAlnums++;
                else if (seenAlnums > 0) break;
            }
            long cnt = readHead - head;
            readHead = head;
            if (lflag(ECHO)) echoErase(c, cnt, head, killType == ERASE);
            if (killType == ERASE) break;
        }
        if (readHead == canonHead && lflag(ECHO)) finishErasing();
    }

    /** The echo of one erased character c, cnt bytes long, starting at head. */
    private void echoErase(int c, long cnt, long head, boolean plainErase) {
        if (lflag(ECHOPRT)) {
            if (!erasing) {
                out.charRaw('\\');
                erasing = true;
            }
            out.echoChar(c);
            while (--cnt > 0) {
                head++;
                out.charRaw(readBuf(head));
                out.moveBackCol();
            }
        } else if (plainErase && !lflag(ECHOE)) {
            out.echoChar(cc(VERASE));
        } else if (c == '\t') {
            // How far back the tab went: the columns since the line start or the previous tab.
            int numChars = 0;
            boolean afterTab = false;
            long tail = readHead;
            while ((tail & MASK) != (canonHead & MASK)) {
                tail--;
                int p = readBuf(tail);
                if (p == '\t') {
                    afterTab = true;
                    break;
                } else if (Ctype.isCntrl(p)) {
                    if (lflag(ECHOCTL)) numChars += 2;
                } else if (!isContinuation(p)) {
                    numChars++;
                }
            }
            out.eraseTab(numChars, afterTab);
        } else {
            if (Ctype.isCntrl(c) && lflag(ECHOCTL)) {
                out.charRaw('\b');
                out.charRaw(' ');
                out.charRaw('\b');
            }
            if (!Ctype.isCntrl(c) || lflag(ECHOCTL)) {
                out.charRaw('\b');
                out.charRaw(' ');
                out.charRaw('\b');
            }
        }
    }

    private boolean isContinuation(int c) {
        return iflag(IUTF8) && (c & 0xc0) == 0x80;
    }

    // ---- buffer state ----

    /** reset_buffer_flags. */
    private void resetBufferFlags() {
        readHead = canonHead = readTail = 0;
        erasing = false;
        readFlags.clear();
    }

    /** n_tty_packet_mode_flush: a master in packet mode learns that this side's input was flushed. */
    private void packetModeFlush() {
        if (tty.link.packet) {
            tty.pktStatus |= Ioctls.TIOCPKT_FLUSHREAD;
            tty.link.readWait.wakeAll(Poll.POLLIN | Poll.POLLPRI);
        }
    }

    /** n_tty_flush_buffer (TCIFLUSH, TCSETSF, hangup): discards all pending input. */
    void flushBuffer() {
        resetBufferFlags();
        tty.flushToLdisc();
        if (tty.link != null) packetModeFlush();
    }

    /**
     * n_tty_set_termios: the termios changed from old (null when opening). Switching ICANON
     * turns pending raw input into one line or pending lines into raw input; the char map is
     * recomputed; stopped output restarts when IXON goes away.
     */
    void setTermios(Ktermios old) {
        if (old == null || ((old.lflag ^ tty.termios.lflag) & (ICANON | EXTPROC)) != 0) {
            readFlags.clear();
            if (!lflag(ICANON) || readCnt() == 0) {
                canonHead = readTail;
            } else {
                // Raw input pending when ICANON comes on becomes one line.
                readFlags.set((int) ((readHead - 1) & MASK));
                canonHead = readHead;
            }
            erasing = false;
            lnext = false;
        }
        icanon = lflag(ICANON);
        if (iflag(ISTRIP) || iflag(IUCLC) || iflag(IGNCR) || iflag(ICRNL) || iflag(INLCR) || lflag(ICANON)
                || iflag(IXON) || lflag(ISIG) || lflag(ECHO) || iflag(PARMRK)) {
            charMap.clear();
            if (iflag(IGNCR) || iflag(ICRNL)) charMap.set('\r');
            if (iflag(INLCR)) charMap.set('\n');
            if (lflag(ICANON)) {
                charMap.set(cc(VERASE));
                charMap.set(cc(VKILL));
                charMap.set(cc(VEOF));
                charMap.set('\n');
                charMap.set(cc(VEOL));
                if (lflag(IEXTEN)) {
                    charMap.set(cc(VWERASE));
                    charMap.set(cc(VLNEXT));
                    charMap.set(cc(VEOL2));
                    if (lflag(ECHO)) charMap.set(cc(VREPRINT));
                }
            }
            if (iflag(IXON)) {
                charMap.set(cc(VSTART));
                charMap.set(cc(VSTOP));
            }
            if (lflag(ISIG)) {
                charMap.set(cc(VINTR));
                charMap.set(cc(VQUIT));
                charMap.set(cc(VSUSP));
            }
            charMap.clear(DISABLED_CHAR);
            raw = false;
        } else {
            raw = true;
        }
        // Output stopped by STOP would hang forever once IXON is off.
        if (!iflag(IXON) && old != null && (old.iflag & IXON) != 0 && !tty.tcoStopped) {
            tty.startTty();
            out.processEchoes();
        }
        tty.writeWait.wakeAll();
        tty.readWait.wakeAll();
    }

    /**
     * input_available_p: a complete line (canonical mode) or at least one byte; for poll,
     * VMIN bytes when VMIN is set and VTIME is not.
     */
    boolean inputAvailable(boolean forPoll) {
        int amt = forPoll && cc(VTIME) == 0 && cc(VMIN) != 0 ? cc(VMIN) : 1;
        if (icanon && !lflag(EXTPROC)) return canonHead != readTail;
        return readCnt() >= amt;
    }

    // ---- reading ----

    /** copy_from_read_buf: raw mode, as many bytes as there are, up to nr. */
    private int copyFromReadBuf(byte[] kb, int off, int nr) {
        int n = (int) Math.min(readCnt(), nr);
        for (int i = 0; i < n; i++) kb[off + i] = readBuf[(int) ((readTail + i) & MASK)];
        readTail += n;
        return n;
    }

    /**
     * canon_copy_from_read_buf: at most one line, up to nr bytes; the EOF marker that ends a
     * line is consumed but not copied. Returns the bytes copied; found[0] tells whether the
     * line end was reached.
     */
    private int canonCopyFromReadBuf(byte[] kb, int off, int nr, boolean[] found) {
        long n = Math.min(nr, canonHead - readTail);
        long eol = -1;
        for (long i = 0; i < n; i++) {
            if (readFlags.get((int) ((readTail + i) & MASK))) {
                eol = readTail + i;
                break;
            }
        }
        found[0] = eol >= 0;
        long c = found[0] ? eol - readTail + 1 : n;
        long copy = found[0] && readBuf(eol) == DISABLED_CHAR ? c - 1 : c;
        for (int i = 0; i < copy; i++) kb[off + i] = readBuf[(int) ((readTail + i) & MASK)];
        if (found[0]) readFlags.clear((int) (eol & MASK));
        readTail += c;
        return (int) copy;
    }

    /** canon_skip_eof: a read that filled the buffer right before an EOF marker consumes it too. */
    private void canonSkipEof() {
        if (readTail == canonHead) return;
        int tail = (int) (readTail & MASK);
        if (!readFlags.get(tail) || readBuf(readTail) != DISABLED_CHAR) return;
        readFlags.clear(tail);
        readTail++;
    }

    /**
     * n_tty_read. Canonical mode: blocks for a complete line and returns it (or as much as fits).
     * Otherwise, with VMIN = MIN and VTIME = TIME (tenths of a second): MIN > 0, TIME = 0 waits
     * for MIN bytes; MIN > 0, TIME > 0 waits for the first byte, then until MIN bytes or TIME
     * without a new one; MIN = 0, TIME > 0 waits up to TIME for any byte; MIN = TIME = 0 never
     * waits. A background process group gets SIGTTIN first (tty_check_change).
     */
    int read(Task t, TtyFile file, byte[] kb, int off, int nr) {
        int jc = TtyJobCtrl.checkChange(t, tty, Signal.SIGTTIN);
        if (jc < 0) throw ErrnoException.of(-jc);
        boolean nonblock = file.nonBlocking();
        if (nonblock) {
            if (!readLock.tryLock(t)) throw ErrnoException.of(Errno.EAGAIN);
        } else {
            readLock.lockInterruptibly(t);
        }
        try {
            return readLocked(t, file, kb, off, nr, nonblock);
        } finally {
            readLock.unlock();
        }
    }

    private int readLocked(Task t, TtyFile file, byte[] kb, int off, int nr, boolean nonblock) {
        int minimum = 0;
        long time = 0;
        long deadline = Long.MAX_VALUE;
        boolean timeoutZero = false;
        synchronized (tty.lock) {
            if (!icanon) {
                minimum = cc(VMIN);
                if (minimum != 0) {
                    time = cc(VTIME) * DECISECOND_NS;
                } else {
                    long timeout = cc(VTIME) * DECISECOND_NS;
                    if (timeout == 0) timeoutZero = true;
                    else deadline = now(t) + timeout;
                    minimum = 1;
                }
            }
        }
        int done = 0;
        int retval = 0;
        boolean[] found = new boolean[1];
        while (done < nr) {
            synchronized (tty.lock) {
                boolean packet = tty.packet;
                if (packet && tty.link.pktStatus != 0) {
                    // A status change is reported alone, as the first byte of a read.
                    if (done > 0) break;
                    kb[off] = (byte) tty.link.pktStatus;
                    tty.link.pktStatus = 0;
                    done++;
                    break;
                }
                if (!inputAvailable(false)) {
                    if (tty.otherClosed) {
                        retval = -Errno.EIO;
                        break;
                    }
                    if (file.hungUp() || tty.hupping) break;
                    if (timeoutZero) break;
                    if (nonblock) {
                        retval = -Errno.EAGAIN;
                        break;
                    }
                } else {
                    if (icanon && !lflag(EXTPROC)) {
                        done += canonCopyFromReadBuf(kb, off + done, nr - done, found);
                        if (!found[0] && done == nr) canonSkipEof();
                    } else {
                        if (packet && done == 0) {
                            kb[off] = Ioctls.TIOCPKT_DATA;
                            done++;
                        }
                        done += copyFromReadBuf(kb, off + done, nr - done);
                    }
                    checkUnthrottle();
                    if (done >= minimum) break;
                    if (time != 0) deadline = now(t) + time;
                    continue;
                }
            }
            int r = t.waitEvent(tty.readWait, () -> readWakeup(file), deadline);
            if (r == -Errno.EINTR) {
                retval = -Errno.ERESTARTSYS;
                break;
            }
            if (r == -Errno.ETIMEDOUT) timeoutZero = true;
        }
        if (done > 0) return done;
        if (retval < 0) throw ErrnoException.of(-retval);
        return 0;
    }

    private boolean readWakeup(TtyFile file) {
        synchronized (tty.lock) {
            return inputAvailable(false) || tty.otherClosed || file.hungUp() || tty.hupping
                    || (tty.packet && tty.link.pktStatus != 0);
        }
    }

    private static long now(Task t) {
        return t.kernel.clock().monotonicNanos();
    }

    /**
     * n_tty_check_unthrottle / n_tty_kick_worker: after a read made room, moves queued input
     * in and lets whoever sends input continue (the writer on a pty master, the host console).
     */
    private void checkUnthrottle() {
        tty.flushToLdisc();
        if (tty.link != null) tty.link.wakeup();
        tty.driver.unthrottle(tty);
    }

    // ---- writing ----

    /**
     * n_tty_write: with OPOST, output processing; blocks while the driver has no room. With
     * TOSTOP, a background process group gets SIGTTOU first.
     */
    int write(Task t, TtyFile file, byte[] b, int off, int nr) {
        if (lflag(TOSTOP)) {
            int r = TtyJobCtrl.checkChange(t, tty, Signal.SIGTTOU);
            if (r < 0) throw ErrnoException.of(-r);
        }
        int done = 0;
        int retval = 0;
        synchronized (tty.lock) {
            out.processEchoes();
        }
        while (true) {
            synchronized (tty.lock) {
                if (t.signalPending()) {
                    retval = -Errno.ERESTARTSYS;
                    break;
                }
                if (file.hungUp() || (tty.link != null && tty.link.count == 0)) {
                    retval = -Errno.EIO;
                    break;
                }
                if (oflag(OPOST)) {
                    while (done < nr) {
                        done += out.processOutputBlock(b, off + done, nr - done);
                        if (done == nr) break;
                        if (out.processOutput(b[off + done] & 0xff) < 0) break;
                        done++;
                    }
                } else {
                    while (done < nr) {
                        int c = tty.driver.write(tty, b, off + done, nr - done);
                        if (c == 0) break;
                        done += c;
                    }
                }
                if (done == nr) break;
                if (file.nonBlocking()) {
                    retval = -Errno.EAGAIN;
                    break;
                }
            }
            t.waitEvent(tty.writeWait, () -> writeWakeup(file), Long.MAX_VALUE);
        }
        if (done > 0) return done;
        if (retval < 0) throw ErrnoException.of(-retval);
        return 0;
    }

    private boolean writeWakeup(TtyFile file) {
        synchronized (tty.lock) {
            return tty.driver.writeRoom(tty) > 0 || file.hungUp() || (tty.link != null && tty.link.count == 0);
        }
    }

    // ---- poll and ioctl ----

    /** n_tty_poll (the caller registered the wait queues). */
    int poll() {
        int mask = 0;
        if (inputAvailable(true)) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        if (tty.packet && tty.link.pktStatus != 0) mask |= Poll.POLLPRI | Poll.POLLIN | Poll.POLLRDNORM;
        if (tty.otherClosed) mask |= Poll.POLLHUP;
        if (!tty.writeLock.isLocked() && tty.driver.charsInBuffer(tty) < WAKEUP_CHARS && tty.driver.writeRoom(tty) > 0) {
            mask |= Poll.POLLOUT | Poll.POLLWRNORM;
        }
        return mask;
    }

    /** TIOCINQ (FIONREAD): the bytes a read could return; in canonical mode, complete lines without EOF markers. */
    int inq() {
        if (lflag(ICANON) && !lflag(EXTPROC)) {
            if (canonHead == readTail) return 0;
            long nr = canonHead - readTail;
            for (long tail = readTail; (tail & MASK) != (canonHead & MASK); tail++) {
                if (readFlags.get((int) (tail & MASK)) && readBuf(tail) == DISABLED_CHAR) nr--;
            }
            return (int) nr;
        }
        return (int) readCnt();
    }
}
