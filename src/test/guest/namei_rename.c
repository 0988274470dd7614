/* renameat2 on a writable directory (tmp/): plain renames over files and directories,
   RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT, every error of do_renameat2 and
   vfs_rename that one filesystem can show, link counts of the directories involved,
   timestamps, and directory listings (sorted: the order of entries is the filesystem's). */
#define _GNU_SOURCE
#include <dirent.h>
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

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)
#endif

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-36s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static long rn(const char *a, const char *b, unsigned flags) {
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

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

static void tick(void) {
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static int newer(struct timespec a, struct timespec b) {
    return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static void mk(const char *p, const char *text) {
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) { printf("  create %s: %s\n", p, strerrorname_np(errno)); return; }
    write(fd, text, strlen(text));
    close(fd);
}

static void cat(const char *p) {
    char buf[64];
    int fd = open(p, O_RDONLY);
    if (fd < 0) { printf("  %s: %s\n", p, strerrorname_np(errno)); return; }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    printf("  %s holds \"%.*s\"\n", p, (int)(n > 0 ? n : 0), buf);
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The entries of a directory, sorted, with their kinds. */
static void ls(const char *p) {
    DIR *d = opendir(p);
    if (!d) { printf("  ls %s: %s\n", p, strerrorname_np(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char full[512];
        snprintf(full, sizeof full, "%s/%s", p, e->d_name);
        struct stat s = st(full);
        char *line = malloc(300);
        snprintf(line, 300, "%s(%s)", e->d_name, kind(s.st_mode));
        names[n++] = line;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmpstr);
    printf("  ls %s:", p);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

static void nlinks(const char *a, const char *b) {
    printf("  nlink %s=%ld %s=%ld\n", a, (long)st(a).st_nlink, b, (long)st(b).st_nlink);
}

int main(void) {
    umask(022);
    mkdir("tmp/r", 0755);
    mkdir("tmp/r/d1", 0755);
    mkdir("tmp/r/d2", 0755);
    mk("tmp/r/f1", "one");
    mk("tmp/r/f2", "two");

    printf("== plain renames\n");
    struct stat f0 = st("tmp/r/f1"), p0 = st("tmp/r");
    tick();
    TRY("rename file", rename("tmp/r/f1", "tmp/r/g1"));
    struct stat f1 = st("tmp/r/g1"), p1 = st("tmp/r");
    printf("  same inode %d, its ctime changed %d, dir mtime changed %d ctime changed %d\n",
           f0.st_ino == f1.st_ino, newer(f1.st_ctim, f0.st_ctim), newer(p1.st_mtim, p0.st_mtim),
           newer(p1.st_ctim, p0.st_ctim));
    TRY("old name gone", access("tmp/r/f1", F_OK));
    TRY("rename missing", rename("tmp/r/f1", "tmp/r/x"));
    TRY("rename to itself", rename("tmp/r/g1", "tmp/r/g1"));
    link("tmp/r/f2", "tmp/r/f2link");
    TRY("rename onto own hard link", rename("tmp/r/f2", "tmp/r/f2link"));
    nlinks("tmp/r/f2", "tmp/r/f2link");
    unlink("tmp/r/f2link");
    link("tmp/r/f2", "tmp/r/keep");
    struct stat k0 = st("tmp/r/keep");
    tick();
    TRY("rename over a file", rename("tmp/r/g1", "tmp/r/f2"));
    struct stat k1 = st("tmp/r/keep");
    cat("tmp/r/f2");
    printf("  replaced file: nlink %ld, ctime changed %d\n", (long)k1.st_nlink, newer(k1.st_ctim, k0.st_ctim));
    cat("tmp/r/keep");
    ls("tmp/r");

    printf("== directories\n");
    mkdir("tmp/r/d1/sub", 0755);
    mk("tmp/r/d1/sub/inner", "inner");
    nlinks("tmp/r/d1", "tmp/r/d2");
    struct stat s0 = st("tmp/r/d1/sub");
    tick();
    TRY("move dir to other parent", rename("tmp/r/d1/sub", "tmp/r/d2/sub"));
    nlinks("tmp/r/d1", "tmp/r/d2");
    struct stat s1 = st("tmp/r/d2/sub");
    printf("  moved dir ctime changed %d\n", newer(s1.st_ctim, s0.st_ctim));
    cat("tmp/r/d2/sub/inner");
    mkdir("tmp/r/d1/empty", 0755);
    nlinks("tmp/r/d1", "tmp/r/d2");
    TRY("dir over non-empty dir", rename("tmp/r/d1/empty", "tmp/r/d2"));
    TRY("dir over empty dir", rename("tmp/r/d2/sub", "tmp/r/d1/empty"));
    nlinks("tmp/r/d1", "tmp/r/d2");
    ls("tmp/r/d1");
    ls("tmp/r/d2");
    TRY("dir over a file", rename("tmp/r/d1/empty", "tmp/r/f2"));
    TRY("file over a dir", rename("tmp/r/f2", "tmp/r/d2"));
    TRY("dir into itself", rename("tmp/r/d1", "tmp/r/d1/x"));
    TRY("dir into its subdir", rename("tmp/r/d1", "tmp/r/d1/empty/x"));
    TRY("dir over its parent", rename("tmp/r/d1/empty", "tmp/r/d1"));
    TRY("dir over its grandparent", rename("tmp/r/d1/empty/inner", "tmp/r/d1"));
    TRY("rename .", rename("tmp/r/d1/.", "tmp/r/x"));
    TRY("rename ..", rename("tmp/r/d1/..", "tmp/r/x"));
    TRY("rename onto .", rename("tmp/r/f2", "tmp/r/d1/."));
    TRY("rename onto .. NOREPLACE", rn("tmp/r/f2", "tmp/r/d1/..", RENAME_NOREPLACE));
    TRY("rename file/", rename("tmp/r/f2/", "tmp/r/x"));
    TRY("rename to name/", rename("tmp/r/f2", "tmp/r/x/"));
    TRY("rename dir/ to name/", rename("tmp/r/d2/", "tmp/r/d3/"));
    TRY("rename missing parent", rename("tmp/r/none/x", "tmp/r/x"));
    TRY("rename to missing parent", rename("tmp/r/f2", "tmp/r/none/x"));
    TRY("rename under a file", rename("tmp/r/f2/x", "tmp/r/x"));
    TRY("rename empty", rename("", "tmp/r/x"));
    ls("tmp/r");

    printf("== RENAME_NOREPLACE\n");
    mk("tmp/r/n1", "n1");
    TRY("NOREPLACE onto a file", rn("tmp/r/n1", "tmp/r/f2", RENAME_NOREPLACE));
    TRY("NOREPLACE onto a dir", rn("tmp/r/n1", "tmp/r/d1", RENAME_NOREPLACE));
    TRY("NOREPLACE to a new name", rn("tmp/r/n1", "tmp/r/n2", RENAME_NOREPLACE));
    TRY("NOREPLACE missing source", rn("tmp/r/n1", "tmp/r/f2", RENAME_NOREPLACE));

    printf("== RENAME_EXCHANGE\n");
    mk("tmp/r/x1", "x1");
    mkdir("tmp/r/d3/xd", 0755);
    mk("tmp/r/d3/xd/in", "in xd");
    nlinks("tmp/r", "tmp/r/d3");
    struct stat e0 = st("tmp/r/x1"), e1 = st("tmp/r/d3/xd");
    tick();
    TRY("exchange file and dir", rn("tmp/r/x1", "tmp/r/d3/xd", RENAME_EXCHANGE));
    struct stat e2 = st("tmp/r/d3/xd"), e3 = st("tmp/r/x1");
    printf("  now %s and %s; ctimes changed %d %d\n", kind(e2.st_mode), kind(e3.st_mode),
           newer(e2.st_ctim, e0.st_ctim), newer(e3.st_ctim, e1.st_ctim));
    nlinks("tmp/r", "tmp/r/d3");
    cat("tmp/r/d3/xd");
    cat("tmp/r/x1/in");
    TRY("exchange with missing", rn("tmp/r/x1", "tmp/r/none", RENAME_EXCHANGE));
    TRY("exchange missing source", rn("tmp/r/none", "tmp/r/x1", RENAME_EXCHANGE));
    TRY("exchange with own subdir", rn("tmp/r/d3", "tmp/r/d3/xd", RENAME_EXCHANGE));
    TRY("exchange with own parent", rn("tmp/r/d3/xd", "tmp/r/d3", RENAME_EXCHANGE));
    TRY("exchange file/ with dir", rn("tmp/r/d3/xd/", "tmp/r/x1", RENAME_EXCHANGE));
    TRY("exchange dir with file/", rn("tmp/r/x1", "tmp/r/d3/xd/", RENAME_EXCHANGE));
    TRY("exchange dir/ with file", rn("tmp/r/x1/", "tmp/r/d3/xd", RENAME_EXCHANGE));
    TRY("exchange same file", rn("tmp/r/f2", "tmp/r/f2", RENAME_EXCHANGE));
    TRY("exchange two files", rn("tmp/r/f2", "tmp/r/n2", RENAME_EXCHANGE));
    cat("tmp/r/f2");
    cat("tmp/r/n2");
    TRY("exchange onto .", rn("tmp/r/f2", "tmp/r/d1/.", RENAME_EXCHANGE));

    printf("== flags\n");
    TRY("EXCHANGE|NOREPLACE", rn("tmp/r/f2", "tmp/r/n2", RENAME_EXCHANGE | RENAME_NOREPLACE));
    TRY("EXCHANGE|WHITEOUT", rn("tmp/r/f2", "tmp/r/n2", RENAME_EXCHANGE | RENAME_WHITEOUT));
    TRY("unknown flag", rn("tmp/r/f2", "tmp/r/n2", 8));
    TRY("unknown flag, missing file", rn("tmp/r/none", "tmp/r/n2", 0x80000000u));

    printf("== RENAME_WHITEOUT\n");
    TRY("whiteout", rn("tmp/r/f2", "tmp/r/w", RENAME_WHITEOUT));
    struct stat w = st("tmp/r/f2");
    printf("  old name: %s %u,%u mode %04o\n", kind(w.st_mode), major(w.st_rdev), minor(w.st_rdev), w.st_mode & 07777);
    cat("tmp/r/w");
    TRY("whiteout|NOREPLACE onto existing", rn("tmp/r/w", "tmp/r/n2", RENAME_WHITEOUT | RENAME_NOREPLACE));
    TRY("whiteout over a file", rn("tmp/r/w", "tmp/r/n2", RENAME_WHITEOUT));
    cat("tmp/r/n2");
    ls("tmp/r");
    return 0;
}
