package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import dev.kava.lib.lz4.Lz4Block;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.LZMAInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static dev.kava.fs.erofs.ErofsFormat.*;

/**
 * z_erofs_decompress (fs/erofs/decompressor*.c, erofs-utils lib/decompress.c): turns one
 * physical cluster into its logical bytes. With ZERO_PADDING the encoded data sits at the end
 * of the pcluster, after zeros that the decoder skips (only within the first block, as Linux
 * does). Every failure is an {@link ErofsException} (EFSCORRUPTED or EIO), never another
 * exception, whatever the input.
 */
final class Decompressor {
    private Decompressor() {}

    private static final ArrayCache CACHE = ArrayCache.getDefaultCache();

    /**
     * Decodes in[0, inLen) (a whole pcluster) to out[0, outLen).
     *
     * @param alg      Z_EROFS_COMPRESSION_* (SHIFTED/INTERLACED for plain pclusters)
     * @param partial  the pcluster holds more than this extent (partial decoding)
     * @param interlacedOffset for INTERLACED: erofs_blkoff(m_la)
     */
    static void decompress(int alg, byte[] in, int inLen, byte[] out, int outLen, boolean partial, boolean zeroPadding,
                           int blockSize, int interlacedOffset, int lzmaDictSize) {
        switch (alg) {
            case Z_EROFS_COMPRESSION_SHIFTED -> {
                if (outLen > inLen) throw ErofsException.corrupted("plain pcluster shorter than its extent");
                System.arraycopy(in, 0, out, 0, outLen);
                return;
            }
            case Z_EROFS_COMPRESSION_INTERLACED -> {
                if (inLen > blockSize || outLen > blockSize) throw ErofsException.corrupted("bad interlaced pcluster");
                int skip = interlacedOffset & (blockSize - 1);
                int right = Math.min(blockSize - skip, outLen);
                if (skip + right > inLen || outLen - right > inLen) throw ErofsException.corrupted("bad interlaced pcluster");
                System.arraycopy(in, skip, out, 0, right);
                System.arraycopy(in, 0, out, right, outLen - right);
                return;
            }
            default -> { }
        }
        int margin = 0;
        if (zeroPadding || alg != Z_EROFS_COMPRESSION_LZ4) {
            int limit = Math.min(inLen, blockSize);
            while (margin < limit && in[margin] == 0) margin++;
            if (margin >= inLen) throw ErofsException.corrupted("pcluster holds only zeros");
        }
        int srcLen = inLen - margin;
        switch (alg) {
            case Z_EROFS_COMPRESSION_LZ4 -> lz4(in, margin, srcLen, out, outLen, partial || !zeroPadding);
            case Z_EROFS_COMPRESSION_LZMA -> lzma(in, margin, srcLen, out, outLen, partial, lzmaDictSize);
            case Z_EROFS_COMPRESSION_DEFLATE -> deflate(in, margin, srcLen, out, outLen, partial);
            case Z_EROFS_COMPRESSION_ZSTD -> zstd(in, margin, srcLen, out, outLen, partial);
            default -> throw ErofsException.corrupted("unknown compression algorithm " + alg);
        }
    }

    private static void lz4(byte[] in, int off, int len, byte[] out, int outLen, boolean partial) {
        try {
            int n = Lz4Block.decompress(in, off, len, out, 0, outLen, partial);
            if (n != outLen) throw new ErofsException(Errno.EIO, "lz4 pcluster decodes to " + n + " bytes, not " + outLen);
        } catch (Lz4Block.FormatException e) {
            throw new ErofsException(Errno.EIO, "corrupted lz4 pcluster: " + e.getMessage());
        }
    }

    /**
     * MicroLZMA (xz_dec_microlzma): raw LZMA1 without end marker whose first byte, always 0 in
     * LZMA, is replaced by the complement of the properties byte.
     */
    private static void lzma(byte[] in, int off, int len, byte[] out, int outLen, boolean partial, int dictSize) {
        if (len < 5) throw ErofsException.corrupted("lzma pcluster too short");
        int props = ~in[off] & 0xff;
        if (props > (4 * 5 + 4) * 9 + 8) throw ErofsException.corrupted("bad microlzma properties " + props);
        byte[] copy = java.util.Arrays.copyOfRange(in, off, off + len);
        copy[0] = 0;
        ByteArrayInputStream bin = new ByteArrayInputStream(copy);
        int dict = Math.max(4096, Math.min(Math.max(dictSize, outLen), LZMAInputStream.DICT_SIZE_MAX));
        try (LZMAInputStream z = new LZMAInputStream(bin, partial ? -1 : outLen, (byte) props, dict, null, CACHE)) {
            int n = z.readNBytes(out, 0, outLen);
            if (n != outLen) throw new ErofsException(Errno.EIO, "lzma pcluster decodes to " + n + " bytes, not " + outLen);
            if (!partial && bin.available() != 0) {
                throw ErofsException.corrupted("lzma pcluster has " + bin.available() + " trailing bytes");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ErofsException ee) throw ee;
            throw new ErofsException(Errno.EIO, "corrupted lzma pcluster: " + e);
        }
    }

    /** A zstd frame (decompressor_zstd.c), through aircompressor's pure-Java decoder. */
    private static void zstd(byte[] in, int off, int len, byte[] out, int outLen, boolean partial) {
        try {
            io.airlift.compress.zstd.ZstdDecompressor z = new io.airlift.compress.zstd.ZstdDecompressor();
            if (!partial) {
                int n = z.decompress(in, off, len, out, 0, outLen);
                if (n != outLen) throw new ErofsException(Errno.EIO, "zstd pcluster decodes to " + n + " bytes, not " + outLen);
                return;
            }
            // Partial decoding: the frame may hold more than this extent.
            byte[] all = new byte[ErofsFormat.Z_EROFS_PCLUSTER_MAX_DSIZE];
            int n = z.decompress(in, off, len, all, 0, all.length);
            if (n < outLen) throw new ErofsException(Errno.EIO, "zstd pcluster decodes to " + n + " bytes, not " + outLen);
            System.arraycopy(all, 0, out, 0, outLen);
        } catch (ErofsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ErofsException(Errno.EIO, "corrupted zstd pcluster: " + e);
        }
    }

    private static void deflate(byte[] in, int off, int len, byte[] out, int outLen, boolean partial) {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in, off, len);
            int n = 0;
            while (n < outLen) {
                int k = inf.inflate(out, n, outLen - n);
                n += k;
                if (k == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) break;
            }
            if (n != outLen) throw new ErofsException(Errno.EIO, "deflate pcluster decodes to " + n + " bytes, not " + outLen);
            if (!partial && !inf.finished()) {
                // The stream must end exactly here (Z_STREAM_END with total_out == decodedlength).
                byte[] one = new byte[1];
                int more = inf.inflate(one);
                if (more != 0 || !inf.finished()) throw new ErofsException(Errno.EIO, "deflate pcluster decodes past its extent");
            }
        } catch (DataFormatException e) {
            throw new ErofsException(Errno.EIO, "corrupted deflate pcluster: " + e.getMessage());
        } finally {
            inf.end();
        }
    }
}
