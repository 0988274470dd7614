/* Timers and threads in deterministic mode (not compared with qemu: the output depends on
   timing). ITIMER_REAL, ITIMER_PROF and a POSIX timer fire while three threads spin and
   sleep; the handler logs which thread it interrupted and the work counters at that moment.
   Two `kava run --deterministic` runs must print the same bytes. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define T 3
#define EVENTS 60

static volatile unsigned long work[T];
static volatile int which[EVENTS], sigs[EVENTS];
static volatile unsigned long snap[EVENTS][T];
static volatile int nev;
static __thread int me = -1;

static void on_sig(int sig) {
    int i = nev;
    if (i >= EVENTS) return;
    which[i] = me;
    sigs[i] = sig;
    for (int k = 0; k < T; k++) snap[i][k] = work[k];
    nev = i + 1;
}

static void *spin(void *arg) {
    me = (int)(long)arg;
    while (nev < EVENTS) {
        work[me]++;
        if (work[me] % 5000 == 0) {
            struct timespec ts = {0, 200000 * (me + 1)};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

int main(void) {
    me = T;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGPROF, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    struct itimerval real = {{0, 1000}, {0, 1000}}, prof = {{0, 3000}, {0, 3000}};
    setitimer(ITIMER_REAL, &real, NULL);
    setitimer(ITIMER_PROF, &prof, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    timer_t tid;
    timer_create(CLOCK_MONOTONIC, &sev, &tid);
    struct itimerspec its = {{0, 2500000}, {0, 2500000}};
    timer_settime(tid, 0, &its, NULL);
    pthread_t th[T];
    for (long i = 0; i < T; i++) pthread_create(&th[i], NULL, spin, (void *)i);
    for (int i = 0; i < T; i++) pthread_join(th[i], NULL);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    setitimer(ITIMER_PROF, &off, NULL);
    timer_delete(tid);
    for (int i = 0; i < EVENTS; i++) {
        printf("%2d %-7s thread %d work", i, sigabbrev_np(sigs[i]), which[i]);
        for (int k = 0; k < T; k++) printf(" %lu", snap[i][k]);
        printf("\n");
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("events %d, work %lu %lu %lu, monotonic %ld.%09ld\n", nev, work[0], work[1], work[2], (long)now.tv_sec, now.tv_nsec);
    return 0;
}
