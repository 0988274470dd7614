/* A bounded fork bomb under RLIMIT_NPROC as an unprivileged user (root is exempt): fork fails
   with EAGAIN, every child is then killed and reaped, and the process exits 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct rlimit rl = {8, 8};
    if (setrlimit(RLIMIT_NPROC, &rl) != 0) { printf("setrlimit: %s\n", strerrorname_np(errno)); return 1; }
    if (setresuid(1000, 1000, 1000) != 0) { printf("setresuid: %s\n", strerrorname_np(errno)); return 1; }
    pid_t kids[64];
    int n = 0, err = 0;
    for (int i = 0; i < 64; i++) {
        pid_t p = fork();
        if (p == 0) { for (;;) pause(); }
        if (p < 0) { err = errno; break; }
        kids[n++] = p;
    }
    printf("forked %d then %s\n", n, err ? strerrorname_np(err) : "no error");
    for (int i = 0; i < n; i++) kill(kids[i], SIGKILL);
    int reaped = 0;
    while (wait(NULL) > 0) reaped++;
    printf("reaped %d\n", reaped);
    return 0;
}
