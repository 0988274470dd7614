/* Job control: a child stops itself with SIGSTOP, the parent sees it with WUNTRACED and gets
 * SIGCHLD with CLD_STOPPED, continues it with SIGCONT (WCONTINUED, CLD_CONTINUED), and kills it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int chld_code[8], nchld;
static void on_chld(int sig, siginfo_t *si, void *uc) {
    if (nchld < 8) chld_code[nchld++] = si->si_code;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        for (;;) pause();
    }
    int st;
    pid_t r = waitpid(pid, &st, WUNTRACED);
    printf("wait=%d stopped=%d sig=%d\n", r == pid, WIFSTOPPED(st), WSTOPSIG(st));
    kill(pid, SIGCONT);
    r = waitpid(pid, &st, WCONTINUED);
    printf("wait=%d continued=%d\n", r == pid, WIFCONTINUED(st));
    usleep(100000);
    kill(pid, SIGTERM);
    r = waitpid(pid, &st, 0);
    printf("wait=%d signaled=%d sig=%d\n", r == pid, WIFSIGNALED(st), WTERMSIG(st));
    usleep(50000);
    printf("SIGCHLD codes:");
    for (int i = 0; i < nchld; i++) printf(" %d", chld_code[i]);
    printf("\n");
    return 0;
}
