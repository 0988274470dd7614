/* Threads racing without locks, timing and random numbers: output depends on scheduling and
 * time, so only a deterministic run repeats it exactly. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static volatile long shared;
static char log_[4096];
static volatile int pos;

static void *run(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < 200000; i++) {
        shared++;
        if (i % 20000 == 0 && pos < 4000) log_[pos++] = (char)('a' + id);
    }
    return NULL;
}

int main(void) {
    pthread_t t[3];
    for (long i = 0; i < 3; i++) pthread_create(&t[i], NULL, run, (void *)i);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    unsigned r;
    getrandom(&r, sizeof r, 0);
    printf("shared %ld order %s\nmono %ld.%09ld random %u pid %d\n", shared, log_, (long)ts.tv_sec, ts.tv_nsec, r, getpid());
    return 0;
}
