/* SIGKILL to 40 children busy making system calls, one at a time. KavaOnlyGuestTest checks that
   the kernel log names each death once: the sender (complete_signal) and the child on its way
   back from a syscall (get_signal) could both reach the group exit, and both logged it. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int killed = 0;
    for (int i = 0; i < 40; i++) {
        pid_t p = fork();
        if (p == 0) {
            for (;;) getppid();
        }
        struct timespec tiny = {0, 100000};
        nanosleep(&tiny, NULL);
        kill(p, SIGKILL);
        int st;
        waitpid(p, &st, 0);
        if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) killed++;
    }
    printf("killed %d\n", killed);
    return 0;
}
