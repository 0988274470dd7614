/* Default actions: ignored by default (SIGCHLD, SIGURG, SIGWINCH, SIGCONT), SIG_IGN, and
 * finally a handler whose frame cannot be written (sp is not mapped): death by SIGSEGV. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static void handler(int sig) { printf("handler %d\n", sig); }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    raise(SIGCHLD);
    raise(SIGURG);
    raise(SIGWINCH);
    raise(SIGCONT);
    printf("default-ignored signals passed\n");
    signal(SIGTERM, SIG_IGN);
    raise(SIGTERM);
    kill(getpid(), SIGTERM);
    printf("SIG_IGN TERM passed\n");
    /* A blocked ignored signal stays pending, and setting SIG_IGN discards it. */
    sigset_t s, p;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGUSR2);
    sigpending(&p);
    printf("USR2 pending=%d\n", sigismember(&p, SIGUSR2));
    signal(SIGUSR2, SIG_IGN);
    sigpending(&p);
    printf("USR2 pending after SIG_IGN=%d\n", sigismember(&p, SIGUSR2));

    signal(SIGUSR1, handler);
    long tid = syscall(SYS_gettid);
    register long a0 __asm__("a0") = tid;
    register long a1 __asm__("a1") = SIGUSR1;
    register long a7 __asm__("a7") = SYS_tkill;
    __asm__ volatile("mv s1, sp\n\t"
                     "li sp, 16\n\t"
                     "ecall\n\t"
                     "mv sp, s1\n\t"
                     : "+r"(a0) : "r"(a1), "r"(a7) : "s1", "memory");
    printf("not reached\n");
    return 0;
}
