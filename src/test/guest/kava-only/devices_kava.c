/* The devices qemu cannot be the oracle for, since under qemu they are the host's own:
   /dev/kmsg (records written and read back in the "prio,seq,usec,flags;text" form, level and
   facility prefixes, escaping, EINVAL for a short buffer, the per-open ratelimit), /dev/tty
   without a controlling terminal (ENXIO), /dev/console writing to the console (kava's stdout). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-30s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

/* Reads one record and prints its prio and text (seq and time vary): "prio;text". */
static void show(int fd) {
    char rec[2048];
    errno = 0;
    ssize_t n = read(fd, rec, sizeof rec);
    if (n < 0) {
        printf("read -> %s\n", strerrorname_np(errno));
        return;
    }
    unsigned prio;
    unsigned long long seq, usec;
    char flag;
    int off = 0;
    if (sscanf(rec, "%u,%llu,%llu,%c;%n", &prio, &seq, &usec, &flag, &off) != 4 || off == 0) {
        printf("bad record: %.*s", (int)n, rec);
        return;
    }
    printf("record prio %u flag %c text %.*s", prio, flag, (int)(n - off), rec + off);
}

int main(void) {
    TRY("open /dev/tty", open("/dev/tty", O_RDWR));

    int con = open("/dev/console", O_WRONLY | O_NOCTTY);
    printf("console open %d\n", con >= 0);
    fflush(stdout);
    TRY("write console", write(con, "console says hi\n", 16));
    struct stat st;
    fstat(con, &st);
    printf("console chr %d rdev %u:%u mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev), st.st_mode & 0777);
    TRY("lseek console", lseek(con, 0, SEEK_SET));

    int k = open("/dev/kmsg", O_RDWR | O_NONBLOCK);
    printf("kmsg open %d\n", k >= 0);
    TRY("lseek end", lseek(k, 0, SEEK_END));
    TRY("read at end", read(k, (char[64]){0}, 64));
    struct pollfd pf = {k, POLLIN | POLLOUT, 0};
    TRY("poll empty", poll(&pf, 1, 0));
    TRY("write <5>", write(k, "<5>hello kmsg\n", 14));
    TRY("poll ready", poll(&pf, 1, 0));
    printf("revents %#x\n", pf.revents);
    show(k);
    TRY("write plain", write(k, "no prefix", 9));
    show(k);
    TRY("write <30>", write(k, "<30>daemon info\n", 16));
    show(k);
    TRY("write <>", write(k, "<>empty prefix", 14));
    show(k);
    TRY("write <abc>", write(k, "<abc>not a prefix", 17));
    show(k);
    TRY("write escapes", write(k, "tab\there\\back\x7f\n\n", 16));
    show(k);
    TRY("write NUL", write(k, "before\0after", 12));
    show(k);
    TRY("write long record", write(k, "<6>0123456789012345678901234567890123456789", 43));
    char small[16];
    TRY("read short buffer", read(k, small, sizeof small));
    TRY("read after EINVAL", read(k, small, sizeof small));
    char big[1025];
    memset(big, 'x', sizeof big);
    TRY("write 1025", write(k, big, sizeof big));
    TRY("write 1024", write(k, big, 1024) == 1024);
    TRY("lseek 1", lseek(k, 1, SEEK_SET));
    TRY("lseek bad whence", lseek(k, 0, SEEK_CUR));
    TRY("lseek set", lseek(k, 0, SEEK_SET));
    char rec[2048];
    TRY("read first record", read(k, rec, sizeof rec) > 0);

    /* The ratelimit: 10 records per open file and 5 seconds; the rest are dropped quietly. */
    int w = open("/dev/kmsg", O_WRONLY);
    int ok = 0;
    for (int i = 0; i < 14; i++) {
        char line[32];
        int n = snprintf(line, sizeof line, "burst %d", i);
        if (write(w, line, n) == n) ok++;
    }
    printf("burst writes ok %d\n", ok);
    TRY("read wronly", read(w, rec, sizeof rec));
    TRY("lseek end", lseek(k, 0, SEEK_END));
    close(w);
    int seen = 0;
    TRY("lseek set", lseek(k, 0, SEEK_SET));
    ssize_t n;
    while ((n = read(k, rec, sizeof rec)) > 0) {
        if (memmem(rec, n, ";burst ", 7)) seen++;
        char *semi = memchr(rec, ';', n);
        if (semi && memmem(rec, n, "output lines suppressed", 23)) printf("suppressed: %.*s", (int)(rec + n - semi - 1), semi + 1);
    }
    printf("burst records %d\n", seen);
    return 0;
}
