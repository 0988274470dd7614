/* posix_fadvise (fadvise64) and sched_rr_get_interval: the errors in Linux's order, and the
 * calls Python's os module makes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void advise(const char *what, int fd, long off, long len, int advice) {
    /* posix_fadvise returns the error number instead of setting errno. */
    int r = posix_fadvise(fd, off, len, advice);
    printf("fadvise %s: %s\n", what, r == 0 ? "0" : strerror(r));
}

int main(void) {
    char name[] = "/tmp/fadviseXXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) { perror("mkstemp"); return 1; }
    write(fd, "data", 4);
    for (int a = 0; a <= 6; a++) {
        char what[32];
        snprintf(what, sizeof what, "advice %d", a);
        advise(what, fd, 0, 4096, a);
    }
    advise("negative length", fd, 0, -1, POSIX_FADV_NORMAL);
    advise("negative offset", fd, -1, 10, POSIX_FADV_NORMAL);
    advise("bad advice and length", fd, 0, -1, 99);
    advise("bad fd", 999, 0, 0, POSIX_FADV_NORMAL);
    advise("bad fd and advice", 999, 0, 0, 99);
    int p[2];
    pipe(p);
    advise("pipe", p[0], 0, 0, POSIX_FADV_NORMAL);
    advise("pipe, bad advice", p[0], 0, 0, 99);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    advise("directory", dir, 0, 0, POSIX_FADV_WILLNEED);
    int opath = open(name, O_PATH);
    advise("O_PATH", opath, 0, 0, POSIX_FADV_NORMAL);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    advise("socket", sv[0], 0, 0, POSIX_FADV_SEQUENTIAL);
    unlink(name);

    struct timespec ts = {-1, -1};
    int r = sched_rr_get_interval(0, &ts);
    printf("sched_rr_get_interval(0): %d, under a second: %s\n", r,
           r == 0 && ts.tv_sec == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 ? "yes" : "no");
    r = sched_rr_get_interval(getpid(), &ts);
    printf("sched_rr_get_interval(getpid()): %d\n", r);
    errno = 0;
    r = sched_rr_get_interval(-1, &ts);
    printf("sched_rr_get_interval(-1): %d %s\n", r, strerror(errno));
    errno = 0;
    r = sched_rr_get_interval(1 << 22, &ts);
    printf("sched_rr_get_interval(no such pid): %d %s\n", r, strerror(errno));
    errno = 0;
    r = syscall(SYS_sched_rr_get_interval, 0, (void *)8);
    printf("sched_rr_get_interval(bad pointer): %d %s\n", r, strerror(errno));
    return 0;
}
