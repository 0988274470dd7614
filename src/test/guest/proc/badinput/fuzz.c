/* A syscall fuzzer: for every syscall number 0..470 (less the ones that would end or disturb the
   fuzzer itself), a forked child makes CALLS calls of that number with arguments drawn, from a
   fixed xorshift seed, among 0, -1, small integers, huge values, pointers into a buffer of random
   bytes, NULL, wild and kernel addresses and pointers running into an unmapped hole. The results
   differ from Linux and are not printed: the point is that the kernel survives, which the JUnit
   side checks in its log (no oops, no Java exception). A child that blocks is interrupted by a
   SIGALRM handler after each call's timer, and killed by the parent if it stays stuck. The child
   works in ./fuzz.d, which must exist, so files it creates from random names land there; random strings hold no
   '/', so no path leaves it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXNR 470
#define CALLS 40
#define BUFWORDS 1024

static uint64_t rng;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t buf[BUFWORDS];
static char *hole; /* the last page before an unmapped page */

static int skipped(int nr) {
    switch (nr) {
    case 93: case 94:                       /* exit, exit_group */
    case 129: case 130: case 131: case 138: /* kill, tkill, tgkill, rt_sigqueueinfo */
    case 240: case 424:                     /* rt_tgsigqueueinfo, pidfd_send_signal */
    case 142:                               /* reboot */
    case 221: case 281:                     /* execve, execveat */
    case 220: case 435:                     /* clone, clone3 */
    case 139:                               /* rt_sigreturn */
    case 214: case 215: case 216: case 226: case 233: /* brk, munmap, mremap, mprotect, madvise */
    case 277:                               /* seccomp */
    case 163: case 261:                     /* setrlimit, prlimit64 */
    case 132: case 134: case 135:           /* sigaltstack, rt_sigaction, rt_sigprocmask */
        return 1;
    }
    return 0;
}

static uint64_t arg(void) {
    uint64_t r = next();
    switch (r % 16) {
    case 0: return 0;
    case 1: return (uint64_t)-1;
    case 2: case 3: return (r >> 8) % 16;                     /* small: flags, fds, sizes */
    case 4: return (r >> 8) % 4096;
    case 5: {                                                  /* huge */
        static const uint64_t huge[] = {1ULL << 63, 0x7fffffffffffffffULL, 0xffffffffULL, 0x80000000ULL,
                                        0x100000000ULL, (uint64_t)-4096, 0xfffffffffffffffeULL};
        return huge[(r >> 8) % (sizeof huge / sizeof huge[0])];
    }
    case 6: case 7: case 8:                                    /* into the random buffer */
        return (uint64_t)((char *)buf + (r >> 8) % sizeof buf);
    case 9: return (uint64_t)buf;
    case 10: return (uint64_t)(hole + 4096 - (r >> 8) % 64);   /* runs into the hole */
    case 11: return (uint64_t)(hole + 4096);                   /* the hole itself */
    case 12: return 0xdead000000000000ULL + ((r >> 8) & 0xfff);
    case 13: return 0xffffffff80000000ULL;                     /* a kernel address */
    case 14: return r >> ((r >> 58) & 63);                     /* anything, of any width */
    default: return r;
    }
}

static void fill(void) {
    for (int i = 0; i < BUFWORDS; i++) {
        uint64_t w = next();
        /* Short strings sometimes, and never a '/': paths stay relative, in fuzz.d. */
        if ((w & 0xf) == 0) w &= 0x00ffffffffffffffULL;
        for (int b = 0; b < 64; b += 8)
            if (((w >> b) & 0xff) == '/') w ^= (uint64_t)1 << b;
        buf[i] = w;
    }
}

static void on_alarm(int sig) { (void)sig; }

static void child(int nr) {
    /* Whatever the calls write to 0-2 goes to a file (there may be no /dev/null). */
    int sink = open("sink", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (sink < 0) sink = open("sink", O_RDONLY); /* made by the JUnit side: writes to it fail, fine */
    if (sink < 0 || dup2(sink, 0) != 0 || dup2(sink, 1) != 1 || dup2(sink, 2) != 2) _exit(3);
    /* Some descriptors of several kinds for the small integers to hit. */
    int p[2];
    pipe(p);
    open("file", O_RDWR | O_CREAT, 0644);
    open(".", O_RDONLY | O_DIRECTORY);
    eventfd(0, 0);
    socket(AF_UNIX, SOCK_STREAM, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: a blocked call returns EINTR */
    sigaction(SIGALRM, &sa, NULL);
    rng = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)nr * 0x100000001b3ULL);
    for (int i = 0; i < CALLS; i++) {
        uint64_t a[6];
        for (int j = 0; j < 6; j++) a[j] = arg();
        fill();
        switch (nr) {
        case 57:  if ((int)a[0] >= 0 && (int)a[0] <= 2) a[0] += 3; break; /* close: not 0-2 */
        case 436: if (a[0] <= 2) a[0] = 3; break;                         /* close_range */
        case 23: case 24: if ((int)a[1] >= 0 && (int)a[1] <= 2) a[1] += 3; break; /* dup, dup3 */
        case 117: if (a[0] == 0) a[0] = 0x4206; /* ptrace: no PTRACE_TRACEME; no other pid than ours */
                  a[1] = (a[1] & 1) ? (uint64_t)getpid() : (a[1] & 2) ? 0 : (uint64_t)-1; break;
        case 270: case 271: /* process_vm_readv/writev: our own memory only */
                  a[0] = (a[0] & 1) ? (uint64_t)getpid() : 0x7fffffff; break;
        }
        struct itimerval it = {{0, 0}, {0, 20000}};
        setitimer(ITIMER_REAL, &it, NULL);
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    _exit(0);
}

int main(void) {
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (hole == MAP_FAILED || munmap(hole + 4096, 4096) != 0) { printf("mmap: failed\n"); return 1; }
    /* The JUnit side makes ./fuzz.d with a file "sink" in it (and removes it afterwards). */
    if (chdir("fuzz.d") != 0) { printf("chdir fuzz.d: failed\n"); return 1; }
    int stuck = 0, signalled = 0, runs = 0;
    for (int nr = 0; nr <= MAXNR; nr++) {
        if (skipped(nr)) continue;
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) { printf("fork: failed at %d\n", nr); return 1; }
        if (pid == 0) child(nr);
        runs++;
        int status = 0, waited = 0;
        for (;;) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid && (WIFEXITED(status) || WIFSIGNALED(status))) break;
            if (w < 0) break;
            if (++waited == 300) { /* 3 s: stuck */
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                fprintf(stderr, "syscall %d: stuck, killed\n", nr);
                stuck++;
                break;
            }
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
        if (waited < 300 && WIFEXITED(status) && WEXITSTATUS(status) == 3) {
            printf("syscall %d: the child could not redirect its standard streams\n", nr);
            return 1;
        }
        if (waited < 300 && WIFSIGNALED(status)) {
            fprintf(stderr, "syscall %d: child killed by signal %d\n", nr, WTERMSIG(status));
            signalled++;
        }
    }
    fprintf(stderr, "%d syscall numbers, %d children killed by a signal, %d stuck\n", runs, signalled, stuck);
    printf("fuzz done\n");
    return 0;
}
