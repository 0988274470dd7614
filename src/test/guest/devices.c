/* The memory devices and /dev as devtmpfs shows them: /dev/null, /dev/zero, /dev/full,
   /dev/random, /dev/urandom (read, write, lseek, pread, poll, mmap, ioctl), the nodes' types,
   numbers and modes, and the /proc/self/fd links. Under qemu the program sees the host's /dev,
   under kava its devtmpfs: only facts true of both are printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRY(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%-30s -> %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerrorname_np(errno) : ""); } while (0)

static void node(const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%-14s %s\n", path, strerrorname_np(errno));
        return;
    }
    char kind = S_ISCHR(st.st_mode) ? 'c' : S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : '?';
    printf("%-14s %c %04o uid %d", path, kind, st.st_mode & 07777, st.st_uid);
    if (S_ISCHR(st.st_mode)) printf(" %u:%u", major(st.st_rdev), minor(st.st_rdev));
    if (S_ISLNK(st.st_mode)) {
        char t[64];
        ssize_t n = readlink(path, t, sizeof t - 1);
        printf(" -> %.*s", (int)(n < 0 ? 0 : n), t);
    }
    printf("\n");
}

static int allzero(const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++) if (b[i]) return 0;
    return 1;
}

int main(void) {
    const char *nodes[] = {"/dev", "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                           "/dev/tty", "/dev/console", "/dev/kmsg", "/dev/ptmx", "/dev/fd", "/dev/stdin",
                           "/dev/stdout", "/dev/stderr", "/dev/shm", "/dev/pts"};
    for (size_t i = 0; i < sizeof nodes / sizeof *nodes; i++) node(nodes[i]);

    unsigned char buf[256];
    int null = open("/dev/null", O_RDWR);
    TRY("read null", read(null, buf, sizeof buf));
    TRY("read null 0", read(null, buf, 0));
    TRY("write null", write(null, "hello", 5));
    TRY("pread null", pread(null, buf, 4, 100));
    TRY("lseek null", lseek(null, 100, SEEK_SET));
    TRY("lseek null cur", lseek(null, 7, SEEK_CUR));
    struct stat st;
    fstat(null, &st);
    printf("fstat null: chr %d rdev %u:%u\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
    TRY("mmap null", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, null, 0) == MAP_FAILED ? -1 : 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    TRY("epoll_ctl null", epoll_ctl(ep, EPOLL_CTL_ADD, null, &ev));

    int zero = open("/dev/zero", O_RDWR);
    memset(buf, 0xaa, sizeof buf);
    TRY("read zero 16", read(zero, buf, 16));
    printf("zeros %d untouched %d\n", allzero(buf, 16), buf[16] == 0xaa);
    TRY("write zero", write(zero, "abc", 3));
    TRY("pread zero", pread(zero, buf, 32, 1 << 20));
    TRY("lseek zero", lseek(zero, 5, SEEK_CUR));
    TRY("lseek zero end", lseek(zero, 0, SEEK_END));
    fstat(zero, &st);
    printf("fstat zero: rdev %u:%u\n", major(st.st_rdev), minor(st.st_rdev));

    unsigned char *priv = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    printf("mmap zero private ok %d zeros %d\n", priv != MAP_FAILED, priv != MAP_FAILED && allzero(priv, 8192));
    if (priv != MAP_FAILED) {
        priv[100] = 7;
        printf("private write %d\n", priv[100]);
    }
    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    printf("mmap zero shared ok %d\n", shared != MAP_FAILED);
    if (shared != MAP_FAILED) {
        pid_t pid = fork();
        if (pid == 0) {
            shared[10] = 4242;
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        printf("shared after child wrote: %d\n", shared[10]);
    }
    int zro = open("/dev/zero", O_RDONLY);
    TRY("mmap zero shared rw rdonly", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zro, 0) == MAP_FAILED ? -1 : 0);
    TRY("mmap zero private rw rdonly", mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, zro, 0) == MAP_FAILED ? -1 : 0);
    int zwo = open("/dev/zero", O_WRONLY);
    TRY("mmap zero wronly", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, zwo, 0) == MAP_FAILED ? -1 : 0);

    int full = open("/dev/full", O_RDWR);
    TRY("write full", write(full, "x", 1));
    memset(buf, 0xaa, sizeof buf);
    TRY("read full", read(full, buf, 8));
    printf("full zeros %d\n", allzero(buf, 8));
    TRY("lseek full", lseek(full, 123, SEEK_SET));

    int ur = open("/dev/urandom", O_RDONLY);
    unsigned char a[64], b[64];
    TRY("read urandom 64", read(ur, a, sizeof a));
    TRY("read urandom 64 again", read(ur, b, sizeof b));
    printf("urandom differs %d nonzero %d\n", memcmp(a, b, sizeof a) != 0, !allzero(a, sizeof a));
    TRY("lseek urandom", lseek(ur, 10, SEEK_SET));
    int ent = -1;
    TRY("RNDGETENTCNT", ioctl(ur, RNDGETENTCNT, &ent));
    printf("entropy %d\n", ent);
    TRY("write urandom", write(open("/dev/urandom", O_WRONLY), "seed", 4));
    int rnd = open("/dev/random", O_RDONLY | O_NONBLOCK);
    TRY("read random 16", read(rnd, a, 16));
    TRY("epoll_ctl urandom", epoll_ctl(ep, EPOLL_CTL_ADD, ur, &ev));
    TRY("epoll_ctl random", epoll_ctl(ep, EPOLL_CTL_ADD, rnd, &ev));

    struct pollfd pf[4] = {{null, POLLIN | POLLOUT, 0}, {zero, POLLIN | POLLOUT, 0},
                           {ur, POLLIN | POLLOUT, 0}, {rnd, POLLIN | POLLOUT, 0}};
    TRY("poll", poll(pf, 4, 0));
    printf("revents null %#x zero %#x urandom %#x random %#x\n", pf[0].revents, pf[1].revents, pf[2].revents, pf[3].revents);

    TRY("open dev/nope", open("/dev/nope", O_RDONLY));
    TRY("open /dev/null O_DIRECTORY", open("/dev/null", O_RDONLY | O_DIRECTORY));
    return 0;
}
