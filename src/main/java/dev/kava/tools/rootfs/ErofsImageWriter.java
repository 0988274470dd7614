package dev.kava.tools.rootfs;

import dev.kava.abi.Stat;
import dev.kava.fs.erofs.MkfsErofs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code kava rootfs build -o IMAGE}: packs the staged tree with kava's mkfs.erofs (LZMA), taking
 * types, modes, owners and device numbers from the manifest (an unprivileged build cannot put
 * them on disk); paths the manifest does not list are root's. Every timestamp is the build's
 * fixed one when SOURCE_DATE_EPOCH is set, so the same packages give the same image.
 */
public final class ErofsImageWriter implements RootfsImageWriter {
    @Override
    public String name() {
        return "erofs (lzma)";
    }

    @Override
    public void write(Path tree, Manifest manifest, Path image) throws IOException {
        MkfsErofs.Options o = new MkfsErofs.Options();
        o.allRoot = true;
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.matches("\\d+")) o.fixedTime = Long.parseLong(epoch);
        o.metadata = path -> {
            Manifest.Entry e = manifest.get(path);
            if (e == null) return null;
            int type = switch (e.type()) {
                case FILE -> Stat.S_IFREG;
                case DIR -> Stat.S_IFDIR;
                case SYMLINK -> Stat.S_IFLNK;
                case CHAR -> Stat.S_IFCHR;
                case BLOCK -> Stat.S_IFBLK;
                case FIFO -> Stat.S_IFIFO;
            };
            int mode = type == Stat.S_IFLNK ? 0777 : e.mode() & 07777;
            // The host's st_rdev encoding (glibc makedev), which mkfs.erofs re-encodes for the image.
            long rdev = ((long) (e.devMajor() & 0xfff) << 8) | (e.devMinor() & 0xff) | ((long) (e.devMinor() & ~0xff) << 12);
            return new MkfsErofs.Meta(type | mode, e.uid(), e.gid(), rdev);
        };
        MkfsErofs.build(tree, image, o);
    }
}
