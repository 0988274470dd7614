/* sched_fork: a child (process or thread) keeps its creator's scheduling policy and nice value;
   SCHED_RESET_ON_FORK (reported by sched_getscheduler) makes a negative nice value 0 and is not
   carried on. kava gave every child SCHED_NORMAL and forgot the flag. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
static void child(const char *what) {
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        printf("%s: child policy %d nice %d\n", what, sched_getscheduler(0), getpriority(PRIO_PROCESS, 0));
        _exit(0);
    }
    waitpid(p, NULL, 0);
}
static void *thread_main(void *arg) {
    (void)arg;
    printf("thread policy %#x nice %d\n", sched_getscheduler(0), getpriority(PRIO_PROCESS, 0));
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sched_param sp = {0};
    printf("batch: %d\n", sched_setscheduler(0, SCHED_BATCH, &sp));
    printf("parent policy %d\n", sched_getscheduler(0));
    child("batch");
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    pthread_join(th, NULL);
    printf("idle|reset: %d\n", sched_setscheduler(0, SCHED_IDLE | SCHED_RESET_ON_FORK, &sp));
    printf("parent policy %#x\n", sched_getscheduler(0));
    child("idle|reset");
    setpriority(PRIO_PROCESS, 0, -5);
    printf("normal|reset nice -5: %d\n", sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp));
    child("normal|reset nice -5");
    setpriority(PRIO_PROCESS, 0, 5);
    child("normal|reset nice 5");
    printf("setparam keeps the flag: %d\n", sched_setparam(0, &sp));
    printf("parent policy %#x\n", sched_getscheduler(0));
    printf("normal: %d\n", sched_setscheduler(0, SCHED_OTHER, &sp));
    printf("parent policy %#x\n", sched_getscheduler(0));
    child("normal nice 5");
    return 0;
}
