/* What depends on /tmp being a tmpfs and / a read-only mount, which qemu's run on the host's
   disk cannot show: statfs and statx of a tmpfs (magic, mount flags, birth time, mount IDs,
   the mount-root attribute), fallocate modes tmpfs lacks, preadv2/pwritev2 flags (qemu-user
   7.2 has no preadv2), fchmodat2, EROFS for every attribute change on the read-only root,
   and EXDEV between filesystems.
   The expected output was made by this program compiled for x86-64 and run on Linux 6.18 as
   root, in a directory whose data/ was a read-only bind mount and tmp/ a fresh
   "tmpfs -o nosuid,nodev,mode=1777" (kava's /tmp). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-38s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x4000
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* the same number on x86-64 and riscv64 */
#endif
#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif
#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x2000
#endif

static long pv2(int fd, struct iovec *v, int n, long pos, int fl) { return syscall(SYS_preadv2, fd, v, n, pos, 0, fl); }
static long pw2(int fd, struct iovec *v, int n, long pos, int fl) { return syscall(SYS_pwritev2, fd, v, n, pos, 0, fl); }

static void statfs_tests(void) {
    printf("--- statfs\n");
    struct statfs s;
    TRY("statfs tmp", statfs("tmp", &s));
    printf("  type %#lx bsize %ld namelen %ld frsize %ld flags %#lx free<=blocks %d ffree<=files %d\n",
           (long)s.f_type, (long)s.f_bsize, (long)s.f_namelen, (long)s.f_frsize, (long)s.f_flags,
           s.f_bfree <= s.f_blocks && s.f_bavail == s.f_bfree, s.f_ffree <= s.f_files && s.f_files > 0);
    long free_inodes = s.f_ffree;
    int fd = open("tmp/fs_statfs", O_CREAT | O_RDWR, 0644);
    statfs("tmp", &s);
    printf("  one inode more in use: %d\n", s.f_ffree == free_inodes - 1);
    close(fd);
    TRY("statfs data", statfs("data", &s));
    printf("  read-only %d\n", (s.f_flags & ST_RDONLY) != 0);
}

static void statx_tests(void) {
    printf("--- statx\n");
    struct statx sx;
    TRY("statx tmp", statx(AT_FDCWD, "tmp", 0, STATX_BASIC_STATS, &sx));
    printf("  mask %#x mount root %d attributes_mask %#llx\n", sx.stx_mask,
           (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0, (unsigned long long)sx.stx_attributes_mask);
    int fd = open("tmp/fs_statx", O_CREAT | O_RDWR | O_TRUNC, 0600);
    TRY("statx new file, STATX_ALL", statx(AT_FDCWD, "tmp/fs_statx", 0, STATX_ALL, &sx));
    printf("  mask %#x attributes %#llx btime==mtime %d btime>0 %d\n", sx.stx_mask,
           (unsigned long long)sx.stx_attributes,
           sx.stx_btime.tv_sec == sx.stx_mtime.tv_sec && sx.stx_btime.tv_nsec == sx.stx_mtime.tv_nsec,
           sx.stx_btime.tv_sec > 0);
    unsigned long long id = sx.stx_mnt_id;
    TRY("statx unique mount id", statx(fd, "", AT_EMPTY_PATH, STATX_ALL | STATX_MNT_ID_UNIQUE, &sx));
    printf("  mask %#x unique id > 2^31 %d differs from mount id %d\n", sx.stx_mask, sx.stx_mnt_id > (1ULL << 31),
           sx.stx_mnt_id != id);
    TRY("statx every mask bit", statx(fd, "", AT_EMPTY_PATH, 0x7fffffff, &sx));
    printf("  mask %#x\n", sx.stx_mask);
    /* Multigrain timestamps (tmpfs since 6.13): mtime and ctime are reported only when asked for. */
    TRY("statx no mask bits", statx(fd, "", AT_EMPTY_PATH, 0, &sx));
    printf("  mask %#x mtime %lld ctime %lld\n", sx.stx_mask, (long long)sx.stx_mtime.tv_sec,
           (long long)sx.stx_ctime.tv_sec);
    TRY("statx mtime only", statx(fd, "", AT_EMPTY_PATH, STATX_MTIME, &sx));
    printf("  mask %#x mtime>0 %d ctime>0 %d\n", sx.stx_mask, sx.stx_mtime.tv_sec > 0, sx.stx_ctime.tv_sec > 0);
    struct statx dx;
    statx(AT_FDCWD, "tmp", 0, 0, &dx);
    statx(fd, "", AT_EMPTY_PATH, 0, &sx);
    printf("  same mount as tmp %d\n", sx.stx_mnt_id == dx.stx_mnt_id);
    statx(AT_FDCWD, "data", 0, 0, &dx);
    printf("  data on another mount %d\n", sx.stx_mnt_id != dx.stx_mnt_id);
    /* A write moves mtime and ctime, never the birth time. */
    struct statx before = sx;
    statx(fd, "", AT_EMPTY_PATH, STATX_BTIME | STATX_MTIME, &before);
    usleep(20000);
    write(fd, "x", 1);
    statx(fd, "", AT_EMPTY_PATH, STATX_BTIME | STATX_MTIME, &sx);
    printf("  after write: btime same %d mtime later %d\n",
           sx.stx_btime.tv_sec == before.stx_btime.tv_sec && sx.stx_btime.tv_nsec == before.stx_btime.tv_nsec,
           sx.stx_mtime.tv_sec > before.stx_mtime.tv_sec ||
           (sx.stx_mtime.tv_sec == before.stx_mtime.tv_sec && sx.stx_mtime.tv_nsec > before.stx_mtime.tv_nsec));
    struct timespec ts[2] = {{1LL << 40, 1}, {-(1LL << 35), 999999999}};
    TRY("utimensat far times", futimens(fd, ts));
    struct stat st;
    fstat(fd, &st);
    printf("  atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    close(fd);
}

static void fallocate_tests(void) {
    printf("--- tmpfs fallocate\n");
    int fd = open("tmp/fs_falloc", O_CREAT | O_RDWR | O_TRUNC, 0644);
    TRY("allocate 3 pages", fallocate(fd, 0, 0, 3 * 4096));
    TRY("SEEK_DATA 0 (unwritten)", lseek(fd, 0, SEEK_DATA));
    TRY("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
    pwrite(fd, "x", 1, 4096 + 7);
    TRY("SEEK_DATA 0 after a write", lseek(fd, 0, SEEK_DATA));
    TRY("SEEK_HOLE 4096", lseek(fd, 4096, SEEK_HOLE));
    char b[2] = "zz";
    pread(fd, b, 2, 4096 + 6);
    printf("  around the write: %d %c\n", b[0], b[1]);
    TRY("zero range", fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 4096));
    TRY("collapse range", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096));
    TRY("insert range", fallocate(fd, FALLOC_FL_INSERT_RANGE, 0, 4096));
    TRY("unshare range", fallocate(fd, FALLOC_FL_UNSHARE_RANGE, 0, 4096));
    TRY("write zeroes", fallocate(fd, 0x80, 0, 4096));
    TRY("write zeroes + keep size", fallocate(fd, 0x80 | FALLOC_FL_KEEP_SIZE, 0, 4096));
    TRY("more than the filesystem", fallocate(fd, 0, 0, 1LL << 60));
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, rl;
    getrlimit(RLIMIT_FSIZE, &old);
    rl = old;
    rl.rlim_cur = 15000;
    setrlimit(RLIMIT_FSIZE, &rl);
    errno = 0;
    long r = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000);
    int e = errno;
    setrlimit(RLIMIT_FSIZE, &old);
    printf("%-38s -> %ld %s\n", "keep size past RLIMIT_FSIZE", r, r < 0 ? strerrorname_np(e) : "");
    close(fd);
}

static void rwf_tests(void) {
    printf("--- preadv2/pwritev2\n");
    int fd = open("tmp/fs_rwf", O_CREAT | O_RDWR | O_TRUNC, 0644);
    char buf[16] = "hello";
    struct iovec iov = {buf, 5};
    for (int f = 1; f <= 0x200; f <<= 1) {
        char l[64];
        snprintf(l, sizeof l, "pwritev2 flag %#x", f);
        TRY(l, pw2(fd, &iov, 1, 0, f));
        snprintf(l, sizeof l, "preadv2 flag %#x", f);
        TRY(l, pv2(fd, &iov, 1, 0, f));
    }
    TRY("RWF_APPEND|RWF_NOAPPEND", pw2(fd, &iov, 1, 0, 0x30));
    TRY("unknown flag, nothing to move", pw2(fd, &iov, 0, 0, 0x1000));
    TRY("unknown flag, bad fd", pv2(99, &iov, 1, 0, 0x1000));
    TRY("size", lseek(fd, 0, SEEK_END));
    TRY("RWF_APPEND at 0", pw2(fd, &iov, 1, 0, 0x10));
    TRY("position unchanged", lseek(fd, 0, SEEK_CUR));
    TRY("size", lseek(fd, 0, SEEK_END));
    lseek(fd, 2, SEEK_SET);
    TRY("RWF_APPEND at the position", pw2(fd, &iov, 1, -1, 0x10));
    TRY("position moved to the end", lseek(fd, 0, SEEK_CUR));
    int afd = open("tmp/fs_rwf", O_RDWR | O_APPEND);
    TRY("RWF_NOAPPEND on O_APPEND at 0", pw2(afd, &iov, 1, 0, 0x20));
    TRY("size unchanged", lseek(fd, 0, SEEK_END));
    TRY("plain pwritev2 on O_APPEND", pw2(afd, &iov, 1, 0, 0));
    TRY("size grew", lseek(fd, 0, SEEK_END));
    close(afd);
    int pp[2];
    pipe(pp);
    TRY("pipe: NOWAIT read, empty", pv2(pp[0], &iov, 1, -1, 8));
    TRY("pipe: NOWAIT write", pw2(pp[1], &iov, 1, -1, 8));
    TRY("pipe: HIPRI|DSYNC|SYNC write", pw2(pp[1], &iov, 1, -1, 7));
    TRY("pipe: APPEND write", pw2(pp[1], &iov, 1, -1, 0x10));
    TRY("pipe: DONTCACHE", pw2(pp[1], &iov, 1, -1, 0x80));
    TRY("pipe: ATOMIC", pw2(pp[1], &iov, 1, -1, 0x40));
    TRY("pipe: at offset 0", pv2(pp[0], &iov, 1, 0, 0));
    TRY("pipe: NOWAIT read", pv2(pp[0], &iov, 1, -1, 8));
    close(pp[0]);
    TRY("pipe: NOSIGNAL write, no reader", pw2(pp[1], &iov, 1, -1, 0x100));
    close(pp[1]);
    close(fd);
}

static void chmod2_tests(void) {
    printf("--- fchmodat2\n");
    int fd = open("tmp/fs_chmod2", O_CREAT | O_RDWR | O_TRUNC, 0644);
    TRY("fchmodat2 nofollow, regular file", syscall(SYS_fchmodat2, AT_FDCWD, "tmp/fs_chmod2", 0600, AT_SYMLINK_NOFOLLOW));
    TRY("fchmodat2 bad flag", syscall(SYS_fchmodat2, AT_FDCWD, "tmp/fs_chmod2", 0600, 0x4000));
    TRY("fchmodat2 empty path", syscall(SYS_fchmodat2, fd, "", 0640, AT_EMPTY_PATH));
    TRY("fchmodat2 empty, no flag", syscall(SYS_fchmodat2, fd, "", 0640, 0));
    struct stat st;
    fstat(fd, &st);
    printf("  mode %o\n", st.st_mode & 07777);
    TRY("fchmodat2 on tmp (mount root)", syscall(SYS_fchmodat2, AT_FDCWD, "tmp", 01777, 0));
    close(fd);
}

static void readonly_tests(void) {
    printf("--- read-only mount\n");
    const char *p = "data/hello.txt";
    struct timespec ts[2] = {{1, 0}, {2, 0}};
    TRY("chmod", chmod(p, 0600));
    TRY("chown", chown(p, 1, 1));
    TRY("chown -1 -1", chown(p, -1, -1));
    TRY("utimensat", utimensat(AT_FDCWD, p, ts, 0));
    TRY("utimensat NULL", utimensat(AT_FDCWD, p, NULL, 0));
    ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
    TRY("utimensat both omit", utimensat(AT_FDCWD, p, ts, 0));
    TRY("truncate", truncate(p, 0));
    TRY("setxattr", setxattr(p, "user.x", "1", 1, 0));
    TRY("removexattr", removexattr(p, "user.x"));
    int fd = open(p, O_RDONLY);
    TRY("fchmod", fchmod(fd, 0600));
    TRY("fchown", fchown(fd, 0, 0));
    TRY("fsetxattr", fsetxattr(fd, "user.x", "1", 1, 0));
    TRY("ftruncate (read-only fd)", ftruncate(fd, 0));
    TRY("fsync", fsync(fd));
    int out = open("tmp/fs_copy", O_CREAT | O_RDWR | O_TRUNC, 0644);
    TRY("copy_file_range across filesystems", copy_file_range(fd, NULL, out, NULL, 5, 0));
    TRY("sendfile across filesystems", sendfile(out, fd, NULL, 5));
    char buf[16];
    ssize_t n = pread(out, buf, sizeof buf, 0);
    printf("  copied: %.*s\n", (int)n, buf);
    close(out);
    close(fd);
}

static void xattr_order(void) {
    printf("--- tmpfs xattrs\n");
    int fd = open("tmp/fs_xattr", O_CREAT | O_RDWR | O_TRUNC, 0644);
    fsetxattr(fd, "user.b", "1", 1, 0);
    fsetxattr(fd, "user.a", "22", 2, 0);
    fsetxattr(fd, "trusted.t", "3", 1, 0);
    fsetxattr(fd, "security.s", "3", 1, 0);
    fsetxattr(fd, "user.e", "", 0, 0);
    char buf[256];
    ssize_t n = flistxattr(fd, buf, sizeof buf);
    printf("list %zd:", n);
    for (char *q = buf; q < buf + n; q += strlen(q) + 1) printf(" %s", q);
    printf("\n");
    TRY("user.x on tmp (sticky, root)", setxattr("tmp", "user.x", "1", 1, 0));
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    statfs_tests();
    statx_tests();
    fallocate_tests();
    rwf_tests();
    chmod2_tests();
    readonly_tests();
    xattr_order();
    return 0;
}
