/* clone(CLONE_VM|CLONE_SIGHAND|SIGCHLD) without CLONE_THREAD makes a second process that shares
 * the signal handler table (sighand_struct) with its parent: a handler the child installs is the
 * parent's handler too, and the other way round. With CLONE_VM alone the child gets a copy.
 * The child runs on a stack of its own and only makes simple libc calls (it shares the parent's TLS).
 *
 * Not compared with qemu live: qemu-user (7.2) refuses CLONE_VM without CLONE_THREAD with EINVAL, so
 * clone_sighand.expected holds Linux's answer, from kernel/fork.c (copy_sighand shares the
 * sighand_struct on CLONE_SIGHAND and copies it otherwise; copy_process rejects CLONE_SIGHAND
 * without CLONE_VM with EINVAL). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int caught;
static void on_usr1(int sig) { caught = sig; }
static void on_usr2(int sig) { caught = 1000 + sig; }

static char stack[2][64 * 1024] __attribute__((aligned(16)));
static volatile int child_saw_parent_handler = -1;

static int install(int sig, void (*h)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART;
    return sigaction(sig, &sa, NULL);
}

static int child(void *arg) {
    (void)arg;
    /* The parent installed SIGUSR2's handler before clone: both tables start with it. */
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    child_saw_parent_handler = old.sa_handler == on_usr2;
    install(SIGUSR1, on_usr1);
    signal(SIGTERM, SIG_IGN);
    return 0;
}

static void run(const char *what, int flags, int which) {
    signal(SIGUSR1, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    install(SIGUSR2, on_usr2);
    child_saw_parent_handler = -1;
    pid_t pid = clone(child, stack[which] + sizeof stack[which], flags | SIGCHLD, NULL);
    if (pid < 0) {
        perror("clone");
        return;
    }
    int st;
    if (waitpid(pid, &st, 0) != pid) perror("waitpid");
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    const char *h = old.sa_handler == on_usr1 ? "on_usr1" : old.sa_handler == SIG_DFL ? "SIG_DFL" : "other";
    sigaction(SIGTERM, NULL, &old);
    const char *t = old.sa_handler == SIG_IGN ? "SIG_IGN" : old.sa_handler == SIG_DFL ? "SIG_DFL" : "other";
    printf("%s: child exited %d, child saw parent's SIGUSR2 handler %d, parent's SIGUSR1 %s, SIGTERM %s\n",
           what, WIFEXITED(st) ? WEXITSTATUS(st) : -1, child_saw_parent_handler, h, t);
    if (old.sa_handler == SIG_IGN) {
        caught = 0;
        raise(SIGTERM); /* ignored: the parent survives */
        raise(SIGUSR1);
        printf("%s: parent caught %d\n", what, caught);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    run("CLONE_VM|CLONE_SIGHAND", CLONE_VM | CLONE_SIGHAND, 0);
    run("CLONE_VM", CLONE_VM, 1);
    /* CLONE_SIGHAND needs CLONE_VM; CLONE_THREAD needs CLONE_SIGHAND. */
    errno = 0;
    long r = syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0);
    printf("CLONE_SIGHAND alone: %ld %s\n", r, strerror(errno));
    return 0;
}
