package dev.kava.fs;

/** A location in the mount tree (struct path): a dentry as seen through one mount. */
public record FsPath(Mount mnt, Dentry dentry) {
    public Inode inode() {
        return dentry.inode();
    }
}
