/* pthreads (join values, mutex and condvar), setpgid/setsid/getsid, prctl, sched_* calls. */
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
        printf("exec'd child: argc %d argv2 %s env %s\n", argc, argv[2], getenv("KAVA_T") ? getenv("KAVA_T") : "(none)");
        return 17;
    }
    int st;
    pid_t c;
    /* Threads: return values through join. */
    pthread_t th[4];
    for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, (void *)(i + 1));
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        printf("thread %d returned %ld\n", i, (long)r);
    }
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, adder, NULL);
    pthread_mutex_lock(&mu);
    while (counter < 4000) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    printf("counter %ld\n", counter);

    /* Process groups and sessions. */
    c = fork();
    if (c == 0) {
        printf("child pgid==ppid-pgid %d\n", getpgid(0) == getpgid(getppid()));
        printf("setsid ok %d, sid==pid %d, pgid==pid %d\n", setsid() == getpid(), getsid(0) == getpid(), getpgid(0) == getpid());
        errno = 0;
        printf("setsid again: %d %s\n", setsid(), strerror(errno));
        printf("setpgid as session leader: %d %s\n", setpgid(0, 0), strerror(errno));
        _exit(0);
    }
    waitpid(c, &st, 0);
    c = fork();
    if (c == 0) { pause(); _exit(0); }
    printf("setpgid child: %d\n", setpgid(c, c));
    printf("child pgid==child %d\n", getpgid(c) == c);
    errno = 0;
    printf("setpgid bad: %d %s\n", setpgid(c, -1), strerror(errno));
    printf("getsid missing: %d %s\n", getsid(999999), strerror(errno));
    kill(c, SIGKILL);
    waitpid(c, &st, 0);

    /* prctl */
    char name[16] = {0};
    prctl(PR_SET_NAME, "kava-test-name-long");
    prctl(PR_GET_NAME, name);
    printf("name '%s'\n", name);
    int sig = -1;
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    prctl(PR_GET_PDEATHSIG, &sig);
    printf("pdeathsig %d dumpable %d\n", sig, prctl(PR_GET_DUMPABLE));
    printf("nnp %d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    printf(" -> %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    errno = 0;
    printf("prctl bad: %d %s\n", prctl(12345, 0, 0, 0, 0), strerror(errno));

    /* sched */
    cpu_set_t set;
    CPU_ZERO(&set);
    printf("getaffinity %d has cpu0 %d\n", sched_getaffinity(0, sizeof set, &set) == 0, CPU_ISSET(0, &set));
    printf("sched_yield %d policy %d\n", sched_yield(), sched_getscheduler(0));
    printf("prio max fifo %d min fifo %d max other %d\n", sched_get_priority_max(SCHED_FIFO), sched_get_priority_min(SCHED_FIFO), sched_get_priority_max(SCHED_OTHER));
    struct sched_param sp = {0};
    errno = 0;
    printf("setscheduler other: %d\n", sched_setscheduler(0, SCHED_OTHER, &sp));
    sp.sched_priority = 5;
    printf("setscheduler other prio 5: %d %s\n", sched_setscheduler(0, SCHED_OTHER, &sp), strerror(errno));
    printf("nice %d\n", nice(3));
    return 0;
}
