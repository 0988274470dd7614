/* execve: errors (ENOENT, EACCES, ENOTDIR, ENOEXEC, ELOOP, EFAULT), exec of itself with arguments
   and a new environment, a #! script whose interpreter is this program (hello.sh, placed in the
   root by the test, "#!./exec script-arg"), exec from a multi-threaded process, and what exec
   keeps and resets: pid, O_CLOEXEC descriptors closed, others open with their offset, handlers
   reset to SIG_DFL but SIG_IGN kept, the signal mask and pending signals kept, sigaltstack reset.
   qemu-user 7.2 cannot execve riscv64 programs without binfmt_misc, so the expected output is
   exec.expected, from fs/exec.c and fs/binfmt_script.c; the error cases do run under qemu. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static const char *yes(int c) { return c ? "yes" : "no"; }

static void *spin(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

static void on_usr1(int sig) { (void)sig; }

static int after_exec(int argc, char **argv) {
    int fdc = atoi(argv[2]), fdp = atoi(argv[3]);
    pid_t before = atoi(argv[4]);
    printf("after exec: argc %d, pid preserved %s\n", argc, yes(getpid() == before));
    errno = 0;
    int r = fcntl(fdc, F_GETFD);
    printf("O_CLOEXEC descriptor: %s\n", r == -1 ? strerrorname_np(errno) : "still open");
    r = fcntl(fdp, F_GETFD);
    printf("plain descriptor: %s, offset kept %s\n", r == -1 ? strerrorname_np(errno) : "open",
           yes(lseek(fdp, 0, SEEK_CUR) == 5));
    char buf[8] = {0};
    read(fdp, buf, 5);
    printf("reads on: \"%s\"\n", buf);
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    printf("handled SIGUSR1 reset to SIG_DFL: %s\n", yes(sa.sa_handler == SIG_DFL));
    sigaction(SIGUSR2, NULL, &sa);
    printf("ignored SIGUSR2 still ignored: %s\n", yes(sa.sa_handler == SIG_IGN));
    sigset_t cur, pend;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("blocked SIGTERM still blocked: %s\n", yes(sigismember(&cur, SIGTERM)));
    sigpending(&pend);
    printf("pending SIGHUP still pending: %s\n", yes(sigismember(&pend, SIGHUP)));
    stack_t ss;
    sigaltstack(NULL, &ss);
    printf("sigaltstack reset: %s\n", yes(ss.ss_flags == SS_DISABLE));
    const char *e = getenv("KAVA_TEST");
    int n = 0;
    for (char **p = environ; *p; p++) n++;
    printf("environment replaced: %s, %d entries\n", yes(e && strcmp(e, "exec-env") == 0), n);
    return 0;
}

int main(int argc, char **argv, char **envp) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 4 && strcmp(argv[1], "child") == 0) return after_exec(argc, argv);
    if (argc > 2 && strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
    if (argc > 1 && strcmp(argv[1], "script-arg") == 0) {
        printf("interpreter: argc %d, argv[0] %s, argv[2] %s, argv[3] %s\n", argc, argv[0],
               argc > 2 ? argv[2] : "-", argc > 3 ? argv[3] : "-");
        return 5;
    }

    char *noargs[] = {"x", NULL};
    int r;
    r = execve("nonexistent", noargs, envp);
    printf("missing file: %s\n", ERR(r));
    r = execve("data/hello.txt", noargs, envp);
    printf("file without x bits: %s\n", ERR(r));
    r = execve("data", noargs, envp);
    printf("directory: %s\n", ERR(r));
    r = execve("data/hello.txt/x", noargs, envp);
    printf("through a file: %s\n", ERR(r));
    r = execve("data/loop", noargs, envp);
    printf("symlink loop: %s\n", ERR(r));
    r = execve("", noargs, envp);
    printf("empty path: %s\n", ERR(r));
    r = execve("garbage.bin", noargs, envp);
    printf("executable garbage: %s\n", ERR(r));
    r = execve("bad.sh", noargs, envp);
    printf("script with a missing interpreter: %s\n", ERR(r));
    r = syscall(221 /* execve */, NULL, noargs, envp);
    printf("NULL path: %s\n", ERR(r));
    r = syscall(221, argv[0], (char **)16, envp);
    printf("bad argv pointer: %s\n", ERR(r));
    fflush(stdout);

    int st;
    pid_t pid = fork();
    if (pid == 0) {
        char *a[] = {argv[0], "exit", "7", NULL};
        execve(argv[0], a, envp);
        _exit(100 + errno);
    }
    waitpid(pid, &st, 0);
    printf("fork + exec of itself: code %d\n", WEXITSTATUS(st));

    pid = fork();
    if (pid == 0) {
        char *a[] = {"./hello.sh", "x", NULL};
        execve("./hello.sh", a, envp);
        _exit(100 + errno);
    }
    waitpid(pid, &st, 0);
    printf("script: code %d\n", WEXITSTATUS(st));

    pid = fork();
    if (pid == 0) {
        pthread_t t;
        for (int i = 0; i < 3; i++) pthread_create(&t, NULL, spin, NULL);
        char *a[] = {argv[0], "exit", "9", NULL};
        execve(argv[0], a, envp);
        _exit(100 + errno);
    }
    waitpid(pid, &st, 0);
    printf("exec from a process with 4 threads: code %d\n", WEXITSTATUS(st));

    /* Set up what exec keeps and resets, then replace this image. */
    int fdc = open("data/hello.txt", O_RDONLY | O_CLOEXEC);
    int fdp = open("data/hello.txt", O_RDONLY);
    char skip[5];
    read(fdp, skip, 5);
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGHUP);
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    char c1[16], c2[16], c3[16];
    snprintf(c1, sizeof c1, "%d", fdc);
    snprintf(c2, sizeof c2, "%d", fdp);
    snprintf(c3, sizeof c3, "%d", getpid());
    char *a[] = {argv[0], "child", c1, c2, c3, NULL};
    char *env[] = {"KAVA_TEST=exec-env", NULL};
    printf("exec of itself\n");
    r = execve(argv[0], a, env);
    printf("exec failed: %s\n", ERR(r));
    return 1;
}
