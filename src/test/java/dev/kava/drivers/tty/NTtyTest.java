package dev.kava.drivers.tty;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Signal;
import dev.kava.kernel.ExitStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.kava.abi.Termbits.*;
import static dev.kava.drivers.tty.TtyTestKit.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The N_TTY line discipline, driven through a pty pair: what is written to the master is the
 * terminal's input, what the master reads back is its output (echoes included). The expected
 * bytes are what Linux 6.18 produces for the same input on a pty (checked with a C program on
 * the host).
 */
class NTtyTest {
    private TtyTestKit kit;
    /** The process using the terminal (the slave), and the one typing on it (the master's side). */
    private TtyTestKit.Proc p, typist;
    private TtyFile master, slave;

    @BeforeEach
    void pair() throws Exception {
        kit = new TtyTestKit();
        p = kit.leader();
        typist = kit.leader();
        master = kit.openMaster(p);
        slave = kit.openSlave(p, master, Fcntl.O_NOCTTY);
    }

    /** Types s on the terminal and returns what it echoed. */
    private String type(String s) throws Exception {
        typist.write(master, s);
        return typist.read(master, 4096);
    }

    @Test
    void defaultsAreCookedModeAsLinux() {
        Ktermios k = slave.tty.termios();
        assertEquals(ICRNL | IXON, k.iflag);
        assertEquals(OPOST | ONLCR, k.oflag);
        assertEquals(B38400 | CS8 | CREAD, k.cflag, "a pty slave has no HUPCL");
        assertEquals(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, k.lflag);
        assertEquals(38400, k.ispeed);
        assertEquals(0, master.tty.termios().lflag, "the master is raw");
    }

    @Test
    void eraseEditsTheLineAndEchoesBackspaceSpaceBackspace() throws Exception {
        assertBytes("ab\b \bc\r\n", type("ab\u007fc\n"));
        assertBytes("ac\n", p.read(slave, 100));
    }

    @Test
    void werasEraseOneWord() throws Exception {
        assertBytes("hello wor\b \b\b \b\b \bx\r\n", type("hello wor\u0017x\n"));
        assertBytes("hello x\n", p.read(slave, 100));
    }

    @Test
    void killWithEchokeErasesEachCharacter() throws Exception {
        assertBytes("abc\b \b\b \b\b \bz\r\n", type("abc\u0015z\n"));
        assertBytes("z\n", p.read(slave, 100));
    }

    @Test
    void killWithoutEchokeEchoesTheKillCharacterAndANewline() throws Exception {
        TtyTestKit.setTermios(slave, k -> k.lflag &= ~ECHOKE);
        assertBytes("abc^U\r\nz\r\n", type("abc\u0015z\n"));
        assertBytes("z\n", p.read(slave, 100));
    }

    @Test
    void reprintRetypesTheLine() throws Exception {
        assertBytes("ab^R\r\nab", type("ab\u0012"));
    }

    @Test
    void lnextQuotesTheNextCharacterAndEofEndsTheLineWithoutItself() throws Exception {
        type("ab");
        assertBytes("^\b^C", type("\u0016\u0003\u0004"));
        assertBytes("ab\u0003", p.read(slave, 100));
        p.write(master, "\u0004");
        assertEquals("", p.read(slave, 100), "EOF on an empty line reads as end of file");
    }

    @Test
    void erasingATabGoesBackToWhereTheTabStarted() throws Exception {
        assertBytes("q\tw\b \b\b\b\b\b\b\b\b\r\n", type("q\tw\u007f\u007f\n"));
        assertBytes("q\n", p.read(slave, 100));
    }

    @Test
    void controlCharactersEchoAsCaretLetter() throws Exception {
        assertBytes("^A^[\r\n", type("\u0001\u001b\n"));
        assertBytes("\u0001\u001b\n", p.read(slave, 100));
    }

    @Test
    void crIsMappedToNewlineOnInput() throws Exception {
        assertBytes("hi\r\n", type("hi\r"));
        assertBytes("hi\n", p.read(slave, 100));
    }

    @Test
    void aShortReadLeavesTheRestOfTheLine() throws Exception {
        p.write(master, "abcdef\n");
        assertEquals("abc", p.read(slave, 3));
        assertEquals("def\n", p.read(slave, 100));
    }

    @Test
    void aReadThatFillsTheBufferBeforeEofConsumesTheEof() throws Exception {
        p.write(master, "abc\u0004x\n");
        assertEquals("abc", p.read(slave, 3));
        assertEquals("x\n", p.read(slave, 100), "canon_skip_eof: the EOF after abc is not an end of file");
    }

    @Test
    void fionreadCountsCompleteLinesOnlyInCanonicalMode() throws Exception {
        p.write(master, "abc");
        assertEquals(0, p.ioctlGetInt(slave, Ioctls.FIONREAD));
        p.write(master, "\n\u0004");
        assertEquals(4, p.ioctlGetInt(slave, Ioctls.FIONREAD), "EOF markers do not count");
        TtyTestKit.setTermios(slave, k -> k.lflag &= ~ICANON);
        assertEquals(5, p.ioctlGetInt(slave, Ioctls.FIONREAD));
    }

    @Test
    void outputProcessingTurnsNewlineIntoCrLf() throws Exception {
        p.write(slave, "out\nx\ty\r\n");
        assertBytes("out\r\nx\ty\r\r\n", p.read(master, 100));
        TtyTestKit.setTermios(slave, k -> k.oflag &= ~OPOST);
        p.write(slave, "a\nb");
        assertBytes("a\nb", p.read(master, 100));
        TtyTestKit.setTermios(slave, k -> k.oflag = OPOST | OCRNL | OLCUC);
        p.write(slave, "a\r\u00e9");
        assertBytes("A\n\u00c9", p.read(master, 100));
    }

    @Test
    void iuclcAndIstripChangeInput() throws Exception {
        TtyTestKit.setTermios(slave, k -> k.iflag |= IUCLC | ISTRIP);
        type("AB\u00c1\n");
        assertBytes("aba\n", p.read(slave, 100), "\u00c1 loses its 8th bit (ISTRIP), then A becomes a (IUCLC)");
    }

    @Test
    void canonicalLineLongerThanTheBufferKeepsOverwritingItsLastByte() throws Exception {
        TtyTestKit.setTermios(slave, k -> k.lflag &= ~ECHO);
        String big = "a".repeat(5000);
        assertEquals(5000, p.write(master, big), "a canonical line never blocks the writer");
        p.write(master, "\n");
        String line = p.read(slave, 10000);
        assertEquals(4096, line.length());
        assertEquals('\n', line.charAt(4095));
    }

    // ---- non-canonical reads: VMIN and VTIME ----

    private void raw(int vmin, int vtime) {
        TtyTestKit.setTermios(slave, k -> {
            k.lflag &= ~(ICANON | ECHO | ISIG);
            k.iflag = 0;
            k.cc[VMIN] = (byte) vmin;
            k.cc[VTIME] = (byte) vtime;
        });
    }

    @Test
    void vminZeroVtimeZeroNeverWaits() throws Exception {
        raw(0, 0);
        assertEquals("", p.read(slave, 10));
        p.write(master, "xy");
        assertEquals("xy", p.read(slave, 10));
    }

    @Test
    void vminZeroVtimeZeroWithNonblockReadsZeroNotEagain() throws Exception {
        raw(0, 0);
        slave.setStatusFlags(slave.flags() | Fcntl.O_NONBLOCK);
        assertEquals("", p.read(slave, 10));
        raw(1, 0);
        assertEquals(Errno.EAGAIN, p.errnoOf(() -> slave.read(p.task, new byte[10], 0, 10)));
    }

    @Test
    void vminZeroVtimeWaitsUpToVtimeForAnyByte() throws Exception {
        raw(0, 2);
        long t0 = System.nanoTime();
        assertEquals("", p.read(slave, 10));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 150, "waited only " + ms + " ms for VTIME 2");
        TtyTestKit.Proc writer = kit.process(p, 0, 0);
        CompletableFuture<String> r = p.start(() -> readString(10));
        Thread.sleep(50);
        writer.write(master, "z");
        assertEquals("z", r.get(TtyTestKit.TIMEOUT_S, TimeUnit.SECONDS));
    }

    @Test
    void vminWaitsForThatManyBytes() throws Exception {
        raw(3, 0);
        TtyTestKit.Proc writer = kit.process(p, 0, 0);
        CompletableFuture<String> r = p.start(() -> readString(10));
        writer.write(master, "ab");
        Thread.sleep(200);
        assertFalse(r.isDone(), "two bytes are not VMIN 3");
        writer.write(master, "cd");
        assertEquals("abcd", r.get(TtyTestKit.TIMEOUT_S, TimeUnit.SECONDS));
    }

    @Test
    void vminWithVtimeEndsOnTheInterByteTimer() throws Exception {
        raw(5, 1);
        TtyTestKit.Proc writer = kit.process(p, 0, 0);
        CompletableFuture<String> r = p.start(() -> readString(10));
        Thread.sleep(300);
        assertFalse(r.isDone(), "the timer starts with the first byte");
        writer.write(master, "ab");
        assertEquals("ab", r.get(TtyTestKit.TIMEOUT_S, TimeUnit.SECONDS));
    }

    private String readString(int max) {
        byte[] b = new byte[max];
        int n = slave.read(p.task, b, 0, max);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    // ---- signals ----

    /** The slave as p's controlling terminal, p's group in the foreground. */
    private TtyFile ctty() throws Exception {
        TtyFile s = kit.openSlave(p, master, 0);
        assertEquals(slave.tty, p.group().tty);
        return s;
    }

    @Test
    void intrKillsTheForegroundGroupWithSigint() throws Exception {
        ctty();
        assertBytes("^C", type("ab\u0003"));
        assertEquals(ExitStatus.killed(Signal.SIGINT), p.group().exitStatus());
    }

    @Test
    void quitAndSuspSendTheirSignals() throws Exception {
        ctty();
        p.catchSignal(Signal.SIGQUIT);
        p.catchSignal(Signal.SIGTSTP);
        type("\u001c");
        assertTrue(p.pending(Signal.SIGQUIT));
        type("\u001a");
        assertTrue(p.pending(Signal.SIGTSTP));
    }

    @Test
    void aSignalCharacterDiscardsPendingInputUnlessNoflsh() throws Exception {
        ctty();
        p.ignoreSignal(Signal.SIGINT);
        type("abc\u0003d\n");
        assertEquals("d\n", p.read(slave, 100));
        TtyTestKit.setTermios(slave, k -> k.lflag |= NOFLSH);
        type("abc\u0003d\n");
        assertEquals("abcd\n", p.read(slave, 100));
    }

    @Test
    void withoutIsigControlCharactersAreData() throws Exception {
        ctty();
        TtyTestKit.setTermios(slave, k -> k.lflag &= ~ISIG);
        type("\u0003\n");
        assertEquals("\u0003\n", p.read(slave, 100));
        assertFalse(p.group().exiting());
    }

    @Test
    void stopAndStartControlOutput() throws Exception {
        typist.write(master, "\u0013");
        slave.setStatusFlags(slave.flags() | Fcntl.O_NONBLOCK);
        assertEquals(Errno.EAGAIN, p.errnoOf(() -> slave.write(p.task, new byte[]{'x'}, 0, 1)), "output is stopped");
        typist.write(master, "\u0011");
        assertEquals(1, p.write(slave, "x"));
        assertEquals("x", p.read(master, 100));
    }
}
