package dev.kava.drivers.tty;

import dev.kava.abi.Termbits;
import dev.kava.kernel.Uaccess;

/** struct winsize (include/uapi/asm-generic/termios.h): four unsigned shorts. */
public record Winsize(int row, int col, int xpixel, int ypixel) {
    public static final Winsize ZERO = new Winsize(0, 0, 0, 0);

    public byte[] toBytes() {
        byte[] b = new byte[Termbits.WINSIZE_SIZE];
        Uaccess.putShort(b, Termbits.WS_ROW, row);
        Uaccess.putShort(b, Termbits.WS_COL, col);
        Uaccess.putShort(b, Termbits.WS_XPIXEL, xpixel);
        Uaccess.putShort(b, Termbits.WS_YPIXEL, ypixel);
        return b;
    }

    public static Winsize fromBytes(byte[] b) {
        return new Winsize(u16(b, Termbits.WS_ROW), u16(b, Termbits.WS_COL), u16(b, Termbits.WS_XPIXEL),
                u16(b, Termbits.WS_YPIXEL));
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }
}
