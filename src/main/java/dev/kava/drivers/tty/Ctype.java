package dev.kava.drivers.tty;

/**
 * The kernel's character classes (lib/ctype.c), which the line discipline uses: ASCII plus
 * ISO 8859-1, so that OLCUC, IUCLC and word erase treat Latin-1 letters as letters. Only 0-31
 * and 127 are control characters.
 */
final class Ctype {
    private Ctype() {}

    static boolean isCntrl(int c) {
        return c < 32 || c == 127;
    }

    static boolean isUpper(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7);
    }

    static boolean isLower(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7);
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlnum(int c) {
        return isUpper(c) || isLower(c) || isDigit(c);
    }

    /** __toupper: a lower-case letter moves down by 32 (so 0xdf becomes 0xbf, as Linux has it). */
    static int toUpper(int c) {
        return isLower(c) ? c - ('a' - 'A') : c;
    }

    static int toLower(int c) {
        return isUpper(c) ? c + ('a' - 'A') : c;
    }
}
