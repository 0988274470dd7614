package dev.kava.fs.erofs;

import dev.kava.lib.lz4.Lz4Block;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.lz.LZEncoder;
import org.tukaani.xz.lzma.LZMAEncoder;
import org.tukaani.xz.rangecoder.RangeEncoderToBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

import static dev.kava.fs.erofs.ErofsFormat.*;

/**
 * The mkfs side of EROFS compression: each algorithm fills a fixed-size physical cluster
 * with as much input as fits ("destsize" compression, as erofs-utils does with
 * LZ4_compress_destSize, liblzma's MicroLZMA encoder and libdeflate).
 */
abstract class Compressor {
    /** One encoded pcluster: how much input it holds and its bytes. */
    record Chunk(int consumed, byte[] data) {}

    final int algorithm;

    Compressor(int algorithm) {
        this.algorithm = algorithm;
    }

    /**
     * Compresses the longest prefix of src[off, off+len) whose encoding fits in capacity
     * bytes. Null if nothing useful fits. The encoding never starts with a zero byte (the
     * reader skips leading zeros as padding).
     */
    abstract Chunk compress(byte[] src, int off, int len, int capacity);

    /** The largest input one call may be given (the extent's decoded size bound). */
    abstract int maxInput();

    static Compressor of(int algorithm, int level) {
        return switch (algorithm) {
            case Z_EROFS_COMPRESSION_LZ4 -> new Lz4();
            case Z_EROFS_COMPRESSION_LZMA -> new Lzma(level < 0 ? 6 : level);
            case Z_EROFS_COMPRESSION_DEFLATE -> new Deflate(level < 0 ? 6 : level);
            default -> throw new IllegalArgumentException("algorithm " + algorithm);
        };
    }

    static final class Lz4 extends Compressor {
        Lz4() {
            super(Z_EROFS_COMPRESSION_LZ4);
        }

        @Override
        int maxInput() {
            return 1 << 20;
        }

        @Override
        Chunk compress(byte[] src, int off, int len, int capacity) {
            byte[] out = new byte[capacity];
            Lz4Block.Result r = Lz4Block.compressDestSize(src, off, len, out, 0, capacity);
            if (r.consumed() == 0 || r.written() == 0 || out[0] == 0) return null;
            return new Chunk(r.consumed(), java.util.Arrays.copyOf(out, r.written()));
        }
    }

    /**
     * MicroLZMA: raw LZMA1 without end marker, its first byte replaced by the complement of the
     * properties byte. xz-java cannot stop at an output size, so the encoder is driven in small
     * input steps, watching the range coder's pending size, then the found prefix is encoded
     * again on its own (with a smaller prefix if a final symbol made it overflow).
     */
    static final class Lzma extends Compressor {
        static final int DICT = 1 << 20;
        private final LZMA2Options opts;
        private final ArrayCache cache = org.tukaani.xz.BasicArrayCache.getInstance();
        /** The largest dictionary used so far: the image's lzma cfg dict_size. */
        int maxDictUsed = 4096;

        Lzma(int level) {
            super(Z_EROFS_COMPRESSION_LZMA);
            try {
                opts = new LZMA2Options(Math.min(Math.max(level, 0), 9));
            } catch (org.tukaani.xz.UnsupportedOptionsException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        int maxInput() {
            return DICT;
        }

        int props() {
            return (opts.getPb() * 5 + opts.getLp()) * 9 + opts.getLc();
        }

        @Override
        Chunk compress(byte[] src, int off, int len, int capacity) {
            len = Math.min(len, DICT);
            // Pass 1: feed small steps and note (input encoded, output so far) until full; the
            // window (and so the dictionary to allocate) grows only while everything fits.
            int limit = capacity - 8;
            int window = Math.min(len, Math.max(capacity * 4, 16384));
            int best;
            while (true) {
                best = scan(src, off, window, limit);
                if (best >= window && window < len) {
                    window = (int) Math.min(len, window * 4L);
                    continue;
                }
                break;
            }
            while (best > 0) {
                byte[] out = encode(src, off, best, capacity);
                if (out != null && out.length <= capacity) {
                    out[0] = (byte) ~props();
                    return new Chunk(best, out);
                }
                best -= Math.max(16, best / 32);
            }
            return null;
        }

        static int dictFor(int len) {
            return Math.max(4096, Integer.highestOneBit(Math.max(1, len - 1)) << 1);
        }

        private LZMAEncoder newEncoder(RangeEncoderToBuffer rc, int len) {
            int dict = dictFor(len);
            synchronized (this) {
                maxDictUsed = Math.max(maxDictUsed, dict);
            }
            return LZMAEncoder.getInstance(rc, opts.getLc(), opts.getLp(), opts.getPb(), opts.getMode(), dict, 0,
                    opts.getNiceLen(), opts.getMatchFinder(), opts.getDepthLimit(), cache);
        }

        /** The largest input prefix seen encoded while the output stayed within limit. */
        private int scan(byte[] src, int off, int len, int limit) {
            RangeEncoderToBuffer rc = new RangeEncoderToBuffer(limit + 65536, cache);
            LZMAEncoder enc = newEncoder(rc, len);
            LZEncoder lz = enc.getLZEncoder();
            int fed = 0, best = 0;
            final int step = 256;
            try {
                while (true) {
                    if (fed < len) {
                        int n = lz.fillWindow(src, off + fed, Math.min(step, len - fed));
                        fed += n;
                    }
                    if (fed >= len) lz.setFinishing();
                    enc.encodeForLZMA1();
                    int encoded = enc.getUncompressedSize();
                    if (rc.getPendingSize() > limit) break;
                    best = encoded;
                    if (fed >= len && encoded >= len) break;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                enc.putArraysToCache(cache);
                rc.putArraysToCache(cache);
            }
            return best;
        }

        /** Encodes exactly src[off, off+len) as one LZMA1 stream without end marker. */
        private byte[] encode(byte[] src, int off, int len, int capacity) {
            RangeEncoderToBuffer rc = new RangeEncoderToBuffer(capacity + 65536, cache);
            LZMAEncoder enc = newEncoder(rc, len);
            LZEncoder lz = enc.getLZEncoder();
            try {
                int fed = 0;
                while (fed < len) {
                    fed += lz.fillWindow(src, off + fed, len - fed);
                    if (fed >= len) lz.setFinishing();
                    enc.encodeForLZMA1();
                    if (rc.getPendingSize() > capacity) return null;
                }
                if (enc.getUncompressedSize() != len) return null;
                rc.finish();
                ByteArrayOutputStream bos = new ByteArrayOutputStream(capacity);
                rc.write(bos);
                return bos.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                enc.putArraysToCache(cache);
                rc.putArraysToCache(cache);
            }
        }
    }

    /** Raw DEFLATE through the JDK's zlib, searching for the input length that fills the pcluster. */
    static final class Deflate extends Compressor {
        private final int level;

        Deflate(int level) {
            super(Z_EROFS_COMPRESSION_DEFLATE);
            this.level = Math.min(Math.max(level, 0), 9);
        }

        @Override
        int maxInput() {
            return 1 << 20;
        }

        private byte[] deflate(byte[] src, int off, int len, int capacity) {
            Deflater d = new Deflater(level, true);
            try {
                d.setInput(src, off, len);
                d.finish();
                byte[] out = new byte[capacity + 1];
                int n = 0;
                while (!d.finished()) {
                    int k = d.deflate(out, n, out.length - n);
                    n += k;
                    if (n > capacity) return null;
                }
                return java.util.Arrays.copyOf(out, n);
            } finally {
                d.end();
            }
        }

        @Override
        Chunk compress(byte[] src, int off, int len, int capacity) {
            len = Math.min(len, maxInput());
            // Grow a window while it all fits; then search between what fit and what did not.
            int window = Math.min(len, capacity * 4);
            while (true) {
                byte[] all = deflate(src, off, window, capacity);
                if (all == null) break;
                if (window == len) return ok(len, all);
                window = (int) Math.min(len, window * 4L);
            }
            len = window;
            int lo = 0, hi = len; // lo fits (or 0), hi does not
            byte[] loOut = null;
            int guess = Math.min(len - 1, capacity * 3);
            for (int iter = 0; iter < 24 && hi - lo > Math.max(64, lo / 64); iter++) {
                int mid = guess > lo && guess < hi ? guess : lo + (hi - lo) / 2;
                byte[] out = deflate(src, off, mid, capacity);
                if (out != null && out[0] != 0) {
                    lo = mid;
                    loOut = out;
                    // extrapolate from the ratio, aiming a little under the budget
                    guess = (int) Math.min(hi - 1L, (long) mid * (capacity - 16) / Math.max(1, out.length));
                    if (guess <= lo) guess = lo + (hi - lo) / 2;
                } else {
                    hi = mid;
                    guess = lo + (hi - lo) / 2;
                }
            }
            return loOut == null ? null : ok(lo, loOut);
        }

        private static Chunk ok(int consumed, byte[] out) {
            if (out.length == 0 || out[0] == 0) return null;
            return new Chunk(consumed, out);
        }
    }

    /** Splits an extent list for tests. */
    static List<Integer> sizes(List<Chunk> cs) {
        List<Integer> out = new ArrayList<>();
        for (Chunk c : cs) out.add(c.data().length);
        return out;
    }
}
