/* fork, exit codes and wait statuses (WIFEXITED/WEXITSTATUS/WIFSIGNALED/WTERMSIG/WCOREDUMP),
   waitpid WNOHANG, ECHILD, 200 sequential forks, wait4 with rusage, waitid, orphan reparenting
   (to init or the host's subreaper), and process groups and sessions with their errors.
   Prints no pids: only facts derived from them. Children never print while the parent may. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

static void describe(const char *what, int st) {
    printf("%s: exited %d", what, WIFEXITED(st));
    if (WIFEXITED(st)) printf(" code %d", WEXITSTATUS(st));
    printf(" signaled %d", WIFSIGNALED(st));
    if (WIFSIGNALED(st)) printf(" sig %d core %d", WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
    printf("\n");
}

static int wait_for(pid_t pid) {
    int st = -1;
    pid_t r = waitpid(pid, &st, 0);
    if (r != pid) printf("waitpid failed: %s\n", strerrorname_np(errno));
    return st;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    pid_t me = getpid();

    /* Exit codes, including truncation to 8 bits. */
    int codes[] = {0, 1, 3, 42, 255, 256, 257};
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pid_t pid = fork();
        if (pid == 0) _exit(codes[i]);
        char label[32];
        snprintf(label, sizeof label, "_exit(%d)", codes[i]);
        describe(label, wait_for(pid));
    }
    /* exit() from main's return path too (runs atexit, flushes stdio). */
    pid_t pid = fork();
    if (pid == 0) exit(9);
    describe("exit(9)", wait_for(pid));

    /* Death by signals. abort() with RLIMIT_CORE 0: no core is written, the core bit stays clear. */
    pid = fork();
    if (pid == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        abort();
    }
    describe("abort", wait_for(pid));
    pid = fork();
    if (pid == 0) { raise(SIGKILL); _exit(1); }
    describe("raise(SIGKILL)", wait_for(pid));
    pid = fork();
    if (pid == 0) { kill(getpid(), SIGUSR1); for (;;) pause(); }
    describe("kill(self, SIGUSR1)", wait_for(pid));
    pid = fork();
    if (pid == 0) { *(volatile int *)(long)(me & 0) = 1; _exit(1); }
    describe("store to NULL", wait_for(pid));

    /* WNOHANG on a child that cannot exit on its own, then SIGKILL. */
    pid = fork();
    if (pid == 0) { for (;;) pause(); }
    int st = 0;
    pid_t r = waitpid(pid, &st, WNOHANG);
    printf("WNOHANG on a live child returns %d\n", (int)r);
    kill(pid, SIGKILL);
    describe("after SIGKILL", wait_for(pid));

    /* No children left. */
    errno = 0;
    r = waitpid(-1, &st, 0);
    printf("waitpid(-1) with no children: %d %s\n", (int)r, ERR(r));
    r = waitpid(-1, &st, WNOHANG);
    printf("waitpid(-1, WNOHANG) with no children: %d %s\n", (int)r, ERR(r));
    r = waitpid(me, &st, 0);
    printf("waitpid(self): %s\n", ERR(r));
    r = waitpid(-1, &st, 0x1000);
    printf("waitpid bad options: %s\n", ERR(r));

    /* Many sequential forks. */
    int sum = 0, ok = 0;
    for (int i = 0; i < 200; i++) {
        pid = fork();
        if (pid == 0) _exit(i & 0x7f);
        if (pid < 0) { printf("fork %d failed: %s\n", i, strerrorname_np(errno)); break; }
        st = wait_for(pid);
        if (WIFEXITED(st)) { sum += WEXITSTATUS(st); ok++; }
    }
    printf("200 forks: %d reaped, sum of codes %d\n", ok, sum);

    /* Several children at once, reaped with waitpid(-1): every one comes back exactly once. */
    pid_t kids[8];
    for (int i = 0; i < 8; i++) {
        kids[i] = fork();
        if (kids[i] == 0) { msleep(10 * (8 - i)); _exit(100 + i); }
    }
    int seen = 0;
    for (int i = 0; i < 8; i++) {
        r = waitpid(-1, &st, 0);
        for (int k = 0; k < 8; k++)
            if (kids[k] == r && WEXITSTATUS(st) == 100 + k) seen |= 1 << k;
    }
    printf("8 concurrent children reaped: %s\n", seen == 0xff ? "all" : "missing");

    /* wait4 with rusage. */
    pid = fork();
    if (pid == 0) _exit(7);
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    r = wait4(pid, &st, 0, &ru);
    printf("wait4 with rusage: %s, code %d, utime sane %d\n", r == pid ? "ok" : "failed", WEXITSTATUS(st),
           ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);

    /* waitid: siginfo of an exited and of a killed child; WNOWAIT leaves it waitable. */
    pid = fork();
    if (pid == 0) _exit(12);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int w = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
    printf("waitid WNOWAIT: %s signo %d code %s status %d pid matches %d\n", ERR(w), si.si_signo,
           si.si_code == CLD_EXITED ? "CLD_EXITED" : "?", si.si_status, si.si_pid == pid);
    memset(&si, 0, sizeof si);
    w = waitid(P_PID, pid, &si, WEXITED);
    printf("waitid again: %s status %d\n", ERR(w), si.si_status);
    w = waitid(P_PID, pid, &si, WEXITED);
    printf("waitid after reaping: %s\n", ERR(w));
    w = waitid(P_ALL, 0, &si, 0);
    printf("waitid without WEXITED/WSTOPPED/WCONTINUED: %s\n", ERR(w));
    pid = fork();
    if (pid == 0) { for (;;) pause(); }
    kill(pid, SIGTERM);
    memset(&si, 0, sizeof si);
    w = waitid(P_PID, pid, &si, WEXITED);
    printf("waitid killed child: code %s status %d\n", si.si_code == CLD_KILLED ? "CLD_KILLED" : "?", si.si_status);

    /* The child sees its parent, then an orphaned grandchild is reparented (to init or a subreaper on the host). */
    int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid = fork();
    if (pid == 0) {
        shared[0] = getppid() == me;
        pid_t mid = getpid();
        pid_t g = fork();
        if (g == 0) {
            for (int i = 0; i < 500 && getppid() == mid; i++) msleep(10);
            shared[1] = getppid() != mid ? 1 : 2;
            _exit(0);
        }
        _exit(0);
    }
    wait_for(pid);
    for (int i = 0; i < 1000 && shared[1] == 0; i++) msleep(10);
    printf("child saw its parent: %s\n", shared[0] ? "yes" : "no");
    printf("reparented: %s\n", shared[1] == 1 ? "yes" : "no");

    /* PR_SET_CHILD_SUBREAPER is left out: qemu-user 7.2 answers that prctl with EINVAL itself. */

    /* Process groups and sessions, in a child (the harness's own session and group are not ours to change). */
    pid = fork();
    if (pid == 0) {
        pid_t self = getpid();
        printf("child: in parent's group %s\n", getpgid(0) == getpgid(getppid()) ? "yes" : "no");
        printf("child: getpgid(0)==getpgrp() %s\n", getpgid(0) == getpgrp() ? "yes" : "no");
        printf("child: getsid(0)==getsid(parent) %s\n", getsid(0) == getsid(getppid()) ? "yes" : "no");
        int e = setpgid(0, 0);
        printf("child: setpgid(0,0) %s, now leader %s\n", ERR(e), getpgid(0) == self ? "yes" : "no");
        e = setpgid(0, getpgid(getppid()));
        printf("child: setpgid back to parent's group %s, leader %s\n", ERR(e), getpgid(0) == self ? "yes" : "no");
        e = setpgid(0, -1);
        printf("child: setpgid(0,-1) %s\n", ERR(e));
        e = setpgid(999999, 0);
        printf("child: setpgid(nonexistent) %s\n", ERR(e));
        e = setpgid(getppid(), 0);
        printf("child: setpgid(parent) %s\n", ERR(e));
        e = getpgid(999999);
        printf("child: getpgid(nonexistent) %s\n", ERR(e));
        e = getsid(999999);
        printf("child: getsid(nonexistent) %s\n", ERR(e));
        pid_t s = setsid();
        printf("child: setsid %s, sid==pid %s, pgid==pid %s\n", ERR(s), getsid(0) == self ? "yes" : "no",
               getpgid(0) == self ? "yes" : "no");
        s = setsid();
        printf("child: setsid again (group leader) %s\n", ERR(s));
        e = setpgid(0, 0);
        printf("child: setpgid(0,0) as session leader %s\n", ERR(e));
        pid_t g = fork();
        if (g == 0) {
            printf("grandchild: in new session %s, same group %s\n", getsid(0) == self ? "yes" : "no",
                   getpgid(0) == self ? "yes" : "no");
            e = setpgid(0, 0);
            printf("grandchild: own group %s\n", ERR(e));
            e = setpgid(0, self);
            printf("grandchild: back to leader's group %s\n", ERR(e));
            _exit(0);
        }
        waitpid(g, NULL, 0);
        _exit(0);
    }
    wait_for(pid);

    /* setpgid on a child in another session: EPERM; on a child in our session: allowed. */
    shared[3] = 0;
    pid = fork();
    if (pid == 0) {
        setsid();
        shared[3] = 1;
        for (;;) pause();
    }
    while (shared[3] == 0) msleep(5);
    int e = setpgid(pid, pid);
    printf("setpgid(child in another session): %s\n", ERR(e));
    kill(pid, SIGKILL);
    wait_for(pid);
    pid = fork();
    if (pid == 0) { for (;;) pause(); }
    e = setpgid(pid, pid);
    printf("setpgid(child, child): %s, child leads its group %s\n", ERR(e), getpgid(pid) == pid ? "yes" : "no");
    e = kill(-pid, SIGKILL);
    printf("kill(-pgrp, SIGKILL): %s\n", ERR(e));
    describe("group member", wait_for(pid));
    e = kill(-pid, 0);
    printf("kill(-gone pgrp, 0): %s\n", ERR(e));
    e = kill(999999, 0);
    printf("kill(nonexistent, 0): %s\n", ERR(e));
    e = kill(me, 0);
    printf("kill(self, 0): %s\n", ERR(e));
    e = kill(me, 65);
    printf("kill(self, 65): %s\n", ERR(e));
    return 0;
}
