package dev.kava.drivers.tty;

import dev.kava.kernel.Uaccess;

import static dev.kava.abi.Termbits.*;

/**
 * A terminal's attributes (struct ktermios), with the conversions to and from the user layouts
 * struct termios, struct termios2 and struct termio (include/asm-generic/termios.h and
 * drivers/tty/tty_ioctl.c), and the speed helpers of drivers/tty/tty_baudrate.c. Mutable: a
 * tty's termios is changed under the tty's lock, and copies are taken to compare old and new.
 */
public final class Ktermios {
    public int iflag, oflag, cflag, lflag;
    public int line;
    public final byte[] cc = new byte[NCCS];
    public int ispeed, ospeed;

    public Ktermios() {}

    public Ktermios copy() {
        Ktermios k = new Ktermios();
        k.iflag = iflag;
        k.oflag = oflag;
        k.cflag = cflag;
        k.lflag = lflag;
        k.line = line;
        System.arraycopy(cc, 0, k.cc, 0, NCCS);
        k.ispeed = ispeed;
        k.ospeed = ospeed;
        return k;
    }

    /** A control character as an unsigned value. */
    public int cc(int index) {
        return cc[index] & 0xff;
    }

    /**
     * INIT_C_CC (include/linux/tty.h): intr ^C, quit ^\, erase DEL, kill ^U, eof ^D, vtime 0,
     * vmin 1, swtc 0, start ^Q, stop ^S, susp ^Z, eol 0, reprint ^R, discard ^O, werase ^W,
     * lnext ^V, eol2 0.
     */
    private static final byte[] INIT_C_CC = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0};

    /** tty_std_termios (drivers/tty/tty_io.c): cooked mode, 38400 baud. */
    public static Ktermios std() {
        Ktermios k = new Ktermios();
        k.iflag = ICRNL | IXON;
        k.oflag = OPOST | ONLCR;
        k.cflag = B38400 | CS8 | CREAD | HUPCL;
        k.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
        System.arraycopy(INIT_C_CC, 0, k.cc, 0, INIT_C_CC.length);
        k.ispeed = 38400;
        k.ospeed = 38400;
        return k;
    }

    // ---- user layouts ----

    /** kernel_termios_to_user_termios_1: struct termios, 36 bytes. */
    public byte[] toTermios() {
        byte[] b = new byte[TERMIOS_SIZE];
        putCommon(b);
        return b;
    }

    /** kernel_termios_to_user_termios: struct termios2, 44 bytes. */
    public byte[] toTermios2() {
        byte[] b = new byte[TERMIOS2_SIZE];
        putCommon(b);
        Uaccess.putInt(b, C_ISPEED, ispeed);
        Uaccess.putInt(b, C_OSPEED, ospeed);
        return b;
    }

    private void putCommon(byte[] b) {
        Uaccess.putInt(b, C_IFLAG, iflag);
        Uaccess.putInt(b, C_OFLAG, oflag);
        Uaccess.putInt(b, C_CFLAG, cflag);
        Uaccess.putInt(b, C_LFLAG, lflag);
        b[C_LINE] = (byte) line;
        System.arraycopy(cc, 0, b, C_CC, NCCS);
    }

    /** user_termios_to_kernel_termios_1: the fields of struct termios; the speeds are kept. */
    public void setFromTermios(byte[] b) {
        iflag = Uaccess.getInt(b, C_IFLAG);
        oflag = Uaccess.getInt(b, C_OFLAG);
        cflag = Uaccess.getInt(b, C_CFLAG);
        lflag = Uaccess.getInt(b, C_LFLAG);
        line = b[C_LINE] & 0xff;
        System.arraycopy(b, C_CC, cc, 0, NCCS);
    }

    /** user_termios_to_kernel_termios: all of struct termios2. */
    public void setFromTermios2(byte[] b) {
        setFromTermios(b);
        ispeed = Uaccess.getInt(b, C_ISPEED);
        ospeed = Uaccess.getInt(b, C_OSPEED);
    }

    /** kernel_termios_to_user_termio: the low 16 bits of each flag word, c_line, the first NCC c_cc. */
    public byte[] toTermio() {
        byte[] b = new byte[TERMIO_SIZE];
        Uaccess.putShort(b, 0, iflag);
        Uaccess.putShort(b, 2, oflag);
        Uaccess.putShort(b, 4, cflag);
        Uaccess.putShort(b, 6, lflag);
        b[TERMIO_C_LINE] = (byte) line;
        System.arraycopy(cc, 0, b, TERMIO_C_CC, NCC);
        return b;
    }

    /**
     * user_termio_to_kernel_termios: replaces the low 16 bits of each flag word and the first NCC
     * control characters. Linux computes c_line as (0xffff0000 & c_lflag) | v.c_line and stores it
     * in an unsigned char, which leaves v.c_line: so does this.
     */
    public void setFromTermio(byte[] b) {
        iflag = (iflag & 0xffff0000) | u16(b, 0);
        oflag = (oflag & 0xffff0000) | u16(b, 2);
        cflag = (cflag & 0xffff0000) | u16(b, 4);
        lflag = (lflag & 0xffff0000) | u16(b, 6);
        line = b[TERMIO_C_LINE] & 0xff;
        System.arraycopy(b, TERMIO_C_CC, cc, 0, NCC);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    // ---- speeds (drivers/tty/tty_baudrate.c) ----

    private static final int[] BAUD_TABLE = {
        0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400,
        4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800,
        500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000,
        2500000, 3000000, 3500000, 4000000,
    };

    /** tty_termios_baud_rate: the output speed; may clear a CBAUDEX bit that names no speed. */
    public int baudRate() {
        int cbaud = cflag & CBAUD;
        if (cbaud == BOTHER) return ospeed;
        if ((cbaud & CBAUDEX) != 0) {
            cbaud &= ~CBAUDEX;
            if (cbaud < 1 || cbaud + 15 > BAUD_TABLE.length) cflag &= ~CBAUDEX;
            else cbaud += 15;
        }
        return cbaud >= BAUD_TABLE.length ? 0 : BAUD_TABLE[cbaud];
    }

    /** tty_termios_input_baud_rate: the input speed (CIBAUD, or the output speed when B0). */
    public int inputBaudRate() {
        int cbaud = (cflag >>> IBSHIFT) & CBAUD;
        if (cbaud == B0) return baudRate();
        if (cbaud == BOTHER) return ispeed;
        if ((cbaud & CBAUDEX) != 0) {
            cbaud &= ~CBAUDEX;
            if (cbaud < 1 || cbaud + 15 > BAUD_TABLE.length) cflag &= ~(CBAUDEX << IBSHIFT);
            else cbaud += 15;
        }
        return cbaud >= BAUD_TABLE.length ? 0 : BAUD_TABLE[cbaud];
    }

    /** tty_termios_copy_hw: a driver without set_termios keeps its old hardware settings. */
    public void copyHw(Ktermios old) {
        cflag &= HUPCL | CREAD | CLOCAL;
        cflag |= old.cflag & ~(HUPCL | CREAD | CLOCAL);
        ispeed = old.ispeed;
        ospeed = old.ospeed;
    }

    @Override
    public String toString() {
        return String.format("termios{i=%#x o=%#x c=%#x l=%#x}", iflag, oflag, cflag, lflag);
    }
}
