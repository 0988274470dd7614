/* Positioned and vectored I/O (pwrite64, preadv, pwritev, preadv2/pwritev2 without flags),
   in-kernel copies (sendfile, splice, tee, copy_file_range), readahead and the sync family,
   on files under tmp/ and on pipes, with their argument checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wstringop-overread"
#pragma GCC diagnostic ignored "-Wstringop-overflow"

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-40s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void content(const char *label, int fd) {
    char buf[256];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n < 0) { printf("%s: %s\n", label, strerrorname_np(errno)); return; }
    for (ssize_t i = 0; i < n; i++) if (buf[i] == 0) buf[i] = '.';
    printf("%s: %zd \"%.*s\"\n", label, n, (int)n, buf);
}

static int mkfile(const char *p, const char *text) {
    unlink(p);
    int fd = open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (text) write(fd, text, strlen(text));
    return fd;
}

static void positioned(void) {
    printf("--- pwrite/preadv/pwritev\n");
    int fd = mkfile("tmp/rw_a", "0123456789");
    TRY("pwrite at 3", pwrite(fd, "abc", 3, 3));
    TRY("position unchanged", lseek(fd, 0, SEEK_CUR));
    TRY("pwrite past end", pwrite(fd, "Z", 1, 12));
    content("  ", fd);
    TRY("pwrite -1", pwrite(fd, "x", 1, -1));
    TRY("pwrite bad buffer", pwrite(fd, (void *)8, 1, 0));
    TRY("pwrite 0 bytes", pwrite(fd, "x", 0, 0));
    int ro = open("tmp/rw_a", O_RDONLY);
    TRY("pwrite O_RDONLY", pwrite(ro, "x", 1, 0));
    int pp[2];
    pipe(pp);
    TRY("pwrite pipe", pwrite(pp[1], "x", 1, 0));
    TRY("pwrite pipe read end", pwrite(pp[0], "x", 1, 0));
    TRY("pread pipe write end", pread(pp[1], (char[4]){0}, 1, 0));
    TRY("pwrite bad fd", pwrite(99, "x", 1, 0));
    int ap = open("tmp/rw_a", O_WRONLY | O_APPEND);
    TRY("pwrite O_APPEND appends", pwrite(ap, "END", 3, 0));
    content("  ", fd);

    char a[4] = {0}, b[6] = {0};
    struct iovec rv[2] = {{a, 3}, {b, 5}};
    TRY("preadv at 2", preadv(fd, rv, 2, 2));
    printf("  %.3s|%.5s\n", a, b);
    TRY("preadv at end", preadv(fd, rv, 2, 100));
    TRY("preadv -1", preadv(fd, rv, 2, -1));
    TRY("preadv pipe", preadv(pp[0], rv, 2, 0));
    TRY("preadv iovcnt 1025", preadv(fd, rv, 1025, 0));
    TRY("preadv iovcnt 0", preadv(fd, rv, 0, 0));
    struct iovec bad[1] = {{(void *)8, 4}};
    TRY("preadv bad buffer", preadv(fd, bad, 1, 0));
    struct iovec wv[3] = {{"AA", 2}, {"", 0}, {"BBB", 3}};
    TRY("pwritev at 1", pwritev(fd, wv, 3, 1));
    TRY("position unchanged", lseek(fd, 0, SEEK_CUR));
    content("  ", fd);
    TRY("pwritev O_RDONLY", pwritev(ro, wv, 3, 0));
    TRY("pwritev negative len", pwritev(fd, (struct iovec[]){{"x", (size_t)-1}}, 1, 0));
    lseek(fd, 4, SEEK_SET);
    TRY("preadv2 pos -1 uses position", preadv2(fd, rv, 2, -1, 0));
    printf("  %.3s|%.5s\n", a, b);
    TRY("position moved", lseek(fd, 0, SEEK_CUR));
    TRY("pwritev2 pos -1 uses position", pwritev2(fd, wv, 1, -1, 0));
    TRY("position moved", lseek(fd, 0, SEEK_CUR));
    TRY("pwritev2 at 0", pwritev2(fd, wv, 1, 0, 0));
    TRY("preadv2 pos -2", preadv2(fd, rv, 2, -2, 0));
    content("  ", fd);
    write(pp[1], "pipe", 4);
    TRY("preadv2 pipe pos -1", preadv2(pp[0], rv, 2, -1, 0));
    close(ap);
    close(ro);
    close(pp[0]);
    close(pp[1]);
    close(fd);
}

static void sendfile_tests(void) {
    printf("--- sendfile\n");
    int in = mkfile("tmp/rw_in", "The quick brown fox jumps over the lazy dog");
    int out = mkfile("tmp/rw_out", NULL);
    lseek(in, 4, SEEK_SET);
    TRY("sendfile from position", sendfile(out, in, NULL, 5));
    TRY("in position moved", lseek(in, 0, SEEK_CUR));
    TRY("out position moved", lseek(out, 0, SEEK_CUR));
    off_t off = 16;
    TRY("sendfile with offset", sendfile(out, in, &off, 3));
    printf("  offset now %ld, in position %ld\n", (long)off, (long)lseek(in, 0, SEEK_CUR));
    TRY("sendfile past end", sendfile(out, in, NULL, 1000));
    TRY("sendfile at end", sendfile(out, in, NULL, 10));
    content("  out", out);
    off = -1;
    TRY("sendfile offset -1", sendfile(out, in, &off, 1));
    TRY("sendfile count 0", sendfile(out, in, NULL, 0));
    TRY("sendfile bad offset pointer", sendfile(out, in, (off_t *)8, 1));
    int ro = open("tmp/rw_out", O_RDONLY);
    TRY("sendfile to O_RDONLY", sendfile(ro, in, NULL, 1));
    int wo = open("tmp/rw_in", O_WRONLY);
    TRY("sendfile from O_WRONLY", sendfile(out, wo, NULL, 1));
    int ap = open("tmp/rw_out", O_WRONLY | O_APPEND);
    TRY("sendfile to O_APPEND", sendfile(ap, in, &off, 1));
    TRY("sendfile bad in fd", sendfile(out, 99, NULL, 1));
    TRY("sendfile bad out fd", sendfile(99, in, NULL, 1));
    int pp[2];
    pipe(pp);
    write(pp[1], "pipe data", 9);
    TRY("sendfile from a pipe", sendfile(out, pp[0], NULL, 4));
    off = 0;
    TRY("sendfile from a pipe with offset", sendfile(out, pp[0], &off, 4));
    off = 4;
    TRY("sendfile file to pipe", sendfile(pp[1], in, &off, 5));
    char buf[64];
    ssize_t n = read(pp[0], buf, sizeof buf);
    printf("  pipe: %.*s\n", (int)n, buf);
    close(pp[0]);
    close(pp[1]);
    /* A big file into a pipe: what fits in the pipe's pages, then EAGAIN when non-blocking. */
    int big = mkfile("tmp/rw_big", NULL);
    static char block[100000];
    memset(block, 'x', sizeof block);
    write(big, block, sizeof block);
    pipe2(pp, O_NONBLOCK);
    off = 0;
    TRY("sendfile 100000 into a pipe", sendfile(pp[1], big, &off, sizeof block));
    TRY("sendfile into a full pipe", sendfile(pp[1], big, &off, sizeof block));
    close(pp[0]);
    close(pp[1]);
    pipe(pp);
    off = 100;
    TRY("sendfile from offset 100", sendfile(pp[1], big, &off, sizeof block));
    close(pp[0]);
    signal(SIGPIPE, SIG_IGN);
    off = 0;
    TRY("sendfile into a pipe without reader", sendfile(pp[1], big, &off, 10));
    signal(SIGPIPE, SIG_DFL);
    close(pp[1]);
    close(big);
    close(ap);
    close(wo);
    close(ro);
    close(in);
    close(out);
}

static void splice_tests(void) {
    printf("--- splice\n");
    int in = mkfile("tmp/rw_sin", "abcdefghijklmnopqrstuvwxyz");
    int out = mkfile("tmp/rw_sout", NULL);
    int pp[2], qq[2];
    pipe(pp);
    pipe(qq);
    TRY("file -> pipe at end of file", splice(in, NULL, pp[1], NULL, 5, 0));
    lseek(in, 0, SEEK_SET);
    TRY("file -> pipe", splice(in, NULL, pp[1], NULL, 5, 0));
    TRY("in position moved", lseek(in, 0, SEEK_CUR));
    loff_t off = 10;
    TRY("file -> pipe at offset", splice(in, &off, pp[1], NULL, 3, 0));
    printf("  offset now %ld, in position %ld\n", (long)off, (long)lseek(in, 0, SEEK_CUR));
    TRY("pipe -> file", splice(pp[0], NULL, out, NULL, 100, 0));
    TRY("out position moved", lseek(out, 0, SEEK_CUR));
    content("  out", out);
    write(pp[1], "12345", 5);
    off = 20;
    TRY("pipe -> file at offset", splice(pp[0], NULL, out, &off, 2, 0));
    printf("  offset now %ld, out position %ld\n", (long)off, (long)lseek(out, 0, SEEK_CUR));
    TRY("pipe -> pipe", splice(pp[0], NULL, qq[1], NULL, 100, 0));
    char buf[64];
    ssize_t n = read(qq[0], buf, sizeof buf);
    printf("  moved: %.*s\n", (int)n, buf);
    content("  out", out);
    TRY("len 0", splice(pp[0], NULL, out, NULL, 0, 0));
    TRY("bad flags", splice(pp[0], NULL, out, NULL, 1, 0x10));
    TRY("bad flags, len 0", splice(pp[0], NULL, out, NULL, 0, 0x10));
    TRY("no pipe", splice(in, NULL, out, NULL, 1, 0));
    TRY("same pipe", splice(pp[0], NULL, pp[1], NULL, 1, 0));
    off = 0;
    TRY("offset on the pipe side", splice(pp[0], &off, out, NULL, 1, 0));
    TRY("offset on the pipe side, out", splice(in, NULL, pp[1], &off, 1, 0));
    TRY("empty pipe, NONBLOCK", splice(pp[0], NULL, out, NULL, 1, SPLICE_F_NONBLOCK));
    TRY("bad in fd", splice(99, NULL, out, NULL, 1, 0));
    TRY("bad offset pointer", splice(in, (loff_t *)8, pp[1], NULL, 1, 0));
    int ro = open("tmp/rw_sout", O_RDONLY);
    write(pp[1], "x", 1);
    TRY("pipe -> O_RDONLY file", splice(pp[0], NULL, ro, NULL, 1, 0));
    TRY("pipe write end as input", splice(pp[1], NULL, out, NULL, 1, 0));
    int ap = open("tmp/rw_sout", O_WRONLY | O_APPEND);
    TRY("pipe -> O_APPEND file", splice(pp[0], NULL, ap, NULL, 1, 0));
    off = -1;
    TRY("file -> pipe, offset -1", splice(in, &off, pp[1], NULL, 1, 0));
    off = 1000;
    TRY("file -> pipe past end", splice(in, &off, pp[1], NULL, 1, 0));
    close(pp[1]);
    read(pp[0], buf, sizeof buf);
    TRY("pipe at end of file", splice(pp[0], NULL, out, NULL, 1, 0));
    close(pp[0]);
    close(ap);
    close(ro);

    printf("--- tee\n");
    pipe(pp);
    write(pp[1], "tee data", 8);
    TRY("tee", tee(pp[0], qq[1], 100, 0));
    n = read(qq[0], buf, sizeof buf);
    printf("  copy: %.*s\n", (int)n, buf);
    n = read(pp[0], buf, sizeof buf);
    printf("  original still there: %.*s\n", (int)n, buf);
    write(pp[1], "tee data", 8);
    TRY("tee 3", tee(pp[0], qq[1], 3, 0));
    n = read(qq[0], buf, sizeof buf);
    printf("  copy: %.*s\n", (int)n, buf);
    TRY("tee same pipe", tee(pp[0], pp[1], 1, 0));
    TRY("tee file", tee(in, qq[1], 1, 0));
    TRY("tee bad flags", tee(pp[0], qq[1], 1, 0x20));
    TRY("tee len 0", tee(pp[0], qq[1], 0, 0));
    TRY("tee bad flags, len 0", tee(pp[0], qq[1], 0, 0x20));
    TRY("tee write end as input", tee(pp[1], qq[1], 1, 0));
    read(pp[0], buf, sizeof buf);
    TRY("tee empty, NONBLOCK", tee(pp[0], qq[1], 1, SPLICE_F_NONBLOCK));
    close(pp[1]);
    TRY("tee at end of file", tee(pp[0], qq[1], 1, 0));
    close(pp[0]);
    close(qq[0]);
    close(qq[1]);
    close(in);
    close(out);
}

static void copy_tests(void) {
    printf("--- copy_file_range\n");
    int in = mkfile("tmp/rw_cin", "0123456789abcdefghij");
    int out = mkfile("tmp/rw_cout", "..........");
    TRY("copy from positions", copy_file_range(in, NULL, out, NULL, 4, 0));
    printf("  positions %ld %ld\n", (long)lseek(in, 0, SEEK_CUR), (long)lseek(out, 0, SEEK_CUR));
    loff_t oi = 10, oo = 8;
    TRY("copy with offsets", copy_file_range(in, &oi, out, &oo, 5, 0));
    printf("  offsets %ld %ld positions %ld %ld\n", (long)oi, (long)oo, (long)lseek(in, 0, SEEK_CUR),
           (long)lseek(out, 0, SEEK_CUR));
    content("  out", out);
    oi = 15;
    TRY("copy past end of input", copy_file_range(in, &oi, out, NULL, 100, 0));
    TRY("copy at end of input", copy_file_range(in, &oi, out, NULL, 100, 0));
    TRY("flags 1", copy_file_range(in, NULL, out, NULL, 1, 1));
    oi = 0; oo = 5;
    TRY("same file, overlapping", copy_file_range(in, &oi, in, &oo, 10, 0));
    oi = 0; oo = 20;
    TRY("same file, apart", copy_file_range(in, &oi, in, &oo, 5, 0));
    content("  in", in);
    int ap = open("tmp/rw_cout", O_WRONLY | O_APPEND);
    TRY("to O_APPEND", copy_file_range(in, NULL, ap, NULL, 1, 0));
    int ro = open("tmp/rw_cout", O_RDONLY);
    TRY("to O_RDONLY", copy_file_range(in, NULL, ro, NULL, 1, 0));
    int d = open("tmp", O_RDONLY | O_DIRECTORY);
    TRY("from a directory", copy_file_range(d, NULL, out, NULL, 1, 0));
    int pp[2];
    pipe(pp);
    TRY("to a pipe", copy_file_range(in, NULL, pp[1], NULL, 1, 0));
    TRY("bad fd", copy_file_range(99, NULL, out, NULL, 1, 0));
    TRY("bad offset pointer", copy_file_range(in, (loff_t *)8, out, NULL, 1, 0));
    oi = -1;
    TRY("offset -1", copy_file_range(in, &oi, out, NULL, 1, 0));
    oi = 0;
    TRY("length 0", copy_file_range(in, &oi, out, NULL, 0, 0));
    TRY("huge length wraps", copy_file_range(in, &oi, out, NULL, (size_t)-1, 0));
    close(pp[0]);
    close(pp[1]);
    close(d);
    close(ro);
    close(ap);
    close(in);
    close(out);
}

static void sync_tests(void) {
    printf("--- readahead and sync\n");
    int fd = mkfile("tmp/rw_sync", "data");
    int pp[2];
    pipe(pp);
    int e = eventfd(0, 0);
    int d = open("tmp", O_RDONLY | O_DIRECTORY);
    int op = open("tmp/rw_sync", O_PATH);
    int wo = open("tmp/rw_sync", O_WRONLY);
    TRY("readahead", readahead(fd, 0, 4096));
    TRY("readahead past end", readahead(fd, 1 << 20, 4096));
    TRY("readahead pipe", readahead(pp[0], 0, 1));
    TRY("readahead dir", readahead(d, 0, 1));
    TRY("readahead O_WRONLY", readahead(wo, 0, 1));
    TRY("readahead O_PATH", readahead(op, 0, 1));
    TRY("readahead bad fd", readahead(99, 0, 1));
    TRY("sync", (sync(), 0));
    TRY("syncfs", syncfs(fd));
    TRY("syncfs pipe", syncfs(pp[0]));
    TRY("syncfs bad fd", syncfs(99));
    TRY("syncfs O_PATH", syncfs(op));
    TRY("fsync", fsync(fd));
    TRY("fdatasync", fdatasync(fd));
    TRY("fsync O_WRONLY", fsync(wo));
    TRY("fsync dir", fsync(d));
    TRY("fsync pipe", fsync(pp[1]));
    TRY("fdatasync eventfd", fdatasync(e));
    TRY("fsync O_PATH", fsync(op));
    TRY("fsync bad fd", fsync(99));
    TRY("sync_file_range", sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
    TRY("sync_file_range all flags", sync_file_range(fd, 0, 4096, 7));
    TRY("sync_file_range bad flags", sync_file_range(fd, 0, 0, 8));
    TRY("sync_file_range offset -1", sync_file_range(fd, -1, 0, 0));
    TRY("sync_file_range wraps", sync_file_range(fd, 0x7fffffffffffff00LL, 0x1000, 0));
    TRY("sync_file_range nbytes -1", sync_file_range(fd, 0, -1, 0));
    TRY("sync_file_range dir", sync_file_range(d, 0, 0, 0));
    TRY("sync_file_range pipe", sync_file_range(pp[0], 0, 0, 0));
    TRY("sync_file_range eventfd", sync_file_range(e, 0, 0, 0));
    TRY("sync_file_range bad fd, bad flags", sync_file_range(99, 0, 0, 8));
    close(wo);
    close(op);
    close(d);
    close(e);
    close(pp[0]);
    close(pp[1]);
    close(fd);
}

/* Lengths are size_t: between two pipes a huge one is bounded by the pipes, elsewhere it is EINVAL. */
static void huge_lengths(void) {
    printf("--- huge lengths\n");
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(a[1], "hello", 5);
    TRY("tee (size_t)-1", tee(a[0], b[1], (size_t)-1, 0));
    TRY("splice pipe->pipe (size_t)-1", splice(a[0], NULL, b[1], NULL, (size_t)-1, 0));
    write(a[1], "hello", 5);
    int fd = mkfile("tmp/rw_huge", NULL);
    TRY("splice pipe->file (size_t)-1", splice(a[0], NULL, fd, NULL, (size_t)-1, 0));
    TRY("splice file->pipe (size_t)-1", splice(fd, NULL, a[1], NULL, (size_t)-1, 0));
    TRY("sendfile (size_t)-1", sendfile(fd, fd, NULL, (size_t)-1));
    TRY("copy_file_range 2^63", copy_file_range(fd, NULL, fd, NULL, (size_t)1 << 63, 0));
    TRY("readahead (size_t)-1", readahead(fd, 0, (size_t)-1));
    char buf[20];
    TRY("read what tee and splice moved", read(b[0], buf, 20));
    close(fd);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    positioned();
    sendfile_tests();
    splice_tests();
    copy_tests();
    sync_tests();
    huge_lengths();
    return 0;
}
