/* Output depends on scheduling: 4 threads append their id to a shared log under a mutex, with
   uneven work between appends. Under kava's deterministic mode two runs must print the same log;
   on Linux (qemu) only the summary line is stable, so this program is not compared with qemu. */
#include <pthread.h>
#include <stdio.h>

static char log_buf[4 * 50 + 1];
static int n;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned long sink;

static void *worker(void *arg) {
    int id = (int)(long)arg;
    for (int i = 0; i < 50; i++) {
        pthread_mutex_lock(&lock);
        log_buf[n++] = (char)('A' + id);
        pthread_mutex_unlock(&lock);
        for (unsigned long k = 0; k < (unsigned long)((i * 7919 + id * 104729) % 5000); k++) sink += k;
    }
    return NULL;
}

int main(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("log %s\n", log_buf);
    printf("entries %d\n", n);
    return 0;
}
