/* comm is per thread (task->comm): PR_SET_NAME names the calling thread only, PR_GET_NAME reads
 * the caller's own name, a new thread starts with its creator's name, a name is cut to 15 bytes,
 * and fork from a named thread gives the child process that thread's name. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t named, checked, printed;

static void name_of(char out[16]) {
    memset(out, 'X', 16);
    if (prctl(PR_GET_NAME, out, 0, 0, 0) != 0) perror("PR_GET_NAME");
}

static void *one(void *arg) {
    (void)arg;
    char n[16];
    name_of(n);
    printf("one starts as \"%s\"\n", n);
    prctl(PR_SET_NAME, "thread-one", 0, 0, 0);
    fflush(stdout);
    pthread_barrier_wait(&named);
    pthread_barrier_wait(&checked);
    pthread_barrier_wait(&printed); /* main has printed its line */
    name_of(n);
    printf("one reads \"%s\"\n", n);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char m[16];
        name_of(m);
        char line[64];
        int len = snprintf(line, sizeof line, "child of one is \"%s\"\n", m);
        write(1, line, len);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    return NULL;
}

static void *two(void *arg) {
    (void)arg;
    pthread_barrier_wait(&named); /* one has renamed itself: two still has main's name */
    char n[16];
    name_of(n);
    printf("two starts as \"%s\"\n", n);
    prctl(PR_SET_NAME, "thread-two-with-a-long-name", 0, 0, 0);
    name_of(n);
    printf("two reads \"%s\" (%zu bytes), last byte %d\n", n, strlen(n), n[15]);
    fflush(stdout);
    pthread_barrier_wait(&checked);
    return NULL;
}

int main(void) {
    char n[16];
    prctl(PR_SET_NAME, "main-name", 0, 0, 0);
    pthread_barrier_init(&named, NULL, 3);
    pthread_barrier_init(&checked, NULL, 3);
    pthread_barrier_init(&printed, NULL, 2);
    pthread_t a, b;
    pthread_create(&a, NULL, one, NULL);
    pthread_create(&b, NULL, two, NULL);
    pthread_barrier_wait(&named);
    pthread_barrier_wait(&checked);
    name_of(n);
    printf("main reads \"%s\"\n", n);
    fflush(stdout);
    pthread_barrier_wait(&printed);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    name_of(n);
    printf("main at the end \"%s\"\n", n);
    return 0;
}
