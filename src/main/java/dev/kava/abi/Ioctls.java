package dev.kava.abi;

/**
 * Terminal and generic ioctl request numbers. From include/uapi/asm-generic/ioctls.h (riscv64 uses
 * it as is). The _IOR/_IOW ones are encoded as include/uapi/asm-generic/ioctl.h does:
 * dir << 30 | size << 16 | type << 8 | nr, with _IOC_WRITE = 1 and _IOC_READ = 2.
 */
public final class Ioctls {
    private Ioctls() {}

    public static final int TCGETS = 0x5401;
    public static final int TCSETS = 0x5402;
    public static final int TCSETSW = 0x5403;
    public static final int TCSETSF = 0x5404;
    public static final int TCGETA = 0x5405;
    public static final int TCSETA = 0x5406;
    public static final int TCSETAW = 0x5407;
    public static final int TCSETAF = 0x5408;
    public static final int TCSBRK = 0x5409;
    public static final int TCXONC = 0x540A;
    public static final int TCFLSH = 0x540B;
    public static final int TIOCEXCL = 0x540C;
    public static final int TIOCNXCL = 0x540D;
    public static final int TIOCSCTTY = 0x540E;
    public static final int TIOCGPGRP = 0x540F;
    public static final int TIOCSPGRP = 0x5410;
    public static final int TIOCOUTQ = 0x5411;
    public static final int TIOCSTI = 0x5412;
    public static final int TIOCGWINSZ = 0x5413;
    public static final int TIOCSWINSZ = 0x5414;
    public static final int TIOCMGET = 0x5415;
    public static final int TIOCMBIS = 0x5416;
    public static final int TIOCMBIC = 0x5417;
    public static final int TIOCMSET = 0x5418;
    public static final int TIOCGSOFTCAR = 0x5419;
    public static final int TIOCSSOFTCAR = 0x541A;
    public static final int FIONREAD = 0x541B;
    /** TIOCINQ is FIONREAD. */
    public static final int TIOCINQ = FIONREAD;
    public static final int TIOCLINUX = 0x541C;
    public static final int TIOCCONS = 0x541D;
    public static final int TIOCGSERIAL = 0x541E;
    public static final int TIOCSSERIAL = 0x541F;
    public static final int TIOCPKT = 0x5420;
    public static final int FIONBIO = 0x5421;
    public static final int TIOCNOTTY = 0x5422;
    public static final int TIOCSETD = 0x5423;
    public static final int TIOCGETD = 0x5424;
    /** Needed for POSIX tcsendbreak(). */
    public static final int TCSBRKP = 0x5425;
    public static final int TIOCSBRK = 0x5427;
    public static final int TIOCCBRK = 0x5428;
    public static final int TIOCGSID = 0x5429;
    /** _IOR('T', 0x2A, struct termios2). */
    public static final int TCGETS2 = 0x802C542A;
    /** _IOW('T', 0x2B, struct termios2). */
    public static final int TCSETS2 = 0x402C542B;
    /** _IOW('T', 0x2C, struct termios2). */
    public static final int TCSETSW2 = 0x402C542C;
    /** _IOW('T', 0x2D, struct termios2). */
    public static final int TCSETSF2 = 0x402C542D;
    public static final int TIOCGRS485 = 0x542E;
    public static final int TIOCSRS485 = 0x542F;
    /** _IOR('T', 0x30, unsigned int): get the pty number. */
    public static final int TIOCGPTN = 0x80045430;
    /** _IOW('T', 0x31, int): lock/unlock the pty slave. */
    public static final int TIOCSPTLCK = 0x40045431;
    /** _IOR('T', 0x32, unsigned int): the real device of a terminal. */
    public static final int TIOCGDEV = 0x80045432;
    public static final int TCGETX = 0x5432;
    public static final int TCSETX = 0x5433;
    public static final int TCSETXF = 0x5434;
    public static final int TCSETXW = 0x5435;
    /** _IOW('T', 0x36, int): pty master sends a signal to the slave's foreground group. */
    public static final int TIOCSIG = 0x40045436;
    public static final int TIOCVHANGUP = 0x5437;
    /** _IOR('T', 0x38, int): get packet mode. */
    public static final int TIOCGPKT = 0x80045438;
    /** _IOR('T', 0x39, int): get the pty lock. */
    public static final int TIOCGPTLCK = 0x80045439;
    /** _IOR('T', 0x40, int): get exclusive mode. */
    public static final int TIOCGEXCL = 0x80045440;
    /** _IO('T', 0x41): open the pty slave and return a descriptor for it. */
    public static final int TIOCGPTPEER = 0x5441;

    public static final int FIONCLEX = 0x5450;
    public static final int FIOCLEX = 0x5451;
    public static final int FIOASYNC = 0x5452;
    public static final int TIOCSERCONFIG = 0x5453;
    public static final int TIOCSERGWILD = 0x5454;
    public static final int TIOCSERSWILD = 0x5455;
    public static final int TIOCGLCKTRMIOS = 0x5456;
    public static final int TIOCSLCKTRMIOS = 0x5457;
    public static final int TIOCSERGSTRUCT = 0x5458;
    public static final int TIOCSERGETLSR = 0x5459;
    public static final int TIOCSERGETMULTI = 0x545A;
    public static final int TIOCSERSETMULTI = 0x545B;
    public static final int TIOCMIWAIT = 0x545C;
    public static final int TIOCGICOUNT = 0x545D;
    public static final int FIOQSIZE = 0x5460;

    // Packet mode status bits, the first byte of a packet-mode read (TIOCPKT).
    public static final int TIOCPKT_DATA = 0;
    public static final int TIOCPKT_FLUSHREAD = 1;
    public static final int TIOCPKT_FLUSHWRITE = 2;
    public static final int TIOCPKT_STOP = 4;
    public static final int TIOCPKT_START = 8;
    public static final int TIOCPKT_NOSTOP = 16;
    public static final int TIOCPKT_DOSTOP = 32;
    public static final int TIOCPKT_IOCTL = 64;
}
