/* Signal handlers: SA_SIGINFO data, masks during the handler, SA_NODEFER, SA_RESETHAND, the
 * ucontext, and registers (integer and FP) preserved across delivery. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <ucontext.h>
#include <sys/syscall.h>

static volatile int depth, maxdepth, count;
static sigset_t inside;

static void info_handler(int sig, siginfo_t *si, void *uc_) {
    ucontext_t *uc = uc_;
    sigprocmask(SIG_BLOCK, NULL, &inside);
    printf("handler sig=%d si_signo=%d si_code=%d pid_ok=%d value=%d\n", sig, si->si_signo, si->si_code,
           si->si_pid == getpid(), si->si_code == SI_QUEUE ? si->si_value.sival_int : -1);
    printf("  in handler: USR1 blocked=%d (saved mask has USR1=%d)\n",
           sigismember(&inside, SIGUSR1), sigismember(&uc->uc_sigmask, SIGUSR1));
    printf("  uc_flags=%lu uc_link=%p ss_flags=%d\n", uc->__uc_flags, (void *)uc->uc_link, uc->uc_stack.ss_flags);
}

static volatile int calls;
static void nodefer_handler(int sig) {
    depth++;
    calls++;
    if (depth > maxdepth) maxdepth = depth;
    if (calls < 3) raise(sig);
    depth--;
}

static void counting(int sig) { count++; }

static double fp_work(double x) {
    return x * 1.5 + 0.25;
}

static void fp_handler(int sig) {
    volatile double d = fp_work(3.0);
    (void)d;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    kill(getpid(), SIGUSR1);
    union sigval v = {.sival_int = 42};
    sigqueue(getpid(), SIGUSR1, v);
    sigprocmask(SIG_BLOCK, NULL, &inside);
    printf("after: USR1 blocked=%d USR2 blocked=%d\n", sigismember(&inside, SIGUSR1), sigismember(&inside, SIGUSR2));

    /* SA_NODEFER: the handler can be re-entered by its own signal. Without it, the signal waits. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nodefer_handler;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("nodefer maxdepth=%d\n", maxdepth);
    maxdepth = 0;
    calls = 0;
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("defer maxdepth=%d\n", maxdepth);

    /* SA_RESETHAND: one-shot. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = counting;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGHUP, &sa, NULL);
    raise(SIGHUP);
    struct sigaction old;
    sigaction(SIGHUP, NULL, &old);
    printf("resethand count=%d now default=%d\n", count, old.sa_handler == SIG_DFL);

    /* Blocked signals stay pending until unblocked. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    signal(SIGTERM, counting);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGTERM);
    raise(SIGTERM);
    sigset_t p;
    sigpending(&p);
    printf("pending TERM=%d count=%d\n", sigismember(&p, SIGTERM), count);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("after unblock count=%d\n", count);

    /* Real-time signals queue; standard ones do not. Delivery in signal-number order. */
    signal(SIGRTMIN, counting);
    sigaddset(&s, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    count = 0;
    for (int i = 0; i < 3; i++) { raise(SIGRTMIN); raise(SIGTERM); }
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("queued: count=%d (3 RT + 1 standard)\n", count);

    /* FP registers survive a handler that uses them. */
    signal(SIGUSR2, fp_handler);
    double a = 1.25, b = 2.5;
    raise(SIGUSR2);
    printf("fp after handler: %g\n", a * b);

    /* Invalid arguments. */
    printf("sigaction(SIGKILL)=%d sigaction(0)=%d sigaction(65)=%d\n", sigaction(SIGKILL, &sa, NULL),
           sigaction(0, &sa, NULL), sigaction(65, &sa, NULL));
    printf("rt_sigaction bad size=%ld\n", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
    printf("kill(self, 99)=%d kill(999999, 0)=%d\n", kill(getpid(), 99), kill(999999, 0));
    return 0;
}
