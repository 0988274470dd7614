/* fork, exit codes, death by signal, wait4/waitpid/waitid, many forks, orphans, ECHILD. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 42;

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();
    pid_t c = fork();
    if (c < 0) { perror("fork"); return 1; }
    if (c == 0) {
        global = 7;
        printf("child: ppid is parent %d, global %d\n", getppid() == me, global);
        _exit(3);
    }
    int st;
    pid_t w = waitpid(c, &st, 0);
    printf("parent: waited right child %d, exited %d code %d, global %d\n", w == c, WIFEXITED(st), WEXITSTATUS(st), global);

    c = fork();
    if (c == 0) { raise(SIGTERM); _exit(0); }
    w = wait(&st);
    printf("signaled %d sig %d core %d\n", WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st));

    c = fork();
    if (c == 0) { *(volatile int *)0 = 1; _exit(0); }
    w = wait(&st);
    printf("segv: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));

    /* Many children, reaped in any order; the sum of their codes checks each one. */
    int sum = 0, n = 50;
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) _exit(i);
        if (p < 0) { perror("fork"); return 1; }
    }
    for (int i = 0; i < n; i++) {
        if (wait(&st) < 0) { perror("wait"); return 1; }
        sum += WEXITSTATUS(st);
    }
    printf("reaped %d children, code sum %d\n", n, sum);

    errno = 0;
    printf("wait with no children: %d errno %s\n", wait(&st), strerror(errno));
    printf("waitpid WNOHANG no children: %d %s\n", waitpid(-1, &st, WNOHANG), strerror(errno));

    /* WNOHANG while a child still runs, then a blocking wait. */
    int pfd[2];
    pipe(pfd);
    c = fork();
    if (c == 0) { char b; close(pfd[1]); read(pfd[0], &b, 1); _exit(9); }
    close(pfd[0]);
    printf("WNOHANG on running child: %d\n", waitpid(c, &st, WNOHANG));
    write(pfd[1], "x", 1);
    w = waitpid(c, &st, 0);
    printf("then: %d code %d\n", w == c, WEXITSTATUS(st));

    /* waitid with WNOWAIT leaves the zombie; the second waitid reaps it. */
    c = fork();
    if (c == 0) _exit(5);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int r = waitid(P_PID, c, &si, WEXITED | WNOWAIT);
    printf("waitid nowait %d signo %d code %d status %d pid ok %d\n", r, si.si_signo, si.si_code, si.si_status, si.si_pid == c);
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    printf("waitid %d code %d status %d pid ok %d\n", r, si.si_code, si.si_status, si.si_pid == c);
    c = fork();
    if (c == 0) { kill(getpid(), SIGKILL); _exit(1); }
    memset(&si, 0, sizeof si);
    r = waitid(P_PGID, 0, &si, WEXITED);
    printf("waitid killed %d code %d status %d\n", r, si.si_code, si.si_status);
    errno = 0;
    printf("waitid bad options: %d %s\n", waitid(P_ALL, 0, &si, 0), strerror(errno));
    printf("waitid bad pid: %d %s\n", waitid(P_PID, 0, &si, WEXITED), strerror(errno));
    printf("wait4 bad options: %d %s\n", wait4(-1, &st, 0x100, NULL), strerror(errno));

    /* rusage of a child that computed a little. */
    c = fork();
    if (c == 0) { volatile long x = 0; for (long i = 0; i < 1000000; i++) x += i; _exit(0); }
    struct rusage ru;
    w = wait4(c, &st, 0, &ru);
    printf("wait4 rusage: %d\n", w == c);

    /* A grandchild orphaned by its parent still runs and writes. */
    c = fork();
    if (c == 0) {
        pid_t g = fork();
        if (g == 0) { usleep(1000); _exit(0); }
        _exit(0);
    }
    waitpid(c, &st, 0);
    printf("middle child exited %d\n", WEXITSTATUS(st));

    /* SIGCHLD ignored: children are reaped automatically, wait gives ECHILD. */
    signal(SIGCHLD, SIG_IGN);
    c = fork();
    if (c == 0) _exit(1);
    errno = 0;
    r = waitpid(c, &st, 0);
    printf("ignored SIGCHLD: %d %s\n", r, strerror(errno));
    return 0;
}
