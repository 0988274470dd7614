/* execve of itself and its failures, vfork+exec, #! scripts, clone3. Kava only: qemu-user cannot
 * exec a riscv64 binary without binfmt_misc, and has no clone3; expected output is exec_clone3.expected. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *self;

static void *worker(void *arg) {
    long n = (long)arg, s = 0;
    for (long i = 0; i <= n * 1000; i++) s += i;
    return (void *)s;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;

static void *adder(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_cond_broadcast(&cv);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    self = argv[0];
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child: argc %d argv0 %s argv2 %s env %s\n", argc, argv[0], argv[2], getenv("KAVA_T") ? getenv("KAVA_T") : "(none)");
        return 17;
    }
    int st;
    pid_t c = fork();
    if (c == 0) {
        char *av[] = {self, "child", "fork", NULL}, *ev[] = {"KAVA_T=yes", NULL};
        execve(self, av, ev);
        _exit(99);
    }
    waitpid(c, &st, 0);
    printf("fork+exec: code %d\n", WEXITSTATUS(st));

    c = vfork();
    if (c == 0) {
        char *av[] = {self, "child", "vfork", NULL}, *ev[] = {NULL};
        execve(self, av, ev);
        _exit(98);
    }
    waitpid(c, &st, 0);
    printf("vfork+exec: code %d\n", WEXITSTATUS(st));

    char *av[] = {"x", NULL}, *ev[] = {NULL};
    errno = 0;
    printf("exec missing: %d %s\n", execve("/no/such/file", av, ev), strerror(errno));
    printf("exec dir: %d %s\n", execve("/", av, ev), strerror(errno));
    printf("exec bad argv: %d %s\n", execve(self, (char **)8, ev), strerror(errno));
    char *sv[] = {"script-argv0", "one", NULL};
    c = fork();
    if (c == 0) { execve("/script.sh", sv, ev); _exit(97); }
    waitpid(c, &st, 0);
    printf("script: code %d\n", WEXITSTATUS(st));
    errno = 0;
    printf("exec script loop: %d %s\n", execve("/loop.sh", av, ev), strerror(errno));
    printf("exec empty #!: %d %s\n", execve("/empty.sh", av, ev), strerror(errno));
    printf("exec not executable: %d %s\n", execve("/data/hello.txt", av, ev), strerror(errno));

    /* clone3 raw: a fork-like child, then argument errors. */
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    ca.exit_signal = SIGCHLD;
    long r = syscall(SYS_clone3, &ca, sizeof ca);
    if (r == 0) _exit(21);
    waitpid(r, &st, 0);
    printf("clone3 child code %d\n", WEXITSTATUS(st));
    errno = 0;
    printf("clone3 small: %ld %s\n", syscall(SYS_clone3, &ca, 32), strerror(errno));
    ca.flags = CLONE_THREAD;
    printf("clone3 thread w/o sighand: %ld %s\n", syscall(SYS_clone3, &ca, sizeof ca), strerror(errno));
    ca.flags = CLONE_SIGHAND;
    ca.exit_signal = 0;
    printf("clone3 sighand w/o vm: %ld %s\n", syscall(SYS_clone3, &ca, sizeof ca), strerror(errno));
    char big[128] = {0};
    memcpy(big, &ca, sizeof ca);
    big[100] = 1;
    printf("clone3 nonzero tail: %ld %s\n", syscall(SYS_clone3, big, sizeof big), strerror(errno));
    printf("clone bad flags: %ld %s\n", syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), strerror(errno));

    return 0;
}
