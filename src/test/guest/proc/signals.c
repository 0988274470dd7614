/* Signal delivery: SA_SIGINFO handlers (si_code SI_USER/SI_TKILL/SI_QUEUE, si_value), masks,
   sigpending, sigsuspend, SA_NODEFER, SA_RESETHAND, sa_mask, SA_RESTART vs EINTR, sigaltstack
   with SA_ONSTACK, real-time signal queueing and order, SIGCHLD, kill of children, and
   stop/continue with WUNTRACED/WCONTINUED. Prints no pids or addresses. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ERR(r) ((r) == -1 ? strerrorname_np(errno) : "ok")

static volatile sig_atomic_t count, depth, maxdepth;
static volatile int last_signo, last_code, last_val, last_pid_ok, last_uid_ok;
static volatile int order[16], norder;

static const char *code_name(int c) {
    switch (c) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_TIMER: return "SI_TIMER";
    case CLD_EXITED: return "CLD_EXITED";
    case CLD_KILLED: return "CLD_KILLED";
    default: return "other";
    }
}

static volatile int rtvals[8], nrtvals;
static void on_info(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    if (si->si_code == SI_QUEUE && nrtvals < 8) rtvals[nrtvals++] = si->si_value.sival_int;
    count++;
    last_signo = si->si_signo;
    last_code = si->si_code;
    last_val = si->si_value.sival_int;
    last_pid_ok = si->si_pid == getpid();
    last_uid_ok = si->si_uid == getuid();
    if (norder < 16) order[norder++] = sig;
}

static void on_plain(int sig) {
    count++;
    if (norder < 16) order[norder++] = sig;
}

static void install(int sig, void *fn, int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (flags & SA_SIGINFO) sa.sa_sigaction = fn; else sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) printf("sigaction %d failed: %s\n", sig, strerrorname_np(errno));
}

static int is_blocked(int sig) {
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, sig);
}

static void block(int how, int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

/* Recursion through the same signal: nested only under SA_NODEFER. */
static void on_recursive(int sig) {
    count++;
    depth++;
    if (depth > maxdepth) maxdepth = depth;
    if (count < 3) raise(sig);
    depth--;
}

static volatile int mask_had_self;
static void on_check_mask(int sig) {
    mask_had_self = is_blocked(sig);
}

static char *alt_lo, *alt_hi;
static volatile int on_alt, alt_flag_onstack;
static void on_alt_check(int sig) {
    (void)sig;
    char here;
    on_alt = &here >= alt_lo && &here < alt_hi;
    stack_t cur;
    sigaltstack(NULL, &cur);
    alt_flag_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
}

static volatile int chld_code, chld_status, chld_pid_ok;
static volatile pid_t chld_expect;
static void on_chld(int sig, siginfo_t *si, void *uc) {
    (void)sig; (void)uc;
    count++;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid_ok = si->si_pid == chld_expect;
}

static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {}
}

static void arm_ms(int ms) {
    struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* si_code by sender. */
    install(SIGUSR1, on_info, SA_SIGINFO);
    count = 0;
    kill(getpid(), SIGUSR1);
    printf("kill: delivered %d signo %d code %s pid ok %d uid ok %d\n", count, last_signo, code_name(last_code), last_pid_ok, last_uid_ok);
    raise(SIGUSR1);
    printf("raise: delivered %d code %s\n", count, code_name(last_code));
    union sigval v = {.sival_int = 1234};
    sigqueue(getpid(), SIGUSR1, v);
    printf("sigqueue: delivered %d code %s value %d\n", count, code_name(last_code), last_val);
    syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
    printf("tgkill: delivered %d code %s\n", count, code_name(last_code));

    /* Blocking, sigpending, and a standard signal coalescing while blocked. */
    count = 0;
    block(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("blocked: delivered %d, pending %d\n", count, sigismember(&pend, SIGUSR1));
    block(SIG_UNBLOCK, SIGUSR1);
    sigpending(&pend);
    printf("unblocked: delivered %d (coalesced), pending %d\n", count, sigismember(&pend, SIGUSR1));

    /* Real-time signals queue with their values, in order; standard ones do not. (The order between
       different signals unblocked at once is not printed: it depends on how frames nest.) */
    int rt = SIGRTMIN + 2;
    install(rt, on_info, SA_SIGINFO);
    install(SIGUSR2, on_info, SA_SIGINFO);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, rt);
    sigaddset(&all, SIGUSR1);
    sigaddset(&all, SIGUSR2);
    sigprocmask(SIG_BLOCK, &all, NULL);
    count = 0;
    norder = 0;
    nrtvals = 0;
    for (int i = 1; i <= 3; i++) { v.sival_int = i; sigqueue(getpid(), rt, v); }
    raise(SIGUSR2);
    raise(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &all, NULL);
    int nrt = 0, nu1 = 0, nu2 = 0;
    for (int i = 0; i < norder; i++) { nrt += order[i] == rt; nu1 += order[i] == SIGUSR1; nu2 += order[i] == SIGUSR2; }
    printf("queued 3 rt + 2 standard: delivered %d: rt %d usr1 %d usr2 %d, rt values in order:", count, nrt, nu1, nu2);
    for (int i = 0; i < nrtvals; i++) printf(" %d", rtvals[i]);
    printf("\n");

    /* sigsuspend: runs the handler, returns EINTR, restores the mask. */
    block(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    count = 0;
    sigset_t none;
    sigemptyset(&none);
    int r = sigsuspend(&none);
    printf("sigsuspend: %d %s, delivered %d, SIGUSR1 blocked again %d\n", r, ERR(r), count, is_blocked(SIGUSR1));
    block(SIG_UNBLOCK, SIGUSR1);

    /* SA_NODEFER lets the handler nest; without it the signal waits for the handler's return. */
    install(SIGUSR1, on_recursive, 0);
    count = 0; depth = 0; maxdepth = 0;
    raise(SIGUSR1);
    printf("default: delivered %d, max nesting %d\n", count, maxdepth);
    install(SIGUSR1, on_recursive, SA_NODEFER);
    count = 0; depth = 0; maxdepth = 0;
    raise(SIGUSR1);
    printf("SA_NODEFER: delivered %d, max nesting %d\n", count, maxdepth);

    /* sa_mask and the signal itself are blocked during the handler, and unblocked after it. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_check_mask;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    /* (Whether sa_mask's SIGUSR2 is blocked inside is not printed: qemu-user 7.2 does not apply sa_mask.) */
    printf("in handler: self blocked %d; after: %d %d\n", mask_had_self, is_blocked(SIGUSR1), is_blocked(SIGUSR2));

    /* SA_RESETHAND: one delivery, then SIG_DFL. */
    install(SIGUSR1, on_plain, SA_RESETHAND);
    count = 0;
    raise(SIGUSR1);
    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    printf("SA_RESETHAND: delivered %d, now default %d\n", count, old.sa_handler == SIG_DFL);

    /* sigaction reads back what was set; errors. */
    install(SIGUSR2, on_plain, SA_RESTART | SA_NODEFER);
    sigaction(SIGUSR2, NULL, &old);
    printf("read back: handler %d flags RESTART %d NODEFER %d SIGINFO %d\n", old.sa_handler == on_plain,
           (old.sa_flags & SA_RESTART) != 0, (old.sa_flags & SA_NODEFER) != 0, (old.sa_flags & SA_SIGINFO) != 0);
    sa.sa_handler = on_plain;
    r = sigaction(SIGKILL, &sa, NULL);
    printf("sigaction(SIGKILL): %s\n", ERR(r));
    r = sigaction(SIGSTOP, &sa, NULL);
    printf("sigaction(SIGSTOP): %s\n", ERR(r));
    r = sigaction(SIGKILL, NULL, &old);
    printf("query SIGKILL: %s\n", ERR(r));
    r = syscall(SYS_rt_sigaction, 0, NULL, &old, 8);
    printf("rt_sigaction(0): %s\n", ERR(r));
    r = syscall(SYS_rt_sigaction, 65, NULL, &old, 8);
    printf("rt_sigaction(65): %s\n", ERR(r));
    r = syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4);
    printf("rt_sigaction bad sigsetsize: %s\n", ERR(r));
    r = sigprocmask(7, &none, NULL);
    printf("sigprocmask bad how: %s\n", ERR(r));
    sigset_t full;
    sigfillset(&full);
    sigprocmask(SIG_SETMASK, &full, NULL);
    sigset_t got;
    sigprocmask(SIG_SETMASK, NULL, &got);
    printf("block everything: SIGKILL blocked %d SIGSTOP blocked %d SIGUSR1 blocked %d\n",
           sigismember(&got, SIGKILL), sigismember(&got, SIGSTOP), sigismember(&got, SIGUSR1));
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* A blocked signal is queued even when ignored (it may be unignored before it is unblocked). */
    signal(SIGUSR1, SIG_IGN);
    block(SIG_BLOCK, SIGUSR1);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("ignored while blocked: pending %d\n", sigismember(&pend, SIGUSR1));
    block(SIG_UNBLOCK, SIGUSR1);

    /* sigaltstack and SA_ONSTACK. */
    size_t sz = 64 * 1024;
    alt_lo = malloc(sz);
    alt_hi = alt_lo + sz;
    stack_t ss = {.ss_sp = alt_lo, .ss_size = sz, .ss_flags = 0};
    r = sigaltstack(&ss, NULL);
    printf("sigaltstack: %s\n", ERR(r));
    install(SIGUSR2, on_alt_check, SA_ONSTACK);
    raise(SIGUSR2);
    printf("SA_ONSTACK handler on alt stack: %s, SS_ONSTACK inside: %s\n", on_alt ? "yes" : "no", alt_flag_onstack ? "yes" : "no");
    install(SIGUSR2, on_alt_check, 0);
    raise(SIGUSR2);
    printf("handler without SA_ONSTACK on alt stack: %s\n", on_alt ? "yes" : "no");
    stack_t cur;
    sigaltstack(NULL, &cur);
    printf("sigaltstack query: size matches %d, flags %d\n", cur.ss_size == sz && cur.ss_sp == alt_lo, cur.ss_flags);
    stack_t small = {.ss_sp = alt_lo, .ss_size = 512, .ss_flags = 0};
    r = sigaltstack(&small, NULL);
    printf("sigaltstack too small: %s\n", ERR(r));
    stack_t badf = {.ss_sp = alt_lo, .ss_size = sz, .ss_flags = 0x55};
    r = sigaltstack(&badf, NULL);
    printf("sigaltstack bad flags: %s\n", ERR(r));
    stack_t dis = {.ss_flags = SS_DISABLE};
    r = sigaltstack(&dis, NULL);
    sigaltstack(NULL, &cur);
    printf("sigaltstack disable: %s, flags now SS_DISABLE %d\n", ERR(r), cur.ss_flags == SS_DISABLE);

    /* EINTR vs SA_RESTART, with a one-shot ITIMER_REAL. nanosleep and pause are never restarted;
       wait4 is restarted under SA_RESTART. */
    install(SIGALRM, on_plain, 0);
    count = 0;
    arm_ms(30);
    struct timespec ts = {5, 0}, rem = {0, 0};
    r = nanosleep(&ts, &rem);
    printf("nanosleep interrupted: %s, delivered %d, remaining > 0 %d\n", ERR(r), count, rem.tv_sec > 0 || rem.tv_nsec > 0);
    count = 0;
    arm_ms(30);
    r = pause();
    printf("pause: %s, delivered %d\n", ERR(r), count);

    pid_t pid = fork();
    if (pid == 0) { msleep(400); _exit(4); }
    count = 0;
    arm_ms(30);
    int st;
    r = waitpid(pid, &st, 0);
    printf("waitpid without SA_RESTART: %s, delivered %d\n", ERR(r), count);
    r = waitpid(pid, &st, 0);
    printf("waitpid again: %s code %d\n", r == pid ? "ok" : ERR(r), WEXITSTATUS(st));
    install(SIGALRM, on_plain, SA_RESTART);
    pid = fork();
    if (pid == 0) { msleep(400); _exit(5); }
    count = 0;
    arm_ms(30);
    r = waitpid(pid, &st, 0);
    printf("waitpid with SA_RESTART: %s code %d, delivered %d\n", r == pid ? "ok" : ERR(r), WEXITSTATUS(st), count);

    /* SIGCHLD with siginfo on a child's exit. */
    install(SIGCHLD, on_chld, SA_SIGINFO);
    block(SIG_BLOCK, SIGCHLD);
    count = 0;
    pid = fork();
    if (pid == 0) _exit(6);
    chld_expect = pid;
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    while (count == 0) sigsuspend(&wait_mask);
    printf("SIGCHLD: code %s status %d pid ok %d\n", code_name(chld_code), chld_status, chld_pid_ok);
    waitpid(pid, &st, 0);
    count = 0;
    pid = fork();
    if (pid == 0) { for (;;) pause(); }
    chld_expect = pid;
    kill(pid, SIGTERM);
    while (count == 0) sigsuspend(&wait_mask);
    printf("SIGCHLD for a killed child: code %s status %d\n", code_name(chld_code), chld_status);
    waitpid(pid, &st, 0);
    printf("killed by SIGTERM: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
    signal(SIGCHLD, SIG_DFL);
    block(SIG_UNBLOCK, SIGCHLD);

    /* An ignored SIGTERM (inherited SIG_IGN) does not kill; SIGKILL does. */
    signal(SIGTERM, SIG_IGN);
    pid = fork();
    if (pid == 0) { for (;;) pause(); }
    signal(SIGTERM, SIG_DFL);
    kill(pid, SIGTERM);
    msleep(50);
    r = waitpid(pid, &st, WNOHANG);
    printf("child ignoring SIGTERM still alive: %s\n", r == 0 ? "yes" : "no");
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    printf("then SIGKILL: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));

    /* fork keeps handlers: the child's handler runs. */
    install(SIGUSR1, on_plain, 0);
    pid = fork();
    if (pid == 0) { count = 0; raise(SIGUSR1); _exit(count == 1 ? 0 : 1); }
    waitpid(pid, &st, 0);
    printf("handler inherited by fork: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "no");

    /* Stop and continue. */
    pid = fork();
    if (pid == 0) { for (;;) pause(); }
    kill(pid, SIGSTOP);
    r = waitpid(pid, &st, WUNTRACED);
    printf("after SIGSTOP: stopped %d sig %d\n", WIFSTOPPED(st), WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
    r = waitpid(pid, &st, WUNTRACED | WNOHANG);
    printf("stop reported once: %d\n", r == 0);
    kill(pid, SIGCONT);
    r = waitpid(pid, &st, WCONTINUED);
    printf("after SIGCONT: continued %d\n", WIFCONTINUED(st));
    kill(pid, SIGTSTP);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    r = waitid(P_PID, pid, &si, WSTOPPED);
    printf("after SIGTSTP: waitid %s code %s status %d\n", ERR(r), si.si_code == CLD_STOPPED ? "CLD_STOPPED" : "?", si.si_status);
    kill(pid, SIGKILL);
    r = waitpid(pid, &st, 0);
    printf("stopped child killed: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));

    /* Default actions: SIGUSR2 kills, SIGCHLD/SIGURG/SIGWINCH are ignored. */
    pid = fork();
    if (pid == 0) {
        signal(SIGUSR2, SIG_DFL);
        raise(SIGCHLD); raise(SIGURG); raise(SIGWINCH);
        raise(SIGUSR2);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("default actions: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
    return 0;
}
