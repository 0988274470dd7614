package dev.kava.lib.lz4;

/**
 * The LZ4 block format (lib/lz4 in Linux; the format of lz4's doc/lz4_Block_format.md): a
 * safe decoder that never reads or writes out of bounds whatever the input, and a greedy
 * encoder that fills a fixed output budget (LZ4_compress_destSize): it consumes as much input
 * as fits in the budget and reports how much it consumed, which is what EROFS's fixed-size
 * physical clusters need.
 */
public final class Lz4Block {
    private Lz4Block() {}

    /** MINMATCH, LASTLITERALS, MFLIMIT and the 64 KiB window (LZ4_DISTANCE_MAX). */
    static final int MINMATCH = 4, LASTLITERALS = 5, MFLIMIT = 12, MAX_DISTANCE = 65535;
    private static final int HASH_LOG = 16;

    /** A malformed block. */
    public static final class FormatException extends Exception {
        public FormatException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes src[sOff, sOff+sLen) into dst[dOff, dOff+dLen). Full decoding (partial false,
     * LZ4_decompress_safe) needs the block to end exactly at its input's end without writing
     * past dLen; partial decoding (LZ4_decompress_safe_partial) stops once dLen bytes are out.
     * Returns the number of bytes written.
     */
    public static int decompress(byte[] src, int sOff, int sLen, byte[] dst, int dOff, int dLen, boolean partial)
            throws FormatException {
        int ip = sOff, iend = sOff + sLen;
        int op = dOff, oend = dOff + dLen;
        if (sLen <= 0) throw new FormatException("empty input");
        while (true) {
            if (ip >= iend) throw new FormatException("truncated token");
            int token = src[ip++] & 0xff;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= iend) throw new FormatException("truncated literal length");
                    b = src[ip++] & 0xff;
                    lit += b;
                    if (lit > Integer.MAX_VALUE / 2) throw new FormatException("literal length overflow");
                } while (b == 255);
            }
            if (lit > iend - ip) {
                if (!partial) throw new FormatException("literals past input end");
                lit = iend - ip;
            }
            if (lit > oend - op) {
                if (!partial) throw new FormatException("literals past output end");
                System.arraycopy(src, ip, dst, op, oend - op);
                return dLen;
            }
            System.arraycopy(src, ip, dst, op, lit);
            ip += lit;
            op += lit;
            if (ip == iend) return op - dOff; // the last sequence has literals only
            if (partial && op == oend) return dLen;
            if (iend - ip < 2) throw new FormatException("truncated offset");
            int offset = (src[ip] & 0xff) | (src[ip + 1] & 0xff) << 8;
            ip += 2;
            if (offset == 0 || offset > op - dOff) throw new FormatException("bad match offset " + offset);
            int len = token & 15;
            if (len == 15) {
                int b;
                do {
                    if (ip >= iend) throw new FormatException("truncated match length");
                    b = src[ip++] & 0xff;
                    len += b;
                    if (len > Integer.MAX_VALUE / 2) throw new FormatException("match length overflow");
                } while (b == 255);
            }
            len += MINMATCH;
            if (len > oend - op) {
                if (!partial) throw new FormatException("match past output end");
                len = oend - op;
            }
            int from = op - offset;
            if (offset >= len) {
                System.arraycopy(dst, from, dst, op, len);
            } else {
                for (int i = 0; i < len; i++) dst[op + i] = dst[from + i];
            }
            op += len;
            if (partial && op == oend) return dLen;
        }
    }

    /** The result of a budgeted compression: bytes consumed from the input and bytes written. */
    public record Result(int consumed, int written) {}

    /**
     * LZ4_compress_destSize: encodes the longest prefix of src[sOff, sOff+sLen) whose block
     * fits in dst[dOff, dOff+capacity). The block is a complete, valid LZ4 block of that prefix.
     */
    public static Result compressDestSize(byte[] src, int sOff, int sLen, byte[] dst, int dOff, int capacity) {
        return compressDestSize(src, sOff, sLen, dst, dOff, capacity, new Table());
    }

    /**
     * The match finder's hash table, reusable across calls without clearing: entries carry a
     * generation base, and an entry below the current base is empty.
     */
    public static final class Table {
        final int[] slots = new int[1 << HASH_LOG];
        /** The first value no entry holds yet; Integer.MIN_VALUE before the first use. */
        int next = Integer.MIN_VALUE;

        /** Starts a call over positions [0, len): returns the base to add to positions. */
        int begin(int len) {
            if (next == Integer.MIN_VALUE || next > Integer.MAX_VALUE - len - 2) {
                java.util.Arrays.fill(slots, Integer.MIN_VALUE);
                next = Integer.MIN_VALUE + 1;
            }
            int base = next;
            next = base + len + 1;
            return base;
        }
    }

    /** As above, reusing a table (one per thread). */
    public static Result compressDestSize(byte[] src, int sOff, int sLen, byte[] dst, int dOff, int capacity, Table t) {
        int gen = t.begin(sLen + sOff); // slot value = gen + position; valid when >= gen + sOff
        int[] table = t.slots;
        int minValid = gen + sOff;
        int ip = sOff, anchor = sOff, end = sOff + sLen;
        int op = dOff, oend = dOff + capacity;
        int matchLimit = end - LASTLITERALS, mfLimit = end - MFLIMIT;
        // Room kept for the closing literal run: a token and at least MFLIMIT literals.
        final int reserve = 1 + MFLIMIT + 1;
        while (ip < mfLimit) {
            int seq = readInt(src, ip);
            int h = hash(seq);
            int slot = table[h];
            int ref = slot >= minValid ? slot - gen : -1;
            table[h] = gen + ip;
            if (ref < 0 || ip - ref > MAX_DISTANCE || readInt(src, ref) != seq) {
                ip++;
                continue;
            }
            // Extend backwards over pending literals, then forwards.
            while (ip > anchor && ref > sOff && src[ip - 1] == src[ref - 1]) {
                ip--;
                ref--;
            }
            int len = MINMATCH;
            while (ip + len < matchLimit && src[ip + len] == src[ref + len]) len++;
            int lit = ip - anchor;
            int cost = 1 + lengthBytes(lit) + lit + 2 + lengthBytes(len - MINMATCH);
            if (op + cost + reserve > oend) break;
            op = writeSequence(src, anchor, lit, ip - ref, len, dst, op);
            ip += len;
            anchor = ip;
            if (ip < mfLimit) { // seed the table inside the match, as lz4 does at its end
                table[hash(readInt(src, ip - 2))] = gen + ip - 2;
            }
        }
        // The closing literal run: as much of the rest as fits.
        int rest = end - anchor;
        int room = oend - op;
        int lit = Math.min(rest, maxLiterals(room));
        if (lit < 0) lit = 0;
        if (lit < rest && anchor == sOff && lit == 0) return new Result(0, 0);
        dst[op++] = (byte) (Math.min(lit, 15) << 4);
        if (lit >= 15) op = writeLength(lit - 15, dst, op);
        System.arraycopy(src, anchor, dst, op, lit);
        op += lit;
        return new Result(anchor + lit - sOff, op - dOff);
    }

    /** The largest literal run whose token, length bytes and literals fit in room bytes. */
    private static int maxLiterals(int room) {
        if (room < 1) return -1;
        int n = room - 1 - lengthBytes(room - 1);
        while (n > 0 && 1 + lengthBytes(n) + n > room) n--;
        while (1 + lengthBytes(n + 1) + n + 1 <= room) n++;
        return n;
    }

    /** Extra length bytes for a 4-bit length field holding v (literal length, or match length - 4). */
    static int lengthBytes(int v) {
        return v < 15 ? 0 : 1 + (v - 15) / 255;
    }

    private static int writeSequence(byte[] src, int anchor, int lit, int offset, int len, byte[] dst, int op) {
        int ml = len - MINMATCH;
        dst[op++] = (byte) ((Math.min(lit, 15) << 4) | Math.min(ml, 15));
        if (lit >= 15) op = writeLength(lit - 15, dst, op);
        System.arraycopy(src, anchor, dst, op, lit);
        op += lit;
        dst[op++] = (byte) offset;
        dst[op++] = (byte) (offset >>> 8);
        if (ml >= 15) op = writeLength(ml - 15, dst, op);
        return op;
    }

    private static int writeLength(int v, byte[] dst, int op) {
        while (v >= 255) {
            dst[op++] = (byte) 255;
            v -= 255;
        }
        dst[op++] = (byte) v;
        return op;
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static int hash(int v) {
        return (v * -1640531535) >>> (32 - HASH_LOG);
    }
}
