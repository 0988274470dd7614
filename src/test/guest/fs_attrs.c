/* Attribute syscalls on files under tmp/ (a tmpfs under kava, the host's disk under qemu):
   chmod, chown, utimensat, truncate, ftruncate, fallocate and sparse files (SEEK_DATA/HOLE),
   stat/statx/statfs, who may do what, and setuid/setgid clearing. Prints only what both
   filesystems agree on: no inode or device numbers, no clock readings. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-34s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void show(const char *label, const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0) { printf("%s: lstat %s\n", label, strerrorname_np(errno)); return; }
    printf("%s: mode %o uid %d gid %d size %lld\n", label, st.st_mode, (int)st.st_uid, (int)st.st_gid,
           (long long)st.st_size);
}

static void times_of(const char *label, const char *path) {
    struct stat st;
    stat(path, &st);
    printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", label, (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static long long now_sec(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

static void as_user(int uid) {
    if (syscall(SYS_setresuid, -1, uid, -1) < 0) printf("setresuid %d: %s\n", uid, strerrorname_np(errno));
}

static void chmod_chown(void) {
    const char *p = "tmp/attrs_a";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0666);
    show("created", p);
    TRY("fchmod 0600", fchmod(fd, 0600));
    show("after fchmod", p);
    TRY("chmod 04755", chmod(p, 04755));
    show("after chmod", p);
    TRY("fchmodat 0640", fchmodat(AT_FDCWD, p, 0640, 0));
    TRY("chmod type bits ignored", chmod(p, S_IFDIR | 0644));
    show("after", p);
    TRY("chmod missing", chmod("tmp/attrs_missing", 0644));
    TRY("chmod empty path", chmod("", 0644));
    TRY("fchmod bad fd", fchmod(99, 0644));
    int op = open(p, O_PATH);
    TRY("fchmod O_PATH", fchmod(op, 0644));
    TRY("fchmodat via O_PATH+empty", syscall(SYS_fchmodat, op, "", 0644));
    close(op);

    TRY("fchown 1000:4242", fchown(fd, 1000, 4242));
    show("after fchown", p);
    TRY("chown -1:-1", chown(p, -1, -1));
    TRY("fchownat 0:-1", fchownat(AT_FDCWD, p, 0, -1, 0));
    show("after fchownat", p);
    TRY("fchownat bad flags", fchownat(AT_FDCWD, p, 0, 0, 0x4000));
    TRY("fchownat nofollow", fchownat(AT_FDCWD, p, -1, 0, AT_SYMLINK_NOFOLLOW));
    TRY("fchownat empty no flag", fchownat(fd, "", 0, 0, 0));
    TRY("fchownat empty path", fchownat(fd, "", 0, 0, AT_EMPTY_PATH));

    /* chown always drops setuid, and setgid when group-executable, even for root. */
    fchmod(fd, 06755);
    TRY("chown root -1 -1 (06755)", fchown(fd, -1, -1));
    show("  ->", p);
    fchmod(fd, 02644);
    TRY("chown root -1 -1 (02644)", fchown(fd, -1, -1));
    show("  ->", p);
    fchmod(fd, 04644);
    TRY("chown root 0 0 (04644)", fchown(fd, 0, 0));
    show("  ->", p);

    /* Root keeps its bits when writing; a non-root writer loses them. */
    fchmod(fd, 06777);
    TRY("root write", write(fd, "x", 1));
    show("  ->", p);
    fchown(fd, 1000, 4242);
    fchmod(fd, 06777);
    as_user(1000);
    TRY("owner 1000 write", pwrite(fd, "y", 1, 0));
    show("  ->", p);
    TRY("owner chmod 02755 (not in group)", fchmod(fd, 02755));
    show("  ->", p);
    TRY("owner chmod 0644", chmod(p, 0644));
    TRY("owner chown to 0", fchown(fd, 0, -1));
    TRY("owner chown to self", fchown(fd, 1000, -1));
    TRY("owner chgrp 4243 (not in)", fchown(fd, -1, 4243));
    TRY("owner chgrp to egid 0", fchown(fd, -1, 0));
    show("  ->", p);
    as_user(0);
    fchown(fd, 0, 0);
    fchmod(fd, 0644);
    as_user(1000);
    TRY("other chmod", fchmod(fd, 0666));
    TRY("other chown", fchown(fd, 1000, 1000));
    TRY("other chown -1 -1", fchown(fd, -1, -1));
    as_user(0);
    show("final", p);
    close(fd);
}

static void utimes_tests(void) {
    const char *p = "tmp/attrs_t";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct timespec ts[2] = {{1000, 500}, {2000, 999999999}};
    TRY("utimensat explicit", utimensat(AT_FDCWD, p, ts, 0));
    times_of("  ", p);
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = 3000; ts[1].tv_nsec = 1;
    TRY("utimensat omit atime", utimensat(AT_FDCWD, p, ts, 0));
    times_of("  ", p);
    ts[0].tv_sec = -1; ts[0].tv_nsec = 5; ts[1].tv_nsec = UTIME_OMIT;
    TRY("utimensat negative sec", utimensat(AT_FDCWD, p, ts, 0));
    times_of("  ", p);
    ts[0].tv_nsec = 1000000000;
    TRY("utimensat nsec 1e9", utimensat(AT_FDCWD, p, ts, 0));
    ts[0].tv_nsec = -2;
    TRY("utimensat nsec -2", utimensat(AT_FDCWD, p, ts, 0));
    ts[0].tv_nsec = UTIME_OMIT; ts[1].tv_nsec = UTIME_OMIT;
    TRY("both omit, missing file", utimensat(AT_FDCWD, "tmp/attrs_missing", ts, 0));
    TRY("both omit, bad flags", utimensat(AT_FDCWD, p, ts, 0x4000));
    TRY("bad flags", utimensat(AT_FDCWD, p, NULL, 0x4000));
    TRY("missing file", utimensat(AT_FDCWD, "tmp/attrs_missing", NULL, 0));
    long long before = now_sec();
    TRY("utimensat NULL", utimensat(AT_FDCWD, p, NULL, 0));
    struct stat st;
    stat(p, &st);
    printf("  now: mtime>=before %d mtime==ctime %d atime==mtime %d\n", st.st_mtim.tv_sec >= before,
           st.st_mtim.tv_sec == st.st_ctim.tv_sec && st.st_mtim.tv_nsec == st.st_ctim.tv_nsec,
           st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec == st.st_mtim.tv_nsec);
    ts[0].tv_sec = 7; ts[0].tv_nsec = 7; ts[1].tv_sec = 8; ts[1].tv_nsec = 8;
    TRY("futimens", futimens(fd, ts));
    times_of("  ", p);
    TRY("utimensat fd NULL path", syscall(SYS_utimensat, fd, NULL, ts, 0));
    TRY("utimensat fd NULL path flags", syscall(SYS_utimensat, fd, NULL, ts, AT_SYMLINK_NOFOLLOW));
    TRY("utimensat bad fd NULL path", syscall(SYS_utimensat, 99, NULL, ts, 0));
    TRY("utimensat empty path", utimensat(fd, "", ts, AT_EMPTY_PATH));
    TRY("utimensat empty, no flag", utimensat(fd, "", ts, 0));
    ts[0].tv_nsec = UTIME_NOW; ts[1].tv_nsec = UTIME_OMIT;
    TRY("atime now, mtime omit", utimensat(AT_FDCWD, p, ts, 0));
    stat(p, &st);
    printf("  mtime still 8.8: %d\n", st.st_mtim.tv_sec == 8 && st.st_mtim.tv_nsec == 8);

    /* Who may: explicit times need ownership; "now" needs only write access. */
    fchmod(fd, 0644);
    as_user(1000);
    ts[0].tv_nsec = 1; ts[1].tv_nsec = 1;
    TRY("other, explicit", utimensat(AT_FDCWD, p, ts, 0));
    TRY("other, NULL (no write)", utimensat(AT_FDCWD, p, NULL, 0));
    ts[0].tv_nsec = UTIME_NOW; ts[1].tv_nsec = UTIME_NOW;
    TRY("other, both now (no write)", utimensat(AT_FDCWD, p, ts, 0));
    as_user(0);
    fchmod(fd, 0666);
    as_user(1000);
    TRY("other, NULL (writable)", utimensat(AT_FDCWD, p, NULL, 0));
    TRY("other, both now (writable)", utimensat(AT_FDCWD, p, ts, 0));
    ts[1].tv_nsec = UTIME_OMIT;
    TRY("other, now + omit (writable)", utimensat(AT_FDCWD, p, ts, 0));
    ts[0].tv_nsec = 3; ts[1].tv_nsec = 3;
    TRY("other, explicit (writable)", utimensat(AT_FDCWD, p, ts, 0));
    as_user(0);
    close(fd);
}

static void ignore(int sig) { (void)sig; }

static void truncate_tests(void) {
    const char *p = "tmp/attrs_tr";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "hello world", 11);
    TRY("ftruncate 5", ftruncate(fd, 5));
    TRY("truncate 100", truncate(p, 100));
    show("  ", p);
    char buf[16] = {0};
    pread(fd, buf, 16, 0);
    printf("  content %.5s then zero %d\n", buf, buf[5] == 0 && buf[15] == 0);
    TRY("ftruncate -1", ftruncate(fd, -1));
    TRY("truncate -1", truncate(p, -1));
    TRY("truncate dir", truncate("tmp", 0));
    TRY("truncate missing", truncate("tmp/attrs_missing", 0));
    TRY("truncate empty", truncate("", 0));
    int ro = open(p, O_RDONLY);
    TRY("ftruncate O_RDONLY", ftruncate(ro, 0));
    int op = open(p, O_PATH);
    TRY("ftruncate O_PATH", ftruncate(op, 0));
    TRY("ftruncate bad fd", ftruncate(99, 0));
    int pp[2];
    pipe(pp);
    TRY("ftruncate pipe", ftruncate(pp[1], 0));
    int d = open("tmp", O_RDONLY | O_DIRECTORY);
    TRY("ftruncate dir", ftruncate(d, 0));
    close(d);
    /* RLIMIT_FSIZE: growing past it is EFBIG (and SIGXFSZ); a write crossing it is shortened. */
    signal(SIGXFSZ, ignore);
    struct rlimit old, rl;
    getrlimit(RLIMIT_FSIZE, &old);
    rl = old;
    rl.rlim_cur = 1000;
    /* stdout may be a file the limit applies to: keep the results until it is lifted. */
    long r[6];
    int er[6];
#define REC(i, expr) do { errno = 0; r[i] = (long)(expr); er[i] = errno; } while (0)
    setrlimit(RLIMIT_FSIZE, &rl);
    REC(0, ftruncate(fd, 2000));
    REC(1, ftruncate(fd, 1000));
    REC(2, ftruncate(fd, 10));
    REC(3, pwrite(fd, "0123456789abcdefghij", 20, 990));
    REC(4, pwrite(fd, "x", 1, 1000));
    REC(5, fallocate(fd, 0, 0, 2000));
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    /* (fallocate with FALLOC_FL_KEEP_SIZE past the limit is EFBIG on tmpfs, allowed on ext4.) */
    static const char *what[6] = {"ftruncate past FSIZE", "ftruncate at FSIZE", "ftruncate shrink",
                                  "pwrite crossing FSIZE", "pwrite at FSIZE", "fallocate past FSIZE"};
    for (int i = 0; i < 6; i++) {
        printf("%-34s -> %ld%s%s\n", what[i], r[i], r[i] < 0 ? " " : "", r[i] < 0 ? strerrorname_np(er[i]) : "");
    }
    show("  ", p);
    /* A non-root truncate drops setuid. */
    fchmod(fd, 04777);
    as_user(1000);
    TRY("other truncate (04777)", truncate(p, 3));
    as_user(0);
    show("  ", p);
    fchmod(fd, 0644);
    as_user(1000);
    TRY("other truncate (0644)", truncate(p, 3));
    as_user(0);
    close(fd);
    close(ro);
    close(op);
    close(pp[0]);
    close(pp[1]);
}

static void blocks(const char *label, int fd) {
    struct stat st;
    fstat(fd, &st);
    printf("%s: size %lld blocks %lld\n", label, (long long)st.st_size, (long long)st.st_blocks);
}

static void fallocate_tests(void) {
    const char *p = "tmp/attrs_fa";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    TRY("fallocate 0..8192", fallocate(fd, 0, 0, 8192));
    blocks("  ", fd);
    TRY("fallocate keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 8192));
    blocks("  ", fd);
    TRY("fallocate grows", fallocate(fd, 0, 100, 10000));
    blocks("  ", fd);
    pwrite(fd, "data", 4, 4096);
    TRY("punch hole page 1", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096));
    blocks("  ", fd);
    char b[4] = "zzz";
    pread(fd, b, 4, 4096);
    printf("  punched reads zero: %d\n", b[0] == 0 && b[3] == 0);
    TRY("punch hole without keep", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
    TRY("no-hide-stale", fallocate(fd, FALLOC_FL_NO_HIDE_STALE, 0, 4096));
    TRY("collapse + keep", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    TRY("insert + keep", fallocate(fd, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096));
    TRY("two modes", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE, 0, 4096));
    TRY("unknown mode bit", fallocate(fd, 0x100, 0, 4096));
    TRY("len 0", fallocate(fd, 0, 0, 0));
    TRY("len -1", fallocate(fd, 0, 0, -1));
    TRY("offset -1", fallocate(fd, 0, -1, 10));
    TRY("offset+len wraps", fallocate(fd, 0, 0x7fffffffffffff00LL, 0x1000));
    TRY("bad mode and bad len", fallocate(fd, 0x100, 0, 0));
    int ro = open(p, O_RDONLY);
    TRY("O_RDONLY", fallocate(ro, 0, 0, 10));
    TRY("O_RDONLY, bad mode", fallocate(ro, 0x100, 0, 10));
    int pp[2];
    pipe(pp);
    TRY("pipe write end", fallocate(pp[1], 0, 0, 10));
    TRY("pipe read end", fallocate(pp[0], 0, 0, 10));
    int e = eventfd(0, 0);
    TRY("eventfd", fallocate(e, 0, 0, 10));
    TRY("bad fd", fallocate(99, 0, 0, 10));
    close(ro);
    close(e);
    close(pp[0]);
    close(pp[1]);
    close(fd);
}

static void sparse_tests(void) {
    const char *p = "tmp/attrs_sp";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    pwrite(fd, "a", 1, 0);
    pwrite(fd, "b", 1, 3 * 4096 + 5);
    ftruncate(fd, 10 * 4096);
    TRY("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
    TRY("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
    TRY("SEEK_DATA 1", lseek(fd, 1, SEEK_DATA));
    TRY("SEEK_DATA 4096", lseek(fd, 4096, SEEK_DATA));
    TRY("SEEK_HOLE 12288", lseek(fd, 12288, SEEK_HOLE));
    TRY("SEEK_HOLE 12300", lseek(fd, 12300, SEEK_HOLE));
    TRY("SEEK_DATA 16384", lseek(fd, 16384, SEEK_DATA));
    TRY("SEEK_HOLE 16384", lseek(fd, 16384, SEEK_HOLE));
    TRY("SEEK_HOLE at size", lseek(fd, 10 * 4096, SEEK_HOLE));
    TRY("SEEK_DATA -1", lseek(fd, -1, SEEK_DATA));
    blocks("  ", fd);
    /* Unwritten (fallocated) space is a hole until written. */
    TRY("fallocate 5..7 pages", fallocate(fd, 0, 5 * 4096, 2 * 4096));
    TRY("SEEK_DATA 16384", lseek(fd, 16384, SEEK_DATA));
    pwrite(fd, "c", 1, 6 * 4096 + 10);
    TRY("SEEK_DATA 16384 after write", lseek(fd, 16384, SEEK_DATA));
    TRY("SEEK_HOLE 24576", lseek(fd, 24576, SEEK_HOLE));
    TRY("punch all", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10 * 4096));
    TRY("SEEK_DATA 0 after punch", lseek(fd, 0, SEEK_DATA));
    blocks("  ", fd);
    close(fd);
}

static void statx_tests(void) {
    const char *p = "tmp/attrs_sx";
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0640);
    write(fd, "0123456789", 10);
    struct stat st;
    struct statx sx;
    fstat(fd, &st);
    TRY("statx basic", statx(AT_FDCWD, p, 0, STATX_BASIC_STATS, &sx));
    printf("  mask basic %d mode %d size %d ino %d nlink %d uid/gid %d blocks %d blksize %d dev %d rdev %d\n",
           (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, sx.stx_mode == st.st_mode,
           sx.stx_size == (unsigned long long)st.st_size, sx.stx_ino == st.st_ino, sx.stx_nlink == st.st_nlink,
           sx.stx_uid == st.st_uid && sx.stx_gid == st.st_gid, sx.stx_blocks == (unsigned long long)st.st_blocks,
           sx.stx_blksize == (unsigned)st.st_blksize,
           sx.stx_dev_major == major(st.st_dev) && sx.stx_dev_minor == minor(st.st_dev),
           sx.stx_rdev_major == 0 && sx.stx_rdev_minor == 0);
    printf("  mtime %d ctime %d btime asked %d mnt_id %d\n",
           sx.stx_mtime.tv_sec == st.st_mtim.tv_sec && sx.stx_mtime.tv_nsec == st.st_mtim.tv_nsec,
           sx.stx_ctime.tv_sec == st.st_ctim.tv_sec && sx.stx_ctime.tv_nsec == st.st_ctim.tv_nsec,
           (sx.stx_mask & STATX_BTIME) != 0, (sx.stx_mask & STATX_MNT_ID) != 0);
    TRY("statx btime", statx(AT_FDCWD, p, 0, STATX_BASIC_STATS | STATX_BTIME, &sx));
    printf("  btime %d btime<=mtime %d\n", (sx.stx_mask & STATX_BTIME) != 0,
           sx.stx_btime.tv_sec < sx.stx_mtime.tv_sec ||
           (sx.stx_btime.tv_sec == sx.stx_mtime.tv_sec && sx.stx_btime.tv_nsec <= sx.stx_mtime.tv_nsec));
    TRY("statx empty path fd", statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    printf("  size %llu\n", (unsigned long long)sx.stx_size);
    TRY("statx empty path, bad flag", statx(fd, "", AT_EMPTY_PATH | 0x10000, STATX_BASIC_STATS, &sx));
    TRY("statx path, bad flag", statx(AT_FDCWD, p, 0x10000, STATX_BASIC_STATS, &sx));
    TRY("statx reserved mask", statx(AT_FDCWD, p, 0, 0x80000000u, &sx));
    TRY("statx both sync types", statx(AT_FDCWD, p, AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, 0, &sx));
    TRY("statx force sync", statx(AT_FDCWD, p, AT_STATX_FORCE_SYNC, 0, &sx));
    TRY("statx dont sync", statx(AT_FDCWD, p, AT_STATX_DONT_SYNC, 0, &sx));
    TRY("statx missing", statx(AT_FDCWD, "tmp/attrs_missing", 0, 0, &sx));
    TRY("statx empty, no flag", statx(fd, "", 0, 0, &sx));
    TRY("statx bad fd empty", statx(99, "", AT_EMPTY_PATH, 0, &sx));
    TRY("statx link nofollow", statx(AT_FDCWD, "data/link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
    printf("  is link %d size %llu\n", S_ISLNK(sx.stx_mode), (unsigned long long)sx.stx_size);
    TRY("statx link follow", statx(AT_FDCWD, "data/link", 0, STATX_BASIC_STATS, &sx));
    printf("  is reg %d size %llu\n", S_ISREG(sx.stx_mode), (unsigned long long)sx.stx_size);
    int op = open(p, O_PATH);
    TRY("statx O_PATH fd", statx(op, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    close(op);
    int pp[2];
    pipe(pp);
    TRY("statx pipe", statx(pp[0], "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    printf("  fifo %d mode %o\n", S_ISFIFO(sx.stx_mode), sx.stx_mode & 07777);
    close(pp[0]);
    close(pp[1]);
    close(fd);
}

static void statfs_tests(void) {
    struct statfs a, b;
    TRY("statfs tmp", statfs("tmp", &a));
    int fd = open("tmp/attrs_sx", O_RDONLY);
    TRY("fstatfs tmp file", fstatfs(fd, &b));
    printf("  same type %d bsize>0 %d frsize==bsize %d namelen %ld valid %d\n", a.f_type == b.f_type,
           a.f_bsize > 0, a.f_frsize == a.f_bsize, (long)a.f_namelen, (a.f_flags & 0x20) != 0);
    int op = open("tmp", O_PATH);
    TRY("fstatfs O_PATH", fstatfs(op, &b));
    TRY("statfs missing", statfs("tmp/attrs_missing", &a));
    TRY("statfs empty", statfs("", &a));
    TRY("fstatfs bad fd", fstatfs(99, &a));
    int pp[2];
    pipe(pp);
    TRY("fstatfs pipe", fstatfs(pp[0], &a));
    printf("  pipefs %d bsize %ld namelen %ld flags %#lx\n", a.f_type == 0x50495045, (long)a.f_bsize,
           (long)a.f_namelen, (long)a.f_flags);
    close(pp[0]);
    close(pp[1]);
    close(op);
    close(fd);
}

int main(void) {
    umask(022);
    setvbuf(stdout, NULL, _IONBF, 0);
    chmod_chown();
    utimes_tests();
    truncate_tests();
    fallocate_tests();
    sparse_tests();
    statx_tests();
    statfs_tests();
    return 0;
}
