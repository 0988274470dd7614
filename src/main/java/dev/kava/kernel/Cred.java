package dev.kava.kernel;

/**
 * A task's credentials (struct cred in include/linux/cred.h), reduced to the ids syscalls read.
 * The first process runs as root, as init does.
 */
public record Cred(int uid, int euid, int suid, int fsuid, int gid, int egid, int sgid, int fsgid) {
    public static final Cred ROOT = new Cred(0, 0, 0, 0, 0, 0, 0, 0);
}
