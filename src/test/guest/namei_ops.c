/* The namespace-changing syscalls of fs/namei.c on a writable directory (tmp/, a tmpfs under
   kava, the host's directory under qemu): mkdirat, mknodat, unlinkat (unlink and rmdir),
   symlinkat, linkat (with O_TMPFILE files), their errors in Linux's order, link counts and
   the timestamps they change. Nothing printed depends on the filesystem (no inode numbers,
   sizes of directories or block counts). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-34s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static struct stat st(const char *p) {
    struct stat s;
    memset(&s, 0, sizeof s);
    if (lstat(p, &s) != 0) printf("  lstat %s: %s\n", p, strerrorname_np(errno));
    return s;
}

static const char *kind(mode_t m) {
    return S_ISREG(m) ? "reg" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "lnk" : S_ISFIFO(m) ? "fifo"
         : S_ISCHR(m) ? "chr" : S_ISBLK(m) ? "blk" : S_ISSOCK(m) ? "sock" : "?";
}

static void show(const char *p) {
    struct stat s = st(p);
    printf("  %s: %s mode %04o nlink %ld\n", p, kind(s.st_mode), s.st_mode & 07777, (long)s.st_nlink);
}

/* Timestamps move on a coarse clock: wait long enough that a change shows. */
static void tick(void) {
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static int newer(struct timespec a, struct timespec b) {
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static int mk(const char *p, const char *text) {
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { printf("  create %s: %s\n", p, strerrorname_np(errno)); return -1; }
    if (text) write(fd, text, strlen(text));
    close(fd);
    return 0;
}

static void cat(const char *p) {
    char buf[64];
    int fd = open(p, O_RDONLY);
    if (fd < 0) { printf("  open %s: %s\n", p, strerrorname_np(errno)); return; }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    printf("  %s holds \"%.*s\"\n", p, (int)(n > 0 ? n : 0), buf);
}

static void mkdirs(void) {
    printf("== mkdir\n");
    umask(022);
    TRY("mkdir", mkdir("tmp/t", 0777));
    show("tmp/t");
    TRY("mkdir again", mkdir("tmp/t", 0777));
    TRY("mkdir x/.", mkdir("tmp/t/.", 0777));
    TRY("mkdir x/..", mkdir("tmp/t/..", 0777));
    TRY("mkdir trailing slash", mkdir("tmp/t/sub/", 0700));
    show("tmp/t/sub");
    TRY("mkdir missing parent", mkdir("tmp/none/x", 0777));
    mk("tmp/t/f", "file f");
    TRY("mkdir under a file", mkdir("tmp/t/f/x", 0777));
    TRY("mkdir on a file", mkdir("tmp/t/f", 0777));
    TRY("mkdir on a file/", mkdir("tmp/t/f/", 0777));
    TRY("mkdir empty", mkdir("", 0777));
    TRY("mkdir /", mkdir("/", 0777));
    char name[300] = "tmp/t/";
    memset(name + 6, 'n', 256);
    name[6 + 256] = 0;
    TRY("mkdir 256-byte name", mkdir(name, 0777));
    name[6 + 255] = 0;
    TRY("mkdir 255-byte name", mkdir(name, 0777));
    TRY("rmdir 255-byte name", rmdir(name));
    umask(0);
    TRY("mkdir 07777 umask 0", mkdir("tmp/t/all", 07777));
    show("tmp/t/all");
    umask(027);
    TRY("mkdir 0777 umask 027", mkdir("tmp/t/masked", 0777));
    show("tmp/t/masked");
    umask(022);
    TRY("mkdirat bad fd", mkdirat(99, "x", 0777));
    int fd = open("tmp/t/f", O_RDONLY);
    TRY("mkdirat file fd", mkdirat(fd, "x", 0777));
    close(fd);
    fd = open("tmp/t", O_RDONLY | O_DIRECTORY);
    TRY("mkdirat dir fd", mkdirat(fd, "viafd", 0755));
    close(fd);
    show("tmp/t/viafd");

    printf("== link counts and times of the parent\n");
    struct stat before = st("tmp/t");
    printf("  parent nlink %ld\n", (long)before.st_nlink);
    tick();
    TRY("mkdir child", mkdir("tmp/t/c1", 0755));
    struct stat after = st("tmp/t");
    printf("  parent nlink %ld mtime changed %d ctime changed %d\n", (long)after.st_nlink,
           newer(after.st_mtim, before.st_mtim), newer(after.st_ctim, before.st_ctim));
    show("tmp/t/c1");
    before = after;
    tick();
    TRY("create file", mk("tmp/t/c2", NULL));
    after = st("tmp/t");
    printf("  parent nlink %ld mtime changed %d\n", (long)after.st_nlink, newer(after.st_mtim, before.st_mtim));
    before = after;
    tick();
    TRY("rmdir child", rmdir("tmp/t/c1"));
    after = st("tmp/t");
    printf("  parent nlink %ld mtime changed %d ctime changed %d\n", (long)after.st_nlink,
           newer(after.st_mtim, before.st_mtim), newer(after.st_ctim, before.st_ctim));
}

static void rmdirs(void) {
    printf("== rmdir\n");
    mkdir("tmp/t/full", 0755);
    mkdir("tmp/t/full/in", 0755);
    TRY("rmdir non-empty", rmdir("tmp/t/full"));
    TRY("rmdir x/.", rmdir("tmp/t/full/."));
    TRY("rmdir x/..", rmdir("tmp/t/full/in/.."));
    TRY("rmdir .", rmdir("."));
    TRY("rmdir /", rmdir("/"));
    TRY("rmdir a file", rmdir("tmp/t/f"));
    TRY("rmdir a file/", rmdir("tmp/t/f/"));
    TRY("rmdir missing", rmdir("tmp/t/none"));
    symlink("full", "tmp/t/tofull");
    TRY("rmdir symlink to dir", rmdir("tmp/t/tofull"));
    TRY("rmdir symlink to dir/", rmdir("tmp/t/tofull/"));
    TRY("rmdir dir/", rmdir("tmp/t/full/in/"));
    TRY("rmdir now empty", rmdir("tmp/t/full"));
    TRY("unlinkat bad flag", unlinkat(AT_FDCWD, "tmp/t/f", 0x1));
    TRY("unlinkat AT_REMOVEDIR file", unlinkat(AT_FDCWD, "tmp/t/f", AT_REMOVEDIR));
    mkdir("tmp/t/gone", 0755);
    TRY("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "tmp/t/gone", AT_REMOVEDIR));
    unlink("tmp/t/tofull");
}

static void unlinks(void) {
    printf("== unlink\n");
    mk("tmp/t/u", "doomed");
    TRY("unlink a dir", unlink("tmp/t/sub"));
    TRY("unlink dir/", unlink("tmp/t/sub/"));
    TRY("unlink file/", unlink("tmp/t/u/"));
    TRY("unlink x/.", unlink("tmp/t/sub/."));
    TRY("unlink x/..", unlink("tmp/t/sub/.."));
    TRY("unlink missing", unlink("tmp/t/none"));
    TRY("unlink missing/", unlink("tmp/t/none/"));
    TRY("unlink under a file", unlink("tmp/t/u/x"));
    int fd = open("tmp/t/u", O_RDONLY);
    TRY("unlink open file", unlink("tmp/t/u"));
    TRY("unlink again", unlink("tmp/t/u"));
    struct stat s;
    fstat(fd, &s);
    char buf[16];
    ssize_t n = read(fd, buf, sizeof buf);
    printf("  open file: nlink %ld, still reads \"%.*s\"\n", (long)s.st_nlink, (int)n, buf);
    TRY("linkat of unlinked file", linkat(fd, "", AT_FDCWD, "tmp/t/back", AT_EMPTY_PATH));
    close(fd);
    mk("tmp/t/target", "target");
    symlink("target", "tmp/t/sl");
    TRY("unlink a symlink", unlink("tmp/t/sl"));
    cat("tmp/t/target");
    TRY("unlink .", unlink("."));
}

static void symlinks(void) {
    printf("== symlink\n");
    TRY("symlink", symlink("target", "tmp/t/l"));
    struct stat s = st("tmp/t/l");
    printf("  %s size %lld\n", kind(s.st_mode), (long long)s.st_size);
    char buf[64];
    ssize_t n = readlink("tmp/t/l", buf, sizeof buf);
    printf("  readlink %.*s\n", (int)n, buf);
    cat("tmp/t/l");
    TRY("symlink exists", symlink("x", "tmp/t/l"));
    TRY("symlink over a dir", symlink("x", "tmp/t/sub"));
    TRY("symlink empty target", symlink("", "tmp/t/l2"));
    TRY("symlink dangling", symlink("nowhere/at/all", "tmp/t/dang"));
    TRY("symlink name/", symlink("x", "tmp/t/l3/"));
    TRY("symlink under a file", symlink("x", "tmp/t/f/l"));
    TRY("symlink x/.", symlink("x", "tmp/t/sub/."));
    TRY("mkdir over dangling", mkdir("tmp/t/dang", 0777));
    TRY("mknod over dangling", mknod("tmp/t/dang", S_IFIFO | 0644, 0));
    TRY("open O_CREAT|O_EXCL dangling", open("tmp/t/dang", O_CREAT | O_EXCL | O_WRONLY, 0644));
    char longt[200];
    memset(longt, 'z', sizeof longt - 1);
    longt[sizeof longt - 1] = 0;
    TRY("symlink long target", symlink(longt, "tmp/t/long"));
    n = readlink("tmp/t/long", buf, sizeof buf);
    printf("  readlink truncated to %zd\n", n);
    int fd = open("tmp/t", O_RDONLY | O_DIRECTORY);
    TRY("symlinkat dir fd", symlinkat("viafd", fd, "lfd"));
    close(fd);
    show("tmp/t/lfd");
}

static void links(void) {
    printf("== link\n");
    mk("tmp/t/a", "content a");
    struct stat s0 = st("tmp/t/a");
    tick();
    TRY("link", link("tmp/t/a", "tmp/t/b"));
    struct stat sa = st("tmp/t/a"), sb = st("tmp/t/b");
    printf("  nlink %ld %ld same inode %d ctime changed %d\n", (long)sa.st_nlink, (long)sb.st_nlink,
           sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev, newer(sa.st_ctim, s0.st_ctim));
    TRY("link again", link("tmp/t/a", "tmp/t/b"));
    TRY("link a dir", link("tmp/t/sub", "tmp/t/sub2"));
    TRY("link missing", link("tmp/t/none", "tmp/t/c"));
    TRY("link to name/", link("tmp/t/a", "tmp/t/c/"));
    TRY("link from name/", link("tmp/t/a/", "tmp/t/c"));
    TRY("link to x/.", link("tmp/t/a", "tmp/t/sub/."));
    TRY("linkat bad flags", linkat(AT_FDCWD, "tmp/t/a", AT_FDCWD, "tmp/t/c", 0x200));
    TRY("linkat empty no flag", linkat(AT_FDCWD, "", AT_FDCWD, "tmp/t/c", 0));
    TRY("unlink a", unlink("tmp/t/a"));
    show("tmp/t/b");
    cat("tmp/t/b");
    symlink("b", "tmp/t/lb");
    TRY("link symlink itself", linkat(AT_FDCWD, "tmp/t/lb", AT_FDCWD, "tmp/t/lb2", 0));
    show("tmp/t/lb2");
    TRY("link symlink followed", linkat(AT_FDCWD, "tmp/t/lb", AT_FDCWD, "tmp/t/b2", AT_SYMLINK_FOLLOW));
    show("tmp/t/b2");
    show("tmp/t/b");
    int dfd = open("tmp/t", O_RDONLY | O_DIRECTORY);
    TRY("linkat relative to dirfds", linkat(dfd, "b", dfd, "b3", 0));
    TRY("linkat dir fd AT_EMPTY_PATH", linkat(dfd, "", AT_FDCWD, "tmp/t/dirlink", AT_EMPTY_PATH));
    close(dfd);
    show("tmp/t/b");

    printf("== O_TMPFILE\n");
    int fd = open("tmp/t", O_TMPFILE | O_RDWR, 0600);
    printf("  O_TMPFILE ok %d\n", fd >= 0);
    write(fd, "anonymous", 9);
    struct stat s;
    fstat(fd, &s);
    printf("  nlink %ld %s mode %04o\n", (long)s.st_nlink, kind(s.st_mode), s.st_mode & 07777);
    TRY("linkat it in", linkat(fd, "", AT_FDCWD, "tmp/t/named", AT_EMPTY_PATH));
    fstat(fd, &s);
    printf("  nlink %ld\n", (long)s.st_nlink);
    cat("tmp/t/named");
    TRY("linkat it again", linkat(fd, "", AT_FDCWD, "tmp/t/named2", AT_EMPTY_PATH));
    fstat(fd, &s);
    printf("  nlink %ld\n", (long)s.st_nlink);
    close(fd);
    fd = open("tmp/t", O_TMPFILE | O_RDWR | O_EXCL, 0600);
    printf("  O_TMPFILE|O_EXCL ok %d\n", fd >= 0);
    TRY("linkat O_EXCL tmpfile", linkat(fd, "", AT_FDCWD, "tmp/t/named3", AT_EMPTY_PATH));
    close(fd);
}

static void mknods(void) {
    printf("== mknod\n");
    umask(022);
    TRY("mknod fifo", mknod("tmp/t/fifo", S_IFIFO | 0666, 0));
    show("tmp/t/fifo");
    TRY("mknod regular", mknod("tmp/t/reg", S_IFREG | 0666, 0));
    show("tmp/t/reg");
    TRY("mknod type 0", mknod("tmp/t/zero", 0640, 0));
    show("tmp/t/zero");
    TRY("mknod socket", mknod("tmp/t/sock", S_IFSOCK | 0600, 0));
    show("tmp/t/sock");
    TRY("mknod char 1,3", mknod("tmp/t/null", S_IFCHR | 0666, makedev(1, 3)));
    struct stat s = st("tmp/t/null");
    printf("  %s %u,%u mode %04o\n", kind(s.st_mode), major(s.st_rdev), minor(s.st_rdev), s.st_mode & 07777);
    TRY("mknod block 7,300", mknod("tmp/t/loop", S_IFBLK | 0600, makedev(7, 300)));
    s = st("tmp/t/loop");
    printf("  %s %u,%u mode %04o\n", kind(s.st_mode), major(s.st_rdev), minor(s.st_rdev), s.st_mode & 07777);
    TRY("mknod dir", mknod("tmp/t/d", S_IFDIR | 0755, 0));
    TRY("mknod bad type", mknod("tmp/t/bad", 0110000 | 0644, 0));
    TRY("mknod dir, missing parent", mknod("tmp/none/d", S_IFDIR | 0755, 0));
    TRY("mknod exists", mknod("tmp/t/fifo", S_IFIFO | 0644, 0));
    TRY("mknod name/", mknod("tmp/t/fifo2/", S_IFIFO | 0644, 0));
    TRY("mknod missing parent", mknod("tmp/none/f", S_IFIFO | 0644, 0));
    TRY("mknod setuid fifo", mknod("tmp/t/suid", S_IFIFO | 04755, 0));
    show("tmp/t/suid");
}

int main(void) {
    mkdirs();
    rmdirs();
    unlinks();
    symlinks();
    links();
    mknods();
    return 0;
}
