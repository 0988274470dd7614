/* kill(2) on process groups: kill(-pgid, sig) and kill(0, sig) reach every process of the group,
   signal 0 checks existence, ESRCH only when the group is empty, EINVAL for a bad signal to an
   existing group; kill(-1, 0) finds the other processes. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")
#define N 4

static volatile sig_atomic_t got_usr2;
static void on_usr2(int s) { (void)s; got_usr2++; }
static void child_usr2(int s) { (void)s; _exit(42); }

/* A child that reports ready on fd, then waits for signals (sigsuspend) forever. */
static pid_t spawn(int fd, pid_t pgid) {
    pid_t p = fork();
    if (p == 0) {
        if (pgid >= 0) setpgid(0, pgid);
        signal(SIGUSR2, child_usr2);
        char c = 'r';
        write(fd, &c, 1);
        sigset_t none;
        sigemptyset(&none);
        for (;;) sigsuspend(&none);
    }
    if (pgid >= 0) setpgid(p, pgid == 0 ? p : pgid); /* as a shell does: no race with the child */
    return p;
}

static void wait_ready(int fd, int n) {
    char c;
    for (int i = 0; i < n; i++) read(fd, &c, 1);
}

static void reap(pid_t *pids, int n, const char *what) {
    for (int i = 0; i < n; i++) {
        int st;
        pid_t r = waitpid(pids[i], &st, 0);
        if (r != pids[i]) printf("%s child %d: waitpid %s\n", what, i, ERR(r));
        else if (WIFSIGNALED(st)) printf("%s child %d: killed by %s\n", what, i, sigabbrev_np(WTERMSIG(st)));
        else printf("%s child %d: exited %d\n", what, i, WEXITSTATUS(st));
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fds[2];
    pipe(fds);

    /* A new group of N processes: the first child leads it. */
    pid_t pids[N];
    pids[0] = spawn(fds[1], 0);
    for (int i = 1; i < N; i++) pids[i] = spawn(fds[1], pids[0]);
    wait_ready(fds[0], N);
    pid_t pgid = pids[0];
    int same = 1;
    for (int i = 0; i < N; i++) same &= getpgid(pids[i]) == pgid;
    printf("children share the new group: %s, not ours: %s\n", same ? "yes" : "no", pgid != getpgrp() ? "yes" : "no");
    int r = kill(-pgid, 0);
    printf("kill(-pgid, 0): %s\n", ERR(r));
    r = kill(-pgid, 99);
    printf("kill(-pgid, 99): %s\n", ERR(r));
    r = kill(-1, 0);
    printf("kill(-1, 0) with children alive: %s\n", ERR(r));
    r = kill(-pgid, SIGTERM);
    printf("kill(-pgid, SIGTERM): %s\n", ERR(r));
    reap(pids, N, "group");
    r = kill(-pgid, 0);
    printf("kill(-pgid, 0) after reaping: %s\n", ERR(r));
    r = kill(-pgid, 99);
    printf("kill(-pgid, 99) after reaping: %s\n", ERR(r));
    r = kill(-2147483647, 0);
    printf("kill(-INT_MAX, 0): %s\n", ERR(r));

    /* Zombies are still in their group: kill succeeds on them. */
    pid_t z = fork();
    if (z == 0) { setpgid(0, 0); _exit(7); }
    setpgid(z, z);
    usleep(100000);
    r = kill(-z, SIGTERM);
    printf("kill(-pgid) of a zombie group: %s\n", ERR(r));
    reap(&z, 1, "zombie");

    /* kill(0, sig): our own group, ourselves included. */
    setpgid(0, 0);
    signal(SIGUSR2, on_usr2);
    pid_t mine[N];
    for (int i = 0; i < N; i++) mine[i] = spawn(fds[1], -1);
    wait_ready(fds[0], N);
    r = kill(0, SIGUSR2);
    printf("kill(0, SIGUSR2): %s, we got it %d time(s)\n", ERR(r), (int)got_usr2);
    reap(mine, N, "own group");
    return 0;
}
