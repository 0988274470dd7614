/* Linux behaviour qemu-user does not reproduce (so checked against fixed expectations, kava only):
   MAP_FIXED_NOREPLACE over a mapping is EEXIST; RLIMIT_AS makes a large mmap fail with ENOMEM;
   sa_mask is blocked inside a handler. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

static volatile int usr2_blocked = -1;
static void on_usr1(int sig) {
    (void)sig;
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    usr2_blocked = sigismember(&cur, SIGUSR2);
}

int main(void) {
    char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *q = mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE over a mapping: %s\n", q == MAP_FAILED ? strerrorname_np(errno) : "mapped");
    struct rlimit rl = {64 << 20, 64 << 20};
    int r = setrlimit(RLIMIT_AS, &rl);
    void *big = mmap(NULL, 256 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("RLIMIT_AS 64 MiB: set %s, 256 MiB mmap %s\n", r ? strerrorname_np(errno) : "ok",
           big == MAP_FAILED ? strerrorname_np(errno) : "mapped");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("sa_mask blocked in handler: %d\n", usr2_blocked);
    return 0;
}
