package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A mounted EROFS image (fs/erofs/super.c): always read-only, statfs from the superblock's
 * block and inode counts. Problems found in the image after mount are logged, as erofs_err()
 * does, and reach the guest as the errno of the affected operation.
 */
public final class ErofsSuperBlock extends SuperBlock {
    private final ErofsImage image;
    private final String source;
    private final Consumer<String> log;
    private final ConcurrentHashMap<Long, ErofsInode> inodes = new ConcurrentHashMap<>();

    public ErofsSuperBlock(ErofsImage image, String source, LongSupplier clock, Consumer<String> log) {
        super("erofs", clock, true);
        this.image = image;
        this.source = source;
        this.log = log != null ? log : m -> { };
        setRoot(iget(image.rootNid));
    }

    /**
     * mount -t erofs IMAGE: opens and checks the image. Errors are the mount's: EINVAL for a
     * missing or bad superblock, EBADMSG for a checksum mismatch, EOPNOTSUPP for features
     * kava lacks, EIO for an unreadable file.
     */
    public static ErofsSuperBlock mount(Path image, LongSupplier clock, Consumer<String> log) {
        ImageSource src;
        try {
            src = ImageSource.open(image);
        } catch (IOException e) {
            throw new ErofsException(Errno.EIO, "cannot open " + image + ": " + e.getMessage());
        }
        try {
            ErofsImage img = ErofsImage.open(src);
            return new ErofsSuperBlock(img, image.toString(), clock, log);
        } catch (ErofsException e) {
            src.close();
            if (log != null) log.accept("erofs (device " + image.getFileName() + "): " + e.getMessage());
            throw e;
        }
    }

    public ErofsImage image() {
        return image;
    }

    @Override
    public long magic() {
        return ErofsFormat.EROFS_SUPER_MAGIC_V1 & 0xffffffffL;
    }

    @Override
    public int blockSize() {
        return image.blksz;
    }

    @Override
    public StatFs statfs() {
        return new StatFs(magic(), image.blksz, image.blocks, 0, 0, image.inos, 0, ErofsFormat.EROFS_NAME_LEN);
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public String options() {
        return ",user_xattr,acl,cache_strategy=readaround";
    }

    /** erofs_iget: the one inode object of a nid. */
    ErofsInode iget(long nid) {
        ErofsInode i = inodes.get(nid);
        if (i != null) return i;
        ErofsImage.Node n = call(() -> image.node(nid));
        return inodes.computeIfAbsent(nid, k -> new ErofsInode(this, n));
    }

    /** Runs an image operation: an image problem is logged and becomes the errno Linux returns. */
    <T> T call(java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (ErofsException e) {
            log.accept("erofs (device " + source + "): " + e.getMessage());
            throw ErrnoException.of(e.errno);
        } catch (ErrnoException e) {
            throw e;
        } catch (RuntimeException e) {
            // A reader bug on a hostile image: still only this operation fails.
            log.accept("erofs (device " + source + "): internal error: " + e);
            throw ErrnoException.of(Errno.EIO);
        }
    }
}
