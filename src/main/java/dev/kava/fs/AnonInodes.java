package dev.kava.fs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Files without a filesystem of their own (fs/anon_inodes.c): eventfd, epoll, inotify, signalfd,
 * timerfd (and pidfds, which Linux keeps on pidfs). They live on the anon_inodefs superblock and
 * stat as mode 0600 with no file type bits.
 */
public final class AnonInodes {
    private AnonInodes() {}

    /** The device number of the anon_inodefs superblock as stat() reports it (an anonymous bdev, 0:15). */
    private static final long ANON_INODEFS_DEV = 0xf;
    private static final AtomicLong NEXT_INO = new AtomicLong(5000);

    public static long nextIno() {
        return NEXT_INO.getAndIncrement();
    }

    public static Kstat stat(long ino) {
        return new Kstat(ANON_INODEFS_DEV, ino, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }
}
