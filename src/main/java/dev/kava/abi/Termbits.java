package dev.kava.abi;

/**
 * Terminal attributes: struct termios, struct termios2, struct termio, struct winsize and their
 * flag bits. riscv64 uses the generic headers as they are: include/uapi/asm-generic/termbits.h,
 * include/uapi/asm-generic/termbits-common.h and include/uapi/asm-generic/termios.h.
 */
public final class Termbits {
    private Termbits() {}

    // ---- struct termios (asm-generic/termbits.h): tcflag_t is unsigned int, cc_t unsigned char ----

    /** NCCS: the number of control characters in struct termios. */
    public static final int NCCS = 19;
    public static final int C_IFLAG = 0;
    public static final int C_OFLAG = 4;
    public static final int C_CFLAG = 8;
    public static final int C_LFLAG = 12;
    public static final int C_LINE = 16;
    public static final int C_CC = 17;
    /** sizeof(struct termios): 4 flags, c_line, c_cc[19]. */
    public static final int TERMIOS_SIZE = 36;
    /** struct termios2 appends speed_t c_ispeed, c_ospeed (unsigned int). */
    public static final int C_ISPEED = 36;
    public static final int C_OSPEED = 40;
    public static final int TERMIOS2_SIZE = 44;

    // ---- struct termio (asm-generic/termios.h): unsigned short flags, c_line, c_cc[NCC] ----

    public static final int NCC = 8;
    public static final int TERMIO_C_LINE = 8;
    public static final int TERMIO_C_CC = 9;
    /** sizeof(struct termio): 17 bytes of fields padded to the short alignment. */
    public static final int TERMIO_SIZE = 18;

    // ---- struct winsize (asm-generic/termios.h): four unsigned shorts ----

    public static final int WS_ROW = 0;
    public static final int WS_COL = 2;
    public static final int WS_XPIXEL = 4;
    public static final int WS_YPIXEL = 6;
    public static final int WINSIZE_SIZE = 8;

    // ---- c_cc indices (asm-generic/termbits.h) ----

    public static final int VINTR = 0;
    public static final int VQUIT = 1;
    public static final int VERASE = 2;
    public static final int VKILL = 3;
    public static final int VEOF = 4;
    public static final int VTIME = 5;
    public static final int VMIN = 6;
    public static final int VSWTC = 7;
    public static final int VSTART = 8;
    public static final int VSTOP = 9;
    public static final int VSUSP = 10;
    public static final int VEOL = 11;
    public static final int VREPRINT = 12;
    public static final int VDISCARD = 13;
    public static final int VWERASE = 14;
    public static final int VLNEXT = 15;
    public static final int VEOL2 = 16;

    // ---- c_iflag bits (termbits-common.h, then termbits.h) ----

    public static final int IGNBRK = 0x001;
    public static final int BRKINT = 0x002;
    public static final int IGNPAR = 0x004;
    public static final int PARMRK = 0x008;
    public static final int INPCK = 0x010;
    public static final int ISTRIP = 0x020;
    public static final int INLCR = 0x040;
    public static final int IGNCR = 0x080;
    public static final int ICRNL = 0x100;
    public static final int IXANY = 0x800;
    public static final int IUCLC = 0x00200;
    public static final int IXON = 0x00400;
    public static final int IXOFF = 0x01000;
    public static final int IMAXBEL = 0x02000;
    public static final int IUTF8 = 0x04000;

    // ---- c_oflag bits ----

    public static final int OPOST = 0x01;
    public static final int OCRNL = 0x08;
    public static final int ONOCR = 0x10;
    public static final int ONLRET = 0x20;
    public static final int OFILL = 0x40;
    public static final int OFDEL = 0x80;
    public static final int OLCUC = 0x00002;
    public static final int ONLCR = 0x00004;
    public static final int NLDLY = 0x00100;
    public static final int NL0 = 0x00000;
    public static final int NL1 = 0x00100;
    public static final int CRDLY = 0x00600;
    public static final int CR0 = 0x00000;
    public static final int CR1 = 0x00200;
    public static final int CR2 = 0x00400;
    public static final int CR3 = 0x00600;
    public static final int TABDLY = 0x01800;
    public static final int TAB0 = 0x00000;
    public static final int TAB1 = 0x00800;
    public static final int TAB2 = 0x01000;
    public static final int TAB3 = 0x01800;
    public static final int XTABS = 0x01800;
    public static final int BSDLY = 0x02000;
    public static final int BS0 = 0x00000;
    public static final int BS1 = 0x02000;
    public static final int VTDLY = 0x04000;
    public static final int VT0 = 0x00000;
    public static final int VT1 = 0x04000;
    public static final int FFDLY = 0x08000;
    public static final int FF0 = 0x00000;
    public static final int FF1 = 0x08000;

    // ---- c_cflag bits ----

    public static final int CBAUD = 0x0000100f;
    public static final int CSIZE = 0x00000030;
    public static final int CS5 = 0x00000000;
    public static final int CS6 = 0x00000010;
    public static final int CS7 = 0x00000020;
    public static final int CS8 = 0x00000030;
    public static final int CSTOPB = 0x00000040;
    public static final int CREAD = 0x00000080;
    public static final int PARENB = 0x00000100;
    public static final int PARODD = 0x00000200;
    public static final int HUPCL = 0x00000400;
    public static final int CLOCAL = 0x00000800;
    public static final int CBAUDEX = 0x00001000;
    public static final int BOTHER = 0x00001000;
    public static final int CIBAUD = 0x100f0000;
    public static final int ADDRB = 0x20000000;
    public static final int CMSPAR = 0x40000000;
    public static final int CRTSCTS = 0x80000000;
    /** Shift from CBAUD to CIBAUD. */
    public static final int IBSHIFT = 16;

    // Baud rates (termbits-common.h for B0..B38400, termbits.h for the CBAUDEX ones).
    public static final int B0 = 0x00000000;
    public static final int B50 = 0x00000001;
    public static final int B75 = 0x00000002;
    public static final int B110 = 0x00000003;
    public static final int B134 = 0x00000004;
    public static final int B150 = 0x00000005;
    public static final int B200 = 0x00000006;
    public static final int B300 = 0x00000007;
    public static final int B600 = 0x00000008;
    public static final int B1200 = 0x00000009;
    public static final int B1800 = 0x0000000a;
    public static final int B2400 = 0x0000000b;
    public static final int B4800 = 0x0000000c;
    public static final int B9600 = 0x0000000d;
    public static final int B19200 = 0x0000000e;
    public static final int B38400 = 0x0000000f;
    public static final int B57600 = 0x00001001;
    public static final int B115200 = 0x00001002;
    public static final int B230400 = 0x00001003;
    public static final int B460800 = 0x00001004;
    public static final int B500000 = 0x00001005;
    public static final int B576000 = 0x00001006;
    public static final int B921600 = 0x00001007;
    public static final int B1000000 = 0x00001008;
    public static final int B1152000 = 0x00001009;
    public static final int B1500000 = 0x0000100a;
    public static final int B2000000 = 0x0000100b;
    public static final int B2500000 = 0x0000100c;
    public static final int B3000000 = 0x0000100d;
    public static final int B3500000 = 0x0000100e;
    public static final int B4000000 = 0x0000100f;

    // ---- c_lflag bits ----

    public static final int ISIG = 0x00001;
    public static final int ICANON = 0x00002;
    public static final int XCASE = 0x00004;
    public static final int ECHO = 0x00008;
    public static final int ECHOE = 0x00010;
    public static final int ECHOK = 0x00020;
    public static final int ECHONL = 0x00040;
    public static final int NOFLSH = 0x00080;
    public static final int TOSTOP = 0x00100;
    public static final int ECHOCTL = 0x00200;
    public static final int ECHOPRT = 0x00400;
    public static final int ECHOKE = 0x00800;
    public static final int FLUSHO = 0x01000;
    public static final int PENDIN = 0x04000;
    public static final int IEXTEN = 0x08000;
    public static final int EXTPROC = 0x10000;

    // ---- tcsetattr, tcflow (TCXONC) and tcflush (TCFLSH) arguments ----

    public static final int TCSANOW = 0;
    public static final int TCSADRAIN = 1;
    public static final int TCSAFLUSH = 2;
    public static final int TCOOFF = 0;
    public static final int TCOON = 1;
    public static final int TCIOFF = 2;
    public static final int TCION = 3;
    public static final int TCIFLUSH = 0;
    public static final int TCOFLUSH = 1;
    public static final int TCIOFLUSH = 2;

    // ---- line disciplines (include/uapi/linux/tty.h) ----

    /** N_TTY: the default line discipline. */
    public static final int N_TTY = 0;
}
