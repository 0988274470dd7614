/* File syscalls on a read-only tree the test harness provides under data/: open, read, lseek,
   pread, fstat/stat/lstat, getdents64, readlink, access, dup/fcntl, chdir, and their errors. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-28s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

struct linux_dirent64 { unsigned long long d_ino; long long d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    char buf[256];
    int fd = open("data/hello.txt", O_RDONLY);
    printf("open ok %d\n", fd >= 3);
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read %zd: %.*s", n, (int)n, buf);
    TRY("read at eof", read(fd, buf, sizeof buf));
    TRY("lseek set 6", lseek(fd, 6, SEEK_SET));
    n = read(fd, buf, 5);
    printf("after seek: %.*s\n", (int)n, buf);
    TRY("lseek cur -3", lseek(fd, -3, SEEK_CUR));
    TRY("lseek end", lseek(fd, 0, SEEK_END));
    TRY("lseek end+100", lseek(fd, 100, SEEK_END));
    TRY("lseek negative", lseek(fd, -1000, SEEK_SET));
    TRY("lseek bad whence", lseek(fd, 0, 42));
    TRY("lseek data past end", lseek(fd, 1000, SEEK_DATA));
    TRY("lseek hole", lseek(fd, 0, SEEK_HOLE));
    n = pread(fd, buf, 4, 0);
    printf("pread: %.*s\n", (int)n, buf);
    TRY("pread negative", pread(fd, buf, 4, -1));
    TRY("write to O_RDONLY", write(fd, "x", 1));
    struct stat st;
    TRY("fstat", fstat(fd, &st));
    printf("size %lld reg %d nlink %ld mode %o\n", (long long)st.st_size, S_ISREG(st.st_mode), (long)st.st_nlink, st.st_mode & 0777);
    TRY("fcntl getfd", fcntl(fd, F_GETFD));
    TRY("fcntl setfd", fcntl(fd, F_SETFD, FD_CLOEXEC));
    TRY("fcntl getfd again", fcntl(fd, F_GETFD));
    printf("getfl accmode %d\n", fcntl(fd, F_GETFL) & O_ACCMODE);
    int d = dup(fd);
    printf("dup ok %d\n", d > fd);
    TRY("dup3 same", dup3(fd, fd, 0));
    TRY("dup3 bad flags", dup3(fd, 50, 12345));
    TRY("dup3", dup3(fd, 50, O_CLOEXEC));
    TRY("fcntl getfd 50", fcntl(50, F_GETFD));
    TRY("close 50", close(50));
    TRY("close 50 again", close(50));
    TRY("close -1", close(-1));
    TRY("fstat bad fd", fstat(77, &st));
    close(d);
    close(fd);

    TRY("open missing", open("data/missing", O_RDONLY));
    TRY("open through file", open("data/hello.txt/x", O_RDONLY));
    TRY("open dir for write", open("data", O_WRONLY));
    TRY("open file O_DIRECTORY", open("data/hello.txt", O_RDONLY | O_DIRECTORY));
    TRY("open link O_NOFOLLOW", open("data/link", O_RDONLY | O_NOFOLLOW));
    TRY("open O_CREAT|O_EXCL exists", open("data/hello.txt", O_RDONLY | O_CREAT | O_EXCL, 0644));
    TRY("open empty path", open("", O_RDONLY));
    TRY("open bad pointer", syscall(SYS_openat, AT_FDCWD, (char *)8, O_RDONLY));
    fd = open("data/link", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    printf("read via link %zd\n", n);
    close(fd);

    TRY("stat link", stat("data/link", &st));
    printf("  reg %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    TRY("lstat link", lstat("data/link", &st));
    printf("  lnk %d\n", S_ISLNK(st.st_mode));
    TRY("stat dir", stat("data/sub", &st));
    printf("  dir %d\n", S_ISDIR(st.st_mode));
    TRY("stat trailing slash file", stat("data/hello.txt/", &st));
    TRY("stat dotdot", stat("data/sub/../hello.txt", &st));
    TRY("fstatat bad flags", fstatat(AT_FDCWD, "data", &st, 0x40000));
    TRY("fstatat empty no flag", fstatat(AT_FDCWD, "", &st, 0));

    char link[64];
    n = readlink("data/link", link, sizeof link);
    printf("readlink %zd %.*s\n", n, (int)(n > 0 ? n : 0), link);
    TRY("readlink short buf", readlink("data/link", link, 3));
    TRY("readlink regular", readlink("data/hello.txt", link, sizeof link));
    TRY("readlink missing", readlink("data/nope", link, sizeof link));
    TRY("readlink zero buf", readlink("data/link", link, 0));
    TRY("readlink dangling", readlink("data/dangling", link, sizeof link));
    TRY("open dangling", open("data/dangling", O_RDONLY));
    TRY("open loop", open("data/loop", O_RDONLY));

    TRY("access R_OK", access("data/hello.txt", R_OK));
    TRY("access X_OK", access("data/hello.txt", X_OK));
    TRY("access X_OK dir", access("data/sub", X_OK));
    TRY("access bad mode", access("data/hello.txt", 64));

    int dfd = open("data", O_RDONLY | O_DIRECTORY);
    /* Before getdents: afterwards the position is a filesystem-specific cookie (ext4: a hash), and
       read's own position check may answer first. */
    TRY("read on dir", read(dfd, buf, 10));
    char dents[4096];
    char *names[32];
    int count = 0;
    long got;
    TRY("getdents tiny buffer", syscall(SYS_getdents64, dfd, dents, 8));
    while ((got = syscall(SYS_getdents64, dfd, dents, 64)) > 0) {
        for (long off = 0; off < got;) {
            struct linux_dirent64 *e = (struct linux_dirent64 *)(dents + off);
            char *s = malloc(300);
            snprintf(s, 300, "%s type %d reclen-ok %d", e->d_name, e->d_type, e->d_reclen % 8 == 0);
            names[count++] = s;
            off += e->d_reclen;
        }
    }
    printf("getdents end %ld\n", got);
    qsort(names, count, sizeof names[0], cmpstr);
    for (int i = 0; i < count; i++) printf("  %s\n", names[i]);
    TRY("lseek dir to 0", lseek(dfd, 0, SEEK_SET));
    printf("getdents again >0: %d\n", syscall(SYS_getdents64, dfd, dents, sizeof dents) > 0);
    TRY("getdents on file", syscall(SYS_getdents64, 0, dents, sizeof dents));
    fd = openat(dfd, "sub/inner.txt", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    printf("openat relative: %.*s", (int)n, buf);
    TRY("openat on file fd", openat(fd, "x", O_RDONLY));
    TRY("openat bad dirfd", openat(99, "x", O_RDONLY));
    close(fd);
    close(dfd);

    TRY("chdir", chdir("data/sub"));
    fd = open("inner.txt", O_RDONLY);
    printf("open after chdir ok %d\n", fd >= 0);
    close(fd);
    char cwd[4096];
    char *c = getcwd(cwd, sizeof cwd);
    printf("cwd ends with /data/sub: %d\n", c && strlen(c) >= 9 && strcmp(c + strlen(c) - 9, "/data/sub") == 0);
    TRY("getcwd small", syscall(SYS_getcwd, cwd, 2));
    TRY("chdir file", chdir("../hello.txt"));
    TRY("chdir dotdot", chdir("../.."));
    TRY("open after chdir back", (fd = open("data/hello.txt", O_RDONLY)) >= 0);
    close(fd);

    struct stat so;
    TRY("fstat stdout", fstat(1, &so));
    printf("stdout fifo %d isatty %d\n", S_ISFIFO(so.st_mode), isatty(1));
    return 0;
}
