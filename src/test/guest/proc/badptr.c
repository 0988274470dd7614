/* Bad pointers to every pointer-taking syscall kava implements: NULL, a non-canonical address and
   an unmapped hole. Each row prints the errno (or "ok"); Linux answers EFAULT almost everywhere.
   Left out, with reasons: set_robust_list (qemu-user answers ENOSYS itself), set_tid_address
   (never dereferences), sysinfo (qemu skips a NULL buffer: ok, Linux
   EFAULT), nanosleep (qemu says EINVAL, Linux EFAULT), ioctl on a pipe (ENOTTY first), read on /dev/null stdin (no copy). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static const char *res(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

#define ROW(name, call) do { \
    void *P; const char *a, *b, *c; \
    P = NULL; errno = 0; a = res(call); \
    P = (void *)0xdead000000000000UL; errno = 0; b = res(call); \
    P = hole; errno = 0; c = res(call); \
    printf("%-28s NULL %-7s wild %-7s hole %s\n", name, a, b, c); } while (0)

int main(int argc, char **argv) {
    (void)argc;
    setvbuf(stdout, NULL, _IOLBF, 0);
    char *hole = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;
    int fd = open(argv[0], O_RDONLY);
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    char buf[256];
    struct iovec iov = {0, 8};
    (void)buf;

    ROW("read buf", syscall(SYS_read, fd, P, 10));
    ROW("pread64 buf", syscall(SYS_pread64, fd, P, 10, 0));
    ROW("write buf", syscall(SYS_write, 1, P, 10));
    ROW("readv iov", syscall(SYS_readv, fd, P, 1));
    ROW("writev iov", syscall(SYS_writev, 1, P, 1));
    ROW("readv iov_base", (iov.iov_base = P, syscall(SYS_readv, fd, &iov, 1)));
    ROW("writev iov_base", (iov.iov_base = P, syscall(SYS_writev, 1, &iov, 1)));
    ROW("openat path", syscall(SYS_openat, AT_FDCWD, P, O_RDONLY));
    ROW("newfstatat path", syscall(SYS_newfstatat, AT_FDCWD, P, buf, 0));
    ROW("newfstatat statbuf", syscall(SYS_newfstatat, AT_FDCWD, ".", P, 0));
    ROW("fstat statbuf", syscall(SYS_fstat, fd, P));
    ROW("getdents64 buf", syscall(SYS_getdents64, dfd, P, 256));
    ROW("readlinkat path", syscall(SYS_readlinkat, AT_FDCWD, P, buf, 10));
    ROW("getcwd buf", syscall(SYS_getcwd, P, 256));
    ROW("chdir path", syscall(SYS_chdir, P));
    ROW("faccessat path", syscall(SYS_faccessat, AT_FDCWD, P, R_OK));
    ROW("faccessat2 path", syscall(SYS_faccessat2, AT_FDCWD, P, R_OK, 0));
    ROW("uname buf", syscall(SYS_uname, P));
    ROW("getrandom buf", syscall(SYS_getrandom, P, 16, 0));
    ROW("clock_gettime ts", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, P));
    ROW("gettimeofday tv", syscall(SYS_gettimeofday, P, NULL));
    ROW("clock_nanosleep req", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, P, NULL));
    ROW("rt_sigaction act", syscall(SYS_rt_sigaction, SIGUSR1, P, NULL, 8));
    ROW("rt_sigaction oldact", syscall(SYS_rt_sigaction, SIGUSR1, NULL, P, 8));
    ROW("rt_sigprocmask set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, P, NULL, 8));
    ROW("rt_sigprocmask oldset", syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, P, 8));
    ROW("rt_sigpending set", syscall(SYS_rt_sigpending, P, 8));
    ROW("getrlimit rlim", syscall(SYS_getrlimit, RLIMIT_NOFILE, P));
    ROW("setrlimit rlim", syscall(SYS_setrlimit, RLIMIT_NOFILE, P));
    ROW("prlimit64 old", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, P));
    ROW("prlimit64 new", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, P, NULL));
    ROW("getresuid ruid", syscall(SYS_getresuid, P, buf, buf + 8));
    ROW("getresgid sgid", syscall(SYS_getresgid, buf, buf + 8, P));
    printf("still alive\n");
    return 0;
}
