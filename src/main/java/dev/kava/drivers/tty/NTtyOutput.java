package dev.kava.drivers.tty;

import static dev.kava.abi.Termbits.*;

/**
 * The output half of the N_TTY line discipline (drivers/tty/n_tty.c): output post-processing
 * (OPOST: ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS) with the column it tracks, and the echo
 * buffer. Echoes are queued as bytes and operation codes while input is processed and written
 * out in batches, so that erasing can account for the columns actually on the screen. Guarded
 * by the tty's lock.
 */
final class NTtyOutput {
    /** Echo buffer operation codes: ECHO_OP_START, then an op or a control character to show as ^X. */
    static final int ECHO_OP_START = 0xff;
    static final int ECHO_OP_MOVE_BACK_COL = 0x80;
    static final int ECHO_OP_SET_CANON_COL = 0x81;
    static final int ECHO_OP_ERASE_TAB = 0x82;
    static final int ECHO_COMMIT_WATERMARK = 256;
    static final int ECHO_BLOCK = 256;
    static final int ECHO_DISCARD_WATERMARK = NTty.N_TTY_BUF_SIZE - (ECHO_BLOCK + 32);

    private final TtyStruct tty;
    private final byte[] echoBuf = new byte[NTty.N_TTY_BUF_SIZE];
    /** Echo buffer positions (size_t counters, masked on use): queued up to head, marked, committed, written up to tail. */
    private long echoHead, echoMark, echoCommit, echoTail;
    /** The output column, and the column where the current input line started. */
    int column, canonColumn;

    NTtyOutput(TtyStruct tty) {
        this.tty = tty;
    }

    private boolean o(int flag) {
        return (tty.termios.oflag & flag) != 0;
    }

    private boolean l(int flag) {
        return (tty.termios.lflag & flag) != 0;
    }

    /** is_continuation: a UTF-8 continuation byte on an IUTF8 terminal takes no column. */
    private boolean isContinuation(int c) {
        return (tty.termios.iflag & IUTF8) != 0 && (c & 0xc0) == 0x80;
    }

    private void putChar(int c) {
        tty.driver.write(tty, new byte[]{(byte) c}, 0, 1);
    }

    private void driverWrite(byte[] b, int off, int len) {
        tty.driver.write(tty, b, off, len);
    }

    // ---- output processing ----

    /** do_output_char: one character with OPOST processing; returns the bytes used, -1 when space is short. */
    int doOutputChar(int c, int space) {
        if (space == 0) return -1;
        switch (c) {
            case '\n' -> {
                if (o(ONLRET)) column = 0;
                if (o(ONLCR)) {
                    if (space < 2) return -1;
                    canonColumn = column = 0;
                    driverWrite(new byte[]{'\r', '\n'}, 0, 2);
                    return 2;
                }
                canonColumn = column;
            }
            case '\r' -> {
                if (o(ONOCR) && column == 0) return 0;
                if (o(OCRNL)) {
                    c = '\n';
                    if (o(ONLRET)) canonColumn = column = 0;
                } else {
                    canonColumn = column = 0;
                }
            }
            case '\t' -> {
                int spaces = 8 - (column & 7);
                if ((tty.termios.oflag & TABDLY) == XTABS) {
                    if (space < spaces) return -1;
                    column += spaces;
                    driverWrite("        ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, spaces);
                    return spaces;
                }
                column += spaces;
            }
            case '\b' -> {
                if (column > 0) column--;
            }
            default -> {
                if (!Ctype.isCntrl(c)) {
                    if (o(OLCUC)) c = Ctype.toUpper(c);
                    if (!isContinuation(c)) column++;
                }
            }
        }
        putChar(c);
        return 1;
    }

    /** process_output: one character with OPOST; -1 when the driver has no room for it. */
    int processOutput(int c) {
        int space = tty.driver.writeRoom(tty);
        return doOutputChar(c, space) < 0 ? -1 : 0;
    }

    /**
     * process_output_block: writes the longest prefix of b that needs no translation in one
     * piece, tracking the column; returns how many bytes that was (stops before \n with ONLCR,
     * \r with OCRNL or ONOCR, tabs, and everything with OLCUC).
     */
    int processOutputBlock(byte[] b, int off, int nr) {
        int space = tty.driver.writeRoom(tty);
        if (space == 0) return 0;
        nr = Math.min(nr, space);
        int i = 0;
        scan:
        for (; i < nr; i++) {
            int c = b[off + i] & 0xff;
            switch (c) {
                case '\n' -> {
                    if (o(ONLRET)) column = 0;
                    if (o(ONLCR)) break scan;
                    canonColumn = column;
                }
                case '\r' -> {
                    if (o(ONOCR) && column == 0) break scan;
                    if (o(OCRNL)) break scan;
                    canonColumn = column = 0;
                }
                case '\t' -> {
                    break scan;
                }
                case '\b' -> {
                    if (column > 0) column--;
                }
                default -> {
                    if (!Ctype.isCntrl(c)) {
                        if (o(OLCUC)) break scan;
                        if (!isContinuation(c)) column++;
                    }
                }
            }
        }
        return i == 0 ? 0 : tty.driver.write(tty, b, off, i);
    }

    // ---- the echo buffer ----

    private void addEchoByte(int c) {
        echoBuf[(int) (echoHead++ & (NTty.N_TTY_BUF_SIZE - 1))] = (byte) c;
    }

    private int echoBuf(long i) {
        return echoBuf[(int) (i & (NTty.N_TTY_BUF_SIZE - 1))] & 0xff;
    }

    /** echo_move_back_col. */
    void moveBackCol() {
        addEchoByte(ECHO_OP_START);
        addEchoByte(ECHO_OP_MOVE_BACK_COL);
    }

    /** echo_set_canon_col: remembers the column where the input line starts. */
    void setCanonCol() {
        addEchoByte(ECHO_OP_START);
        addEchoByte(ECHO_OP_SET_CANON_COL);
    }

    /**
     * echo_erase_tab: erasing a tab goes back to the previous tab stop, which depends on the
     * columns used since the line start or the previous tab (numChars, modulo 8).
     */
    void eraseTab(int numChars, boolean afterTab) {
        addEchoByte(ECHO_OP_START);
        addEchoByte(ECHO_OP_ERASE_TAB);
        numChars &= 7;
        if (afterTab) numChars |= 0x80;
        addEchoByte(numChars);
    }

    /** echo_char_raw: echoes c as it is. */
    void charRaw(int c) {
        if (c == ECHO_OP_START) {
            addEchoByte(ECHO_OP_START);
            addEchoByte(ECHO_OP_START);
        } else {
            addEchoByte(c);
        }
    }

    /** echo_char: echoes c, control characters as ^X when ECHOCTL is set (except tab). */
    void echoChar(int c) {
        if (c == ECHO_OP_START) {
            addEchoByte(ECHO_OP_START);
            addEchoByte(ECHO_OP_START);
        } else {
            if (l(ECHOCTL) && Ctype.isCntrl(c) && c != '\t') addEchoByte(ECHO_OP_START);
            addEchoByte(c);
        }
    }

    /** Forgets every queued echo (isig's "clear echo buffer", reset on open). */
    void resetEchoes() {
        echoHead = echoTail = 0;
        echoMark = echoCommit = 0;
    }

    /**
     * commit_echoes: marks the queued echoes as ready, and writes them out once enough have
     * accumulated (input processing writes the rest at the end of a batch: {@link #flushEchoes}).
     */
    void commitEchoes() {
        long head = echoHead;
        echoMark = head;
        long old = echoCommit - echoTail;
        long nr = head - echoTail;
        if (nr < ECHO_COMMIT_WATERMARK || (nr % ECHO_BLOCK > old % ECHO_BLOCK)) return;
        echoCommit = head;
        processEchoesLocked();
    }

    /** process_echoes: writes out the echoes marked so far (before output, so echoes come first). */
    void processEchoes() {
        if (echoMark == echoTail) return;
        echoCommit = echoMark;
        processEchoesLocked();
    }

    /** flush_echoes: at the end of a batch of input, writes out everything queued. */
    void flushEchoes() {
        if ((!l(ECHO) && !l(ECHONL)) || echoCommit == echoHead) return;
        echoCommit = echoHead;
        processEchoesLocked();
    }

    /** __process_echoes: writes committed echoes while the driver has room; returns the space used. */
    private int processEchoesLocked() {
        int oldSpace = tty.driver.writeRoom(tty);
        int space = oldSpace;
        long tail = echoTail;
        while (echoCommit > tail) {
            int c = echoBuf(tail);
            if (c == ECHO_OP_START) {
                int op = echoBuf(tail + 1);
                boolean noSpaceLeft = false;
                switch (op) {
                    case ECHO_OP_ERASE_TAB -> {
                        int numChars = echoBuf(tail + 2);
                        // Counted from the line start rather than a previous tab: offset by the line's column.
                        if ((numChars & 0x80) == 0) numChars += canonColumn;
                        int numBs = 8 - (numChars & 7);
                        if (numBs > space) {
                            noSpaceLeft = true;
                            break;
                        }
                        space -= numBs;
                        while (numBs-- > 0) {
                            putChar('\b');
                            if (column > 0) column--;
                        }
                        tail += 3;
                    }
                    case ECHO_OP_SET_CANON_COL -> {
                        canonColumn = column;
                        tail += 2;
                    }
                    case ECHO_OP_MOVE_BACK_COL -> {
                        if (column > 0) column--;
                        tail += 2;
                    }
                    case ECHO_OP_START -> {
                        // An escaped ECHO_OP_START byte.
                        if (space == 0) {
                            noSpaceLeft = true;
                            break;
                        }
                        putChar(ECHO_OP_START);
                        column++;
                        space--;
                        tail += 2;
                    }
                    default -> {
                        // A control character to show as ^X: both bytes or none.
                        if (space < 2) {
                            noSpaceLeft = true;
                            break;
                        }
                        putChar('^');
                        putChar(op ^ 0100);
                        column += 2;
                        space -= 2;
                        tail += 2;
                    }
                }
                if (noSpaceLeft) break;
            } else {
                if (o(OPOST)) {
                    int r = doOutputChar(c, space);
                    if (r < 0) break;
                    space -= r;
                } else {
                    if (space == 0) break;
                    putChar(c);
                    space -= 1;
                }
                tail += 1;
            }
        }
        // Nearly full: drop old echoes so that the next commit cannot overrun the buffer.
        while (echoCommit > tail && echoCommit - tail >= ECHO_DISCARD_WATERMARK) {
            if (echoBuf(tail) == ECHO_OP_START) {
                tail += echoBuf(tail + 1) == ECHO_OP_ERASE_TAB ? 3 : 2;
            } else {
                tail++;
            }
        }
        echoTail = tail;
        return oldSpace - space;
    }
}
