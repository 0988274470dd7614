package dev.kava.fs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Files without a filesystem of their own (fs/anon_inodes.c): eventfd, epoll, inotify, signalfd,
 * timerfd (see AnonInodeFile; pidfds, which Linux keeps on pidfs, only borrow an inode number).
 */
public final class AnonInodes {
    private AnonInodes() {}

    /** The device number of the anon_inodefs superblock as stat() reports it (an anonymous bdev, 0:15). */
    private static final long ANON_INODEFS_DEV = 0xf;
    /** The one anon_inode_inode every anon_inode_getfile file shares (get_next_ino at boot). */
    private static final long ANON_INODE_INO = 1;
    private static final AtomicLong NEXT_INO = new AtomicLong(5000);

    /** A fresh inode number, for pseudo files with inodes of their own (pidfds). */
    public static long nextIno() {
        return NEXT_INO.getAndIncrement();
    }

    /** fstat of an anon_inode_getfile file: the shared inode, mode 0600 with no file type bits. */
    public static Kstat stat() {
        return stat(ANON_INODE_INO);
    }

    public static Kstat stat(long ino) {
        return new Kstat(ANON_INODEFS_DEV, ino, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }
}
