/* getrlimit/setrlimit/prlimit64: values read back, errors (cur > max, bad resource, bad pid),
   inheritance across fork, prlimit64 on a child, RLIMIT_NOFILE enforced on open/dup/fcntl/dup3.
   RLIMIT_AS/DATA/STACK are not set here (qemu-user ignores setting them) and RLIMIT_NPROC is not
   enforced for root on the host: those are in BadInputTest, kava only. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static void show(const char *name, int res) {
    struct rlimit rl;
    int r = getrlimit(res, &rl);
    printf("%s: %s cur %lld max %lld\n", name, ERR(r), (long long)rl.rlim_cur, (long long)rl.rlim_max);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct rlimit rl = {64, 128}, old;
    int r = setrlimit(RLIMIT_NOFILE, &rl);
    printf("setrlimit NOFILE 64/128: %s\n", ERR(r));
    show("NOFILE", RLIMIT_NOFILE);
    rl = (struct rlimit){200, 100};
    r = setrlimit(RLIMIT_NOFILE, &rl);
    printf("cur > max: %s\n", ERR(r));
    rl = (struct rlimit){1 << 20, (1 << 20) + 1};
    r = setrlimit(RLIMIT_NOFILE, &rl);
    printf("NOFILE above nr_open: %s\n", ERR(r));
    r = setrlimit(99, &rl);
    printf("bad resource: %s\n", ERR(r));
    r = getrlimit(99, &old);
    printf("get bad resource: %s\n", ERR(r));
    r = syscall(SYS_prlimit64, 0, 99, NULL, &old);
    printf("prlimit64 bad resource: %s\n", ERR(r));
    r = syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, &old);
    printf("prlimit64 nonexistent pid: %s\n", ERR(r));
    rl = (struct rlimit){32, 128};
    memset(&old, 0, sizeof old);
    r = syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, &old);
    printf("prlimit64 set 32 returns old: %s %lld/%lld\n", ERR(r), (long long)old.rlim_cur, (long long)old.rlim_max);
    r = syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, NULL, &old);
    printf("prlimit64 by own pid: %s %lld/%lld\n", ERR(r), (long long)old.rlim_cur, (long long)old.rlim_max);

    struct { int res; const char *name; rlim_t cur, max; } set[] = {
        {RLIMIT_CORE, "CORE", 0, 0}, {RLIMIT_CPU, "CPU", 100, 200}, {RLIMIT_FSIZE, "FSIZE", 1 << 30, RLIM_INFINITY},
        {RLIMIT_MEMLOCK, "MEMLOCK", 65536, 65536}, {RLIMIT_MSGQUEUE, "MSGQUEUE", 8192, 8192}, {RLIMIT_NICE, "NICE", 0, 0},
        {RLIMIT_RTPRIO, "RTPRIO", 0, 0}, {RLIMIT_RTTIME, "RTTIME", RLIM_INFINITY, RLIM_INFINITY},
        {RLIMIT_SIGPENDING, "SIGPENDING", 100, 200}, {RLIMIT_LOCKS, "LOCKS", RLIM_INFINITY, RLIM_INFINITY},
    };
    for (unsigned i = 0; i < sizeof set / sizeof set[0]; i++) {
        rl = (struct rlimit){set[i].cur, set[i].max};
        r = setrlimit(set[i].res, &rl);
        if (r) printf("set %s: %s\n", set[i].name, ERR(r));
        show(set[i].name, set[i].res);
    }
    /* (Raising a hard limit needs CAP_SYS_RESOURCE, which the host's root may lack: not printed.) */

    /* Limits are inherited; prlimit64 on a child changes the child. */
    volatile int *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pid = fork();
    if (pid == 0) {
        getrlimit(RLIMIT_NOFILE, &old);
        int inherited = old.rlim_cur == 32;
        flag[1] = 1;
        while (!*flag) { struct timespec ts = {0, 1000000}; nanosleep(&ts, NULL); }
        getrlimit(RLIMIT_NOFILE, &old);
        _exit(inherited && old.rlim_cur == 20 ? 0 : 1);
    }
    while (!flag[1]) { struct timespec ts = {0, 1000000}; nanosleep(&ts, NULL); }
    rl = (struct rlimit){20, 100};
    r = syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, &rl, NULL);
    *flag = 1;
    int st;
    waitpid(pid, &st, 0);
    printf("prlimit64 on a child: %s, child inherited and saw the change %s\n", ERR(r), WEXITSTATUS(st) == 0 ? "yes" : "no");

    /* RLIMIT_NOFILE enforced. */
    rl = (struct rlimit){10, 10};
    setrlimit(RLIMIT_NOFILE, &rl);
    int opened = 0, fd, last_errno = 0;
    while ((fd = open("/", O_RDONLY)) >= 0) opened++;
    last_errno = errno;
    printf("opened with NOFILE 10: %d more, then %s\n", opened, strerrorname_np(last_errno));
    r = dup(0);
    printf("dup: %s\n", ERR(r));
    r = fcntl(0, F_DUPFD, 0);
    printf("F_DUPFD: %s\n", ERR(r));
    close(9);
    r = fcntl(0, F_DUPFD, 10);
    printf("F_DUPFD from 10: %s\n", ERR(r));
    r = dup3(0, 10, 0);
    printf("dup3 to 10: %s\n", ERR(r));
    r = dup3(0, 9, 0);
    printf("dup3 to 9: %s\n", r == 9 ? "ok" : ERR(r));
    rl = (struct rlimit){5, 10};
    r = setrlimit(RLIMIT_NOFILE, &rl);
    printf("lower below open fds: %s\n", ERR(r));
    r = fcntl(9, F_GETFD);
    printf("fd 9 still open: %s\n", r >= 0 ? "yes" : "no");
    r = open("/", O_RDONLY);
    printf("open with 10 open and limit 5: %s\n", ERR(r));
    return 0;
}
