package dev.kava.fs.erofs;

import dev.kava.abi.Errno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The device an EROFS image is read from: bounds-checked positional reads. A read outside the
 * image is an I/O error (EIO), as reading past the end of a block device is.
 */
public interface ImageSource extends AutoCloseable {
    long size();

    /** Reads exactly len bytes at pos into dst[off..]; EIO if any of them lies outside the image. */
    void read(long pos, byte[] dst, int off, int len);

    @Override
    default void close() {}

    static ImageSource of(byte[] image) {
        return new ImageSource() {
            public long size() {
                return image.length;
            }

            public void read(long pos, byte[] dst, int off, int len) {
                if (pos < 0 || len < 0 || pos > image.length - (long) len) {
                    throw new ErofsException(Errno.EIO, "read of " + len + " bytes at " + pos + " is outside the image");
                }
                System.arraycopy(image, (int) pos, dst, off, len);
            }
        };
    }

    static ImageSource open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        long size = ch.size();
        return new ImageSource() {
            public long size() {
                return size;
            }

            public void read(long pos, byte[] dst, int off, int len) {
                if (pos < 0 || len < 0 || pos > size - len) {
                    throw new ErofsException(Errno.EIO, "read of " + len + " bytes at " + pos + " is outside the image");
                }
                ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
                try {
                    while (bb.hasRemaining()) {
                        int n = ch.read(bb, pos + (bb.position() - off));
                        if (n < 0) throw new ErofsException(Errno.EIO, "image shrank under us");
                    }
                } catch (IOException e) {
                    throw new ErofsException(Errno.EIO, "image read failed: " + e.getMessage());
                }
            }

            public void close() {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // read-only channel
                }
            }
        };
    }
}
