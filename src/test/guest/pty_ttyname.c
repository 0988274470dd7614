/* ttyname() of both ends of a pty: glibc reads /proc/self/fd/N and accepts the name only when
 * stat() of it is the same node (st_dev, st_ino, st_rdev) as fstat() of the descriptor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void same_node(const char *what, int fd, const char *path) {
    struct stat a, b;
    if (fstat(fd, &a) != 0 || stat(path, &b) != 0) { printf("%s: stat failed: %s\n", what, strerror(errno)); return; }
    printf("%s: fstat and stat(%s) agree: dev %s, ino %s, rdev %s\n", what, path,
           a.st_dev == b.st_dev ? "yes" : "no", a.st_ino == b.st_ino ? "yes" : "no", a.st_rdev == b.st_rdev ? "yes" : "no");
}

int main(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) { perror("posix_openpt"); return 1; }
    grantpt(m);
    unlockpt(m);
    char name[64];
    snprintf(name, sizeof name, "%s", ptsname(m));
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) { perror("open slave"); return 1; }
    same_node("slave", s, name);
    same_node("master", m, "/dev/ptmx");
    errno = 0;
    char *t = ttyname(s);
    printf("ttyname(slave) is ptsname: %s (errno %s)\n", t && strcmp(t, name) == 0 ? "yes" : "no", strerror(errno));
    errno = 0;
    t = ttyname(m);
    printf("ttyname(master): %s (errno %s)\n", t ? t : "NULL", strerror(errno));
    char link[64], proc[32];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", s);
    ssize_t n = readlink(proc, link, sizeof link - 1);
    link[n < 0 ? 0 : n] = 0;
    printf("/proc/self/fd of the slave is ptsname: %s\n", strcmp(link, name) == 0 ? "yes" : "no");
    return 0;
}
