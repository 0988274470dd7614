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
import java.util.zip.Inflater;

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
        private static final ThreadLocal<Lz4Block.Table> TABLE = ThreadLocal.withInitial(Lz4Block.Table::new);

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
            Lz4Block.Result r = Lz4Block.compressDestSize(src, off, len, out, 0, capacity, TABLE.get());
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
            // The window (and so the dictionary to allocate) grows only while everything fits.
            int window = Math.min(len, Math.max(capacity * 4, 16384));
            while (true) {
                boolean[] starved = new boolean[1];
                Chunk c = encodeLimited(src, off, window, capacity, true, starved);
                if (starved[0] && window < len) { // the input ran out before the output filled
                    window = (int) Math.min(len, window * 4L);
                    continue;
                }
                return c;
            }
        }

        private LZMAEncoder newEncoder(RangeEncoderToBuffer rc, int len) {
            int dict = dictFor(len);
            synchronized (this) {
                maxDictUsed = Math.max(maxDictUsed, dict);
            }
            return LZMAEncoder.getInstance(rc, opts.getLc(), opts.getLp(), opts.getPb(), opts.getMode(), dict, 0,
                    opts.getNiceLen(), opts.getMatchFinder(), opts.getDepthLimit(), cache);
        }

        static int dictFor(int len) {
            return Math.max(4096, Integer.highestOneBit(Math.max(1, len - 1)) << 1);
        }

        /**
         * One pass, as LZMA2 fills its chunks: input is fed in small steps and encoding stops
         * while the range coder's pending output (flush bytes included) still fits; the
         * symbols encoded so far then form a complete stream of that many input bytes.
         */
        private Chunk encodeLimited(byte[] src, int off, int len, int capacity, boolean mayFinish, boolean[] starved) {
            final int margin = 48;
            RangeEncoderToBuffer rc = new RangeEncoderToBuffer(capacity + 65536, cache);
            LZMAEncoder enc = newEncoder(rc, len);
            LZEncoder lz = enc.getLZEncoder();
            try {
                int fed = 0;
                boolean finishing = false;
                while (true) {
                    int room = capacity - rc.getPendingSize();
                    if (fed < len) {
                        if (room <= margin) break;
                        int step = room > 1024 ? 256 : 16;
                        int k = lz.fillWindow(src, off + fed, Math.min(step, len - fed));
                        if (k <= 0) break; // the window is full (cannot happen with dict >= len)
                        fed += k;
                    } else if (!finishing) {
                        // Finishing encodes the held-back lookahead at once; if that overflows,
                        // the input is encoded again without finishing, up to where it fits.
                        starved[0] = true;
                        if (!mayFinish) break;
                        lz.setFinishing();
                        finishing = true;
                    } else {
                        break;
                    }
                    enc.encodeForLZMA1();
                    if (rc.getPendingSize() > capacity) {
                        // Rare: a finishing burst overflowed. Redo without finishing, up to what was safe.
                        if (!finishing) return null;
                        starved[0] = false;
                        return encodeLimited(src, off, len, capacity, false, new boolean[1]);
                    }
                }
                int consumed = enc.getUncompressedSize();
                if (consumed <= 0) return null;
                rc.finish();
                ByteArrayOutputStream bos = new ByteArrayOutputStream(capacity);
                rc.write(bos);
                byte[] out = bos.toByteArray();
                if (out.length > capacity || out[0] != 0) return null;
                out[0] = (byte) ~props();
                return new Chunk(consumed, out);
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

        /** Deflates src[off, off+len) completely into at most limit bytes; returns them, or null if longer. */
        private byte[] deflate(byte[] src, int off, int len, int limit) {
            Deflater d = new Deflater(level, true);
            try {
                d.setInput(src, off, len);
                d.finish();
                byte[] out = new byte[limit + 1];
                int n = 0;
                while (!d.finished()) {
                    int k = d.deflate(out, n, out.length - n);
                    n += k;
                    if (n > limit) return null;
                }
                return java.util.Arrays.copyOf(out, n);
            } finally {
                d.end();
            }
        }

        /**
         * zlib's fitblk method: deflate until the output buffer is full, inflate that truncated
         * output to learn how much input it holds, then deflate exactly that much input (a
         * little less each time it still overflows).
         */
        @Override
        Chunk compress(byte[] src, int off, int len, int capacity) {
            len = Math.min(len, maxInput());
            Deflater d = new Deflater(level, true);
            byte[] part = new byte[capacity];
            int n = 0;
            try {
                d.setInput(src, off, len);
                d.finish();
                while (!d.finished() && n < part.length) n += d.deflate(part, n, part.length - n);
                if (d.finished()) return ok(len, java.util.Arrays.copyOf(part, n));
            } finally {
                d.end();
            }
            long covered;
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(part, 0, n);
                byte[] sink = new byte[65536];
                while (true) {
                    int k = inf.inflate(sink);
                    if (k == 0) break;
                }
                covered = inf.getBytesWritten();
            } catch (java.util.zip.DataFormatException e) {
                covered = 0;
            } finally {
                inf.end();
            }
            int take = (int) Math.min(len, covered);
            for (int tries = 0; tries < 12 && take > 0; tries++) {
                byte[] out = deflate(src, off, take, capacity * 2);
                if (out == null) {
                    take = take / 2;
                    continue;
                }
                if (out.length <= capacity) return ok(take, out);
                take = (int) Math.min(take - 16L, (long) take * (capacity - 8) / out.length);
            }
            return null;
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
